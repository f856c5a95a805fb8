"""The seven parts of a suggestion's score, each in one place.

A suggestion ``i -> j`` (``i`` is suggested to work with ``j``) is scored by
seven components, each in [0, 1]. Every component is one
:class:`Component` of the registry :data:`COMPONENTS`, which holds together
its vectorized score function, the sentence that explains it, the short
label the dashboard shows and its colour there:

- ``proximity``: partners in common, Adamic-Adar [1]_ over declared
  collaborations as ``aa / (aa + 1)``, so alone it ranks like Adamic-Adar;
  :func:`adamic_adar_sums` gives the raw sums (and resource allocation [2]_);
- ``met_before``: ``min(1, shared seminars / 2)``, times
  :data:`SAME_COUNTRY_MEETING` when both are in the same country;
- ``thematic_fit``: Jaccard similarity of fields and practices;
- ``complementarity``: the share of the practices and risk factors ``i``
  lacks that ``j`` covers (asymmetric);
- ``cross_border``: 0 same country, 0.5 across a border, 1 for a country
  pair the gap analysis marks as missing or thin;
- ``bridging``: ``min(1, 0.75 * [different Louvain communities] + 0.5 *
  [the tie relieves a cut point])`` (:func:`relieves_cut_point`);
- ``language``: 1 same language group, 0.5 between South Slavic groups.

Like networkx's ``link_prediction`` module, each score is a small public
function of the same name, ``f(features, rows, cols)`` for arrays of
organization positions, vectorized over the pairs; :func:`_pairs` holds the
mechanics they share. :mod:`cso_network.recommend.score` weighs, ranks and
diversifies them, :mod:`cso_network.recommend.explain` picks the reasons,
and the dashboard draws the score bar from the registry, so a new component
is added here (and its label and sentences translated) and nowhere else.

Examples
--------
>>> list(COMPONENTS)[:3]
['proximity', 'met_before', 'thematic_fit']
>>> COMPONENTS["bridging"].label, COMPONENTS["bridging"].colour
('bridges clusters', 5)

References
----------
.. [1] Lada A. Adamic and Eytan Adar, "Friends and neighbors on the Web",
   Social Networks 25(3):211-230, 2003.
.. [2] Tao Zhou, Linyuan Lü and Yi-Cheng Zhang, "Predicting missing links via
   local information", European Physical Journal B 71:623-630, 2009.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Literal, NamedTuple

import networkx as nx
import numpy as np
import scipy.sparse as sp

from cso_network import vocab
from cso_network.core.exceptions import CsoNetworkError
from cso_network.core.messages import Message, Seq, country, join, msg, nmsg, term
from cso_network.recommend.features import OrgFeatures

__all__ = [
    "COMPONENTS",
    "Component",
    "Candidates",
    "SAME_COUNTRY_MEETING",
    "PROXIMITY_HALF",
    "adamic_adar_sums",
    "neighbour_weights",
    "relieves_cut_point",
    "proximity",
    "met_before",
    "thematic_fit",
    "complementarity",
    "cross_border",
    "bridging",
    "language",
]

#: Adamic-Adar sum at which :func:`proximity` is one half: ``aa / (aa + PROXIMITY_HALF)``.
#: One partner in common with ``e`` (about 2.7) partners of its own gives
#: ``aa = 1``; each further partner in common adds ``1 / ln(its partners)``.
PROXIMITY_HALF = 1.0

#: What a shared seminar counts for two organizations of the same country,
#: against 1 across a border (see :func:`met_before`).
SAME_COUNTRY_MEETING = 0.5

_N_THEMATIC = len(vocab.FIELDS) + len(vocab.PRACTICES)  # 5 fields + 12 practices
_N_COVERAGE = len(vocab.PRACTICES) + len(vocab.RISK_FACTORS)  # 12 practices + 14 risk factors


# --------------------------------------------------------------------------- shared mechanics


def _pairs(rows: object, cols: object) -> tuple[np.ndarray, np.ndarray]:
    """The pairs as two flat int64 arrays of equal length: what every score function reads."""
    r = np.asarray(rows, dtype=np.int64).ravel()
    c = np.asarray(cols, dtype=np.int64).ravel()
    if r.shape != c.shape:
        raise ValueError("rows and cols must have the same length")
    return r, c


def _lookup(X: sp.csr_array, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """Values of a canonical CSR matrix at (rows, cols) pairs, 0 where absent."""
    X = sp.csr_array(X)
    X.sum_duplicates()
    ncol = X.shape[1]
    keys = np.repeat(np.arange(X.shape[0], dtype=np.int64), np.diff(X.indptr)) * ncol + X.indices
    q = rows * ncol + cols
    pos = np.searchsorted(keys, q)
    pos = np.minimum(pos, max(len(keys) - 1, 0))
    out = np.zeros(len(q))
    if len(keys):
        hit = keys[pos] == q
        out[hit] = X.data[pos[hit]]
    return out


def neighbour_weights(deg: np.ndarray, kind: str = "adamic_adar") -> np.ndarray:
    """Each node's weight as a common neighbour, from its degree.

    ``1 / ln deg`` for Adamic-Adar, ``1 / deg`` for resource allocation; 0
    where undefined (a node with fewer than two neighbours is nobody's common
    neighbour under Adamic-Adar).

    Examples
    --------
    >>> neighbour_weights(np.array([0.0, 1.0, 2.0])).round(3).tolist()
    [0.0, 0.0, 1.443]
    """
    deg = np.asarray(deg, dtype=float)
    inv = np.zeros_like(deg)
    if kind == "adamic_adar":
        ok = deg > 1
        inv[ok] = 1.0 / np.log(deg[ok])
    elif kind == "resource_allocation":
        ok = deg > 0
        inv[ok] = 1.0 / deg[ok]
    else:
        raise CsoNetworkError(f"unknown kind {kind!r}; use 'adamic_adar' or 'resource_allocation'")
    return inv


def _common_neighbour_matrix(A: sp.csr_array, kind: str, weighted: bool) -> sp.csr_array:
    """``C`` such that ``S[rows] = A'[rows] @ C`` gives the link-prediction sums."""
    B = sp.csr_array(A, dtype=float)
    B.sum_duplicates()
    if weighted:
        B.data = np.sqrt(B.data)
    else:
        B.data[:] = 1.0
    inv = neighbour_weights(np.diff(B.indptr), kind)
    return B, sp.csr_array(sp.diags_array(inv) @ B)


