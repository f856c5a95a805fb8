"""Per-organization features for partnership suggestions, built once per dataset.

:func:`build_features` turns a :class:`~cso_network.core.model.Dataset` into an
:class:`OrgFeatures`: everything the scoring components of
:mod:`cso_network.recommend.score` read, as numpy arrays and scipy.sparse
matrices indexed by organization position. Organizations are held in sorted
``org_id`` order, so nothing downstream depends on the order of the input rows.

What is built, and from where:

- attribute matrices (CSR, binary): ``fields`` (n x 5), ``practices``
  (n x 12), ``risk_factors`` (n x 14), in vocabulary order, and two bit masks
  per organization for fast pair arithmetic: ``thematic_bits`` (fields, then
  practices) and ``coverage_bits`` (practices, then risk factors);
- ``country`` and ``language`` codes (see :data:`LANGUAGE_GROUPS`);
- three symmetric adjacency matrices (CSR, float64, zero diagonal), the same
  layers as :mod:`cso_network.network.layers`: ``met`` (number of shared seminars),
  ``collaborated`` (1 per declared tie) and ``combined`` (``met + 2 x number
  of declared kinds``, the ``weight`` of the combined graph);
- ``community``: the network's clusters, and ``gap_pairs``: the country
  pairs the gap analysis marks as missing or thin, both read from
  :func:`cso_network.analysis.facts.network_facts`, the one source the
  Gaps page, the Network page and profiles read too;
- ``anchor``: for each organization the cut point of the collaborated layer it
  depends on, if any (see :func:`cut_anchors`);
- ``field_ties``: for each pair of countries and each field, the declared ties
  between organizations of the two countries that both work in that field
  (see :func:`field_ties`), so a reason can say "would be the first
  Montenegro-North Macedonia tie in peacebuilding".
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import networkx as nx
import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy.sparse import csgraph

from cso_network import vocab
from cso_network.analysis.facts import NetworkFacts, network_facts
from cso_network.core.model import Dataset
from cso_network.network.layers import COLLABORATION_WEIGHT, org_seminars

__all__ = [
    "LANGUAGE_GROUPS",
    "LANGUAGE_AFFINITY",
    "OrgFeatures",
    "build_features",
    "language_group",
    "cut_anchors",
    "field_ties",
]

#: Language group of each country of the region. BCMS (Bosnian, Croatian,
#: Montenegrin, Serbian: one pluricentric language, Latin and Cyrillic
#: script) for BA, ME, RS and HR; Macedonian for MK; Albanian for AL and XK;
#: Slovenian for SI. Serbian is also spoken in Kosovo, but the workbook does not
#: record an organization's working language, so an XK organization is put in
#: the Albanian group (the majority language). A country outside this table is
#: a group of its own (its ISO code); an organization without a country has no
#: group.
LANGUAGE_GROUPS: dict[str, str] = {
    "BA": "BCMS", "ME": "BCMS", "RS": "BCMS", "HR": "BCMS",
    "MK": "MK", "AL": "AL", "XK": "AL", "SI": "SI",
}

#: Affinity of two different language groups (same group: 1). The South
#: Slavic groups BCMS, Macedonian and Slovenian are partly mutually
#: intelligible (and Serbian Cyrillic and Macedonian Cyrillic are close): 0.5.
#: Every other pair of different groups: 0.
LANGUAGE_AFFINITY: dict[frozenset[str], float] = {
    frozenset({"BCMS", "MK"}): 0.5,
    frozenset({"BCMS", "SI"}): 0.5,
    frozenset({"MK", "SI"}): 0.5,
}


def language_group(country: str | None) -> str | None:
    """Return the language group of an organization in ``country``.

    Parameters
    ----------
    country : str or None
        ISO 3166-1 alpha-2 code.

    Returns
    -------
    str or None
        ``"BCMS"``, ``"MK"``, ``"AL"``, ``"SI"``, the code itself for a country
        outside the region, None without a country.

    Examples
    --------
    >>> [language_group(c) for c in ("ME", "XK", "MK", "AT", None)]
    ['BCMS', 'AL', 'MK', 'AT', None]
    """
    if country is None or (isinstance(country, float) and np.isnan(country)):
        return None
    return LANGUAGE_GROUPS.get(country, country)


@dataclass(frozen=True, eq=False)
class OrgFeatures:
    """Everything the scoring components read, indexed by organization position.

    Attributes
    ----------
    orgs : list of str
        Organization ids, sorted; position ``i`` everywhere below is ``orgs[i]``.
    index : dict
        ``org_id -> position``.
    names : list of str
        Organization names.
    countries : tuple of str
        Country codes present, in region order then alphabetical.
    country : numpy.ndarray of int
        Position in ``countries`` per organization, -1 when missing.
    languages : tuple of str
        Language groups present (sorted).
    language : numpy.ndarray of int
        Position in ``languages``, -1 when unknown.
    language_affinity : numpy.ndarray
        ``len(languages) x len(languages)`` affinity, 1 on the diagonal.
    fields, practices, risk_factors : scipy.sparse.csr_array
        Binary, n x 5, n x 12, n x 14, columns in vocabulary order.
    thematic_bits, coverage_bits : numpy.ndarray of uint32
        Fields (bits 0-4) and practices (bits 5-16); practices (bits 0-11) and
        risk factors (bits 12-25).
    met, collaborated, combined : scipy.sparse.csr_array
        Symmetric adjacency matrices (see the module docstring).
    degree : numpy.ndarray of int
        Number of ties in the combined layer.
    community : numpy.ndarray of int
        Louvain community id (0 = largest).
    component : numpy.ndarray of int
        Connected component in the collaborated layer.
    anchor : numpy.ndarray of int
        Position of the cut point the organization depends on, -1 for none.
    gap_pairs : dict
        ``(a, b) -> "missing" | "thin"`` for country pairs (both orders).
    gap_matrix : numpy.ndarray of bool
        The same as a ``len(countries) x len(countries)`` matrix.
    field_ties : numpy.ndarray of int
        ``len(countries) x len(countries) x 5``: declared ties between an
        organization of each country and one of the other that both work in
        each field (:func:`field_ties`).
    seminars : list of tuple
        Seminar ids each organization attended, by start date.
    seminar_labels : dict
        ``seminar_id -> "Skopje 2014"``.
    """

    orgs: list[str]
    index: dict[str, int]
    names: list[str]
    countries: tuple[str, ...]
    country: np.ndarray
    languages: tuple[str, ...]
    language: np.ndarray
    language_affinity: np.ndarray
    fields: sp.csr_array
    practices: sp.csr_array
    risk_factors: sp.csr_array
    thematic_bits: np.ndarray
    coverage_bits: np.ndarray
    met: sp.csr_array
    collaborated: sp.csr_array
    combined: sp.csr_array
    degree: np.ndarray
    community: np.ndarray
    component: np.ndarray
    anchor: np.ndarray
    gap_pairs: dict[tuple[str, str], str] = field(default_factory=dict)
    gap_matrix: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), dtype=bool))
    field_ties: np.ndarray = field(
        default_factory=lambda: np.zeros((0, 0, len(vocab.FIELDS)), dtype=np.int64))
    seminars: list[tuple[str, ...]] = field(default_factory=list)
    seminar_labels: dict[str, str] = field(default_factory=dict)

    @property
    def n(self) -> int:
        """Number of organizations."""
        return len(self.orgs)


def _multi_hot(values: pd.Series, labels: tuple, n: int) -> sp.csr_array:
    """Binary n x len(labels) matrix from a series of tuples (unknown labels ignored)."""
    pos = {v: k for k, v in enumerate(labels)}
    rows: list[int] = []
    cols: list[int] = []
    for i, items in enumerate(values):
        for item in items or ():
            k = pos.get(item)
            if k is not None:
                rows.append(i)
                cols.append(k)
    data = np.ones(len(rows))
    m = sp.csr_array((data, (np.asarray(rows, dtype=np.int64), np.asarray(cols, dtype=np.int64))),
                     shape=(n, len(labels)))
    m.sum_duplicates()
    m.data[:] = 1.0
    return m


def _bits(m: sp.csr_array) -> np.ndarray:
    """Bit mask per row of a binary matrix (column k -> bit k)."""
    coo = m.tocoo()
    out = np.zeros(m.shape[0], dtype=np.uint32)
    np.bitwise_or.at(out, coo.row, (np.uint32(1) << coo.col.astype(np.uint32)))
    return out


def _symmetric(rows: np.ndarray, cols: np.ndarray, data: np.ndarray, n: int) -> sp.csr_array:
    """Symmetric CSR with zero diagonal from one-sided (or both-sided) entries."""
    keep = rows != cols
    rows, cols, data = rows[keep], cols[keep], data[keep]
    m = sp.csr_array((np.concatenate([data, data]),
                      (np.concatenate([rows, cols]), np.concatenate([cols, rows]))), shape=(n, n))
    m.sum_duplicates()
    m.sort_indices()
    return m


def _layers_from_dataset(dataset: Dataset, index: dict[str, int], n: int
                         ) -> tuple[sp.csr_array, sp.csr_array, sp.csr_array]:
    """Met, collaborated and combined adjacency, computed straight from the tables."""
    pairs = org_seminars(dataset)
    pairs = pairs[pairs["org_id"].isin(index)]
    sem_ids = sorted(set(pairs["seminar_id"]))
    si = {s: k for k, s in enumerate(sem_ids)}
    b = sp.csr_array((np.ones(len(pairs)),
                      (pairs["org_id"].map(index).to_numpy(dtype=np.int64),
                       pairs["seminar_id"].map(si).to_numpy(dtype=np.int64))),
                     shape=(n, len(sem_ids)))
    met = (b @ b.T).tocsr()
    met.setdiag(0)
    met.eliminate_zeros()
    met.sort_indices()
    c = dataset.collaborations
    c = c[c["org_a"].isin(index) & c["org_b"].isin(index)]
    if len(c):
        a = c["org_a"].map(index).to_numpy(dtype=np.int64)
        bb = c["org_b"].map(index).to_numpy(dtype=np.int64)
        lo, hi = np.minimum(a, bb), np.maximum(a, bb)
        kinds = pd.DataFrame({"lo": lo, "hi": hi, "kind": c["kind"].to_numpy(dtype=object)})
        kinds = kinds[kinds["lo"] != kinds["hi"]]
        counted = kinds.groupby(["lo", "hi"], sort=True)["kind"].agg(
            lambda s: len({k for k in s if k is not None}) or 1)
        lo = counted.index.get_level_values(0).to_numpy(dtype=np.int64)
        hi = counted.index.get_level_values(1).to_numpy(dtype=np.int64)
        n_kinds = counted.to_numpy(dtype=float)
    else:
        lo = hi = np.zeros(0, dtype=np.int64)
        n_kinds = np.zeros(0)
    col_kinds = _symmetric(lo, hi, n_kinds, n)
    collaborated = col_kinds.copy()
    collaborated.data[:] = 1.0
    combined = (met + COLLABORATION_WEIGHT * col_kinds).tocsr()
    combined.sort_indices()
    return met, collaborated, combined


def _layers_from_graphs(graphs: Mapping[str, nx.Graph], orgs: list[str]
                        ) -> tuple[sp.csr_array, sp.csr_array, sp.csr_array]:
    """Met, collaborated and combined adjacency read from prebuilt graphs (sorted nodelist)."""
    out = []
    for layer in ("met", "collaborated", "combined"):
        G = graphs[layer]
        H = G.subgraph([o for o in orgs if o in G])
        m = nx.to_scipy_sparse_array(H, nodelist=[o for o in orgs if o in H],
                                     weight=None if layer == "collaborated" else "weight",
                                     format="csr")
        if m.shape[0] != len(orgs):  # organizations missing from the graph: no ties
            keep = np.array([i for i, o in enumerate(orgs) if o in H], dtype=np.int64)
            coo = m.tocoo()
            m = sp.csr_array((coo.data, (keep[coo.row], keep[coo.col])),
                             shape=(len(orgs), len(orgs)))
        m = sp.csr_array(m, dtype=float)
        m.setdiag(0)
        m.eliminate_zeros()
        m.sort_indices()
        out.append(m)
    return out[0], out[1], out[2]


def field_ties(collaborated: sp.csr_array, country: np.ndarray, field_bits: np.ndarray,
               n_countries: int) -> np.ndarray:
    """Declared ties per pair of countries and field, counting ties whose two ends share it.

    Parameters
    ----------
    collaborated : scipy.sparse array
        Symmetric adjacency of declared ties (values ignored).
    country : numpy.ndarray of int
        Country position per organization, -1 when unknown (such ties are
        not counted).
    field_bits : numpy.ndarray of int
        Fields per organization as bits (field ``k`` of
        :data:`cso_network.vocab.FIELDS` -> bit ``k``).
    n_countries : int

    Returns
    -------
    numpy.ndarray of int
        ``T[a, b, k]``: ties between an organization of country ``a`` and one
        of country ``b`` that both work in field ``k``; symmetric in ``a, b``,
        each tie counted once (also within a country, on the diagonal).

    Examples
    --------
    >>> A = sp.csr_array(np.array([[0, 1, 1], [1, 0, 0], [1, 0, 0]]))
    >>> T = field_ties(A, np.array([0, 1, 1]), np.array([0b11, 0b01, 0b10]), 2)
    >>> T[0, 1].tolist(), T[1, 0].tolist(), T[1, 1].tolist()
    ([1, 1, 0, 0, 0], [1, 1, 0, 0, 0], [0, 0, 0, 0, 0])
    """
    nf = len(vocab.FIELDS)
    out = np.zeros((n_countries, n_countries, nf), dtype=np.int64)
    upper = sp.triu(sp.csr_array(collaborated), k=1).tocoo()
    u, v = upper.row, upper.col
    cu, cv = country[u], country[v]
    known = (cu >= 0) & (cv >= 0)
    shared = np.asarray(field_bits)[u] & np.asarray(field_bits)[v]
    for k in range(nf):
        sel = known & ((shared >> k) & 1).astype(bool)
        np.add.at(out[:, :, k], (cu[sel], cv[sel]), 1)
    diagonal = np.einsum("aak->ak", out).copy()
    out += out.transpose(1, 0, 2)
    idx = np.arange(n_countries)
    out[idx, idx, :] -= diagonal
    return out


def cut_anchors(A: sp.csr_array) -> tuple[np.ndarray, np.ndarray]:
    """For each node, the cut point that separates it from the core of its component.

    Parameters
    ----------
    A : scipy.sparse array
        Symmetric adjacency matrix (values ignored).

    Returns
    -------
    (component, anchor) : tuple of numpy.ndarray of int
        Connected component per node, and the position of the articulation
        point the node depends on (-1 when it depends on none).

    Notes
    -----
    The *core* of a connected component is its largest biconnected component
    (block; ties by smallest member). Every node outside the core lies in a
    piece of ``component - core`` that touches the core through exactly one
    node (otherwise the piece would belong to the core block): that node is an
    articulation point, the piece's *anchor*. A tie between a node of a piece
    and any node of the same component outside the piece and other than its
    anchor closes a cycle through the anchor, so the piece no longer depends on
    it. The blocks come from ``nx.biconnected_components`` (Hopcroft-Tarjan,
    linear time); the pieces from one ``scipy.sparse.csgraph`` component
    labelling of the graph with the core nodes removed.

    Examples
    --------
    >>> import scipy.sparse as sp
    >>> # triangle 0-1-2, with a tail 2-3-4 hanging from 2
    >>> r, c = [0, 1, 2, 2, 3], [1, 2, 0, 3, 4]
    >>> A = sp.csr_array(([1.0] * 5, (r, c)), shape=(5, 5)); A = A + A.T
    >>> comp, anchor = cut_anchors(A)
    >>> anchor.tolist()
    [-1, -1, -1, 2, 2]
    """
    n = A.shape[0]
    anchor = np.full(n, -1, dtype=np.int64)
    if n == 0:
        return np.zeros(0, dtype=np.int64), anchor
    P = sp.csr_array(A, dtype=float)
    P.data[:] = 1.0
    _, comp = csgraph.connected_components(P, directed=False)
    comp = comp.astype(np.int64)
    if P.nnz == 0:
        return comp, anchor
    G = nx.Graph()
    G.add_nodes_from(range(n))
    upper = sp.triu(P, k=1).tocoo()
    G.add_edges_from(zip(upper.row.tolist(), upper.col.tolist(), strict=True))
    best: dict[int, tuple[int, int, list[int]]] = {}
    for block in nx.biconnected_components(G):
        members = sorted(block)
        c = int(comp[members[0]])
        key = (-len(members), members[0])
        if c not in best or key < best[c][:2]:
            best[c] = (key[0], key[1], members)
    core = np.zeros(n, dtype=bool)
    for _, _, members in best.values():
        core[members] = True
    outside = ~core
    coo = P.tocoo()
    keep = outside[coo.row] & outside[coo.col]
    R = sp.csr_array((coo.data[keep], (coo.row[keep], coo.col[keep])), shape=(n, n))
    _, piece = csgraph.connected_components(R, directed=False)
    touch = outside[coo.row] & core[coo.col]
    piece_anchor = np.full(piece.max() + 1, -1, dtype=np.int64)
    piece_anchor[piece[coo.row[touch]]] = coo.col[touch]
    anchor[outside] = piece_anchor[piece[outside]]
    return comp, anchor


def _seminar_labels(dataset: Dataset) -> dict[str, str]:
    labels = {}
    for sid, city, start in dataset.seminars[["seminar_id", "city", "start_date"]].itertuples(
        index=False, name=None
    ):
        try:
            year = vocab.year_of(start)
        except Exception:  # noqa: BLE001 - a label is cosmetic
            year = None
        labels[sid] = " ".join(str(p) for p in (city or sid, year) if p)
    return labels


def _country_order(codes: set[str]) -> tuple[str, ...]:
    region = [c for c in vocab.REGION if c in codes]
    return tuple(region + sorted(codes - set(region)))


def build_features(
    dataset: Dataset,
    *,
    graphs: Mapping[str, nx.Graph] | None = None,
    facts: NetworkFacts | None = None,
) -> OrgFeatures:
    """Build the features of every organization of ``dataset``.

    Parameters
    ----------
    dataset : Dataset
    graphs : mapping, optional
        ``{"met": G, "collaborated": G, "combined": G}`` as built by
        :mod:`cso_network.network.layers` for this dataset; when given the adjacency
        matrices are read from them instead of recomputed from the tables (the
        values are the same).
    facts : NetworkFacts, optional
        The dataset's clusters and gap pairs
        (:func:`~cso_network.analysis.facts.network_facts`); computed when
        not given.

    Returns
    -------
    OrgFeatures

    Notes
    -----
    Time is linear in the number of organizations, seminar attendances and
    ties, plus, when ``facts`` is not given, one Louvain run on the
    declared-collaboration layer.

    Examples
    --------
    >>> from cso_network.demo.synth import generate_programme
    >>> f = build_features(generate_programme(seed=1).dataset)
    >>> f.orgs == sorted(f.orgs), f.combined.shape == (f.n, f.n)
    (True, True)
    """
    orgs_frame = dataset.organizations
    orgs_frame = orgs_frame[orgs_frame["org_id"].notna()].drop_duplicates("org_id", keep="last")
    orgs_frame = orgs_frame.sort_values("org_id", kind="stable").reset_index(drop=True)
    orgs = [str(o) for o in orgs_frame["org_id"]]
    n = len(orgs)
    index = {o: i for i, o in enumerate(orgs)}
    raw_country = [c if isinstance(c, str) and c else None for c in orgs_frame["country"]]
    countries = _country_order({c for c in raw_country if c is not None})
    cpos = {c: k for k, c in enumerate(countries)}
    country = np.array([cpos.get(c, -1) if c else -1 for c in raw_country], dtype=np.int64)
    groups = [language_group(c) for c in raw_country]
    languages = tuple(sorted({g for g in groups if g is not None}))
    lpos = {g: k for k, g in enumerate(languages)}
    language = np.array([lpos[g] if g is not None else -1 for g in groups], dtype=np.int64)
    aff = np.eye(len(languages))
    for a, ga in enumerate(languages):
        for b, gb in enumerate(languages):
            if a != b:
                aff[a, b] = LANGUAGE_AFFINITY.get(frozenset({ga, gb}), 0.0)

    fields = _multi_hot(orgs_frame["fields"], vocab.FIELDS, n)
    practices = _multi_hot(orgs_frame["practices"], vocab.PRACTICES, n)
    risk = _multi_hot(orgs_frame["risk_factors"], tuple(range(1, len(vocab.RISK_FACTORS) + 1)), n)
    nf, npr = len(vocab.FIELDS), len(vocab.PRACTICES)
    pbits = _bits(practices)
    fbits = _bits(fields)
    thematic_bits = fbits | (pbits << np.uint32(nf))
    coverage_bits = pbits | (_bits(risk) << np.uint32(npr))

    if graphs is None:
        met, collaborated, combined = _layers_from_dataset(dataset, index, n)
    else:
        met, collaborated, combined = _layers_from_graphs(graphs, orgs)
    degree = np.diff(combined.indptr).astype(np.int64)

    if facts is None:
        facts = network_facts(dataset, graph=(graphs or {}).get("collaborated"))
    community = np.array([facts.partition.get(o, -1) for o in orgs], dtype=np.int64)
    gap_pairs = dict(facts.gap_pairs)
    gap_matrix = np.zeros((len(countries), len(countries)), dtype=bool)
    for a, b in gap_pairs:
        if a in cpos and b in cpos:
            gap_matrix[cpos[a], cpos[b]] = True
    component, anchor = cut_anchors(collaborated)

    pairs = org_seminars(dataset)
    attended: dict[str, list[str]] = {}
    for o, s in zip(pairs["org_id"], pairs["seminar_id"], strict=True):
        attended.setdefault(o, []).append(s)
    starts = dict(zip(dataset.seminars["seminar_id"], dataset.seminars["start_date"], strict=True))
    seminars = [tuple(sorted(set(attended.get(o, ())),
                             key=lambda s: (starts.get(s) is None, starts.get(s) or "", s)))
                for o in orgs]
    return OrgFeatures(
        orgs=orgs, index=index, names=[str(x) if x is not None else "" for x in orgs_frame["name"]],
        countries=countries, country=country, languages=languages, language=language,
        language_affinity=aff, fields=fields, practices=practices, risk_factors=risk,
        thematic_bits=thematic_bits, coverage_bits=coverage_bits, met=met,
        collaborated=collaborated, combined=combined, degree=degree, community=community,
        component=component, anchor=anchor, gap_pairs=gap_pairs, gap_matrix=gap_matrix,
        field_ties=field_ties(collaborated, country, fbits, len(countries)),
        seminars=seminars, seminar_labels=_seminar_labels(dataset),
    )
