"""Partners: suggested partner organizations for one organization, with reasons.

Scores, reasons and the filtering come from the library
(:meth:`Workspace.suggestions`, :func:`~cso_network.recommend.select.select_suggestions`);
callbacks only pick and render.
"""

from __future__ import annotations

import dash
from dash import Input, Output, callback, dcc, html

from cso_network import vocab
from cso_network.graph import pair_neighbourhood
from cso_network.layout import force_layout
from cso_network.privacy import public_participants
from cso_network.recommend.select import select_suggestions
from cso_network.search import org_options
from dashboard import figures
from dashboard.components import empty_state
from dashboard.state import current_workspace

dash.register_page(__name__, path="/partners", name="Partners", title="Partners · cso-network",
                   order=3)

PRESETS = [
    {"label": "Balanced", "value": "balanced"},
    {"label": "Across borders (integration)", "value": "integration"},
    {"label": "Similar work", "value": "similar-work"},
    {"label": "Fill gaps in risk factors (coverage)", "value": "coverage"},
]
COMPONENT_LABELS = {
    "proximity": "shared contacts", "met_before": "met before", "thematic_fit": "similar work",
    "complementarity": "complementary", "cross_border": "across borders",
    "bridging": "bridges clusters", "language": "language",
}
COMPONENT_COLOURS = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#999999"]
SHOWN, POOL = 10, 60


def _profile(ws, org_id: str) -> html.Div:
    """The suggested partner's public profile; people only as their consent allows."""
    row = ws.dataset.organizations.set_index("org_id").loc[org_id]
    people = public_participants(ws.dataset, org_id)
    listed = [
        html.Li(" · ".join(str(v) for v in (p["full_name"], p["role"], p["email"], p["phone"]) if v))
        for p in people["listed"]
    ]
    if people["unlisted"]:
        listed.append(html.Li(f"{people['unlisted']} more participant(s) not listed (no consent)."))
    rfs = ", ".join(f"{n}" for n in row["risk_factors"]) or "–"
    return html.Div(
        [
            html.P([html.Strong("Works in: "), ", ".join(row["fields"]) or "–"]),
            html.P([html.Strong("Practices: "), ", ".join(row["practices"]) or "–"]),
            html.P([html.Strong("UN risk factors: "), rfs]),
            html.P([html.Strong("City: "), row["city"] or "–"]),
            html.Div([html.Strong("People: "), html.Ul(listed) if listed else " none recorded"]),
        ],
        className="profile",
    )


def _score_bar(rec: dict) -> html.Div:
    parts = [
        html.Div(style={"width": f"{100 * value:.1f}%", "background": colour},
                 title=f"{COMPONENT_LABELS.get(name, name)}: {value:.2f}", className="bar-part")
        for (name, value), colour in zip(rec["components"].items(), COMPONENT_COLOURS, strict=False)
        if value > 0
    ]
    return html.Div(parts, className="score-bar", role="img",
                    **{"aria-label": f"score {rec['score']:.2f} of 1"})


def _card(ws, org_id: str, rec: dict, index: int) -> html.Div:
    sub = pair_neighbourhood(ws.graph("collaborated"), org_id, rec["org_id"], max_nodes=12)
    met = ws.graph("met")
    if met.has_edge(org_id, rec["org_id"]):  # they met: show it as a dotted tie
        sub.add_edge(org_id, rec["org_id"], collaborated=False)
    pos = force_layout(sub, seed=0)
    return html.Div(
        [
            html.Div(
                [
                    html.H3(f"{index}. {rec['name']}"),
                    html.Span(f"{vocab.country_name(rec['country'])} · {rec['org_id']} · "
                              f"score {rec['score']:.2f}", className="muted"),
                    _score_bar(rec),
                    html.Ul([html.Li(r) for r in rec["reasons"]], className="reasons"),
                    html.Details([html.Summary("Profile"), _profile(ws, rec["org_id"])]),
                ],
                className="card-main",
            ),
            dcc.Graph(figure=figures.pair_network(sub, pos, org_id, rec["org_id"]),
                      config={"displayModeBar": False, "responsive": True},
                      className="card-graph", style={"height": "260px"}),
        ],
        className="card suggestion",
        id={"type": "partners-card", "index": index},
    )


def _legend() -> html.Div:
    return html.Div(
        [html.Span([html.Span(className="swatch", style={"background": c}), label])
         for label, c in zip(COMPONENT_LABELS.values(), COMPONENT_COLOURS, strict=True)],
        className="legend how-to-read",
    )


