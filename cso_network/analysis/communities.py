"""Communities and components: which groups of organizations hang together, and do they cross borders?

- :func:`detect_communities`: Louvain communities [1]_ (networkx, always
  seeded) with their modularity [2]_, a table of who is in each community and
  from which countries, and the normalized mutual information between
  communities and countries (low NMI = communities that cross borders);
- :func:`normalized_mutual_information`: NMI of two labelings [3]_, with
  numpy (no scikit-learn);
- :func:`components_summary`: connected components and isolates.

Pure functions over an undirected ``networkx.Graph`` whose nodes carry a
country attribute; undefined numbers are ``None``.

References
----------
.. [1] Blondel, V. D., Guillaume, J.-L., Lambiotte, R. and Lefebvre, E.
   (2008). Fast unfolding of communities in large networks. *Journal of
   Statistical Mechanics* P10008.
.. [2] Newman, M. E. J. (2006). Modularity and community structure in
   networks. *PNAS* 103(23), 8577-8582.
.. [3] Strehl, A. and Ghosh, J. (2002). Cluster ensembles - a knowledge reuse
   framework for combining multiple partitions. *JMLR* 3, 583-617.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field

import networkx as nx
import numpy as np
import pandas as pd

__all__ = [
    "CommunityResult",
    "normalized_mutual_information",
    "detect_communities",
    "components_summary",
]


def _sorted_nodes(nodes: Iterable[Hashable]) -> list[Hashable]:
    """Nodes in their natural order; mixed types grouped by type name, then ordered within."""
    items = list(nodes)
    for key in (None, lambda n: (type(n).__name__, n)):
        try:
            return sorted(items, key=key)
        except TypeError:
            continue
    return sorted(items, key=lambda n: (type(n).__name__, str(n)))


def _has_value(value: object) -> bool:
    """True unless the attribute value is missing (``None`` or a float NaN)."""
    return value is not None and not (isinstance(value, float) and math.isnan(value))


def _entropy(counts: np.ndarray, n: int) -> float:
    """Shannon entropy (natural log) of a distribution given as counts summing to n."""
    p = counts[counts > 0] / n
    return float(-(p * np.log(p)).sum())


def normalized_mutual_information(
    labels_a: Sequence[Hashable], labels_b: Sequence[Hashable]
) -> float | None:
    """Normalized mutual information of two labelings of the same items.

    Parameters
    ----------
    labels_a, labels_b : sequence of hashable
        Labels of the same items in the same order (e.g. community ids and
        countries of the same organizations). Label values only need to be
        hashable; they are compared, not ordered.

    Returns
    -------
    float or None
        ``I(A; B) / ((H(A) + H(B)) / 2)`` in [0, 1]: 1 when the labelings
        are the same partition (up to renaming), 0 when independent.
        ``None`` for empty input.

    Raises
    ------
    ValueError
        The two sequences differ in length.

    Notes
    -----
    Entropies and mutual information use natural logarithms (the base cancels)
    and are computed from the contingency table of the two labelings. The
    normalizer is the arithmetic mean of the entropies, scikit-learn's default
    (``average_method="arithmetic"``) since version 0.22; the score is not
    adjusted for chance. As in scikit-learn, when both labelings put every
    item in one class (both entropies 0) the result is 1.0; when only one does,
    the mutual information is 0 and so is the result. Tiny negative mutual
    information from rounding is clipped to 0.

    Examples
    --------
    >>> normalized_mutual_information([0, 0, 1, 1], [1, 1, 0, 0])
    1.0
    >>> normalized_mutual_information([0, 0, 1, 1], [0, 1, 0, 1])
    0.0
    >>> round(normalized_mutual_information(["a", "a", "b", "b"], ["x", "x", "x", "y"]), 4)
    0.3437

    References
    ----------
    .. [1] Strehl, A. and Ghosh, J. (2002). Cluster ensembles - a knowledge
       reuse framework for combining multiple partitions. *JMLR* 3, 583-617.
    .. [2] Vinh, N. X., Epps, J. and Bailey, J. (2010). Information theoretic
       measures for clusterings comparison. *JMLR* 11, 2837-2854.
    """
    if len(labels_a) != len(labels_b):
        raise ValueError(
            f"labelings differ in length: {len(labels_a)} and {len(labels_b)}"
        )
    n = len(labels_a)
    if n == 0:
        return None
    codes_a, uniq_a = pd.factorize(pd.Series(list(labels_a), dtype=object), sort=False)
    codes_b, uniq_b = pd.factorize(pd.Series(list(labels_b), dtype=object), sort=False)
    ka, kb = len(uniq_a), len(uniq_b)
    table = np.bincount(codes_a * kb + codes_b, minlength=ka * kb).reshape(ka, kb)
    row, col = table.sum(axis=1), table.sum(axis=0)
    h_a, h_b = _entropy(row, n), _entropy(col, n)
    if h_a == 0.0 and h_b == 0.0:
        return 1.0
    i, j = np.nonzero(table)
    if len(i) == ka == kb:  # one cell per row and per column: the same partition
        return 1.0
    nij = table[i, j].astype(np.float64)
    # the ratio of exact integers is exactly 1 for independent cells, so those add exactly 0
    ratio = (nij * n) / (row[i].astype(np.float64) * col[j].astype(np.float64))
    mi = max(float((nij / n * np.log(ratio)).sum()), 0.0)
    return float(min(mi / ((h_a + h_b) / 2.0), 1.0))


@dataclass
class CommunityResult:
    """Result of :func:`detect_communities`.

    Attributes
    ----------
    partition : dict
        Node -> community id (0 = largest community).
    modularity : float or None
        Modularity of the partition (at the resolution used); ``None`` when
        the graph has no ties.
    table : pandas.DataFrame
        One row per community, by id: ``id``, ``size``, ``countries`` (dict
        country -> number of members, largest count first, then by code;
        members without a country are not counted), ``members`` (tuple of
        node ids, sorted).
    nmi_country : float or None
        Normalized mutual information between community and country over the
        nodes that have a country; ``None`` when no node has one.
    """

    partition: dict[Hashable, int]
    modularity: float | None
    table: pd.DataFrame = field(repr=False)
    nmi_country: float | None


def _country_counts(values: Iterable[Hashable]) -> dict[Hashable, int]:
    """Count countries, largest first, then by code."""
    counts = Counter(v for v in values if _has_value(v))
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], str(kv[0]))))


def detect_communities(
    G: nx.Graph,
    *,
    attr: str = "country",
    weight: str | None = None,
    resolution: float = 1.0,
    seed: int = 0,
) -> CommunityResult:
    """Louvain communities with modularity and their overlap with countries.

    Parameters
    ----------
    G : networkx.Graph
        Undirected graph; countries in ``G.nodes[n][attr]``.
    attr : str, default "country"
        Node attribute compared with the communities.
    weight : str or None, default None
        ``None`` treats every tie as 1 (networkx's own default would use
        ``"weight"``); otherwise the edge attribute used as tie strength, for
        Louvain and for the modularity.
    resolution : float, default 1.0
        Louvain resolution: below 1 favours larger communities, above 1 smaller.
    seed : int, default 0
        Seed passed to :func:`networkx.community.louvain_communities`; same
        graph and seed, same partition.

    Returns
    -------
    CommunityResult
        ``partition``, ``modularity``, ``table``, ``nmi_country``.

    Notes
    -----
    Communities are found by ``nx.community.louvain_communities(G,
    weight=weight, resolution=resolution, seed=seed)`` [1]_ and scored with
    ``nx.community.modularity`` at the same weight and resolution [2]_. They are
    numbered by size, largest first, then by their smallest member. Isolated
    organizations are their own singleton communities (as Louvain returns
    them); they count in ``table`` and in the NMI. A graph without ties has
    only singletons and ``modularity = None`` (modularity divides by the
    number of ties). The NMI (:func:`normalized_mutual_information`) is near
    0 when communities mix countries, 1 when each community is exactly one
    country.

    Examples
    --------
    >>> G = nx.disjoint_union(nx.complete_graph(4), nx.complete_graph(4))
    >>> G.add_edge(0, 4)
    >>> nx.set_node_attributes(G, {n: "BA" if n < 4 else "RS" for n in G}, "country")
    >>> r = detect_communities(G)
    >>> r.table[["id", "size", "countries"]].values.tolist()
    [[0, 4, {'BA': 4}], [1, 4, {'RS': 4}]]
    >>> round(r.modularity, 4), r.nmi_country
    (0.4231, 1.0)

    References
    ----------
    .. [1] Blondel, V. D., Guillaume, J.-L., Lambiotte, R. and Lefebvre, E.
       (2008). Fast unfolding of communities in large networks. *Journal of
       Statistical Mechanics* P10008.
    .. [2] Newman, M. E. J. (2006). Modularity and community structure in
       networks. *PNAS* 103(23), 8577-8582.
    """
    columns = ["id", "size", "countries", "members"]
    if G.number_of_nodes() == 0:
        table = pd.DataFrame({c: pd.Series([], dtype=object) for c in columns})
        return CommunityResult({}, None, table, None)
    found = nx.community.louvain_communities(_in_sorted_order(G, weight), weight=weight,
                                             resolution=resolution, seed=seed)
    groups = [tuple(_sorted_nodes(c)) for c in found]
    groups = _order_groups(groups)
    partition = {node: cid for cid, members in enumerate(groups) for node in members}

    modularity = None
    if G.number_of_edges() > 0:
        total = G.size(weight=weight)
        if total > 0:
            modularity = float(
                nx.community.modularity(G, [set(g) for g in groups], weight=weight,
                                        resolution=resolution)
            )

    country = dict(G.nodes(data=attr))
    table = pd.DataFrame({
        "id": list(range(len(groups))),
        "size": [len(g) for g in groups],
        "countries": [_country_counts(country[n] for n in g) for g in groups],
        "members": groups,
    }, columns=columns)

    labelled = [n for n in G if _has_value(country[n])]
    nmi = normalized_mutual_information(
        [partition[n] for n in labelled], [country[n] for n in labelled]
    )
    return CommunityResult(partition, modularity, table, nmi)


def _in_sorted_order(G: nx.Graph, weight: str | None) -> nx.Graph:
    """A copy of ``G`` with nodes and edges added in sorted order (with ``weight`` only).

    Louvain visits nodes in the graph's order, so the same network read from
    rows in another order could split differently; sorted, the partition
    depends on the network alone.
    """
    order = _sorted_nodes(G.nodes)
    rank = {n: i for i, n in enumerate(order)}
    H = nx.Graph()
    H.add_nodes_from(order)
    edges = sorted(((u, v) if rank[u] <= rank[v] else (v, u) for u, v in G.edges()),
                   key=lambda e: (rank[e[0]], rank[e[1]]))
    if weight is None:
        H.add_edges_from(edges)
    else:
        H.add_weighted_edges_from(((u, v, G.edges[u, v].get(weight, 1)) for u, v in edges),
                                  weight=weight)
    return H


def _order_groups(groups: list[tuple[Hashable, ...]]) -> list[tuple[Hashable, ...]]:
    """Order member tuples (each sorted) by size, largest first, then by smallest member."""
    firsts = _sorted_nodes({g[0] for g in groups})
    rank = {n: i for i, n in enumerate(firsts)}
    return sorted(groups, key=lambda g: (-len(g), rank[g[0]]))


def components_summary(G: nx.Graph) -> dict:
    """Connected components and isolates.

    Parameters
    ----------
    G : networkx.Graph
        Undirected graph.

    Returns
    -------
    dict
        ``components`` (int, number of connected components, isolates
        included), ``isolates`` (sorted list of nodes without ties),
        ``largest_component_size`` (int, 0 for an empty graph),
        ``component_sizes`` (list of sizes, largest first).

    Notes
    -----
    A node with only a self-loop is not an isolate in networkx's sense
    (:func:`networkx.isolates`), but forms a component of size 1.

    Examples
    --------
    >>> G = nx.Graph([("a", "b"), ("b", "c"), ("d", "e")])
    >>> G.add_node("f")
    >>> components_summary(G)
    {'components': 3, 'isolates': ['f'], 'largest_component_size': 3, 'component_sizes': [3, 2, 1]}
    """
    sizes = sorted((len(c) for c in nx.connected_components(G)), reverse=True)
    return {
        "components": len(sizes),
        "isolates": _sorted_nodes(nx.isolates(G)),
        "largest_component_size": sizes[0] if sizes else 0,
        "component_sizes": sizes,
    }
