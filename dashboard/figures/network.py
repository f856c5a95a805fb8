"""Plotly builders for the network explorer and the profile's ego network (no browser needed).

Nodes are WebGL points (``Scattergl``), one trace per colour group so the
legend names the groups; ties are one line trace per kind with ``None``
separators (collaborations across borders, within a country, meetings at a
seminar). Every node trace carries the org ids in ``customdata`` so a click
names the organization. Names, places and groups from the data are drawn
through :func:`dashboard.figures.charts.plot_text` (shortened, markup
escaped). Figures are plain dicts, as :func:`dashboard.figures.charts.figure`
makes them, legend below the plot; colours come from :mod:`dashboard.figures.palette`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Any

import networkx as nx

from cso_network import vocab
from cso_network.network.positions import COUNTRY_CENTROIDS, force_layout
from cso_network.views.explore import edge_kind
from dashboard.figures import palette
from dashboard.figures.charts import Figure, empty_figure, figure, merge_layout, plot_text, trace
from dashboard.i18n import N_, _, country_label, field_label, ngettext

__all__ = ["EDGE_STYLES", "network_figure", "ego_figure", "node_group", "drawn_nodes",
           "node_sizes"]

#: Clusters coloured one by one, the largest first; the others share grey. Black, the
#: palette's last colour, is left out: it would read as the focused organization's
#: near-black ring and ties.
_COLOURED_CLUSTERS = len(palette.PALETTE) - 1

#: Edge trace names and their line styles, drawn in this order (lightest first).
EDGE_STYLES: dict[str, dict[str, Any]] = {
    N_("met at a seminar"): {"color": palette.EDGE_MET, "width": 0.7},
    N_("collaborated, same country"): {"color": palette.EDGE_SAME_COUNTRY, "width": 1.0},
    N_("collaborated, across borders"): {"color": palette.EDGE_ACROSS_BORDERS, "width": 1.6},
}
_FOCUS_EDGE = {"color": palette.INK, "width": 2.6}


def node_group(data: Mapping[str, Any], colour_by: str, broker: Mapping[str, Any] | None = None
               ) -> tuple[str, str]:
    """(legend label, colour) of one organization under ``colour_by`` (country, community, field)."""
    if colour_by == "community":
        community = (broker or {}).get("community")
        if community is None:
            return "no cluster", palette.OTHER
        if int(community) < _COLOURED_CLUSTERS:
            return f"cluster {community}", palette.colour(int(community))
        return "smaller clusters", palette.OTHER
    if colour_by == "field":
        fields = list(data.get("fields") or ())
        if not fields:
            return "no field recorded", palette.OTHER
        first = fields[0]
        index = vocab.FIELDS.index(first) if first in vocab.FIELDS else None
        return first, palette.colour(index) if index is not None else palette.OTHER
    code = data.get("country") or "?"
    return code, palette.country_colour(code)


def node_sizes(G: nx.Graph, nodes: list, size_by: str,
               brokers: Mapping[str, Mapping[str, Any]] | None = None) -> list[float]:
    """Marker sizes (6-26 px) by degree in ``G`` or by betweenness (square-root scale)."""
    if size_by == "betweenness":
        values = [float((brokers or {}).get(n, {}).get("betweenness") or 0.0) for n in nodes]
    else:
        values = [float(G.degree(n)) for n in nodes]
    top = max(values, default=0.0)
    if top <= 0:
        return [9.0] * len(nodes)
    return [round(6 + 20 * math.sqrt(v / top), 2) for v in values]


def _edge_name(G: nx.Graph, u, v, data: Mapping[str, Any], layer: str) -> str:
    if edge_kind(data, layer) == "met":
        return "met at a seminar"
    same = G.nodes[u].get("country") == G.nodes[v].get("country")
    return "collaborated, same country" if same else "collaborated, across borders"


def drawn_nodes(fig: Figure) -> list:
    """The org ids drawn as nodes in a figure built by :func:`network_figure`."""
    return [n for t in fig["data"] if (t.get("meta") or {}).get("role") == "nodes"
            for n in t["customdata"]]


def _hover(n, d: Mapping[str, Any], degree: int) -> str:
    fields = ", ".join(plot_text(field_label(f)) for f in d.get("fields") or ()) or "–"
    place = ", ".join(plot_text(p) for p in (d.get("city"), d.get("country")) if p)
    ties = ngettext("{n} tie shown", "{n} ties shown", degree).format(n=degree)
    return f"<b>{plot_text(d.get('name') or n)}</b><br>{plot_text(n)} · {place}<br>{fields}<br>{ties}"


def network_figure(
    G: nx.Graph,
    pos: Mapping[Any, tuple[float, float]],
    *,
    layer: str,
    edges: Iterable[tuple[Any, Any, dict]] | None = None,
    colour_by: str = "country",
    size_by: str = "degree",
    brokers: Mapping[str, Mapping[str, Any]] | None = None,
    focus: Any = None,
    geographic: bool = False,
    title: str = "",
    layout: Mapping[str, Any] | None = None,
) -> Figure:
    """The organization network as a plain plotly figure dict.

    Parameters
    ----------
    G : networkx.Graph
        The (filtered) layer to draw: its nodes all appear.
    pos : mapping
        node -> (x, y), e.g. from :func:`cso_network.views.explore.cached_layout`.
    layer : str
        ``met``, ``collaborated`` or ``combined`` (how ties are named).
    edges : iterable of (u, v, data), optional
        The ties to draw (default all of ``G``'s; pass
        :func:`cso_network.views.explore.thin_edges` output for large graphs).
    colour_by : {"country", "community", "field"}
    size_by : {"degree", "betweenness"}
    brokers : mapping, optional
        org id -> broker record of :meth:`Workspace.analysis` (community, betweenness).
    focus : org id, optional
        Drawn large and labelled; its neighbours stay bright, the others fade.
    geographic : bool
        Draw country labels at their centroids and keep the map's proportions.
    """
    if G.number_of_nodes() == 0:
        return empty_figure(_("No organization matches these filters; widen them."))
    brokers = brokers or {}
    edges = list(G.edges(data=True) if edges is None else edges)
    focus = focus if focus in G else None
    near = set(G[focus]) | {focus} if focus is not None else set()
    traces: list = []

    lines: dict[str, tuple[list, list]] = {name: ([], []) for name in EDGE_STYLES}
    focus_lines: tuple[list, list] = ([], [])
    for u, v, d in edges:
        if u not in pos or v not in pos:
            continue
        xs, ys = focus_lines if focus is not None and focus in (u, v) else \
            lines[_edge_name(G, u, v, d, layer)]
        xs += [pos[u][0], pos[v][0], None]
        ys += [pos[u][1], pos[v][1], None]
    for name, style in EDGE_STYLES.items():
        xs, ys = lines[name]
        if xs:
            traces.append(trace("scattergl", x=xs, y=ys, mode="lines", name=_(name), line=style,
                                       hoverinfo="skip", meta={"role": "edges", "kind": name}))
    if focus_lines[0]:
        traces.append(trace("scattergl", x=focus_lines[0], y=focus_lines[1], mode="lines",
                                   name=_("ties of the focused organization"), line=_FOCUS_EDGE,
                                   hoverinfo="skip", meta={"role": "edges", "kind": "focus"}))

    if geographic:
        present = sorted({d.get("country") for _node, d in G.nodes(data=True)} & set(COUNTRY_CENTROIDS))
        traces.append(trace("scatter",
            x=[COUNTRY_CENTROIDS[c][0] for c in present],
            y=[COUNTRY_CENTROIDS[c][1] + 0.55 for c in present],
            text=[plot_text(country_label(c)) for c in present], mode="text",
            textfont={"size": 15, "color": palette.LABEL}, hoverinfo="skip",
            showlegend=False, name="countries", meta={"role": "labels"}))

    nodes = [n for n in G.nodes if n in pos]
    sizes = dict(zip(nodes, node_sizes(G, nodes, size_by, brokers), strict=True))
    degree = dict(G.degree(nodes)) if not edges or len(edges) == G.number_of_edges() else {}
    if not degree:
        degree = dict.fromkeys(nodes, 0)
        for u, v, _data in edges:
            degree[u] = degree.get(u, 0) + 1
            degree[v] = degree.get(v, 0) + 1
    groups: dict[str, dict[str, Any]] = {}
    for n in nodes:
        label, colour = node_group(G.nodes[n], colour_by, brokers.get(n))
        g = groups.setdefault(label, {"colour": colour, "nodes": []})
        g["nodes"].append(n)
    order = sorted(groups, key=lambda k: (k.startswith(("no ", "smaller")), _group_key(k, colour_by)))
    for label in order:
        members = groups[label]["nodes"]
        opacity = [1.0 if not near or n in near else 0.25 for n in members]
        traces.append(trace("scattergl",
            x=[pos[n][0] for n in members], y=[pos[n][1] for n in members], mode="markers",
            name=_group_name(label, colour_by),
            customdata=members,
            hovertext=[_hover(n, G.nodes[n], degree.get(n, 0)) for n in members],
            hovertemplate="%{hovertext}<extra></extra>",
            marker={"size": [sizes[n] for n in members], "color": groups[label]["colour"],
                    "opacity": opacity, "line": {"width": 0.8, "color": palette.PAPER}},
            meta={"role": "nodes", "group": plot_text(label)},
        ))
    if focus is not None:
        d = G.nodes[focus]
        traces.append(trace("scatter",
            x=[pos[focus][0]], y=[pos[focus][1]], mode="markers+text",
            text=[plot_text(d.get("name") or focus)], textposition="top center",
            textfont={"size": 14, "color": palette.INK}, customdata=[focus],
            hovertext=[_hover(focus, d, degree.get(focus, 0))],
            hovertemplate="%{hovertext}<extra></extra>", name=_("focused organization"),
            marker={"size": max(sizes[focus] + 8, 22), "color": node_group(d, colour_by,
                                                                          brokers.get(focus))[1],
                    "line": {"width": 3, "color": palette.INK}, "symbol": "circle"},
            meta={"role": "focus"}, showlegend=False,
        ))

    yaxis: dict[str, Any] = {"visible": False}
    if geographic:
        yaxis.update(scaleanchor="x", scaleratio=1 / math.cos(math.radians(43.5)))
    look = {
        # Without a title, the top margin is the mode bar's row, off the drawing.
        "xaxis": {"visible": False}, "yaxis": yaxis, "margin": {"t": 50 if title else 34},
        "height": 640, "hovermode": "closest",
        "legend": {"itemsizing": "constant", "title": {"text": _legend_title(colour_by)}},
        "dragmode": "pan", "uirevision": "network", "clickmode": "event",
    }
    return figure(traces, title, **merge_layout(look, dict(layout or {})))


def _group_key(label: str, colour_by: str):
    if colour_by == "country":
        return (vocab.REGION.index(label) if label in vocab.REGION else 99, label)
    if colour_by == "field":
        return (vocab.FIELDS.index(label) if label in vocab.FIELDS else 99, label)
    digits = "".join(ch for ch in label if ch.isdigit())
    return (int(digits) if digits else 99, label)


def _group_name(label: str, colour_by: str) -> str:
    """The legend name of a node group, in the reader's language (data text escaped)."""
    if colour_by == "country":
        return plot_text(f"{country_label(label)} ({label})" if label in COUNTRY_CENTROIDS
                         else label)
    if colour_by == "field":
        return _("no field recorded") if label == "no field recorded" \
            else plot_text(field_label(label))
    if label.startswith("cluster "):
        return _("cluster {n}").format(n=label.split(" ", 1)[1])
    return _(label) if label in ("no cluster", "smaller clusters") else plot_text(label)


