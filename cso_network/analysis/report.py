"""The gap analysis in one call: every measure of the Gaps page and ``cso-network analyze``.

:func:`analyze` runs the measures of :mod:`~cso_network.analysis.mixing`,
:mod:`~cso_network.analysis.coverage`, :mod:`~cso_network.analysis.brokerage`,
:mod:`~cso_network.analysis.communities` and :mod:`~cso_network.analysis.cohorts`
on one layer of the organization network and gathers them, with a ranked list
of gaps in plain language, into one JSON-ready dict. It is a pure function of
the dataset and its graphs; the Workspace caches its result per version.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import networkx as nx
import pandas as pd

from cso_network import vocab
from cso_network.analysis.brokerage import bridges, brokerage_roles, centrality_table, cut_points
from cso_network.analysis.cohorts import cohort_effect
from cso_network.analysis.communities import (
    CommunityResult,
    components_summary,
    detect_communities,
)
from cso_network.analysis.coverage import ITEM_KINDS, coverage_dict, coverage_gaps, coverage_table
from cso_network.analysis.facts import (
    FACTS_LAYER,
    FACTS_SEED,
    GAP_THRESHOLD,
    MIN_EXPECTED_TIES,
    NetworkFacts,
    network_facts,
)
from cso_network.analysis.mixing import (
    country_assortativity,
    cross_border_share,
    ei_by_group,
    ei_permutation_test,
    missing_bridges,
    mixing_table,
)
from cso_network.core.messages import Message, Seq, country_with_code, msg, nmsg
from cso_network.core.model import Dataset
from cso_network.network.layers import build_layer

__all__ = ["analyze", "ANALYSIS_STEPS", "DEFAULT_LAYER", "bridge_gaps", "select_gaps", "structure_gaps"]

#: The layer analysed unless another is asked for: declared collaborations,
#: since the gaps PCRC plans against are gaps in working together.
DEFAULT_LAYER = FACTS_LAYER

#: Step names reported to the ``progress`` callback, in order.
ANALYSIS_STEPS = (
    "mixing",
    "permutation test",
    "coverage",
    "brokers",
    "cut points",
    "communities",
    "cohorts",
    "gaps",
)

ProgressCallback = Callable[[str], None]


def _none_if_nan(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return [{k: _none_if_nan(v) for k, v in row.items()} for row in frame.to_dict("records")]


def _seminar_labels(dataset: Dataset) -> dict[str, str]:
    """Seminar id -> 'Budva 2013' style label for sentences."""
    labels = {}
    for sid, city, start in dataset.seminars[["seminar_id", "city", "start_date"]].itertuples(
        index=False, name=None
    ):
        year = vocab.year_of(start)
        labels[sid] = " ".join(str(p) for p in (city or sid, year) if p)
    return labels


def _org(name: Any, org_id: str, country_code: Any) -> Message:
    """``"Name (ORG-001, BA)"``: how a gap names an organization."""
    return msg("{name} ({org_id}, {country})", name=name or org_id, org_id=org_id,
               country=country_code)


def _met_pairs_by_country_pair(met: nx.Graph) -> dict[tuple, list[tuple]]:
    """Group the met layer's edges by the (sorted) pair of their countries, in one pass."""
    country = nx.get_node_attributes(met, "country")
    out: dict[tuple, list[tuple]] = {}
    for u, v, seminars in met.edges(data="seminars", default=()):
        a, b = country.get(u), country.get(v)
        if a is None or b is None or a == b:
            continue
        out.setdefault((a, b) if a < b else (b, a), []).append((u, v, seminars))
    return out


