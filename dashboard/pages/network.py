"""Network: the organizations and their ties, on a schematic map of the region or a force layout.

Filtering, thinning, tables and profiles come from :mod:`cso_network.views.explore`,
positions from :func:`cso_network.views.explore.cached_layout` (cached per
workspace version); callbacks only pick and render. The view's settings live
in the URL (``?layer=…&countries=…``) so a view can be shared; URL and
callback values are read with :class:`dashboard.components.Untrusted`, so a
crafted one falls back to the default (and the page says so).
"""

from __future__ import annotations

import dash
from dash import Input, Output, State, callback, dcc, html, no_update

from cso_network import vocab
from cso_network.views import explore
from cso_network.views.search import org_options
from dashboard.components import Untrusted, no_data_page, shorten, sync_url
from dashboard.figures import network_figure
from dashboard.i18n import (
    N_,
    _,
    country_label,
    country_option_label,
    field_label,
    ngettext,
    practice_label,
    risk_factor_label,
    say,
    translated_options,
)
from dashboard.state import current_workspace

dash.register_page(__name__, path="/network", name=N_("Network"),
                   title=lambda **_kw: _("Network") + " · cso-network", order=1)

LAYERS = [
    {"label": N_("Collaborated"), "value": "collaborated"},
    {"label": N_("Met at a seminar"), "value": "met"},
    {"label": N_("Both"), "value": "combined"},
]
LAYOUTS = [{"label": N_("Map"), "value": "geographic"}, {"label": N_("Force"), "value": "force"}]
COLOURS = [{"label": N_("Country"), "value": "country"},
           {"label": N_("Cluster"), "value": "community"},
           {"label": N_("Field"), "value": "field"}]
SIZES = [{"label": N_("Ties"), "value": "degree"},
         {"label": N_("Bridging (betweenness)"), "value": "betweenness"}]
HOW_TO_READ = {
    "geographic": N_("Each dot is an organization, placed at its city (or its country's centre); "
                     "dark lines are collaborations across borders, grey lines within a country, "
                     "light lines meetings at a seminar. Click a dot for its profile."),
    "force": N_("Each dot is an organization; closely tied organizations are drawn together. "
                "Dark lines: collaborations across borders; grey: within a country; light: met "
                "at a seminar. Click a dot for its profile."),
}
TITLES = {"met": N_("Who met whom at the seminars"), "collaborated": N_("Who works with whom"),
          "combined": N_("Met and collaborated")}
PANEL_HINT = N_("Click an organization, or pick one under 'Focus on an organization', to see its "
                "profile here.")


#: Most year labels under the slider: five four-digit years fit beside each other on a
#: phone (the slider is about 200 px wide there, next to its two year boxes).
MAX_YEAR_MARKS = 5


