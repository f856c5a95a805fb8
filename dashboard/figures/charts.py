"""Charts of the Overview, Gaps, UNOGP and Partners pages, as plain plotly figure dicts.

A figure is a dict with ``"data"`` (the traces, each a dict with its
``"type"``) and ``"layout"``: what ``dcc.Graph(figure=...)`` takes and
plotly.js draws. The builders are unit-tested without a browser, and
``tests/dashboard/test_figures.py`` validates every figure the pages draw
with plotly's own schema (``plotly.graph_objects.Figure(fig)``).

Colours come from :mod:`dashboard.figures.palette`: a country keeps its colour
across pages.

Text from the data (names, cities, seminar ids, country codes, fields as
written) goes into a figure only through :func:`plot_text`: plotly draws a
subset of HTML in figure text, hover labels, titles, legends and tick labels,
so an organization named ``<a href=...>`` would otherwise become a link.

Every legend sits below its plot (:data:`LEGEND_BELOW`) and the mode bar in
the title row, so neither covers the other on any screen width; an axis that
counts things ticks at whole numbers only (:func:`count_axis`). Titles are
``{"text": ...}`` dicts: plotly.js 3 and later draw no title given as a plain
string.
"""

from __future__ import annotations

import html
import math
from typing import Any

import pandas as pd

from cso_network import vocab
from dashboard.components import shorten
from dashboard.figures import palette
from dashboard.i18n import _, country_label, field_label, practice_label, risk_factor_label

__all__ = ["Figure", "LIGHT_TEMPLATE", "LEGEND_BELOW", "cohort_chart", "count_axis",
           "count_step", "coverage_heatmap", "figure",
           "focal_grid", "merge_layout", "plot_text", "trace",
           "mixing_heatmap", "pair_network",
           "organizations_by_country", "fields_by_country",
           "empty_figure"]

#: A plotly figure as plain data: ``{"data": [trace, ...], "layout": {...}}``.
Figure = dict[str, Any]


def plot_text(text) -> str:
    """Text from the data as a figure shows it: shortened (:func:`~dashboard.components.shorten`)
    and with ``&``, ``<`` and ``>`` escaped, so plotly draws it as written, not as markup.

    Quotes stay as they are: plotly decodes only ``&amp;``, ``&lt;``, ``&gt;`` (and a few
    named and numeric entities), and outside a tag a quote is plain text.

    >>> plot_text('<a href="https://phish.example/">Most & co</a>')
    '&lt;a href="https://phish.example/"&gt;Most &amp; co&lt;/a&gt;'
    """
    return html.escape(shorten(text), quote=False)


_AXIS = {"gridcolor": palette.GRID, "zerolinecolor": palette.GRID, "linecolor": palette.GRID,
         "automargin": True}

#: plotly_white's look (white background, pale grid) as a small template: every
#: figure carries its template to the browser, and plotly_white's is 7 KiB of JSON.
#: Shared by every figure: read it, never change it.
LIGHT_TEMPLATE: dict[str, Any] = {"layout": {
    "paper_bgcolor": palette.PAPER, "plot_bgcolor": palette.PAPER,
    "font": {"color": palette.TEXT}, "xaxis": _AXIS, "yaxis": _AXIS,
    "colorway": list(palette.PALETTE), "hovermode": "closest",
}}


#: Every figure's legend: one row (wrapping) along the bottom of the figure, under the plot
#: and its axis labels, where neither the mode bar (top right, in the title row) nor a
#: narrow screen's width can crowd it.
LEGEND_BELOW: dict[str, Any] = {"orientation": "h", "x": 0, "xanchor": "left",
                                "yref": "container", "y": 0, "yanchor": "bottom"}

#: The mode bar lies along the top, in the title row, away from the legend.
MODEBAR: dict[str, Any] = {"orientation": "h"}

#: Most ticks on a count axis (:func:`count_step`): their labels fit a phone's width.
MAX_COUNT_TICKS = 5


def count_step(largest: float) -> int:
    """The tick step of an axis counting up to ``largest``: 1, 2 or 5 times a power of ten,
    the smallest that puts at most :data:`MAX_COUNT_TICKS` ticks above zero.

    Counts are whole, so the step is never below 1 (plotly's own choice for
    counts up to 4 is 0.5, and whole-number labels then read 0, 1, 1, 2, 2).

    >>> [count_step(n) for n in (0, 2, 5, 6, 10, 23, 79, 1125)]
    [1, 1, 1, 2, 2, 5, 20, 500]
    """
    step, factors = 1, (2, 2.5, 2)  # 1, 2, 5, 10, 20, 50, ...
    i = 0
    while largest > MAX_COUNT_TICKS * step:
        step = int(step * factors[i % 3])
        i += 1
    return step


