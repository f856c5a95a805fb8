"""Partnership scores worked out by hand on tiny datasets.

Every expected number below is computed in the comment next to it from the
formulas in docs/recommend.md ("Between organizations") and the docstrings of
cso_network.recommend.components and .score, cso_network.analysis.mixing.missing_bridges,
cso_network.recommend.features.cut_anchors and cso_network.network.layers.pair_neighbourhood;
none is copied from the code's output.
"""

from __future__ import annotations

import math

import networkx as nx
import pytest

from cso_network import vocab
from cso_network.network.layers import collaboration_graph, combined_graph, pair_neighbourhood
from cso_network.recommend import build_features, recommend_for, resolve_weights
from cso_network.recommend.components import COMPONENTS, bridging, cross_border
from cso_network.recommend.score import score_pairs
from tests.helpers import dataset_from_records


def org(oid, country, fields=(), practices=(), risks=()):
    return {"org_id": oid, "name": f"Org {oid}", "country": country, "fields": tuple(fields),
            "practices": tuple(practices), "risk_factors": tuple(risks)}


def tie(a, b):
    return {"org_a": a, "org_b": b, "kind": "joint project"}


def seminars(*ids):
    return [{"seminar_id": s, "city": "Skopje", "country": "MK", "start_date": f"201{k}-05-01"}
            for k, s in enumerate(ids)]


def attended(pairs):
    """Participants and attendance rows for ``[(org_id, seminar_id), ...]``."""
    people = sorted({o for o, _ in pairs})
    return {"participants": [{"participant_id": f"p{o}", "org_id": o} for o in people],
            "attendance": [{"participant_id": f"p{o}", "seminar_id": s} for o, s in pairs]}


# --------------------------------------------------------------------------- total score


def five_records():
    """A (BA) - B (RS) - C (RS) declared; D (MK) - E (MK) declared; A and D met at S1."""
    return {
        "seminars": seminars("S1"),
        "organizations": [
            org("A", "BA", ["human rights"], ["advocacy"], [1]),
            org("B", "RS", ["law"], ["legal aid"]),
            org("C", "RS", ["human rights", "law"], ["advocacy", "legal aid"], [1, 2]),
            org("D", "MK", ["peacebuilding"],
                ["dialogue and reconciliation", "education and youth"], [3, 4, 5]),
            org("E", "MK", ["human rights"], ["advocacy"], [1]),
        ],
        **attended([("A", "S1"), ("D", "S1")]),
        "collaborations": [tie("A", "B"), tie("B", "C"), tie("D", "E")],
    }


@pytest.fixture(scope="module")
def five():
    ds = dataset_from_records(five_records())
    return ds, build_features(ds)


# Component values of A's three candidates (B is A's declared partner, so no candidate).
#
# proximity: A-C share partner B, who has 2 partners: aa = 1 / ln 2 = 1.442695,
#   proximity = aa / (aa + 1) = 1 / (1 + ln 2) = 0.590616. A shares no partner with D or E: 0.
# met_before: A (BA) and D (MK) met at S1 across a border: min(1, 1/2) = 0.5; others 0.
# thematic_fit (fields + practices): A = {human rights, advocacy};
#   C = {human rights, law, advocacy, legal aid}: 2 / 4 = 0.5; D shares nothing: 0;
#   E is the same as A: 1.
# complementarity: A covers {advocacy, rf 1} = 2 of 26, lacks 24;
#   C brings {legal aid, rf 2} = 2 -> 2/24 = 1/12;
#   D brings {dialogue, education, rf 3, 4, 5} = 5 -> 5/24; E brings nothing: 0.
# cross_border: declared ties A-B (BA-RS), B-C (RS-RS), D-E (MK-MK): m = 3,
#   degree sums D_BA = 1, D_RS = 3, D_MK = 2. BA-RS: 1 tie, expected 1 * 3 / 6 = 0.5 (ratio 2,
#   no gap) -> 0.5. BA-MK: 0 ties, but expected only 1 * 2 / 6 = 0.33, under the one tie a gap
#   needs -> no gap -> 0.5 (D and E). RS-MK: 0 ties, expected 3 * 2 / 6 = 1 -> missing.
# bridging: the clusters are Louvain's on the declared ties, counted: A - B - C and D - E,
#   m = 3, degrees A1 B2 C1 D1 E1: {A, B, C} {D, E} has modularity (2/3 - (4/6)^2) +
#   (1/3 - (2/6)^2) = 0.444, against 0.278 for {A, B} {C} {D, E}. Collaborated layer: blocks
#   {A, B}, {B, C}, {D, E}; the core of {A, B, C} is {A, B} (first of the largest), C hangs
#   from cut point B. A-C: same community, relieves B (A is in C's component, outside its
#   piece, not B) -> 0.5. A-D, A-E: different communities, nobody depends on a cut point
#   -> 0.75.
# language: BA and RS are both BCMS -> 1; BA-MK South Slavic groups -> 0.5.
HAND = {
    "C": {"proximity": 1 / (1 + math.log(2)), "met_before": 0.0, "thematic_fit": 0.5,
          "complementarity": 1 / 12, "cross_border": 0.5, "bridging": 0.5, "language": 1.0},
    "D": {"proximity": 0.0, "met_before": 0.5, "thematic_fit": 0.0,
          "complementarity": 5 / 24, "cross_border": 0.5, "bridging": 0.75, "language": 0.5},
    "E": {"proximity": 0.0, "met_before": 0.0, "thematic_fit": 1.0,
          "complementarity": 0.0, "cross_border": 0.5, "bridging": 0.75, "language": 0.5},
}
# balanced weights (docs/recommend.md): .30 .30 .10 .10 .10 .05 .05, sum 1
BALANCED = {"proximity": 0.30, "met_before": 0.30, "thematic_fit": 0.10,
            "complementarity": 0.10, "cross_border": 0.10, "bridging": 0.05, "language": 0.05}
