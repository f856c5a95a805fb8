"""Build networkx graphs of organizations from a :class:`~cso_network.core.model.Dataset`.

Three layers of the organization network, plus the participant-seminar graph:

``met``
    Two organizations are linked when participants of both attended the same
    seminar. ``weight`` = number of shared seminars; ``seminars`` lists them
    (by start date).
``collaborated``
    Declared collaborations (undirected). ``kind`` joins the declared kinds
    with ``"; "`` (``kinds`` keeps them as a tuple), ``since`` is the earliest
    start (ISO text: a date or a bare year), ``source`` joins the sources,
    ``weight`` = number of declared kinds.
``combined``
    The union. ``met`` and ``collaborated`` are booleans marking which layers
    hold the tie, the layers' attributes are kept (``seminars``, ``kind``,
    ``since``, ``source``), ``met_weight`` and ``collaboration_weight`` are the
    layers' weights and ``weight = met_weight + COLLABORATION_WEIGHT *
    collaboration_weight``: a declared collaboration counts as much as two
    shared seminars.

Every organization is a node, isolates included, with attributes ``name``,
``country``, ``city``, ``type``, ``fields``, ``practices``, ``risk_factors``
(tuples), ``seminars`` (tuple of seminar ids attended), ``participants``
(count) and ``engagements`` (count of UNOGP engagements).

The pair work is done with pandas and scipy.sparse (co-attendance is the
product of the organization x seminar incidence matrix with its transpose), so
building stays fast at 10,000 organizations.
"""

from __future__ import annotations

import contextlib
import itertools
from collections.abc import Iterable

import networkx as nx
import numpy as np
import pandas as pd
import scipy.sparse as sp

from cso_network.core.exceptions import CsoNetworkError
from cso_network.core.model import Dataset

__all__ = [
    "COLLABORATION_WEIGHT",
    "org_seminars",
    "incidence_matrix",
    "met_graph",
    "collaboration_graph",
    "combined_graph",
    "build_layer",
    "check_layer",
    "LAYERS",
    "pair_neighbourhood",
    "participant_seminar_graph",
]

#: How many shared seminars a declared collaboration is worth in the combined layer.
COLLABORATION_WEIGHT = 2.0


def org_seminars(dataset: Dataset) -> pd.DataFrame:
    """Return the distinct (org_id, seminar_id) pairs: which organization was at which seminar.

    An organization attended a seminar when at least one of its participants did.

    Examples
    --------
    >>> from cso_network.core.model import Dataset, frame_from_records as f
    >>> ds = Dataset.from_frames({
    ...     "participants": f("participants", [{"participant_id": "p1", "org_id": "A"},
    ...                                        {"participant_id": "p2", "org_id": "A"}]),
    ...     "attendance": f("attendance", [{"participant_id": "p1", "seminar_id": "S"},
    ...                                    {"participant_id": "p2", "seminar_id": "S"}])})
    >>> org_seminars(ds).values.tolist()
    [['A', 'S']]
    """
    att = dataset.attendance.merge(
        dataset.participants[["participant_id", "org_id"]], on="participant_id", how="inner"
    )
    pairs = att[["org_id", "seminar_id"]].drop_duplicates()
    return pairs.sort_values(["org_id", "seminar_id"], kind="stable").reset_index(drop=True)


def _seminar_order(dataset: Dataset, seminar_ids: Iterable[str]) -> list[str]:
    """Seminar ids sorted by start date, then id (missing seminars last)."""
    start = dict(zip(dataset.seminars["seminar_id"], dataset.seminars["start_date"], strict=True))
    return sorted(set(seminar_ids), key=lambda s: (start.get(s) is None, start.get(s) or "", s))