def count_axis(title: str, values) -> dict[str, Any]:
    """An axis that counts things (organizations, collaborations): whole-number ticks from 0.

    ``values`` are the largest numbers the axis must reach (for stacked bars,
    the stacks' totals).
    """
    largest = max((v for v in values if v is not None), default=0)
    return {"title": {"text": title}, "rangemode": "tozero", "tick0": 0,
            "dtick": count_step(largest), "tickformat": ",d"}


def merge_layout(base: dict, extra: dict) -> dict:
    """``base`` updated by ``extra``, nested dicts (axes, margins, legends) merged key by key."""
    out = dict(base)
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = merge_layout(out[key], value)
        else:
            out[key] = value
    return out


def trace(kind: str, **props) -> dict:
    """A trace as a plain dict (``{"type": kind, ...}``); nest properties, no ``marker_color``.

    Values are plain Python (lists, numbers, strings, dicts), as JSON has them.
    """
    return {"type": kind, **props}


def figure(data: list, title: str, **layout) -> Figure:
    """A figure in the dashboard's look, as the plain dict ``dcc.Graph`` takes.

    Every builder goes through here: the title top left, the light template,
    14 px text, height 340 unless given, the legend below the plot and the
    mode bar along the top. The figure is plain data, with no
    plotly figure object in between: building one validates every property
    (1.2 ms for a Partners card's small network, against 0.02 ms for its
    dict; ten cards per click) and Dash copies it again to serialize it.
    ``tests/dashboard/test_figures.py`` validates every figure the pages draw
    with plotly's schema instead, so a misspelt property fails there rather
    than silently in the browser.
    """
    base = {
        "title": {"text": title, "x": 0, "xanchor": "left"},
        "margin": {"l": 10, "r": 10, "t": 50, "b": 10},
        "template": LIGHT_TEMPLATE,
        "font": {"size": 14},
        "height": 340,
        "legend": dict(LEGEND_BELOW),
        "modebar": dict(MODEBAR),
    }
    return {"data": data, "layout": merge_layout(base, layout)}


def empty_figure(message: str) -> Figure:
    """A blank figure that says why it is blank."""
    return figure([], "", annotations=[{"text": message, "showarrow": False, "font": {"size": 16}}],
                  xaxis={"visible": False}, yaxis={"visible": False})


def organizations_by_country(frame: pd.DataFrame) -> Figure:
    """Horizontal bars: organizations per country (from ``organizations_per_country``)."""
    if frame.empty:
        return empty_figure(_("No organizations yet"))
    counts = [int(n) for n in frame["organizations"]]
    bar = trace("bar",
        x=counts,
        y=[plot_text(f"{country_label(c)} ({c})") for c in frame["country"]],
        orientation="h",
        marker={"color": [palette.country_colour(c) for c in frame["country"]]},
        text=counts,
        textposition="auto",
        hovertemplate=_("%{y}: %{x} organizations") + "<extra></extra>",
    )
    return figure([bar], _("Organizations per country"), yaxis={"autorange": "reversed"},
                  xaxis=count_axis(_("organizations"), counts))


def fields_by_country(frame: pd.DataFrame) -> Figure:
    """Stacked bars: organizations per field of work, split by country (from ``organizations_per_field``)."""
    if frame.empty or frame["organizations"].sum() == 0:
        return empty_figure(_("No fields of work recorded yet"))
    bars = [
        trace("bar",
            name=plot_text(country),
            x=[int(n) for n in part["organizations"]],
            y=[plot_text(field_label(f)) for f in part["field"]],
            orientation="h",
            marker={"color": palette.country_colour(country)},
            customdata=[plot_text(country)] * len(part),
            hovertemplate="%{customdata}: " + _("%{x} organizations in %{y}") + "<extra></extra>",
        )
        for country, part in frame.groupby("country", sort=False)
    ]
    totals = frame.groupby("field", sort=False)["organizations"].sum()
    return figure(bars, _("Fields of work"), barmode="stack",
                  legend={"title": {"text": _("country")}, "traceorder": "normal"},
                  yaxis={"autorange": "reversed"},
                  xaxis=count_axis(_("organizations"), [int(n) for n in totals]))