def adamic_adar_sums(
    A: sp.csr_array | nx.Graph,
    rows: object,
    cols: object,
    *,
    kind: Literal["adamic_adar", "resource_allocation"] = "adamic_adar",
    weighted: bool = True,
) -> np.ndarray:
    """Raw Adamic-Adar (or resource-allocation) sums for pairs of nodes.

    Parameters
    ----------
    A : scipy.sparse array or networkx.Graph
        Symmetric adjacency matrix (a graph is read with its nodes in
        ``list(G)`` order and weights from ``weight``, 1 where absent).
    rows, cols : array-like of int
        Node positions of the pairs.
    kind : {"adamic_adar", "resource_allocation"}
        ``1 / ln(deg z)`` [1]_ or ``1 / deg z`` [2]_ per common neighbour.
    weighted : bool, default True
        Multiply each common neighbour's term by ``sqrt(w_iz * w_zj)``.
        With False (or unit weights) the sums equal networkx's
        ``adamic_adar_index`` / ``resource_allocation_index``.

    Returns
    -------
    numpy.ndarray
        One sum per pair (0 without common neighbours).

    Notes
    -----
    Computed as ``(B[rows] @ D^-1 @ B)`` for the distinct rows, ``B`` the
    (square-rooted) weight matrix and ``D`` the diagonal of ``ln deg`` (or
    ``deg``), then read at the pairs: time grows with the two-step paths
    from the rows asked for.

    References
    ----------
    .. [1] Adamic and Adar 2003, see the module docstring.
    .. [2] Zhou, Lü and Zhang 2009, see the module docstring.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.karate_club_graph()
    >>> float(adamic_adar_sums(G, [0], [33], weighted=False)[0].round(6))
    2.71102
    >>> [round(p, 6) for _, _, p in nx.adamic_adar_index(G, [(0, 33)])]
    [2.71102]
    """
    if isinstance(A, nx.Graph):
        A = nx.to_scipy_sparse_array(A, weight="weight", format="csr")
    r, c = _pairs(rows, cols)
    if len(r) == 0:
        return np.zeros(0)
    B, C = _common_neighbour_matrix(A, kind, weighted)
    urows, inverse = np.unique(r, return_inverse=True)
    S = sp.csr_array(B[urows] @ C)
    return _lookup(S, inverse, c)


