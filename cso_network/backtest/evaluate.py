"""Backtest of partnership suggestions: hide the recent ties, predict them from the past.

A suggestion method is judged the way link prediction is judged (Liben-Nowell &
Kleinberg 2007; Lü & Zhou 2011): the collaborations that started in the split
year or later are hidden, the method sees only what was known before, and its
suggestions are compared with the ties that were actually formed.

- :func:`split_by_year`: the dataset as known before a year, and the new ties;
- :func:`default_split_year`: the year that leaves about three quarters of the
  dated ties known;
- baselines on the known collaboration layer, each as a top-k :data:`Scorer`
  and as a :data:`PairScorer` for AUC: :func:`adamic_adar_scorer` /
  :func:`adamic_adar_pairs`, :func:`preferential_attachment_scorer` /
  :func:`preferential_attachment_pairs`, :func:`random_scorer` /
  :func:`random_pairs`;
- :func:`evaluate`: precision@k, recall@k and AUC of any set of methods;
- :func:`backtest`: the standard comparison (engine, Adamic-Adar, preferential
  attachment, random) as a JSON-ready dict.

Metrics
-------
``precision_at_k``
    For each organization that formed at least one new tie (a new tie (a, b)
    counts for both a and b): hits / k, where hits is the number of its first k
    suggestions that are new partners. A method that returns fewer than k
    suggestions is not excused: the denominator stays k. Averaged over those
    organizations.
``recall_at_k``
    Same organizations: hits / (number of its new partners), averaged.
``auc``
    Probability that a hidden new tie scores higher than a pair that is tied
    neither before nor after the split (ties count one half): over all n
    comparisons of the new ties with a seeded sample of such non-ties,
    AUC = (n' + 0.5 n'') / n, n' comparisons won, n'' tied (Lü & Zhou 2011).
    All non-ties are used when there are at most :data:`AUC_NEGATIVES` of
    them (exact AUC); otherwise :data:`AUC_NEGATIVES` are drawn uniformly
    without replacement. Every method is scored on the same pairs.

The baselines use the collaborated layer only (declared ties, not having met at
a seminar), so they measure what the network structure alone predicts; the
engine may use everything in the known dataset. All functions are pure and
vectorized with numpy and scipy.sparse (no loop over pairs of organizations);
organizations are indexed in ``org_id`` order, so every tie is broken by
``org_id``.

References
----------
.. [1] D. Liben-Nowell and J. Kleinberg, "The link-prediction problem for
   social networks", J. Am. Soc. Inf. Sci. Technol. 58(7), 1019-1031 (2007).
.. [2] L. Lü and T. Zhou, "Link prediction in complex networks: A survey",
   Physica A 390(6), 1150-1170 (2011).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp

from cso_network.core.exceptions import CsoNetworkError
from cso_network.core.messages import Message, msg
from cso_network.core.model import Dataset
from cso_network.recommend.components import COMPONENTS, adamic_adar_sums, neighbour_weights
from cso_network.recommend.features import OrgFeatures, build_features
from cso_network.recommend.score import (
    LEARNED,
    PRESETS,
    candidate_pairs,
    check_preset,
    recommend_all,
    resolve_weights,
    score_pairs,
)
from cso_network.vocab import year_of

__all__ = [
    "AUC_NEGATIVES",
    "KNOWN_SHARE",
    "Scorer",
    "PairScorer",
    "Method",
    "Seeded",
    "split_by_year",
    "default_split_year",
    "adamic_adar_scorer",
    "adamic_adar_pairs",
    "preferential_attachment_scorer",
    "preferential_attachment_pairs",
    "random_scorer",
    "random_pairs",
    "auc_score",
    "evaluate",
    "precision_ratio",
    "ratio_in_words",
    "backtest",
    "engine_method",
    "LEARNED",
    "learn_weights",
    "fit_nonnegative_least_squares",
    "fit_on_candidates",
]

#: A top-k method: ``scorer(known, k)`` returns a frame with columns ``org_id``,
#: ``candidate``, ``score``: at most ``k`` rows per ``org_id``, best first.
Scorer = Callable[[Dataset, int], pd.DataFrame]

#: A pair method for AUC: ``pairs(known, a, b)`` returns one score per pair
#: ``(a[i], b[i])`` of org ids (higher = more likely to become a tie).
PairScorer = Callable[[Dataset, np.ndarray, np.ndarray], np.ndarray]

#: How many non-tied pairs are compared with the new ties for AUC (at most).
AUC_NEGATIVES = 20_000

#: Bootstrap resamples of the organizations for :func:`precision_ratio`'s interval.
RATIO_RESAMPLES = 2000

#: Share of dated ties that :func:`default_split_year` leaves known.
KNOWN_SHARE = 0.75

_ROUND = 12  # scores are compared after rounding to this many decimals (float noise)

# Independent random streams derived from one seed.
_STREAM_NEGATIVES, _STREAM_TOPK, _STREAM_PAIRS, _STREAM_LEARN = 0, 1, 2, 3


@dataclass(frozen=True)
class Method:
    """A method under evaluation: a top-k scorer and, optionally, a pair scorer.

    Attributes
    ----------
    top_k : Scorer
        Gives the suggestion lists (precision@k and recall@k).
    pairs : PairScorer or None
        Gives scores of arbitrary pairs (AUC). When None, AUC is computed from
        ``top_k(known, n_orgs)``, i.e. every organization's full list: a pair
        scores the best score it gets in either organization's list, and a
        pair absent from both lists scores below every listed pair. Exact for
        a method that lists every pair it scores above zero, but it asks for
        full lists, which may be slow; give a pair scorer when the method can
        score given pairs directly.
    """

    top_k: Scorer
    pairs: PairScorer | None = None


@dataclass(frozen=True)
class Seeded:
    """A randomized method, evaluated over several seeded runs and averaged.

    Attributes
    ----------
    make : callable
        ``make(seed)`` returns a :class:`Method` or a :data:`Scorer`; run ``r``
        of :func:`evaluate` uses ``seed + r``.
    """

    make: Callable[[int], Method | Scorer]


# --------------------------------------------------------------------------- helpers


def _rounded(values: Any) -> np.ndarray:
    """Scores as floats rounded to ``_ROUND`` decimals (NaN -> -inf; huge values kept)."""
    x = np.asarray(values, dtype=float)
    x = np.where(np.isnan(x), -np.inf, x)
    small = np.abs(x) < 1e250
    out = x.copy()
    out[small] = np.round(x[small], _ROUND)
    return out


def _rng(seed: int, stream: int) -> np.random.Generator:
    """A generator for one purpose (``stream``) derived from ``seed``."""
    return np.random.default_rng([stream, seed])


_DIGITS_YEAR = (0, 1, 2, 3)
_DIGITS_DATE = (5, 6, 8, 9)


def _tie_years(since: pd.Series) -> np.ndarray:
    """Year of each date value as float (NaN when blank).

    Canonical ISO text (``"2014"``, ``"2014-05-03"``) is recognised with
    array operations on the code points; anything else goes through
    :func:`cso_network.vocab.year_of`.
    """
    values = np.asarray(pd.Series(since, dtype=object).to_numpy(), dtype=object)
    years = np.full(len(values), np.nan)
    present = pd.notna(values)
    if not present.any():
        return years
    idx = np.flatnonzero(present)
    text = np.asarray([str(v) for v in values[idx]] if len(idx) < 64 else values[idx].astype(str),
                      dtype="U11")
    code = text.view(np.uint32).reshape(len(text), 11).astype(np.int64)
    digit = (code >= 48) & (code <= 57)
    head = digit[:, _DIGITS_YEAR].all(axis=1)
    bare = head & (code[:, 4] == 0)
    dated = (head & (code[:, 4] == 45) & (code[:, 7] == 45) & (code[:, 10] == 0)
             & digit[:, _DIGITS_DATE].all(axis=1))
    canonical = bare | dated
    number = (code[:, :4] - 48) @ np.array([1000, 100, 10, 1])
    years[idx[canonical]] = number[canonical]
    for i in idx[~canonical]:
        y = year_of(values[i])
        years[i] = np.nan if y is None else y
    return years


def _org_ids(dataset: Dataset) -> pd.Index:
    """Every organization id (organizations table and tie endpoints), sorted."""
    c = dataset.collaborations
    parts = [dataset.organizations["org_id"], c["org_a"], c["org_b"]]
    values = np.concatenate([p.dropna().astype(str).to_numpy(dtype=object) for p in parts])
    return pd.Index(values, dtype=object).unique().sort_values()


def _pair_codes(collab: pd.DataFrame, index: pd.Index
                ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Distinct unordered pairs of ``collab`` as positions in ``index``.

    Returns ``(lo, hi, year)``: ``lo < hi`` (self-ties and unknown ids
    dropped), sorted, with the earliest year of the pair (NaN when no row of
    it is dated).
    """
    a = index.get_indexer(collab["org_a"].astype(object).to_numpy(dtype=object))
    b = index.get_indexer(collab["org_b"].astype(object).to_numpy(dtype=object))
    years = _tie_years(collab["since"])
    ok = (a >= 0) & (b >= 0) & (a != b)
    lo = np.minimum(a, b)[ok].astype(np.int64)
    hi = np.maximum(a, b)[ok].astype(np.int64)
    years = years[ok]
    n = max(len(index), 1)
    keys = lo * n + hi
    # Sort by pair then year (NaN last), keep the first row of each pair.
    order = np.lexsort((np.where(np.isnan(years), np.inf, years), keys))
    keys, years = keys[order], years[order]
    first = np.r_[True, np.diff(keys) != 0] if len(keys) else np.zeros(0, dtype=bool)
    keys, years = keys[first], years[first]
    return keys // n, keys % n, years


