"""Tests of cso_network.analysis.coverage.

Expected values are worked out by hand on a seven-organization graph (see
``fields_graph``) and checked against the gaps the demo generator plants
(:mod:`cso_network.demo.synth`).
"""

from __future__ import annotations

import networkx as nx
import pandas as pd
import pytest

from cso_network.analysis.coverage import (
    GAP_COLUMNS,
    ITEM_KINDS,
    TABLE_COLUMNS,
    coverage_dict,
    coverage_gaps,
    coverage_matrix,
    coverage_table,
)
from cso_network.core.exceptions import CsoNetworkError
from cso_network.demo.synth import generate_programme
from cso_network.network.layers import build_layer
from cso_network.vocab import FIELDS, PRACTICES


def fields_graph() -> nx.Graph:
    """Seven organizations in BA (3), ME (3) and RS (1).

    ====  =======  =============================
    org   country  fields
    ====  =======  =============================
    a     BA       human rights, law
    b     BA       law
    c     BA       peacebuilding
    d     ME       law
    e     ME       human rights, law
    f     ME       law, gender equality (unknown)
    g     RS       law
    ====  =======  =============================

    Ties: a-b (same country), a-d (law on both sides: a and d linked for law),
    c-e (no shared field), e-g (law on both sides: e and g linked for law).
    """
    G = nx.Graph(layer="collaborated")
    for org, country, fields in [
        ("a", "BA", ("human rights", "law")),
        ("b", "BA", ("law",)),
        ("c", "BA", ("peacebuilding",)),
        ("d", "ME", ("law",)),
        ("e", "ME", ("human rights", "law")),
        ("f", "ME", ("law", "gender equality")),
        ("g", "RS", ("law",)),
    ]:
        G.add_node(org, name=f"Org {org.upper()}", country=country, fields=fields,
                   practices=(), risk_factors=())
    G.add_edges_from([("a", "b"), ("a", "d"), ("c", "e"), ("e", "g")])
    return G


def cell(table: pd.DataFrame, country: str, item) -> pd.Series:
    rows = table[(table["country"] == country) & (table["item"] == item)]
    assert len(rows) == 1
    return rows.iloc[0]


# --------------------------------------------------------------------------- coverage_table


def test_table_shape_and_order():
    t = coverage_table(fields_graph(), "fields")
    assert list(t.columns) == TABLE_COLUMNS
    # 3 countries x (5 programme fields + 1 unknown field found in the data), zeros kept
    assert len(t) == 18
    assert list(dict.fromkeys(t["country"])) == ["BA", "ME", "RS"]
    assert list(dict.fromkeys(t["item"])) == [*FIELDS, "gender equality"]


def test_table_counts_and_linked_orgs():
    t = coverage_table(fields_graph(), "fields")
    expected = {
        # (country, item): (organizations, org_ids, linked_orgs)
        ("BA", "human rights"): (1, ("a",), 0),   # a's only foreign partner d lacks it
        ("BA", "social work"): (0, (), 0),
        ("BA", "law"): (2, ("a", "b"), 1),        # a-d
        ("BA", "peacebuilding"): (1, ("c",), 0),  # c-e: e does not work on it
        ("ME", "human rights"): (1, ("e",), 0),   # e's partners c and g lack it
        ("ME", "law"): (3, ("d", "e", "f"), 2),   # d (a-d), e (e-g)
        ("ME", "peacebuilding"): (0, (), 0),
        ("ME", "gender equality"): (1, ("f",), 0),
        ("RS", "law"): (1, ("g",), 1),            # e-g
        ("RS", "human rights"): (0, (), 0),
    }
    for (country, item), (n, ids, linked) in expected.items():
        row = cell(t, country, item)
        assert (row["organizations"], row["org_ids"], row["linked_orgs"]) == (n, ids, linked), (
            country, item)
    assert t["organizations"].sum() == 10  # 10 (organization, field) holdings
    assert t["organizations"].dtype.kind == "i" and t["linked_orgs"].dtype.kind == "i"


def test_same_country_tie_does_not_link():
    G = fields_graph()
    G.remove_edge("a", "d")
    t = coverage_table(G, "fields")
    # a-b is within BA: a is no longer linked abroad for law
    assert cell(t, "BA", "law")["linked_orgs"] == 0
    assert cell(t, "ME", "law")["linked_orgs"] == 1  # only e (e-g) now


