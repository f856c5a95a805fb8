"""Brokers and fragility: who holds the collaboration network together.

Node-level measures of brokerage over an undirected organization graph (see
:mod:`cso_network.network.layers`: nodes are org ids with a ``country`` attribute, ties
may carry a ``weight``):

- :func:`betweenness`: Brandes' betweenness done algebraically with
  scipy.sparse (breadth-first search from a batch of sources at once), exact
  or estimated from a seeded sample of sources (:func:`auto_sources`);
- :func:`burt_constraint` and :func:`effective_size`: Burt's structural-hole
  measures, vectorized with sparse products;
- :func:`brokerage_roles`: Gould-Fernandez brokerage roles with the country as
  group (coordinator, itinerant, gatekeeper, representative, liaison);
- :func:`centrality_table`: one row per organization with all of the above
  that are scalars (degree, weighted degree, betweenness, eigenvector,
  constraint, effective size);
- :func:`cut_points` and :func:`bridges`: articulation points (with how many
  organizations of which countries depend on each) and bridges.

Every function is pure, works on empty and edgeless graphs (empty frames or NaN,
never an exception) and stays well within a few seconds at 10,000 nodes and
55,000 edges: the work is done with sparse matrix products, never with loops
over pairs of nodes. Only undirected graphs are supported (directed graphs
raise :class:`networkx.NetworkXNotImplemented`).
"""

from __future__ import annotations

import math
import os
from collections.abc import Hashable, Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy.sparse import csgraph
from scipy.sparse.linalg import ArpackError

__all__ = [
    "ROLES",
    "MISSING_GROUP",
    "auto_sources",
    "betweenness",
    "burt_constraint",
    "effective_size",
    "brokerage_roles",
    "centrality_table",
    "cut_points",
    "bridges",
]

#: Gould-Fernandez brokerage roles, in the order of the columns of :func:`brokerage_roles`.
ROLES = ("coordinator", "itinerant", "gatekeeper", "representative", "liaison")

#: Group given to nodes whose group attribute is missing (absent, None or NaN).
MISSING_GROUP = "?"

#: Largest graph on which :func:`auto_sources` asks for exact betweenness.
EXACT_BETWEENNESS_MAX_NODES = 3000

#: Number of sampled sources :func:`auto_sources` asks for on larger graphs.
SAMPLED_SOURCES = 1024

#: Sources processed together in one breadth-first search of :func:`betweenness`
#: (32-256 cost about the same on one thread; small batches share out better on several).
_BATCH = 64

#: Threads running batches in parallel (scipy's sparse products and numpy release the GIL).
_WORKERS = max(1, min(4, os.cpu_count() or 1))


# ---------------------------------------------------------------------------
# shared helpers
# ---------------------------------------------------------------------------


def _check_undirected(G: nx.Graph) -> None:
    if G.is_directed():
        raise nx.NetworkXNotImplemented("not implemented for directed graphs")


def _adjacency(
    G: nx.Graph, weight: str | None = None, *, loops: bool = True
) -> tuple[list[Hashable], sp.csr_array]:
    """Symmetric sparse adjacency of ``G`` in node order.

    Entries are the edge attribute ``weight`` (1 where absent, or 1 everywhere
    when ``weight`` is None). Explicit zeros are kept, so the sparsity pattern
    is exactly the set of ties. Self-loops are dropped when ``loops`` is False.
    """
    nodes = list(G)
    n = len(nodes)
    index = {v: i for i, v in enumerate(nodes)}
    m = G.number_of_edges()
    u = np.empty(m, dtype=np.int64)
    v = np.empty(m, dtype=np.int64)
    w = np.ones(m, dtype=np.float64)
    if weight is None:
        for k, (a, b) in enumerate(G.edges()):
            u[k] = index[a]
            v[k] = index[b]
    else:
        for k, (a, b, x) in enumerate(G.edges(data=weight, default=1)):
            u[k] = index[a]
            v[k] = index[b]
            w[k] = x
    off = u != v
    if loops:
        rows = np.concatenate([u, v[off]])
        cols = np.concatenate([v, u[off]])
        data = np.concatenate([w, w[off]])
    else:
        rows = np.concatenate([u[off], v[off]])
        cols = np.concatenate([v[off], u[off]])
        data = np.concatenate([w[off], w[off]])
    A = sp.csr_array((data, (rows, cols)), shape=(n, n))
    A.sum_duplicates()
    A.sort_indices()
    return nodes, A


def _pattern(A: sp.csr_array) -> sp.csr_array:
    """The 0/1 matrix with the sparsity pattern of ``A`` (explicit zeros included)."""
    P = A.copy()
    P.data = np.ones_like(P.data)
    return P


