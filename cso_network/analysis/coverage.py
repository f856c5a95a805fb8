"""Thematic and risk-factor coverage: who works on what, where, and whether it is linked.

For each kind of item (fields of work, practices, UN risk factors 1-14) this
module counts, per country, the organizations that cover each item and how
many of them have a tie to an organization in another country that covers the
same item. From that table it lists the gaps a PCRC planner acts on:

``uncovered_<kind>``
    No organization in a country works on the item.
``fragile_<kind>``
    Exactly one organization in a country works on the item: if it stops,
    the item is uncovered there.
``unlinked_<kind>``
    The item is covered in two countries of the region, but no tie links an
    organization of one to an organization of the other that both work on it.

``<kind>`` is singular in gap kinds: ``field``, ``practice``, ``risk_factor``.

All functions are pure: a graph (any layer: ``met``, ``collaborated`` or
``combined``) in, pandas frames out. Organization attributes (``country``,
``name``, ``fields``, ``practices``, ``risk_factors``) are read from the node
data, as :mod:`cso_network.network.layers` sets them. The work over ties is done with
pandas merges, so it stays fast at tens of thousands of ties.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd

from cso_network import vocab
from cso_network.core.exceptions import CsoNetworkError
from cso_network.core.messages import Cap, country_with_code, msg, nmsg, term

__all__ = [
    "ITEM_KINDS",
    "GAP_SEVERITY",
    "coverage_table",
    "coverage_matrix",
    "coverage_dict",
    "coverage_gaps",
]

#: The three kinds of items an organization covers (node attribute names).
ITEM_KINDS: tuple[str, ...] = ("fields", "practices", "risk_factors")

#: Base severity of each gap type; ``unlinked`` adds the share of the two
#: countries' organizations that work on the item (so it lies in [1, 2]).
GAP_SEVERITY: dict[str, float] = {"uncovered": 3.0, "fragile": 2.0, "unlinked": 1.0}

_SINGULAR = {"fields": "field", "practices": "practice", "risk_factors": "risk_factor"}

TABLE_COLUMNS = ["country", "item", "organizations", "org_ids", "linked_orgs"]
GAP_COLUMNS = ["kind", "country", "item", "pair", "organizations", "detail", "severity"]


# --------------------------------------------------------------------------- helpers


def _check_kind(kind: str) -> None:
    if kind not in ITEM_KINDS:
        raise CsoNetworkError(
            f"unknown item kind {kind!r}; choose one of: {', '.join(ITEM_KINDS)}"
        )


def _vocabulary(kind: str) -> list:
    """The programme's items of ``kind``, in display order."""
    if kind == "fields":
        return list(vocab.FIELDS)
    if kind == "practices":
        return list(vocab.PRACTICES)
    return sorted(vocab.RISK_FACTORS)


def _item_label(kind: str, item) -> Any:
    """How an item is named in a sentence: ``"social work"``, ``"risk factor 14 (...)"``."""
    if kind == "risk_factors":
        if item in vocab.RISK_FACTORS:
            return msg("risk factor {number} ({title})", number=item,
                       title=term("risk_factor", item))
        return msg("risk factor {number}", number=item)
    return term("field" if kind == "fields" else "practice", item)


def _nodes(G: nx.Graph, kind: str) -> pd.DataFrame:
    """One row per organization with a country: ``org_id``, ``country``, ``name``, ``items``."""
    rows = [
        (n, d.get("country"), d.get("name"), tuple(d.get(kind) or ()))
        for n, d in G.nodes(data=True)
    ]
    frame = pd.DataFrame(rows, columns=["org_id", "country", "name", "items"], dtype=object)
    return frame[frame["country"].notna()].reset_index(drop=True)


def _holdings(nodes: pd.DataFrame) -> pd.DataFrame:
    """Long form ``org_id``, ``country``, ``item``: one row per organization and item."""
    out = nodes[["org_id", "country", "items"]].explode("items").rename(columns={"items": "item"})
    out = out[out["item"].notna()].drop_duplicates(["org_id", "item"])
    return out.reset_index(drop=True)