def _saturate(aa: np.ndarray) -> np.ndarray:
    """``aa / (aa + PROXIMITY_HALF)``: Adamic-Adar sums brought into [0, 1), order kept."""
    return aa / (aa + PROXIMITY_HALF)



# --------------------------------------------------------------------------- scores


def proximity(features: OrgFeatures, rows: object, cols: object) -> np.ndarray:
    """Network proximity: Adamic-Adar over declared partners, in [0, 1).

    Parameters
    ----------
    features : OrgFeatures
    rows, cols : array-like of int
        Positions of the organizations and of the candidates.

    Returns
    -------
    numpy.ndarray
        ``aa / (aa + PROXIMITY_HALF)``, ``aa`` from :func:`adamic_adar_sums`
        on the collaborated layer (networkx's ``adamic_adar_index``): 0
        without a partner in common, 1/2 at ``aa = 1``, towards 1 with many.

    Examples
    --------
    >>> from cso_network.demo.synth import generate_programme
    >>> from cso_network.recommend.features import build_features
    >>> f = build_features(generate_programme(seed=1).dataset)
    >>> from cso_network.recommend.score import candidate_pairs
    >>> r, c = candidate_pairs(f)
    >>> aa = adamic_adar_sums(f.collaborated, r, c, weighted=False)
    >>> bool(np.allclose(proximity(f, r, c), aa / (aa + 1)))
    True
    """
    r, c = _pairs(rows, cols)
    return _saturate(adamic_adar_sums(features.collaborated, r, c, weighted=False))


def met_before(features: OrgFeatures, rows: object, cols: object) -> np.ndarray:
    """They already met: ``min(1, shared / 2)`` for shared seminars, halved in one country.

    A shared seminar counts :data:`SAME_COUNTRY_MEETING` (0.5) when both
    organizations are in the same country. The seminars exist to connect
    organizations across borders; organizations of one country have other
    occasions to meet, so having attended the same seminar says less about
    two of them. This is an assumption of the field, not a measurement; the
    synthetic generator makes the same one (:mod:`cso_network.demo.synth`: a
    seminar encounter turns into a tie 0.7 of the time across a border, 0.25
    within a country), and the backtest on it gains from it (docs/recommend.md).

    Examples
    --------
    >>> from cso_network.demo.synth import generate_programme
    >>> from cso_network.recommend.features import build_features
    >>> f = build_features(generate_programme(seed=1).dataset)
    >>> set(met_before(f, range(f.n), [0] * f.n).tolist()) <= {0.0, 0.25, 0.5, 1.0}
    True
    """
    r, c = _pairs(rows, cols)
    return _met_value(features, _lookup(features.met, r, c), r, c)


def _met_value(features: OrgFeatures, shared: np.ndarray, r: np.ndarray, c: np.ndarray
               ) -> np.ndarray:
    """``min(1, shared / 2)``, times :data:`SAME_COUNTRY_MEETING` within one country."""
    value = np.minimum(1.0, shared / 2.0)
    met = np.flatnonzero(value)  # most candidates never met: compare countries of the rest
    cr = features.country[r[met]]
    same = (cr == features.country[c[met]]) & (cr >= 0)
    value[met[same]] *= SAME_COUNTRY_MEETING
    return value


def thematic_fit(features: OrgFeatures, rows: object, cols: object) -> np.ndarray:
    """Jaccard similarity of fields and practices (17 items together).

    Examples
    --------
    >>> from cso_network.demo.synth import generate_programme
    >>> from cso_network.recommend.features import build_features
    >>> f = build_features(generate_programme(seed=1).dataset)
    >>> float(thematic_fit(f, [0], [0])[0]) if f.thematic_bits[0] else 1.0
    1.0
    """
    r, c = _pairs(rows, cols)
    return _JACCARD.take(_thematic_code(features, r, c))


def _thematic_code(features: OrgFeatures, r: np.ndarray, c: np.ndarray) -> np.ndarray:
    """``inter * 32 + union`` of the pairs' thematic bits, to index :data:`_JACCARD`.

    ``union = |a| + |b| - inter``, so one popcount per pair instead of two.
    """
    bits = features.thematic_bits
    size = np.bitwise_count(bits).astype(np.int16)
    code = np.bitwise_count(bits[r] & bits[c]).astype(np.int16)
    code *= 31
    code += size[r]
    code += size[c]
    return code


