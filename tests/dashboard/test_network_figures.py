"""The network explorer's figures: the right nodes, ties and emphasis in the traces (plain dicts)."""

from __future__ import annotations

import networkx as nx

from cso_network.network.positions import force_layout, geographic_layout
from dashboard.figures import drawn_nodes, ego_figure, network_figure, palette
from dashboard.figures.network import node_sizes


def _graph() -> nx.Graph:
    G = nx.Graph()
    G.add_node("a", name="Alfa", country="BA", city="Sarajevo", fields=("law",))
    G.add_node("b", name="Beta", country="ME", city="Podgorica", fields=("peacebuilding",))
    G.add_node("c", name="Gama", country="BA", city="Tuzla", fields=())
    G.add_node("d", name="Delta", country="MK", city="Skopje", fields=("law",))
    G.add_edge("a", "b", collaborated=True, met=True)
    G.add_edge("a", "c", collaborated=True, met=False)
    G.add_edge("b", "d", collaborated=False, met=True)
    return G


def _traces(fig, role):
    return [t for t in fig["data"] if (t.get("meta") or {}).get("role") == role]


def _segments(trace) -> int:
    return trace["x"].count(None)


def test_nodes_grouped_by_country_with_fixed_colours():
    G = _graph()
    fig = network_figure(G, geographic_layout(G), layer="combined", geographic=True)
    assert sorted(drawn_nodes(fig)) == ["a", "b", "c", "d"]
    groups = {t["meta"]["group"]: t for t in _traces(fig, "nodes")}
    assert set(groups) == {"BA", "ME", "MK"}
    assert groups["BA"]["customdata"] == ["a", "c"]
    assert groups["ME"]["marker"]["color"] == palette.COUNTRY_COLOURS["ME"] == palette.ORANGE
    assert all(t["type"] == "scattergl" for t in _traces(fig, "nodes"))
    labels = _traces(fig, "labels")[0]
    assert "Montenegro" in labels["text"] and "North Macedonia" in labels["text"]


def test_one_line_trace_per_tie_kind():
    G = _graph()
    fig = network_figure(G, geographic_layout(G), layer="combined")
    kinds = {t["meta"]["kind"]: _segments(t) for t in _traces(fig, "edges")}
    assert kinds == {"met at a seminar": 1, "collaborated, same country": 1,
                     "collaborated, across borders": 1}
    met_only = network_figure(G, geographic_layout(G), layer="met")
    assert {t["meta"]["kind"]: _segments(t) for t in _traces(met_only, "edges")} == \
        {"met at a seminar": 3}


def test_only_the_given_edges_are_drawn():
    G = _graph()
    fig = network_figure(G, geographic_layout(G), layer="combined",
                         edges=[("a", "c", G.edges["a", "c"])])
    assert sum(_segments(t) for t in _traces(fig, "edges")) == 1
    assert len(drawn_nodes(fig)) == 4  # every node still drawn


def test_focus_is_ringed_and_its_neighbours_stay_bright():
    G = _graph()
    fig = network_figure(G, force_layout(G), layer="combined", focus="a")
    focus = _traces(fig, "focus")[0]
    assert focus["customdata"] == ["a"] and focus["text"] == ["Alfa"]
    ties = next(t for t in _traces(fig, "edges") if t["meta"]["kind"] == "focus")
    assert _segments(ties) == 2  # a-b and a-c
    opacity = {n: o for t in _traces(fig, "nodes")
               for n, o in zip(t["customdata"], t["marker"]["opacity"], strict=True)}
    assert opacity == {"a": 1.0, "b": 1.0, "c": 1.0, "d": 0.25}


def test_colour_by_field_and_community():
    G = _graph()
    pos = geographic_layout(G)
    by_field = {t["meta"]["group"]: t["marker"]["color"] for t in _traces(
        network_figure(G, pos, layer="combined", colour_by="field"), "nodes")}
    # law and peacebuilding are the 3rd and 4th fields: the palette's 3rd and 4th colours
    assert by_field == {"law": palette.GREEN, "peacebuilding": palette.PURPLE,
                        "no field recorded": palette.OTHER}
    brokers = {"a": {"community": 0}, "b": {"community": 1}, "c": {"community": 0}}
    by_cluster = {t["meta"]["group"]: t["customdata"] for t in _traces(
        network_figure(G, pos, layer="combined", colour_by="community", brokers=brokers), "nodes")}
    assert by_cluster == {"cluster 0": ["a", "c"], "cluster 1": ["b"], "no cluster": ["d"]}


def test_clusters_past_the_seventh_share_grey():
    G = _graph()
    brokers = {"a": {"community": 6}, "b": {"community": 7}, "c": {"community": 0}}
    colours = {t["meta"]["group"]: t["marker"]["color"] for t in _traces(
        network_figure(G, geographic_layout(G), layer="combined", colour_by="community",
                       brokers=brokers), "nodes")}
    assert colours == {"cluster 0": palette.BLUE, "cluster 6": palette.YELLOW,
                       "smaller clusters": palette.OTHER, "no cluster": palette.OTHER}


def test_sizes_follow_degree_or_betweenness():
    G = _graph()
    assert node_sizes(G, ["a", "c"], "degree") == [26.0, round(6 + 20 * 0.5 ** 0.5, 2)]
    assert node_sizes(G, ["a", "b"], "betweenness", {"a": {"betweenness": 0.5}}) == [26.0, 6.0]
    assert node_sizes(G, ["a"], "betweenness", {}) == [9.0]


def test_empty_graph_and_ego_network():
    empty = network_figure(nx.Graph(), {}, layer="met")
    assert "No organization matches" in empty["layout"]["annotations"][0]["text"]
    G = _graph()
    ego = ego_figure(G, "b", geographic_layout(G))
    assert sorted(drawn_nodes(ego)) == ["a", "b", "d"]
    assert "Not in the network" in ego_figure(G, "zz", {})["layout"]["annotations"][0]["text"]


def test_ego_network_lays_itself_out_when_given_no_positions():
    G = _graph()
    ego = ego_figure(G, "b")  # force layout of b and its neighbours only
    assert sorted(drawn_nodes(ego)) == ["a", "b", "d"]
    xs = [x for t in _traces(ego, "nodes") for x in t["x"]]
    assert len(set(xs)) == 3 and all(-1.0 <= x <= 1.0 for x in xs)  # apart, within the frame


def test_ego_network_leaves_out_seminar_cliques_among_neighbours():
    G = nx.Graph()
    G.add_node("x", country="BA")
    for n in "abc":
        G.add_node(n, country="ME")
        G.add_edge("x", n, collaborated=n == "a")  # x met b and c, collaborated with a
    G.add_edge("b", "c", collaborated=False)  # b and c only met: a seminar clique
    G.add_edge("a", "b", collaborated=True)  # a and b declared a collaboration
    fig = ego_figure(G, "x")
    segments = sum(_segments(t) for t in _traces(fig, "edges"))
    assert segments == 4  # x-a, x-b, x-c and a-b; not b-c
    assert sorted(drawn_nodes(fig)) == ["a", "b", "c", "x"]