def _pairs_frame(collab: pd.DataFrame) -> pd.DataFrame:
    """Distinct unordered pairs (``org_a < org_b``, no self-ties), with the earliest year.

    Columns ``org_a``, ``org_b``, ``year`` (float, NaN when no row of the pair
    is dated), sorted by pair.
    """
    ids = _org_ids(Dataset(collaborations=collab))
    lo, hi, years = _pair_codes(collab, ids)
    values = ids.to_numpy(dtype=object)
    return pd.DataFrame({"org_a": values[lo], "org_b": values[hi], "year": years})


def _adjacency(dataset: Dataset) -> tuple[np.ndarray, sp.csr_array]:
    """Org ids (sorted) and the binary symmetric adjacency of the collaborated layer."""
    index = _org_ids(dataset)
    n = len(index)
    i, j, _ = _pair_codes(dataset.collaborations, index)
    rows = np.concatenate([i, j])
    cols = np.concatenate([j, i])
    adj = sp.csr_array((np.ones(len(rows)), (rows, cols)), shape=(n, n))
    adj.sort_indices()
    return index.to_numpy(dtype=object), adj


def _edge_keys(adj: sp.csr_array) -> np.ndarray:
    """Sorted directed keys ``u * n + v`` of every tie (both directions)."""
    n = adj.shape[0]
    coo = adj.tocoo()
    return np.sort(coo.row.astype(np.int64) * n + coo.col.astype(np.int64))


def _in_sorted(keys: np.ndarray, sorted_keys: np.ndarray) -> np.ndarray:
    """Boolean mask: which ``keys`` are in ``sorted_keys``."""
    if len(sorted_keys) == 0:
        return np.zeros(len(keys), dtype=bool)
    pos = np.searchsorted(sorted_keys, keys)
    pos = np.minimum(pos, len(sorted_keys) - 1)
    return sorted_keys[pos] == keys


def _rank_in_rows(rows: np.ndarray) -> np.ndarray:
    """Position of each element within its run of equal ``rows`` (rows must be grouped)."""
    m = len(rows)
    if m == 0:
        return np.zeros(0, dtype=np.int64)
    starts = np.r_[0, np.flatnonzero(np.diff(rows)) + 1]
    lengths = np.diff(np.r_[starts, m])
    return np.arange(m) - np.repeat(starts, lengths)


def _top_k_frame(ids: np.ndarray, rows: np.ndarray, cols: np.ndarray, scores: np.ndarray,
                 k: int) -> pd.DataFrame:
    """Per row, the ``k`` best (row, col, score) by score, ties by col; as a Scorer frame."""
    order = np.lexsort((cols, -_rounded(scores), rows))
    rows, cols, scores = rows[order], cols[order], scores[order]
    keep = _rank_in_rows(rows) < k
    return pd.DataFrame({
        "org_id": ids[rows[keep]],
        "candidate": ids[cols[keep]],
        "score": scores[keep].astype(float),
    })


def _pair_indices(dataset: Dataset, a: np.ndarray, b: np.ndarray
                  ) -> tuple[np.ndarray, sp.csr_array, np.ndarray, np.ndarray]:
    """Adjacency plus index arrays of the pairs (unknown ids -> -1)."""
    ids, adj = _adjacency(dataset)
    index = pd.Index(ids)
    i = index.get_indexer(pd.Index(np.asarray(a, dtype=object)))
    j = index.get_indexer(pd.Index(np.asarray(b, dtype=object)))
    return ids, adj, i, j


def _check_k(k: int) -> None:
    if not isinstance(k, int | np.integer) or isinstance(k, bool) or k < 1:
        raise CsoNetworkError(f"k must be a positive whole number, got {k!r}")


# --------------------------------------------------------------------------- split


def split_by_year(dataset: Dataset, year: int) -> tuple[Dataset, pd.DataFrame]:
    """Return the dataset as known before ``year`` and the new ties formed from ``year`` on.

    Parameters
    ----------
    dataset : Dataset
        The full data.
    year : int
        The split year: ties starting in ``year`` or later are hidden.

    Returns
    -------
    known : Dataset
        The same tables, but ``collaborations`` keeps only rows whose ``since``
        year is before ``year`` or that are undated; ``seminars`` (with their
        ``attendance`` rows) and ``engagements`` dated ``year`` or later are
        dropped too, so that nothing from after the split leaks in.
    new_ties : pandas.DataFrame
        Columns ``org_a``, ``org_b`` (``org_a < org_b``): the distinct pairs
        with a tie starting in ``year`` or later that were not tied before
        (a known pair that adds another kind of collaboration is not new).
        Sorted by pair.

    Notes
    -----
    Undated ties (``since`` blank) are treated as known: they were declared at
    some point and there is no evidence that they are recent. This is the
    cautious choice: counting them as new would reward methods for
    "predicting" ties of unknown age, and a pair already known is never new.

    Examples
    --------
    >>> from cso_network.core.model import Dataset, frame_from_records as f
    >>> ds = Dataset.from_frames({"collaborations": f("collaborations", [
    ...     {"org_a": "A", "org_b": "B", "kind": "project", "since": "2015"},
    ...     {"org_a": "A", "org_b": "C", "kind": "project", "since": None},
    ...     {"org_a": "A", "org_b": "B", "kind": "exchange", "since": "2021-03-01"},
    ...     {"org_a": "B", "org_b": "C", "kind": "project", "since": "2020"}])})
    >>> known, new = split_by_year(ds, 2020)
    >>> known.collaborations[["org_a", "org_b", "since"]].values.tolist()
    [['A', 'B', '2015'], ['A', 'C', None]]
    >>> new.values.tolist()
    [['B', 'C']]
    """
    year = int(year)
    collab = dataset.collaborations
    years = _tie_years(collab["since"])
    is_known = ~(years >= year)  # NaN (undated) compares False -> known
    known_collab = collab[is_known].reset_index(drop=True)

    seminars = dataset.seminars
    sem_years = _tie_years(seminars["start_date"])
    seminars_kept = seminars[~(sem_years >= year)].reset_index(drop=True)
    attendance = dataset.attendance[
        dataset.attendance["seminar_id"].isin(seminars_kept["seminar_id"])
        | ~dataset.attendance["seminar_id"].isin(seminars["seminar_id"])
    ].reset_index(drop=True)
    engagements = dataset.engagements
    engagements = engagements[~(_tie_years(engagements["date"]) >= year)].reset_index(drop=True)

    known = Dataset(
        seminars=seminars_kept,
        organizations=dataset.organizations,
        participants=dataset.participants,
        attendance=attendance,
        collaborations=known_collab,
        engagements=engagements,
    )
    before = _pairs_frame(known_collab)
    after = _pairs_frame(collab[~is_known])
    merged = after.merge(before[["org_a", "org_b"]], on=["org_a", "org_b"], how="left",
                         indicator=True)
    new = merged.loc[merged["_merge"] == "left_only", ["org_a", "org_b"]]
    return known, new.reset_index(drop=True).astype(object)


