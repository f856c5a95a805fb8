"""The network explorer's library: filters on hand-worked graphs, thinning, CSV guard, profiles."""

from __future__ import annotations

import csv
import io

import networkx as nx
import pytest

from cso_network.views import explore
from cso_network.views.explore import Filters, csv_safe, filter_graph, thin_edges, to_csv
from cso_network.workspace import Workspace


def _graph() -> nx.Graph:
    """a(BA) -2014- b(ME) -2019- c(BA); d(MK) met a at S1 (2012); e(RS) alone."""
    G = nx.Graph()
    G.add_node("a", country="BA", fields=("law",), practices=("advocacy",), risk_factors=(1, 8),
               seminars=("S1",))
    G.add_node("b", country="ME", fields=("peacebuilding",), practices=(), risk_factors=(9,),
               seminars=("S2",))
    G.add_node("c", country="BA", fields=("law", "human rights"), practices=("legal aid",),
               risk_factors=(), seminars=())
    G.add_node("d", country="MK", fields=(), practices=(), risk_factors=(8,), seminars=("S1",))
    G.add_node("e", country="RS", fields=(), practices=(), risk_factors=(), seminars=())
    G.add_edge("a", "b", since="2014", weight=1.0, collaborated=True)
    G.add_edge("b", "c", since="2019-03-01", weight=2.0, collaborated=True)
    G.add_edge("a", "d", seminars=("S1",), weight=1.0, collaborated=False)
    return G


@pytest.mark.parametrize(("filters", "nodes", "edges"), [
    (Filters.make(), "abcde", {("a", "b"), ("b", "c"), ("a", "d")}),
    (Filters.make(countries=["BA"]), "ac", set()),
    (Filters.make(countries=["BA", "ME"]), "abc", {("a", "b"), ("b", "c")}),
    (Filters.make(fields=["law"]), "ac", set()),
    (Filters.make(practices=["advocacy", "legal aid"]), "ac", set()),
    (Filters.make(risk_factors=["8"]), "ad", {("a", "d")}),
    (Filters.make(seminars="S1"), "ad", {("a", "d")}),
    (Filters.make(countries=["BA"], fields=["human rights"]), "c", set()),
    (Filters.make(years=(2010, 2015)), "abcde", {("a", "b"), ("a", "d")}),
    (Filters.make(years=(2015, 2020)), "abcde", {("b", "c")}),
])
def test_filters_keep_what_hand_working_says(filters, nodes, edges):
    sub = filter_graph(_graph(), filters, seminar_year={"S1": 2012, "S2": 2013})
    assert sorted(sub.nodes) == list(nodes)
    assert {tuple(sorted(e)) for e in sub.edges} == edges


def test_full_year_range_keeps_undated_ties():
    G = _graph()
    G.add_edge("c", "e")  # undated
    assert G.number_of_edges() == 4
    assert filter_graph(G, Filters.make(years=(2012, 2019)), full_years=(2012, 2019)) \
        .number_of_edges() == 4
    assert filter_graph(G, Filters.make(years=(2012, 2019)),
                        seminar_year={"S1": 2012}).number_of_edges() == 3


def test_filters_round_trip_through_the_url():
    f = Filters.make(countries=["BA", "ME"], fields=["law"], risk_factors=[8, 1],
                     seminars=["S1"], years=(2013, 2016))
    query = f.to_query(layer="met", focus=None)
    assert query.startswith("?") and "layer=met" in query and "focus" not in query
    assert Filters.from_query(query) == f
    assert Filters.from_query({"countries": "RS", "years": "x"}) == Filters.make(countries=["RS"])
    assert Filters.make().to_query() == ""


def test_thinning_keeps_the_strongest_and_says_so():
    G = _graph()
    t = thin_edges(G, limit=1)
    assert [(u, v) for u, v, _ in t.edges] == [("b", "c")]  # weight 2
    assert t.total == 3 and "Showing 1 of 3 ties" in t.notice
    focused = thin_edges(G, limit=1, focus="d")
    assert [tuple(sorted((u, v))) for u, v, _ in focused.edges] == [("a", "d")]
    assert thin_edges(G, limit=10).notice is None


