"""Organizations: every organization, searchable by name in any script, with links to profiles.

URL and callback values are read with :class:`dashboard.components.Untrusted`:
a crafted one falls back to the default, an over-long search is cut.
"""

from __future__ import annotations

import dash
from dash import Input, Output, callback, dcc, html

from cso_network import vocab
from cso_network.views.search import MAX_QUERY_CHARS, find_organizations
from dashboard.components import Untrusted, cell, no_data_page, shorten
from dashboard.i18n import N_, _, country_label, country_option_label, field_label, ngettext
from dashboard.state import current_workspace

dash.register_page(__name__, path="/organizations", name=N_("Organizations"),
                   title=lambda **_kw: _("Organizations") + " · cso-network", order=5)

LIMIT = 200


def layout(q: str | None = None, country: str | None = None, **_query) -> html.Div:
    """Search box, country filter and the list."""
    ws = current_workspace()
    if ws.is_empty():
        return no_data_page(_("Organizations"), _("No organizations yet"),
                            "organizations-empty")
    countries = vocab.sort_countries(ws.dataset.organizations["country"])
    read = Untrusted()
    q = read.text("q", q, "", limit=MAX_QUERY_CHARS)
    chosen = read.values("country", country, set(countries))
    return html.Div(
        [
            html.H1(_("Organizations")),
            read.notice("organizations-params-notice"),
            html.Div(
                [
                    html.Div([html.Label(_("Name or id (any script)"), htmlFor="organizations-search"),
                              dcc.Input(id="organizations-search", type="search", value=q,
                                        maxLength=MAX_QUERY_CHARS,
                                        debounce=0.3, placeholder=_("e.g. Most, Мост, ORG-011"),
                                        className="text-input")], className="grow wide"),
                    html.Div([html.Label(_("Countries"), htmlFor="organizations-country"),
                              dcc.Dropdown([{"label": country_option_label(c), "value": c}
                                            for c in countries],
                                           value=chosen,
                                           multi=True, id="organizations-country",
                                           placeholder=_("Any"))], className="grow"),
                ],
                className="controls card",
            ),
            html.P(id="organizations-count", className="how-to-read", role="status"),
            html.Div(id="organizations-list", className="card table-scroll"),
        ]
    )


@callback(Output("organizations-list", "children"), Output("organizations-count", "children"),
          Input("organizations-search", "value"), Input("organizations-country", "value"))
def _list(query, countries):
    ws = current_workspace()
    orgs = ws.dataset.organizations
    read = Untrusted()
    query = read.text("q", query, "", limit=MAX_QUERY_CHARS)
    countries = read.values("country", countries)
    if query.strip():  # best match first
        ids = find_organizations(ws.dataset, query, limit=len(orgs))["org_id"]
    else:
        ids = orgs.sort_values("name")["org_id"]
    found = [ws.organization(org_id) for org_id in ids]
    if countries:
        found = [org for org in found if org["country"] in countries]
    total = len(found)
    rows = [
        html.Tr([html.Td(dcc.Link(shorten(org["name"]), href=f"/org/{org['org_id']}")),
                 cell(org["org_id"]),
                 html.Td(f"{country_label(org['country'])} ({org['country']})"),
                 html.Td(shorten(org["city"]) or "–"),
                 html.Td(", ".join(field_label(x) for x in org["fields"] or ()) or "–")])
        for org in found[:LIMIT]
    ]
    if not rows:
        return (html.P(_("No organization matches; try fewer letters or another country."),
                       id="organizations-none"),
                ngettext("{n} organization", "{n} organizations", 0).format(n=0))
    table = html.Table(
        [html.Thead(html.Tr([html.Th(c, scope="col") for c in
                             (_("name"), _("id"), _("country"), _("city"), _("fields"))])),
         html.Tbody(rows)],
        className="table", id="organizations-table")
    shown = ngettext("{n} organization", "{n} organizations", total).format(n=f"{total:,}") + (
        ", " + _("first {limit} shown: narrow the search").format(limit=LIMIT)
        if total > LIMIT else "")
    return table, shown
