"""Partners: suggested partner organizations for one organization, with reasons.

Scores, reasons and the filtering come from the library
(:meth:`Workspace.suggestions`, :func:`~cso_network.recommend.select.select_suggestions`);
callbacks only pick and render. Each card's score bar and the legend follow the
registry of score components (:data:`~cso_network.recommend.components.COMPONENTS`:
order, label and palette colour), zipped strictly with each suggestion's
contributions. The ``learned`` preset's weights, fitted on the workspace's own
history (:meth:`Workspace.learned_weights`), are said above the cards. URL and
callback values are read with :class:`dashboard.components.Untrusted`: a crafted
one falls back to the default.
"""

from __future__ import annotations

import dash
from dash import Input, Output, callback, dcc, html

from cso_network import vocab
from cso_network.access.privacy import public_participants
from cso_network.backtest.evaluate import ratio_in_words
from cso_network.core.exceptions import CsoNetworkError, NotFound
from cso_network.core.messages import reason
from cso_network.network.layers import pair_neighbourhood
from cso_network.network.positions import force_layout
from cso_network.recommend.components import COMPONENTS
from cso_network.recommend.score import LEARNED
from cso_network.recommend.select import select_suggestions
from cso_network.views.explore import Filters
from cso_network.views.search import org_options
from dashboard import figures
from dashboard.components import (
    Untrusted,
    no_data_page,
    person_items,
    shorten,
    simple_table,
    sync_url,
)
from dashboard.i18n import (
    N_,
    _,
    country_label,
    country_option_label,
    field_label,
    practice_label,
    risk_factor_label,
    say,
    translated_options,
)
from dashboard.state import current_workspace

dash.register_page(__name__, path="/partners", name=N_("Partners"),
                   title=lambda **_kw: _("Partners") + " · cso-network", order=3)

PRESETS = [
    {"label": N_("Balanced"), "value": "balanced"},
    {"label": N_("Across borders (integration)"), "value": "integration"},
    {"label": N_("Similar work"), "value": "similar-work"},
    {"label": N_("Fill gaps in risk factors (coverage)"), "value": "coverage"},
    {"label": N_("Learned from this workspace's history"), "value": LEARNED},
]
#: The backtest's baselines, named for readers (the engine row names its preset).
METHOD_LABELS = {
    "adamic_adar": N_("Adamic-Adar (partners in common)"),
    "preferential_attachment": N_("preferential attachment (most-connected first)"),
    "random": N_("random"),
}
SHOWN, POOL = 10, 60


def _choices(read: Untrusted, org, preset, countries, fields, rfs):
    """The controls' values as the page uses them: anything unreadable left out or defaulted."""
    f = Filters.make(countries=countries, fields=fields, risk_factors=rfs)
    read.add(f.ignored)
    return (read.text("org", org) or None,
            read.choice("preset", preset, {p["value"] for p in PRESETS}, "balanced"),
            list(f.countries),
            read.values("fields", list(f.fields), set(vocab.FIELDS)),
            read.values("risk_factors", list(f.risk_factors), set(vocab.RISK_FACTORS)))


def _profile(ws, org_id: str) -> html.Div:
    """The suggested partner's public profile; people only as their consent allows."""
    row = ws.organization(org_id)
    people = public_participants(ws.dataset, org_id)
    listed = person_items(people)
    rfs = ", ".join(risk_factor_label(n, numbered=True) for n in row["risk_factors"]) or "–"
    return html.Div(
        [
            html.P([html.Strong(_("Works in:") + " "),
                    ", ".join(field_label(x) for x in row["fields"]) or "–"]),
            html.P([html.Strong(_("Practices:") + " "),
                    ", ".join(practice_label(x) for x in row["practices"]) or "–"]),
            html.P([html.Strong(_("UN risk factors:") + " "), rfs]),
            html.P([html.Strong(_("City:") + " "), shorten(row["city"]) or "–"]),
            html.Div([html.Strong(_("People:") + " "),
                      html.Ul(listed) if listed else " " + _("none recorded")]),
        ],
        className="profile",
    )


def _contributions(rec: dict) -> list[tuple]:
    """``(component, contribution)`` of a suggestion record, in the registry's order.

    The record's ``components`` and the registry are zipped strictly: a
    component missing on either side is an error, not a silently shorter bar.
    """
    pairs = list(zip(COMPONENTS.values(), rec["components"].items(), strict=True))
    for comp, (name, _value) in pairs:
        if comp.name != name:
            raise ValueError(f"suggestion component {name!r} where {comp.name!r} was expected")
    return [(comp, value) for comp, (_name, value) in pairs]