# A-C: .3 * 0.590616 + .1 * .5 + .1 / 12 + .1 * .5 + .05 * .5 + .05 * 1 = 0.360518
# A-D: .3 * .5 + .1 * 5/24 + .1 * .5 + .05 * .75 + .05 * .5 = 0.15 + 0.020833 + 0.05 + 0.0375
#      + 0.025 = 0.283333
# A-E: .1 * 1 + .1 * .5 + .05 * .75 + .05 * .5 = 0.2125
HAND_SCORE = {"C": 0.360518, "D": 0.283333, "E": 0.2125}


def test_structure_behind_the_hand_values(five):
    # the communities, cut point and gaps the hand calculation above relies on
    _, f = five
    i = f.index
    assert f.community[i["A"]] == f.community[i["B"]] == f.community[i["C"]]
    assert f.community[i["D"]] == f.community[i["E"]] != f.community[i["A"]]
    assert [f.orgs[a] if a >= 0 else None for a in f.anchor] == [None, None, "B", None, None]
    assert {k: v for k, v in f.gap_pairs.items() if k[0] < k[1]} == {
        ("MK", "RS"): "missing"}


def test_hand_worked_total_score(five):
    ds, f = five
    i = f.index
    cands = ["C", "D", "E"]
    t = score_pairs(f, [i["A"]] * 3, [i[c] for c in cands], resolve_weights("balanced"))
    for k, cand in enumerate(cands):
        for comp, value in HAND[cand].items():
            # contribution = w * x / sum(w), sum(w) = 1
            expected = BALANCED[comp] * value
            assert t[comp].iloc[k] == pytest.approx(expected, abs=1e-12), (cand, comp)
        assert t["score"].iloc[k] == pytest.approx(HAND_SCORE[cand], abs=1e-6), cand
    # the engine gives A the same numbers, ranked C (0.3605) > D (0.2833) > E (0.2125)
    recs = recommend_for(ds, "A", features=f)
    assert recs["candidate"].tolist() == ["C", "D", "E"]
    assert recs["rank"].tolist() == [1, 2, 3]
    assert recs["score"].tolist() == pytest.approx([0.360518, 0.283333, 0.2125], abs=1e-6)
    for comp in BALANCED:
        expected = [BALANCED[comp] * HAND[cand][comp] for cand in cands]
        assert recs[comp].tolist() == pytest.approx(expected, abs=1e-12), comp


def test_weights_are_divided_by_their_sum(five):
    # every preset sums to 1, so raise language to 1: sum = 1.95.
    # A-D: (.3 * .5 + .1 * 5/24 + .1 * .5 + .05 * .75 + 1 * .5) / 1.95
    #    = (0.15 + 0.0208333 + 0.05 + 0.0375 + 0.5) / 1.95 = 0.7583333 / 1.95 = 0.3888889
    # A-C: (0.360518 - .05 * 1 + 1 * 1) / 1.95 = 1.310518 / 1.95 = 0.6720605
    # (without the division they would be 0.7583 and 1.3105, above 1)
    _, f = five
    i = f.index
    t = score_pairs(f, [i["A"]] * 2, [i["D"], i["C"]], resolve_weights(weights={"language": 1}))
    assert t["score"].tolist() == pytest.approx([0.3888889, 0.6720605], abs=1e-6)
    assert t["language"].tolist() == pytest.approx([0.5 / 1.95, 1 / 1.95])