def _edges(G: nx.Graph) -> pd.DataFrame:
    """Ties as ``u``, ``v`` (each listed once, self-loops dropped)."""
    frame = pd.DataFrame(list(G.edges()), columns=["u", "v"], dtype=object)
    return frame[frame["u"] != frame["v"]].reset_index(drop=True)


def _cross_links(holdings: pd.DataFrame, edges: pd.DataFrame) -> pd.DataFrame:
    """Ties between organizations of different countries that share an item.

    Returns both orientations: columns ``u``, ``v``, ``item``, ``cu``, ``cv``.
    """
    both = pd.concat(
        [edges, edges.rename(columns={"u": "v", "v": "u"})], ignore_index=True
    )
    h = holdings.rename(columns={"org_id": "u", "country": "cu"})
    out = both.merge(h, on="u").merge(
        holdings.rename(columns={"org_id": "v", "country": "cv"}), on=["v", "item"]
    )
    return out[out["cu"] != out["cv"]].reset_index(drop=True)


def _items_in_order(kind: str, found: Iterable) -> list:
    """Vocabulary items, then the other values found in the data (sorted)."""
    items = _vocabulary(kind)
    known = set(items)
    extra = {x for x in found if x not in known}
    return items + sorted(extra, key=lambda x: (type(x).__name__, x))


# --------------------------------------------------------------------------- public API


def coverage_table(G: nx.Graph, kind: str) -> pd.DataFrame:
    """Count, per country and item, the organizations covering it and how many are linked abroad.

    Parameters
    ----------
    G : networkx.Graph
        An organization graph of any layer; nodes carry ``country`` and the
        ``kind`` attribute (a tuple of items).
    kind : {"fields", "practices", "risk_factors"}
        Which items to count.

    Returns
    -------
    pandas.DataFrame
        Long form, one row per (country, item), zero cells kept:

        ``country``
            ISO code; every country present among the nodes, region countries
            first (:data:`cso_network.vocab.REGION` order), then the others
            alphabetically.
        ``item``
            Every item of the vocabulary (:data:`~cso_network.vocab.FIELDS`,
            :data:`~cso_network.vocab.PRACTICES`, or the risk factors 1-14 as
            ``int``), in vocabulary order, then values found in the data that
            are not in the vocabulary (sorted).
        ``organizations``
            Number of organizations of the country that cover the item.
        ``org_ids``
            Their ids, as a sorted tuple.
        ``linked_orgs``
            How many of them have at least one tie in ``G`` to an organization
            of another country that covers the same item.

    Raises
    ------
    CsoNetworkError
        ``kind`` is not one of :data:`ITEM_KINDS`.

    Notes
    -----
    Nodes without a country are left out (they cannot be placed in a row, and
    their ties do not count as crossing a border). Items are counted, not
    weighted: an organization covering three fields counts once in each.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.Graph()
    >>> G.add_node("a", country="ME", risk_factors=(1, 2))
    >>> G.add_node("b", country="MK", risk_factors=(1,))
    >>> G.add_node("c", country="MK", risk_factors=(2,))
    >>> G.add_edge("a", "b")
    >>> t = coverage_table(G, "risk_factors")
    >>> t[t["item"] <= 2][["country", "item", "organizations", "linked_orgs"]].values.tolist()
    [['ME', 1, 1, 1], ['ME', 2, 1, 0], ['MK', 1, 1, 1], ['MK', 2, 1, 0]]
    >>> t.loc[(t["country"] == "MK") & (t["item"] == 2), "org_ids"].item()
    ('c',)
    """
    _check_kind(kind)
    nodes = _nodes(G, kind)
    holdings = _holdings(nodes)
    countries = vocab.sort_countries(nodes["country"].unique())
    items = _items_in_order(kind, holdings["item"].unique())
    if not countries:
        return pd.DataFrame({c: pd.Series([], dtype=object) for c in TABLE_COLUMNS}).astype(
            {"organizations": int, "linked_orgs": int}
        )

    grouped = holdings.sort_values("org_id", kind="stable").groupby(["country", "item"])["org_id"]
    org_ids = grouped.agg(tuple)
    links = _cross_links(holdings, _edges(G))
    linked = links.drop_duplicates(["u", "item"]).groupby(["cu", "item"]).size()
    linked.index = linked.index.set_names(["country", "item"])

    grid = pd.MultiIndex.from_product([countries, items], names=["country", "item"])
    # reindexing on a mixed (int/str) MultiIndex is fragile: map through tuple keys instead
    ids_map = dict(zip(org_ids.index, org_ids.to_numpy(), strict=True))
    linked_map = dict(zip(linked.index, linked.to_numpy(), strict=True))
    keys = list(grid)
    ids_col = [ids_map.get(k, ()) for k in keys]
    table = pd.DataFrame({
        "country": [k[0] for k in keys],
        "item": pd.Series([k[1] for k in keys], dtype=object),
        "organizations": np.fromiter((len(x) for x in ids_col), dtype=np.int64, count=len(keys)),
        "org_ids": pd.Series(ids_col, dtype=object),
        "linked_orgs": np.fromiter(
            (int(linked_map.get(k, 0)) for k in keys), dtype=np.int64, count=len(keys)
        ),
    })
    table.attrs["kind"] = kind
    return table


