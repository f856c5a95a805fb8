"""Tests of the synthetic programme generator (cso_network.demo.synth)."""

from __future__ import annotations

import json
import re

import networkx as nx
import pandas as pd
import pytest

from cso_network.core.exceptions import CsoNetworkError
from cso_network.core.model import TABLES, Dataset
from cso_network.demo.synth import (
    DEMO_SEED,
    PlantedGap,
    SyntheticProgramme,
    demo_readme,
    formation_propensity,
    generate_programme,
)
from cso_network.vocab import FIELDS, PRACTICES, REGION

ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
YEAR_OR_DATE = re.compile(r"^\d{4}(-\d{2}-\d{2})?$")
SEEDS = (DEMO_SEED, 1, 7)


@pytest.fixture(scope="module")
def demo() -> SyntheticProgramme:
    return generate_programme(DEMO_SEED)


@pytest.fixture(scope="module", params=SEEDS)
def programme(request) -> SyntheticProgramme:
    return generate_programme(request.param)


@pytest.fixture(scope="module")
def scaled() -> SyntheticProgramme:
    return generate_programme(5, n_orgs=2000)


def gap(prog: SyntheticProgramme, kind: str) -> PlantedGap:
    (found,) = [g for g in prog.planted if g.kind == kind]
    return found


def org_country(ds: Dataset) -> dict[str, str]:
    return dict(zip(ds.organizations["org_id"], ds.organizations["country"], strict=True))


def collab_graph(ds: Dataset) -> nx.Graph:
    g = nx.Graph()
    g.add_nodes_from(ds.organizations["org_id"])
    g.add_edges_from(zip(ds.collaborations["org_a"], ds.collaborations["org_b"], strict=True))
    return g


def check_integrity(ds: Dataset) -> None:
    """Canonical forms and references, as described in cso_network.core.model."""
    for name, frame in ds.frames().items():
        assert list(frame.columns) == TABLES[name].column_names, name
        assert all(frame[c].dtype == object for c in frame.columns), name
        for col in frame.columns:
            for value in frame[col]:
                assert value is None or not (isinstance(value, float) and value != value), (
                    name, col)
        key = list(TABLES[name].key)
        assert not frame.duplicated(key).any(), name
        for col in TABLES[name].columns:
            if col.required:
                assert frame[col.name].map(lambda v: v is not None).all(), (name, col.name)
    orgs, people = ds.organizations, ds.participants
    org_ids = set(orgs["org_id"])
    assert set(people["org_id"]) <= org_ids
    assert set(ds.attendance["participant_id"]) <= set(people["participant_id"])
    assert set(ds.attendance["seminar_id"]) <= set(ds.seminars["seminar_id"])
    assert set(ds.engagements["org_id"]) <= org_ids
    col = ds.collaborations
    assert set(col["org_a"]) | set(col["org_b"]) <= org_ids
    assert (col["org_a"] < col["org_b"]).all()  # canonical order, no self-ties
    pairs = col[["org_a", "org_b"]].apply(tuple, axis=1)
    assert not pairs.duplicated().any()  # unique per unordered pair
    # everyone attended something
    assert set(people["participant_id"]) == set(ds.attendance["participant_id"])
    # value forms
    for frame, cols in ((orgs, ["country"]), (ds.seminars, ["country"])):
        for c in cols:
            assert set(frame[c]) <= set(REGION)
    for start, end in zip(ds.seminars["start_date"], ds.seminars["end_date"], strict=True):
        assert ISO_DATE.match(start) and ISO_DATE.match(end) and start < end
    for fields in orgs["fields"]:
        assert isinstance(fields, tuple) and 1 <= len(fields) <= 3
        assert list(fields) == sorted(fields, key=FIELDS.index)
    for practices in orgs["practices"]:
        assert isinstance(practices, tuple) and 2 <= len(practices) <= 5
        assert list(practices) == sorted(practices, key=PRACTICES.index)
    for risks in orgs["risk_factors"]:
        assert isinstance(risks, tuple) and len(risks) <= 6
        assert all(type(r) is int and 1 <= r <= 14 for r in risks)
        assert list(risks) == sorted(set(risks))
    for c in ("consent_contact", "consent_directory"):
        assert set(people[c]) <= {True, False, None}
    assert set(people["gender"]) <= {"female", "male", None}
    assert col["since"].map(lambda s: bool(YEAR_OR_DATE.match(s))).all()
    assert set(col["kind"]) <= {"joint project", "network membership", "exchange visit",
                                "joint report"}
    assert set(col["source"]) <= {"follow-up survey 2017", "follow-up survey 2020",
                                  "project report"}
    assert ds.engagements["date"].map(lambda s: bool(ISO_DATE.match(s))).all()
    assert set(ds.engagements["kind"]) <= {"briefing", "report submitted", "consultation",
                                           "joint event"}
    for email in people["email"].dropna():
        assert re.fullmatch(r"[a-z0-9.]+@example\.(org|net|com)", email), email
    for phone in people["phone"].dropna():
        assert re.fullmatch(r"\+3\d\d \d\d 555 0\d{3}", phone), phone