def _isolated(mask: sp.csr_array) -> np.ndarray:
    """Nodes without ties to other nodes (self-loops ignored), from a 0/1 pattern."""
    return _rowsum(mask) - mask.diagonal() == 0


def _rowsum(A: sp.sparray) -> np.ndarray:
    return np.asarray(A.sum(axis=1)).ravel()


def _groups(G: nx.Graph, attr: str) -> tuple[list[Hashable], np.ndarray]:
    """Group labels and, for each node in order, the index of its label.

    Missing values (absent, None, NaN) become :data:`MISSING_GROUP`.
    """
    values = []
    for _, x in G.nodes(data=attr):
        missing = x is None or (isinstance(x, float) and math.isnan(x))
        values.append(MISSING_GROUP if missing else x)
    codes, labels = pd.factorize(pd.Series(values, dtype=object), sort=False)
    return list(labels), codes.astype(np.int64)


# ---------------------------------------------------------------------------
# betweenness
# ---------------------------------------------------------------------------


def auto_sources(n: int) -> int | None:
    """Number of sources :func:`betweenness` should sample on a graph of ``n`` nodes.

    Parameters
    ----------
    n : int
        Number of nodes.

    Returns
    -------
    int or None
        None (exact betweenness, all nodes as sources) when
        ``n <= 3000``, else 1024 sampled sources. Exact betweenness costs a
        breadth-first search from every node (about ``n`` times the number of
        ties times the diameter); with 1024 sources the estimate's relative
        error on the main brokers is a few percent while the cost no longer
        grows with ``n`` squared.

    Examples
    --------
    >>> auto_sources(34) is None, auto_sources(10_000)
    (True, 1024)
    """
    return None if n <= EXACT_BETWEENNESS_MAX_NODES else SAMPLED_SOURCES


def _batch_dependencies(A: sp.csr_array, src: np.ndarray) -> np.ndarray:
    """Sum over the sources ``src`` of Brandes' dependencies delta_s(v), s != v.

    ``A`` is the 0/1 symmetric adjacency without self-loops. One breadth-first
    search per source, all sources at once: column ``j`` of the dense ``n x b``
    matrices belongs to source ``src[j]``.
    """
    n = A.shape[0]
    b = src.size
    cols = np.arange(b)
    level_type = np.int16 if n < np.iinfo(np.int16).max else np.int32
    # forward pass: sigma[v, j] = number of shortest paths from src[j] to v
    sigma = np.zeros((n, b))
    sigma[src, cols] = 1.0
    dist = np.full((n, b), -1, dtype=level_type)
    dist[src, cols] = 0
    visited = dist >= 0
    frontier = sigma.copy()
    depth = 0
    while True:
        reach = A @ frontier
        reach[visited] = 0.0
        new = reach > 0
        if not new.any():
            break
        depth += 1
        dist[new] = depth
        visited |= new
        sigma += reach
        frontier = reach
    # backward pass: delta[v] = sum over children w of sigma[v] / sigma[w] * (1 + delta[w])
    delta = np.zeros((n, b))
    coef = np.zeros((n, b))
    at_d = dist == depth
    for d in range(depth, 0, -1):
        coef.fill(0.0)
        np.divide(1.0 + delta, sigma, out=coef, where=at_d)
        back = A @ coef
        at_d = dist == d - 1
        np.multiply(sigma, back, out=back)
        delta[at_d] = back[at_d]
    delta[src, cols] = 0.0
    return delta.sum(axis=1)