# --------------------------------------------------------------------------- cross_border


def gap_records():
    """BA and RS triangles joined by one tie; AL tied to BA; an MK pair; ME untied; u1 no country."""
    return {
        "seminars": [],
        "organizations": [
            org("a1", "BA"), org("a2", "BA"), org("a3", "BA"),
            org("r1", "RS"), org("r2", "RS"), org("r3", "RS"),
            org("l1", "AL"), org("k1", "MK"), org("k2", "MK"), org("m1", "ME"),
            org("u1", None),
        ],
        "participants": [], "attendance": [],
        "collaborations": [
            tie("a1", "a2"), tie("a2", "a3"), tie("a1", "a3"),
            tie("r1", "r2"), tie("r2", "r3"), tie("r1", "r3"),
            tie("a1", "r1"), tie("a2", "l1"), tie("k1", "k2"),
        ],
    }


def test_cross_border_follows_the_gap_analysis():
    # declared ties m = 9; degree sums D_BA = 3 + 3 + 2 = 8 (a1: a2 a3 r1, a2: a1 a3 l1,
    # a3: a1 a2), D_RS = 3 + 2 + 2 = 7 (r1 also tied to a1), D_AL = 1, D_MK = 2, D_ME = 0.
    # expected ties between countries x and y: D_x * D_y / (2m) = D_x * D_y / 18
    # A pair is a gap only where at least one tie is expected (facts.MIN_EXPECTED_TIES):
    #   BA-RS: 1 tie, expected 56/18 = 3.11, ratio 0.32 < 0.5          -> thin
    #   BA-AL: 1 tie, expected 8/18 = 0.44                              -> no gap
    #   BA-MK 16/18, RS-MK 14/18, RS-AL 7/18, AL-MK 2/18: 0 ties, but
    #   under one tie expected                                          -> no gap
    #   ME-anything: expected 0 (m1 has no tie at all)                  -> no gap
    f = build_features(dataset_from_records(gap_records()))
    assert {k: v for k, v in f.gap_pairs.items() if k[0] < k[1]} == {("BA", "RS"): "thin"}
    i = f.index
    pairs = [
        ("a1", "a3", 0.0),  # same country
        ("k1", "k2", 0.0),  # same country
        ("a1", "u1", 0.0),  # country unknown
        ("a3", "l1", 0.5),  # BA-AL: ties as expected
        ("a3", "r2", 1.0),  # BA-RS: thin
        ("r3", "k2", 0.5),  # RS-MK: no tie, but under one expected
        ("l1", "k1", 0.5),  # AL-MK: likewise
        # BA-ME: no declared tie between them, yet no gap: ME has no tie at all, so the
        # configuration null expects none (missing_bridges leaves out expected == 0)
        ("a1", "m1", 0.5),
    ]
    got = cross_border(f, [i[a] for a, _, _ in pairs], [i[b] for _, b, _ in pairs])
    assert got.tolist() == [v for _, _, v in pairs]
    # symmetric
    assert cross_border(f, [i["r2"], i["k1"]], [i["a3"], i["r3"]]).tolist() == [1.0, 0.5]


# --------------------------------------------------------------------------- bridging


def cliques_records():
    """Cliques A1-A4 and B1-B4 joined by A1-B1; T hangs from A4; X-Y apart. All BA."""
    ids = ["A1", "A2", "A3", "A4", "B1", "B2", "B3", "B4", "T", "X", "Y"]
    ties = [tie(f"{q}{a}", f"{q}{b}") for q in "AB" for a in range(1, 5) for b in range(a + 1, 5)]
    return {
        "seminars": [], "participants": [], "attendance": [],
        "organizations": [org(o, "BA") for o in ids],
        "collaborations": [*ties, tie("A1", "B1"), tie("A4", "T"), tie("X", "Y")],
    }