# --------------------------------------------------------------------------- determinism


def test_same_seed_gives_identical_data(demo):
    again = generate_programme(DEMO_SEED)
    for name, frame in demo.dataset.frames().items():
        pd.testing.assert_frame_equal(frame, again.dataset.table(name), obj=name)
    assert again.planted == demo.planted
    assert again.seed == DEMO_SEED
    assert demo_readme(again) == demo_readme(demo)


def test_different_seed_gives_different_data(demo):
    other = generate_programme(DEMO_SEED + 1)
    assert not other.dataset.organizations.equals(demo.dataset.organizations)
    assert not other.dataset.collaborations.equals(demo.dataset.collaborations)


# --------------------------------------------------------------------------- demo shape


def test_demo_sizes(programme):
    ds = programme.dataset
    counts = ds.counts()
    assert counts["seminars"] == 4
    assert 70 <= counts["organizations"] <= 90
    assert 95 <= counts["participants"] <= 150
    assert counts["participants"] < counts["attendance"] <= counts["participants"] + 12
    assert 120 <= counts["collaborations"] <= 200
    engaged = ds.engagements["org_id"].nunique() / counts["organizations"]
    assert 0.13 <= engaged <= 0.27
    assert ds.organizations["org_id"].iloc[0] == "ORG-001"
    assert ds.participants["participant_id"].iloc[0] == "P-0001"
    per_org = ds.participants["org_id"].value_counts()
    assert per_org.max() in (2, 3) and (per_org >= 2).sum() >= 10
    assert set(per_org.index) == set(ds.organizations["org_id"])
    repeaters = ds.attendance["participant_id"].value_counts()
    assert 1 <= (repeaters == 2).sum() <= 10


def test_demo_seminars(demo):
    sem = demo.dataset.seminars
    assert list(sem["city"]) == ["Sarajevo", "Budva", "Skopje", "Belgrade"]
    assert list(sem["country"]) == ["BA", "ME", "MK", "RS"]
    assert [s[:4] for s in sem["start_date"]] == ["2012", "2013", "2014", "2016"]
    assert list(sem["seminar_id"]) == ["SEM-2012-SA", "SEM-2013-BU", "SEM-2014-SK",
                                       "SEM-2016-BE"]
    days = (pd.to_datetime(sem["end_date"]) - pd.to_datetime(sem["start_date"])).dt.days + 1
    assert days.between(3, 4).all()


def test_demo_countries(demo):
    countries = demo.dataset.organizations["country"].value_counts()
    main = sum(countries.get(c, 0) for c in ("BA", "ME", "MK", "RS"))
    assert main >= 0.85 * countries.sum()
    for c in ("HR", "XK", "AL"):
        assert 1 <= countries.get(c, 0) <= 5


def test_integrity_and_canonical_forms(programme):
    check_integrity(programme.dataset)


def test_attribute_proportions(demo):
    orgs = demo.dataset.organizations
    fields = orgs["fields"].explode().value_counts()
    assert fields["human rights"] > fields["social work"]
    assert fields["peacebuilding"] > fields["social work"]
    practices = orgs["practices"].explode().value_counts()
    assert practices["atrocity risk analysis"] > practices["social media and technology"]
    risks = orgs["risk_factors"].explode().dropna().astype(int)
    assert (risks <= 9).mean() > 0.75
    people = demo.dataset.participants
    for c in ("consent_contact", "consent_directory"):
        assert {True, False, None} <= set(people[c])


def test_names_are_local_looking(demo):
    names = " ".join(demo.dataset.organizations["name"]) + " ".join(
        demo.dataset.participants["full_name"])
    assert re.search("[čćšžđ]", names)
    assert re.search("[А-Яа-яЈјЉљЊњЃѓЌќЏџ]", names)  # some Cyrillic
    orgs = " ".join(demo.dataset.organizations["name"])
    assert any(word in orgs for word in ("Udruženje", "NVO", "Fondacija", "Centar za"))
    assert set(demo.dataset.organizations["type"]) >= {"association", "foundation"}