def betweenness(
    G: nx.Graph,
    *,
    normalized: bool = True,
    weight: str | None = None,
    sources: int | Iterable[Hashable] | None = None,
    seed: int = 0,
) -> pd.Series:
    """Betweenness centrality of every node (unweighted shortest paths).

    The fraction of shortest paths between other pairs of organizations that
    pass through an organization: a high value marks a broker many others
    depend on to reach each other.

    Parameters
    ----------
    G : networkx.Graph
        Undirected graph.
    normalized : bool, default True
        Divide by the number of pairs of other nodes, ``(n - 1)(n - 2) / 2``,
        exactly as ``nx.betweenness_centrality(G, normalized=True)``.
        Unnormalized values count unordered pairs (as networkx does).
    weight : None
        Must be None: only unweighted (hop-count) shortest paths are
        supported. Tie weights count seminars or kinds of collaboration, a
        strength rather than a distance, so they are not used as path lengths.
    sources : None, int or iterable of nodes, default None
        None: exact, every node is a source. An int ``k``: ``k`` sources
        sampled without replacement with ``numpy.random.default_rng(seed)``
        (exact when ``k >= n``). An iterable: these nodes are the sources.
    seed : int, default 0
        Seed of the source sample.

    Returns
    -------
    pandas.Series
        Float betweenness, indexed by node in ``G``'s order.

    Raises
    ------
    ValueError
        If ``weight`` is not None, or ``sources`` is an int below 1.

    Notes
    -----
    Brandes' algorithm [1]_ in linear-algebra form [2]_: breadth-first
    searches from a batch of 64 sources run together as products of the
    sparse adjacency with dense ``n x 64`` matrices, one per level; the
    forward pass counts shortest paths (sigma), the backward pass accumulates
    the dependencies ``delta(v) = sum_w sigma(v)/sigma(w) (1 + delta(w))`` over
    the nodes ``w`` one level further. Cost: about twice the number of ties
    times the number of sources times the diameter, memory a few ``n x 64``
    float matrices per thread; batches run on up to 4 threads and are summed
    in a fixed order, so results do not depend on the thread count.

    With sampled sources the sums are rescaled as networkx does for ``k``
    (networkx >= 3.5, endpoints excluded): a sampled node's value is divided
    by ``(k - 1)(n - 2)``, any other node's by ``k (n - 2)`` (normalized), so
    that the estimate is unbiased and ``k = n`` gives the exact value. Given
    the same sources the result equals networkx's.

    References
    ----------
    .. [1] Ulrik Brandes, "A Faster Algorithm for Betweenness Centrality",
       Journal of Mathematical Sociology 25(2):163-177, 2001.
       https://doi.org/10.1080/0022250X.2001.9990249
    .. [2] Jeremy Kepner and John Gilbert (eds.), "Graph Algorithms in the
       Language of Linear Algebra", SIAM, 2011, chapter 6.
    .. [3] Ulrik Brandes and Christian Pich, "Centrality Estimation in Large
       Networks", International Journal of Bifurcation and Chaos
       17(7):2303-2318, 2007.

    Examples
    --------
    >>> import networkx as nx
    >>> float(round(betweenness(nx.florentine_families_graph())["Medici"], 3))
    0.522
    >>> betweenness(nx.path_graph(3)).tolist()
    [0.0, 1.0, 0.0]
    """
    if weight is not None:
        raise ValueError(
            "betweenness uses unweighted (hop-count) shortest paths only; pass weight=None"
        )
    _check_undirected(G)
    nodes, A = _adjacency(G, None, loops=False)
    n = len(nodes)
    A = _pattern(A)
    if sources is None:
        src = np.arange(n)
        sampled = False
    elif isinstance(sources, (int, np.integer)) and not isinstance(sources, bool):
        k = int(sources)
        if k < 1:
            raise ValueError(f"sources must be None, a positive int or nodes, not {k}")
        sampled = k < n
        if sampled:
            rng = np.random.default_rng(seed)
            src = np.sort(rng.choice(n, size=k, replace=False))
        else:
            src = np.arange(n)
    else:
        index = {v: i for i, v in enumerate(nodes)}
        src = np.unique(np.array([index[v] for v in sources], dtype=np.int64))
        sampled = src.size < n
    batches = [src[start : start + _BATCH] for start in range(0, src.size, _BATCH)]
    raw = np.zeros(n)
    if len(batches) > 1 and _WORKERS > 1:
        with ThreadPoolExecutor(max_workers=_WORKERS) as pool:
            parts = list(pool.map(lambda batch: _batch_dependencies(A, batch), batches))
    else:
        parts = [_batch_dependencies(A, batch) for batch in batches]
    for part in parts:  # summed in batch order: the same result on any number of threads
        raw += part
    # rescaling, as networkx's _rescale with endpoints=False
    big_n = n - 1
    scale = np.ones(n)
    if big_n >= 2:
        k = src.size if sampled else big_n
        if normalized:
            s_src = 1 / ((k - 1) * (big_n - 1)) if k > 1 else math.nan
            s_other = 1 / (k * (big_n - 1))
        else:
            s_src = big_n / ((k - 1) * 2) if k > 1 else math.nan
            s_other = big_n / (k * 2)
        if sampled:
            scale[:] = s_other
            scale[src] = s_src
        else:
            scale[:] = 1 / (big_n * (big_n - 1)) if normalized else 0.5
    return pd.Series(raw * scale, index=pd.Index(nodes, dtype=object), dtype=float)


# ---------------------------------------------------------------------------
# structural holes
# ---------------------------------------------------------------------------


def _proportions(A: sp.csr_array) -> sp.csr_array:
    """Row-normalized mutual weights: p_ij = (a_ij + a_ji) / sum_k (a_ik + a_ki)."""
    totals = _rowsum(A)
    inv = np.divide(1.0, totals, out=np.zeros_like(totals), where=totals != 0)
    P = sp.csr_array(sp.diags_array(inv) @ A)
    return P