def test_bridging_hand_worked():
    # Louvain: two 4-cliques joined by one tie split into the two cliques (the
    # detect_communities docstring example); T's only tie is to A4, so it joins the A clique;
    # X-Y is a separate component, a community of its own.
    # Cut points (collaborated layer): blocks {A1..A4}, {B1..B4}, {A1, B1}, {A4, T}, {X, Y}.
    # Core of the big component: the first largest block, {A1..A4} (ties by smallest member,
    # A1 < B1). Pieces outside it: {B1..B4}, reaching the core only through A1 (anchor A1),
    # and {T}, through A4 (anchor A4). Core nodes and X, Y depend on no cut point.
    # bridging = min(1, 0.75 * [different community] + 0.5 * [relieves]), relieves: one end
    # has an anchor, the other is in the same component, not in its piece (= other anchor),
    # and is not that anchor.
    f = build_features(dataset_from_records(cliques_records()))
    i = f.index
    com = {o: int(f.community[i[o]]) for o in f.orgs}
    assert len({com[o] for o in ("A1", "A2", "A3", "A4", "T")}) == 1
    assert len({com[o] for o in ("B1", "B2", "B3", "B4")}) == 1
    assert len({com[o] for o in ("X", "Y")}) == 1
    assert len({com["A1"], com["B1"], com["X"]}) == 3
    anchors = {o: f.orgs[a] for o, a in zip(f.orgs, f.anchor.tolist(), strict=True) if a >= 0}
    assert anchors == {"B1": "A1", "B2": "A1", "B3": "A1", "B4": "A1", "T": "A4"}
    pairs = [
        ("A2", "A3", 0.0),   # same community, no anchor on either side
        ("B2", "B3", 0.0),   # same community, same piece (both anchor A1)
        ("T", "A4", 0.0),    # same community, the other end is T's cut point itself
        ("A2", "T", 0.5),    # same community, a tie A2-T bypasses A4
        ("T", "A2", 0.5),    # the same, from T's side
        ("A1", "B2", 0.75),  # different community, but A1 is B2's cut point: no relief
        ("T", "X", 0.75),    # different community, other component: no relief
        ("A2", "B2", 1.0),   # different community + bypasses A1: min(1, 1.25)
        ("B2", "T", 1.0),    # different community + different anchors (A1, A4)
    ]
    got = bridging(f, [i[a] for a, _, _ in pairs], [i[b] for _, b, _ in pairs])
    assert dict(zip([(a, b) for a, b, _ in pairs], got.tolist(), strict=True)) == {
        (a, b): v for a, b, v in pairs}


def test_bridging_reason_agrees_with_the_score():
    # The cut-point reason is given exactly where the score counts the relief (0.5 or
    # 1.0 above; 0.75 means different communities only), naming the side that depends on
    # the cut point: T -> X (another component) must not claim to bypass A4.
    f = build_features(dataset_from_records(cliques_records()))
    i = f.index
    cases = {("A2", "T"): "Would give Org T a link that does not depend on Org A4",
             ("T", "A2"): "Would give Org T a link that does not depend on Org A4",
             ("A2", "B2"): "Would give Org B2 a link that does not depend on Org A1",
             ("B2", "T"): "Would give Org B2 a link that does not depend on Org A1",
             ("T", "X"): "Would connect two different clusters of the network",
             ("A1", "B2"): "Would connect two different clusters of the network",
             ("A2", "A3"): None}
    for (a, b), expected in cases.items():
        got = COMPONENTS["bridging"].reason(f, i[a], i[b])
        assert (None if got is None else str(got)) == expected, (a, b)


# --------------------------------------------------------------------------- presets


def presets_records():
    """O and P identical and met twice (all BA); Q covers everything O lacks, nothing else."""
    everything_else = [p for p in vocab.PRACTICES if p != "advocacy"]
    return {
        "seminars": seminars("S1", "S2"),
        "organizations": [
            org("O", "BA", ["human rights"], ["advocacy"], [1]),
            org("P", "BA", ["human rights"], ["advocacy"], [1]),
            org("Q", "BA", [], everything_else, range(2, 15)),
        ],
        **attended([("O", "S1"), ("O", "S2"), ("P", "S1"), ("P", "S2")]),
        "collaborations": [],
    }


def test_coverage_preset_puts_complementary_partner_first():
    # No declared ties (proximity 0, no gaps: cross_border 0 in one country, no cut points).
    # O-P: met twice in one country: min(1, 2/2) * 0.5 = 0.5; thematic 1 (identical);
    #   complementarity 0 (P brings nothing new); the clusters are those of declared
    #   ties, and with none each organization is a cluster of its own -> bridging 0.75;
    #   language 1.
    # O-Q: never met; thematic: O {human rights, advocacy}, Q {11 other practices} -> 0/13;
    #   complementarity: O lacks 24 of 26, Q brings all 24 -> 1; bridging 0.75; language 1.
    # balanced: P = .3 * .5 + .1 * 1 + .05 * .75 + .05 * 1 = 0.3375;
    #           Q = .1 * 1 + .05 * .75 + .05 = 0.1875
    # coverage: P = .15 * .5 + .05 * 1 + .05 * .75 + .05 * 1 = 0.2125;
    #           Q = .5 * 1 + .05 * .75 + .05 = 0.5875
    ds = dataset_from_records(presets_records())
    f = build_features(ds)
    bal = recommend_for(ds, "O", features=f, preset="balanced")
    cov = recommend_for(ds, "O", features=f, preset="coverage")
    assert bal["candidate"].tolist() == ["P", "Q"]
    assert bal["score"].tolist() == pytest.approx([0.3375, 0.1875])
    assert cov["candidate"].tolist() == ["Q", "P"]
    assert cov["score"].tolist() == pytest.approx([0.5875, 0.2125])