@pytest.mark.parametrize(("value", "expected"), [
    ("=1+2", "'=1+2"),
    ("+387 61 123 456", "'+387 61 123 456"),
    ("-5", "'-5"),
    ("@SUM(A1)", "'@SUM(A1)"),
    ("\tx", "'\tx"),
    ("\rx", "'\rx"),
    ("\nx", "'\nx"),
    ("Udruženje „Most“", "Udruženje „Most“"),
    ("a=b", "a=b"),
    (None, ""),
    (3, "3"),
    (-1, "'-1"),
    (("law", "human rights"), "law; human rights"),
])
def test_csv_guard(value, expected):
    assert csv_safe(value) == expected


def test_csv_quotes_every_cell_and_survives_separators():
    import pandas as pd

    frame = pd.DataFrame({"name": ['=1+2";=1+2', "Most, d.o.o."], "phone": ["+387 61", None]})
    text = to_csv(frame)
    assert text.splitlines()[1] == '"\'=1+2"";=1+2","\'+387 61"'
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[2] == ["Most, d.o.o.", ""]
    for row in rows:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r"))


def test_tables_list_the_filtered_nodes_and_ties():
    G = filter_graph(_graph(), Filters.make(countries=["BA", "ME"]))
    nodes = explore.node_table(G, {"brokers": [{"org_id": "b", "betweenness": 0.5,
                                                "community": 2}]})
    assert nodes["org_id"].tolist() == ["a", "b", "c"]
    assert nodes.set_index("org_id").loc["b", "community"] == 2
    assert nodes.set_index("org_id").loc["a", "degree"] == 1
    edges = explore.edge_table(G, "combined")
    assert edges[["org_a", "org_b"]].values.tolist() == [["a", "b"], ["b", "c"]]
    assert edges["year"].tolist() == [2014, 2019]
    assert edges["tie"].tolist() == ["collaborated", "collaborated"]


def test_position_in_words():
    analysis = {
        "brokers": [
            {"org_id": "x", "degree": 3, "betweenness": 0.4, "community": 0,
             "brokerage": {"liaison": 2, "coordinator": 0}},
            {"org_id": "y", "degree": 1, "betweenness": 0.0, "community": 0, "brokerage": {}},
            {"org_id": "z", "degree": 0, "betweenness": 0.0, "community": None, "brokerage": {}},
        ],
        "communities": [{"id": 0, "size": 2, "countries": {"BA": 2}}],
    }
    words = explore.position_sentences("x", analysis)
    assert words[0] == "Has declared collaborations with 3 organizations."
    assert "Ranks 1st of 3 as a bridge: about 40%" in words[1]
    assert "liaison, 2 times" in words[2] and "coordinator" not in words[2]
    assert "cluster 0 of 2" in words[3]
    assert "betweenness 0" in explore.position_sentences("y", analysis)[1]
    assert "No declared collaboration" in explore.position_sentences("z", analysis)[0]
    assert explore.position_sentences("nobody", analysis) == ["Not in the collaboration network yet."]


def test_profile_and_views_on_the_tiny_workspace(tiny_dataset):
    ws = Workspace(tiny_dataset, version="t", name="tiny")
    profile = explore.org_profile(ws, "A")
    assert profile["name"] == "Udruženje Alfa" and profile["country"] == "BA"
    assert [c["org_id"] for c in profile["collaborations"]] == ["C"]
    assert profile["collaborations"][0]["since"] == "2014"
    assert profile["people"]["unlisted"] == 2  # nobody consented to the directory
    assert [s["seminar_id"] for s in profile["seminars"]] == ["S1", "S2"]
    assert explore.org_profile(ws, "nope") is None
    assert explore.tie_years(ws) == (2012, 2014)
    view = explore.view_graph(ws, "combined", Filters.make(years=(2013, 2014)))
    assert sorted(view.nodes) == ["A", "B", "C"]
    assert {tuple(sorted(e)) for e in view.edges} == {("A", "C")}  # S1 (2012) is out
    pos = explore.cached_layout(ws, "combined", "force")
    assert explore.cached_layout(ws, "combined", "force") is pos  # cached per version
    assert set(pos) == {"A", "B", "C"}
    with pytest.raises(Exception, match="unknown layout"):
        explore.cached_layout(ws, "combined", "circle")