def burt_constraint(G: nx.Graph, weight: str | None = None) -> pd.Series:
    """Burt's constraint of every node.

    How much an organization's ties lead to the same others: near 1 when all
    its partners are tied to each other (no brokerage opportunity), low when
    its partners are unconnected.

    Parameters
    ----------
    G : networkx.Graph
        Undirected graph.
    weight : str or None, default None
        Edge attribute holding tie strength (1 where absent); None counts ties.

    Returns
    -------
    pandas.Series
        Float constraint indexed by node in ``G``'s order; NaN for isolates
        (nodes without a tie to another node).

    Notes
    -----
    ``c_i = sum_{j in N(i)} (p_ij + sum_q p_iq p_qj)^2`` with
    ``p_ij = (a_ij + a_ji) / sum_k (a_ik + a_ki)`` [1]_. With ``P`` the sparse
    row-normalized adjacency this is the row sum of the squares of
    ``P + P @ P`` restricted to the tie pattern: one sparse product. Equals
    ``nx.constraint`` [2]_.

    References
    ----------
    .. [1] Ronald S. Burt, "Structural Holes: The Social Structure of
       Competition", Harvard University Press, 1992.
    .. [2] Ronald S. Burt, "Structural Holes and Good Ideas", American Journal
       of Sociology 110(2):349-399, 2004. https://doi.org/10.1086/421787

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.path_graph(3)
    >>> G.add_node(9)
    >>> burt_constraint(G).round(3).tolist()
    [1.0, 0.5, 1.0, nan]
    """
    _check_undirected(G)
    nodes, A = _adjacency(G, weight)
    mask = _pattern(A)
    P = _proportions(A)
    C = P.multiply(mask) + (P @ P).multiply(mask)
    values = _rowsum(C.multiply(C))
    values[_isolated(mask)] = np.nan
    return pd.Series(values, index=pd.Index(nodes, dtype=object), dtype=float)


def effective_size(G: nx.Graph, weight: str | None = None) -> pd.Series:
    """Burt's effective size of every node's network.

    The number of an organization's partners minus their redundancy: close to
    the degree when the partners do not know each other.

    Parameters
    ----------
    G : networkx.Graph
        Undirected graph.
    weight : str or None, default None
        Edge attribute holding tie strength (1 where absent); None counts ties.

    Returns
    -------
    pandas.Series
        Float effective size indexed by node in ``G``'s order; NaN for isolates.

    Notes
    -----
    General form [1]_: ``e_i = sum_{j in N(i)} (1 - sum_q p_iq m_jq)`` with
    ``p`` the row-normalized and ``m_jq = a_jq / max_k a_jk`` the row-max
    normalized mutual weights, i.e. ``deg(i)`` minus the row sum of
    ``P @ M.T`` on the tie pattern. Without weights this is Borgatti's
    ``n - 2t/n`` [2]_ (``n`` partners, ``t`` ties among them), computed from the
    triangle counts ``((A @ A) * A).sum(1) / 2``. Equals networkx's
    per-node ``nx.effective_size(G, nodes=list(G), weight=...)``. With weights,
    networkx 3.6's own vectorized path (``nodes=None``) divides by the wrong
    maxima (column instead of row, networkx PR #8906) and differs; Burt's
    definition, followed here, normalizes by ``j``'s strongest tie. Isolates
    (no tie to another node) give NaN.

    References
    ----------
    .. [1] Ronald S. Burt, "Structural Holes: The Social Structure of
       Competition", Harvard University Press, 1992.
    .. [2] Stephen P. Borgatti, "Structural Holes: Unpacking Burt's
       Redundancy Measures", Connections 20(1):35-38, 1997.

    Examples
    --------
    >>> import networkx as nx
    >>> effective_size(nx.complete_graph(3)).tolist()
    [1.0, 1.0, 1.0]
    >>> effective_size(nx.star_graph(3)).tolist()
    [3.0, 1.0, 1.0, 1.0]
    """
    _check_undirected(G)
    nodes, A = _adjacency(G, weight)
    mask = _pattern(A)
    degree = np.diff(A.indptr).astype(float)
    if weight is None:
        # Borgatti: n - 2t/n over the ego network without ego (self-loops of
        # partners count as ties among them, as in nx.ego_graph(...).size()).
        loops = mask.diagonal()
        A0 = mask - sp.diags_array(loops)
        A0.eliminate_zeros()
        k = _rowsum(A0)
        t = _rowsum((A0 @ A0).multiply(A0)) / 2 + A0 @ loops
        values = np.divide(k * k - 2 * t, k, out=np.full_like(k, np.nan), where=k > 0)
    else:
        P = _proportions(A)
        peak = np.zeros(A.shape[0])
        has = np.diff(A.indptr) > 0
        peak[has] = np.maximum.reduceat(A.data, A.indptr[:-1][has]) if A.nnz else 0.0
        inv = np.divide(1.0, peak, out=np.zeros_like(peak), where=peak != 0)
        M = sp.csr_array(sp.diags_array(inv) @ A)
        redundancy = _rowsum((P @ M.T).multiply(mask))
        values = degree - redundancy
        values[_isolated(mask)] = np.nan
    return pd.Series(values, index=pd.Index(nodes, dtype=object), dtype=float)