def coverage_matrix(table: pd.DataFrame) -> pd.DataFrame:
    """Pivot a :func:`coverage_table` to country x item counts (for heatmaps).

    Parameters
    ----------
    table : pandas.DataFrame
        As returned by :func:`coverage_table`.

    Returns
    -------
    pandas.DataFrame
        Index ``country`` and columns ``item``, both in the table's order;
        values are ``organizations`` (int).

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.Graph()
    >>> G.add_node("a", country="RS", fields=("law",))
    >>> G.add_node("b", country="BA", fields=("law", "social work"))
    >>> m = coverage_matrix(coverage_table(G, "fields"))
    >>> m.index.tolist(), m.columns.tolist()[:3]
    (['BA', 'RS'], ['human rights', 'social work', 'law'])
    >>> m["social work"].tolist(), m["law"].tolist()
    ([1, 0], [1, 1])
    """
    countries = list(dict.fromkeys(table["country"]))
    items = list(dict.fromkeys(table["item"]))
    if not countries:
        return pd.DataFrame(
            index=pd.Index([], name="country"), columns=pd.Index([], name="item"), dtype=int
        )
    values = table["organizations"].to_numpy(dtype=np.int64).reshape(len(countries), len(items))
    return pd.DataFrame(
        values, index=pd.Index(countries, name="country"), columns=pd.Index(items, name="item")
    )


def coverage_dict(table: pd.DataFrame) -> dict[str, dict[str, int]]:
    """Return a :func:`coverage_table` as ``{country: {item: organizations}}`` (JSON-ready).

    Items are ``str`` keys (risk factors ``"1"`` to ``"14"``), in the table's order.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.Graph()
    >>> G.add_node("a", country="XK", risk_factors=(14,))
    >>> d = coverage_dict(coverage_table(G, "risk_factors"))
    >>> d["XK"]["14"], d["XK"]["1"]
    (1, 0)
    """
    out: dict[str, dict[str, int]] = {}
    for country, item, n in table[["country", "item", "organizations"]].itertuples(
        index=False, name=None
    ):
        out.setdefault(str(country), {})[str(item)] = int(n)
    return out