def mixing_heatmap(country_pairs: list[dict]) -> Figure:
    """Country x country: observed ties against those expected from degrees alone.

    Colour is observed/expected on a log scale (blue = more ties than expected,
    orange = fewer, grey = none expected); each cell reads "observed / expected".
    """
    if not country_pairs:
        return empty_figure(_("No ties in this layer yet"))
    codes = vocab.sort_countries({r["a"] for r in country_pairs} | {r["b"] for r in country_pairs})
    idx = {c: i for i, c in enumerate(codes)}
    shown = [plot_text(c) for c in codes]
    n = len(codes)
    z = [[None] * n for _row in range(n)]
    text = [[""] * n for _row in range(n)]
    hover = [[""] * n for _row in range(n)]
    for r in country_pairs:
        i, j = idx[r["a"]], idx[r["b"]]
        obs, exp, ratio = r["observed"], r["expected"], r["ratio"]
        label = f"{obs} / {exp:.1f}" if exp is not None else f"{obs} / –"
        value = None
        if ratio is not None and exp is not None and exp >= 1:
            value = math.log2(max(ratio, 1 / 8))  # 0 ties -> bottom of the scale
        # Fewer than one tie expected: no colour (grey), the numbers still show.
        for a, b in ((i, j), (j, i)):
            z[a][b] = value
            text[a][b] = label
            hover[a][b] = (_("{a}–{b}: {observed} ties observed, {expected} expected").format(
                a=shown[i], b=shown[j], observed=obs, expected=f"{exp:.1f}")
                if exp is not None else _("{a}–{b}: {observed} ties").format(
                    a=shown[i], b=shown[j], observed=obs))
    heatmap = trace("heatmap",
        z=z, x=shown, y=shown, text=text, texttemplate="%{text}", customdata=hover,
        hovertemplate="%{customdata}<extra></extra>",
        colorscale=[[0, palette.VERMILLION], [0.5, palette.NEUTRAL], [1, palette.BLUE]],
        zmin=-3, zmax=3, zmid=0,
        colorbar={"title": {"text": _("obs/exp")}, "tickvals": [-3, -1, 0, 1, 3],
                  "ticktext": ["≤1/8", "1/2", "1", "2", "≥8"]},
        xgap=2, ygap=2,
    )
    return figure([heatmap], _("Ties between countries: observed / expected"),
                  yaxis={"autorange": "reversed"}, height=420, plot_bgcolor=palette.NO_VALUE)


def coverage_heatmap(coverage: dict[str, dict[str, int]], kind: str) -> Figure:
    """Country x item counts of organizations; 0 cells marked ✕, 1 cells marked !.

    ``coverage`` is ``country -> item -> count`` (the analysis' ``coverage[kind]``).
    """
    if not coverage:
        return empty_figure(_("No organizations yet"))
    codes = vocab.sort_countries(set(coverage))
    items = list(next(iter(coverage.values())).keys())
    labels = [str(i) for i in items]
    if kind == "risk_factors":
        labels = [risk_factor_label(i, numbered=True)
                  if str(i).isdigit() and int(i) in vocab.RISK_FACTORS else str(i) for i in items]
    elif kind == "fields":
        labels = [field_label(i) for i in items]
    elif kind == "practices":
        labels = [practice_label(i) for i in items]
    z = [[coverage[c].get(i, 0) for i in items] for c in codes]
    text = [["✕ 0" if v == 0 else f"! {v}" if v == 1 else str(v) for v in row] for row in z]
    heatmap = trace("heatmap",
        z=z, x=[plot_text(label) for label in labels], y=[plot_text(c) for c in codes],
        text=text, texttemplate="%{text}",
        hovertemplate=_("%{y} · %{x}: %{z} organization(s)") + "<extra></extra>",
        colorscale=[[0, palette.PALE_VERMILLION], [0.0001, palette.PALE_BLUE],
                    [1, palette.DARK_BLUE]],
        zmin=0, showscale=False, xgap=2, ygap=2,
    )
    titles = {"fields": _("Fields of work"), "practices": _("Practices"),
              "risk_factors": _("UN risk factors (Framework of Analysis)")}
    return figure([heatmap],
                  _("{what}: organizations per country").format(what=titles.get(kind, kind)),
                  yaxis={"autorange": "reversed"}, xaxis={"tickangle": -35},
                  height=300 + 12 * max(0, len(codes) - 4))


def cohort_chart(cohorts: list[dict]) -> Figure:
    """Per seminar: collaborations among its organizations before and after it."""
    if not cohorts:
        return empty_figure(_("No seminars yet"))
    x = [plot_text(c["seminar_id"]) for c in cohorts]
    bars = [
        trace("bar", name=_("ties before"), x=x, y=[c["ties_before"] for c in cohorts],
               marker={"color": palette.MUTED}),
        trace("bar", name=_("ties after"), x=x, y=[c["ties_after"] for c in cohorts],
               marker={"color": palette.SKY_BLUE}),
        trace("bar", name=_("cross-border after"), x=x, y=[c["cross_border_after"] for c in cohorts],
               marker={"color": palette.BLUE}),
        trace("bar", name=_("met there, then collaborated"), x=x,
               y=[c["met_then_collaborated"] for c in cohorts], marker={"color": palette.GREEN}),
    ]
    return figure(bars, _("Did the seminars make a difference?"), barmode="group",
                  yaxis=count_axis(_("collaborations"), [v for bar in bars for v in bar["y"]]))


