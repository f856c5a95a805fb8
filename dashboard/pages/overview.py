"""Overview: the programme at a glance (headline numbers, countries, fields, seminars)."""

from __future__ import annotations

import dash
from dash import html

from cso_network.analysis.overview import (
    organizations_per_country,
    organizations_per_field,
    seminar_attendance,
)
from dashboard import figures
from dashboard.components import (
    empty_state,
    figure_card,
    get_data_steps,
    simple_table,
    stat_card,
)
from dashboard.i18n import N_, _
from dashboard.state import current_workspace

dash.register_page(__name__, path="/", name=N_("Overview"),
                   title=lambda **_kw: _("Overview") + " · cso-network", order=0)

STAT_LABELS = {
    "organizations": N_("organizations"),
    "participants": N_("participants"),
    "seminars": N_("seminars"),
    "countries": N_("countries"),
    "attendance": N_("attendances"),
    "met_pairs": N_("pairs of organizations that met"),
    "collaboration_ties": N_("declared collaborations"),
    "engagements": N_("UNOGP engagements"),
}


def _seminar_headers() -> dict[str, str]:
    return {"seminar_id": _("seminar"), "city": _("city"), "country": _("country"),
            "start_date": _("start"), "end_date": _("end"), "participants": _("participants"),
            "organizations": _("organizations"), "countries": _("countries")}


def _seminar_table(ws) -> html.Div:
    frame = seminar_attendance(ws.dataset)
    columns = ["seminar_id", "city", "country", "start_date", "end_date", "participants",
               "organizations", "countries"]
    return html.Div(
        [
            html.H2(_("Seminars")),
            simple_table(frame[columns].to_dict("records"), "overview-seminars",
                         headers=_seminar_headers()),
            html.P(_("Participants and organizations counted per seminar; 'countries' counts the "
                     "countries of the organizations that attended."), className="how-to-read"),
        ],
        className="card",
    )


def layout(**_query) -> html.Div:
    """Build the page for the current workspace."""
    ws = current_workspace()
    if ws.is_empty():
        return html.Div(
            [
                html.H1(_("Overview"), id="overview-title"),
                empty_state(_("No data in this workspace yet"), get_data_steps("overview-empty"),
                            "overview-empty"),
            ]
        )
    summary = ws.summary()
    return html.Div(
        [
            html.H1(_("Overview"), id="overview-title"),
            html.Div(
                [stat_card(_(label), summary[key], f"overview-stat-{key}") for key, label in STAT_LABELS.items()],
                className="stat-grid",
            ),
            html.Div(
                [
                    figure_card(
                        figures.organizations_by_country(organizations_per_country(ws.dataset)),
                        _("Each bar counts the organizations based in a country."),
                        "overview-countries",
                    ),
                    figure_card(
                        figures.fields_by_country(organizations_per_field(ws.dataset)),
                        _("Bar length: organizations working in the field; colours: their "
                          "countries. An organization with several fields counts in each."),
                        "overview-fields",
                    ),
                ],
                className="grid-2",
            ),
            _seminar_table(ws),
        ]
    )
