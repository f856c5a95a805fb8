"""One organization's profile: who it is, whom it works with, its place in the network, whom to meet.

Everything comes from the library (:func:`cso_network.views.explore.org_profile`,
:meth:`Workspace.suggestions`, :meth:`Workspace.introduction_paths`); people
only as :func:`cso_network.access.privacy.public_participants` allows. Names in
lists, links and the ties figure are shortened for display
(:func:`dashboard.components.shorten`); the id from the URL and the search
text are read as untrusted (:class:`dashboard.components.Untrusted`).
"""

from __future__ import annotations

import dash
from dash import Input, Output, callback, dcc, html

from cso_network.core.exceptions import CsoNetworkError
from cso_network.core.messages import reason
from cso_network.views import explore
from cso_network.views.search import MAX_QUERY_CHARS, find_organizations
from dashboard.components import Untrusted, cell, person_items, shorten, table_scroll
from dashboard.figures import ego_figure
from dashboard.i18n import (
    N_,
    _,
    country_label,
    field_label,
    ngettext,
    practice_label,
    risk_factor_label,
    say,
)
from dashboard.state import current_workspace

dash.register_page(__name__, path_template="/org/<org_id>", name=N_("Organization"),
                   title=lambda **_kw: _("Organization") + " · cso-network", order=99, nav=False)


def _field(label: str, value) -> html.P:
    if isinstance(value, (list, tuple)):
        value = ", ".join(str(v) for v in value)
    return html.P([html.Strong(f"{label}: "), value or "–"])


def _not_found(org_id: str | None) -> html.Div:
    return html.Div(
        [
            html.H1(_("Organization not found")),
            html.Div(
                [
                    html.P(_("There is no organization with the id “{org}” in this workspace. "
                             "Search for it by name:").format(org=shorten(org_id)),
                           className="lead"),
                    html.Label(_("Name or id (any script)"), htmlFor="org-search"),
                    dcc.Input(id="org-search", type="search", debounce=0.3, className="text-input",
                              maxLength=MAX_QUERY_CHARS,
                              placeholder=_("e.g. Most, Мост, ORG-011")),
                    html.Ul(id="org-search-results"),
                    html.P(dcc.Link(_("All organizations"), href="/organizations")),
                ],
                className="card", id="org-not-found",
            ),
        ]
    )


def _people(people: dict) -> html.Div:
    items = person_items(people)
    return html.Ul(items) if items else html.P(_("No participants recorded."), className="muted")


def _suggestions(ws, org_id: str) -> html.Div:
    try:
        recs = ws.suggestions(org_id, top=5)
    except CsoNetworkError as exc:
        return html.P(_("No suggestions: {reason}").format(reason=say(reason(exc))),
                      className="muted")
    if not recs:
        return html.P(_("No suggestions yet."), className="muted", id="org-suggestions")
    return html.Ol(
        [html.Li([dcc.Link(shorten(r["name"]), href=f"/org/{r['partner_id']}"),
                  html.Span(" (" + r["country"] + ", "
                            + _("score {score}").format(score=f"{r['score']:.2f}") + ") — "
                            + "; ".join(say(x) for x in r["reasons"][:2]), className="muted")])
         for r in recs],
        id="org-suggestions",
    )