def focal_grid(cells_by_org: dict[str, list[str]], coverable: list[str], orgs: dict[str, dict],
               countries: list[str]) -> Figure:
    """Country x risk factor grid: which focal organization covers each cell.

    Parameters
    ----------
    cells_by_org : dict
        focal org id -> cell labels it covers ("BA: risk factor 9").
    coverable : list of str
        Labels of every cell some organization covers.
    orgs : dict
        org id -> {"name", "engaged"} for hover text.
    countries : list of str
        Row order.

    Notes
    -----
    Shading: dark = covered by an engaged focal point, mid = covered by a
    focal point without UNOGP history yet, light = coverable but not covered
    by the set, blank = no organization covers it.
    """
    items = [f"risk factor {n}" for n in vocab.RISK_FACTORS]
    owner = {cell: org for org, cells in cells_by_org.items() for cell in cells}
    coverable_set = set(coverable)
    z, text, hover = [], [], []
    for c in countries:
        zr, tr, hr = [], [], []
        for item in items:
            cell = f"{c}: {item}"
            shown = _("{country}: risk factor {n}").format(country=plot_text(c),
                                                           n=item.rsplit(" ", 1)[-1])
            org = owner.get(cell)
            if org is not None:
                engaged = orgs.get(org, {}).get("engaged")
                zr.append(3 if engaged else 2)
                tr.append(plot_text(org.split("-")[-1]))
                hr.append(f"{shown}: {plot_text(orgs.get(org, {}).get('name') or org)} "
                          f"({plot_text(org)})" + (_(", engaged with UNOGP") if engaged else ""))
            elif cell in coverable_set:
                zr.append(1)
                tr.append("·")
                hr.append(_("{cell}: covered by organizations outside the focal set").format(cell=shown))
            else:
                zr.append(0)
                tr.append("")
                hr.append(_("{cell}: no organization covers it").format(cell=shown))
        z.append(zr)
        text.append(tr)
        hover.append(hr)
    if not countries:
        return empty_figure(_("No organizations yet"))
    heatmap = trace("heatmap",
        z=z, x=[str(n) for n in vocab.RISK_FACTORS], y=[plot_text(c) for c in countries],
        text=text,
        texttemplate="%{text}", customdata=hover, hovertemplate="%{customdata}<extra></extra>",
        colorscale=[[0, palette.PAPER], [0.33, palette.PALE_BLUE], [0.66, palette.SKY_BLUE],
                    [1, palette.BLUE]],
        zmin=0, zmax=3, showscale=False, xgap=2, ygap=2,
    )
    return figure([heatmap], _("Who covers each country and risk factor"),
                  yaxis={"autorange": "reversed"},
                  xaxis={"title": {"text": _("UN Framework risk factor")}, "dtick": 1},
                  height=300 + 14 * max(0, len(countries) - 4))


def pair_network(sub, pos: dict, a: str, b: str) -> Figure:
    """A small network picture of how ``a`` and ``b`` are linked (from ``pair_neighbourhood``).

    Solid lines: declared collaborations; dotted: met at a seminar only. The
    two organizations are drawn larger and labelled; colours are countries.
    """
    if sub.number_of_nodes() == 0:
        return empty_figure(_("Not in the network"))
    traces = []
    for collaborated, dash in ((True, "solid"), (False, "dot")):
        xs, ys = [], []
        for u, v, d in sub.edges(data=True):
            if bool(d.get("collaborated", True)) is collaborated:
                xs += [pos[u][0], pos[v][0], None]
                ys += [pos[u][1], pos[v][1], None]
        if xs:
            traces.append(trace("scatter",
                x=xs, y=ys, mode="lines", hoverinfo="skip", showlegend=True,
                name=_("collaborated") if collaborated else _("met at a seminar"),
                line={"color": palette.LINE, "width": 2 if collaborated else 1, "dash": dash}))
    nodes = list(sub.nodes)
    traces.append(trace("scatter",
        x=[pos[n][0] for n in nodes], y=[pos[n][1] for n in nodes], mode="markers+text",
        text=[plot_text(n) if n in (a, b) else "" for n in nodes], textposition="top center",
        marker={"size": [22 if n in (a, b) else 12 for n in nodes],
                "color": [palette.country_colour(sub.nodes[n].get("country")) for n in nodes],
                "line": {"width": [3 if n in (a, b) else 1 for n in nodes], "color": palette.INK}},
        customdata=[f"{plot_text(sub.nodes[n].get('name') or n)} ({plot_text(n)}, "
                    f"{plot_text(sub.nodes[n].get('country'))})" for n in nodes],
        hovertemplate="%{customdata}<extra></extra>", showlegend=False,
    ))
    return figure(traces, "", xaxis={"visible": False}, yaxis={"visible": False}, height=260,
                  margin={"l": 5, "r": 5, "t": 10, "b": 5})
