"""UNOGP: reliable regional contacts: focal points, missing contacts, introduction paths.

URL and callback values are read with :class:`dashboard.components.Untrusted`:
a crafted one falls back to the default.
"""

from __future__ import annotations

import dash
from dash import Input, Output, callback, dcc, html

from cso_network import vocab
from cso_network.views.search import org_options
from dashboard import figures
from dashboard.components import Untrusted, figure_card, no_data_page, shorten, simple_table
from dashboard.i18n import N_, _, ngettext, say
from dashboard.state import current_workspace

dash.register_page(__name__, path="/unogp", name=N_("UNOGP"),
                   title=lambda **_kw: _("UNOGP contacts") + " · cso-network", order=4)


def _focal_section(k: int | None) -> html.Div:
    ws = current_workspace()
    result = ws.focal_points(k)
    data = result.to_dict()
    # Every coverable cell is either covered by a pick or listed as uncovered.
    coverable = [c for o in data["orgs"] for c in o["cells"]] + data["uncovered_cells"]
    orgs = {o["org_id"]: o for o in data["orgs"]}
    countries = vocab.sort_countries(ws.dataset.organizations["country"])
    yes, no = _("yes"), _("no")
    records = [
        {"#": o["order"], "organization": f"{shorten(o['name'] or o['org_id'])} ({o['org_id']})",
         "country": o["country"], "adds cells": o["new_cells"],
         "UNOGP history": yes if o["engaged"] else no,
         "may be contacted": yes if o["consent"] else no}
        for o in data["orgs"]
    ]
    headers = {"organization": _("organization"), "country": _("country"),
               "adds cells": _("adds cells"), "UNOGP history": _("UNOGP history"),
               "may be contacted": _("may be contacted")}
    sentence = ngettext(
        "{k} organization covers {covered} of the {total} country × risk-factor and "
        "country × field cells that anyone covers ({share}).",
        "{k} organizations together cover {covered} of the {total} country × risk-factor and "
        "country × field cells that anyone covers ({share}).", data["k"]).format(
        k=data["k"], covered=data["covered"], total=data["total"], share=f"{data['coverage']:.0%}")
    return html.Div(
        [
            html.P(sentence, id="unogp-sentence", className="lead"),
            figure_card(figures.focal_grid({o["org_id"]: o["cells"] for o in data["orgs"]},
                                           coverable, orgs, countries),
                        _("Dark blue: covered by a focal point already engaged with UNOGP; "
                          "blue: by a focal point without UNOGP history; pale: only by "
                          "organizations outside the set; white: nobody. Labels are org "
                          "numbers."),
                        "unogp-grid"),
            html.Div([html.H2(_("Focal points, in the order chosen")),
                      simple_table(records, "unogp-focal", headers=headers),
                      html.P(_("Chosen greedily: each adds the most cells not yet covered; among "
                               "near-equals, organizations with UNOGP history, reach across "
                               "borders and contact consent come first."),
                             className="how-to-read")],
                     className="card"),
        ]
    )


def _missing_section() -> html.Div:
    contacts = current_workspace().missing_contacts()
    if contacts.empty:
        body = html.P(_("Every country and risk factor has an organization engaged with UNOGP."),
                      id="unogp-missing")
    else:
        body = html.Ul([html.Li([html.Strong(f"{shorten(r.name)} ({r.org_id}, {r.country}): "),
                                 say(r.reason)])
                        for r in contacts.itertuples()], id="unogp-missing")
    return html.Div([html.H2(_("Contacts UNOGP is missing")), body], className="card")


def layout(org: str | None = None, **_query) -> html.Div:
    """The page for the current workspace."""
    ws = current_workspace()
    if ws.is_empty():
        return no_data_page(_("UNOGP contacts"), _("No data yet"), "unogp-empty")
    n = len(ws.dataset.organizations)
    read = Untrusted()
    # An unknown id stays: the path then says there is no such organization.
    org = read.text("org", org) or None
    return html.Div(
        [
            html.H1(_("UNOGP contacts")),
            read.notice("unogp-params-notice"),
            html.P(_("Which organizations together cover every country and UN risk factor, "
                     "which gaps UNOGP has no contact for, and how any organization can be "
                     "introduced."), className="how-to-read"),
            html.Div([html.Label(_("Number of focal points"), htmlFor="unogp-k"),
                      dcc.Dropdown([{"label": _("As many as needed to cover everything"),
                                     "value": 0}]
                                   + [{"label": str(i), "value": i} for i in range(1, min(n, 30) + 1)],
                                   value=0, clearable=False, id="unogp-k")],
                     className="controls card"),
            dcc.Loading(html.Div(id="unogp-focal-section")),
            _missing_section(),
            html.Div(
                [html.H2(_("Introduce an organization to UNOGP")),
                 dcc.Dropdown(org_options(ws.dataset, shorten=shorten), value=org, id="unogp-org",
                              clearable=False,
                              placeholder=_("Find an organization by name (any script)"),
                              optionHeight=50),
                 html.Div(id="unogp-path", className="path")],
                className="card",
            ),
        ]
    )


@callback(Output("unogp-focal-section", "children"), Input("unogp-k", "value"))
def _focal(k: int) -> html.Div:
    n = len(current_workspace().dataset.organizations)
    return _focal_section(Untrusted().integer("k", k, 0, 0, n) or None)


@callback(Output("unogp-path", "children"), Input("unogp-org", "value"))
def _path(org: str | None):
    org = Untrusted().text("org", org)
    if not org:
        return html.P(_("Pick an organization to see its shortest trusted path to an "
                        "organization that already works with UNOGP (declared collaborations "
                        "count more than having met at a seminar)."), className="how-to-read")
    found = current_workspace().introduction_paths().get(org)
    if found is None:  # e.g. a link to an organization no longer in the data
        return html.P(_("No organization {org} in this workspace.").format(org=shorten(org)),
                      className="how-to-read", id="unogp-path-sentence")
    path = found.to_dict()
    chain = (html.P(" → ".join(path["path"]), className="how-to-read")
             if path["path"] and len(path["path"]) > 1 else None)
    return html.Div([html.P(say(path["sentence"]), id="unogp-path-sentence"), chain])