# ---------------------------------------------------------------------------
# Gould-Fernandez brokerage
# ---------------------------------------------------------------------------


def brokerage_roles(G: nx.Graph, attr: str = "country") -> pd.DataFrame:
    """Gould-Fernandez brokerage roles of every node, with a node attribute as group.

    A node ``v`` brokers an ordered pair ``(a, b)`` of its partners when
    ``a != b`` and ``a`` and ``b`` are not tied to each other (an open two-path
    ``a - v - b``). The role depends on the groups ``g`` (countries):

    ==============  ======================  =========================================
    role            groups                  meaning
    ==============  ======================  =========================================
    coordinator     g(a) = g(v) = g(b)      mediates within its own country
    itinerant       g(a) = g(b) != g(v)     outsider linking two of another country
                                            (Gould-Fernandez "consultant")
    gatekeeper      g(a) != g(v) = g(b)     lets an outsider in to its country
    representative  g(a) = g(v) != g(b)     speaks for its country to an outsider
    liaison         all three differ        links two foreign countries
    ==============  ======================  =========================================

    Parameters
    ----------
    G : networkx.Graph
        Undirected graph.
    attr : str, default "country"
        Node attribute giving the group. Nodes without it (or with None/NaN)
        form one group of their own, :data:`MISSING_GROUP` (``"?"``).

    Returns
    -------
    pandas.DataFrame
        Index: nodes in ``G``'s order. Int columns ``coordinator``,
        ``itinerant``, ``gatekeeper``, ``representative``, ``liaison``.

    Notes
    -----
    Ties are undirected, so each open path is counted in both directions,
    ``a - v - b`` and ``b - v - a``, as ordered two-paths of the symmetric
    relation [1]_: coordinator, itinerant and liaison counts are twice the
    number of unordered open pairs, and the gatekeeper and representative
    counts of a node are equal (each open path between its own and another
    country is one of each). Halve the former and add the latter for
    unordered counts.

    Vectorized: with ``A`` the 0/1 adjacency and ``H`` the one-hot groups,
    ``N = A @ H`` counts each node's partners per group, which gives all
    ordered pairs of partners per role (e.g. ``s (s - 1)`` coordinator pairs
    with ``s`` same-group partners). The closed pairs (``a`` tied to ``b``)
    are subtracted per role, as row sums of masked sparse products of
    ``A_in`` (same-group ties) and ``A_out = A - A_in``: closed coordinator
    ``(A_in @ A_in) * A_in``, gatekeeper ``(A_out @ A_out) * A_in``,
    representative ``(A_in @ A_out) * A_out``, itinerant
    ``(A_out @ A_in) * A_out``, liaison ``(A_out @ A_out) * A_out`` (the last
    factor is the ``v - b`` tie, the middle one the ``a - b`` tie).
    Self-loops are ignored.

    References
    ----------
    .. [1] Roger V. Gould and Roberto M. Fernandez, "Structures of Mediation:
       A Formal Approach to Brokerage in Transaction Networks", Sociological
       Methodology 19:89-126, 1989. https://doi.org/10.2307/270949

    Examples
    --------
    A Serbian organization between two from Bosnia and Herzegovina is an
    itinerant broker (the open path counted in both directions):

    >>> import networkx as nx
    >>> G = nx.Graph([("a", "v"), ("v", "b")])
    >>> nx.set_node_attributes(G, {"a": "BA", "v": "RS", "b": "BA"}, "country")
    >>> brokerage_roles(G).loc["v"].to_dict()
    {'coordinator': 0, 'itinerant': 2, 'gatekeeper': 0, 'representative': 0, 'liaison': 0}
    """
    _check_undirected(G)
    nodes, A = _adjacency(G, None, loops=False)
    n = len(nodes)
    index = pd.Index(nodes, dtype=object)
    if n == 0:
        return pd.DataFrame({r: pd.Series([], dtype=np.int64) for r in ROLES}, index=index)
    A = _pattern(A)
    labels, codes = _groups(G, attr)
    H = sp.csr_array((np.ones(n), (np.arange(n), codes)), shape=(n, len(labels)))
    N = (A @ H).toarray()  # partners per group
    rows = np.arange(n)
    s = N[rows, codes]  # same-group partners
    d = N.sum(axis=1) - s  # partners of other groups
    sq_other = (N * N).sum(axis=1) - s * s
    other_minus = (N * (N - 1)).sum(axis=1) - s * (s - 1)
    # all ordered pairs of distinct partners, per role
    total = {
        "coordinator": s * (s - 1),
        "itinerant": other_minus,
        "gatekeeper": d * s,
        "representative": s * d,
        "liaison": d * d - sq_other,
    }
    # closed pairs per role
    coo = A.tocoo()
    same = codes[coo.row] == codes[coo.col]
    A_in = sp.csr_array((coo.data[same], (coo.row[same], coo.col[same])), shape=(n, n))
    A_out = sp.csr_array((coo.data[~same], (coo.row[~same], coo.col[~same])), shape=(n, n))
    out_out = A_out @ A_out
    closed = {
        "coordinator": _rowsum((A_in @ A_in).multiply(A_in)),
        "itinerant": _rowsum((A_out @ A_in).multiply(A_out)),
        "gatekeeper": _rowsum(out_out.multiply(A_in)),
        "representative": _rowsum((A_in @ A_out).multiply(A_out)),
        "liaison": _rowsum(out_out.multiply(A_out)),
    }
    data = {r: np.rint(total[r] - closed[r]).astype(np.int64) for r in ROLES}
    return pd.DataFrame(data, index=index)


