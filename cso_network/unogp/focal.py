"""Focal points for UNOGP: the few organizations that together reach every cell of the region.

A *cell* is a (country, risk factor) or (country, field) pair that at least one
organization covers: an organization covers ``(c, x)`` when its country is
``c`` and it lists ``x`` among its UN risk factors (1-14) or fields of work.
UNOGP wants a small set of contact organizations - focal points - so that every
covered cell has one of them, preferring organizations it already knows, that
reach far in the collaboration network and that agreed to be contacted.

- :func:`coverage_cells`: the cells x organizations incidence matrix;
- :func:`org_priority`: a preference weight in [0, 1] per organization;
- :func:`focal_points`: greedy weighted maximum coverage (all cells, or a fixed
  number ``k`` of organizations);
- :func:`missing_contacts`: organizations that cover a risk factor or a country
  where UNOGP has no engaged organization at all.

Organization attributes are read from the node data as
:mod:`cso_network.network.layers` sets them (``name``, ``country``, ``fields``,
``risk_factors``, ``engagements``); any layer works, the combined one is the
usual choice. All functions are pure. The greedy loop updates the gains of the
organizations touched by the newly covered cells only (sparse rows of the
incidence matrix), so its total work grows with the number of (organization,
cell) memberships, plus one ``argmax`` over the organizations per pick.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import networkx as nx
import numpy as np
import pandas as pd
import scipy.sparse as sp

from cso_network import vocab
from cso_network.core.exceptions import CsoNetworkError
from cso_network.core.messages import Message, Seq, country_with_code, join, msg, nmsg, term
from cso_network.core.model import Dataset
from cso_network.core.text import fold

__all__ = [
    "DEFAULT_PRIORITY_WEIGHTS",
    "DEFAULT_TIE_WEIGHT",
    "CellMatrix",
    "FocalResult",
    "cell_label",
    "coverage_cells",
    "org_priority",
    "focal_points",
    "missing_contacts",
]

#: Default weights of the parts of :func:`org_priority` (they are divided by their sum).
DEFAULT_PRIORITY_WEIGHTS: dict[str, float] = {
    "engaged": 0.4,
    "betweenness": 0.2,
    "cross_border": 0.2,
    "consent": 0.2,
}

#: How much priority may weigh against coverage in :func:`focal_points`: an
#: organization of priority 1 beats one of priority 0 when it brings at least
#: ``1 / (1 + 0.1)`` (about 91%) as many new cells.
DEFAULT_TIE_WEIGHT = 0.1

#: Cell kinds, in display order within a country.
CELL_KINDS: tuple[str, ...] = ("risk_factor", "field")

_ORG_COLUMNS = ["org_id", "name", "country", "new_cells", "priority", "engaged", "consent",
                "order", "cells"]
_MISSING_COLUMNS = ["org_id", "name", "country", "covers", "reason"]


# --------------------------------------------------------------------------- helpers


def _node_order(nodes: Iterable[Hashable]) -> list[Hashable]:
    """Nodes sorted by id (natural order; by text when ids of mixed types do not compare)."""
    nodes = list(nodes)
    try:
        return sorted(nodes)
    except TypeError:
        return sorted(nodes, key=str)


def _item_key(kind: str, item: Any) -> tuple:
    """Risk factors by number; fields in vocabulary order, unknown fields after, by text."""
    if kind == "risk_factor":
        return (0, item, "") if isinstance(item, int | np.integer) else (1, 0, str(item))
    if item in vocab.FIELDS:
        return (0, vocab.FIELDS.index(item), "")
    return (1, 0, fold(str(item)))


def _cell_key(cell: tuple[Any, str, Any]) -> tuple:
    country, kind, item = cell
    return (vocab.country_sort_key(country), CELL_KINDS.index(kind), _item_key(kind, item))


def _engaged_flags(G: nx.Graph, nodes: list[Hashable]) -> np.ndarray:
    """Node attribute ``engagements`` > 0, in ``nodes`` order."""
    return np.array([(G.nodes[v].get("engagements") or 0) > 0 for v in nodes], dtype=bool)


def _consent_flags(dataset: Dataset | None, nodes: list[Hashable]) -> np.ndarray:
    """True where at least one participant of the organization has ``consent_contact`` True."""
    if dataset is None or dataset.participants.empty:
        return np.zeros(len(nodes), dtype=bool)
    people = dataset.participants
    agreed = set(people.loc[people["consent_contact"].map(lambda x: x is True), "org_id"])
    return np.array([v in agreed for v in nodes], dtype=bool)


def _check_weights(weights: Mapping[str, float] | None) -> dict[str, float]:
    merged = dict(DEFAULT_PRIORITY_WEIGHTS)
    if weights:
        unknown = sorted(set(weights) - set(merged))
        if unknown:
            raise CsoNetworkError(
                f"unknown priority weight(s) {', '.join(map(repr, unknown))}; "
                f"choose from: {', '.join(merged)}"
            )
        merged.update({k: float(v) for k, v in weights.items()})
    bad = [k for k, v in merged.items() if not (v >= 0 and math.isfinite(v))]
    if bad:
        raise CsoNetworkError(
            f"priority weights must be finite and >= 0; got {', '.join(f'{k}={merged[k]}' for k in bad)}"
        )
    return merged


def _scaled(values: np.ndarray) -> np.ndarray:
    """Divide by the maximum (all zeros stay zeros)."""
    top = float(values.max()) if values.size else 0.0
    return values / top if top > 0 else np.zeros_like(values, dtype=float)


# --------------------------------------------------------------------------- cells


class CellMatrix(NamedTuple):
    """The result of :func:`coverage_cells` (unpacks as ``matrix, cells, orgs``).

    Attributes
    ----------
    matrix : scipy.sparse.csr_array
        ``matrix[i, j] = 1`` when organization ``orgs[j]`` covers ``cells[i]``
        (int8, cells x organizations).
    cells : list of tuple
        ``(country, "risk_factor", number)`` or ``(country, "field", label)``,
        by country (region order), risk factors before fields, then item.
    orgs : list
        Organization ids, the columns, sorted by id.
    """

    matrix: sp.csr_array
    cells: list[tuple[Any, str, Any]]
    orgs: list[Hashable]


def cell_label(cell: tuple[Any, str, Any]) -> str:
    """A short readable name of a cell.

    Examples
    --------
    >>> cell_label(("XK", "risk_factor", 9))
    'XK: risk factor 9'
    >>> cell_label(("ME", "field", "social work"))
    'ME: social work'
    """
    country, kind, item = cell
    return f"{country}: risk factor {item}" if kind == "risk_factor" else f"{country}: {item}"


def coverage_cells(G: nx.Graph) -> CellMatrix:
    """The cells x organizations incidence matrix of (country, risk factor/field) cells.

    Parameters
    ----------
    G : networkx.Graph
        Organizations as nodes with ``country``, ``risk_factors`` and ``fields``.

    Returns
    -------
    CellMatrix
        ``(matrix, cells, orgs)``: see :class:`CellMatrix`. Only cells that at
        least one organization covers are rows; every node is a column
        (organizations without a country or items have empty columns).

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.Graph()
    >>> G.add_node("A", country="BA", risk_factors=(1, 9), fields=("law",))
    >>> G.add_node("B", country="ME", risk_factors=(9,), fields=())
    >>> m, cells, orgs = coverage_cells(G)
    >>> cells
    [('BA', 'risk_factor', 1), ('BA', 'risk_factor', 9), ('BA', 'field', 'law'), ('ME', 'risk_factor', 9)]
    >>> orgs
    ['A', 'B']
    >>> m.toarray().tolist()
    [[1, 0], [1, 0], [1, 0], [0, 1]]
    """
    orgs = _node_order(G.nodes)
    pairs: list[tuple[tuple[Any, str, Any], int]] = []
    for j, v in enumerate(orgs):
        data = G.nodes[v]
        country = data.get("country")
        if country is None or (isinstance(country, float) and math.isnan(country)):
            continue
        for rf in dict.fromkeys(data.get("risk_factors") or ()):
            pairs.append(((country, "risk_factor", rf), j))
        for f in dict.fromkeys(data.get("fields") or ()):
            pairs.append(((country, "field", f), j))
    cells = sorted({c for c, _ in pairs}, key=_cell_key)
    row_of = {c: i for i, c in enumerate(cells)}
    rows = np.fromiter((row_of[c] for c, _ in pairs), dtype=np.int64, count=len(pairs))
    cols = np.fromiter((j for _, j in pairs), dtype=np.int64, count=len(pairs))
    matrix = sp.csr_array(
        (np.ones(len(pairs), dtype=np.int8), (rows, cols)), shape=(len(cells), len(orgs))
    )
    matrix.sum_duplicates()
    matrix.sort_indices()
    return CellMatrix(matrix, cells, orgs)


# --------------------------------------------------------------------------- priority


def org_priority(
    G: nx.Graph,
    dataset: Dataset | None = None,
    *,
    betweenness: pd.Series | None = None,
    weights: Mapping[str, float] | None = None,
) -> pd.Series:
    """How much UNOGP should prefer each organization as a contact, in [0, 1].

    Parameters
    ----------
    G : networkx.Graph
        Any layer; the combined layer's ``collaborated`` flag selects the
        collaboration ties (on a layer without the flag every tie counts,
        except on the ``met`` layer, ``G.graph["layer"] == "met"``). Node attribute ``engagements`` counts UNOGP contacts.
    dataset : Dataset or None
        Source of contact consent (``participants.consent_contact``); None
        means no organization has given consent.
    betweenness : pandas.Series or None
        Betweenness on the collaboration layer by org id (e.g. the
        ``betweenness`` column of
        :func:`cso_network.analysis.brokerage.centrality_table`), to reuse a
        computed value. None computes it with
        :func:`cso_network.analysis.brokerage.betweenness` on the collaboration
        ties (exact up to 3,000 organizations, else 1,024 seeded sample sources).
    weights : mapping or None
        Overrides of :data:`DEFAULT_PRIORITY_WEIGHTS` (keys ``engaged``,
        ``betweenness``, ``cross_border``, ``consent``; others keep their
        default; 0 switches a part off).

    Returns
    -------
    pandas.Series
        ``priority`` indexed by org id, sorted by id.

    Notes
    -----
    .. math::

        p = \\frac{w_e E + w_b B / \\max B + w_x X / \\max X + w_c C}{w_e + w_b + w_x + w_c}

    with ``E`` = 1 when the organization has UNOGP engagements (``engagements``
    > 0), ``B`` its normalized betweenness on the collaboration layer, ``X``
    its number of collaboration partners in another country, ``C`` = 1 when at
    least one of its participants agreed to be contacted; the maxima are over
    all organizations (a part whose maximum is 0 contributes 0). Defaults:
    ``w_e = 0.4`` (history with UNOGP matters most), ``w_b = w_x = 0.2``
    (reach: brokers and cross-border hubs can pass messages on), ``w_c = 0.2``
    (a consenting contact can actually be called). All weights 0 give 0.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.Graph(layer="collaborated")
    >>> G.add_node("A", country="BA", engagements=1)
    >>> G.add_node("B", country="ME", engagements=0)
    >>> G.add_node("C", country="BA", engagements=0)
    >>> G.add_edges_from([("A", "B"), ("B", "C")])
    >>> org_priority(G).round(2).to_dict()
    {'A': 0.5, 'B': 0.4, 'C': 0.1}
    """
    w = _check_weights(weights)
    nodes = _node_order(G.nodes)
    n = len(nodes)
    index = pd.Index(nodes, dtype=object, name="org_id")
    total = sum(w.values())
    if n == 0 or total == 0:
        return pd.Series(np.zeros(n), index=index, name="priority", dtype=float)

    collab_edges = [
        (u, v)
        for u, v, c in G.edges(data="collaborated", default=G.graph.get("layer") != "met")
        if c and u != v
    ]
    score = w["engaged"] * _engaged_flags(G, nodes).astype(float)
    score += w["consent"] * _consent_flags(dataset, nodes).astype(float)

    if w["betweenness"] > 0:
        if betweenness is None:
            from cso_network.analysis.brokerage import auto_sources
            from cso_network.analysis.brokerage import betweenness as _betweenness

            H = nx.Graph()
            H.add_nodes_from(nodes)
            H.add_edges_from(collab_edges)
            values = _betweenness(H, sources=auto_sources(n), seed=0)
        else:
            values = pd.Series(betweenness, dtype=float)
        b = values.reindex(index).fillna(0.0).clip(lower=0.0).to_numpy(dtype=float)
        score += w["betweenness"] * _scaled(b)

    if w["cross_border"] > 0:
        pos = {v: i for i, v in enumerate(nodes)}
        country = [G.nodes[v].get("country") for v in nodes]
        cross = np.zeros(n)
        for u, v in collab_edges:
            cu, cv = country[pos[u]], country[pos[v]]
            if cu is not None and cv is not None and cu != cv:
                cross[pos[u]] += 1
                cross[pos[v]] += 1
        score += w["cross_border"] * _scaled(cross)

    return pd.Series(np.clip(score / total, 0.0, 1.0), index=index, name="priority", dtype=float)


# --------------------------------------------------------------------------- focal points


@dataclass
class FocalResult:
    """The focal-point set chosen by :func:`focal_points`.

    Attributes
    ----------
    orgs : pandas.DataFrame
        One row per chosen organization, in the order picked: ``org_id``,
        ``name``, ``country``, ``new_cells`` (int: cells it added when picked),
        ``priority`` (float), ``engaged`` (bool: has UNOGP engagements),
        ``consent`` (bool: a participant agreed to be contacted), ``order``
        (1, 2, ...), ``cells`` (list of the cells it added).
    covered : int
        Cells covered by the chosen organizations.
    total : int
        Cells that any organization covers.
    coverage : float
        ``covered / total`` (1.0 when there is no cell).
    uncovered_cells : list of tuple
        Cells left uncovered (only with a fixed ``k``), in cell order.
    """

    orgs: pd.DataFrame
    covered: int
    total: int
    coverage: float
    uncovered_cells: list[tuple[Any, str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (``cso-network focal-points --json``): cells as labels."""
        orgs = []
        for row in self.orgs.to_dict("records"):
            row = dict(row)
            row["cells"] = [cell_label(c) for c in row.get("cells", [])]
            row["new_cells"] = int(row["new_cells"])
            row["order"] = int(row["order"])
            row["engaged"] = bool(row["engaged"])
            row["consent"] = bool(row["consent"])
            row["priority"] = float(row["priority"])
            orgs.append(row)
        return {
            "k": len(orgs),
            "covered": int(self.covered),
            "total": int(self.total),
            "coverage": float(self.coverage),
            "orgs": orgs,
            "uncovered_cells": [cell_label(c) for c in self.uncovered_cells],
        }


