"""Positions of organizations for network pictures: a schematic map and a force layout.

Computed here, in the library, so the dashboard caches them per workspace
version instead of laying out in the browser on every callback.

The geographic layout places each organization at its city (when the city is
one of the region's main cities) or its country's centroid, and spreads
organizations sharing a place on a sunflower spiral (golden angle) so none
overlap; positions are longitude/latitude-like numbers for a schematic map
drawn without map tiles (which would need the network).
"""

from __future__ import annotations

import math

import networkx as nx
import numpy as np

from cso_network.core.text import fold

__all__ = ["COUNTRY_CENTROIDS", "CITY_COORDINATES", "geographic_layout", "force_layout",
           "fruchterman_reingold", "place_of", "DENSE_LIMIT"]

#: Approximate centroids (longitude, latitude) of the region's countries.
COUNTRY_CENTROIDS: dict[str, tuple[float, float]] = {
    "BA": (17.8, 44.2),
    "ME": (19.3, 42.8),
    "MK": (21.7, 41.6),
    "RS": (20.8, 44.0),
    "HR": (16.0, 45.4),
    "SI": (14.8, 46.1),
    "AL": (20.0, 41.1),
    "XK": (20.9, 42.6),
}

#: Main cities (longitude, latitude), keyed by their folded name in any script.
CITY_COORDINATES: dict[str, tuple[float, float]] = {
    fold(name): xy
    for names, xy in (
        (("Sarajevo",), (18.41, 43.86)),
        (("Banja Luka",), (17.19, 44.77)),
        (("Mostar",), (17.81, 43.34)),
        (("Tuzla",), (18.67, 44.54)),
        (("Zenica",), (17.91, 44.20)),
        (("Bihać", "Bihac"), (15.87, 44.82)),
        (("Prijedor",), (16.71, 44.98)),
        (("Srebrenica",), (19.30, 44.10)),
        (("Podgorica",), (19.26, 42.44)),
        (("Budva",), (18.84, 42.29)),
        (("Nikšić", "Niksic"), (18.94, 42.77)),
        (("Bar",), (19.10, 42.09)),
        (("Skopje", "Shkup", "Shkupi"), (21.43, 42.00)),
        (("Bitola",), (21.33, 41.03)),
        (("Tetovo",), (20.97, 42.01)),
        (("Kumanovo", "Kumanovë"), (21.71, 42.13)),
        (("Gostivar",), (20.91, 41.80)),
        (("Ohrid",), (20.80, 41.12)),
        (("Belgrade", "Beograd"), (20.46, 44.82)),
        (("Novi Sad",), (19.84, 45.27)),
        (("Niš", "Nis"), (21.90, 43.32)),
        (("Kragujevac",), (20.91, 44.01)),
        (("Novi Pazar",), (20.51, 43.14)),
        (("Zagreb",), (15.98, 45.81)),
        (("Split",), (16.44, 43.51)),
        (("Rijeka",), (14.44, 45.33)),
        (("Osijek",), (18.69, 45.55)),
        (("Vukovar",), (19.00, 45.35)),
        (("Ljubljana",), (14.51, 46.06)),
        (("Maribor",), (15.65, 46.55)),
        (("Tirana", "Tiranë"), (19.82, 41.33)),
        (("Shkodër", "Shkodra"), (19.51, 42.07)),
        (("Korçë", "Korca"), (20.78, 40.62)),
        (("Durrës", "Durres"), (19.45, 41.32)),
        (("Pristina", "Prishtina", "Prishtinë", "Priština"), (21.17, 42.66)),
        (("Prizren",), (20.74, 42.21)),
        (("Mitrovica", "Mitrovicë"), (20.87, 42.89)),
        (("Gjakova", "Gjakovë", "Đakovica"), (20.43, 42.38)),
        (("Peja", "Pejë", "Peć"), (20.29, 42.66)),
    )
    for name in names
}

_GOLDEN_ANGLE = math.pi * (3 - math.sqrt(5))


def place_of(city: str | None, country: str | None) -> tuple[float, float] | None:
    """Coordinates of a known city (any script), else of the country's centroid, else None.

    Examples
    --------
    >>> place_of("Скопје", "MK")
    (21.43, 42.0)
    >>> place_of("Somewhere", "ME")
    (19.3, 42.8)
    """
    if city:
        hit = CITY_COORDINATES.get(fold(city))
        if hit is not None:
            return hit
    if country:
        return COUNTRY_CENTROIDS.get(country)
    return None


def _outside_positions(countries: list[str]) -> dict[str, tuple[float, float]]:
    """Countries outside the region go on a row below the map, in sorted order."""
    return {c: (14.5 + 1.6 * i, 39.6) for i, c in enumerate(sorted(countries))}


