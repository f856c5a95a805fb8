"""Tests of cso_network.analysis.cohorts.

Every count of the hand-worked dataset below is derived in the comments of
:func:`cohort_records`; the demo check relies on the generator's seminar
exposure mechanism (:mod:`cso_network.demo.synth`), which makes cross-border ties
after a seminar more likely.
"""

from __future__ import annotations

import pytest

from cso_network.analysis.cohorts import COHORT_COLUMNS, cohort_effect, cohort_summary
from cso_network.core.exceptions import CsoNetworkError
from cso_network.core.model import Dataset
from cso_network.demo.synth import generate_programme
from cso_network.network.layers import collaboration_graph, combined_graph
from tests.helpers import dataset_from_records

COUNTS = ["organizations", "ties_before", "ties_after", "cross_border_before",
          "cross_border_after", "undated", "met_then_collaborated"]


def cohort_records() -> dict:
    """Three seminars (one dated by a bare year), six organizations, nine ties.

    Seminars (listed out of order on purpose) and who attended (organization level):

    - S1 Sarajevo 2012-05-03: A, B, C, D
    - S2 Budva 2013-06-10:    A, B, E, F
    - S3 Skopje "2014":       A, C, E, F
    - S4 Tirana 2020:         nobody

    Countries: A BA, B ME, C MK, D BA, E RS, F ME.

    Ties (since) -> seminars where both ends were, timing, cross-border, first shared:

    1. A-B 2011        -> S1 before, S2 before; cross; first S1
    2. A-D 2012        -> S1 same year => after (default); BA-BA; first S1
    3. B-C 2012-04-01  -> S1: full dates, 04-01 < 05-03 => before; cross; first S1
    4. B-E 2015        -> S2 after; cross; first S2
    5. E-F (undated)   -> S2 undated, S3 undated; cross; first S2
    6. A-F 2014-02-01  -> S2 after; S3 ("2014") same year => after (default); cross; first S2
    7. C-F 2013        -> S3 before; cross; first S3
    8. A-C 2016        -> S1 after, S3 after; cross; first S1
    9. D-E 2013        -> no shared seminar: counted nowhere

    Per seminar (default same_year="after"):

    - S1: 4 orgs; ties 1,2,3,8: before 1,3 = 2; after 2,8 = 2; cross before 1,3 = 2;
      cross after 8 = 1; undated 0; met then collaborated (after, first shared = S1): 2,8 = 2
    - S2: 4 orgs; ties 1,4,5,6: before 1; after 4,6 = 2; cross before 1; cross after 4,6 = 2;
      undated 5 = 1; met then collaborated: 4,6 = 2
    - S3: 4 orgs; ties 5,6,7,8: before 7; after 6,8 = 2; cross before 1; cross after 2;
      undated 1; met then collaborated: none (6 first met at S2, 8 at S1, 7 is before) = 0
    - S4: all zero
    """
    orgs = [("A", "BA"), ("B", "ME"), ("C", "MK"), ("D", "BA"), ("E", "RS"), ("F", "ME")]
    attended = {"A": ["S1", "S2", "S3"], "B": ["S1", "S2"], "C": ["S1", "S3"], "D": ["S1"],
                "E": ["S2", "S3"], "F": ["S2", "S3"]}
    ties = [("A", "B", "2011"), ("A", "D", "2012"), ("B", "C", "2012-04-01"),
            ("B", "E", "2015"), ("E", "F", None), ("A", "F", "2014-02-01"),
            ("C", "F", "2013"), ("A", "C", "2016"), ("D", "E", "2013")]
    return {
        "seminars": [
            {"seminar_id": "S3", "city": "Skopje", "country": "MK", "start_date": "2014"},
            {"seminar_id": "S1", "city": "Sarajevo", "country": "BA",
             "start_date": "2012-05-03", "end_date": "2012-05-06"},
            {"seminar_id": "S4", "city": "Tirana", "country": "AL", "start_date": "2020-01-01"},
            {"seminar_id": "S2", "city": "Budva", "country": "ME", "start_date": "2013-06-10"},
        ],
        "organizations": [{"org_id": o, "name": f"Org {o}", "country": c} for o, c in orgs],
        # two participants for A, to check organizations are counted once
        "participants": [{"participant_id": f"p{o}", "org_id": o} for o, _ in orgs]
        + [{"participant_id": "pA2", "org_id": "A"}],
        "attendance": [{"participant_id": f"p{o}", "seminar_id": s}
                       for o, sems in attended.items() for s in sems]
        + [{"participant_id": "pA2", "seminar_id": "S1"}],
        "collaborations": [{"org_a": a, "org_b": b, "kind": "joint project", "since": s}
                           for a, b, s in ties],
    }