# ---------------------------------------------------------------------------
# table
# ---------------------------------------------------------------------------


def _eigenvector(G: nx.Graph, weight: str | None) -> np.ndarray:
    """Eigenvector centrality on the largest connected component, NaN elsewhere."""
    values = np.full(len(G), np.nan)
    if G.number_of_edges() == 0:
        return values
    # largest component; ties -> the one holding the earliest node in G's order
    position = {v: i for i, v in enumerate(G)}
    main = min(nx.connected_components(G), key=lambda c: (-len(c), min(map(position.get, c))))
    if len(main) < 2:
        return values
    H = G.subgraph(sorted(main, key=position.__getitem__))
    at = [position[v] for v in H]
    if len(H) == 2:
        # both ends of a single tie; scipy's sparse eigensolver needs n >= 3
        values[at] = 1 / math.sqrt(2)
        return values
    try:
        ev = nx.eigenvector_centrality_numpy(H, weight=weight)
    except (nx.NetworkXException, ArpackError, ValueError, TypeError):
        return values
    values[at] = [ev[v] for v in H]
    return values


def centrality_table(
    G: nx.Graph,
    *,
    weight: str | None = None,
    sources: int | str | None = "auto",
    seed: int = 0,
) -> pd.DataFrame:
    """Centrality and structural-hole measures, one row per organization.

    Parameters
    ----------
    G : networkx.Graph
        Undirected graph.
    weight : None or str, default None
        Edge attribute of tie strength used for ``weighted_degree``,
        ``eigenvector``, ``constraint`` and ``effective_size``. Betweenness
        always uses unweighted shortest paths (weights are strengths, not
        distances). With None, ``weighted_degree`` sums the ``weight``
        attribute anyway (1 where absent), so it is the degree on unweighted
        graphs.
    sources : "auto", None or int, default "auto"
        Betweenness sources: ``"auto"`` uses :func:`auto_sources`; see
        :func:`betweenness` for None and int.
    seed : int, default 0
        Seed of the betweenness source sample.

    Returns
    -------
    pandas.DataFrame
        Index ``org_id`` (nodes in ``G``'s order); columns ``degree`` (int),
        ``weighted_degree``, ``betweenness`` (normalized), ``eigenvector``,
        ``constraint``, ``effective_size`` (floats).
        ``df.attrs["betweenness_sources"]`` is the number of sampled sources,
        or None when betweenness is exact.

    Notes
    -----
    Eigenvector centrality [1]_ is defined here on the largest connected
    component only (``nx.eigenvector_centrality_numpy`` on it, unit norm over
    its nodes): on a disconnected graph the leading eigenvector is not unique
    (networkx raises ``AmbiguousSolution``) and values of different
    components are not comparable. Nodes outside that component, graphs
    without ties and solver failures give NaN. Constraint and effective size
    are NaN for isolates.

    References
    ----------
    .. [1] Phillip Bonacich, "Power and Centrality: A Family of Measures",
       American Journal of Sociology 92(5):1170-1182, 1987.

    Examples
    --------
    >>> import networkx as nx
    >>> t = centrality_table(nx.florentine_families_graph())
    >>> t.loc["Medici", ["degree", "betweenness"]].round(3).tolist()
    [6.0, 0.522]
    >>> t.attrs["betweenness_sources"] is None
    True
    """
    _check_undirected(G)
    nodes = list(G)
    index = pd.Index(nodes, dtype=object, name="org_id")
    if sources == "auto":
        k = auto_sources(len(nodes))
    elif sources is None or isinstance(sources, (int, np.integer)):
        k = None if sources is None or sources >= len(nodes) else int(sources)
    else:
        raise ValueError(f"sources must be 'auto', None or an int, not {sources!r}")
    degree = np.array([d for _, d in G.degree()], dtype=np.int64)
    wdeg = np.array([d for _, d in G.degree(weight="weight" if weight is None else weight)],
                    dtype=float)
    table = pd.DataFrame(
        {
            "degree": degree,
            "weighted_degree": wdeg,
            "betweenness": betweenness(G, sources=k, seed=seed).to_numpy(),
            "eigenvector": _eigenvector(G, weight),
            "constraint": burt_constraint(G, weight).to_numpy(),
            "effective_size": effective_size(G, weight).to_numpy(),
        },
        index=index,
    )
    table.attrs["betweenness_sources"] = k
    return table