def test_all_emails_are_example_domains(demo, scaled):
    for prog in (demo, scaled):
        emails = prog.dataset.participants["email"].dropna()
        assert len(emails) > 0
        assert emails.str.match(r".+@example\.(org|net|com)$").all()


# --------------------------------------------------------------------------- collaborations


def test_cross_border_ties_increase_after_seminars(programme):
    ds = programme.dataset
    country = org_country(ds)
    col = ds.collaborations
    cross = col["org_a"].map(country) != col["org_b"].map(country)
    year = col["since"].str[:4].astype(int)
    before, after = (cross & (year < 2012)).sum(), (cross & (year > 2012)).sum()
    assert after > 2 * before
    # pre-programme ties are mostly within a country
    assert cross[year < 2012].mean() < 0.3
    assert (year < 2012).sum() >= 20


def test_planted_gap_list(programme):
    kinds = [g.kind for g in programme.planted]
    assert kinds == ["missing_country_pair", "fragile_risk_factor", "missing_field",
                     "cut_point", "isolate"]
    for g in programme.planted:
        assert g.description
        json.dumps(g.details)  # JSON-serializable


def test_gap_missing_country_pair(programme):
    ds = programme.dataset
    details = gap(programme, "missing_country_pair").details
    assert details["countries"] == ["ME", "MK"]
    country = org_country(ds)
    col = ds.collaborations
    pair = {frozenset((country[a], country[b])) for a, b in zip(col["org_a"], col["org_b"],
                                                                strict=True)}
    assert frozenset(("ME", "MK")) not in pair
    # every other pair of the four main countries is connected
    main = ("BA", "ME", "MK", "RS")
    for i, x in enumerate(main):
        for y in main[i + 1:]:
            if {x, y} != {"ME", "MK"}:
                assert frozenset((x, y)) in pair
    # ... although ME and MK organizations met at seminars
    att = ds.attendance.merge(ds.participants[["participant_id", "org_id"]])
    att["country"] = att["org_id"].map(country)
    met = set()
    for _, grp in att.groupby("seminar_id"):
        me = set(grp.loc[grp["country"] == "ME", "org_id"])
        mk = set(grp.loc[grp["country"] == "MK", "org_id"])
        met |= {(a, b) for a in me for b in mk}
    assert len(met) >= 3
    assert details["co_attending_pairs"] == len(met)


def test_gap_fragile_risk_factor(programme):
    details = gap(programme, "fragile_risk_factor").details
    orgs = programme.dataset.organizations
    local = orgs[orgs["country"] == details["country"]]
    holders = local[local["risk_factors"].map(lambda t: details["risk_factor"] in t)]
    assert list(holders["org_id"]) == [details["org_id"]]


def test_gap_missing_field(programme):
    details = gap(programme, "missing_field").details
    orgs = programme.dataset.organizations
    local = orgs[orgs["country"] == details["country"]]
    assert len(local) > 5
    assert not local["fields"].map(lambda t: details["field"] in t).any()
    assert orgs["fields"].map(lambda t: details["field"] in t).any()


def test_gap_cut_point(programme):
    details = gap(programme, "cut_point").details
    g = collab_graph(programme.dataset)
    cut, cluster = details["org_id"], set(details["cluster"])
    assert 4 <= len(cluster) <= 6
    assert cut not in cluster
    assert cut in set(nx.articulation_points(g))
    assert nx.is_connected(g.subgraph(cluster))
    # all ties leaving the cluster go to the cut point
    for a, b in g.edges:
        if (a in cluster) != (b in cluster):
            assert cut in (a, b)
    h = g.copy()
    h.remove_node(cut)
    component = nx.node_connected_component(h, next(iter(cluster)))
    assert component == cluster
    # the cut point also reaches the rest of the network
    assert any(n not in cluster for n in g.neighbors(cut))


def test_gap_isolates(programme):
    details = gap(programme, "isolate").details
    g = collab_graph(programme.dataset)
    isolates = set(nx.isolates(g))
    assert 1 <= len(details["org_ids"]) <= 2
    assert isolates == set(details["org_ids"])
    attended = set(programme.dataset.participants["org_id"])
    assert isolates <= attended


# --------------------------------------------------------------------------- scale