def incidence_matrix(dataset: Dataset) -> tuple[list[str], list[str], sp.csr_array]:
    """Return the organization x seminar incidence matrix.

    Returns
    -------
    (org_ids, seminar_ids, B)
        ``B[i, s] = 1`` when organization ``org_ids[i]`` attended seminar
        ``seminar_ids[s]``; orgs in table order, seminars by start date.
        ``B`` is a :class:`scipy.sparse.csr_array` (``B @ B.T`` counts the
        seminars two organizations share).
    """
    orgs = list(dataset.organizations["org_id"])
    pairs = org_seminars(dataset)
    seminars = _seminar_order(dataset, list(dataset.seminars["seminar_id"]) + list(pairs["seminar_id"]))
    oi = {o: i for i, o in enumerate(orgs)}
    si = {s: i for i, s in enumerate(seminars)}
    pairs = pairs[pairs["org_id"].isin(oi)]
    rows = pairs["org_id"].map(oi).to_numpy(dtype=np.int64)
    cols = pairs["seminar_id"].map(si).to_numpy(dtype=np.int64)
    data = np.ones(len(rows), dtype=np.float64)
    b = sp.csr_array((data, (rows, cols)), shape=(len(orgs), len(seminars)))
    return orgs, seminars, b


def _add_org_nodes(g: nx.Graph, dataset: Dataset) -> None:
    orgs = dataset.organizations
    pairs = org_seminars(dataset)
    seminar_order = {s: i for i, s in enumerate(_seminar_order(dataset, pairs["seminar_id"]))}
    attended: dict[str, list[str]] = {}
    for org, sem in zip(pairs["org_id"], pairs["seminar_id"], strict=True):
        attended.setdefault(org, []).append(sem)
    people = dataset.participants["org_id"].value_counts().to_dict()
    engaged = dataset.engagements["org_id"].value_counts().to_dict()
    cols = ["org_id", "name", "country", "city", "type", "fields", "practices", "risk_factors"]
    for org_id, name, country, city, typ, fields, practices, rfs in orgs[cols].itertuples(
        index=False, name=None
    ):
        g.add_node(
            org_id,
            name=name,
            country=country,
            city=city,
            type=typ,
            fields=tuple(fields or ()),
            practices=tuple(practices or ()),
            risk_factors=tuple(rfs or ()),
            seminars=tuple(sorted(attended.get(org_id, ()), key=seminar_order.__getitem__)),
            participants=int(people.get(org_id, 0)),
            engagements=int(engaged.get(org_id, 0)),
        )


def _empty_edges(columns: list[str]) -> pd.DataFrame:
    """An edge frame with no rows (object columns, so merges keep their types)."""
    return pd.DataFrame({c: pd.Series([], dtype=object) for c in ["u", "v", *columns]})


def _met_edges(dataset: Dataset) -> pd.DataFrame:
    """Pairs of organizations that met, with their shared seminars (vectorized)."""
    orgs, seminars, b = incidence_matrix(dataset)
    bc = b.tocsc()
    pieces_i, pieces_j, pieces_s = [], [], []
    for s in range(bc.shape[1]):
        members = np.sort(bc.indices[bc.indptr[s]:bc.indptr[s + 1]])
        if len(members) < 2:
            continue
        iu, ju = np.triu_indices(len(members), k=1)
        pieces_i.append(members[iu])
        pieces_j.append(members[ju])
        pieces_s.append(np.full(len(iu), s, dtype=np.int64))
    if not pieces_i:
        return _empty_edges(["weight", "seminars"])
    frame = pd.DataFrame({
        "i": np.concatenate(pieces_i), "j": np.concatenate(pieces_j), "s": np.concatenate(pieces_s)
    })
    grouped = frame.groupby(["i", "j"], sort=True)["s"].agg(list).reset_index()
    names = np.asarray(orgs, dtype=object)
    sem_names = np.asarray(seminars, dtype=object)
    return pd.DataFrame({
        "u": names[grouped["i"].to_numpy()],
        "v": names[grouped["j"].to_numpy()],
        "weight": grouped["s"].map(len).astype(float),
        "seminars": [tuple(sem_names[sorted(s)]) for s in grouped["s"]],
    })