def coverage_gaps(
    G: nx.Graph, kind: str, table: pd.DataFrame | None = None, *, min_orgs: int = 3
) -> pd.DataFrame:
    """List uncovered, fragile and unlinked items, in plain language, worst first.

    Parameters
    ----------
    G : networkx.Graph
        An organization graph of any layer (see :func:`coverage_table`).
    kind : {"fields", "practices", "risk_factors"}
        Which items to examine.
    table : pandas.DataFrame, optional
        ``coverage_table(G, kind)``, if already computed.
    min_orgs : int, default 3
        Only countries with at least this many organizations are judged: a
        country with two organizations cannot be expected to cover 14 risk
        factors, and every item it covers would look fragile.

    Returns
    -------
    pandas.DataFrame
        Columns:

        ``kind``
            ``"uncovered_<k>"``, ``"fragile_<k>"`` or ``"unlinked_<k>"`` with
            ``<k>`` = ``field``, ``practice`` or ``risk_factor``.
        ``country``
            ISO code; for ``unlinked`` gaps the first country of ``pair``.
        ``item``
            The field or practice (``str``) or risk factor (``int``).
        ``pair``
            For ``unlinked`` gaps the two countries ``(A, B)`` in region
            order; ``None`` otherwise.
        ``organizations``
            Ids of the organizations involved (sorted tuple): none for
            ``uncovered``, the single one for ``fragile``, those of both
            countries that cover the item for ``unlinked``.
        ``detail``
            One sentence for a planner.
        ``severity``
            Higher is worse (see Notes).

        Sorted by severity (descending), then country (region order), item
        (vocabulary order) and pair.

    Notes
    -----
    Severity scale (see :data:`GAP_SEVERITY`):

    - ``uncovered`` = 3: nobody in the country works on the item;
    - ``fragile`` = 2: one organization carries the item alone;
    - ``unlinked`` = 1 + share, where share (0 to 1) is the fraction of the
      two countries' organizations that cover the item, so a theme widely
      worked on in both countries yet never linked ranks first among them.

    Uncovered and fragile gaps are judged in every country with at least
    ``min_orgs`` organizations; unlinked gaps only between countries of the
    programme's region (:data:`cso_network.vocab.REGION`) that both have at
    least ``min_orgs`` organizations. Only vocabulary items are judged:
    values outside the programme's vocabulary appear in
    :func:`coverage_table` but are not reported as gaps. A tie of any kind in
    ``G`` links two organizations, so the result depends on the layer.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.Graph()
    >>> for n, c, f in [("a", "ME", ("law",)), ("b", "ME", ("law",)), ("c", "ME", ("law",)),
    ...                 ("d", "MK", ("law", "peacebuilding")), ("e", "MK", ("law",)),
    ...                 ("f", "MK", ("law",))]:
    ...     G.add_node(n, country=c, name=n.upper(), fields=f)
    >>> gaps = coverage_gaps(G, "fields")
    >>> gaps[["kind", "country", "item"]].values.tolist()[:3]
    [['uncovered_field', 'ME', 'human rights'], ['uncovered_field', 'ME', 'social work'], ['uncovered_field', 'ME', 'peacebuilding']]
    >>> gaps[gaps["kind"] == "fragile_field"]["detail"].item()
    'Only one organization in North Macedonia (MK) works on peacebuilding: d D.'
    >>> row = gaps[gaps["kind"] == "unlinked_field"].iloc[0]
    >>> row["pair"], float(row["severity"])
    (('ME', 'MK'), 2.0)
    >>> row["detail"]
    'Law is covered in ME (3 organizations) and MK (3) but no ME-MK tie links organizations working on it.'
    """
    _check_kind(kind)
    if table is None:
        table = coverage_table(G, kind)
    single = _SINGULAR[kind]
    nodes = _nodes(G, kind)
    size = nodes["country"].value_counts()
    names = dict(zip(nodes["org_id"], nodes["name"], strict=True))
    countries = [c for c in dict.fromkeys(table["country"]) if size.get(c, 0) >= min_orgs]
    vocabulary = _vocabulary(kind)
    item_rank = {x: i for i, x in enumerate(vocabulary)}
    country_rank = {c: i for i, c in enumerate(vocab.sort_countries(table["country"].unique()))}

    judged = table[table["country"].isin(countries) & table["item"].isin(list(item_rank))]
    rows: list[dict] = []

    for country, item in judged.loc[judged["organizations"] == 0, ["country", "item"]].itertuples(
        index=False, name=None
    ):
        where = {"country": country_with_code(country), "item": _item_label(kind, item)}
        rows.append({
            "kind": f"uncovered_{single}", "country": country, "item": item, "pair": None,
            "organizations": (),
            "detail": (msg("No organization in {country} covers {item}.", **where)
                       if kind == "risk_factors" else
                       msg("No organization in {country} works on {item}.", **where)),
            "severity": GAP_SEVERITY["uncovered"],
        })

    for country, item, ids in judged.loc[
        judged["organizations"] == 1, ["country", "item", "org_ids"]
    ].itertuples(index=False, name=None):
        org = ids[0]
        name = names.get(org)
        who = f"{org} {name}" if name else str(org)
        where = {"country": country_with_code(country), "item": _item_label(kind, item), "who": who}
        rows.append({
            "kind": f"fragile_{single}", "country": country, "item": item, "pair": None,
            "organizations": tuple(ids),
            "detail": (msg("Only one organization in {country} covers {item}: {who}.", **where)
                       if kind == "risk_factors" else
                       msg("Only one organization in {country} works on {item}: {who}.", **where)),
            "severity": GAP_SEVERITY["fragile"],
        })

    rows.extend(_unlinked(G, kind, nodes, judged, countries, size))

    if not rows:
        return pd.DataFrame({c: pd.Series([], dtype=object) for c in GAP_COLUMNS}).astype(
            {"severity": float}
        )
    gaps = pd.DataFrame(rows, columns=GAP_COLUMNS)
    gaps["item"] = gaps["item"].astype(object)
    gaps["severity"] = gaps["severity"].astype(float)
    order = pd.DataFrame({
        "s": -gaps["severity"].round(12),
        "c": gaps["country"].map(country_rank),
        "i": gaps["item"].map(item_rank),
        "p": gaps["pair"].map(lambda p: country_rank.get(p[1], -1) if p else -1),
    }).sort_values(["s", "c", "i", "p"], kind="stable").index
    return gaps.loc[order].reset_index(drop=True)