@pytest.fixture
def cohort_dataset() -> Dataset:
    return dataset_from_records(cohort_records())


def counts(frame):
    return {sid: row for sid, *row in frame[["seminar_id", *COUNTS]].values.tolist()}


def test_hand_worked_default(cohort_dataset):
    frame = cohort_effect(cohort_dataset)
    assert list(frame.columns) == COHORT_COLUMNS
    assert frame["seminar_id"].tolist() == ["S1", "S2", "S3", "S4"]  # by start date
    assert frame["city"].tolist() == ["Sarajevo", "Budva", "Skopje", "Tirana"]
    assert frame["start_date"].tolist() == ["2012-05-03", "2013-06-10", "2014", "2020-01-01"]
    #                     orgs before after xb_before xb_after undated met_then
    assert counts(frame) == {
        "S1": [4, 2, 2, 2, 1, 0, 2],
        "S2": [4, 1, 2, 1, 2, 1, 2],
        "S3": [4, 1, 2, 1, 2, 1, 0],
        "S4": [0, 0, 0, 0, 0, 0, 0],
    }
    assert cohort_summary(frame) == {
        "ties_before": 4, "ties_after": 6, "cross_border_before": 4,
        "cross_border_after": 5, "met_then_collaborated": 4,
    }


def test_same_year_before(cohort_dataset):
    # A-D (2012) moves to before at S1, A-F (2014-02-01 vs "2014") to before at S3;
    # A-D no longer counts as met-then-collaborated. B-C (two full dates) does not move.
    frame = cohort_effect(cohort_dataset, same_year="before")
    assert counts(frame) == {
        "S1": [4, 3, 1, 2, 1, 0, 1],
        "S2": [4, 1, 2, 1, 2, 1, 2],
        "S3": [4, 2, 1, 2, 1, 1, 0],
        "S4": [0, 0, 0, 0, 0, 0, 0],
    }


def test_same_year_exclude(cohort_dataset):
    # A-D and A-F (at S3) are counted neither before nor after, nor as undated.
    frame = cohort_effect(cohort_dataset, same_year="exclude")
    assert counts(frame) == {
        "S1": [4, 2, 1, 2, 1, 0, 1],
        "S2": [4, 1, 2, 1, 2, 1, 2],
        "S3": [4, 1, 1, 1, 1, 1, 0],
        "S4": [0, 0, 0, 0, 0, 0, 0],
    }


def test_bad_same_year(cohort_dataset):
    with pytest.raises(CsoNetworkError, match="same_year"):
        cohort_effect(cohort_dataset, same_year="during")


def test_given_graph_and_combined_layer(cohort_dataset):
    expected = cohort_effect(cohort_dataset)
    assert cohort_effect(cohort_dataset, collaboration_graph(cohort_dataset)).equals(expected)
    # in the combined layer, pairs that only met (e.g. B-F at S2) are not declared ties
    assert cohort_effect(cohort_dataset, combined_graph(cohort_dataset)).equals(expected)


def test_empty_dataset():
    frame = cohort_effect(Dataset.empty())
    assert list(frame.columns) == COHORT_COLUMNS
    assert frame.empty
    assert cohort_summary(frame) == dict.fromkeys(
        ["ties_before", "ties_after", "cross_border_before", "cross_border_after",
         "met_then_collaborated"], 0)


def test_no_collaborations(cohort_dataset):
    records = cohort_records()
    records["collaborations"] = []
    frame = cohort_effect(dataset_from_records(records))
    assert frame["organizations"].tolist() == [4, 4, 4, 0]
    assert (frame[COUNTS[1:]] == 0).all().all()


def test_tiny_dataset(tiny_dataset):
    # A (BA) and C (RS) both at S2 (2013-06-10); their tie dates from 2014: after, cross-border,
    # and S2 is the first seminar they shared.
    frame = cohort_effect(tiny_dataset)
    assert counts(frame) == {"S1": [2, 0, 0, 0, 0, 0, 0], "S2": [2, 0, 1, 0, 1, 0, 1]}


def test_demo_cross_border_after_exceeds_before():
    ds = generate_programme().dataset
    frame = cohort_effect(ds)
    assert len(frame) == len(ds.seminars)
    assert (frame["cross_border_after"] > frame["cross_border_before"]).any()
    summary = cohort_summary(frame)
    assert summary["cross_border_after"] > summary["cross_border_before"]
    assert 0 < summary["met_then_collaborated"] <= len(ds.collaborations)