def _year_span(dataset: Dataset) -> tuple[int, int] | None:
    """First and last ``since`` year of the dated ties, or None."""
    years = _tie_years(dataset.collaborations["since"])
    years = years[~np.isnan(years)]
    if len(years) == 0:
        return None
    return int(years.min()), int(years.max())


def _span_text(dataset: Dataset) -> Message:
    span = _year_span(dataset)
    if span is None:
        return msg("no collaboration has a 'since' date")
    first, last = span
    if first == last:
        return msg("every dated collaboration starts in {year}", year=first)
    return msg("dated collaborations start from {first} to {last}; choose a split year from "
               "{earliest} to {last}", first=first, last=last, earliest=first + 1)


def default_split_year(dataset: Dataset) -> int:
    """Return the earliest year before which about three quarters of the dated ties started.

    Parameters
    ----------
    dataset : Dataset

    Returns
    -------
    int
        The earliest year ``Y`` (among the years in which ties started, after
        the first) such that at least :data:`KNOWN_SHARE` (75%) of the dated
        tied pairs started before ``Y``; the last such year when no year
        reaches the share. So at most a quarter of the dated ties, the most
        recent ones, are hidden, and at least one is.

    Raises
    ------
    CsoNetworkError
        When the dated ties all start in one year (or none is dated).

    Notes
    -----
    Shares are counted over distinct pairs, dated by their earliest tie;
    undated pairs are left out of the count (they are always known). Holding
    out the most recent 20-30% is the usual temporal split for link
    prediction (Liben-Nowell & Kleinberg 2007 train on 1994-1996 and test
    on 1997-1999 of arXiv co-authorships).

    Examples
    --------
    >>> from cso_network.core.model import Dataset, frame_from_records as f
    >>> rows = [{"org_a": f"A{i}", "org_b": f"B{i}", "kind": "x", "since": str(y)}
    ...         for i, y in enumerate([2010, 2011, 2012, 2013, 2014, 2015, 2016, 2017])]
    >>> default_split_year(Dataset.from_frames({"collaborations": f("collaborations", rows)}))
    2016
    """
    pairs = _pairs_frame(dataset.collaborations)
    years = pairs["year"].to_numpy(dtype=float)
    years = np.sort(years[~np.isnan(years)]).astype(int)
    distinct = np.unique(years)
    if len(distinct) < 2:
        raise CsoNetworkError(msg(
            "cannot choose a split year: {span}; a backtest needs ties that started in at "
            "least two different years", span=_span_text(dataset))
        )
    known_share = np.searchsorted(years, distinct, side="left") / len(years)
    reached = np.flatnonzero(known_share[1:] >= KNOWN_SHARE)
    return int(distinct[1:][reached[0]] if len(reached) else distinct[-1])


# --------------------------------------------------------------------------- baselines


def adamic_adar_scorer(known: Dataset, k: int) -> pd.DataFrame:
    """Top-k Adamic-Adar suggestions for every organization (collaborated layer).

    Parameters
    ----------
    known : Dataset
        Known data; only ``collaborations`` is used (distinct pairs).
    k : int
        Suggestions per organization (at most).

    Returns
    -------
    pandas.DataFrame
        Columns ``org_id``, ``candidate``, ``score``, by ``org_id`` then best
        first. Candidates are non-partners with a positive score (a common
        partner), ties broken by ``candidate``.

    Notes
    -----
    ``AA(u, v) = sum over common partners w of 1 / ln deg(w)`` (Adamic & Adar
    2003), computed for all pairs at once as ``A @ diag(1 / ln deg) @ A``
    with scipy.sparse, then the k best per row by one ``lexsort``. Its
    values match :func:`networkx.adamic_adar_index`.

    Examples
    --------
    >>> from cso_network.core.model import Dataset, frame_from_records as f
    >>> ds = Dataset.from_frames({"collaborations": f("collaborations", [
    ...     {"org_a": a, "org_b": b, "kind": "x"} for a, b in ["AB", "AC", "BD", "CD", "DE"]])})
    >>> adamic_adar_scorer(ds, 1).round(3).values.tolist()
    [['A', 'D', 2.885], ['B', 'C', 2.353], ['C', 'B', 2.353], ['D', 'A', 2.885], ['E', 'B', 0.91]]

    References
    ----------
    L. A. Adamic and E. Adar, "Friends and neighbors on the Web", Social
    Networks 25(3), 211-230 (2003). Liben-Nowell & Kleinberg 2007; Lü & Zhou 2011.
    """
    _check_k(k)
    ids, adj = _adjacency(known)
    scores = sp.csr_array(adj @ sp.diags_array(neighbour_weights(np.diff(adj.indptr))) @ adj)
    scores = sp.csr_array(scores - scores.multiply(adj))  # drop existing partners
    scores.setdiag(0)
    scores.eliminate_zeros()
    coo = scores.tocoo()
    positive = coo.data > 0
    return _top_k_frame(ids, coo.row[positive].astype(np.int64),
                        coo.col[positive].astype(np.int64), coo.data[positive], k)


