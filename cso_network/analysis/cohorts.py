"""Cohort effect: did organizations that met at a seminar collaborate more afterwards?

For every seminar, take the organizations that sent a participant (its
*cohort*) and the declared collaborations with both ends in the cohort. Each
tie is dated by its ``since`` (the earliest declared start, a date or a bare
year) and counted as formed *before* or *after* the seminar. A tie formed
after the seminar between two organizations whose first shared seminar was
this one is counted in ``met_then_collaborated``: the seminar is where they
first met.

This is descriptive, not causal: organizations that come to seminars may be
the ones that collaborate anyway. Comparing cross-border ties before and after
is the programme's own question ("did the seminars build regional ties?").
"""

from __future__ import annotations

from typing import Literal

import networkx as nx
import numpy as np
import pandas as pd

from cso_network.core.exceptions import CsoNetworkError
from cso_network.core.model import Dataset
from cso_network.network.layers import collaboration_graph, org_seminars

__all__ = ["COHORT_COLUMNS", "cohort_effect", "cohort_summary"]

#: Columns of :func:`cohort_effect`, in order.
COHORT_COLUMNS: list[str] = [
    "seminar_id",
    "city",
    "country",
    "start_date",
    "organizations",
    "ties_before",
    "ties_after",
    "cross_border_before",
    "cross_border_after",
    "undated",
    "met_then_collaborated",
]
_COUNT_COLUMNS = COHORT_COLUMNS[4:]
_SUMMARY_KEYS = (
    "ties_before", "ties_after", "cross_border_before", "cross_border_after",
    "met_then_collaborated",
)

SameYear = Literal["after", "before", "exclude"]


def _empty() -> pd.DataFrame:
    frame = pd.DataFrame({c: pd.Series([], dtype=object) for c in COHORT_COLUMNS})
    return frame.astype({c: np.int64 for c in _COUNT_COLUMNS})


def _tie_frame(G: nx.Graph) -> pd.DataFrame:
    """Declared ties as ``u``, ``v``, ``since`` (``u < v``).

    Edges of a ``combined`` graph that are not declared collaborations
    (``collaborated`` is False) are skipped.
    """
    rows = [
        (u, v, d.get("since")) if str(u) <= str(v) else (v, u, d.get("since"))
        for u, v, d in G.edges(data=True)
        if u != v and d.get("collaborated", True)
    ]
    frame = pd.DataFrame(rows, columns=["u", "v", "since"], dtype=object)
    return frame.drop_duplicates(["u", "v"]).reset_index(drop=True)


def _timing(since: pd.Series, start: pd.Series, same_year: SameYear) -> np.ndarray:
    """Classify ties against seminars: +1 after, -1 before, 0 neither (undated or excluded).

    Two full dates (``YYYY-MM-DD``) compare as dates (a tie starting on the
    seminar's first day counts as after); otherwise the years are compared and
    a tie in the seminar's own year follows ``same_year``.
    """
    s = since.astype(object).where(since.notna(), "").astype(str).str.strip()
    t = start.astype(object).where(start.notna(), "").astype(str).str.strip()
    dated = (s.str.len() >= 4).to_numpy() & (t.str.len() >= 4).to_numpy()
    sy = pd.to_numeric(s.str[:4], errors="coerce").to_numpy()
    ty = pd.to_numeric(t.str[:4], errors="coerce").to_numpy()
    dated &= ~(np.isnan(sy) | np.isnan(ty))
    full = (s.str.len() >= 10).to_numpy() & (t.str.len() >= 10).to_numpy()
    s10, t10 = s.str[:10].to_numpy(dtype=object), t.str[:10].to_numpy(dtype=object)
    by_date = np.where(s10 >= t10, 1, -1) if len(s10) else np.zeros(0, dtype=int)
    same = {"after": 1, "before": -1, "exclude": 0}[same_year]
    by_year = np.where(sy > ty, 1, np.where(sy < ty, -1, same))
    out = np.where(full, by_date, by_year)
    return np.where(dated, out, 0).astype(np.int64)