def year_marks(lo: int, hi: int, most: int = MAX_YEAR_MARKS) -> list[int]:
    """The years labelled under the year slider: the first, the last, and evenly spaced ones
    between, at most ``most`` in all, none closer to the last than half a step.

    >>> year_marks(1996, 2024)
    [1996, 2003, 2010, 2017, 2024]
    >>> year_marks(2010, 2020)
    [2010, 2013, 2016, 2020]
    >>> year_marks(2019, 2021), year_marks(2020, 2020)
    ([2019, 2020, 2021], [2020])
    """
    if hi <= lo:
        return [lo]
    step = -(-(hi - lo) // (most - 1))  # ceiling division
    inner = [y for y in range(lo + step, hi, step) if 2 * (hi - y) >= step]
    return [lo, *inner, hi]


def _values(options: list[dict]) -> set[str]:
    return {o["value"] for o in options}


def _settings(read: Untrusted, layer, view, colour, size) -> tuple[str, str, str, str]:
    """The view's four settings, each one of its options or the default."""
    return (read.choice("layer", layer, _values(LAYERS), "collaborated"),
            read.choice("view", view, _values(LAYOUTS), "geographic"),
            read.choice("colour", colour, _values(COLOURS), "country"),
            read.choice("size", size, _values(SIZES), "degree"))


def _org_ids(ws) -> set[str]:
    return set(ws.dataset.organizations["org_id"])


def _radio(component_id: str, options: list[dict], value: str, label: str) -> html.Div:
    return html.Div([html.Label(label, htmlFor=component_id),
                     dcc.RadioItems(translated_options(options), value=value, id=component_id, inline=True,
                                    className="network-radio")], className="grow")


def _multi(component_id: str, options: list, value, label: str) -> html.Div:
    return html.Div([html.Label(label, htmlFor=component_id),
                     dcc.Dropdown(options, value=value or [], multi=True, id=component_id,
                                  placeholder=_("Any"))], className="grow")


def layout(layer: str | None = None, view: str | None = None, colour: str | None = None,
           size: str | None = None, focus: str | None = None, **query) -> html.Div:
    """The explorer's controls, figure and side panel, set from the URL."""
    ws = current_workspace()
    if ws.is_empty():
        return no_data_page(_("Network"), _("No data yet: nothing to draw"), "network-empty")
    read = Untrusted()
    layer, view, colour, size = _settings(read, layer, view, colour, size)
    f = explore.Filters.from_query(query)
    read.add(f.ignored)
    orgs = ws.dataset.organizations
    focus = read.key("focus", focus, _org_ids(ws))
    countries = vocab.sort_countries(orgs["country"])
    seminars = ws.dataset.seminars.sort_values("start_date", na_position="last")
    chosen = {
        "countries": read.values("countries", list(f.countries), set(countries)),
        "fields": read.values("fields", list(f.fields), set(vocab.FIELDS)),
        "practices": read.values("practices", list(f.practices), set(vocab.PRACTICES)),
        "risk_factors": read.values("risk_factors", list(f.risk_factors), set(vocab.RISK_FACTORS)),
        "seminars": read.values("seminars", list(f.seminars), set(seminars["seminar_id"])),
    }
    years = explore.tie_years(ws)
    if years:
        lo, hi = years
        value = [min(max(y, lo), hi) for y in f.years] if f.years else [lo, hi]
        slider = dcc.RangeSlider(lo, hi, 1, value=value, id="network-years",
                                 marks={y: str(y) for y in year_marks(lo, hi)},
                                 tooltip={"placement": "bottom", "always_visible": False},
                                 allowCross=False)
    else:
        slider = html.Div([dcc.RangeSlider(0, 1, 1, value=[0, 1], id="network-years",
                                           disabled=True),
                           html.P(_("No dated ties yet."), className="muted")])
    controls = html.Div(
        [
            _radio("network-layer", LAYERS, layer, _("Ties")),
            _radio("network-layout", LAYOUTS, view, _("Layout")),
            _radio("network-colour", COLOURS, colour, _("Colour by")),
            _radio("network-size", SIZES, size, _("Size by")),
            _multi("network-country", [{"label": country_option_label(c), "value": c}
                                       for c in countries], chosen["countries"], _("Countries")),
            _multi("network-field", [{"label": field_label(x), "value": x} for x in vocab.FIELDS],
                   chosen["fields"], _("Fields")),
            _multi("network-practice", [{"label": practice_label(x), "value": x}
                                        for x in vocab.PRACTICES],
                   chosen["practices"], _("Practices")),
            _multi("network-rf", [{"label": risk_factor_label(n, numbered=True), "value": n}
                                  for n in vocab.RISK_FACTORS],
                   chosen["risk_factors"], _("UN risk factors")),
            _multi("network-seminar",
                   [{"label": f"{shorten(s)} ({shorten(c)}, {d or _('undated')})", "value": s}
                    for s, c, d in seminars[["seminar_id", "city", "start_date"]].itertuples(
                        index=False, name=None)],
                   chosen["seminars"], _("Seminar cohort")),
            html.Div([html.Label(_("Ties from the years"), htmlFor="network-years"), slider],
                     className="grow wide network-years"),
            html.Div([html.Label(_("Focus on an organization"), htmlFor="network-focus"),
                      dcc.Dropdown(org_options(ws.dataset, shorten=shorten), value=focus,
                                   id="network-focus",
                                   placeholder=_("Type a name in any script…"), optionHeight=50)],
                     className="grow wide"),
        ],
        className="controls card",
    )
    return html.Div(
        [
            html.H1(_("Network")),
            read.notice("network-params-notice"),
            controls,
            html.Div(id="network-notice", className="network-notice", role="status"),
            html.Div(
                [
                    html.Div(
                        [
                            html.H2(id="network-title"),
                            dcc.Loading(dcc.Graph(id="network-graph", className="network-graph",
                                                  config=_config("png"), style={"height": "640px"}),
                                        delay_show=300),
                            html.P(id="network-how", className="how-to-read"),
                            html.Div(
                                [html.Span(id="network-count", className="muted"),
                                 html.Button(_("Nodes as CSV"), id="network-csv-nodes",
                                             className="button"),
                                 html.Button(_("Ties as CSV"), id="network-csv-edges",
                                             className="button"),
                                 html.Span([html.Label(_("Picture as"), htmlFor="network-image"),
                                            dcc.RadioItems(["png", "svg"], "png", id="network-image",
                                                           inline=True)],
                                           className="network-image"),
                                 html.A(_("Link to this view"), id="network-share", href="/network")],
                                className="network-tools"),
                            dcc.Download(id="network-download"),
                        ],
                        className="card network-main",
                    ),
                    html.Aside(
                        html.P(_(PANEL_HINT), className="how-to-read"),
                        id="network-panel", className="card network-panel",
                        **{"aria-live": "polite"}),
                ],
                className="network-body",
            ),
            dcc.Store(id="network-query"),
            html.Div(id="network-url-sink", hidden=True),
        ]
    )


def _config(fmt: str) -> dict:
    return {"displaylogo": False, "scrollZoom": True, "responsive": True,
            "toImageButtonOptions": {"format": fmt, "filename": "cso-network", "scale": 2}}


def _filters(countries, fields, practices, rfs, seminars, years) -> explore.Filters:
    """Filters from the controls' values (anything unreadable left out, see ``Filters.ignored``)."""
    return explore.Filters.make(countries=countries, fields=fields, practices=practices,
                                risk_factors=rfs, seminars=seminars, years=years)


FILTER_INPUTS = [
    Input("network-country", "value"), Input("network-field", "value"),
    Input("network-practice", "value"), Input("network-rf", "value"),
    Input("network-seminar", "value"), Input("network-years", "value"),
]


@callback(
    Output("network-graph", "figure"),
    Output("network-notice", "children"),
    Output("network-count", "children"),
    Output("network-title", "children"),
    Output("network-how", "children"),
    Output("network-query", "data"),
    Input("network-layer", "value"), Input("network-layout", "value"),
    Input("network-colour", "value"), Input("network-size", "value"),
    Input("network-focus", "value"),
    *FILTER_INPUTS,
)
def _render(layer, view, colour, size, focus, countries, fields, practices, rfs, seminars, years):
    ws = current_workspace()
    read = Untrusted()
    layer, view, colour, size = _settings(read, layer, view, colour, size)
    focus = read.key("focus", focus, _org_ids(ws))
    f = _filters(countries, fields, practices, rfs, seminars, years)
    read.add(f.ignored)
    full = explore.tie_years(ws)
    if f.years and full and f.years[0] <= full[0] and f.years[1] >= full[1]:
        f = _filters(f.countries, f.fields, f.practices, f.risk_factors, f.seminars, None)
    G = explore.view_graph(ws, layer, f)
    pos = explore.cached_layout(ws, layer, view)
    thinned = explore.thin_edges(G, focus=focus)
    brokers = explore.brokers_index(ws) if (colour == "community" or size == "betweenness") else {}
    fig = network_figure(G, pos, layer=layer, edges=thinned.edges, colour_by=colour,
                         size_by=size, brokers=brokers, focus=focus,
                         geographic=view == "geographic")
    notices = [read.notice("network-values-notice")]
    if thinned.notice:
        notices.append(html.P(say(thinned.notice), className="notice"))
    notice = [n for n in notices if n is not None] or None
    count = (ngettext("{n} organization", "{n} organizations", G.number_of_nodes()).format(
                 n=f"{G.number_of_nodes():,}") + ", "
             + ngettext("{n} tie", "{n} ties", thinned.total).format(n=f"{thinned.total:,}")
             + (" " + _("({n} drawn)").format(n=f"{len(thinned.edges):,}")
                if thinned.notice else ""))
    title = _(TITLES[layer])
    query = f.to_query(layer=layer, view=view, colour=colour, size=size, focus=focus)
    return fig, notice, count, title, _(HOW_TO_READ[view]), query


@callback(Output("network-focus", "value"), Input("network-graph", "clickData"),
          State("network-focus", "value"), prevent_initial_call=True)
def _click(click, current):
    points = click.get("points") if isinstance(click, dict) else None
    if not isinstance(points, list) or not points or not isinstance(points[0], dict):
        return no_update
    org = points[0].get("customdata")
    if isinstance(org, list):
        org = org[0] if org else None
    return org if isinstance(org, str) and org and org != current else no_update


@callback(Output("network-panel", "children"), Input("network-focus", "value"))
def _panel(org_id):
    if not org_id or not isinstance(org_id, str):
        return html.P(_(PANEL_HINT), className="how-to-read")
    ws = current_workspace()
    profile = explore.org_profile(ws, org_id)
    if profile is None:
        return html.P(_("No organization {org} in this workspace.").format(org=shorten(org_id)),
                      className="how-to-read")
    place = ", ".join(p for p in (profile["city"], country_label(profile["country"])) if p)
    return html.Div(
        [
            html.H2(shorten(profile["name"]), id="network-panel-name"),
            html.P(f"{org_id} · {shorten(place)}", className="muted"),
            html.P([html.Strong(_("Works in:") + " "),
                    ", ".join(field_label(x) for x in profile["fields"]) or "–"]),
            html.P([html.Strong(_("Practices:") + " "),
                    ", ".join(practice_label(x) for x in profile["practices"]) or "–"]),
            html.P([html.Strong(_("Seminars:") + " "), ", ".join(s["seminar_id"] for s in profile["seminars"])
                    or "–"]),
            html.Ul([html.Li(say(s)) for s in profile["position"]], className="reasons"),
            html.Div([dcc.Link(_("Open profile"), href=f"/org/{org_id}", id="network-panel-profile",
                               className="button"),
                      dcc.Link(_("Suggest partners"), href=f"/partners?org={org_id}",
                               id="network-panel-partners", className="button")],
                     className="network-links"),
        ],
        id="network-panel-profile-card",
    )


@callback(Output("network-download", "data"),
          Input("network-csv-nodes", "n_clicks"), Input("network-csv-edges", "n_clicks"),
          State("network-layer", "value"), *[State(i.component_id, i.component_property)
                                             for i in FILTER_INPUTS],
          prevent_initial_call=True)
def _download(_nodes, _edges, layer, countries, fields, practices, rfs, seminars, years):
    ws = current_workspace()
    layer = Untrusted().choice("layer", layer, _values(LAYERS), "collaborated")
    G = explore.view_graph(ws, layer, _filters(countries, fields, practices, rfs, seminars, years))
    if dash.ctx.triggered_id == "network-csv-edges":
        seminar_year = explore.seminar_years(ws.dataset)
        table = explore.edge_table(G, layer, seminar_year)
        return dcc.send_string(explore.to_csv(table), f"cso-network-{layer}-ties.csv")
    table = explore.node_table(G, ws.analysis("collaborated"))
    return dcc.send_string(explore.to_csv(table), f"cso-network-{layer}-organizations.csv")


@callback(Output("network-graph", "config"), Input("network-image", "value"))
def _image_format(fmt):
    return _config(fmt if fmt in ("png", "svg") else "png")


sync_url("/network", "network-query", "network-share")
