"""Gaps: where cross-border collaboration and thematic coverage are missing.

Everything shown comes from :func:`cso_network.analysis.report.analyze` (via
the workspace's cache); the callback only selects and renders. URL and
callback values are read with :class:`dashboard.components.Untrusted`: a
crafted one falls back to the default.
"""

from __future__ import annotations

import dash
from dash import Input, Output, callback, dcc, html

from cso_network import vocab
from cso_network.analysis.report import DEFAULT_LAYER, select_gaps
from cso_network.views.explore import Filters
from dashboard import figures
from dashboard.components import (
    Untrusted,
    figure_card,
    no_data_page,
    shorten,
    simple_table,
    sync_url,
)
from dashboard.i18n import (
    N_,
    _,
    country_option_label,
    field_label,
    ngettext,
    say,
    translated_options,
)
from dashboard.state import current_workspace

dash.register_page(__name__, path="/gaps", name=N_("Gaps"),
                   title=lambda **_kw: _("Gaps") + " · cso-network", order=2)

LAYER_OPTIONS = [
    {"label": N_("Declared collaborations"), "value": "collaborated"},
    {"label": N_("Met at a seminar"), "value": "met"},
    {"label": N_("Both"), "value": "combined"},
]
KIND_LABELS = {
    "missing_bridge": N_("No cross-border tie"),
    "thin_bridge": N_("Few cross-border ties"),
    "cut_point": N_("Hangs on one organization"),
    "isolated": N_("Isolated"),
    "uncovered_field": N_("Field missing"),
    "uncovered_practice": N_("Practice missing"),
    "uncovered_risk_factor": N_("Risk factor uncovered"),
    "fragile_field": N_("Field: one organization"),
    "fragile_practice": N_("Practice: one organization"),
    "fragile_risk_factor": N_("Risk factor: one organization"),
    "unlinked_field": N_("Field not linked across border"),
    "unlinked_practice": N_("Practice not linked across border"),
    "unlinked_risk_factor": N_("Risk factor not linked across border"),
}
#: Gaps listed at once; the others are behind a "show the other gaps" control.
MAX_GAPS_SHOWN = 40
LAYERS = {o["value"] for o in LAYER_OPTIONS}


def _summary_sentence(result: dict) -> html.P:
    s, meta = result["summary"], result["meta"]
    share = s["cross_border_share"]
    if share is None:
        return html.P(_("There are no ties in this layer yet."), id="gaps-summary")
    parts = [_("{share} of the {ties} ties cross a border.").format(share=f"{share:.0%}",
                                                                    ties=meta["ties"])]
    if s["ei_index"] is not None:
        parts.append(
            _("E-I index {ei} (−1: all ties within countries, +1: all across);").format(
                ei=f"{s['ei_index']:+.2f}")
            + (" " + _("{expected} would be expected if country did not matter").format(
                expected=f"{s['ei_expected']:+.2f}") if s["ei_expected"] is not None else "")
            + (f" (p = {s['ei_p_value']:.3f})." if s["ei_p_value"] is not None else ".")
        )
    pieces = ngettext("{n} separate part", "{n} separate parts", s["components"]).format(
        n=s["components"])
    isolates = ngettext("{n} isolated organization", "{n} isolated organizations",
                        s["isolates"]).format(n=s["isolates"])
    parts.append(_("{parts}, {isolates}.").format(parts=pieces, isolates=isolates))
    return html.P(" ".join(parts), id="gaps-summary", className="lead")


def _kind_label(kind: str) -> str:
    label = KIND_LABELS.get(kind)
    return _(label) if label else kind


def _gap_item(gap: dict) -> html.Li:
    return html.Li(
        [html.Span(_kind_label(gap["kind"]), className=f"badge badge-{gap['kind'].split('_')[0]}"),
         html.Span(say(gap["detail"]))],
        className="gap-item",
    )


def _gap_list(gaps: list[dict]) -> html.Div:
    """The gaps, worst first: the first :data:`MAX_GAPS_SHOWN`, the others one click away."""
    if not gaps:
        return html.P(_("No gaps match these filters."), className="how-to-read")
    first, rest = gaps[:MAX_GAPS_SHOWN], gaps[MAX_GAPS_SHOWN:]
    children: list = [html.Ol([_gap_item(g) for g in first], id="gaps-list", className="gap-list")]
    if rest:
        children.append(html.Details(
            [html.Summary(ngettext("Show the other {n} gap", "Show the other {n} gaps",
                                   len(rest)).format(n=len(rest))),
             html.Ol([_gap_item(g) for g in rest], start=len(first) + 1, id="gaps-list-more",
                     className="gap-list")],
            id="gaps-more", className="gaps-more"))
    return html.Div(children)


def _brokers(result: dict, countries: list[str] | None) -> html.Div:
    rows = [b for b in result["brokers"] if not countries or b["country"] in countries][:15]
    records = [
        {"organization": f"{shorten(b['name'] or b['org_id'])} ({b['org_id']})",
         "country": b["country"],
         "ties": b["degree"],
         "betweenness": None if b["betweenness"] is None else round(b["betweenness"], 3),
         "constraint": None if b["constraint"] is None else round(b["constraint"], 2),
         "gatekeeper": b["brokerage"]["gatekeeper"], "liaison": b["brokerage"]["liaison"]}
        for b in rows
    ]
    cut_sentences = [say(g["detail"]) for g in result["gaps"] if g["kind"] == "cut_point"
                     and (not countries or g["country"] in countries)]
    return html.Div(
        [
            html.H2(_("Who holds the network together")),
            simple_table(records, "gaps-brokers", headers={
                "organization": _("organization"), "country": _("country"), "ties": _("ties"),
                "betweenness": _("betweenness"), "constraint": _("constraint"),
                "gatekeeper": _("gatekeeper"), "liaison": _("liaison")}),
            html.P(_("Betweenness: share of shortest paths between other organizations that run "
                     "through this one. Constraint: low = contacts in separate circles (a broker). "
                     "Gatekeeper/liaison: times it links organizations of other countries "
                     "(Gould & Fernandez roles, country as group)."), className="how-to-read"),
            html.H3(_("Cut points")),
            html.Ul([html.Li(s) for s in cut_sentences], id="gaps-cut-points") if cut_sentences
            else html.P(_("No organization is the only link of others in this layer."),
                        id="gaps-cut-points"),
        ],
        className="card",
    )