#: Group labels made by :func:`node_group`, translated by :func:`_group_name`.
_GROUP_MESSAGES = (N_("no field recorded"), N_("no cluster"), N_("smaller clusters"))


def _legend_title(colour_by: str) -> str:
    return {"country": _("Country"), "community": _("Cluster"),
            "field": _("Main field")}.get(colour_by, "")


def ego_figure(G: nx.Graph, org_id: Any, pos: Mapping[Any, tuple[float, float]] | None = None,
               *, layer: str = "combined") -> Figure:
    """An organization with its direct ties (and the ties among its neighbours).

    ``pos`` None lays the ego network out on its own (seeded force layout),
    which reads better than the whole network's map, where an
    organization's partners from one country sit on top of each other.
    Between two neighbours only declared collaborations are drawn: in the
    combined layer everyone who attended one seminar is tied to everyone
    else there, and those cliques would hide the organization's own ties.
    """
    if org_id not in G:
        return empty_figure(_("Not in the network"))
    ego = G.subgraph([org_id, *G[org_id]])
    if ego.number_of_nodes() == 1:
        return empty_figure(_("No ties yet"))
    edges = [(u, v, d) for u, v, d in ego.edges(data=True)
             if org_id in (u, v) or edge_kind(d, layer) == "collaborated"]
    if pos is None:
        pos = force_layout(ego.edge_subgraph((u, v) for u, v, _ in edges).copy(), seed=0)
    return network_figure(ego, pos, layer=layer, edges=edges, focus=org_id, layout={
        "height": 380, "showlegend": True})
