"""The page for an address no page answers: says so in the reader's language and offers the pages.

Dash shows the page registered from a module named ``not_found_404`` for
any path without a page of its own.
"""

from __future__ import annotations

import dash
from dash import dcc, html

from dashboard.i18n import N_, _
from dashboard.state import is_public

dash.register_page(__name__, path="/404", name=N_("Page not found"), nav=False, order=100,
                   title=lambda **_kw: _("Page not found") + " · cso-network")


def layout(**_query) -> html.Div:
    """The heading, one sentence, and a link to each page of the navigation."""
    public = is_public()
    links = []
    for page in dash.page_registry.values():
        if page.get("nav", True) and not (public and page.get("staff")):
            name = page["name"]  # registered in English (N_), translated here
            links.append(html.Li(dcc.Link(_(name), href=page["relative_path"])))
    return html.Div(
        [
            html.H1(_("Page not found")),
            html.Div([html.P(_("There is no page at this address. It may be mistyped, or the "
                               "link may be out of date. These are the dashboard's pages:"),
                             className="lead"),
                      html.Ul(links)],
                     className="card"),
        ],
        id="not-found",
    )