def test_risk_factor_items_are_ints_and_dict_keys_strings():
    G = nx.Graph()
    G.add_node("a", country="MK", risk_factors=(1, 14))
    G.add_node("b", country="AL", risk_factors=(14,))
    G.add_node("c", country="AT", risk_factors=(2,))  # outside the region: sorted after it
    G.add_edge("a", "b")
    t = coverage_table(G, "risk_factors")
    assert list(dict.fromkeys(t["country"])) == ["MK", "AL", "AT"]
    assert list(dict.fromkeys(t["item"])) == list(range(1, 15))
    assert cell(t, "MK", 14)["linked_orgs"] == 1 and cell(t, "MK", 1)["linked_orgs"] == 0
    d = coverage_dict(t)
    assert list(d) == ["MK", "AL", "AT"]
    assert list(d["MK"]) == [str(k) for k in range(1, 15)]
    assert d["MK"]["14"] == 1 and d["AL"]["14"] == 1 and d["AL"]["1"] == 0 and d["AT"]["2"] == 1


def test_matrix():
    t = coverage_table(fields_graph(), "fields")
    m = coverage_matrix(t)
    assert m.index.tolist() == ["BA", "ME", "RS"]
    assert m.columns.tolist() == [*FIELDS, "gender equality"]
    assert m.loc["ME", "law"] == 3 and m.loc["BA", "social work"] == 0
    assert m.to_numpy().sum() == 10


def test_practices_vocabulary_and_nodes_without_country():
    G = nx.Graph()
    G.add_node("a", country="RS", practices=("advocacy", "fundraising"))
    G.add_node("b", country=None, practices=("advocacy",))  # no country: left out
    t = coverage_table(G, "practices")
    assert list(dict.fromkeys(t["item"])) == [*PRACTICES, "fundraising"]
    assert set(t["country"]) == {"RS"}
    assert cell(t, "RS", "advocacy")["org_ids"] == ("a",)


def test_unknown_kind():
    with pytest.raises(CsoNetworkError, match="unknown item kind"):
        coverage_table(fields_graph(), "themes")
    with pytest.raises(CsoNetworkError):
        coverage_gaps(fields_graph(), "field")


# --------------------------------------------------------------------------- coverage_gaps


def test_gaps_hand_worked():
    gaps = coverage_gaps(fields_graph(), "fields")
    assert list(gaps.columns) == GAP_COLUMNS
    got = gaps[["kind", "country", "item", "pair", "organizations"]].values.tolist()
    # RS has one organization (< min_orgs=3): it is not judged. "gender equality" is not
    # a programme field: not judged either.
    assert got == [
        ["uncovered_field", "BA", "social work", None, ()],
        ["uncovered_field", "BA", "transitional justice", None, ()],
        ["uncovered_field", "ME", "social work", None, ()],
        ["uncovered_field", "ME", "peacebuilding", None, ()],
        ["uncovered_field", "ME", "transitional justice", None, ()],
        ["fragile_field", "BA", "human rights", None, ("a",)],
        ["fragile_field", "BA", "peacebuilding", None, ("c",)],
        ["fragile_field", "ME", "human rights", None, ("e",)],
        # human rights in BA (a) and ME (e), no a-e tie; law is linked by a-d
        ["unlinked_field", "BA", "human rights", ("BA", "ME"), ("a", "e")],
    ]
    assert gaps["severity"].tolist() == pytest.approx([3] * 5 + [2] * 3 + [1 + 2 / 6])
    details = gaps["detail"].tolist()
    assert details[0] == "No organization in Bosnia and Herzegovina (BA) works on social work."
    assert details[5] == (
        "Only one organization in Bosnia and Herzegovina (BA) works on human rights: a Org A."
    )
    assert details[8] == (
        "Human rights is covered in BA (1 organization) and ME (1) but no BA-ME tie links "
        "organizations working on it."
    )


def test_gaps_min_orgs_and_precomputed_table():
    G = fields_graph()
    table = coverage_table(G, "fields")
    pd.testing.assert_frame_equal(coverage_gaps(G, "fields", table), coverage_gaps(G, "fields"))
    gaps = coverage_gaps(G, "fields", table, min_orgs=1)
    rs = gaps[gaps["country"] == "RS"]
    assert sorted(rs.loc[rs["kind"] == "uncovered_field", "item"]) == sorted(
        ["human rights", "social work", "peacebuilding", "transitional justice"])
    assert rs.loc[rs["kind"] == "fragile_field", "organizations"].tolist() == [("g",)]
    unlinked = gaps[gaps["kind"] == "unlinked_field"]
    # law: BA-RS has no tie between law organizations (a-d and e-g do not touch BA-RS);
    # ME-RS is linked by e-g and BA-ME by a-d.
    assert sorted(zip(unlinked["item"], unlinked["pair"], strict=True)) == [
        ("human rights", ("BA", "ME")), ("law", ("BA", "RS"))]
    law = unlinked[unlinked["item"] == "law"].iloc[0]
    assert law["organizations"] == ("a", "b", "g")
    assert law["severity"] == pytest.approx(1 + 3 / 4)  # (2 + 1) of (3 + 1) organizations