def layout(org_id: str | None = None, **_query) -> html.Div:
    """The profile of ``org_id`` (or a 'not found' page with a search box)."""
    org_id = Untrusted().text("org_id", org_id)
    ws = current_workspace()
    profile = explore.org_profile(ws, org_id) if org_id and not ws.is_empty() else None
    if profile is None:
        return _not_found(org_id)
    path = ws.introduction_paths().get(org_id)
    collab_rows = [html.Tr([html.Td(dcc.Link(shorten(c["name"] or c["org_id"]),
                                             href=f"/org/{c['org_id']}")),
                            cell(c["country"]), html.Td(c["kind"] or "–"),
                            cell(c["since"] or "–"), html.Td(c["source"] or "–")])
                   for c in profile["collaborations"]]
    collabs = table_scroll(html.Table(
        [html.Thead(html.Tr([html.Th(h, scope="col") for h in
                             (_("partner"), _("country"), _("kind"), _("since"), _("source"))])),
         html.Tbody(collab_rows)], className="table", id="org-collaborations",
    )) if collab_rows else html.P(_("No declared collaborations yet."), className="muted")
    G = ws.graph("combined")
    place = ", ".join(p for p in (profile["city"], country_label(profile["country"])) if p)
    return html.Div(
        [
            html.H1(profile["name"], id="org-name"),
            html.P(f"{org_id} · {place}" + (f" · {profile['type']}" if profile["type"] else ""),
                   className="muted"),
            html.Div(
                [
                    html.Div([
                        html.H2(_("Work")),
                        _field(_("Fields"), [field_label(x) for x in profile["fields"]]),
                        _field(_("Practices"), [practice_label(x) for x in profile["practices"]]),
                        _field(_("UN risk factors"), [risk_factor_label(n, numbered=True)
                                                      for n in profile["risk_factors"]]),
                        html.H2(_("People")), _people(profile["people"]),
                        html.H2(_("Seminars attended")),
                        html.Ul([html.Li(f"{s['seminar_id']} ({s['city'] or '–'}, "
                                         f"{s['start_date'] or _('undated')})")
                                 for s in profile["seminars"]]) if profile["seminars"]
                        else html.P(_("None recorded."), className="muted"),
                    ], className="card"),
                    html.Div([
                        html.H2(_("Its place in the network")),
                        html.Ul([html.Li(say(s)) for s in profile["position"]], id="org-position"),
                        html.P(ngettext(
                            "Met {n} organization at seminars or through collaborations.",
                            "Met {n} organizations at seminars or through collaborations.",
                            profile["met"]).format(n=profile["met"]), className="muted"),
                        html.H2(_("Introduction to UNOGP")),
                        html.P(say(path.sentence) if path is not None else
                               _("No path to an organization UNOGP works with yet."),
                               id="org-intro-path"),
                        html.H2(_("UNOGP engagements")),
                        html.Ul([html.Li(" · ".join(str(v) for v in (e["date"], e["kind"], e["note"])
                                                    if v)) for e in profile["engagements"]])
                        if profile["engagements"] else html.P(_("None recorded."),
                                                              className="muted"),
                    ], className="card"),
                ],
                className="grid-2",
            ),
            html.Div([html.H2(_("Collaborations")), collabs], className="card"),
            html.Div(
                [
                    html.Div([html.H2(_("Suggested partners")), _suggestions(ws, org_id),
                              dcc.Link(_("More suggestions and filters"),
                                       href=f"/partners?org={org_id}")], className="card"),
                    html.Div([html.H2(_("Its ties")),
                              dcc.Graph(figure=ego_figure(G, org_id), id="org-ego",
                                        config={"displaylogo": False, "responsive": True,
                                                "toImageButtonOptions": {"format": "png"}}),
                              html.P(_("The organization (ringed) and everyone it met or works "
                                       "with; between those, only declared collaborations are "
                                       "drawn. Dark lines: collaborations across borders."),
                                     className="how-to-read")], className="card"),
                ],
                className="grid-2",
            ),
            html.P([dcc.Link(_("Show it in the network"), href=f"/network?focus={org_id}"), " · ",
                    dcc.Link(_("All organizations"), href="/organizations")]),
        ]
    )


@callback(Output("org-search-results", "children"), Input("org-search", "value"),
          prevent_initial_call=True)
def _search(query):
    query = Untrusted().text("q", query, "", limit=MAX_QUERY_CHARS)
    if not query.strip():
        return []
    hits = find_organizations(current_workspace().dataset, query, limit=10)
    if hits.empty:
        return [html.Li(_("No match."))]
    return [html.Li(dcc.Link(f"{shorten(name)} ({country}, {org})", href=f"/org/{org}"))
            for org, name, country in hits[["org_id", "name", "country"]].itertuples(
                index=False, name=None)]