def _score_bar(rec: dict) -> html.Div:
    parts = [
        html.Div(style={"width": f"{100 * value:.1f}%", "background": figures.colour(comp.colour)},
                 title=f"{say(comp.label)}: {value:.2f}", className="bar-part")
        for comp, value in _contributions(rec)
        if value > 0
    ]
    return html.Div(parts, className="score-bar", role="img",
                    **{"aria-label": _("score {score} of 1").format(score=f"{rec['score']:.2f}")})


def _card(ws, org_id: str, rec: dict, index: int) -> html.Div:
    partner = rec["partner_id"]
    sub = pair_neighbourhood(ws.graph("collaborated"), org_id, partner, max_nodes=12)
    met = ws.graph("met")
    if met.has_edge(org_id, partner):  # they met: show it as a dotted tie
        sub.add_edge(org_id, partner, collaborated=False)
    pos = force_layout(sub, seed=0)
    return html.Div(
        [
            html.Div(
                [
                    html.H3(f"{index}. {shorten(rec['name'])}"),
                    html.Span(f"{country_label(rec['country'])} · {partner} · "
                              + _("score {score}").format(score=f"{rec['score']:.2f}"),
                              className="muted"),
                    _score_bar(rec),
                    html.Ul([html.Li(say(r)) for r in rec["reasons"]], className="reasons"),
                    html.Details([html.Summary(_("Profile")), _profile(ws, partner)]),
                ],
                className="card-main",
            ),
            dcc.Graph(figure=figures.pair_network(sub, pos, org_id, partner),
                      config={"displayModeBar": False, "responsive": True},
                      className="card-graph", style={"height": "260px"}),
        ],
        className="card suggestion",
        id={"type": "partners-card", "index": index},
    )


def _legend() -> html.Div:
    return html.Div(
        [html.Span([html.Span(className="swatch",
                              style={"background": figures.colour(comp.colour)}),
                    say(comp.label)])
         for comp in COMPONENTS.values()],
        className="legend how-to-read",
    )


def _learned_note(ws) -> html.P:
    """What the learned weights are and where they come from (the preset's help text)."""
    info = ws.learned_weights(details=True)
    w = info["weights"]
    ranked = sorted((name for name in COMPONENTS if w[name] > 0),
                    key=lambda name: -w[name])  # stable: ties in the registry's order
    shares = ", ".join(f"{say(COMPONENTS[name].label)} {w[name]:.0%}" for name in ranked)
    return html.P(_("Weights learned from this workspace's own history: the collaborations that "
                    "started in {first}–{last}, predicted from what was known before them. "
                    "Weights: {weights}.").format(first=info["inner_split_year"],
                                                  last=info["last_year"], weights=shares),
                  className="how-to-read", id="partners-learned")


def layout(org: str | None = None, preset: str = "balanced", **query) -> html.Div:
    """The page shell; suggestions follow the controls (also read from the URL)."""
    ws = current_workspace()
    if ws.is_empty():
        return no_data_page(_("Partners"), _("No data yet"), "partners-empty")
    read = Untrusted()
    chosen = Filters.from_query(query)
    read.add(chosen.ignored)
    countries = vocab.sort_countries(ws.dataset.organizations["country"])
    # An unknown id stays: the results then say there is no such organization.
    org = read.text("org", org) or None
    preset = read.choice("preset", preset, {p["value"] for p in PRESETS}, "balanced")
    return html.Div(
        [
            html.H1(_("Partners")),
            read.notice("partners-params-notice"),
            html.P(_("Pick your organization to see who you could work with, and why."),
                   className="how-to-read"),
            html.Div(
                [
                    html.Div([html.Label(_("Your organization"), htmlFor="partners-org"),
                              dcc.Dropdown(org_options(ws.dataset, shorten=shorten), value=org,
                                           id="partners-org",
                                           placeholder=_("Type a name in any script…"),
                                           clearable=False,
                                           optionHeight=50)], className="grow wide"),
                    html.Div([html.Label(_("Looking for"), htmlFor="partners-preset"),
                              dcc.Dropdown(translated_options(PRESETS), value=preset,
                                           clearable=False, id="partners-preset")],
                             className="grow"),
                    html.Div([html.Label(_("Countries"), htmlFor="partners-country"),
                              dcc.Dropdown([{"label": country_option_label(c), "value": c}
                                            for c in countries], multi=True, id="partners-country",
                                           value=read.values("countries",
                                                             list(chosen.countries),
                                                             set(countries)),
                                           placeholder=_("Any"))], className="grow"),
                    html.Div([html.Label(_("Field"), htmlFor="partners-field"),
                              dcc.Dropdown([{"label": field_label(x), "value": x}
                                            for x in vocab.FIELDS], multi=True,
                                           value=read.values("fields", list(chosen.fields),
                                                             set(vocab.FIELDS)),
                                           id="partners-field", placeholder=_("Any"))],
                             className="grow"),
                    html.Div([html.Label(_("Risk factor"), htmlFor="partners-rf"),
                              dcc.Dropdown([{"label": risk_factor_label(n, numbered=True),
                                             "value": n} for n in vocab.RISK_FACTORS], multi=True,
                                           value=read.values("risk_factors",
                                                             list(chosen.risk_factors),
                                                             set(vocab.RISK_FACTORS)),
                                           id="partners-rf", placeholder=_("Any"))],
                             className="grow"),
                    html.A(_("Link to this view"), id="partners-share", href="/partners"),
                ],
                className="controls card",
            ),
            dcc.Store(id="partners-query"),
            dcc.Loading(html.Div(id="partners-results")),
            html.Div(id="partners-backtest"),
        ]
    )


