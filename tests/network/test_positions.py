"""Layouts: organizations at their city or country, never on top of each other, reproducible."""

from __future__ import annotations

import itertools

import networkx as nx

from cso_network.network.positions import (
    COUNTRY_CENTROIDS,
    force_layout,
    geographic_layout,
    place_of,
)


def test_known_city_in_any_script_and_country_fallback():
    assert place_of("Beograd", "RS") == place_of("Београд", "RS") == place_of("Belgrade", None)
    assert place_of("Nowhere", "XK") == COUNTRY_CENTROIDS["XK"]
    assert place_of(None, "DE") is None


def test_geographic_layout_spreads_orgs_sharing_a_place():
    G = nx.Graph()
    for i in range(30):
        G.add_node(f"o{i:02d}", city="Sarajevo", country="BA")
    G.add_node("x", city=None, country="DE")
    pos = geographic_layout(G)
    assert pos["o00"] == (18.41, 43.86)  # the first sits on the city itself
    points = [pos[f"o{i:02d}"] for i in range(30)]
    gaps = [((a[0] - b[0]) ** 2 + (a[1] - b[1]) ** 2) ** 0.5
            for a, b in itertools.combinations(points, 2)]
    assert min(gaps) > 0.05  # no two overlap
    assert max(abs(p[0] - 18.41) for p in points) < 0.5  # and they stay near Sarajevo
    assert pos["x"][1] < 40  # outside the region: a row below the map


def test_layouts_are_reproducible():
    G = nx.karate_club_graph()
    nx.set_node_attributes(G, "ME", "country")
    assert geographic_layout(G) == geographic_layout(G.copy())
    assert force_layout(G, seed=3) == force_layout(G, seed=3)
    assert force_layout(nx.Graph()) == {}
