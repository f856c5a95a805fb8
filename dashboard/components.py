"""Reusable layout pieces: figure cards, headline numbers, empty states."""

from __future__ import annotations

from dash import dcc, html

from dashboard.i18n import _

__all__ = ["stat_card", "figure_card", "empty_state", "no_data_page", "person_items",
           "simple_table", "sync_url"]


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


def no_data_page(heading: str, message: str, component_id: str) -> html.Div:
    """A page's heading and the two ways to get data, for a workspace with none."""
    return html.Div([html.H1(heading),
                     empty_state(message, ["cso-network import FILE.xlsx",
                                           _("Or load the synthetic demo: cso-network init --demo")],
                                 component_id)])


def person_items(people: dict) -> list[html.Li]:
    """One line per participant of :func:`cso_network.privacy.public_participants`'s ``listed``.

    Name, role, e-mail and phone, skipping what is missing; the e-mail and phone
    are there only when the person agreed to be contacted (the privacy module
    decides, not the page).
    """
    return [html.Li(" · ".join(str(v) for v in (p["full_name"], p["role"], p["email"], p["phone"])
                               if v)) for p in people["listed"]]


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


_URL_SYNC_JS = """
function(query) {
    var path = __PATH__;
    var url = path + (query || "");
    if (window.location.pathname.endsWith(path) &&
            window.location.pathname + window.location.search !== url) {
        window.history.replaceState(window.history.state, "", url);
    }
    return url;
}
"""


def sync_url(path: str, query_store: str, link: str) -> None:
    """Keep the address bar (and a "link to this view") in step with a page's filters.

    The page writes its filters as a query string (``?countries=BA,ME``) into
    the ``dcc.Store`` ``query_store``; this clientside callback puts it in the
    address bar without reloading and in the ``href`` of the ``html.A``
    ``link``, so a view can be shared. Call once per page, at import.
    """
    import json

    from dash import Input, Output, clientside_callback

    clientside_callback(_URL_SYNC_JS.replace("__PATH__", json.dumps(path)),
                        Output(link, "href"), Input(query_store, "data"))