def adamic_adar_pairs(known: Dataset, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Adamic-Adar score of each pair ``(a[i], b[i])`` of org ids (collaborated layer).

    Parameters
    ----------
    known : Dataset
    a, b : array of str
        Org ids; an id unknown to ``known`` scores 0.

    Returns
    -------
    numpy.ndarray
        Float scores, one per pair.

    Examples
    --------
    >>> from cso_network.core.model import Dataset, frame_from_records as f
    >>> ds = Dataset.from_frames({"collaborations": f("collaborations", [
    ...     {"org_a": a, "org_b": b, "kind": "x"} for a, b in ["AB", "AC", "BD", "CD", "DE"]])})
    >>> adamic_adar_pairs(ds, ["A", "B", "A"], ["D", "C", "E"]).round(3).tolist()
    [2.885, 2.353, 0.0]
    """
    _, adj, i, j = _pair_indices(known, a, b)
    out = np.zeros(len(i))
    ok = (i >= 0) & (j >= 0)
    if ok.any():
        out[ok] = adamic_adar_sums(adj, i[ok], j[ok], weighted=False)
    return out


def preferential_attachment_scorer(known: Dataset, k: int) -> pd.DataFrame:
    """Top-k preferential-attachment suggestions, ``deg(u) * deg(v)`` (collaborated layer).

    Parameters
    ----------
    known : Dataset
        Known data; only ``collaborations`` is used (distinct pairs).
    k : int
        Suggestions per organization (at most).

    Returns
    -------
    pandas.DataFrame
        Columns ``org_id``, ``candidate``, ``score``, by ``org_id`` then best
        first: the non-partners with the most partners, ties broken by
        ``candidate``. Zero scores are left out (an organization without
        partners gets no suggestion).

    Notes
    -----
    For a fixed ``u`` the order of ``deg(u) * deg(v)`` is the order of
    ``deg(v)``, so one ranking of all organizations by (degree descending,
    org_id) serves every row: row ``u`` takes the first ``k + deg(u) + 1``
    organizations of it and drops itself and its partners. Work and memory
    are O(n k + m), with no n x n matrix (Barabási & Albert 1999; Lü & Zhou
    2011).

    Examples
    --------
    >>> from cso_network.core.model import Dataset, frame_from_records as f
    >>> ds = Dataset.from_frames({"collaborations": f("collaborations", [
    ...     {"org_a": a, "org_b": b, "kind": "x"} for a, b in ["AB", "AC", "BD", "CD", "DE"]])})
    >>> preferential_attachment_scorer(ds, 1).values.tolist()
    [['A', 'D', 6.0], ['B', 'C', 4.0], ['C', 'B', 4.0], ['D', 'A', 6.0], ['E', 'A', 2.0]]
    """
    _check_k(k)
    ids, adj = _adjacency(known)
    n = len(ids)
    deg = adj.sum(axis=1).astype(np.int64)
    ranking = np.lexsort((np.arange(n), -deg))
    ranking = ranking[deg[ranking] > 0]
    users = np.flatnonzero(deg > 0)
    if len(users) == 0:
        empty = np.zeros(0, dtype=np.int64)
        return _top_k_frame(ids, empty, empty, np.zeros(0), k)
    lengths = np.minimum(k + deg[users] + 1, len(ranking))
    rows = np.repeat(users, lengths)
    starts = np.repeat(np.cumsum(lengths) - lengths, lengths)
    cols = ranking[np.arange(len(rows)) - starts]
    keep = (cols != rows) & ~_in_sorted(rows * n + cols, _edge_keys(adj))
    rows, cols = rows[keep], cols[keep]
    first = _rank_in_rows(rows) < k
    rows, cols = rows[first], cols[first]
    return pd.DataFrame({
        "org_id": ids[rows],
        "candidate": ids[cols],
        "score": (deg[rows] * deg[cols]).astype(float),
    })


def preferential_attachment_pairs(known: Dataset, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``deg(a[i]) * deg(b[i])`` in the known collaborated layer (unknown ids: 0).

    Examples
    --------
    >>> from cso_network.core.model import Dataset, frame_from_records as f
    >>> ds = Dataset.from_frames({"collaborations": f("collaborations", [
    ...     {"org_a": a, "org_b": b, "kind": "x"} for a, b in ["AB", "AC", "BD", "CD", "DE"]])})
    >>> preferential_attachment_pairs(ds, ["A", "E"], ["D", "Z"]).tolist()
    [6.0, 0.0]
    """
    _, adj, i, j = _pair_indices(known, a, b)
    deg = np.r_[adj.sum(axis=1), 0.0]  # index -1 -> 0
    return (deg[i] * deg[j]).astype(float)


def random_scorer(seed: int = 0) -> Scorer:
    """Return a scorer that suggests ``k`` random non-partners to each organization.

    Parameters
    ----------
    seed : int
        Same seed, same suggestions.

    Returns
    -------
    Scorer
        ``scorer(known, k)``: for every organization, ``min(k, available)``
        distinct organizations drawn uniformly from those that are neither
        itself nor a known partner, with a uniform random score, best first.

    Notes
    -----
    Vectorized over organizations: Floyd's algorithm draws ``k`` distinct
    positions among each row's ``available`` non-partners (``k`` steps, each
    one numpy call over all rows), and the j-th non-partner of ``u`` is found
    from its sorted excluded set ``E`` as ``j + #{i : E[i] - i <= j}``, one
    ``searchsorted`` for all rows. O(n k + m) work.

    Examples
    --------
    >>> from cso_network.core.model import Dataset, frame_from_records as f
    >>> ds = Dataset.from_frames({"collaborations": f("collaborations", [
    ...     {"org_a": a, "org_b": b, "kind": "x"} for a, b in ["AB", "AC", "BD", "CD", "DE"]])})
    >>> top = random_scorer(seed=1)(ds, 2)
    >>> top.groupby("org_id").size().tolist()  # D has one non-partner, A
    [2, 2, 2, 1, 2]
    >>> top.equals(random_scorer(seed=1)(ds, 2))
    True
    """

    def scorer(known: Dataset, k: int) -> pd.DataFrame:
        _check_k(k)
        rng = _rng(seed, _STREAM_TOPK)
        ids, adj = _adjacency(known)
        n = len(ids)
        excluded = sp.csr_array(adj + sp.eye_array(n, format="csr"))
        excluded.sort_indices()
        avail = n - np.diff(excluded.indptr)
        # Floyd's algorithm on the rows with at least k non-partners.
        full = np.flatnonzero(avail >= k)
        chosen = np.empty((len(full), k), dtype=np.int64)
        for step in range(k):
            top = avail[full] - k + step  # draw from 0..top
            t = np.floor(rng.random(len(full)) * (top + 1)).astype(np.int64)
            seen = (chosen[:, :step] == t[:, None]).any(axis=1)
            chosen[:, step] = np.where(seen, top, t)
        short = np.flatnonzero((avail < k) & (avail > 0))
        short_rows = np.repeat(short, avail[short])
        short_pos = np.arange(len(short_rows)) - np.repeat(np.cumsum(avail[short]) - avail[short],
                                                           avail[short])
        rows = np.r_[np.repeat(full, k), short_rows].astype(np.int64)
        pos = np.r_[chosen.ravel(), short_pos].astype(np.int64)
        # pos-th non-excluded column of each row.
        ex_rows = np.repeat(np.arange(n), np.diff(excluded.indptr)).astype(np.int64)
        ex_b = excluded.indices.astype(np.int64) - _rank_in_rows(ex_rows)
        keys = ex_rows * (n + 1) + ex_b
        below = np.searchsorted(keys, rows * (n + 1) + pos, side="right") - excluded.indptr[rows]
        cols = pos + below
        score = rng.random(len(rows))
        order = np.lexsort((-score, rows))
        rows, cols, score = rows[order], cols[order], score[order]
        return pd.DataFrame({"org_id": ids[rows], "candidate": ids[cols], "score": score})

    scorer.__name__ = f"random_scorer_{seed}"
    return scorer


def random_pairs(seed: int = 0) -> PairScorer:
    """Return a pair scorer giving uniform random scores (seeded; AUC about 0.5).

    Examples
    --------
    >>> from cso_network.core.model import Dataset
    >>> s = random_pairs(seed=3)(Dataset.empty(), ["A", "B"], ["C", "D"])
    >>> s.shape, bool(((s >= 0) & (s < 1)).all())
    ((2,), True)
    """

    def pairs(known: Dataset, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        return _rng(seed, _STREAM_PAIRS).random(len(a))

    pairs.__name__ = f"random_pairs_{seed}"
    return pairs


def _random_method(seed: int) -> Method:
    return Method(random_scorer(seed), random_pairs(seed))


# --------------------------------------------------------------------------- metrics


def auc_score(positive: np.ndarray, negative: np.ndarray) -> float | None:
    """AUC of scores: ``(n' + 0.5 n'') / n`` over all positive x negative comparisons.

    Parameters
    ----------
    positive, negative : array of float
        Scores of the pairs that became ties and of pairs that did not. NaN is
        treated as the lowest score. Scores are compared after rounding to 12
        decimals, so float noise does not break ties.

    Returns
    -------
    float or None
        ``n'`` comparisons won by the positive, ``n''`` tied, ``n`` in all
        (Lü & Zhou 2011); None when either side is empty. Computed with one
        sort, not pair by pair.

    Examples
    --------
    >>> auc_score([3.0, 1.0], [1.0, 0.0])  # (1 + 1 + 0.5 + 1) / 4
    0.875
    >>> auc_score([], [1.0]) is None
    True
    """
    pos = _rounded(positive)
    neg = _rounded(negative)
    if len(pos) == 0 or len(neg) == 0:
        return None
    neg = np.sort(neg)
    below = np.searchsorted(neg, pos, side="left")
    equal = np.searchsorted(neg, pos, side="right") - below
    return float((below.sum() + 0.5 * equal.sum()) / (len(pos) * len(neg)))


def _negative_pairs(n: int, exclude: np.ndarray, size: int, seed: int) -> np.ndarray:
    """Keys ``a * n + b`` (a < b) of pairs not in ``exclude`` (sorted keys).

    All of them when there are at most ``size``; else ``size`` drawn uniformly
    without replacement, in draw order.
    """
    total = n * (n - 1) // 2
    if total - len(exclude) <= size:
        a, b = np.triu_indices(n, k=1)
        keys = a.astype(np.int64) * n + b
        return keys[~_in_sorted(keys, exclude)]
    rng = _rng(seed, _STREAM_NEGATIVES)
    found = np.zeros(0, dtype=np.int64)
    while len(found) < size:
        batch = max(2 * (size - len(found)), 1024)
        u = rng.integers(0, n, batch)
        v = rng.integers(0, n, batch)
        keys = np.minimum(u, v) * n + np.maximum(u, v)
        keys = keys[(u != v) & ~_in_sorted(keys, exclude)]
        keys = np.r_[found, keys]
        _, first = np.unique(keys, return_index=True)
        found = keys[np.sort(first)]
    return found[:size]


def _as_method(value: Method | Scorer) -> Method:
    if isinstance(value, Method):
        return value
    if callable(value):
        return Method(value)
    raise CsoNetworkError(f"not a scorer: {value!r}")


def _suggestions(scorer: Scorer, known: Dataset, k: int, index: pd.Index,
                 name: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Run a top-k scorer; return (row, col, score) indices, at most k per row."""
    frame = scorer(known, k)
    missing = {"org_id", "candidate", "score"} - set(getattr(frame, "columns", ()))
    if missing:
        raise CsoNetworkError(
            f"method {name!r} must return a table with columns org_id, candidate, score; "
            f"missing {', '.join(sorted(missing))}"
        )
    rows = index.get_indexer(pd.Index(frame["org_id"].astype(object)))
    cols = index.get_indexer(pd.Index(frame["candidate"].astype(object)))
    score = pd.to_numeric(frame["score"], errors="coerce").to_numpy(dtype=float)
    ok = (rows >= 0) & (cols >= 0) & (rows != cols)
    rows, cols, score = rows[ok].astype(np.int64), cols[ok].astype(np.int64), score[ok]
    # First occurrence of each (row, col), then the first k of each row, in the given order.
    n = len(index)
    _, first = np.unique(rows * n + cols, return_index=True)
    first = np.sort(first)
    rows, cols, score = rows[first], cols[first], score[first]
    order = np.argsort(rows, kind="stable")
    rows, cols, score = rows[order], cols[order], score[order]
    keep = _rank_in_rows(rows) < k
    return rows[keep], cols[keep], score[keep]


def _pair_lookup(rows: np.ndarray, cols: np.ndarray, score: np.ndarray, n: int,
                 keys: np.ndarray) -> np.ndarray:
    """Best listed score of each undirected pair key (-inf when not listed)."""
    listed = np.minimum(rows, cols) * n + np.maximum(rows, cols)
    score = _rounded(score)
    out = np.full(len(keys), -np.inf)
    if len(listed) == 0:
        return out
    order = np.lexsort((-score, listed))
    listed, score = listed[order], score[order]
    first = np.r_[True, np.diff(listed) != 0]
    listed, best = listed[first], score[first]
    pos = np.minimum(np.searchsorted(listed, keys), len(listed) - 1)
    hit = listed[pos] == keys
    out[hit] = best[pos[hit]]
    return out


def _none_if_nan(x: float | None) -> float | None:
    return None if x is None or (isinstance(x, float) and math.isnan(x)) else float(x)


def _evaluate_once(method: Method, known: Dataset, k: int, index: pd.Index,
                   new_rows: np.ndarray, new_count: np.ndarray, positive_keys: np.ndarray,
                   pos_keys: np.ndarray, neg_keys: np.ndarray, name: str,
                   auc_top: int | None) -> tuple[dict[str, float | None], np.ndarray]:
    """precision@k, recall@k and AUC of one method on one split, and each evaluated
    organization's hits (for :func:`precision_ratio`)."""
    n = len(index)
    rows, cols, _ = _suggestions(method.top_k, known, k, index, name)
    hit = _in_sorted(rows * n + cols, positive_keys)
    hits = np.bincount(rows[hit], minlength=n)[new_rows]
    precision = float(np.mean(hits / k)) if len(new_rows) else None
    recall = float(np.mean(hits / new_count[new_rows])) if len(new_rows) else None

    keys = np.r_[pos_keys, neg_keys]
    if method.pairs is not None:
        ids = index.to_numpy(dtype=object)
        scores = np.asarray(method.pairs(known, ids[keys // n], ids[keys % n]), dtype=float)
        if scores.shape != (len(keys),):
            raise CsoNetworkError(
                f"method {name!r}: the pair scorer returned {scores.shape} scores "
                f"for {len(keys)} pairs"
            )
    else:
        top = n if auc_top is None else auc_top
        r, c, s = _suggestions(method.top_k, known, max(top, 1), index, name)
        scores = _pair_lookup(r, c, s, n, keys)
    auc = auc_score(scores[: len(pos_keys)], scores[len(pos_keys):])
    return {"precision_at_k": _none_if_nan(precision), "recall_at_k": _none_if_nan(recall),
            "auc": _none_if_nan(auc)}, hits


def precision_ratio(hits: np.ndarray, baseline_hits: np.ndarray, *,
                    resamples: int = RATIO_RESAMPLES, seed: int = 0,
                    level: float = 0.95) -> dict[str, Any] | None:
    """How many times the baseline's precision@k a method reaches, with a bootstrap interval.

    Parameters
    ----------
    hits, baseline_hits : numpy.ndarray
        Hits in the top k of each evaluated organization (the same
        organizations, in the same order), for the method and the baseline.
    resamples : int, default :data:`RATIO_RESAMPLES`
    seed : int
    level : float, default 0.95

    Returns
    -------
    dict or None
        ``{"ratio", "ci": [low, high], "level", "resamples"}``; ``high`` is
        None when the interval has no upper bound (too many resamples in
        which the baseline has no hit). None when the baseline has no hit
        at all (the ratio is undefined).

    Notes
    -----
    Both precisions average ``hits / k`` over the same organizations, so their
    ratio is ``sum(hits) / sum(baseline_hits)``. Its interval is the
    percentile bootstrap (Efron & Tibshirani 1993) over organizations, paired
    (an organization is drawn with both methods' hits), computed with
    :func:`scipy.stats.bootstrap` and seeded. A resample in which the baseline
    has no hit counts as an infinite ratio. With few new ties the interval is
    wide: it says how far a difference between methods can be trusted.

    Examples
    --------
    A method with twice the baseline's hits for every organization has the
    ratio 2 in every resample:

    >>> out = precision_ratio(np.array([2, 4, 6, 2]), np.array([1, 2, 3, 1]))
    >>> out["ratio"], out["ci"]
    (2.0, [2.0, 2.0])
    """
    from scipy.stats import bootstrap

    a = np.asarray(hits, dtype=float)
    b = np.asarray(baseline_hits, dtype=float)
    if a.shape != b.shape or a.ndim != 1:
        raise ValueError("hits and baseline_hits must be 1-d arrays of the same length")
    if b.sum() <= 0:
        return None

    def ratio(x: np.ndarray, y: np.ndarray, axis: int = -1) -> np.ndarray:
        top, bottom = x.sum(axis=axis), y.sum(axis=axis)
        return np.divide(top, bottom, out=np.full(np.shape(top), np.inf), where=bottom > 0)

    if len(a) < 2:
        low = high = float(a.sum() / b.sum())
    else:
        # infinite resamples are meant (see Notes); their standard error is not used
        with np.errstate(invalid="ignore"):
            res = bootstrap((a, b), ratio, paired=True, vectorized=True,
                            n_resamples=resamples, batch=200, confidence_level=level,
                            method="percentile", rng=np.random.default_rng(seed))
        low, high = float(res.confidence_interval.low), float(res.confidence_interval.high)
    return {"ratio": float(a.sum() / b.sum()),
            "ci": [low, high if math.isfinite(high) else None], "level": level,
            "resamples": int(resamples)}


def ratio_in_words(result: Mapping[str, Any]) -> Message | None:
    """A backtest's ``precision_ratio`` (engine against Adamic-Adar) as one sentence.

    None when the result has no ratio (no engine, or Adamic-Adar had no hit).

    Examples
    --------
    >>> ratio_in_words({"k": 10, "precision_ratio": {"ratio": 1.357, "ci": [1.12, 1.76],
    ...                 "level": 0.95, "resamples": 2000}})
    'These suggestions find 1.36 times as many real new ties in their top 10 as Adamic-Adar alone (95% interval 1.12–1.76; 2000 resamples of the organizations).'
    """
    found = result.get("precision_ratio")
    if not found:
        return None
    low, high = found["ci"]
    values = {"ratio": f"{found['ratio']:.2f}", "k": result["k"], "low": f"{low:.2f}",
              "level": f"{found['level']:.0%}", "resamples": found["resamples"]}
    if high is None:
        return msg("These suggestions find {ratio} times as many real new ties in their top {k} "
                   "as Adamic-Adar alone ({level} interval: {low} or more; {resamples} resamples "
                   "of the organizations).", **values)
    return msg("These suggestions find {ratio} times as many real new ties in their top {k} as "
               "Adamic-Adar alone ({level} interval {low}–{high}; {resamples} resamples of the "
               "organizations).", high=f"{high:.2f}", **values)


def _mean_metrics(runs: list[dict[str, float | None]]) -> dict[str, float | None]:
    out: dict[str, float | None] = {}
    for key in ("precision_at_k", "recall_at_k", "auc"):
        values = [r[key] for r in runs if r[key] is not None]
        out[key] = float(np.mean(values)) if values else None
    return out


def evaluate(dataset: Dataset, *, split_year: int, k: int = 10,
             scorers: Mapping[str, Method | Seeded | Scorer], seed: int = 0,
             random_runs: int = 5, auc_negatives: int = AUC_NEGATIVES,
             auc_top: int | None = None,
             compare: tuple[str, str] | None = None) -> dict[str, Any]:
    """Backtest methods on the ties formed from ``split_year`` on.

    Parameters
    ----------
    dataset : Dataset
        The full data.
    split_year : int
        Ties starting in this year or later are hidden (see :func:`split_by_year`).
    k : int, default 10
        Length of the suggestion lists.
    scorers : mapping of name to Method, Seeded or Scorer
        The methods, evaluated in this order. A plain :data:`Scorer` is a
        :class:`Method` without pair scorer; a :class:`Seeded` method is run
        ``random_runs`` times (seeds ``seed``, ``seed + 1``, ...) and its
        metrics averaged.
    seed : int, default 0
        Seeds the sample of non-tied pairs for AUC and the seeded methods.
    random_runs : int, default 5
        Runs of each :class:`Seeded` method.
    auc_negatives : int, default :data:`AUC_NEGATIVES`
        Non-tied pairs compared with the new ties for AUC.
    auc_top : int or None
        For methods without a pair scorer: list length asked for AUC (None:
        the number of organizations, i.e. full lists).
    compare : (name, baseline) or None
        Two of the methods (not seeded ones) whose precision@k ratio is
        reported with a bootstrap interval (:func:`precision_ratio`).

    Returns
    -------
    dict
        JSON-ready: ``{"split_year", "k", "methods": {name: {"precision_at_k",
        "recall_at_k", "auc"}}, "precision_ratio": {"method", "baseline",
        "ratio", "ci", "level", "resamples"} or None, "years": [first, last], "known_ties",
        "new_ties", "evaluated_orgs", "cold_start_orgs", "auc_pairs":
        {"positive", "negative"}, "random_runs", "seed", "notes"}``.
        ``known_ties`` and ``new_ties`` count distinct pairs;
        ``cold_start_orgs`` are evaluated organizations without any known
        tie. Undefined values are None.

    Raises
    ------
    CsoNetworkError
        When no new tie starts in ``split_year`` or later, or no tie is known
        before it (the message gives the years the data spans), or k < 1.

    Notes
    -----
    Metric definitions are in the module docstring. The same non-tied pairs
    are used for every method, so AUCs are comparable.

    Examples
    --------
    >>> from cso_network.core.model import Dataset, frame_from_records as f
    >>> ties = [("A", "B", "2010"), ("B", "C", "2011"), ("C", "D", "2012"), ("A", "C", "2020")]
    >>> ds = Dataset.from_frames({"collaborations": f("collaborations", [
    ...     {"org_a": a, "org_b": b, "kind": "x", "since": s} for a, b, s in ties])})
    >>> out = evaluate(ds, split_year=2020, k=1, scorers={"aa": adamic_adar_scorer})
    >>> out["new_ties"], out["evaluated_orgs"], out["methods"]["aa"]
    (1, 2, {'precision_at_k': 1.0, 'recall_at_k': 1.0, 'auc': 0.75})

    A-C (AA = 1/ln 2, via B) ties with B-D (via C) and beats A-D (0):
    AUC = (1 + 0.5) / 2.
    """
    _check_k(k)
    split_year = int(split_year)
    known, new = split_by_year(dataset, split_year)
    if new.empty:
        raise CsoNetworkError(msg(
            "no new collaboration starts in {year} or later, so there is nothing to predict: "
            "{span}", year=split_year, span=_span_text(dataset))
        )
    known_pairs = _pairs_frame(known.collaborations)
    if known_pairs.empty:
        raise CsoNetworkError(msg(
            "no collaboration is known before {year}, so there is nothing to learn from: "
            "{span}", year=split_year, span=_span_text(dataset))
        )
    ids, adj = _adjacency(known)
    index = pd.Index(ids)
    n = len(ids)
    a = index.get_indexer(new["org_a"]).astype(np.int64)
    b = index.get_indexer(new["org_b"]).astype(np.int64)
    if (a < 0).any() or (b < 0).any():  # a new tie names an organization never seen before
        extra = sorted(set(new["org_a"]).union(new["org_b"]) - set(ids))
        ids = np.array(sorted([*ids, *extra]), dtype=object)
        index = pd.Index(ids)
        n = len(ids)
        a = index.get_indexer(new["org_a"]).astype(np.int64)
        b = index.get_indexer(new["org_b"]).astype(np.int64)
        ki = index.get_indexer(known_pairs["org_a"])
        kj = index.get_indexer(known_pairs["org_b"])
        adj = sp.csr_array((np.ones(2 * len(ki)), (np.r_[ki, kj], np.r_[kj, ki])), shape=(n, n))
    positive_keys = np.sort(np.r_[a * n + b, b * n + a])
    new_count = np.bincount(np.r_[a, b], minlength=n)
    new_rows = np.flatnonzero(new_count)
    deg = np.diff(adj.indptr)
    pos_keys = np.minimum(a, b) * n + np.maximum(a, b)
    exclude = np.unique(np.r_[pos_keys, _edge_keys(adj)])
    neg_keys = _negative_pairs(n, exclude, auc_negatives, seed)

    methods: dict[str, dict[str, float | None]] = {}
    hits: dict[str, np.ndarray] = {}
    for name, value in scorers.items():
        if isinstance(value, Seeded):
            runs = [
                _evaluate_once(_as_method(value.make(seed + r)), known, k, index, new_rows,
                               new_count, positive_keys, pos_keys, neg_keys, name, auc_top)[0]
                for r in range(max(1, random_runs))
            ]
            methods[name] = _mean_metrics(runs)
        else:
            methods[name], hits[name] = _evaluate_once(
                _as_method(value), known, k, index, new_rows, new_count, positive_keys,
                pos_keys, neg_keys, name, auc_top)
    ratio = None
    if compare is not None:
        missing = [m for m in compare if m not in hits]
        if missing:
            raise CsoNetworkError(f"cannot compare {', '.join(map(repr, missing))}: not an "
                                  "evaluated method without a seed")
        found = precision_ratio(hits[compare[0]], hits[compare[1]], seed=seed)
        if found is not None:
            ratio = {"method": compare[0], "baseline": compare[1], **found}
    span = _year_span(dataset)
    return {
        "split_year": split_year,
        "k": int(k),
        "methods": methods,
        "precision_ratio": ratio,
        "years": list(span) if span else None,
        "known_ties": len(known_pairs),
        "new_ties": len(new),
        "evaluated_orgs": len(new_rows),
        "cold_start_orgs": int((deg[new_rows] == 0).sum()),
        "auc_pairs": {"positive": len(pos_keys), "negative": len(neg_keys)},
        "random_runs": max(1, random_runs),
        "seed": seed,
        "notes": [
            f"Ties starting in {split_year} or later are hidden; undated ties count as known; "
            "a known pair with a new kind of tie is not new.",
            "precision@k = hits / k and recall@k = hits / new partners, averaged over "
            "organizations with at least one new tie.",
            "AUC = P(new tie scores above a pair never tied), ties count one half, over "
            f"{len(pos_keys)} new ties x {len(neg_keys)} non-tied pairs (Lü & Zhou 2011).",
            "Baselines use the declared collaborations only; random is averaged over "
            f"{max(1, random_runs)} seeded runs.",
        ],
    }


def backtest(dataset: Dataset, *, split_year: int | None = None, k: int = 10, seed: int = 0,
             engine: Method | Scorer | None = None,
             auc_top: int | None = None) -> dict[str, Any]:
    """Compare the engine with Adamic-Adar, preferential attachment and random.

    Parameters
    ----------
    dataset : Dataset
        The full data.
    split_year : int or None
        None: :func:`default_split_year`.
    k : int, default 10
        Length of the suggestion lists.
    seed : int, default 0
        Seeds the AUC sample and the five random runs.
    engine : Scorer, Method or None
        The suggestion engine, e.g. ``lambda known, k: recommend_all(known, top=k)``;
        without a pair scorer its AUC is computed from its full lists (see
        :class:`Method`). None leaves it out.
    auc_top : int or None
        Passed to :func:`evaluate`: list length asked of an engine without a
        pair scorer for its AUC (None: full lists, exact but as slow as the
        engine makes them; a short list ranks every unlisted pair last and
        so understates the AUC).

    Returns
    -------
    dict
        As :func:`evaluate`, methods in the order ``engine`` (when given),
        ``adamic_adar``, ``preferential_attachment``, ``random``;
        ``precision_ratio`` compares the engine with Adamic-Adar (None
        without an engine, or when Adamic-Adar has no hit).

    Examples
    --------
    >>> from cso_network.demo.synth import generate_programme
    >>> out = backtest(generate_programme().dataset)
    >>> out["split_year"], list(out["methods"])
    (2020, ['adamic_adar', 'preferential_attachment', 'random'])
    >>> aa, rnd = out["methods"]["adamic_adar"], out["methods"]["random"]
    >>> aa["precision_at_k"] > rnd["precision_at_k"] and aa["auc"] > rnd["auc"]
    True
    """
    year = default_split_year(dataset) if split_year is None else int(split_year)
    scorers: dict[str, Method | Seeded | Scorer] = {}
    if engine is not None:
        scorers["engine"] = engine
    scorers["adamic_adar"] = Method(adamic_adar_scorer, adamic_adar_pairs)
    scorers["preferential_attachment"] = Method(preferential_attachment_scorer,
                                                preferential_attachment_pairs)
    scorers["random"] = Seeded(_random_method)
    return evaluate(dataset, split_year=year, k=k, scorers=scorers, seed=seed, auc_top=auc_top,
                    compare=("engine", "adamic_adar") if engine is not None else None)


# --------------------------------------------------------------------------- learned weights

#: Years of the known data whose new ties :func:`learn_weights` learns from.
LEARN_HORIZON = 2

#: Non-tied candidate pairs sampled as negatives by :func:`learn_weights` (at most).
LEARN_NEGATIVES = 20_000


def fit_nonnegative_least_squares(X: np.ndarray, y: np.ndarray,
                                  sample_weight: np.ndarray | None = None
                                  ) -> tuple[float, np.ndarray]:
    """Weighted least squares of ``y`` on ``X``: free intercept, non-negative coefficients.

    Parameters
    ----------
    X : numpy.ndarray
        ``m x d`` features.
    y : numpy.ndarray
        ``m`` targets (0/1 labels for a linear probability model).
    sample_weight : numpy.ndarray, optional
        ``m`` non-negative weights (1 each by default).

    Returns
    -------
    (intercept, coef) : tuple
        Minimizing ``sum w * (y - intercept - X @ coef)^2`` under ``coef >= 0``.

    Notes
    -----
    The intercept is unconstrained, so at the optimum it is the weighted mean
    of ``y - X @ coef``; centring ``X`` and ``y`` on their weighted means
    removes it, and Lawson & Hanson's active-set method
    (:func:`scipy.optimize.nnls`) solves what remains exactly.

    Examples
    --------
    ``y = x0 - 0.5 * x1`` fits exactly, but ``x1``'s coefficient may not be
    negative; without it the best line through ``x0`` is ``-0.25 + x0``:

    >>> X = np.array([[1.0, 1.0], [1.0, 0.0], [0.0, 0.0], [0.0, 1.0]])
    >>> intercept, coef = fit_nonnegative_least_squares(X, np.array([0.5, 1.0, 0.0, -0.5]))
    >>> round(intercept, 6), np.round(coef, 6).tolist()
    (-0.25, [1.0, 0.0])
    """
    from scipy.optimize import nnls

    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    w = np.ones(len(y)) if sample_weight is None else np.asarray(sample_weight, dtype=float)
    if len(y) == 0 or w.sum() <= 0:
        raise CsoNetworkError("a least-squares fit needs at least one example of positive weight")
    x_mean = w @ X / w.sum()
    y_mean = float(w @ y / w.sum())
    root = np.sqrt(w)
    coef, _ = nnls((X - x_mean) * root[:, None], (y - y_mean) * root)
    return y_mean - float(x_mean @ coef), coef


def _component_values(features: OrgFeatures, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """The component values (not weighted) of pairs, as columns in COMPONENTS order."""
    return np.column_stack([c.score(features, rows, cols) for c in COMPONENTS.values()])


def fit_on_candidates(features: OrgFeatures, rows: np.ndarray, cols: np.ndarray, label: np.ndarray,
                      negatives: int, rng: np.random.Generator
                      ) -> tuple[tuple[float, np.ndarray] | None, int, int]:
    """Fit the seven parts to which candidate pairs tied (see :func:`learn_weights`).

    All positives weigh 1; at most ``negatives`` negatives are sampled with
    ``rng`` and each weighs ``(all negatives) / (sampled negatives)``, so the
    least-squares fit (:func:`fit_nonnegative_least_squares`) is over the
    whole candidate set. Returns ``((intercept, coef) or None, positives,
    sampled negatives)``; None when either class is empty.
    """
    pos = np.flatnonzero(label)
    neg = np.flatnonzero(~label)
    if len(neg) > negatives:
        neg = np.sort(rng.choice(neg, size=negatives, replace=False))
    if not len(pos) or not len(neg):
        return None, len(pos), len(neg)
    pick = np.r_[pos, neg]
    weight = np.r_[np.ones(len(pos)), np.full(len(neg), (~label).sum() / len(neg))]
    fit = fit_nonnegative_least_squares(_component_values(features, rows[pick], cols[pick]),
                                        label[pick], weight)
    return fit, len(pos), len(neg)


def learn_weights(dataset: Dataset, *, until: int | None = None, horizon: int = LEARN_HORIZON,
                  negatives: int = LEARN_NEGATIVES, seed: int = 0, details: bool = False,
                  fallback: bool = True) -> dict[str, float] | dict[str, Any]:
    """Learn the engine's component weights from the data's own past (supervised combination).

    Lichtenwalter, Lussier & Chawla (KDD 2010) showed that a model trained
    on the outcomes of earlier link formation combines link-prediction
    features better than any fixed formula. The engine ranks by a weighted
    sum of its parts, so the model is one in which the *probability* of a
    new tie is a weighted sum of the parts: a linear probability model,
    fitted by least squares over the candidate pairs with non-negative
    coefficients (:func:`fit_nonnegative_least_squares`). The coefficients
    are then ordinary engine weights (each contribution stays >= 0 and the
    contributions still add up to the score). New ties form by several
    mechanisms whose rates add up (a partner of a partner, having met,
    similar work), which this form fits and a logistic regression, whose
    log-odds add up, does not: with the same parts and the same examples the
    logistic fit's precision@10 is 2-6% lower (docs/recommend.md).

    Parameters
    ----------
    dataset : Dataset
    until : int or None
        Use only what was known before this year (:func:`split_by_year`);
        None: all of ``dataset``, which in a backtest is already the *known*
        data.
    horizon : int, default 2
        Inner split: ``Y0 = last dated tie year - horizon + 1``. Features
        come from the data before ``Y0``; the labels are the new ties formed
        from ``Y0`` on (the last ``horizon`` years of the data used).
    negatives : int, default 20,000
        Candidate pairs that did not tie, sampled uniformly (seeded) and
        weighted so that they stand for all of them.
    seed : int
    details : bool
        Return ``{"weights", "intercept", "coef", "inner_split_year",
        "last_year", "positives", "negatives", "learned"}`` instead of the
        weights only (``learned`` False when the weights are the fallback).
    fallback : bool, default True
        When there is nothing to learn from (no dated tie, no tie before the
        learning window, no new tie in it, or every coefficient 0), return
        the ``balanced`` preset's weights (what a backtest needs: an engine
        to evaluate); with False, raise instead.

    Returns
    -------
    dict
        ``{component: weight}`` adding up to 1, in
        :data:`~cso_network.recommend.components.COMPONENTS` order.

    Raises
    ------
    CsoNetworkError
        With ``fallback=False``, when there is nothing to learn from; the
        message says why.

    Notes
    -----
    Training examples are the engine's own candidate pairs
    (:func:`~cso_network.recommend.score.candidate_pairs` on the features
    before ``Y0``): an example is positive when the pair formed a new tie in
    ``[Y0, last year]``. All positives are used, each with weight 1; each
    sampled negative weighs ``(all negatives) / (sampled negatives)``, so the
    fit is over the whole candidate set. Leakage guard: only ``dataset`` (cut
    at ``until``) is read, and inside it the features never see the
    labelling window; in a backtest the engine is handed the known data
    only, so nothing from the test period reaches the weights (tested:
    changing ties from ``until`` on does not change them).
    """
    data = dataset if until is None else split_by_year(dataset, int(until))[0]
    info: dict[str, Any] = {"weights": dict(PRESETS["balanced"]), "intercept": None,
                            "coef": None, "inner_split_year": None, "last_year": None,
                            "positives": 0, "negatives": 0, "learned": False}
    span = _year_span(data)
    why = _nothing_to_learn(span, horizon)
    if why is None:
        inner = span[1] - horizon + 1
        info.update(inner_split_year=inner, last_year=span[1])
        past, new = split_by_year(data, inner)
        f = build_features(past)
        rows, cols = candidate_pairs(f)
        a = np.array([f.index.get(x, -1) for x in new["org_a"]], dtype=np.int64)
        b = np.array([f.index.get(x, -1) for x in new["org_b"]], dtype=np.int64)
        ok = (a >= 0) & (b >= 0)
        n = f.n
        pos_keys = np.unique(np.r_[a[ok] * n + b[ok], b[ok] * n + a[ok]])
        label = _in_sorted(rows * n + cols, pos_keys)
        fit, npos, nneg = fit_on_candidates(f, rows, cols, label, negatives,
                                            _rng(seed, _STREAM_LEARN))
        info.update(positives=npos, negatives=nneg)
        if fit is None:
            why = (msg("too little history to learn weights: no suggested pair became a new "
                       "collaboration in {first}–{last}", first=inner, last=span[1])
                   if npos == 0 else
                   msg("too little history to learn weights: every suggested pair became a "
                       "collaboration in {first}–{last}, so there is nothing to compare",
                       first=inner, last=span[1]))
        else:
            intercept, coef = fit
            info.update(intercept=intercept, coef=dict(zip(COMPONENTS, coef.tolist(), strict=True)))
            if coef.sum() > 0:
                info["weights"] = {c: float(v / coef.sum()) for c, v in zip(COMPONENTS, coef,
                                                                           strict=True)}
                info["learned"] = True
            else:
                why = msg("no part of the score tells the new collaborations of {first}–{last} "
                          "from the other suggested pairs, so no weights can be learned",
                          first=inner, last=span[1])
    if why is not None and not fallback:
        raise CsoNetworkError(why)
    return info if details else info["weights"]


def _nothing_to_learn(span: tuple[int, int] | None, horizon: int) -> Message | None:
    """Why dated ties spanning ``span`` leave nothing to learn from, or None."""
    if span is None:
        return msg("no collaboration has a 'since' date, so there is no history to learn "
                   "weights from")
    first, last = span
    start = last - horizon + 1
    if start <= first:
        return msg("too little history to learn weights: the new collaborations of "
                   "{start}–{last} are learned from those before {start}, and the earliest "
                   "dated collaboration starts in {first}", start=start, last=last, first=first)
    return None


def engine_method(preset: str = "balanced", weights: Mapping[str, float] | None = None,
                  *, diversity: bool = True) -> Method:
    """The suggestion engine as a backtest :class:`Method` (top-k lists and pair scores).

    The pair scorer builds the engine's features from the *known* dataset once
    and scores the asked pairs with :func:`cso_network.recommend.score.score_pairs`,
    so AUC needs no full suggestion lists.

    Parameters
    ----------
    preset, weights, diversity
        As for :func:`cso_network.recommend.score.recommend_all`; ``preset``
        may also be ``"learned"`` (:data:`~cso_network.recommend.score.LEARNED`):
        weights learned by :func:`learn_weights` from the known data of each
        split (``weights`` then override single learned weights).

    Raises
    ------
    CsoNetworkError
        Unknown preset (:func:`~cso_network.recommend.score.check_preset`)
        or weight, before anything is computed.
    """
    learned = check_preset(preset) == LEARNED
    resolve_weights("balanced" if learned else preset, weights)  # fail early on a bad weight
    cache: dict[int, Any] = {}

    def state_of(known: Dataset) -> tuple[Any, dict[str, float]]:
        key = id(known)
        if key not in cache:
            cache.clear()
            if learned:  # learned from the known data only (see learn_weights)
                w = resolve_weights(LEARNED, {**learn_weights(known), **(weights or {})})
            else:
                w = resolve_weights(preset, weights)
            cache[key] = (known, build_features(known), w)
        return cache[key][1], cache[key][2]

    def top_k(known: Dataset, k: int) -> pd.DataFrame:
        features, w = state_of(known)
        frame = recommend_all(known, weights=w, top=k, features=features, diversity=diversity)
        return frame[["org_id", "candidate", "score"]]

    def pairs(known: Dataset, u: np.ndarray, v: np.ndarray) -> np.ndarray:
        features, w = state_of(known)
        rows = np.array([features.index[x] for x in u], dtype=np.int64)
        cols = np.array([features.index[x] for x in v], dtype=np.int64)
        if len(rows) == 0:
            return np.zeros(0)
        return score_pairs(features, rows, cols, w)["score"].to_numpy(dtype=float)

    return Method(top_k, pairs)