def focal_points(
    G: nx.Graph,
    dataset: Dataset | None = None,
    *,
    k: int | None = None,
    weights: Mapping[str, float] | None = None,
    betweenness: pd.Series | None = None,
    priority: pd.Series | None = None,
    tie_weight: float = DEFAULT_TIE_WEIGHT,
) -> FocalResult:
    """A small set of organizations that together cover every (country, item) cell.

    Parameters
    ----------
    G : networkx.Graph
        Organizations (any layer, see :func:`coverage_cells` and
        :func:`org_priority`).
    dataset : Dataset or None
        For contact consent (see :func:`org_priority`).
    k : int or None
        None: keep picking until every coverable cell is covered (the smallest
        set the greedy finds). An int: pick at most ``k`` organizations and
        report the coverage reached (fewer when all cells are covered sooner).
    weights, betweenness : optional
        Passed to :func:`org_priority`.
    priority : pandas.Series or None
        A precomputed priority in [0, 1] by org id (missing ids get 0);
        overrides ``weights`` and ``betweenness``.
    tie_weight : float, default 0.1
        ``lambda`` below; 0 uses priority only to break exact ties.

    Returns
    -------
    FocalResult

    Raises
    ------
    CsoNetworkError
        ``k`` below 0 or ``tie_weight`` below 0.

    Notes
    -----
    Greedy weighted maximum coverage: at each step pick the organization
    maximizing ``g * (1 + lambda * p)``, where ``g`` is the number of cells it
    would newly cover and ``p`` its priority; exact ties go to the higher
    priority, then the smaller org id. An organization adding no cell is never
    picked, so priority can never buy a pick by itself, and with ``lambda =
    0.1`` it can only tip a choice between organizations whose new-cell counts
    differ by less than 10%.

    For a fixed ``k`` and unweighted cell counts the plain greedy (``lambda =
    0``) covers at least ``1 - (1 - 1/k)^k > 1 - 1/e`` (about 63%) of the
    cells an optimal set of ``k`` organizations covers [1]_; no polynomial
    algorithm does better in general unless P = NP [3]_. A pick within a factor
    ``alpha = 1 / (1 + lambda)`` of the best gain keeps the bound ``1 - (1 -
    alpha/k)^k``: for the default ``lambda = 0.1`` that is still above
    ``1 - 1/e`` for ``k <= 5`` and never below ``1 - exp(-1/1.1)`` (about
    59.7%). With ``k = None`` the number of organizations is within a factor
    ``H(d) <= 1 + ln d`` of the smallest full cover, ``d`` the most cells one
    organization covers (Johnson, Chvatal; the same analysis). Budgeted
    versions (organizations with costs) need the partial enumeration of [2]_.

    Gains are kept in a vector and, after each pick, decremented for the
    organizations that share the newly covered cells (sparse row slices of the
    incidence matrix), so each (organization, cell) membership is touched at
    most once.

    References
    ----------
    .. [1] George L. Nemhauser, Laurence A. Wolsey and Marshall L. Fisher,
       "An analysis of approximations for maximizing submodular set
       functions - I", Mathematical Programming 14:265-294, 1978.
    .. [2] Samir Khuller, Anna Moss and Joseph (Seffi) Naor, "The budgeted
       maximum coverage problem", Information Processing Letters 70(1):39-45,
       1999.
    .. [3] Uriel Feige, "A threshold of ln n for approximating set cover",
       Journal of the ACM 45(4):634-652, 1998.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.Graph()
    >>> G.add_node("A", name="Alfa", country="BA", risk_factors=(1, 9), fields=())
    >>> G.add_node("B", name="Beta", country="BA", risk_factors=(1,), fields=(), engagements=2)
    >>> G.add_node("C", name="Gama", country="ME", risk_factors=(9,), fields=())
    >>> res = focal_points(G)
    >>> res.orgs[["org_id", "new_cells", "engaged"]].values.tolist()
    [['A', 2, False], ['C', 1, False]]
    >>> res.covered, res.total, res.coverage
    (3, 3, 1.0)
    >>> focal_points(G, k=1).uncovered_cells
    [('ME', 'risk_factor', 9)]
    """
    if k is not None and (int(k) != k or k < 0):
        raise CsoNetworkError(f"k must be None or a whole number >= 0, got {k!r}")
    if not (tie_weight >= 0 and math.isfinite(tie_weight)):
        raise CsoNetworkError(f"tie_weight must be finite and >= 0, got {tie_weight!r}")
    matrix, cells, orgs = coverage_cells(G)
    n_cells, n_orgs = matrix.shape
    if priority is None:
        prio_s = org_priority(G, dataset, betweenness=betweenness, weights=weights)
    else:
        prio_s = pd.Series(priority, dtype=float)
    prio = np.clip(
        prio_s.reindex(pd.Index(orgs, dtype=object)).fillna(0.0).to_numpy(dtype=float), 0.0, 1.0
    )
    engaged = _engaged_flags(G, orgs)
    consent = _consent_flags(dataset, orgs)

    by_org = matrix.T.tocsr()  # organizations x cells
    by_cell = matrix  # cells x organizations
    gain = np.diff(by_org.indptr).astype(np.int64)
    factor = 1.0 + tie_weight * prio
    covered = np.zeros(n_cells, dtype=bool)
    limit = n_orgs if k is None else min(int(k), n_orgs)
    picks: list[tuple[int, int, list[int]]] = []
    while len(picks) < limit:
        if gain.max(initial=0) <= 0:
            break
        score = gain * factor
        best = score.max()
        candidates = np.flatnonzero(score >= best * (1 - 1e-12))
        # higher priority first; candidates are in org-id order, so argmax keeps the smaller id
        j = int(candidates[np.argmax(prio[candidates])])
        row = by_org.indices[by_org.indptr[j]:by_org.indptr[j + 1]]
        new = row[~covered[row]]
        covered[new] = True
        picks.append((j, int(new.size), new.tolist()))
        touched = np.concatenate(
            [by_cell.indices[by_cell.indptr[c]:by_cell.indptr[c + 1]] for c in new]
        ) if new.size else np.empty(0, dtype=np.int64)
        gain -= np.bincount(touched, minlength=n_orgs)

    rows = []
    for order, (j, n_new, new_cells) in enumerate(picks, start=1):
        data = G.nodes[orgs[j]]
        rows.append([
            orgs[j], data.get("name"), data.get("country"), n_new, float(prio[j]),
            bool(engaged[j]), bool(consent[j]), order, [cells[c] for c in new_cells],
        ])
    frame = pd.DataFrame(rows, columns=_ORG_COLUMNS)
    if frame.empty:
        frame = pd.DataFrame({c: pd.Series([], dtype=object) for c in _ORG_COLUMNS})
    frame = frame.astype({"new_cells": int, "priority": float, "engaged": bool, "consent": bool,
                          "order": int})
    n_covered = int(covered.sum())
    return FocalResult(
        orgs=frame,
        covered=n_covered,
        total=n_cells,
        coverage=n_covered / n_cells if n_cells else 1.0,
        uncovered_cells=[cells[c] for c in np.flatnonzero(~covered)],
    )