def layout(org: str | None = None, preset: str = "balanced", **_query) -> html.Div:
    """The page shell; suggestions follow the controls."""
    ws = current_workspace()
    if ws.is_empty():
        return html.Div([html.H1("Partners"),
                         empty_state("No data yet", ["cso-network import FILE.xlsx",
                                                     "Or load the synthetic demo: cso-network init --demo"],
                                     "partners-empty")])
    countries = vocab.sort_countries(ws.dataset.organizations["country"])
    return html.Div(
        [
            html.H1("Partners"),
            html.P("Pick your organization to see who you could work with, and why.",
                   className="how-to-read"),
            html.Div(
                [
                    html.Div([html.Label("Your organization", htmlFor="partners-org"),
                              dcc.Dropdown(org_options(ws.dataset), value=org, id="partners-org",
                                           placeholder="Type a name in any script…",
                                           optionHeight=50)], className="grow wide"),
                    html.Div([html.Label("Looking for", htmlFor="partners-preset"),
                              dcc.Dropdown(PRESETS, value=preset if preset in {p["value"] for p in PRESETS}
                                           else "balanced", clearable=False, id="partners-preset")],
                             className="grow"),
                    html.Div([html.Label("Countries", htmlFor="partners-country"),
                              dcc.Dropdown([{"label": f"{vocab.country_name(c)} ({c})", "value": c}
                                            for c in countries], multi=True, id="partners-country",
                                           placeholder="Any")], className="grow"),
                    html.Div([html.Label("Field", htmlFor="partners-field"),
                              dcc.Dropdown(list(vocab.FIELDS), multi=True, id="partners-field",
                                           placeholder="Any")], className="grow"),
                    html.Div([html.Label("Risk factor", htmlFor="partners-rf"),
                              dcc.Dropdown([{"label": f"{n}. {rf.short or rf.title}", "value": n}
                                            for n, rf in vocab.RISK_FACTORS.items()], multi=True,
                                           id="partners-rf", placeholder="Any")], className="grow"),
                ],
                className="controls card",
            ),
            dcc.Loading(html.Div(id="partners-results")),
            html.Div(id="partners-backtest"),
        ]
    )


@callback(
    Output("partners-results", "children"),
    Input("partners-org", "value"),
    Input("partners-preset", "value"),
    Input("partners-country", "value"),
    Input("partners-field", "value"),
    Input("partners-rf", "value"),
)
def _results(org: str | None, preset: str, countries, fields, rfs):
    if not org:
        return html.P("Choose an organization above.", className="how-to-read", id="partners-hint")
    ws = current_workspace()
    pool = ws.suggestions(org, preset=preset or "balanced", top=POOL)
    shown = select_suggestions(pool, ws.dataset, countries=countries, fields=fields,
                               risk_factors=rfs, limit=SHOWN)
    if not shown:
        return html.P("No suggestion matches these filters; widen them.", id="partners-none",
                      className="how-to-read")
    return html.Div([_legend(), *[_card(ws, org, rec, i) for i, rec in enumerate(shown, 1)]],
                    id="partners-list")


@callback(Output("partners-backtest", "children"), Input("partners-preset", "value"))
def _backtest(preset: str):
    from cso_network.exceptions import CsoNetworkError
    from dashboard.components import simple_table

    try:
        result = current_workspace().backtest(preset=preset or "balanced")
    except CsoNetworkError as exc:
        body = html.P(f"No backtest possible on this data: {exc}", className="how-to-read")
        return html.Div([html.H2("Do the suggestions work?"), body], className="card")
    k = result["k"]
    rows = [{"method": f"these suggestions ({preset})" if name == "engine" else name.replace("_", " "),
             f"precision@{k}": None if m["precision_at_k"] is None else round(m["precision_at_k"], 3),
             f"recall@{k}": None if m["recall_at_k"] is None else round(m["recall_at_k"], 3),
             "AUC": None if m["auc"] is None else round(m["auc"], 3)}
            for name, m in result["methods"].items()]
    return html.Div(
        [
            html.H2("Do the suggestions work?"),
            html.P(f"Collaborations declared from {result['split_year']} on were hidden and "
                   f"suggestions made from what was known before; {result['new_ties']} new ties "
                   f"formed among {result['evaluated_orgs']} organizations. Precision: share of "
                   f"the top {k} that became real ties; recall: share of the new ties found; "
                   "AUC: chance that a real new tie scores above a pair that never tied.",
                   className="how-to-read"),
            simple_table(rows, "partners-backtest-table"),
            html.P("Presets that favour cross-border and bridging ties aim at ties that would not "
                   "form on their own, so they are expected to predict less than similar-work.",
                   className="how-to-read"),
        ],
        className="card",
    )