def met_graph(dataset: Dataset) -> nx.Graph:
    """Organizations linked when their participants attended the same seminar.

    Parameters
    ----------
    dataset : Dataset

    Returns
    -------
    networkx.Graph
        Edge attributes ``weight`` (number of shared seminars) and
        ``seminars`` (tuple of seminar ids, by start date).

    Notes
    -----
    This is the one-mode projection onto organizations of the
    organization-seminar bipartite graph, computed as ``B @ B.T``.
    """
    g = nx.Graph(layer="met")
    _add_org_nodes(g, dataset)
    edges = _met_edges(dataset)
    g.add_edges_from(
        (u, v, {"weight": w, "seminars": s})
        for u, v, w, s in edges[["u", "v", "weight", "seminars"]].itertuples(index=False, name=None)
    )
    return g


def _collab_edges(dataset: Dataset) -> pd.DataFrame:
    c = dataset.collaborations
    if c.empty:
        return _empty_edges(["kind", "kinds", "since", "source", "weight"])

    def join(values: Iterable) -> str | None:
        items = sorted({v for v in values if v is not None})
        return "; ".join(items) if items else None

    grouped = c.groupby(["org_a", "org_b"], sort=True).agg(
        kinds=("kind", lambda s: tuple(sorted(set(s)))),
        since=("since", lambda s: min((v for v in s if v is not None), default=None)),
        source=("source", join),
    ).reset_index()
    for col in ("since", "source"):
        grouped[col] = grouped[col].astype(object).where(grouped[col].notna(), None)
    grouped["kind"] = grouped["kinds"].map("; ".join)
    grouped["weight"] = grouped["kinds"].map(len).astype(float)
    return grouped.rename(columns={"org_a": "u", "org_b": "v"})


def collaboration_graph(dataset: Dataset) -> nx.Graph:
    """Organizations linked by declared collaborations.

    Parameters
    ----------
    dataset : Dataset

    Returns
    -------
    networkx.Graph
        Edge attributes ``kind``, ``kinds``, ``since``, ``source``, ``weight``.
    """
    g = nx.Graph(layer="collaborated")
    _add_org_nodes(g, dataset)
    edges = _collab_edges(dataset)
    cols = ["u", "v", "kind", "kinds", "since", "source", "weight"]
    g.add_edges_from(
        (u, v, {"kind": k, "kinds": ks, "since": s, "source": src, "weight": w})
        for u, v, k, ks, s, src, w in edges[cols].itertuples(index=False, name=None)
    )
    return g


def combined_graph(dataset: Dataset) -> nx.Graph:
    """Union of the ``met`` and ``collaborated`` layers, with markers.

    Returns
    -------
    networkx.Graph
        Edge attributes ``met``, ``collaborated`` (bool), ``met_weight``,
        ``collaboration_weight``, ``weight`` (see the module docstring),
        ``seminars``, ``kind``, ``since``, ``source``.
    """
    g = nx.Graph(layer="combined")
    _add_org_nodes(g, dataset)
    both = _met_edges(dataset).merge(
        _collab_edges(dataset), on=["u", "v"], how="outer", suffixes=("_met", "_col"), sort=True
    )
    for row in both.itertuples(index=False):
        u, v = row.u, row.v
        met_w = 0.0 if pd.isna(row.weight_met) else float(row.weight_met)
        col_w = 0.0 if pd.isna(row.weight_col) else float(row.weight_col)
        g.add_edge(
            u, v,
            met=met_w > 0,
            collaborated=col_w > 0,
            met_weight=met_w,
            collaboration_weight=col_w,
            weight=met_w + COLLABORATION_WEIGHT * col_w,
            seminars=row.seminars if isinstance(row.seminars, tuple) else (),
            kind=row.kind if isinstance(row.kind, str) else None,
            since=row.since if isinstance(row.since, str) else None,
            source=row.source if isinstance(row.source, str) else None,
        )
    return g