def _unlinked(
    G: nx.Graph,
    kind: str,
    nodes: pd.DataFrame,
    judged: pd.DataFrame,
    countries: list[str],
    size: pd.Series,
) -> list[dict]:
    """Rows of ``unlinked_<kind>`` gaps (see :func:`coverage_gaps`)."""
    region = [c for c in countries if c in vocab.REGION]
    covered = judged[judged["country"].isin(region) & (judged["organizations"] > 0)]
    if covered.empty:
        return []
    rank = {c: i for i, c in enumerate(vocab.REGION)}
    covered = covered.assign(rank=covered["country"].map(rank))
    cand = covered.merge(covered, on="item", suffixes=("_a", "_b"))
    cand = cand[cand["rank_a"] < cand["rank_b"]]
    if cand.empty:
        return []

    holdings = _holdings(nodes[nodes["country"].isin(region)])
    links = _cross_links(holdings, _edges(G))
    links = links.assign(ra=links["cu"].map(rank), rb=links["cv"].map(rank))
    links = links[links["ra"] < links["rb"]]
    linked = set(zip(links["item"], links["cu"], links["cv"], strict=True))

    single = _SINGULAR[kind]
    rows: list[dict] = []
    for item, a, b, na, nb, ids_a, ids_b in cand[
        ["item", "country_a", "country_b", "organizations_a", "organizations_b",
         "org_ids_a", "org_ids_b"]
    ].itertuples(index=False, name=None):
        if (item, a, b) in linked:
            continue
        share = (na + nb) / (int(size[a]) + int(size[b]))
        rows.append({
            "kind": f"unlinked_{single}", "country": a, "item": item, "pair": (a, b),
            "organizations": tuple(sorted((*ids_a, *ids_b))),
            "detail": nmsg("{item} is covered in {a} ({n} organization) and {b} ({nb}) but no "
                           "{a}-{b} tie links organizations working on it.",
                           "{item} is covered in {a} ({n} organizations) and {b} ({nb}) but no "
                           "{a}-{b} tie links organizations working on it.",
                           int(na), item=Cap(_item_label(kind, item)), a=a, b=b, nb=int(nb)),
            "severity": GAP_SEVERITY["unlinked"] + share,
        })
    return rows
