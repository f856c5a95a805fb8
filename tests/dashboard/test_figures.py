"""Figure builders, checked without a browser: the numbers drawn are the numbers given."""

from __future__ import annotations

import math
from pathlib import Path

from dashboard import figures
from tests.helpers import graphs

ROOT = Path(__file__).resolve().parents[2]


def test_mixing_heatmap_cells_are_symmetric_log_ratios():
    pairs = [
        {"a": "BA", "b": "BA", "observed": 4, "expected": 2.0, "ratio": 2.0},
        {"a": "BA", "b": "ME", "observed": 0, "expected": 3.0, "ratio": 0.0},
        {"a": "ME", "b": "ME", "observed": 1, "expected": 0.5, "ratio": 2.0},
    ]
    fig = figures.mixing_heatmap(pairs)
    heat = fig.data[0]
    assert list(heat.x) == ["BA", "ME"]
    assert heat.z[0][0] == math.log2(2.0)
    assert heat.z[0][1] == heat.z[1][0] == math.log2(1 / 8)  # no ties: bottom of the scale
    assert heat.z[1][1] is None  # under one tie expected: grey
    assert heat.text[0][1] == "0 / 3.0"


def test_coverage_heatmap_marks_zero_and_one():
    cov = {"ME": {"law": 0, "peacebuilding": 1}, "BA": {"law": 3, "peacebuilding": 2}}
    heat = figures.coverage_heatmap(cov, "fields").data[0]
    assert list(heat.y) == ["BA", "ME"]  # region order
    assert heat.text[1] == ["✕ 0", "! 1"] and heat.text[0] == ["3", "2"]


def test_risk_factor_labels_use_numbers_and_short_titles():
    heat = figures.coverage_heatmap({"BA": {"1": 2, "14": 0}}, "risk_factors").data[0]
    assert heat.x[0].startswith("1. ") and heat.x[1].startswith("14. ")


def test_cohort_chart_draws_the_counts():
    cohorts = [{"seminar_id": "S1", "ties_before": 3, "ties_after": 5, "cross_border_after": 2,
                "met_then_collaborated": 1}]
    fig = figures.cohort_chart(cohorts)
    assert [list(bar.y) for bar in fig.data] == [[3], [5], [2], [1]]


def test_empty_inputs_say_why():
    for fig in (figures.mixing_heatmap([]), figures.coverage_heatmap({}, "fields"),
                figures.cohort_chart([])):
        assert fig.layout.annotations and fig.layout.annotations[0].text


def test_country_colours_are_fixed_and_distinct():
    colours = [figures.country_colour(c) for c in ("BA", "ME", "MK", "RS", "HR", "SI", "AL", "XK")]
    assert len(set(colours)) == 8
    assert figures.country_colour("DE") == "#999999"


def test_figure_merges_the_house_look_with_its_own_layout():
    from dashboard.figures import LIGHT_TEMPLATE, figure, merge_layout

    fig = figure([], "Title", margin={"t": 5}, xaxis={"visible": False}, height=200)
    assert (fig.layout.margin.l, fig.layout.margin.r, fig.layout.margin.t, fig.layout.margin.b) == (
        10, 10, 5, 10)
    assert fig.layout.title.text == "Title" and fig.layout.title.x == 0
    assert fig.layout.height == 200 and fig.layout.xaxis.visible is False
    assert fig.layout.template.layout.paper_bgcolor == LIGHT_TEMPLATE.layout.paper_bgcolor
    # nested dicts merge key by key; other values are replaced; inputs are not changed
    base = {"legend": {"orientation": "h", "title": {"text": "a"}}, "height": 1}
    extra = {"legend": {"title": {"text": "b"}}, "height": 2}
    assert merge_layout(base, extra) == {"legend": {"orientation": "h", "title": {"text": "b"}},
                                         "height": 2}
    assert base == {"legend": {"orientation": "h", "title": {"text": "a"}}, "height": 1}


def test_every_figure_the_pages_draw_is_valid_plotly():
    """figure() skips plotly's validation at run time, so validate what the pages draw here.

    Rebuilding a figure from its JSON with validation on raises on any
    misspelt or misplaced property (e.g. a magic-underscore name in a dict).
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
        checked = go.Figure(fig.to_plotly_json())  # validates; raises ValueError if invalid
        kinds |= {t.type for t in checked.data}
    assert {"bar", "heatmap", "scatter", "scattergl"} <= kinds