_BUILDERS = {"met": met_graph, "collaborated": collaboration_graph, "combined": combined_graph}
#: The organization-network layers, by name.
LAYERS: tuple[str, ...] = tuple(_BUILDERS)


def check_layer(layer: str) -> str:
    """Return ``layer`` if it names a layer; else raise a clear error: the one check of it.

    >>> check_layer("met")
    'met'
    """
    if layer not in _BUILDERS:
        raise CsoNetworkError(f"unknown layer {layer!r}; choose one of: {', '.join(LAYERS)}")
    return layer


def build_layer(dataset: Dataset, layer: str) -> nx.Graph:
    """Build one layer by name: ``met``, ``collaborated`` or ``combined``.

    Raises
    ------
    CsoNetworkError
        Unknown layer name.
    """
    return _BUILDERS[check_layer(layer)](dataset)


def participant_seminar_graph(dataset: Dataset) -> nx.Graph:
    """The bipartite graph of participants and the seminars they attended.

    Participant nodes have ``bipartite=0`` and ``org_id``; seminar nodes have
    ``bipartite=1``, ``city``, ``country`` and ``start_date``.

    Raises
    ------
    CsoNetworkError
        A participant id equals a seminar id (the node names would clash).
    """
    clash = set(dataset.participants["participant_id"]) & set(dataset.seminars["seminar_id"])
    if clash:
        raise CsoNetworkError(
            "participant ids and seminar ids overlap ("
            + ", ".join(sorted(map(str, clash))[:5]) + "); rename them to build the bipartite graph"
        )
    g = nx.Graph(layer="attendance")
    g.add_nodes_from(
        (pid, {"bipartite": 0, "org_id": org})
        for pid, org in zip(dataset.participants["participant_id"], dataset.participants["org_id"], strict=True)
    )
    g.add_nodes_from(
        (sid, {"bipartite": 1, "city": city, "country": country, "start_date": start})
        for sid, city, country, start in dataset.seminars[
            ["seminar_id", "city", "country", "start_date"]
        ].itertuples(index=False, name=None)
    )
    g.add_edges_from(zip(dataset.attendance["participant_id"], dataset.attendance["seminar_id"], strict=True))
    return g


def pair_neighbourhood(G: nx.Graph, a: str, b: str, *, max_nodes: int = 14) -> nx.Graph:
    """The small subgraph that shows how two organizations are linked.

    Holds ``a``, ``b``, a shortest path between them (if any) and their
    common neighbours, then other neighbours of each, taken from ``a``'s and
    ``b``'s in turn (so that a well-connected one does not crowd out the
    other's), up to ``max_nodes`` nodes, with the edges among these nodes
    (attributes kept).

    Examples
    --------
    >>> G = nx.path_graph(["a", "x", "y", "b", "z"])
    >>> sorted(pair_neighbourhood(G, "a", "b").nodes)
    ['a', 'b', 'x', 'y', 'z']
    >>> H = nx.Graph([("a", "a1"), ("a", "a2"), ("a", "a3"), ("b", "b1")])
    >>> sorted(pair_neighbourhood(H, "a", "b", max_nodes=4).nodes)
    ['a', 'a1', 'b', 'b1']
    """
    keep: list = [a, b]
    with contextlib.suppress(nx.NetworkXNoPath, nx.NodeNotFound):
        keep += [n for n in nx.shortest_path(G, a, b) if n not in keep]
    na = set(G[a]) if a in G else set()
    nb = set(G[b]) if b in G else set()
    common = sorted(na & nb, key=str)
    own_a, own_b = sorted(na - nb, key=str), sorted(nb - na, key=str)
    others = [n for pair in itertools.zip_longest(own_a, own_b) for n in pair if n is not None]
    for n in common + others:
        if len(keep) >= max_nodes:
            break
        if n not in keep:
            keep.append(n)
    return G.subgraph([n for n in keep if n in G]).copy()