def bridge_gaps(
    bridges_frame: pd.DataFrame, met: nx.Graph, dataset: Dataset
) -> list[dict[str, Any]]:
    """Turn missing or thin country pairs into gaps, saying who already met where.

    Parameters
    ----------
    bridges_frame : pandas.DataFrame
        From :func:`~cso_network.analysis.mixing.missing_bridges`.
    met : networkx.Graph
        The ``met`` layer: pairs of the two countries that met are the
        obvious people to connect.
    dataset : Dataset
        For seminar names.

    Returns
    -------
    list of dict
        Gap records (kind ``missing_bridge`` or ``thin_bridge``).
    """
    labels = _seminar_labels(dataset)
    by_pair = _met_pairs_by_country_pair(met)
    gaps = []
    for row in bridges_frame.itertuples(index=False):
        met_pairs = by_pair.get(tuple(sorted((row.a, row.b))), [])
        per_seminar: dict[str, int] = {}
        for _, _, seminars in met_pairs:
            for s in seminars:
                per_seminar[s] = per_seminar.get(s, 0) + 1
        where = Seq(
            msg("{n} in {seminar}", n=n, seminar=labels.get(s, s))
            for s, n in sorted(per_seminar.items(), key=lambda kv: -kv[1])
        )
        a, b = country_with_code(row.a), country_with_code(row.b)
        if row.status == "missing":
            gap = msg("No declared collaboration between organizations in {a} and {b}", a=a, b=b)
            severity = 5.0 + min(float(row.shortfall), 50.0) / 50.0
        else:
            gap = nmsg(
                "Only {n} collaboration between organizations in {a} and {b}, where "
                "{expected:.1f} would be expected from how connected they are",
                "Only {n} collaborations between organizations in {a} and {b}, where "
                "{expected:.1f} would be expected from how connected they are",
                int(row.observed), a=a, b=b, expected=float(row.expected))
            severity = 2.0 + (1.0 - float(row.observed) / float(row.expected))
        if met_pairs:
            sentence = nmsg("{gap}; {n} pair of them met ({where}).",
                            "{gap}; {n} pairs of them met ({where}).",
                            len(met_pairs), gap=gap, where=where)
        else:
            sentence = msg("{gap}; none of them has met at a seminar yet.", gap=gap)
        orgs = sorted({n for u, v, _ in met_pairs for n in (u, v)})
        gaps.append({
            "kind": f"{row.status}_bridge",
            "country": None,
            "item": None,
            "pair": [row.a, row.b],
            "organizations": orgs,
            "detail": sentence,
            "severity": round(severity, 4),
        })
    return gaps


def structure_gaps(cuts: pd.DataFrame, G: nx.Graph) -> list[dict[str, Any]]:
    """Cut points and isolates as gaps: where the network hangs on one organization.

    Returns
    -------
    list of dict
        Kind ``cut_point`` (severity 2 + min(cut_off, 10)/4: 2.25 for an
        organization's only partner, 3.25 for a cluster of five) and
        ``isolated`` (severity 1) records.
    """
    gaps = []
    for row in cuts.itertuples(index=False):
        data = G.nodes[row.org_id]
        spread = Seq(f"{c} {k}" for c, k in row.countries.items())
        name = _org(data.get("name"), row.org_id, data.get("country"))
        if row.cut_off == 1:
            detail = msg("{org} is the only partner of one organization ({spread}), which has "
                         "no other tie in this layer.", org=name, spread=spread)
        else:
            detail = nmsg("{org} is the only link to the rest of the network for {n} "
                          "organization ({spread}); if it stepped back it would be cut off.",
                          "{org} is the only link to the rest of the network for {n} "
                          "organizations ({spread}); if it stepped back they would be cut off.",
                          int(row.cut_off), org=name, spread=spread)
        gaps.append({
            "kind": "cut_point",
            "country": data.get("country"),
            "item": None,
            "pair": None,
            "organizations": [row.org_id],
            "detail": detail,
            # A pendant partner (1) ranks low, a cluster of 5 above an uncovered field (3).
            "severity": round(2.0 + min(int(row.cut_off), 10) / 4.0, 4),
        })
    for org in sorted(nx.isolates(G)):
        data = G.nodes[org]
        gaps.append({
            "kind": "isolated",
            "country": data.get("country"),
            "item": None,
            "pair": None,
            "organizations": [org],
            "detail": msg("{org} has no tie in this layer.",
                          org=_org(data.get("name"), org, data.get("country"))),
            "severity": 1.0,
        })
    return gaps


