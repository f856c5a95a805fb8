"""Score and rank CSO-CSO partnership suggestions, for every organization at once.

A suggestion ``i -> j`` (``i`` is suggested to work with ``j``) is scored by
the seven components of :data:`~cso_network.recommend.components.COMPONENTS`
(proximity, met_before, thematic_fit, complementarity, cross_border, bridging,
language), each in [0, 1]; :mod:`cso_network.recommend.components` defines
them.

The score is the weighted mean ``sum_c w_c * x_c / sum_c w_c``; the frame
reports each component's contribution ``w_c * x_c / sum w``, which add up to
the score. Weights come from a preset of :data:`PRESETS` (``balanced``, the
default, ``integration``, ``similar-work``, ``coverage``), overridable key by
key (:func:`resolve_weights`), or from the :data:`LEARNED` preset, whose
weights are fitted on a workspace's own history
(:meth:`cso_network.workspace.Workspace.learned_weights`) and handed in.

Candidates (:func:`candidate_pairs`) are sparse, so time and memory grow with
ties, not with pairs: partners of partners along declared ties, co-attendees
of seminars, and each organization's top :data:`DEFAULT_M` thematic and
complementary matches within :func:`match_pool` (all organizations up to
:data:`MATCH_POOL`, an evenly spaced pool above). Never the organization
itself or a declared partner; zero scores are left out. :func:`recommend_all`
scores chunks of organizations in :data:`DEFAULT_WORKERS` threads (same
result as one), keeps each row's ``3 * top`` best, applies the diversity rule
and returns the top ``top``; :func:`recommend_for` does it for one
organization. Rationale, backtest and figures: docs/recommend.md and
docs/performance.md.
"""

from __future__ import annotations

import difflib
import math
import os
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor

import networkx as nx
import numpy as np
import pandas as pd
import scipy.sparse as sp

from cso_network.core.exceptions import CsoNetworkError, NotFound
from cso_network.core.model import Dataset
from cso_network.recommend.components import (
    _JACCARD,
    COMPONENTS,
    Candidates,
    _common_neighbour_matrix,
    _pairs,
    _thematic_code,
)
from cso_network.recommend.features import OrgFeatures, build_features

__all__ = [
    "PRESETS",
    "LEARNED",
    "DEFAULT_M",
    "DEFAULT_WORKERS",
    "MATCH_POOL",
    "check_preset",
    "match_pool",
    "resolve_weights",
    "candidate_pairs",
    "score_pairs",
    "recommend_all",
    "recommend_for",
]

#: Weight presets. ``balanced`` is the default; the others lean on one purpose.
#: Every preset gives ``met_before`` a real weight: proximity counts declared
#: partners only, so shared seminars, what the programme creates, enter
#: through ``met_before``. ``balanced`` puts 60% on evidence that the two can
#: work together (shared partners, having met) and 40% on fit and value.
#: Each names every component of :data:`~cso_network.recommend.components.COMPONENTS`.
PRESETS: dict[str, dict[str, float]] = {
    "balanced": {"proximity": 0.30, "met_before": 0.30, "thematic_fit": 0.10,
                 "complementarity": 0.10, "cross_border": 0.10, "bridging": 0.05,
                 "language": 0.05},
    "integration": {"proximity": 0.15, "met_before": 0.20, "thematic_fit": 0.05,
                    "complementarity": 0.05, "cross_border": 0.30, "bridging": 0.20,
                    "language": 0.05},
    "similar-work": {"proximity": 0.30, "met_before": 0.20, "thematic_fit": 0.35,
                     "complementarity": 0.05, "cross_border": 0.05, "bridging": 0.0,
                     "language": 0.05},
    "coverage": {"proximity": 0.15, "met_before": 0.15, "thematic_fit": 0.05,
                 "complementarity": 0.50, "cross_border": 0.05, "bridging": 0.05,
                 "language": 0.05},
}

#: The preset whose weights are fitted on the data's own history
#: (:func:`cso_network.backtest.evaluate.learn_weights`) rather than fixed:
#: whoever holds the data fits them and passes them as ``weights``.
LEARNED = "learned"