def test_unlinked_closed_by_a_tie():
    G = fields_graph()
    G.add_edge("a", "e")  # both work on human rights, in BA and ME
    gaps = coverage_gaps(G, "fields")
    assert not (gaps["kind"] == "unlinked_field").any()


def test_unlinked_only_between_region_countries():
    G = nx.Graph()
    for k in range(3):
        G.add_node(f"at{k}", country="AT", fields=("law",))
        G.add_node(f"rs{k}", country="RS", fields=("law",))
    gaps = coverage_gaps(G, "fields")
    assert "unlinked_field" not in set(gaps["kind"])
    # but AT (3 organizations) is judged for uncovered fields
    assert ("AT", "social work") in set(zip(gaps["country"], gaps["item"], strict=True))


def test_risk_factor_gap_wording():
    G = nx.Graph()
    for k, rfs in enumerate([(14,), (1,), (1,)]):
        G.add_node(f"o{k}", name=f"Name {k}", country="BA", risk_factors=rfs)
    gaps = coverage_gaps(G, "risk_factors")
    fragile = gaps[gaps["kind"] == "fragile_risk_factor"]
    assert fragile["item"].tolist() == [14]
    assert fragile["detail"].item() == (
        "Only one organization in Bosnia and Herzegovina (BA) covers risk factor 14 "
        "(Serious threats to humanitarian or peacekeeping operations): o0 Name 0."
    )
    uncovered = gaps[gaps["kind"] == "uncovered_risk_factor"]
    assert uncovered["item"].tolist() == list(range(2, 14))
    assert uncovered["detail"].iloc[0] == (
        "No organization in Bosnia and Herzegovina (BA) covers risk factor 2 (Record of serious "
        "violations of international human rights and humanitarian law)."
    )


@pytest.mark.parametrize("kind", ITEM_KINDS)
def test_empty_graph(kind):
    G = nx.Graph()
    t = coverage_table(G, kind)
    assert list(t.columns) == TABLE_COLUMNS and t.empty
    assert coverage_matrix(t).empty
    assert coverage_dict(t) == {}
    gaps = coverage_gaps(G, kind)
    assert list(gaps.columns) == GAP_COLUMNS and gaps.empty


def test_graph_without_ties():
    G = fields_graph()
    G.remove_edges_from(list(G.edges()))
    t = coverage_table(G, "fields")
    assert t["linked_orgs"].sum() == 0
    gaps = coverage_gaps(G, "fields")
    unlinked = gaps[gaps["kind"] == "unlinked_field"]
    assert set(unlinked["item"]) == {"human rights", "law"}


# --------------------------------------------------------------------------- the demo


@pytest.fixture(scope="module")
def demo():
    prog = generate_programme()
    return prog, build_layer(prog.dataset, "collaborated")


def planted(prog, kind):
    return next(g for g in prog.planted if g.kind == kind)


def test_demo_planted_missing_field(demo):
    prog, G = demo
    gap = planted(prog, "missing_field")
    gaps = coverage_gaps(G, "fields")
    rows = gaps[(gaps["kind"] == "uncovered_field") & (gaps["country"] == gap.details["country"])
                & (gaps["item"] == gap.details["field"])]
    assert len(rows) == 1
    assert rows["detail"].item() == "No organization in Montenegro (ME) works on social work."


def test_demo_planted_fragile_risk_factor(demo):
    prog, G = demo
    gap = planted(prog, "fragile_risk_factor")
    gaps = coverage_gaps(G, "risk_factors")
    rows = gaps[(gaps["kind"] == "fragile_risk_factor")
                & (gaps["country"] == gap.details["country"])
                & (gaps["item"] == gap.details["risk_factor"])]
    assert len(rows) == 1
    assert rows["organizations"].item() == (gap.details["org_id"],)
    assert gap.details["org_id"] in rows["detail"].item()
    assert gap.details["org_name"] in rows["detail"].item()


def test_demo_missing_country_pair_shows_as_unlinked(demo):
    prog, G = demo
    a, b = planted(prog, "missing_country_pair").details["countries"]
    gaps = coverage_gaps(G, "fields")
    unlinked = gaps[gaps["kind"] == "unlinked_field"]
    pairs = set(unlinked["pair"])
    assert (a, b) in pairs
    # every field covered in both countries is unlinked between them
    m = coverage_matrix(coverage_table(G, "fields"))
    both = [f for f in FIELDS if m.loc[a, f] > 0 and m.loc[b, f] > 0]
    assert sorted(unlinked.loc[unlinked["pair"] == (a, b), "item"]) == sorted(both)


def test_demo_sorted_by_severity(demo):
    _, G = demo
    for kind in ITEM_KINDS:
        gaps = coverage_gaps(G, kind)
        assert gaps["severity"].is_monotonic_decreasing
        assert gaps["severity"].between(1, 3).all()