def test_scaled_run(scaled):
    ds = scaled.dataset
    check_integrity(ds)
    counts = ds.counts()
    assert counts["organizations"] == 2000
    assert 2000 / 30 - 5 <= counts["seminars"] <= 2000 / 20 + 5
    assert 1.3 <= counts["participants"] / 2000 <= 1.7
    assert 4.5 <= counts["collaborations"] / 2000 <= 6.5
    assert ds.seminars["seminar_id"].is_unique
    years = ds.seminars["start_date"].str[:4].astype(int)
    assert years.min() == 2012 and years.max() == 2024
    assert ds.organizations["org_id"].iloc[-1] == "ORG-2000"
    assert [g.kind for g in scaled.planted] == ["missing_country_pair",
                                                "fragile_risk_factor", "missing_field",
                                                "cut_point", "isolate"]
    g = collab_graph(ds)
    cut = gap(scaled, "cut_point").details["org_id"]
    assert cut in set(nx.articulation_points(g))
    assert set(nx.isolates(g)) == set(gap(scaled, "isolate").details["org_ids"])


def test_small_n_orgs_rejected():
    with pytest.raises(CsoNetworkError, match="at least"):
        generate_programme(1, n_orgs=10)


@pytest.mark.slow
def test_ten_thousand_orgs_keep_integrity():
    # Speed is measured by scripts/bench/import.py, not asserted here.
    prog = generate_programme(2, n_orgs=10_000)
    assert len(prog.dataset.organizations) == 10_000
    check_integrity(prog.dataset)


# --------------------------------------------------------------------------- README


def test_demo_readme(demo):
    text = demo_readme(demo)
    assert "**SYNTHETIC DATA — invented names, no real person or organization" in text
    assert f"seed={DEMO_SEED}" in text
    for name, count in demo.dataset.counts().items():
        assert f"| {name} | {count} |" in text
    for g in demo.planted:
        assert g.kind in text
    assert gap(demo, "cut_point").details["org_id"] in text
    assert "triadic closure" in text and "seminar exposure" in text


# --------------------------------------------------------------------------- formation_propensity


def _three_orgs(seminar: bool):
    """A, B, C in BA without fields; ties A-B and B-C (2010); optionally A and C at S (2013)."""
    from tests.helpers import dataset_from_records

    return dataset_from_records({
        "seminars": [{"seminar_id": "S", "city": "Sarajevo", "country": "BA",
                      "start_date": "2013-05-01"}] if seminar else [],
        "organizations": [{"org_id": o, "name": f"Org {o}", "country": "BA"} for o in "ABC"],
        "participants": [{"participant_id": f"p{o}", "org_id": o} for o in "AC"],
        "attendance": [{"participant_id": f"p{o}", "seminar_id": "S"} for o in "AC"]
        if seminar else [],
        "collaborations": [
            {"org_a": "A", "org_b": "B", "kind": "joint project", "since": "2010"},
            {"org_a": "B", "org_b": "C", "kind": "joint project", "since": "2010"},
            {"org_a": "A", "org_b": "C", "kind": "joint project", "since": "2016"},
        ],
    })


def test_formation_propensity_by_hand():
    # 2015, no seminar: shares triadic 0.5, homophily 0.5 (as in the simulation).
    # triadic A-C: RA = 1/deg B = 1/2 over T = 2 ties (the 2016 tie is not known yet),
    #   accepted 0.35 (no shared field, same country) -> 0.5 * 0.25 * 0.35 = 0.04375
    # homophily, n = 3, one country of 3: P(j | i) = 0.75/3 + 0.25/3 = 1/3, both orders
    #   over n: 2/9, accepted 0.06 -> 0.5 * 2/9 * 0.06 = 1/150
    ids, P = formation_propensity(_three_orgs(False), 2015)
    a, b, c = (ids.index(x) for x in "ABC")
    assert P[a, c] == pytest.approx(0.04375 + 1 / 150)
    assert P[a, b] == pytest.approx(1 / 150)  # no common partner: homophily only
    assert P[a, a] == 0.0
    # with A and C at S in 2013: shares 0.3 / 0.25 / 0.45; S weighs 2 * 1 * 0.8 ** 1 of a
    # total of the same, a pair inside it is drawn 2 / 2**2 = 0.5 of the time, accepted
    # 0.25 * 0.7 within one country -> 0.45 * 0.5 * 0.175 = 0.039375
    ids, P = formation_propensity(_three_orgs(True), 2015)
    assert P[a, c] == pytest.approx(0.3 * 0.25 * 0.35 + 0.25 * 2 / 9 * 0.06 + 0.039375)
    assert P[a, b] == pytest.approx(0.25 * 2 / 9 * 0.06)