def complementarity(features: OrgFeatures, rows: object, cols: object) -> np.ndarray:
    """Share of the organization's missing practices and risk factors the candidate covers.

    ``|C_j - C_i| / |U - C_i|`` over the 26 practices and risk factors; 0
    when organization ``i`` covers all of them.

    Examples
    --------
    >>> from cso_network.demo.synth import generate_programme
    >>> from cso_network.recommend.features import build_features
    >>> f = build_features(generate_programme(seed=1).dataset)
    >>> float(complementarity(f, [0], [0])[0])
    0.0
    """
    r, c = _pairs(rows, cols)
    bits = features.coverage_bits
    new = np.bitwise_count(bits[c] & ~bits[r]).astype(float)
    lack = (_N_COVERAGE - np.bitwise_count(bits[r])).astype(float)
    return np.divide(new, lack, out=np.zeros_like(new), where=lack > 0)


def cross_border(features: OrgFeatures, rows: object, cols: object) -> np.ndarray:
    """0 same country, 0.5 different countries, 1 when that country pair is a gap.

    Examples
    --------
    >>> from cso_network.demo.synth import generate_programme
    >>> from cso_network.recommend.features import build_features
    >>> f = build_features(generate_programme(seed=1).dataset)
    >>> float(cross_border(f, [0], [0])[0])
    0.0
    """
    r, c = _pairs(rows, cols)
    country = features.country
    nc = int(country.max()) + 1 if len(country) else 0
    table = np.full((nc, nc), 0.5)  # one value per pair of country codes
    g = features.gap_matrix[:nc, :nc]
    table[: g.shape[0], : g.shape[1]][g] = 1.0
    np.fill_diagonal(table, 0.0)
    return _take_pairs(table, country[r], country[c])