def _content(layer: str, countries: list[str] | None, fields: list[str] | None) -> html.Div:
    ws = current_workspace()
    result = ws.analysis(layer)
    gaps = select_gaps(result["gaps"], countries=countries or None, items=fields or None)
    coverage = result["coverage"]
    if countries:
        coverage = {k: {c: v for c, v in cov.items() if c in countries} for k, cov in coverage.items()}
    pairs = result["country_pairs"]
    if countries:
        pairs = [p for p in pairs if p["a"] in countries or p["b"] in countries]
    return html.Div(
        [
            _summary_sentence(result),
            html.Div([html.H2(_("Gaps, worst first ({n})").format(n=len(gaps))), _gap_list(gaps)],
                     className="card"),
            html.Div(
                [
                    figure_card(figures.mixing_heatmap(pairs),
                                _("Each cell: ties observed / ties expected if organizations tied "
                                  "up regardless of country (degree-preserving). Orange = fewer "
                                  "than expected, blue = more; grey = less than one tie expected."),
                                "gaps-mixing"),
                    figure_card(figures.cohort_chart(result["cohorts"]),
                                _("Collaborations among each seminar's organizations dated before "
                                  "and after it; green: ties between organizations that first met "
                                  "there."),
                                "gaps-cohorts"),
                ],
                className="grid-2",
            ),
            dcc.Tabs(
                [
                    dcc.Tab(figure_card(figures.coverage_heatmap(coverage[kind], kind),
                                        _("Number of organizations per country. ✕ 0 = nobody; "
                                          "! 1 = a single organization (fragile)."),
                                        f"gaps-coverage-{kind}"),
                            label=label, value=kind)
                    for kind, label in (("fields", _("Fields")), ("practices", _("Practices")),
                                        ("risk_factors", _("Risk factors")))
                ],
                value="fields", id="gaps-coverage-tabs",
            ),
            _brokers(result, countries),
        ]
    )


def layout(layer: str = DEFAULT_LAYER, **query) -> html.Div:
    """The page shell; the content follows the filters (also read from the URL)."""
    ws = current_workspace()
    if ws.is_empty():
        return no_data_page(_("Gaps"), _("No data to analyse yet"), "gaps-empty")
    read = Untrusted()
    layer = read.choice("layer", layer, LAYERS, DEFAULT_LAYER)
    chosen = Filters.from_query(query)
    read.add(chosen.ignored)
    countries = vocab.sort_countries(ws.dataset.organizations["country"])
    chosen_countries = read.values("countries", list(chosen.countries), set(countries))
    chosen_fields = read.values("fields", list(chosen.fields), set(vocab.FIELDS))
    return html.Div(
        [
            html.H1(_("Gaps")),
            read.notice("gaps-params-notice"),
            html.P(_("Where cross-border collaboration and thematic coverage are missing, and who "
                     "holds the network together."), className="how-to-read"),
            html.Div(
                [
                    html.Div([html.Label(_("Network"), htmlFor="gaps-layer"),
                              dcc.RadioItems(translated_options(LAYER_OPTIONS), value=layer,
                                             id="gaps-layer", inline=True)]),
                    html.Div([html.Label(_("Countries"), htmlFor="gaps-country"),
                              dcc.Dropdown([{"label": country_option_label(c), "value": c}
                                            for c in countries], multi=True, id="gaps-country",
                                           value=chosen_countries,
                                           placeholder=_("All countries"))], className="grow"),
                    html.Div([html.Label(_("Fields"), htmlFor="gaps-field"),
                              dcc.Dropdown([{"label": field_label(f), "value": f}
                                            for f in vocab.FIELDS], multi=True, id="gaps-field",
                                           value=chosen_fields,
                                           placeholder=_("All fields"))], className="grow"),
                    html.A(_("Link to this view"), id="gaps-share", href="/gaps"),
                ],
                className="controls card",
            ),
            dcc.Store(id="gaps-query"),
            dcc.Loading(html.Div(id="gaps-content"), type="default"),
        ]
    )


@callback(
    Output("gaps-content", "children"),
    Output("gaps-query", "data"),
    Input("gaps-layer", "value"),
    Input("gaps-country", "value"),
    Input("gaps-field", "value"),
)
def _update(layer: str, countries: list[str] | None, fields: list[str] | None):
    read = Untrusted()
    layer = read.choice("layer", layer, LAYERS, DEFAULT_LAYER)
    chosen = Filters.make(countries=countries, fields=fields)
    countries = list(chosen.countries)
    fields = read.values("fields", list(chosen.fields), set(vocab.FIELDS))
    query = Filters.make(countries=countries, fields=fields).to_query(
        layer=None if layer == DEFAULT_LAYER else layer)
    return _content(layer, countries, fields), query


sync_url("/gaps", "gaps-query", "gaps-share")