def cohort_effect(
    dataset: Dataset, G_collab: nx.Graph | None = None, *, same_year: SameYear = "after"
) -> pd.DataFrame:
    """Count, for each seminar, collaborations among its organizations formed before and after it.

    Parameters
    ----------
    dataset : Dataset
        Seminars, participants and attendance say which organizations were at
        which seminar; organizations give their countries.
    G_collab : networkx.Graph, optional
        The ``collaborated`` layer (edges carry ``since``). Built with
        :func:`cso_network.network.layers.collaboration_graph` when omitted. A
        ``combined`` graph also works: edges whose ``collaborated`` flag is
        False are ignored.
    same_year : {"after", "before", "exclude"}, default "after"
        Where a tie dated by a bare year equal to the seminar's year goes (see
        Notes). With ``"exclude"`` such ties are counted neither before nor
        after (nor as undated).

    Returns
    -------
    pandas.DataFrame
        One row per seminar, by start date (then id), with columns

        ``seminar_id``, ``city``, ``country``, ``start_date``
            From the seminars table.
        ``organizations``
            Organizations with at least one participant at the seminar.
        ``ties_before``, ``ties_after``
            Declared ties with both ends among those organizations, formed
            before / after the seminar.
        ``cross_border_before``, ``cross_border_after``
            The same, counting only ties between organizations of two
            different countries.
        ``undated``
            Ties among those organizations without a ``since`` (or with a
            seminar without a start date).
        ``met_then_collaborated``
            Ties formed after the seminar between two organizations whose
            first shared seminar (the earliest, by start date then id, that
            both attended) is this one.

    Raises
    ------
    CsoNetworkError
        ``same_year`` is not one of the three choices.

    Notes
    -----
    Timing. When both the tie's ``since`` and the seminar's ``start_date``
    are full dates they are compared as dates; a tie starting on or after the
    seminar's first day is *after*. When either is a bare year, years are
    compared: an earlier year is *before*, a later one *after*, and the
    seminar's own year goes where ``same_year`` says. The default credits a
    tie dated to the seminar's year to the seminar: follow-up surveys
    usually record only the year, and collaborations announced at a seminar
    are dated to it.

    A tie is counted once for every seminar both its organizations attended,
    so the per-seminar counts overlap and their sums
    (:func:`cohort_summary`) count some ties more than once;
    ``met_then_collaborated`` never does (each pair has one first shared
    seminar).

    Examples
    --------
    >>> from cso_network.core.model import Dataset, frame_from_records as f
    >>> ds = Dataset.from_frames({
    ...     "seminars": f("seminars", [{"seminar_id": "S1", "city": "Budva", "country": "ME",
    ...                                 "start_date": "2013-06-10"}]),
    ...     "organizations": f("organizations", [
    ...         {"org_id": "A", "name": "A", "country": "ME"},
    ...         {"org_id": "B", "name": "B", "country": "MK"},
    ...         {"org_id": "C", "name": "C", "country": "ME"}]),
    ...     "participants": f("participants", [
    ...         {"participant_id": p, "org_id": o} for p, o in [("p1", "A"), ("p2", "B"), ("p3", "C")]]),
    ...     "attendance": f("attendance", [
    ...         {"participant_id": p, "seminar_id": "S1"} for p in ("p1", "p2", "p3")]),
    ...     "collaborations": f("collaborations", [
    ...         {"org_a": "A", "org_b": "B", "kind": "project", "since": "2015"},
    ...         {"org_a": "A", "org_b": "C", "kind": "project", "since": "2010"}])})
    >>> frame = cohort_effect(ds)
    >>> frame[["organizations", "ties_before", "ties_after", "cross_border_after",
    ...        "met_then_collaborated"]].values.tolist()
    [[3, 1, 1, 1, 1]]
    """
    if same_year not in ("after", "before", "exclude"):
        raise CsoNetworkError(
            f"same_year must be 'after', 'before' or 'exclude', got {same_year!r}"
        )
    seminars = dataset.seminars[["seminar_id", "city", "country", "start_date"]]
    if seminars.empty:
        return _empty()
    seminars = (
        seminars.assign(_missing=seminars["start_date"].isna(),
                        _start=seminars["start_date"].fillna(""))
        .sort_values(["_missing", "_start", "seminar_id"], kind="stable")
        .drop(columns=["_missing", "_start"])
        .drop_duplicates("seminar_id")
        .reset_index(drop=True)
    )
    rank = pd.Series(np.arange(len(seminars)), index=seminars["seminar_id"].to_numpy())

    attended = org_seminars(dataset)
    attended = attended[attended["seminar_id"].isin(rank.index)]
    n_orgs = attended.groupby("seminar_id")["org_id"].nunique()

    G = collaboration_graph(dataset) if G_collab is None else G_collab
    ties = _tie_frame(G)
    out = seminars.copy()
    out["organizations"] = out["seminar_id"].map(n_orgs).fillna(0).astype(np.int64)
    for c in _COUNT_COLUMNS[1:]:
        out[c] = np.int64(0)
    if ties.empty or attended.empty:
        return out[COHORT_COLUMNS]

    # every (tie, seminar) where both ends attended the seminar
    at_u = ties.merge(attended.rename(columns={"org_id": "u"}), on="u")
    shared = at_u.merge(attended.rename(columns={"org_id": "v"}), on=["v", "seminar_id"])
    if shared.empty:
        return out[COHORT_COLUMNS]
    country = dict(zip(dataset.organizations["org_id"], dataset.organizations["country"],
                       strict=True))
    for n, d in G.nodes(data=True):
        if d.get("country") is not None:
            country.setdefault(n, d["country"])
    cu, cv = shared["u"].map(country), shared["v"].map(country)
    shared["cross"] = (cu.notna() & cv.notna() & (cu != cv)).to_numpy()
    shared["rank"] = shared["seminar_id"].map(rank).to_numpy(dtype=np.int64)
    start = shared["seminar_id"].map(dict(zip(seminars["seminar_id"], seminars["start_date"],
                                              strict=True)))
    timing = _timing(shared["since"], start, same_year)
    has_since = shared["since"].notna().to_numpy() & start.notna().to_numpy()
    first = shared.groupby(["u", "v"])["rank"].transform("min").to_numpy()

    after, before = timing == 1, timing == -1
    cross = shared["cross"].to_numpy()
    counts = pd.DataFrame({
        "seminar_id": shared["seminar_id"].to_numpy(),
        "ties_before": before,
        "ties_after": after,
        "cross_border_before": before & cross,
        "cross_border_after": after & cross,
        "undated": ~has_since,
        "met_then_collaborated": after & (shared["rank"].to_numpy() == first),
    }).groupby("seminar_id").sum()
    for c in _COUNT_COLUMNS[1:]:
        out[c] = out["seminar_id"].map(counts[c]).fillna(0).astype(np.int64)
    return out[COHORT_COLUMNS]


def cohort_summary(frame: pd.DataFrame) -> dict[str, int]:
    """Totals of a :func:`cohort_effect` frame over all seminars.

    Parameters
    ----------
    frame : pandas.DataFrame
        As returned by :func:`cohort_effect`.

    Returns
    -------
    dict
        ``ties_before``, ``ties_after``, ``cross_border_before``,
        ``cross_border_after``, ``met_then_collaborated`` as ``int``.

    Notes
    -----
    A tie between two organizations that attended several seminars together
    is counted at each of them, so the tie totals may exceed the number of
    ties; ``met_then_collaborated`` counts each tie at most once.

    Examples
    --------
    >>> from cso_network.core.model import Dataset
    >>> cohort_summary(cohort_effect(Dataset.empty()))["ties_after"]
    0
    """
    return {k: int(frame[k].sum()) if k in frame else 0 for k in _SUMMARY_KEYS}