def _coverage_gap_records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    out = []
    for row in frame.itertuples(index=False):
        out.append({
            "kind": row.kind,
            "country": row.country,
            "item": None if row.item is None else str(row.item),
            "pair": list(row.pair) if isinstance(row.pair, tuple) else None,
            "organizations": list(row.organizations),
            "detail": row.detail,
            "severity": float(row.severity),
        })
    return out


def _community_records(comm: CommunityResult) -> list[dict[str, Any]]:
    """Each community with its id, size, countries and members (organization ids, sorted)."""
    return [
        {"id": int(r.id), "size": int(r.size), "countries": dict(r.countries),
         "members": [str(m) for m in r.members]}
        for r in comm.table.itertuples(index=False)
    ]


def analyze(
    dataset: Dataset,
    *,
    layer: str = DEFAULT_LAYER,
    weighted: bool = False,
    permutations: int = 1000,
    seed: int = 0,
    graphs: dict[str, nx.Graph] | None = None,
    facts: NetworkFacts | None = None,
    progress: ProgressCallback | None = None,
) -> dict[str, Any]:
    """Run the whole gap analysis on one layer.

    Parameters
    ----------
    dataset : Dataset
        The workspace's tables.
    layer : {"collaborated", "met", "combined"}
        Which organization network to analyse (default: declared collaborations).
    weighted : bool, default False
        Use the layer's edge weights where a measure has a weighted form
        (E-I index, cross-border share, weighted degree, eigenvector,
        constraint, effective size, communities); ties are counted otherwise.
        Betweenness is always unweighted.
    permutations : int, default 1000
        Label permutations for the E-I test.
    seed : int, default 0
        Seeds the permutation test, sampled betweenness and Louvain.
    graphs : dict, optional
        Prebuilt layers by name (``met`` and ``layer``); built when missing.
    facts : NetworkFacts, optional
        The dataset's clusters and gap pairs
        (:func:`~cso_network.analysis.facts.network_facts`). The analysis of
        the declared-collaboration layer, ties counted and seed 0 (the
        defaults, what the dashboard shows) reports exactly these, so its
        communities and gaps are those every page and every suggestion
        reason speaks of; computed when not given. Another layer, weighting
        or seed gets its own.
    progress : callable, optional
        Called with each name of :data:`ANALYSIS_STEPS` as the step starts.

    Returns
    -------
    dict
        Keys ``meta``, ``summary``, ``country_pairs``, ``missing_bridges``,
        ``coverage``, ``gaps``, ``brokers``, ``cut_points``, ``bridges``,
        ``communities``, ``cohorts``, ``ei_by_country``; JSON-ready (None for
        undefined values). See ``docs/analysis.md`` for each field.
    """
    graphs = dict(graphs or {})
    for name in {layer, "met", "collaborated"}:
        if name not in graphs:
            graphs[name] = build_layer(dataset, name)
    G = graphs[layer]
    weight = "weight" if weighted else None
    step = progress or (lambda _name: None)

    the_facts_layer = layer == FACTS_LAYER and not weighted and seed == FACTS_SEED
    if the_facts_layer and facts is None:
        facts = network_facts(dataset, graph=G)

    step("mixing")
    table = mixing_table(G)
    bridges_frame = (facts.missing_bridges if the_facts_layer else
                     missing_bridges(table, threshold=GAP_THRESHOLD,
                                     min_expected=MIN_EXPECTED_TIES))
    by_country = ei_by_group(G, weight=weight)
    step("permutation test")
    test = ei_permutation_test(G, n_permutations=permutations, seed=seed, weight=weight)

    step("coverage")
    coverage = {}
    coverage_gap_frames = []
    for kind in ITEM_KINDS:
        cov = coverage_table(G, kind)
        coverage[kind] = coverage_dict(cov)
        coverage_gap_frames.append(coverage_gaps(G, kind, table=cov))

    step("brokers")
    central = centrality_table(G, weight=weight, seed=seed)
    roles = brokerage_roles(G)
    step("cut points")
    cuts = cut_points(G)
    bridge_list = bridges(G)

    step("communities")
    comm = facts.communities if the_facts_layer else detect_communities(G, weight=weight, seed=seed)
    comps = components_summary(G)

    step("cohorts")
    cohorts = cohort_effect(dataset, graphs["collaborated"])

    step("gaps")
    gaps = bridge_gaps(bridges_frame, graphs["met"], dataset)
    gaps += structure_gaps(cuts, G)
    for frame in coverage_gap_frames:
        gaps += _coverage_gap_records(frame)
    gaps.sort(key=lambda g: (-g["severity"], g["kind"], g["country"] or "", str(g["item"] or ""),
                             g["pair"] or []))

    brokers = []
    for org, row in central.sort_values(
        ["betweenness", "degree"], ascending=[False, False], kind="stable"
    ).iterrows():
        data = G.nodes[org]
        brokers.append({
            "org_id": org,
            "name": data.get("name"),
            "country": data.get("country"),
            "degree": int(row["degree"]),
            "weighted_degree": _none_if_nan(float(row["weighted_degree"])),
            "betweenness": _none_if_nan(float(row["betweenness"])),
            "eigenvector": _none_if_nan(float(row["eigenvector"])),
            "constraint": _none_if_nan(float(row["constraint"])),
            "effective_size": _none_if_nan(float(row["effective_size"])),
            "community": comm.partition.get(org),
            "brokerage": {k: int(v) for k, v in roles.loc[org].items()},
        })

    return {
        "meta": {
            "layer": layer,
            "weighted": weighted,
            "permutations": permutations,
            "seed": seed,
            "betweenness_sources": central.attrs.get("betweenness_sources"),
            "organizations": G.number_of_nodes(),
            "ties": G.number_of_edges(),
        },
        "summary": {
            "ei_index": test.observed,
            "ei_expected": test.expected,
            "ei_p_value": test.p_value,
            "cross_border_share": cross_border_share(G, weight=weight),
            "country_assortativity": country_assortativity(G),
            "components": comps["components"],
            "isolates": len(comps["isolates"]),
            "modularity": comm.modularity,
            "community_country_nmi": comm.nmi_country,
        },
        "ei_by_country": _records(by_country),
        "country_pairs": _records(table[["a", "b", "observed", "expected", "ratio"]]),
        "missing_bridges": _records(bridges_frame),
        "coverage": coverage,
        "gaps": gaps,
        "brokers": brokers,
        "cut_points": [
            {"org_id": r.org_id, "cut_off": int(r.cut_off), "countries": sorted(r.countries),
             "country_counts": dict(r.countries)}
            for r in cuts.itertuples(index=False)
        ],
        "bridges": [list(e) for e in bridge_list],
        "communities": _community_records(comm),
        "cohorts": _records(cohorts),
    }


def select_gaps(
    gaps: list[dict[str, Any]],
    *,
    countries: list[str] | None = None,
    items: list[str] | None = None,
    kinds: list[str] | None = None,
) -> list[dict[str, Any]]:
    """Keep the gaps that concern any of ``countries`` / ``items`` / ``kinds`` (None = all).

    A gap concerns a country when it is the gap's country or one end of its pair.

    Examples
    --------
    >>> gaps = [{"kind": "missing_bridge", "country": None, "pair": ["ME", "MK"], "item": None},
    ...         {"kind": "fragile_field", "country": "BA", "pair": None, "item": "law"}]
    >>> [g["kind"] for g in select_gaps(gaps, countries=["MK"])]
    ['missing_bridge']
    >>> [g["kind"] for g in select_gaps(gaps, items=["law"])]
    ['fragile_field']
    """
    out = []
    for gap in gaps:
        if countries:
            involved = {gap.get("country"), *(gap.get("pair") or [])}
            if not involved & set(countries):
                continue
        if items and str(gap.get("item")) not in {str(i) for i in items}:
            continue
        if kinds and gap["kind"] not in kinds:
            continue
        out.append(gap)
    return out