@callback(
    Output("partners-query", "data"),
    Input("partners-org", "value"),
    Input("partners-preset", "value"),
    Input("partners-country", "value"),
    Input("partners-field", "value"),
    Input("partners-rf", "value"),
)
def _query(org, preset, countries, fields, rfs) -> str:
    org, preset, countries, fields, rfs = _choices(Untrusted(), org, preset, countries, fields, rfs)
    return Filters.make(countries=countries, fields=fields, risk_factors=rfs).to_query(
        org=org, preset=None if preset == "balanced" else preset)


sync_url("/partners", "partners-query", "partners-share")


@callback(
    Output("partners-results", "children"),
    Input("partners-org", "value"),
    Input("partners-preset", "value"),
    Input("partners-country", "value"),
    Input("partners-field", "value"),
    Input("partners-rf", "value"),
)
def _results(org: str | None, preset: str, countries, fields, rfs):
    org, preset, countries, fields, rfs = _choices(Untrusted(), org, preset, countries, fields, rfs)
    if not org:
        return html.P(_("Choose an organization above."), className="how-to-read",
                      id="partners-hint")
    ws = current_workspace()
    try:
        pool = ws.suggestions(org, preset=preset, top=POOL)
    except NotFound:  # e.g. a link to an organization no longer in the data
        return html.P(_("No organization {org} in this workspace.").format(org=shorten(org)),
                      className="how-to-read", id="partners-none")
    except CsoNetworkError as exc:  # the learned preset on too short a history
        return html.P(_("These weights cannot be used here: {reason}").format(
                          reason=say(reason(exc))),
                      className="how-to-read", id="partners-none")
    shown = select_suggestions(pool, ws.dataset, countries=countries, fields=fields,
                               risk_factors=rfs, limit=SHOWN)
    if not shown:
        return html.P(_("No suggestion matches these filters; widen them."), id="partners-none",
                      className="how-to-read")
    note = [_learned_note(ws)] if preset == LEARNED else []
    return html.Div([*note, _legend(), *[_card(ws, org, rec, i) for i, rec in enumerate(shown, 1)]],
                    id="partners-list")


@callback(Output("partners-backtest", "children"), Input("partners-preset", "value"))
def _backtest(preset: str):
    preset = Untrusted().choice("preset", preset, {p["value"] for p in PRESETS}, "balanced")
    try:
        result = current_workspace().backtest(preset=preset)
    except CsoNetworkError as exc:
        body = html.P(_("No backtest possible on this data: {reason}").format(
                          reason=say(reason(exc))),
                      className="how-to-read")
        return html.Div([html.H2(_("Do the suggestions work?")), body], className="card")
    k = result["k"]
    ratio = ratio_in_words(result)
    preset_label = {p["value"]: p["label"] for p in PRESETS}.get(preset, preset)
    rows = [{"method": _("these suggestions ({preset})").format(preset=_(preset_label))
             if name == "engine" else _(METHOD_LABELS.get(name, name)),
             f"precision@{k}": None if m["precision_at_k"] is None else round(m["precision_at_k"], 3),
             f"recall@{k}": None if m["recall_at_k"] is None else round(m["recall_at_k"], 3),
             "AUC": None if m["auc"] is None else round(m["auc"], 3)}
            for name, m in result["methods"].items()]
    return html.Div(
        [
            html.H2(_("Do the suggestions work?")),
            html.P(_("Collaborations declared from {year} on were hidden and suggestions made "
                     "from what was known before; {new} new ties formed among {orgs} "
                     "organizations. Precision: share of the top {k} that became real ties; "
                     "recall: share of the new ties found; AUC: chance that a real new tie scores "
                     "above a pair that never tied.").format(
                         year=result["split_year"], new=result["new_ties"],
                         orgs=result["evaluated_orgs"], k=k),
                   className="how-to-read"),
            simple_table(rows, "partners-backtest-table", headers={"method": _("method")}),
            *([] if ratio is None else [html.P(say(ratio), id="partners-backtest-ratio",
                                               className="how-to-read")]),
            html.P(_("Presets that favour cross-border and bridging ties aim at ties that would "
                     "not form on their own, so they are expected to predict less than "
                     "similar-work."), className="how-to-read"),
        ],
        className="card",
    )
