"""Cross-border mixing: does collaboration cross country lines, and between which countries not?

Measures over an undirected organization graph whose nodes carry a group
attribute (``country`` by default, an ISO code):

- :func:`ei_index` and :func:`ei_by_group`: Krackhardt and Stern's E-I index [1]_
  for the whole network and per group;
- :func:`ei_permutation_test`: the E-I index against country labels shuffled
  over the fixed graph (expected value and a two-sided p-value);
- :func:`cross_border_share` and :func:`country_assortativity` (Newman [2]_);
- :func:`mixing_table`: observed vs. expected ties for every pair of countries
  under the configuration (degree-preserving) null, and :func:`missing_bridges`,
  the country pairs with no or unexpectedly few ties.

Conventions shared by every function here:

- Ties are counted by default; ``weight="weight"`` (or any edge attribute)
  sums that attribute instead (edges without it count 1, as in networkx).
- Nodes whose attribute is missing, ``None`` or NaN are left out together with
  all their ties; a group is "present" when at least one remaining node has it.
- Self-loops are ignored (an organization is not tied to itself).
- Groups are ordered as the programme lists its countries
  (:data:`cso_network.vocab.REGION`), then the others alphabetically.
- Undefined numbers are ``None`` in scalar and dataclass results; frames use
  NaN only in the columns whose docstrings say so.

All the work over ties is vectorized with numpy (integer codes per node,
endpoint index arrays per tie), so a 10,000-organization, 300,000-tie network
with 1,000 permutations takes seconds.

References
----------
.. [1] Krackhardt, D. and Stern, R. N. (1988). Informal networks and
   organizational crises: an experimental simulation. *Social Psychology
   Quarterly* 51(2), 123-140.
.. [2] Newman, M. E. J. (2003). Mixing patterns in networks. *Physical
   Review E* 67, 026126.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable
from dataclasses import dataclass

import networkx as nx
import numpy as np
import pandas as pd

from cso_network import vocab

__all__ = [
    "EITest",
    "ei_index",
    "ei_by_group",
    "ei_permutation_test",
    "cross_border_share",
    "country_assortativity",
    "mixing_table",
    "missing_bridges",
]

#: Memory budget (bytes) for one chunk of permutations in :func:`ei_permutation_test`.
_CHUNK_BYTES = 100 * 2**20


# ----------------------------------------------------------------------------- shared mechanics


def _has_value(value: object) -> bool:
    """True unless the attribute value is missing (``None`` or a float NaN)."""
    return value is not None and not (isinstance(value, float) and math.isnan(value))


def _group_order(groups: Iterable[Hashable]) -> list[Hashable]:
    """Region countries first in programme order, then the rest sorted (grouped by type if mixed)."""
    present = set(groups)
    region = [c for c in vocab.REGION if c in present]
    rest = [g for g in present if g not in vocab.REGION]
    for key in (None, lambda g: (type(g).__name__, g), lambda g: (type(g).__name__, str(g))):
        try:
            rest.sort(key=key)
            break
        except TypeError:
            continue
    return region + rest


@dataclass(frozen=True)
class _Ties:
    """The labelled part of a graph as arrays.

    ``groups[codes[i]]`` is the group of the i-th labelled node; ``u``, ``v``
    index the labelled nodes at the ends of each tie (self-loops and ties to
    unlabelled nodes dropped); ``w`` is each tie's value (1.0 when counting).
    """

    groups: list[Hashable]
    codes: np.ndarray
    u: np.ndarray
    v: np.ndarray
    w: np.ndarray
    weighted: bool

    @property
    def total(self) -> float:
        return float(self.w.sum())


def _ties(G: nx.Graph, attr: str, weight: str | None) -> _Ties:
    """Extract node group codes and tie endpoint arrays (one pass over nodes, one over edges)."""
    index: dict[Hashable, int] = {}
    labels: list[Hashable] = []
    for node, value in G.nodes(data=attr):
        if _has_value(value):
            index[node] = len(labels)
            labels.append(value)
    groups = _group_order(labels)
    code_of = {g: i for i, g in enumerate(groups)}
    dtype = np.uint8 if len(groups) <= 255 else np.int32
    codes = np.fromiter((code_of[x] for x in labels), dtype=dtype, count=len(labels))

    us: list[int] = []
    vs: list[int] = []
    ws: list[float] = []
    if weight is None:
        for a, b in G.edges():
            i, j = index.get(a), index.get(b)
            if i is not None and j is not None and i != j:
                us.append(i)
                vs.append(j)
        w = np.ones(len(us), dtype=np.float64)
    else:
        for a, b, x in G.edges(data=weight, default=1.0):
            i, j = index.get(a), index.get(b)
            if i is not None and j is not None and i != j:
                us.append(i)
                vs.append(j)
                ws.append(x)
        w = np.asarray(ws, dtype=np.float64)
    return _Ties(
        groups=groups,
        codes=codes,
        u=np.asarray(us, dtype=np.intp),
        v=np.asarray(vs, dtype=np.intp),
        w=w,
        weighted=weight is not None,
    )


def _group_matrix(t: _Ties) -> np.ndarray:
    """Symmetric group x group matrix of tie values, ``M = H.T @ A @ H`` for one-hot ``H``.

    Off the diagonal ``M[a, b]`` is the value of the ties between groups a and
    b; on it, ``M[a, a]`` is twice the value of the ties inside a. Computed
    with one ``bincount`` over the ties instead of the sparse product.
    """
    k = len(t.groups)
    if k == 0:
        return np.zeros((0, 0))
    cu = t.codes[t.u].astype(np.int64)
    cv = t.codes[t.v].astype(np.int64)
    b = np.bincount(cu * k + cv, weights=t.w, minlength=k * k).reshape(k, k)
    return b + b.T


def _external(t: _Ties) -> float:
    """Value of the ties whose two ends are in different groups."""
    if len(t.u) == 0:
        return 0.0
    return float(t.w[t.codes[t.u] != t.codes[t.v]].sum())


def _ei(external: float, total: float) -> float | None:
    """(E - I) / (E + I) with I = total - E; None when there are no ties."""
    if total <= 0:
        return None
    return (2.0 * external - total) / total


def _number(x: float, weighted: bool) -> float | int:
    """Ties as ``int`` when counted, ``float`` when weighted."""
    return float(x) if weighted else int(round(x))


# ----------------------------------------------------------------------------- E-I index


def ei_index(G: nx.Graph, attr: str = "country", weight: str | None = None) -> float | None:
    """Krackhardt-Stern E-I index of the whole network.

    Parameters
    ----------
    G : networkx.Graph
        Undirected graph; each node's group is ``G.nodes[n][attr]``.
    attr : str, default "country"
        Node attribute holding the group (country ISO code).
    weight : str or None, default None
        ``None`` counts ties; otherwise the edge attribute whose values are summed.

    Returns
    -------
    float or None
        ``(E - I) / (E + I)`` in [-1, 1], where E counts (or sums) ties between
        groups and I ties within a group; -1 = all ties internal, +1 = all
        cross-border. ``None`` when no tie joins two labelled nodes.

    Notes
    -----
    Nodes without the attribute (missing, ``None`` or NaN) are left out with
    their ties; self-loops are ignored. Like UCINET, the unweighted index
    counts pairs of organizations and ignores tie values.

    Examples
    --------
    >>> G = nx.Graph([("a", "b"), ("b", "c"), ("c", "d")])
    >>> nx.set_node_attributes(G, {"a": "RS", "b": "RS", "c": "BA", "d": "BA"}, "country")
    >>> ei_index(G)  # E = 1 (b-c), I = 2: (1 - 2) / 3
    -0.3333333333333333
    >>> G["b"]["c"]["weight"] = 4.0
    >>> ei_index(G, weight="weight")  # E = 4, I = 2: (4 - 2) / 6
    0.3333333333333333

    References
    ----------
    .. [1] Krackhardt, D. and Stern, R. N. (1988). Informal networks and
       organizational crises: an experimental simulation. *Social Psychology
       Quarterly* 51(2), 123-140.
    """
    t = _ties(G, attr, weight)
    return _ei(_external(t), t.total)


def ei_by_group(G: nx.Graph, attr: str = "country", weight: str | None = None) -> pd.DataFrame:
    """Group-level E-I index (as UCINET): for each group, its internal vs. external ties.

    Parameters
    ----------
    G : networkx.Graph
    attr : str, default "country"
    weight : str or None, default None
        ``None`` counts ties; otherwise the edge attribute whose values are summed.

    Returns
    -------
    pandas.DataFrame
        One row per group present among the labelled nodes (region order),
        columns ``group``, ``internal`` (ties with both ends in the group),
        ``external`` (ties with exactly one end in it), ``ei`` =
        (external - internal) / (external + internal). ``ei`` is NaN for a
        group without ties. ``internal``/``external`` are ints when counting,
        floats when weighted. No rows (same columns) when no node is labelled.

    Notes
    -----
    A tie between groups a and b is external to both, so the ``external``
    column sums to twice the network's E; ``internal`` sums to its I.

    Examples
    --------
    >>> G = nx.Graph([("a", "b"), ("b", "c"), ("c", "d")])
    >>> G.add_node("e")
    >>> nx.set_node_attributes(G, {"a": "RS", "b": "RS", "c": "BA", "d": "BA", "e": "ME"},
    ...                        "country")
    >>> ei_by_group(G).values.tolist()
    [['BA', 1, 1, 0.0], ['ME', 0, 0, nan], ['RS', 1, 1, 0.0]]

    References
    ----------
    .. [1] Krackhardt, D. and Stern, R. N. (1988). Informal networks and
       organizational crises: an experimental simulation. *Social Psychology
       Quarterly* 51(2), 123-140.
    """
    t = _ties(G, attr, weight)
    m = _group_matrix(t)
    internal = np.diag(m) / 2.0
    external = m.sum(axis=1) - 2.0 * internal
    total = internal + external
    with np.errstate(invalid="ignore", divide="ignore"):
        ei = np.where(total > 0, (external - internal) / np.where(total > 0, total, 1.0), np.nan)
    return pd.DataFrame({
        "group": pd.Series(t.groups, dtype=object),
        "internal": [_number(x, t.weighted) for x in internal],
        "external": [_number(x, t.weighted) for x in external],
        "ei": pd.Series(ei, dtype=float),
    }, columns=["group", "internal", "external", "ei"])


@dataclass(frozen=True)
class EITest:
    """Result of :func:`ei_permutation_test`.

    Attributes
    ----------
    observed : float or None
        E-I index of the graph; ``None`` when there are no ties.
    expected : float or None
        Mean E-I index over the permutations; ``None`` when there are no ties
        or no permutations were run. With a single group every labelling is
        the same, so ``expected == observed == -1.0`` (no permutations run).
    p_value : float or None
        Two-sided permutation p-value, ``(count + 1) / (N + 1)``; ``None``
        when undefined (no ties, fewer than two groups, ``N == 0``).
    n_permutations : int
        Number of permutations requested.
    seed : int
        Seed of ``numpy.random.default_rng``.
    weighted : bool
        Whether tie values were summed (``weight`` given) rather than counted.
    """

    observed: float | None
    expected: float | None
    p_value: float | None
    n_permutations: int
    seed: int
    weighted: bool


def _permuted_external(t: _Ties, n_permutations: int, seed: int) -> np.ndarray:
    """E (count or value of between-group ties) for each of ``n_permutations`` label shuffles.

    Labels are shuffled among the labelled nodes (the graph stays fixed). The
    work is done ``chunk`` permutations at a time: a ``(chunk, n)`` matrix of
    shuffled codes (``rng.permuted`` along rows of a tiled code vector), then
    the codes at both ends of every tie compared at once, so memory stays near
    :data:`_CHUNK_BYTES` whatever ``n_permutations`` is.
    """
    rng = np.random.default_rng(seed)
    n, m = len(t.codes), len(t.u)
    item = t.codes.itemsize
    per_perm = n * item + m * (2 * item + 1 + (8 if t.weighted else 0))
    chunk = int(max(1, min(n_permutations, _CHUNK_BYTES // max(per_perm, 1))))
    out = np.empty(n_permutations, dtype=np.float64)
    done = 0
    while done < n_permutations:
        c = min(chunk, n_permutations - done)
        labels = np.tile(t.codes, (c, 1))
        rng.permuted(labels, axis=1, out=labels)
        differ = np.take(labels, t.u, axis=1) != np.take(labels, t.v, axis=1)
        if t.weighted:
            out[done:done + c] = differ @ t.w
        else:
            out[done:done + c] = np.count_nonzero(differ, axis=1)
        done += c
    return out


def ei_permutation_test(
    G: nx.Graph,
    attr: str = "country",
    *,
    n_permutations: int = 1000,
    seed: int = 0,
    weight: str | None = None,
) -> EITest:
    """E-I index against random relabelling: is the network more (or less) closed than chance?

    Parameters
    ----------
    G : networkx.Graph
    attr : str, default "country"
    n_permutations : int, default 1000
        Number of label shuffles (``0`` gives the observed value only).
    seed : int, default 0
        Seed for ``numpy.random.default_rng``: same graph and seed, same result.
    weight : str or None, default None
        ``None`` counts ties; otherwise the edge attribute whose values are summed.

    Returns
    -------
    EITest
        ``observed``, ``expected`` (mean E-I over the permutations),
        ``p_value``, ``n_permutations``, ``seed``, ``weighted``.

    Raises
    ------
    ValueError
        ``n_permutations`` is negative.

    Notes
    -----
    The null model keeps the graph and the number of organizations per
    country, and shuffles the country labels among the labelled nodes
    (UCINET's label permutation). The two-sided p-value is the share of
    permutations whose E-I lies at least as far from the expected value as the
    observed one, counting the observed labelling itself [2]_:

    .. math:: p = (\\#\\{|EI_\\pi - \\bar{EI}| \\ge |EI_{obs} - \\bar{EI}|\\} + 1) / (N + 1)

    so it is never 0 and the smallest possible value is ``1 / (N + 1)``.
    Distances are compared with a relative tolerance of 1e-9 so that ties in
    floating point count as ties.

    Undefined cases: no ties -> every statistic is ``None``. Fewer than two
    groups -> the E-I index is -1 under every labelling, so no permutations
    are run, ``expected = observed = -1.0`` and ``p_value = None``.

    Examples
    --------
    >>> G = nx.disjoint_union(nx.complete_graph(6), nx.complete_graph(6))
    >>> G.add_edge(0, 6)
    >>> nx.set_node_attributes(G, {n: "BA" if n < 6 else "RS" for n in G}, "country")
    >>> r = ei_permutation_test(G, n_permutations=200, seed=1)
    >>> round(r.observed, 3), r.p_value < 0.01
    (-0.935, True)

    References
    ----------
    .. [1] Krackhardt, D. and Stern, R. N. (1988). Informal networks and
       organizational crises: an experimental simulation. *Social Psychology
       Quarterly* 51(2), 123-140.
    .. [2] Phipson, B. and Smyth, G. K. (2010). Permutation p-values should
       never be zero. *Statistical Applications in Genetics and Molecular
       Biology* 9(1), Article 39.
    """
    if n_permutations < 0:
        raise ValueError(f"n_permutations must be >= 0, got {n_permutations}")
    t = _ties(G, attr, weight)
    total = t.total
    observed = _ei(_external(t), total)
    if observed is None:
        return EITest(None, None, None, n_permutations, seed, t.weighted)
    if len(t.groups) < 2:
        return EITest(observed, observed, None, n_permutations, seed, t.weighted)
    if n_permutations == 0:
        return EITest(observed, None, None, 0, seed, t.weighted)
    perm = (2.0 * _permuted_external(t, n_permutations, seed) - total) / total
    expected = float(perm.mean())
    d_obs = abs(observed - expected)
    extreme = np.abs(perm - expected) >= d_obs * (1.0 - 1e-9) - 1e-12
    p_value = float((np.count_nonzero(extreme) + 1) / (n_permutations + 1))
    return EITest(observed, expected, p_value, n_permutations, seed, t.weighted)


# ----------------------------------------------------------------------------- shares, assortativity


def cross_border_share(
    G: nx.Graph, attr: str = "country", weight: str | None = None
) -> float | None:
    """Share of ties whose two ends are in different groups (countries).

    Parameters
    ----------
    G : networkx.Graph
    attr : str, default "country"
    weight : str or None, default None
        ``None`` counts ties; otherwise the share of the summed edge attribute.

    Returns
    -------
    float or None
        ``E / (E + I)`` in [0, 1], i.e. ``(ei_index + 1) / 2``; ``None``
        without ties between labelled nodes.

    Examples
    --------
    >>> G = nx.Graph([("a", "b"), ("b", "c"), ("c", "d")])
    >>> nx.set_node_attributes(G, {"a": "RS", "b": "RS", "c": "BA", "d": "BA"}, "country")
    >>> cross_border_share(G)
    0.3333333333333333

    References
    ----------
    .. [1] Krackhardt, D. and Stern, R. N. (1988). Informal networks and
       organizational crises: an experimental simulation. *Social Psychology
       Quarterly* 51(2), 123-140.
    """
    t = _ties(G, attr, weight)
    total = t.total
    return _external(t) / total if total > 0 else None


def country_assortativity(G: nx.Graph, attr: str = "country") -> float | None:
    """Newman's attribute assortativity coefficient by country.

    Parameters
    ----------
    G : networkx.Graph
    attr : str, default "country"

    Returns
    -------
    float or None
        ``r = (sum_i e_ii - sum_i a_i b_i) / (1 - sum_i a_i b_i)`` with ``e``
        the normalized country mixing matrix: > 0 when organizations tie
        mostly within their country, 1 when only within. ``None`` when
        undefined: no ties between labelled nodes, or one country only
        (``sum_i a_i b_i = 1``).

    Notes
    -----
    Computed by :func:`networkx.attribute_assortativity_coefficient` over the
    nodes that have the attribute, with self-loops removed (as elsewhere in
    this module). Counts ties; networkx has no weighted form of this
    coefficient.

    Examples
    --------
    >>> G = nx.Graph([("a", "b"), ("b", "c"), ("c", "d")])
    >>> nx.set_node_attributes(G, {"a": "RS", "b": "RS", "c": "BA", "d": "BA"}, "country")
    >>> round(country_assortativity(G), 4)  # e = [[1/3, 1/6], [1/6, 1/3]]: (2/3 - 1/2) / (1/2)
    0.3333

    References
    ----------
    .. [1] Newman, M. E. J. (2003). Mixing patterns in networks. *Physical
       Review E* 67, 026126.
    """
    labelled = [n for n, value in G.nodes(data=attr) if _has_value(value)]
    H = G if len(labelled) == G.number_of_nodes() else G.subgraph(labelled)
    if nx.number_of_selfloops(H):
        H = nx.Graph(H)
        H.remove_edges_from(list(nx.selfloop_edges(H)))
    if H.number_of_edges() == 0:
        return None
    if len({H.nodes[n][attr] for n in H if H.degree(n) > 0}) < 2:
        return None
    with np.errstate(all="ignore"):
        try:
            r = float(nx.attribute_assortativity_coefficient(H, attr))
        except ZeroDivisionError:
            return None
    return None if math.isnan(r) else r


# ----------------------------------------------------------------------------- country pairs


def mixing_table(
    G: nx.Graph, attr: str = "country", weight: str | None = None
) -> pd.DataFrame:
    """Observed vs. expected ties for every pair of countries, under the configuration null.

    Parameters
    ----------
    G : networkx.Graph
    attr : str, default "country"
    weight : str or None, default None
        ``None`` counts ties (degrees, ``m`` = number of ties); otherwise the
        edge attribute is summed (strengths, ``m`` = total weight).

    Returns
    -------
    pandas.DataFrame
        Columns ``a``, ``b``, ``observed``, ``expected``, ``ratio``: one row
        per unordered pair of countries present among the labelled nodes, the
        same country included (``a == b``), with ``a`` not after ``b`` in
        region order; rows in region order of ``a`` then ``b``.
        ``observed`` is the number of ties between the two countries (within
        the country when ``a == b``; int, float when weighted), ``expected``
        its expectation under the configuration model and ``ratio =
        observed / expected``, NaN where ``expected`` is 0 (a country whose
        organizations have no ties). No rows (same columns) without labelled
        nodes.

    Notes
    -----
    With ``D_a`` the sum of the degrees of country a's organizations and ``m``
    the number of ties, the configuration (degree-preserving) model expects
    ``D_a * D_b / (2m)`` ties between countries a != b and ``D_a**2 / (4m)``
    within a country; the expectations over all rows sum to ``m``. Observed
    values come from the country x country matrix ``H.T @ A @ H`` (``H`` the
    one-hot country membership), computed with a single ``bincount`` over
    the ties. Degrees count only ties between labelled nodes.

    Examples
    --------
    >>> G = nx.Graph([("a", "b"), ("b", "c"), ("c", "d")])
    >>> nx.set_node_attributes(G, {"a": "RS", "b": "RS", "c": "BA", "d": "BA"}, "country")
    >>> table = mixing_table(G)  # D_BA = D_RS = 3, m = 3
    >>> table[["a", "b", "observed", "expected"]].values.tolist()
    [['BA', 'BA', 1, 0.75], ['BA', 'RS', 1, 1.5], ['RS', 'RS', 1, 0.75]]
    >>> table["ratio"].round(3).tolist()
    [1.333, 0.667, 1.333]

    References
    ----------
    .. [1] Newman, M. E. J. (2003). Mixing patterns in networks. *Physical
       Review E* 67, 026126.
    """
    t = _ties(G, attr, weight)
    k = len(t.groups)
    columns = ["a", "b", "observed", "expected", "ratio"]
    if k == 0:
        return pd.DataFrame({c: pd.Series([], dtype=object if c in "ab" else float)
                             for c in columns})
    m_matrix = _group_matrix(t)
    total = t.total
    degree = m_matrix.sum(axis=1)
    ia, ib = np.triu_indices(k)
    same = ia == ib
    observed = np.where(same, m_matrix[ia, ib] / 2.0, m_matrix[ia, ib])
    if total > 0:
        expected = degree[ia] * degree[ib] / (2.0 * total)
        expected[same] /= 2.0
    else:
        expected = np.zeros(len(ia))
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = np.where(expected > 0, observed / np.where(expected > 0, expected, 1.0), np.nan)
    groups = np.empty(k, dtype=object)
    for i, g in enumerate(t.groups):  # element-wise, so tuple-valued groups stay whole
        groups[i] = g
    return pd.DataFrame({
        "a": groups[ia],
        "b": groups[ib],
        "observed": observed if t.weighted else np.rint(observed).astype(np.int64),
        "expected": expected,
        "ratio": ratio,
    }, columns=columns)


def missing_bridges(
    table: pd.DataFrame, *, threshold: float = 0.5, min_expected: float = 0.0
) -> pd.DataFrame:
    """Country pairs with no ties, or far fewer than expected: where cross-border links are missing.

    Parameters
    ----------
    table : pandas.DataFrame
        Output of :func:`mixing_table` (columns ``a``, ``b``, ``observed``,
        ``expected``, ``ratio``).
    threshold : float, default 0.5
        A pair is "thin" when ``observed / expected < threshold``.
    min_expected : float, default 0
        Leave out pairs expected to have fewer ties than this: with two small
        countries, 0 ties where 0.1 were expected is no gap. The gap report
        uses 1.

    Returns
    -------
    pandas.DataFrame
        Columns ``a``, ``b``, ``observed``, ``expected``, ``ratio``,
        ``shortfall`` (``expected - observed``), ``status`` (``"missing"``
        when there are no ties, else ``"thin"``). Only pairs of different
        countries with ``expected > 0`` and either no ties or ``ratio <
        threshold``; sorted by shortfall, largest first, ties kept in the
        table's (region) order of ``a`` then ``b``.

    Notes
    -----
    Pairs whose expected value is 0 (a country with no ties at all) are not
    listed: the configuration null expects nothing there, so nothing is
    "missing" relative to it; :func:`ei_by_group` shows such countries.

    Examples
    --------
    >>> G = nx.Graph([("a", "b"), ("b", "c"), ("c", "d"), ("e", "f"), ("a", "e")])
    >>> nx.set_node_attributes(G, {"a": "RS", "b": "RS", "c": "BA", "d": "BA",
    ...                            "e": "ME", "f": "ME"}, "country")
    >>> missing_bridges(mixing_table(G))[["a", "b", "observed", "status"]].values.tolist()
    [['BA', 'ME', 0, 'missing']]
    """
    columns = ["a", "b", "observed", "expected", "ratio", "shortfall", "status"]
    if table.empty:
        return pd.DataFrame({c: pd.Series([], dtype=object) for c in columns})
    cross = table["a"] != table["b"]
    positive = (table["expected"] > 0) & (table["expected"] >= min_expected)
    zero = table["observed"] == 0
    thin = table["ratio"] < threshold
    out = table.loc[cross & positive & (zero | thin), ["a", "b", "observed", "expected", "ratio"]]
    out = out.assign(
        shortfall=out["expected"] - out["observed"],
        status=np.where(out["observed"] == 0, "missing", "thin"),
    )
    out = out.sort_values("shortfall", ascending=False, kind="stable")
    return out.reset_index(drop=True)[columns]