def _usable_cores() -> int:
    """Cores this process may run on (its CPU affinity where the system tells it)."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not on Linux
        return os.cpu_count() or 1


#: Threads :func:`recommend_all` uses by default: one per usable core, at most 4.
DEFAULT_WORKERS = max(1, min(4, _usable_cores()))

#: Thematic and complementary matches generated per organization.
DEFAULT_M = 20

#: Organizations searched for each organization's thematic and complementary
#: matches (see :func:`match_pool`): all of them up to this many.
MATCH_POOL = 2048

_CELLS = 1_000_000  # pair cells per chunk when scanning the match pool


# --------------------------------------------------------------------------- weights


def check_preset(preset: object) -> str:
    """Return ``preset`` if it names a preset (:data:`PRESETS` or :data:`LEARNED`), else raise.

    The one check of a preset's name, for the suggestions and the backtest alike.

    Raises
    ------
    CsoNetworkError
        ``preset`` is not a preset; the message lists them.

    Examples
    --------
    >>> check_preset("learned")
    'learned'
    >>> check_preset("nope")
    Traceback (most recent call last):
    ...
    cso_network.core.exceptions.CsoNetworkError: unknown preset 'nope'; presets are balanced, integration, similar-work, coverage, learned
    """
    if preset not in PRESETS and preset != LEARNED:
        raise CsoNetworkError(
            f"unknown preset {preset!r}; presets are {', '.join([*PRESETS, LEARNED])}")
    return str(preset)


def resolve_weights(preset: str = "balanced",
                    weights: Mapping[str, float] | None = None) -> dict[str, float]:
    """Return the weight of every component: a preset, overridden key by key.

    Parameters
    ----------
    preset : str, default "balanced"
        One of :data:`PRESETS`, or :data:`LEARNED` with ``weights`` naming
        every component (the learned preset has no fixed weights).
    weights : mapping, optional
        ``{component: weight}``; components not named keep the preset's weight.

    Returns
    -------
    dict
        ``{component: weight}`` in :data:`~cso_network.recommend.components.COMPONENTS`
        order (not normalized).

    Raises
    ------
    CsoNetworkError
        Unknown preset or component, a negative or non-finite weight, all
        weights zero, or :data:`LEARNED` without a weight for every component.

    Examples
    --------
    >>> resolve_weights("integration")["cross_border"]
    0.3
    >>> resolve_weights(weights={"language": 0})["language"]
    0.0
    >>> resolve_weights(weights={"size": 1})
    Traceback (most recent call last):
    ...
    cso_network.core.exceptions.CsoNetworkError: unknown weight 'size'; components are proximity, met_before, thematic_fit, complementarity, cross_border, bridging, language
    """
    check_preset(preset)
    weights = dict(weights or {})
    if preset == LEARNED:
        missing = [c for c in COMPONENTS if c not in weights]
        if missing:
            raise CsoNetworkError(
                f"the {LEARNED!r} preset has no fixed weights: they are fitted on the data's own "
                "history (Workspace.learned_weights, backtest.evaluate.learn_weights) and given "
                f"for every component; missing {', '.join(missing)}")
        out = dict.fromkeys(COMPONENTS, 0.0)
    else:
        out = dict(PRESETS[preset])
    for key, value in weights.items():
        if key not in out:
            raise CsoNetworkError(
                f"unknown weight {key!r}; components are {', '.join(COMPONENTS)}")
        try:
            value = float(value)
        except (TypeError, ValueError):
            raise CsoNetworkError(f"weight {key!r} must be a number, not {value!r}") from None
        if not math.isfinite(value) or value < 0:
            raise CsoNetworkError(f"weight {key!r} must be a finite number >= 0, not {value}")
        out[key] = value
    if sum(out.values()) <= 0:
        raise CsoNetworkError("at least one weight must be positive")
    return {c: float(out[c]) for c in COMPONENTS}


# --------------------------------------------------------------------------- candidates




def _thematic_levels() -> np.ndarray:
    """Rank of every value of :data:`_JACCARD` (97 distinct), as uint8 at the same index."""
    values, rank = np.unique(_JACCARD, return_inverse=True)
    assert len(values) < 256
    return rank.astype(np.uint8)


_THEMATIC_LUT = _thematic_levels()


def match_pool(n: int, size: int | None = None) -> np.ndarray:
    """Positions of the organizations searched for thematic and complementary matches.

    All ``n`` organizations when ``n <= size`` (default :data:`MATCH_POOL`);
    otherwise ``size`` of them evenly spaced in ``org_id`` order
    (``floor(k * n / size)``), so the pool is deterministic and does not
    depend on the order of the input rows.

    Examples
    --------
    >>> match_pool(5).tolist()
    [0, 1, 2, 3, 4]
    >>> match_pool(10, 4).tolist()
    [0, 2, 5, 7]
    """
    size = MATCH_POOL if size is None else int(size)
    if n <= size:
        return np.arange(n, dtype=np.int64)
    return (np.arange(size, dtype=np.int64) * n) // size


def _top_matches(levels: np.ndarray, m: int) -> tuple[np.ndarray, np.ndarray]:
    """Per row, the ``m`` columns of highest positive level, ties by column.

    ``levels`` is a small non-negative integer matrix. Each cell becomes one
    unsigned key, ``(max - level) << b | column`` (``b`` bits for a column):
    keys are distinct, and ascending keys are descending levels with ties in
    column order. So each row's ``m`` smallest keys, found by one
    ``numpy.partition`` (introselect, linear in the row's length) and sorted,
    are the answer, with no index array to carry along. Entries of level 0
    are dropped. Rows come out in order, and within a row in rank order.
    """
    nrows, ncols = levels.shape
    if nrows == 0 or ncols == 0 or m <= 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    top = int(levels.max())
    shift = max(1, (ncols - 1).bit_length())
    key_type = np.uint32 if top.bit_length() + shift <= 32 else np.uint64
    keys = levels.astype(key_type)
    np.subtract(key_type(top), keys, out=keys)
    keys <<= key_type(shift)
    keys |= np.arange(ncols, dtype=key_type)
    k = min(m, ncols)
    if k < ncols:
        keys = np.partition(keys, k - 1, axis=1)[:, :k]
    keys.sort(axis=1)
    cols = (keys & key_type((1 << shift) - 1)).astype(np.int64).ravel()
    level = top - (keys >> key_type(shift)).astype(np.int64).ravel()
    rows = np.repeat(np.arange(nrows, dtype=np.int64), k)
    keep = level > 0
    return rows[keep], cols[keep]


def _match_candidates(features: OrgFeatures, chunk: np.ndarray, m: int,
                      ex_r: np.ndarray, ex_c: np.ndarray, pool: np.ndarray
                      ) -> tuple[np.ndarray, np.ndarray]:
    """Top ``m`` thematic and top ``m`` complementary matches of the chunk's rows in ``pool``.

    ``ex_r, ex_c``: excluded pairs (chunk-local row, position). Returns
    (chunk-local rows, positions), possibly with repeats.
    """
    n = features.n
    where = np.full(n, -1, dtype=np.int64)
    where[pool] = np.arange(len(pool))
    in_pool = where[ex_c] >= 0
    ex_r, ex_p = ex_r[in_pool], where[ex_c[in_pool]]
    rows, cols = np.meshgrid(chunk, pool, indexing="ij", sparse=True)
    lev = _THEMATIC_LUT.take(_thematic_code(features, rows, cols))
    lev[ex_r, ex_p] = 0
    r1, c1 = _top_matches(lev, m)
    cb = features.coverage_bits
    lev = np.bitwise_count(cb[pool][None, :] & ~cb[chunk][:, None])
    lev[ex_r, ex_p] = 0
    r2, c2 = _top_matches(lev, m)
    return np.concatenate([r1, r2]), pool[np.concatenate([c1, c2])]


#: Bits that mark where a candidate comes from (summed per pair when the
#: sources are merged, so each must be a distinct power of two): two steps away
#: along declared ties, met at one seminar, met at two or more, matched
#: (thematic or complementary), and excluded (self or a declared partner).
_TWO_STEP, _MET_ONCE, _MET_TWICE, _MATCHED, _EXCLUDED = 1, 2, 4, 8, 16


def _flagged(pattern: sp.csr_array, bits: float | np.ndarray) -> sp.csr_array:
    """The pattern of a canonical CSR matrix with ``bits`` as its values."""
    data = np.broadcast_to(np.asarray(bits, dtype=float), (pattern.nnz,)).copy()
    return sp.csr_array((data, pattern.indices, pattern.indptr), shape=pattern.shape)


def _canonical(A: sp.csr_array) -> sp.csr_array:
    """``A`` with sorted column indices, by two transpositions (counting sorts)."""
    return sp.csr_array(A.tocsc().tocsr())


def _chunk_candidates(features: OrgFeatures, chunk: np.ndarray, m: int,
                      C: sp.csr_array, pool: np.ndarray
                      ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Candidate pairs of the chunk's rows with their raw AA sums and shared seminars.

    ``C`` is the collaborated layer with each row ``z`` scaled by ``1 / ln
    deg z`` (:func:`~cso_network.recommend.components._common_neighbour_matrix`),
    so that one sparse product ``P[chunk] @ C`` gives both the partners of
    partners (its pattern) and their Adamic-Adar sums (its values). Each
    source becomes a sparse ``len(chunk) x n`` matrix in canonical form
    (sorted columns) whose values are its bit (:data:`_TWO_STEP`, having met
    once or at least twice, :data:`_MATCHED`, :data:`_EXCLUDED` for self and
    declared partners); their sum, a linear merge of sorted rows in scipy, is
    the union of the candidates in (row, column) order, each value telling
    where it came from. The pairs marked two steps away are exactly the
    product's entries, in the same order, so the sums are copied across
    without a lookup; the bits give the shared seminars, counted up to 2 (all
    that :func:`~cso_network.recommend.components.met_before` reads). Time
    and memory grow with the chunk's ties and two-step paths, not with ``n``.

    Returns chunk rows, candidates, Adamic-Adar sums and shared seminars
    (0, 1 or 2 for "two or more").
    """
    k, n = len(chunk), features.n
    Pc = features.collaborated[chunk]
    # partners of partners with their Adamic-Adar sums; a partner of degree 1
    # (weight 0) is nobody's common partner, and scipy drops zero sums
    two = _canonical(sp.csr_array(Pc @ C))
    Mc = features.met[chunk]
    own = sp.csr_array((np.full(k, float(_EXCLUDED)), (np.arange(k), chunk)), shape=(k, n))
    union = (_flagged(Mc, np.where(Mc.data >= 2, _MET_ONCE | _MET_TWICE, _MET_ONCE))
             + _flagged(Pc, _EXCLUDED) + own)
    if m > 0:
        ex_r = np.r_[np.repeat(np.arange(k), np.diff(Pc.indptr)), np.arange(k)]
        ex_c = np.r_[Pc.indices, chunk].astype(np.int64)
        xr, xc = _match_candidates(features, chunk, m, ex_r, ex_c, pool)
        matched = sp.csr_array((np.ones(len(xr)), (xr, xc)), shape=(k, n))
        matched.sum_duplicates()  # a thematic and a complementary match: one entry
        union = union + _flagged(matched, _MATCHED)
    union = union + _flagged(two, _TWO_STEP)
    # scipy merges canonical operands into sorted rows; should it ever not,
    # sorting here keeps the two-step entries in the product's (sorted) order
    union.sort_indices()
    bits = union.data.astype(np.uint8)
    aa = np.zeros(union.nnz)
    aa[(bits & _TWO_STEP) != 0] = two.data
    keep = np.flatnonzero(bits < _EXCLUDED)
    rows_l = np.repeat(np.arange(k), np.diff(union.indptr))[keep]
    bits = bits[keep]
    shared = ((bits & _MET_ONCE) != 0).astype(float) + ((bits & _MET_TWICE) != 0)
    return chunk[rows_l], union.indices[keep].astype(np.int64), aa[keep], shared


def candidate_pairs(features: OrgFeatures, rows: object | None = None, *,
                    m: int = DEFAULT_M) -> tuple[np.ndarray, np.ndarray]:
    """The sparse candidate set: pairs (organization, candidate) worth scoring.

    Parameters
    ----------
    features : OrgFeatures
    rows : array-like of int, optional
        Organizations (positions) to generate candidates for; all by default.
    m : int, default 20
        Thematic and complementary matches per organization.

    Returns
    -------
    (rows, cols) : tuple of numpy.ndarray
        Sorted by row, then column; never ``row == col`` nor a declared
        partner.

    Notes
    -----
    The union of:

    - organizations two steps away along *declared* ties (the pattern of
      ``P[rows] @ P``, ``P`` the collaborated layer): partners of partners;
    - co-attendees (the met layer);
    - per organization the ``m`` best by Jaccard of fields and practices and
      the ``m`` covering most of its missing practices and risk factors,
      searched in the :func:`match_pool` (every organization up to
      :data:`MATCH_POOL`; ties by position, i.e. ``org_id``; self and partners
      skipped before counting).

    Two-step paths through the met layer ("met someone who met someone", or
    "a partner met someone") do not make a candidate: at scale the met layer
    is dense (seminar cliques) and those paths are ~80% of all two-step pairs
    while being weak evidence. Such an organization is still a candidate when
    it is a co-attendee or a thematic or complementary match.

    Cost: the two-step part grows with paths of declared ties (one product
    ``P[rows] @ D^-1 @ P``, which also gives proximity), the met part with
    met ties; the match search is O(n x min(n, MATCH_POOL)) cells with a few
    integer operations each and one partition of packed keys per row, in
    chunks of rows (O(chunk x MATCH_POOL) memory, never an n x n matrix).
    """
    n = features.n
    chunks = _chunks(n, None if rows is None else np.asarray(rows, dtype=np.int64))
    _, C = _common_neighbour_matrix(features.collaborated, "adamic_adar", False)
    pool = match_pool(n)
    rs, cs = [], []
    for chunk in chunks:
        r, c, _, _ = _chunk_candidates(features, chunk, m, C, pool)
        rs.append(r)
        cs.append(c)
    if not rs:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    return np.concatenate(rs), np.concatenate(cs)


def _chunks(n: int, rows: np.ndarray | None) -> list[np.ndarray]:
    if rows is None:
        rows = np.arange(n, dtype=np.int64)
    rows = np.unique(rows)
    if len(rows) == 0:
        return []
    size = max(1, _CELLS // max(min(n, MATCH_POOL), 1))
    return [rows[k:k + size] for k in range(0, len(rows), size)]


def score_pairs(features: OrgFeatures, rows: object, cols: object,
                weights: Mapping[str, float]) -> pd.DataFrame:
    """Component values and weighted score of given pairs.

    Parameters
    ----------
    features : OrgFeatures
    rows, cols : array-like of int
    weights : mapping
        ``{component: weight}``, e.g. from :func:`resolve_weights`.

    Returns
    -------
    pandas.DataFrame
        One row per pair: ``row``, ``col``, ``score`` and one column per
        component holding its *contribution* ``w_c * x_c / sum(w)``.

    Examples
    --------
    >>> from cso_network.demo.synth import generate_programme
    >>> f = build_features(generate_programme(seed=1).dataset)
    >>> t = score_pairs(f, [0, 0], [1, 2], resolve_weights())
    >>> bool(((t[list(COMPONENTS)].sum(axis=1) - t["score"]).abs() < 1e-12).all())
    True
    """
    r, c = _pairs(rows, cols)
    values = {name: comp.score(features, r, c) for name, comp in COMPONENTS.items()}
    return _frame(r, c, values, weights)


def _contributions(values: Mapping[str, np.ndarray], weights: Mapping[str, float]
                   ) -> tuple[dict[str, np.ndarray], np.ndarray]:
    total = sum(weights[k] for k in COMPONENTS)
    contrib = {k: values[k] * (weights[k] / total) for k in COMPONENTS}
    score = np.zeros(len(next(iter(values.values()))))
    for k in COMPONENTS:
        score = score + contrib[k]
    return contrib, score


def _score(values: Mapping[str, np.ndarray], weights: Mapping[str, float]) -> np.ndarray:
    """The score of :func:`_contributions` (same operations, same order), without
    keeping the seven contribution arrays."""
    total = sum(weights[k] for k in COMPONENTS)
    score = np.zeros(len(next(iter(values.values()))))
    tmp = np.empty_like(score)
    for k in COMPONENTS:
        np.multiply(values[k], weights[k] / total, out=tmp)
        score += tmp
    return score


def _frame(r: np.ndarray, c: np.ndarray, values: Mapping[str, np.ndarray],
           weights: Mapping[str, float]) -> pd.DataFrame:
    contrib, score = _contributions(values, weights)
    return pd.DataFrame({"row": r, "col": c, "score": score, **contrib})


# --------------------------------------------------------------------------- ranking


def _row_top(indptr: np.ndarray, scores: np.ndarray, k: int) -> np.ndarray:
    """Entry indices of each row's ``k`` best scores (ties by position), rows in order.

    Entries of a row are stored in column order. A coarse pass first drops
    the entries that cannot be among a row's ``k`` best (:func:`_coarse_keep`);
    of the rest, rows no longer than ``k`` keep everything and longer rows are
    padded into buckets of power-of-two width and cut with ``numpy.partition``
    plus an exact tie rule.
    """
    keep = _coarse_keep(indptr, scores, k)
    if keep is not None:
        indptr = np.searchsorted(keep, indptr)
        return keep[_row_top_exact(indptr, scores[keep], k)]
    return _row_top_exact(indptr, scores, k)


#: Score levels of the coarse pass of :func:`_row_top`.
_COARSE_LEVELS = 256


def _coarse_keep(indptr: np.ndarray, scores: np.ndarray, k: int) -> np.ndarray | None:
    """Entries that may be among their row's ``k`` best, or None to keep all.

    Scores are mapped to :data:`_COARSE_LEVELS` levels by a non-decreasing
    map, so the ``k``-th largest level of a row is the level of its ``k``-th
    largest score: every entry scoring at least that much (ties included) is
    at that level or above, and the others are dropped. The levels are
    counted per row with one ``bincount`` instead of sorting scores.
    """
    lengths = np.diff(indptr)
    if len(scores) <= 4 * k * max(len(lengths), 1):  # rows too short to gain from it
        return None
    lo, hi = float(scores.min()), float(scores.max())
    if not hi > lo:
        return None
    top = _COARSE_LEVELS - 1
    level = ((scores - lo) * ((top + 0.999) / (hi - lo))).astype(np.int64)
    np.minimum(level, top, out=level)
    row = np.repeat(np.arange(len(lengths), dtype=np.int64), lengths)
    counts = np.bincount(row * _COARSE_LEVELS + level,
                         minlength=len(lengths) * _COARSE_LEVELS).reshape(-1, _COARSE_LEVELS)
    at_or_above = np.cumsum(counts[:, ::-1], axis=1)  # [:, j]: entries at level >= top - j
    enough = at_or_above[:, -1] >= k
    threshold = np.where(enough, top - np.argmax(at_or_above >= k, axis=1), 0)
    return np.flatnonzero(level >= threshold[row])


def _row_top_exact(indptr: np.ndarray, scores: np.ndarray, k: int) -> np.ndarray:
    """:func:`_row_top` without the coarse pass."""
    lengths = np.diff(indptr)
    short = np.flatnonzero(lengths <= k)
    pieces = [np.repeat(indptr[short], lengths[short])
              + _ranges(lengths[short])] if len(short) else []
    long_rows = np.flatnonzero(lengths > k)
    if len(long_rows):
        width = 1 << np.ceil(np.log2(lengths[long_rows])).astype(np.int64)
        for w in np.unique(width):
            rows = long_rows[width == w]
            offs = np.arange(w)
            idx = indptr[rows][:, None] + offs[None, :]
            valid = offs[None, :] < lengths[rows][:, None]
            vals = np.where(valid, scores[np.where(valid, idx, 0)], -np.inf)
            thr = np.partition(vals, w - k, axis=1)[:, w - k]
            gt = vals > thr[:, None]
            eq = vals == thr[:, None]
            need = k - gt.sum(axis=1)
            keep = gt | (eq & (np.cumsum(eq, axis=1) <= need[:, None]))
            pieces.append(idx[keep])
    if not pieces:
        return np.zeros(0, dtype=np.int64)
    return np.sort(np.concatenate(pieces))


def _ranges(lengths: np.ndarray) -> np.ndarray:
    """Concatenated ``arange(l)`` for each length."""
    total = int(lengths.sum())
    if total == 0:
        return np.zeros(0, dtype=np.int64)
    starts = np.repeat(np.cumsum(lengths) - lengths, lengths)
    return np.arange(total, dtype=np.int64) - starts


def _order_in_rows(rows: np.ndarray, scores: np.ndarray) -> np.ndarray:
    """Permutation putting each row's entries in descending score, ties kept in place.

    ``rows`` must be sorted. The same as ``np.lexsort((position, -scores,
    rows))``, but with one stable sort per row of a padded ``rows x width``
    matrix, which is several times faster for short rows.

    Examples
    --------
    >>> _order_in_rows(np.array([0, 0, 0, 1, 1]), np.array([1.0, 3.0, 1.0, 2.0, 5.0])).tolist()
    [1, 0, 2, 4, 3]
    """
    if len(rows) == 0:
        return np.zeros(0, dtype=np.int64)
    start = np.flatnonzero(np.r_[True, rows[1:] != rows[:-1]])
    counts = np.diff(np.r_[start, len(rows)])
    slot = np.repeat(np.arange(len(start)), counts)
    pos = _ranges(counts)
    padded = np.full((len(start), int(counts.max())), np.inf)
    padded[slot, pos] = -scores
    ranked = np.argsort(padded, axis=1, kind="stable")  # padding (inf) sorts last
    return start[slot] + ranked[slot, pos]


def _diversify(rows: np.ndarray, cols: np.ndarray, scores: np.ndarray,
               features: OrgFeatures, top: int, diversity: bool) -> np.ndarray:
    """Pick each row's final list from its ranked shortlist; return entry indices in rank order.

    ``rows`` are sorted, and within a row entries are in rank order.
    """
    if len(rows) == 0:
        return np.zeros(0, dtype=np.int64)
    uniq, start, counts = np.unique(rows, return_index=True, return_counts=True)
    width = int(counts.max())
    pos = np.arange(len(rows)) - np.repeat(start, counts)
    slot = np.repeat(np.arange(len(uniq)), counts)
    entry = np.full((len(uniq), width), -1, dtype=np.int64)
    entry[slot, pos] = np.arange(len(rows))
    valid = entry >= 0
    if not diversity:
        chosen = valid & (np.cumsum(valid, axis=1) <= top)
        return entry[chosen]
    cap = math.ceil(top / 2)
    country = np.where(valid, features.country[cols[np.maximum(entry, 0)]], -2)
    community = np.where(valid, features.community[cols[np.maximum(entry, 0)]], -2)
    accepted = np.zeros_like(valid)
    n_acc = np.zeros(len(uniq), dtype=np.int64)
    for p in range(width):
        same_c = ((country[:, :p] == country[:, p:p + 1]) & accepted[:, :p]
                  & (country[:, p:p + 1] >= 0)).sum(axis=1)
        same_m = ((community[:, :p] == community[:, p:p + 1]) & accepted[:, :p]).sum(axis=1)
        ok = valid[:, p] & (n_acc < top) & (same_c < cap) & (same_m < cap)
        accepted[:, p] = ok
        n_acc += ok
    # fill: when the rule leaves a list short, take the best skipped ones
    skipped = valid & ~accepted
    room = top - n_acc
    fill = skipped & (np.cumsum(skipped, axis=1) <= room[:, None])
    final = accepted | fill
    # order: rank order is the order of scores within the shortlist
    return entry[final]


_EMPTY_COLUMNS = ["org_id", "rank", "candidate", "score", *COMPONENTS]


def _empty_frame() -> pd.DataFrame:
    frame = pd.DataFrame({c: pd.Series([], dtype=float) for c in _EMPTY_COLUMNS})
    frame["org_id"] = frame["org_id"].astype(object)
    frame["candidate"] = frame["candidate"].astype(object)
    frame["rank"] = frame["rank"].astype(np.int64)
    return frame


def _chunk_lists(features: OrgFeatures, chunk: np.ndarray, *,
                 weights: Mapping[str, float], top: int, diversity: bool, m: int,
                 C: sp.csr_array, pool: np.ndarray
                 ) -> tuple[np.ndarray, np.ndarray, dict[str, np.ndarray]]:
    """The final lists of the chunk's organizations, in rank order.

    Candidates, the seven component values, the score, each row's shortlist
    (its ``3 * top`` best with the diversity rule, else ``top``), rank order
    (score descending, then ``org_id``) and the diversity rule: everything
    that is done per organization, so that chunks are independent.
    Returns rows, candidates and ``{"score", component: value}``.
    """
    candidates = Candidates(*_chunk_candidates(features, chunk, m, C, pool))
    r, c = candidates.rows, candidates.cols
    values = {name: comp.values(features, candidates) for name, comp in COMPONENTS.items()}
    score = _score(values, weights)
    # rows are sorted: each chunk row's first entry by binary search
    indptr = np.append(np.searchsorted(r, chunk), len(r))
    sel = _row_top(indptr, score, 3 * top if diversity else top)
    # zero scores rank below every positive one, so dropping them from the
    # shortlist leaves each row's best positive ones (candidates scoring zero
    # are left out)
    sel = sel[score[sel] > 0]
    # r[sel] is ascending and, within a row, so is c[sel]
    order = sel[_order_in_rows(r[sel], score[sel])]
    pick = order[_diversify(r[order], c[order], score[order], features, top, diversity)]
    return r[pick], c[pick], {"score": score[pick], **{k: v[pick] for k, v in values.items()}}


def _recommend(features: OrgFeatures, rows: np.ndarray | None, weights: Mapping[str, float],
               top: int, diversity: bool, m: int, workers: int = 1) -> pd.DataFrame:
    if top < 1:
        raise CsoNetworkError(f"top must be at least 1, got {top}")
    n = features.n
    if n == 0:
        return _empty_frame()
    _, C = _common_neighbour_matrix(features.collaborated, "adamic_adar", False)
    chunks = _chunks(n, rows)
    context = {"weights": weights, "top": top, "diversity": diversity, "m": m, "C": C,
               "pool": match_pool(n)}

    def lists_of(chunk: np.ndarray) -> tuple[np.ndarray, np.ndarray, dict[str, np.ndarray]]:
        return _chunk_lists(features, chunk, **context)

    if workers > 1 and len(chunks) > 1:
        with ThreadPoolExecutor(workers) as ex:
            parts = list(ex.map(lists_of, chunks))
    else:
        parts = [lists_of(ch) for ch in chunks]
    if not parts:
        return _empty_frame()
    r = np.concatenate([p[0] for p in parts])
    if len(r) == 0:
        return _empty_frame()
    c = np.concatenate([p[1] for p in parts])
    vals = {k: np.concatenate([p[2][k] for p in parts]) for k in ["score", *COMPONENTS]}
    # contributions of the final lists only: the same products as _contributions
    contrib, _ = _contributions({k: vals[k] for k in COMPONENTS}, weights)
    start = np.flatnonzero(np.r_[True, r[1:] != r[:-1]])  # r is sorted
    rank = np.arange(len(r)) - np.repeat(start, np.diff(np.r_[start, len(r)])) + 1
    names = np.asarray(features.orgs, dtype=object)
    frame = pd.DataFrame({"org_id": names[r], "rank": rank.astype(np.int64),
                          "candidate": names[c], "score": vals["score"], **contrib})
    return frame[_EMPTY_COLUMNS].reset_index(drop=True)


def recommend_all(
    dataset: Dataset,
    *,
    preset: str = "balanced",
    weights: Mapping[str, float] | None = None,
    top: int = 10,
    graphs: Mapping[str, nx.Graph] | None = None,
    features: OrgFeatures | None = None,
    diversity: bool = True,
    m: int = DEFAULT_M,
    workers: int | None = None,
) -> pd.DataFrame:
    """Top partnership suggestions for every organization.

    Parameters
    ----------
    dataset : Dataset
    preset : str, default "balanced"
        ``"balanced"``, ``"integration"``, ``"similar-work"`` or ``"coverage"``.
    weights : mapping, optional
        Component weights overriding the preset's (see :func:`resolve_weights`).
    top : int, default 10
        Suggestions per organization.
    graphs : mapping, optional
        Prebuilt layers passed to :func:`~cso_network.recommend.features.build_features`.
    features : OrgFeatures, optional
        Prebuilt features (then ``dataset`` and ``graphs`` are not read).
    diversity : bool, default True
        Apply the diversity rule (Notes).
    m : int, default 20
        Thematic and complementary matches per organization in the candidate set.
    workers : int, optional
        Threads scoring chunks of organizations side by side (default
        :data:`DEFAULT_WORKERS`); the result does not depend on it.

    Returns
    -------
    pandas.DataFrame
        Columns ``org_id``, ``rank`` (1 = best), ``candidate``, ``score`` and
        one column per component (its weighted contribution; they add up to
        ``score``); sorted by ``org_id`` then ``rank``.

    Raises
    ------
    CsoNetworkError
        Unknown preset or weight, ``top < 1``, ``workers < 1``.

    Notes
    -----
    Candidates and components are described in the module docstring. Each
    organization's shortlist is its ``3 * top`` best candidates (score
    descending, ties by ``org_id``), found per row with ``numpy.partition``.
    Diversity rule: walking the shortlist in rank order, a candidate is
    skipped when ``ceil(top / 2)`` suggestions from its country, or from its
    community, are already in the list; when the shortlist runs out before
    ``top`` suggestions, the best skipped candidates fill the list (so the rule
    is a preference, not a guarantee, e.g. when every candidate is in one
    country). The final list is shown in score order.

    Examples
    --------
    >>> from cso_network.demo.synth import generate_programme
    >>> ds = generate_programme(seed=1).dataset
    >>> recs = recommend_all(ds, top=5)
    >>> list(recs.columns)[:4]
    ['org_id', 'rank', 'candidate', 'score']
    >>> int(recs.groupby("org_id")["rank"].max().max())
    5
    """
    w = resolve_weights(preset, weights)
    if features is None:
        features = build_features(dataset, graphs=graphs)
    workers = DEFAULT_WORKERS if workers is None else int(workers)
    if workers < 1:
        raise CsoNetworkError(f"workers must be at least 1, got {workers}")
    return _recommend(features, None, w, top, diversity, m, workers)


def recommend_for(
    dataset: Dataset,
    org_id: str,
    *,
    preset: str = "balanced",
    weights: Mapping[str, float] | None = None,
    top: int = 10,
    graphs: Mapping[str, nx.Graph] | None = None,
    features: OrgFeatures | None = None,
    diversity: bool = True,
    m: int = DEFAULT_M,
) -> pd.DataFrame:
    """Top partnership suggestions for one organization.

    Same parameters and result as :func:`recommend_all`, restricted to
    ``org_id``; the rows are exactly ``recommend_all``'s rows for it (the same
    code runs on that one row).

    Raises
    ------
    NotFound
        ``org_id`` is not an organization of the dataset (the message lists
        close ids and names).

    Examples
    --------
    >>> from cso_network.demo.synth import generate_programme
    >>> ds = generate_programme(seed=1).dataset
    >>> recommend_for(ds, "ORG-001", top=3)["rank"].tolist()
    [1, 2, 3]
    """
    w = resolve_weights(preset, weights)
    if features is None:
        features = build_features(dataset, graphs=graphs)
    if org_id not in features.index:
        raise NotFound(_not_found_message(org_id, features))
    rows = np.array([features.index[org_id]], dtype=np.int64)
    return _recommend(features, rows, w, top, diversity, m)


def _not_found_message(org_id: object, features: OrgFeatures) -> str:
    text = str(org_id)
    close = difflib.get_close_matches(text, features.orgs, n=3, cutoff=0.6)
    by_name = {name: o for o, name in zip(features.orgs, features.names, strict=True)}
    close += [f"{by_name[nm]} ({nm})"
              for nm in difflib.get_close_matches(text, list(by_name), n=3, cutoff=0.6)]
    msg = f"no organization with id {text!r}"
    if close:
        msg += "; did you mean " + ", ".join(dict.fromkeys(close)) + "?"
    return msg