def _take_pairs(table: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``table[a, b]`` for codes in ``-1 .. len(table) - 1``; -1 (unknown) reads 0.

    One ``take`` on the table padded with a zero row and column, instead of a
    comparison per pair.

    >>> _take_pairs(np.array([[1.0, 2.0], [3.0, 4.0]]), np.array([0, 1, -1]), np.array([1, 0, 0]))
    array([2., 3., 0.])
    """
    padded = np.pad(np.asarray(table, dtype=float), ((1, 0), (1, 0)))
    return padded.ravel().take((a + 1) * padded.shape[1] + (b + 1))


def bridging(features: OrgFeatures, rows: object, cols: object) -> np.ndarray:
    """``min(1, 0.75 * [different communities] + 0.5 * [relieves a cut point])``.

    Examples
    --------
    >>> from cso_network.demo.synth import generate_programme
    >>> from cso_network.recommend.features import build_features
    >>> f = build_features(generate_programme(seed=1).dataset)
    >>> float(bridging(f, [0], [0])[0])
    0.0
    """
    r, c = _pairs(rows, cols)
    # min(1, 0.75 * diff_comm + 0.5 * relieves), read from its four values
    code = 2 * (features.community[r] != features.community[c]).view(np.int8)
    # only a pair with an organization that depends on a cut point can relieve one
    anchored = features.anchor >= 0
    maybe = np.flatnonzero(anchored[r] | anchored[c])
    if len(maybe):
        code[maybe] += relieves_cut_point(features, r[maybe], c[maybe]).view(np.int8)
    return _BRIDGING.take(code)


def relieves_cut_point(features: OrgFeatures, r: np.ndarray, c: np.ndarray) -> np.ndarray:
    """Whether a tie ``(r, c)`` gives one of the two a link that avoids its cut point.

    True when the two are in the same component of the declared layer, at
    least one of them depends on a cut point (:attr:`OrgFeatures.anchor`), not
    the same one as the other, and neither is the other's cut point: the tie
    then closes a cycle through that cut point
    (:func:`cso_network.recommend.features.cut_anchors`). A tie to another
    component joins two components instead; :func:`bridging` counts that
    through the communities.

    Examples
    --------
    >>> from cso_network.demo.synth import generate_programme
    >>> from cso_network.recommend.features import build_features
    >>> f = build_features(generate_programme(seed=1).dataset)
    >>> i = int(np.flatnonzero(f.anchor >= 0)[0])
    >>> bool(relieves_cut_point(f, np.array([i]), f.anchor[[i]])[0])  # the cut point itself
    False
    """
    ar, ac = features.anchor[r], features.anchor[c]
    out = features.component[r] == features.component[c]
    out &= (ar != ac) & (ar != c) & (ac != r)
    return out


_BRIDGING = np.minimum(1.0, 0.75 * np.array([0, 0, 1, 1]) + 0.5 * np.array([0, 1, 0, 1]))


def language(features: OrgFeatures, rows: object, cols: object) -> np.ndarray:
    """Language-group affinity: 1 same group, 0.5 South Slavic groups, else 0.

    Examples
    --------
    >>> from cso_network.demo.synth import generate_programme
    >>> from cso_network.recommend.features import build_features
    >>> f = build_features(generate_programme(seed=1).dataset)
    >>> float(language(f, [0], [0])[0])
    1.0
    """
    r, c = _pairs(rows, cols)
    return _take_pairs(features.language_affinity, features.language[r], features.language[c])



def _jaccard_table() -> np.ndarray:
    """Every Jaccard value ``inter / union`` of 17 items, at ``[inter * 32 + union]``.

    0 where ``union`` is 0 (two organizations listing nothing). The division
    is the same IEEE division numpy does per pair, so the table gives the
    same numbers.
    """
    table = np.zeros(32 * 32)
    for b in range(1, _N_THEMATIC + 1):
        for a in range(b + 1):
            table[a * 32 + b] = a / b
    return table


_JACCARD = _jaccard_table()

# --------------------------------------------------------------------------- reasons

def _name(f: OrgFeatures, i: int) -> str:
    """The organization's name, or its id when it has none."""
    name = f.names[i] if i < len(f.names) else ""
    return name if name and name.strip() and name != "None" else f.orgs[i]


def _labels(bits: int, labels: tuple[str, ...]) -> list[str]:
    return [lab for k, lab in enumerate(labels) if bits >> k & 1]


# "and N more ...": Babel's extractor misses templates inside lambdas, so these are functions.
def _more_practices(k: int) -> Message:
    return nmsg("{n} more practice", "{n} more practices", k)


def _more_topics(k: int) -> Message:
    return nmsg("{n} more topic", "{n} more topics", k)


def _more_seminars(k: int) -> Message:
    return nmsg("{n} more seminar", "{n} more seminars", k)


def _covers(risks: list[str], practices: list[str], who: str) -> Message | None:
    """The complementarity sentence: what the candidate covers that ``who`` does not.

    Risk factors are named (up to three, then "and N more"); practices are
    named when they come alone (up to two, then "and N more practices") and
    counted after risk factors, so the sentence never chains "and" three times.

    Examples
    --------
    >>> _covers(["2", "5", "7"], ["legal aid", "advocacy"], "Org A")
    'Covers risk factors 2, 5 and 7 and 2 more practices that Org A does not'
    >>> _covers(["3"], [], "Org A")
    'Covers risk factor 3 that Org A does not'
    >>> _covers([], ["legal aid", "advocacy", "monitoring", "research"], "Org A")
    'Covers legal aid, advocacy and 2 more practices that Org A does not'
    >>> _covers(["1", "2", "3", "4", "5"], ["legal aid"], "Org A")
    'Covers 5 risk factors (1, 2, 3, ...) and 1 more practice that Org A does not'
    """
    if not risks and not practices:
        return None
    names = [term("practice", p) for p in practices]
    if not risks:
        what = join(names, limit=2, more=_more_practices)
    else:
        if len(risks) == 1:
            what = msg("risk factor {number}", number=risks[0])
        elif len(risks) <= 3 or not practices:
            what = msg("risk factors {numbers}", numbers=join(risks, limit=3))
        else:
            what = nmsg("{n} risk factor ({first}, ...)", "{n} risk factors ({first}, ...)",
                        len(risks), first=Seq(risks[:3]))
        if practices:
            what = msg("{items} and {last}", items=what, last=_more_practices(len(practices)))
    return msg("Covers {what} that {who} does not", what=what, who=who)


def _first_in_fields(f: OrgFeatures, i: int, j: int) -> list[str]:
    """Fields both organizations work in where no declared tie yet joins their two countries.

    Read from :attr:`OrgFeatures.field_ties` (ties whose two ends both work
    in the field); empty for organizations in one country or of unknown
    country.
    """
    ci, cj = f.country[i], f.country[j]
    if ci < 0 or cj < 0 or ci == cj or f.field_ties.shape[0] <= max(ci, cj):
        return []
    shared = int(f.thematic_bits[i] & f.thematic_bits[j])
    return [x for k, x in enumerate(vocab.FIELDS)
            if shared >> k & 1 and f.field_ties[ci, cj, k] == 0]


def _proximity_reason(f: OrgFeatures, i: int, j: int) -> Message | None:
    """Partners in common: the organizations both declared a collaboration with."""
    P = f.collaborated
    a = P.indices[P.indptr[i]:P.indptr[i + 1]]
    b = P.indices[P.indptr[j]:P.indptr[j + 1]]
    partners = len(np.intersect1d(a, b, assume_unique=True))
    if partners == 0:
        return None
    return nmsg("{n} partner in common", "{n} partners in common", partners)


def _met_before_reason(f: OrgFeatures, i: int, j: int) -> Message | None:
    """The seminars both attended, earliest first."""
    theirs = set(f.seminars[j])
    both = [s for s in f.seminars[i] if s in theirs]
    if not both:
        return None
    seminars = join([f.seminar_labels.get(s, s) for s in both], limit=3, more=_more_seminars)
    return msg("Met at {seminars}", seminars=seminars)


def _thematic_fit_reason(f: OrgFeatures, i: int, j: int) -> Message | None:
    """The fields and practices both work in."""
    nf = len(vocab.FIELDS)
    shared = int(f.thematic_bits[i] & f.thematic_bits[j])
    items = ([term("field", x) for x in _labels(shared, vocab.FIELDS)]
             + [term("practice", x) for x in _labels(shared >> nf, vocab.PRACTICES)])
    if not items:
        return None
    topics = join(items, limit=3, more=_more_topics)
    return msg("Both work on {topics}", topics=topics)


def _complementarity_reason(f: OrgFeatures, i: int, j: int) -> Message | None:
    """The risk factors and practices ``j`` covers that ``i`` does not (:func:`_covers`)."""
    npr = len(vocab.PRACTICES)
    new = int(f.coverage_bits[j] & ~f.coverage_bits[i])
    risks = [str(k + 1) for k in range(len(vocab.RISK_FACTORS)) if new >> (npr + k) & 1]
    practices = _labels(new, vocab.PRACTICES)
    return _covers(risks, practices, _name(f, i))


def _cross_border_reason(f: OrgFeatures, i: int, j: int) -> Message | None:
    """The most specific true thing about the two countries (docs/recommend.md)."""
    ci, cj = f.country[i], f.country[j]
    if ci < 0 or cj < 0 or ci == cj:
        return None
    a, b = f.countries[ci], f.countries[cj]
    status = f.gap_pairs.get((a, b))
    if status == "missing":
        return msg("{a} and {b} have no declared collaboration yet",
                   a=country(a), b=country(b))
    firsts = _first_in_fields(f, i, j)
    if firsts:
        return msg("Would be the first {a}–{b} tie in {fields}", a=country(a),
                   b=country(b), fields=join([term("field", x) for x in firsts]))
    if status == "thin":
        return msg("{a} and {b} have few declared collaborations",
                   a=country(a), b=country(b))
    return msg("A cross-border tie ({a}–{b})", a=country(a), b=country(b))


def _bridging_reason(f: OrgFeatures, i: int, j: int) -> Message | None:
    """The cut point the tie would relieve, else the two clusters it would join."""
    anchor = f.anchor
    if relieves_cut_point(f, np.array([i]), np.array([j]))[0]:
        x = i if anchor[i] >= 0 else j  # the one that depends on a cut point (i first)
        return msg("Would give {org} a link that does not depend on {cut_point}",
                   org=_name(f, x), cut_point=_name(f, anchor[x]))
    if f.community[i] != f.community[j]:
        return msg("Would connect two different clusters of the network")
    return None


def _language_reason(f: OrgFeatures, i: int, j: int) -> Message | None:
    """The two language groups."""
    li, lj = f.language[i], f.language[j]
    if li < 0 or lj < 0:
        return None
    if li == lj:
        return msg("Same language group ({group})", group=f.languages[li])
    return msg("Related languages ({a}, {b})", a=f.languages[li], b=f.languages[lj])


# --------------------------------------------------------------------------- the registry


class Candidates(NamedTuple):
    """Candidate pairs with what finding them already computed.

    :func:`cso_network.recommend.score.candidate_pairs` finds partners of
    partners with one sparse product whose values are the Adamic-Adar sums,
    and co-attendees with their shared seminars; a component that reads
    those (:attr:`Component.from_candidates`) need not look them up again.

    Attributes
    ----------
    rows, cols : numpy.ndarray of int
        Positions of the organizations and of their candidates.
    aa : numpy.ndarray
        Adamic-Adar sums over declared partners (:func:`adamic_adar_sums`,
        unweighted).
    shared : numpy.ndarray
        Seminars both attended, counted up to 2.
    """

    rows: np.ndarray
    cols: np.ndarray
    aa: np.ndarray
    shared: np.ndarray


Score = Callable[[OrgFeatures, object, object], np.ndarray]
Reason = Callable[[OrgFeatures, int, int], Message | None]


@dataclass(frozen=True)
class Component:
    """One part of the score: how it is computed, explained, labelled and drawn.

    Attributes
    ----------
    name : str
        The key in :data:`COMPONENTS`, the presets, the weights and every
        suggestion's ``components``.
    score : callable
        ``score(features, rows, cols)``: the values in [0, 1] of the pairs
        ``(rows[k], cols[k])`` of organization positions, vectorized.
    reason : callable
        ``reason(features, i, j)``: the sentence saying why the part counts
        for the pair ``(i, j)``, or None when it has nothing specific to say.
    label : Message
        The short phrase the dashboard shows for the part ("bridges
        clusters"); a :class:`~cso_network.core.messages.Message`, so the
        dashboard says it in its language.
    colour : int
        Position of the part's colour in the dashboard's categorical
        palette (``dashboard.figures.palette.PALETTE``, Okabe-Ito order);
        -1 for the palette's grey.
    from_candidates : callable, optional
        ``from_candidates(features, candidates)``: the same values as
        ``score`` at :class:`Candidates`, read from what finding them
        computed; None to call ``score``.
    """

    name: str
    score: Score
    reason: Reason
    label: Message
    colour: int
    from_candidates: Callable[[OrgFeatures, Candidates], np.ndarray] | None = None

    def values(self, features: OrgFeatures, candidates: Candidates) -> np.ndarray:
        """The component's values at ``candidates`` (equal to ``score`` at the same pairs)."""
        if self.from_candidates is not None:
            return self.from_candidates(features, candidates)
        return self.score(features, candidates.rows, candidates.cols)


def _proximity_from(features: OrgFeatures, candidates: Candidates) -> np.ndarray:
    return _saturate(candidates.aa)


def _met_before_from(features: OrgFeatures, candidates: Candidates) -> np.ndarray:
    return _met_value(features, candidates.shared, candidates.rows, candidates.cols)


# The labels, each a plain msg() call that Babel extracts into the catalog.
_SHARED_PARTNERS = msg("shared partners")
_MET_BEFORE = msg("met before")
_SIMILAR_WORK = msg("similar work")
_COMPLEMENTARY = msg("complementary")
_ACROSS_BORDERS = msg("across borders")
_BRIDGES_CLUSTERS = msg("bridges clusters")
_LANGUAGE = msg("language")

#: The components, in column order (an ordered, read-only mapping ``name ->
#: Component``): suggestion frames, weights, presets and the score bar all
#: follow this order.
COMPONENTS: Mapping[str, Component] = MappingProxyType({c.name: c for c in (
    Component("proximity", proximity, _proximity_reason, _SHARED_PARTNERS, 0,
              from_candidates=_proximity_from),
    Component("met_before", met_before, _met_before_reason, _MET_BEFORE, 1,
              from_candidates=_met_before_from),
    Component("thematic_fit", thematic_fit, _thematic_fit_reason, _SIMILAR_WORK, 2),
    Component("complementarity", complementarity, _complementarity_reason, _COMPLEMENTARY, 3),
    Component("cross_border", cross_border, _cross_border_reason, _ACROSS_BORDERS, 4),
    Component("bridging", bridging, _bridging_reason, _BRIDGES_CLUSTERS, 5),
    Component("language", language, _language_reason, _LANGUAGE, -1),
)})