# ---------------------------------------------------------------------------
# fragility
# ---------------------------------------------------------------------------


def _country_dict(counts: np.ndarray, labels: list[Any]) -> dict[Any, int]:
    nz = np.flatnonzero(counts)
    order = sorted(nz, key=lambda j: (-counts[j], str(labels[j])))
    return {labels[j]: int(counts[j]) for j in order}


def cut_points(G: nx.Graph, attr: str = "country") -> pd.DataFrame:
    """Articulation points and the organizations that depend on each.

    Removing an articulation point ``v`` splits its connected component into
    pieces. The organizations outside the largest remaining piece are cut off
    from it: ``cut_off`` counts them and ``countries`` says where they are.

    Parameters
    ----------
    G : networkx.Graph
        Undirected graph.
    attr : str, default "country"
        Node attribute reported in ``countries`` (missing values as ``"?"``).

    Returns
    -------
    pandas.DataFrame
        Columns ``org_id``, ``cut_off`` (int), ``countries`` (dict country ->
        number of cut-off organizations, by count descending then code),
        ``component_size`` (int, size of ``v``'s component including ``v``);
        sorted by ``cut_off`` descending, then ``org_id``.

    Notes
    -----
    All articulation points at once, in time linear in the size of the graph,
    on the block-cut tree [1]_: the tree of the graph's vertices and its
    biconnected components (blocks), each vertex tied to the blocks holding
    it. Rooted at the first node of each component, the pieces left by
    removing ``v`` are the subtrees under ``v``'s child blocks and the rest of
    the component; their sizes and per-country counts are subtree sums,
    accumulated level by level from the leaves. When pieces tie for largest,
    the one holding the earliest node in ``G``'s order is kept.

    References
    ----------
    .. [1] John Hopcroft and Robert Tarjan, "Algorithm 447: Efficient
       Algorithms for Graph Manipulation", Communications of the ACM
       16(6):372-378, 1973. https://doi.org/10.1145/362248.362272

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.Graph([("a", "b"), ("b", "c"), ("c", "d"), ("c", "e")])
    >>> nx.set_node_attributes(G, {"a": "BA", "b": "BA", "c": "RS", "d": "ME", "e": "ME"},
    ...                        "country")
    >>> cut_points(G).values.tolist()
    [['c', 2, {'ME': 2}, 5], ['b', 1, {'BA': 1}, 5]]
    """
    _check_undirected(G)
    columns = ["org_id", "cut_off", "countries", "component_size"]
    nodes, A = _adjacency(G, None, loops=False)
    n = len(nodes)
    aps = set(nx.articulation_points(G)) if n else set()
    if not aps:
        return pd.DataFrame({
            "org_id": pd.Series([], dtype=object),
            "cut_off": pd.Series([], dtype=np.int64),
            "countries": pd.Series([], dtype=object),
            "component_size": pd.Series([], dtype=np.int64),
        })[columns]
    index = {v: i for i, v in enumerate(nodes)}
    labels, codes = _groups(G, attr)
    k = len(labels)
    # block-cut tree: vertices 0..n-1, blocks n..n+B-1, a super-root n+B joined to
    # the first node of every component
    tu: list[int] = []
    tv: list[int] = []
    n_blocks = 0
    for block in nx.biconnected_components(G):
        b = n + n_blocks
        n_blocks += 1
        for v in block:
            tu.append(index[v])
            tv.append(b)
    _, comp = csgraph.connected_components(A, directed=False)
    _, roots = np.unique(comp, return_index=True)
    super_root = n + n_blocks
    size = super_root + 1
    rows = np.concatenate([np.asarray(tu, dtype=np.int64), roots])
    cols = np.concatenate([np.asarray(tv, dtype=np.int64), np.full(roots.size, super_root)])
    T = sp.csr_array((np.ones(rows.size), (rows, cols)), shape=(size, size))
    T = T + T.T
    depth = csgraph.shortest_path(T, unweighted=True, indices=super_root)
    order, parent = csgraph.breadth_first_order(T, super_root, directed=False)
    depth = depth.astype(np.int64)
    # subtree sums: counts per country, and the smallest node position inside
    sub = np.zeros((size, k), dtype=np.int64)
    sub[np.arange(n), codes] = 1
    first = np.full(size, np.iinfo(np.int64).max)
    first[:n] = np.arange(n)
    by_depth = order[np.argsort(depth[order], kind="stable")]
    bounds = np.searchsorted(depth[by_depth], np.arange(depth.max() + 2))
    for d in range(int(depth.max()), 0, -1):
        level = by_depth[bounds[d] : bounds[d + 1]]
        up = parent[level]
        np.add.at(sub, up, sub[level])
        np.minimum.at(first, up, first[level])
    sizes = sub.sum(axis=1)
    # pieces left by removing each articulation point v
    ap_idx = np.array(sorted(index[v] for v in aps), dtype=np.int64)
    is_ap = np.zeros(size, dtype=bool)
    is_ap[ap_idx] = True
    blocks = np.arange(n, n + n_blocks)
    child_blocks = blocks[is_ap[parent[blocks]]]
    owner = parent[child_blocks]
    root_of = roots[comp]  # component root (first node) of each vertex
    comp_counts = sub[root_of[ap_idx]]
    above = comp_counts - sub[ap_idx]  # the rest of the component (may be empty)
    piece_ap = np.concatenate([owner, ap_idx])
    piece_counts = np.concatenate([sub[child_blocks], above])
    piece_size = piece_counts.sum(axis=1)
    piece_first = np.concatenate([first[child_blocks], root_of[ap_idx]])
    pick = np.lexsort((piece_first, -piece_size, piece_ap))
    piece_ap, piece_counts = piece_ap[pick], piece_counts[pick]
    _, head = np.unique(piece_ap, return_index=True)
    largest = piece_counts[head]  # rows follow ap_idx (sorted)
    own = np.zeros((ap_idx.size, k), dtype=np.int64)
    own[np.arange(ap_idx.size), codes[ap_idx]] = 1
    cut = comp_counts - own - largest
    table = pd.DataFrame({
        "org_id": pd.Series([nodes[i] for i in ap_idx], dtype=object),
        "cut_off": cut.sum(axis=1).astype(np.int64),
        "countries": [_country_dict(row, labels) for row in cut],
        "component_size": sizes[root_of[ap_idx]].astype(np.int64),
    })
    try:
        table = table.sort_values(["cut_off", "org_id"], ascending=[False, True], kind="stable")
    except TypeError:  # org ids of mixed types
        table = table.assign(_key=table["org_id"].map(str))
        table = table.sort_values(["cut_off", "_key"], ascending=[False, True], kind="stable")
        table = table.drop(columns="_key")
    return table.reset_index(drop=True)[columns]


