"""Reusable layout pieces: figure cards, headline numbers, empty states."""

from __future__ import annotations

from dash import dcc, html

from dashboard.i18n import _

__all__ = ["stat_card", "figure_card", "empty_state", "simple_table"]


def stat_card(label: str, value: int, component_id: str) -> html.Div:
    """A headline number with its label."""
    return html.Div(
        [html.Div(f"{value:,}", className="stat-value", id=component_id),
         html.Div(label, className="stat-label")],
        className="stat-card",
    )


def figure_card(figure, how_to_read: str, component_id: str) -> html.Div:
    """A figure with its one-line 'how to read this'.

    The graph fills its card's width and follows window resizes; its height
    is the figure's own (``responsive=True`` would otherwise drop it).
    """
    height = figure.layout.height or 340
    return html.Div(
        [dcc.Graph(figure=figure, id=component_id, responsive=True,
                   style={"height": f"{height}px"},
                   config={"displaylogo": False, "displayModeBar": "hover",
                           "toImageButtonOptions": {"format": "png"}}),
         html.P(how_to_read, className="how-to-read")],
        className="card",
    )


def empty_state(title: str, steps: list[str], component_id: str) -> html.Div:
    """What to do when there is no data yet."""
    return html.Div(
        [html.H2(title), html.Ol([html.Li(html.Code(s) if s.startswith("cso-network") else s)
                                  for s in steps])],
        className="card empty-state",
        id=component_id,
    )


def simple_table(records: list[dict], component_id: str, headers: dict[str, str] | None = None
                 ) -> html.Table:
    """A plain, accessible HTML table from a list of dicts (column order from the first row).

    ``headers`` maps a column key to the header shown (already translated); keys
    without one show with underscores as spaces.
    """
    headers = headers or {}
    if not records:
        return html.P(_("Nothing to show."), id=component_id)
    columns = list(records[0])
    return html.Table(
        [html.Thead(html.Tr([html.Th(headers.get(c, c.replace("_", " ")), scope="col") for c in columns])),
         html.Tbody([html.Tr([html.Td("–" if r[c] is None else r[c]) for c in columns])
                     for r in records])],
        id=component_id,
        className="table",
    )
