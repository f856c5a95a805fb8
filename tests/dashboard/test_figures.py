"""Figure builders, checked without a browser: the numbers drawn are the numbers given.

Figures are plain dicts (``{"data": [...], "layout": {...}}``); plotly's own
schema checks every figure the pages draw, and every colour comes from the
palette module.
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

from dashboard import figures
from dashboard.figures import palette
from tests.helpers import graphs

ROOT = Path(__file__).resolve().parents[2]


def test_mixing_heatmap_cells_are_symmetric_log_ratios():
    pairs = [
        {"a": "BA", "b": "BA", "observed": 4, "expected": 2.0, "ratio": 2.0},
        {"a": "BA", "b": "ME", "observed": 0, "expected": 3.0, "ratio": 0.0},
        {"a": "ME", "b": "ME", "observed": 1, "expected": 0.5, "ratio": 2.0},
    ]
    fig = figures.mixing_heatmap(pairs)
    heat = fig["data"][0]
    assert heat["x"] == ["BA", "ME"]
    assert heat["z"][0][0] == math.log2(2.0)
    assert heat["z"][0][1] == heat["z"][1][0] == math.log2(1 / 8)  # no ties: bottom of the scale
    assert heat["z"][1][1] is None  # under one tie expected: grey
    assert heat["text"][0][1] == "0 / 3.0"


def test_coverage_heatmap_marks_zero_and_one():
    cov = {"ME": {"law": 0, "peacebuilding": 1}, "BA": {"law": 3, "peacebuilding": 2}}
    heat = figures.coverage_heatmap(cov, "fields")["data"][0]
    assert heat["y"] == ["BA", "ME"]  # region order
    assert heat["text"][1] == ["✕ 0", "! 1"] and heat["text"][0] == ["3", "2"]


def test_risk_factor_labels_use_numbers_and_short_titles():
    heat = figures.coverage_heatmap({"BA": {"1": 2, "14": 0}}, "risk_factors")["data"][0]
    assert heat["x"][0].startswith("1. ") and heat["x"][1].startswith("14. ")


def test_cohort_chart_draws_the_counts():
    cohorts = [{"seminar_id": "S1", "ties_before": 3, "ties_after": 5, "cross_border_after": 2,
                "met_then_collaborated": 1}]
    fig = figures.cohort_chart(cohorts)
    assert [bar["y"] for bar in fig["data"]] == [[3], [5], [2], [1]]


def test_empty_inputs_say_why():
    for fig in (figures.mixing_heatmap([]), figures.coverage_heatmap({}, "fields"),
                figures.cohort_chart([])):
        assert fig["layout"]["annotations"] and fig["layout"]["annotations"][0]["text"]


def test_overview_bars_carry_the_counts_and_country_colours():
    import pandas as pd

    frame = pd.DataFrame({"country": ["ME", "BA", "DE"], "organizations": [4, 2, 1]})
    bar = figures.organizations_by_country(frame)["data"][0]
    assert bar["x"] == [4, 2, 1] and all(type(n) is int for n in bar["x"])
    assert bar["marker"]["color"] == [palette.ORANGE, palette.BLUE, palette.OTHER]


def test_country_colours_are_fixed_and_distinct():
    colours = [figures.country_colour(c) for c in ("BA", "ME", "MK", "RS", "HR", "SI", "AL", "XK")]
    assert colours == list(palette.PALETTE)  # the region's order, one Okabe-Ito colour each
    assert figures.country_colour("DE") == figures.country_colour(None) == "#999999"
    assert [figures.colour(i) for i in (-1, 0, 7, 8)] == ["#999999", "#0072B2", "#000000",
                                                           "#999999"]


def test_the_palette_is_okabe_ito():
    """The published values (Okabe and Ito 2008; also Wong, Nature Methods 8:441, 2011)."""
    assert palette.PALETTE == ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00",
                               "#F0E442", "#000000")
    assert (palette.BLUE, palette.VERMILLION, palette.BLACK) == ("#0072B2", "#D55E00", "#000000")


HEX_COLOUR = re.compile(r"#(?:[0-9A-Fa-f]{8}|[0-9A-Fa-f]{6}|[0-9A-Fa-f]{3,4})\b")


def test_hex_colour_pattern():
    assert HEX_COLOUR.findall('c = "#0072B2"; d = "#fff"; e = "#1b1f24cc"') == [
        "#0072B2", "#fff", "#1b1f24cc"]
    assert HEX_COLOUR.findall("import #12; #network-graph; #{n}; # comment") == []


def test_no_colour_is_written_outside_the_palette_module():
    """One palette: the dashboard's code names colours only through dashboard/figures/palette.py.

    The style sheets (``assets/*.css``) hold the page colours and are left out.
    """
    root = ROOT / "dashboard"
    found = []
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root).as_posix()
        if (not path.is_file() or "__pycache__" in path.parts or relative == "figures/palette.py"
                or (relative.startswith("assets/") and path.suffix == ".css")):
            continue
        text = path.read_text(encoding="utf-8")
        found += [f"{relative}:{text.count(chr(10), 0, m.start()) + 1}: {m.group()}"
                  for m in HEX_COLOUR.finditer(text)]
    assert found == []


def test_figure_merges_the_house_look_with_its_own_layout():
    from dashboard.figures.charts import LIGHT_TEMPLATE, figure, merge_layout

    fig = figure([], "Title", margin={"t": 5}, xaxis={"visible": False}, height=200)
    layout = fig["layout"]
    assert layout["margin"] == {"l": 10, "r": 10, "t": 5, "b": 10}
    assert layout["title"]["text"] == "Title" and layout["title"]["x"] == 0
    assert layout["height"] == 200 and layout["xaxis"] == {"visible": False}
    assert layout["template"]["layout"]["paper_bgcolor"] == palette.PAPER
    assert layout["template"] is LIGHT_TEMPLATE  # shared, not copied per figure
    # nested dicts merge key by key; other values are replaced; inputs are not changed
    base = {"legend": {"orientation": "h", "title": {"text": "a"}}, "height": 1}
    extra = {"legend": {"title": {"text": "b"}}, "height": 2}
    assert merge_layout(base, extra) == {"legend": {"orientation": "h", "title": {"text": "b"}},
                                         "height": 2}
    assert base == {"legend": {"orientation": "h", "title": {"text": "a"}}, "height": 1}


def test_every_figure_the_pages_draw_is_valid_plotly():
    """The pages draw plain dicts, unchecked at run time, so check each with plotly's schema here.

    ``plotly.graph_objects.Figure(fig)`` validates every property and raises
    on a misspelt or misplaced one (e.g. a magic-underscore name in a dict).
    Each figure is plain JSON data too: no numpy or pandas values.
    """
    import importlib

    import plotly.graph_objects as go

    from cso_network.workspace import Workspace
    from dashboard.app import create_app

    ws = Workspace.open(data=ROOT / "data" / "demo" / "pcrc_demo.xlsx")
    app = create_app(ws)
    pages = {name: importlib.import_module(f"pages.{name}")
             for name in ("overview", "gaps", "network", "partners", "unogp", "org")}
    org = ws.dataset.organizations["org_id"].iloc[3]
    with app.server.test_request_context("/"):
        drawn = graphs(pages["overview"].layout())
        drawn += graphs(pages["gaps"]._content("collaborated", None, None))
        for view in ("geographic", "force"):
            drawn.append(pages["network"]._render("combined", view, "country", "degree", org,
                                                  None, None, None, None, None, None)[0])
        drawn += graphs(pages["partners"]._results(org, "balanced", None, None, None))
        drawn += graphs(pages["unogp"]._focal(None))
        drawn += graphs(pages["org"].layout(org_id=org))
    assert len(drawn) >= 20
    kinds = set()
    for fig in drawn:
        assert isinstance(fig, dict) and set(fig) == {"data", "layout"}
        json.dumps(fig)  # raises TypeError on a value that is not plain JSON data
        checked = go.Figure(fig)  # validates; raises ValueError if invalid
        kinds |= {t.type for t in checked.data}
    assert {"bar", "heatmap", "scatter", "scattergl"} <= kinds


def test_count_axes_tick_at_whole_numbers():
    """Small counts tick 0, 1, 2, … (plotly's own step of 0.5 would label them 0, 1, 1, 2, 2)."""
    import pandas as pd

    from dashboard.figures.charts import count_step

    # 1, 2 or 5 times a power of ten, the smallest with at most 5 ticks above zero (by hand).
    assert [count_step(n) for n in (0, 1, 4, 5, 6, 10, 11, 25, 26, 50, 60, 100, 101, 1125)] == [
        1, 1, 1, 1, 2, 2, 5, 5, 10, 10, 20, 20, 50, 500]
    cohorts = [{"seminar_id": "S1", "ties_before": 0, "ties_after": 2, "cross_border_after": 1,
                "met_then_collaborated": 1}]
    counts = pd.DataFrame({"country": ["ME", "BA"], "organizations": [2, 1]})
    fields = pd.DataFrame({"field": ["law", "law", "peacebuilding"],
                           "country": ["BA", "ME", "BA"], "organizations": [4, 3, 1]})
    axes = {"collaborations": figures.cohort_chart(cohorts)["layout"]["yaxis"],
            "organizations": figures.organizations_by_country(counts)["layout"]["xaxis"],
            "stacked": figures.fields_by_country(fields)["layout"]["xaxis"]}
    for name, axis in axes.items():
        assert axis["tick0"] == 0 and axis["tickformat"] == ",d", name
        assert isinstance(axis["dtick"], int) and axis["dtick"] >= 1, name
    assert axes["collaborations"]["dtick"] == axes["organizations"]["dtick"] == 1
    assert axes["stacked"]["dtick"] == 2  # law: 4 + 3 = 7 organizations, ticks 0, 2, 4, 6
    assert axes["collaborations"]["title"] == {"text": "collaborations"}


def _titles(value, path=""):
    """Every ``title`` in a figure's layout and traces, with where it is."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "title":
                yield f"{path}.{key}", item
            if key != "template":
                yield from _titles(item, f"{path}.{key}")
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _titles(item, f"{path}[{i}]")


def test_legends_sit_below_the_plot_and_the_mode_bar_along_the_top():
    """The mode bar (top right, in the title row) never covers a legend (one row along the
    bottom), on every figure the pages draw; titles are dicts, as plotly.js 3+ draws them."""
    from cso_network.workspace import Workspace
    from dashboard.app import create_app
    from tests.helpers import DEMO, drawn_figures

    ws = Workspace.open(data=DEMO)
    drawn = drawn_figures(create_app(ws), [ws.dataset.organizations["org_id"].iloc[3]])
    assert len(drawn) >= 15
    for fig in drawn:
        layout = fig["layout"]
        assert layout["modebar"] == {"orientation": "h"}
        legend = layout["legend"]
        assert (legend["orientation"], legend["yref"], legend["y"], legend["yanchor"]) == (
            "h", "container", 0, "bottom"), legend
        assert [where for where, title in _titles(fig) if not isinstance(title, dict)] == []
    legends = [fig for fig in drawn if any(t.get("showlegend") for t in fig["data"])
               or sum(1 for t in fig["data"] if t.get("name")) > 1]
    assert legends  # the network, the seminars chart, the fields chart, the partner pictures