def bridges(G: nx.Graph) -> list[tuple[Any, Any]]:
    """Ties whose removal disconnects their two organizations.

    Parameters
    ----------
    G : networkx.Graph
        Undirected graph.

    Returns
    -------
    list of tuple
        The bridges of ``nx.bridges(G)``, each pair sorted, the list sorted
        (numbers before strings when ids are mixed).

    Notes
    -----
    A tie is a bridge exactly when it forms a biconnected component of its
    own [1]_; those two-node blocks are read off ``nx.biconnected_components``,
    which is several times faster than ``nx.bridges``' chain decomposition.

    References
    ----------
    .. [1] Robert Endre Tarjan, "A note on finding the bridges of a graph",
       Information Processing Letters 2(6):160-161, 1974.

    Examples
    --------
    >>> import networkx as nx
    >>> bridges(nx.Graph([("b", "a"), ("b", "c"), ("c", "a"), ("c", "d")]))
    [('c', 'd')]
    """
    _check_undirected(G)
    if G.number_of_edges() == 0:
        return []
    blocks = (block for block in nx.biconnected_components(G) if len(block) == 2)
    pairs = [tuple(sorted(block, key=_sort_key)) for block in blocks]
    return sorted(pairs, key=lambda p: (_sort_key(p[0]), _sort_key(p[1])))


def _sort_key(x: Any) -> tuple[int, Any]:
    """Natural order for numbers and for strings; strings after numbers when mixed."""
    if isinstance(x, (int, float, np.integer, np.floating)) and not isinstance(x, bool):
        return (0, x)
    return (1, str(x))
