"""Plotly figures of the dashboard, as the plain dicts ``dcc.Graph`` takes.

Three modules, one concern each:

``palette``
    every colour a figure or page draws with: the Okabe-Ito palette, each
    country's fixed colour, the neutrals and tints.
``charts``
    the look every figure shares (:func:`~dashboard.figures.charts.figure`),
    data text made safe to draw (:func:`~dashboard.figures.charts.plot_text`),
    and the charts of the Overview, Gaps, UNOGP and Partners pages.
``network``
    the network explorer and a profile's ego network.

The pages use the names below (``from dashboard import figures``;
``figures.mixing_heatmap(...)``); each is defined once, in its module.
"""

from __future__ import annotations

from dashboard.figures.charts import (
    Figure,
    cohort_chart,
    coverage_heatmap,
    empty_figure,
    fields_by_country,
    figure,
    focal_grid,
    mixing_heatmap,
    organizations_by_country,
    pair_network,
    plot_text,
)
from dashboard.figures.network import drawn_nodes, ego_figure, network_figure
from dashboard.figures.palette import COUNTRY_COLOURS, OTHER, PALETTE, colour, country_colour

__all__ = ["Figure", "figure", "empty_figure", "plot_text", "organizations_by_country",
           "fields_by_country", "mixing_heatmap", "coverage_heatmap", "cohort_chart",
           "focal_grid", "pair_network", "network_figure", "ego_figure", "drawn_nodes",
           "PALETTE", "OTHER", "COUNTRY_COLOURS", "colour", "country_colour"]