def geographic_layout(G: nx.Graph, *, spacing: float = 0.07) -> dict:
    """Place organizations on a schematic map of the region.

    Parameters
    ----------
    G : networkx.Graph
        Nodes with ``city`` and ``country`` attributes.
    spacing : float, default 0.07
        Degrees between neighbours on the spiral around a shared place.

    Returns
    -------
    dict
        node -> (x, y): longitude- and latitude-like coordinates. Same graph,
        same positions (nodes sharing a place are spread in sorted order).

    Examples
    --------
    >>> G = nx.Graph()
    >>> G.add_node("a", city="Budva", country="ME")
    >>> G.add_node("b", city=None, country="DE")
    >>> geographic_layout(G)["a"]
    (18.84, 42.29)
    """
    unknown = sorted({d.get("country") or "?" for _, d in G.nodes(data=True)
                      if place_of(d.get("city"), d.get("country")) is None})
    outside = _outside_positions(unknown)
    groups: dict[tuple[float, float], list] = {}
    for node, data in G.nodes(data=True):
        base = place_of(data.get("city"), data.get("country")) or outside[data.get("country") or "?"]
        groups.setdefault(base, []).append(node)
    pos = {}
    for (x0, y0), nodes in groups.items():
        for k, node in enumerate(sorted(nodes, key=str)):
            r = spacing * math.sqrt(k)
            pos[node] = (round(x0 + r * math.cos(k * _GOLDEN_ANGLE), 5),
                         round(y0 + r * math.sin(k * _GOLDEN_ANGLE), 5))
    return pos


#: Largest graph laid out with the dense numpy Fruchterman-Reingold (memory ~ 4 n² bytes per array).
DENSE_LIMIT = 3000


def _scaled(points: np.ndarray) -> np.ndarray:
    """Centre ``points`` and scale them into [-1, 1] (like networkx's ``rescale_layout``)."""
    points = points - points.mean(axis=0)
    extent = float(np.abs(points).max()) if len(points) else 0.0
    return points / extent if extent > 0 else points


def _initial_positions(G: nx.Graph, nodes: list, seed: int) -> np.ndarray:
    """Start from the schematic map (so countries start apart), jittered, scaled to [0, 1]."""
    rng = np.random.default_rng(seed)
    geo = geographic_layout(G)
    start = np.array([geo[n] for n in nodes], dtype=np.float64)
    span = np.ptp(start, axis=0)
    span[span == 0] = 1.0
    start = (start - start.min(axis=0)) / span
    return start + rng.uniform(-0.02, 0.02, size=start.shape)


def fruchterman_reingold(adjacency: np.ndarray, start: np.ndarray, *, iterations: int = 50,
                         k: float | None = None) -> np.ndarray:
    """Vectorized Fruchterman-Reingold on a dense adjacency matrix (float32 arrays).

    Parameters
    ----------
    adjacency : (n, n) array
        Symmetric edge weights (0 = no tie).
    start : (n, 2) array
        Initial positions.
    iterations : int
        Cooling steps; the temperature falls linearly from a tenth of the
        layout's extent to zero.
    k : float, optional
        Optimal distance; default ``1 / sqrt(n)``.

    Returns
    -------
    (n, 2) array of positions (not rescaled).
    """
    n = adjacency.shape[0]
    pos = np.asarray(start, dtype=np.float32).copy()
    if n < 2:
        return pos
    a = np.asarray(adjacency, dtype=np.float32)
    k = np.float32(k if k is not None else 1.0 / math.sqrt(n))
    k2 = np.float32(k * k)
    t = 0.1 * max(float(np.ptp(pos[:, 0])), float(np.ptp(pos[:, 1])), 1e-3)
    dt = t / (iterations + 1)
    for _ in range(iterations):
        dx = pos[:, 0, None] - pos[None, :, 0]
        dy = pos[:, 1, None] - pos[None, :, 1]
        dist = np.sqrt(dx * dx + dy * dy)
        np.maximum(dist, np.float32(0.01), out=dist)
        # repulsion k²/d minus attraction a·d²/k, along the unit vector (dx, dy)/d
        force = k2 / (dist * dist) - a * dist / k
        disp = np.stack([(dx * force).sum(axis=1), (dy * force).sum(axis=1)], axis=1)
        length = np.sqrt((disp * disp).sum(axis=1))
        length[length < 0.01] = 0.1
        pos += disp * (np.float32(t) / length)[:, None]
        t -= dt
    return pos


def force_layout(G: nx.Graph, *, seed: int = 0, iterations: int = 50, weight: str | None = "weight") -> dict:
    """A force-directed layout (Fruchterman-Reingold), seeded and reproducible.

    Up to :data:`DENSE_LIMIT` organizations this is a vectorized numpy
    Fruchterman-Reingold started from the schematic map (countries start
    apart, so fewer iterations untangle it): about 1 s for 2,000
    organizations, where networkx's sparse ``spring_layout`` takes about 10 s.
    Larger graphs fall back to networkx.

    Returns
    -------
    dict
        node -> (x, y) in [-1, 1]; isolates are spread like the rest.
    """
    n = G.number_of_nodes()
    if n == 0:
        return {}
    if n > DENSE_LIMIT:
        raw = nx.spring_layout(G, seed=seed, iterations=iterations, weight=weight)
        return {node: (float(x), float(y)) for node, (x, y) in raw.items()}
    nodes = list(G.nodes)
    adjacency = nx.to_numpy_array(G, nodelist=nodes, weight=weight, dtype=np.float32)
    if weight is not None and adjacency.size:
        top = float(adjacency.max())
        if top > 0:
            adjacency /= top  # strongest tie pulls with weight 1
    pos = _scaled(fruchterman_reingold(adjacency, _initial_positions(G, nodes, seed),
                                       iterations=iterations).astype(np.float64))
    return {node: (round(float(x), 6), round(float(y), 6)) for node, (x, y) in zip(nodes, pos, strict=True)}