# --------------------------------------------------------------------------- pair_neighbourhood


def neighbourhood_records():
    """A - K - B declared (K their common partner), A - D, B - E - H, F - G declared; A and B
    met at S1; Z has no ties. K sorts after D and E on purpose (see max_nodes below)."""
    return {
        "seminars": seminars("S1"),
        "organizations": [org(o, "BA") for o in "ABDEFGHKZ"],
        **attended([("A", "S1"), ("B", "S1")]),
        "collaborations": [tie("A", "K"), tie("K", "B"), tie("A", "D"), tie("B", "E"),
                           tie("E", "H"), tie("F", "G")],
    }


def edges(g):
    return {tuple(sorted(e)) for e in g.edges}


def test_pair_neighbourhood_common_partner():
    col = collaboration_graph(dataset_from_records(neighbourhood_records()))
    # shortest path A-K-B; common neighbour K; other neighbours D (of A), E (of B)
    sub = pair_neighbourhood(col, "A", "B")
    assert set(sub.nodes) == {"A", "B", "K", "D", "E"}
    assert edges(sub) == {("A", "K"), ("B", "K"), ("A", "D"), ("B", "E")}
    assert sub.nodes["K"]["country"] == "BA"  # attributes kept
    # four steps apart: the whole path A-K-B-E-H (B is nobody's neighbour of A or H), then
    # A's other neighbour D; H's only neighbour E is on the path
    sub = pair_neighbourhood(col, "A", "H")
    assert set(sub.nodes) == {"A", "H", "K", "B", "E", "D"}
    assert edges(sub) == {("A", "K"), ("B", "K"), ("B", "E"), ("E", "H"), ("A", "D")}


def test_pair_neighbourhood_shared_seminar_and_common_partner():
    comb = combined_graph(dataset_from_records(neighbourhood_records()))
    # combined layer: A-B is a tie (met at S1), so the path is A-B itself; K is still a
    # common neighbour (declared partner of both); then D and E (not H: two steps from B)
    sub = pair_neighbourhood(comb, "A", "B")
    assert set(sub.nodes) == {"A", "B", "K", "D", "E"}
    assert edges(sub) == {("A", "B"), ("A", "K"), ("B", "K"), ("A", "D"), ("B", "E")}
    ab = sub.edges["A", "B"]
    assert (ab["met"], ab["collaborated"], ab["seminars"]) == (True, False, ("S1",))
    assert sub.edges["A", "K"]["collaborated"] is True
    # at most 4 nodes: A, B, then the common neighbour K before the other neighbours,
    # taken in id order (D before E)
    assert set(pair_neighbourhood(comb, "A", "B", max_nodes=4).nodes) == {"A", "B", "K", "D"}


def test_pair_neighbourhood_not_linked():
    col = collaboration_graph(dataset_from_records(neighbourhood_records()))
    # A and F are in different components: no path, no common neighbour; each one's own
    # neighbours (A: K, D; F: G), and no edge between the two sides
    sub = pair_neighbourhood(col, "A", "F")
    assert set(sub.nodes) == {"A", "F", "K", "D", "G"}
    assert edges(sub) == {("A", "K"), ("A", "D"), ("F", "G")}
    # Z has no tie at all: only Z, F and F's partner G
    sub = pair_neighbourhood(col, "Z", "F")
    assert set(sub.nodes) == {"Z", "F", "G"}
    assert edges(sub) == {("F", "G")}


def test_pair_neighbourhood_takes_each_side_in_turn():
    # a hub with five partners whose ids sort first, and b with two: with room for
    # three more nodes, a's first, b's first, then a's second (not a's first three)
    G = nx.Graph([("hub", f"a{k}") for k in range(1, 6)] + [("b", "z1"), ("b", "z2")])
    assert set(pair_neighbourhood(G, "hub", "b", max_nodes=5).nodes) == {
        "hub", "b", "a1", "z1", "a2"}
    # an organization missing from the graph still shows the other's partners (the
    # missing one takes its place in the count: hub, nobody, a1, a2)
    assert set(pair_neighbourhood(G, "hub", "nobody", max_nodes=4).nodes) == {"hub", "a1", "a2"}
