"""Frame -> plotly Figure builders, unit-tested without a browser.

Colours: the Okabe-Ito palette, safe for colour-blind readers, one colour per
country in a fixed order so a country keeps its colour across pages.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from cso_network import vocab

__all__ = ["COUNTRY_COLOURS", "country_colour", "organizations_by_country", "fields_by_country",
           "empty_figure"]

_OKABE_ITO = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442",
              "#000000"]
COUNTRY_COLOURS = dict(zip(vocab.REGION, _OKABE_ITO, strict=True))


def country_colour(code: str) -> str:
    """Fixed colour of a country (grey for countries outside the region)."""
    return COUNTRY_COLOURS.get(code, "#999999")


def _layout(fig: go.Figure, title: str) -> go.Figure:
    fig.update_layout(
        title={"text": title, "x": 0, "xanchor": "left"},
        margin={"l": 10, "r": 10, "t": 50, "b": 10},
        template="plotly_white",
        font={"size": 14},
        height=340,
        modebar={"orientation": "v"},
    )
    return fig


def empty_figure(message: str) -> go.Figure:
    """A blank figure that says why it is blank."""
    fig = go.Figure()
    fig.add_annotation(text=message, showarrow=False, font={"size": 16})
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return _layout(fig, "")


def organizations_by_country(frame: pd.DataFrame) -> go.Figure:
    """Horizontal bars: organizations per country (from ``organizations_per_country``)."""
    if frame.empty:
        return empty_figure("No organizations yet")
    fig = go.Figure(
        go.Bar(
            x=frame["organizations"],
            y=[f"{n} ({c})" for c, n in zip(frame["country"], frame["country_name"], strict=True)],
            orientation="h",
            marker_color=[country_colour(c) for c in frame["country"]],
            text=frame["organizations"],
            textposition="auto",
            hovertemplate="%{y}: %{x} organizations<extra></extra>",
        )
    )
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(title="organizations", tickformat=",d", rangemode="tozero")
    return _layout(fig, "Organizations per country")


def fields_by_country(frame: pd.DataFrame) -> go.Figure:
    """Stacked bars: organizations per field of work, split by country (from ``organizations_per_field``)."""
    if frame.empty or frame["organizations"].sum() == 0:
        return empty_figure("No fields of work recorded yet")
    fig = go.Figure()
    for country, part in frame.groupby("country", sort=False):
        fig.add_bar(
            name=country,
            x=part["organizations"],
            y=part["field"],
            orientation="h",
            marker_color=country_colour(country),
            hovertemplate=f"{country}: " + "%{x} organizations in %{y}<extra></extra>",
        )
    fig.update_layout(barmode="stack", legend_title_text="country", legend_traceorder="normal")
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(title="organizations", tickformat=",d", rangemode="tozero")
    return _layout(fig, "Fields of work")