# --------------------------------------------------------------------------- missing contacts


def missing_contacts(G: nx.Graph, dataset: Dataset | None = None) -> pd.DataFrame:
    """Organizations that would fill a gap in UNOGP's reach.

    A *gap* is a UN risk factor that no engaged organization lists, or a
    country with no engaged organization (engaged: node attribute
    ``engagements`` > 0, or a row in ``dataset.engagements`` when a dataset is
    given). Every organization that lists such a risk factor or is based in
    such a country is a contact UNOGP is missing.

    Parameters
    ----------
    G : networkx.Graph
        Organizations with ``name``, ``country``, ``risk_factors``,
        ``engagements``.
    dataset : Dataset or None
        Its ``engagements`` table adds engaged organizations (optional).

    Returns
    -------
    pandas.DataFrame
        Columns ``org_id``, ``name``, ``country``, ``covers`` (list of gap
        labels: ``"country XK"``, ``"risk factor 9"``; country first, then risk
        factors by number) and ``reason`` (a sentence), sorted by the number of
        gaps covered (most first), then org id.

    Notes
    -----
    The reason says when the organization is the only one in its country
    covering a gap risk factor, or the only one in a gap country, since losing
    touch with it would leave that cell dark.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.Graph()
    >>> G.add_node("A", name="Alfa", country="BA", risk_factors=(1,), engagements=1)
    >>> G.add_node("B", name="Beta", country="XK", risk_factors=(1, 9))
    >>> G.add_node("C", name="Gama", country="BA", risk_factors=(9,))
    >>> out = missing_contacts(G)
    >>> out[["org_id", "covers"]].values.tolist()
    [['B', ['country XK', 'risk factor 9']], ['C', ['risk factor 9']]]
    >>> print(out.loc[0, "reason"])
    Only organization in Kosovo (XK); UNOGP has no engaged contact there. Only organization in XK covering risk factor 9 (Intergroup tensions); UNOGP has no engaged contact for it.
    """
    nodes = _node_order(G.nodes)
    engaged_set = {v for v, e in zip(nodes, _engaged_flags(G, nodes), strict=True) if e}
    if dataset is not None and not dataset.engagements.empty:
        engaged_set |= set(dataset.engagements["org_id"]) & set(nodes)

    country = {v: G.nodes[v].get("country") for v in nodes}
    rfs = {v: tuple(dict.fromkeys(G.nodes[v].get("risk_factors") or ())) for v in nodes}
    engaged_countries = {country[v] for v in engaged_set}
    engaged_rfs = {r for v in engaged_set for r in rfs[v]}
    per_country: dict[Any, int] = {}
    per_cell: dict[tuple[Any, Any], int] = {}
    for v in nodes:
        per_country[country[v]] = per_country.get(country[v], 0) + 1
        for r in rfs[v]:
            per_cell[(country[v], r)] = per_cell.get((country[v], r), 0) + 1

    rows = []
    for v in nodes:
        c = country[v]
        has_country = c is not None and c not in engaged_countries
        gap_rfs = sorted((r for r in rfs[v] if r not in engaged_rfs), key=lambda r: _item_key(
            "risk_factor", r))
        if not has_country and not gap_rfs:
            continue
        covers: list[str] = []
        parts: list[Message] = []
        if has_country:
            covers.append(f"country {c}")
            n_c = per_country[c]
            where = country_with_code(c)
            parts.append(
                msg("Only organization in {country}; UNOGP has no engaged contact there.",
                    country=where) if n_c == 1 else
                nmsg("One of {n} organizations in {country}; UNOGP has no engaged contact "
                     "there.", "One of {n} organizations in {country}; UNOGP has no engaged "
                     "contact there.", n_c, country=where))
        if gap_rfs:
            covers.extend(f"risk factor {r}" for r in gap_rfs)
            only = [r for r in gap_rfs if c is not None and per_cell[(c, r)] == 1]
            named = join([
                msg("{number} ({label})", number=r, label=term("risk_factor_short", r))
                if r in vocab.RISK_FACTORS else str(r) for r in gap_rfs])
            k = len(gap_rfs)
            if c is not None and len(only) == k:
                parts.append(nmsg(
                    "Only organization in {country} covering risk factor {items}; UNOGP has "
                    "no engaged contact for it.",
                    "Only organization in {country} covering risk factors {items}; UNOGP has "
                    "no engaged contact for them.", k, country=c, items=named))
            elif only:
                parts.append(nmsg(
                    "Covers risk factor {items} (the only one in {country} for {only}); UNOGP "
                    "has no engaged contact for it.",
                    "Covers risk factors {items} (the only one in {country} for {only}); UNOGP "
                    "has no engaged contact for them.", k, country=c, items=named,
                    only=join([str(r) for r in only])))
            else:
                parts.append(nmsg(
                    "Covers risk factor {items}; UNOGP has no engaged contact for it.",
                    "Covers risk factors {items}; UNOGP has no engaged contact for them.",
                    k, items=named))
        rows.append([v, G.nodes[v].get("name"), c, covers, Seq(parts, sep=" ")])

    frame = pd.DataFrame(rows, columns=_MISSING_COLUMNS)
    if frame.empty:
        return pd.DataFrame({col: pd.Series([], dtype=object) for col in _MISSING_COLUMNS})
    position = {v: i for i, v in enumerate(nodes)}
    frame["_n"] = -frame["covers"].map(len)
    frame["_pos"] = frame["org_id"].map(position)
    frame = frame.sort_values(["_n", "_pos"], kind="stable").drop(columns=["_n", "_pos"])
    return frame.reset_index(drop=True)
