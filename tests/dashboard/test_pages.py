"""Page callbacks called without a browser: stale links and shared pieces say what they should."""

from __future__ import annotations

import sys

import pytest

from cso_network.access.privacy import public_participants
from cso_network.core.model import Dataset, frame_from_records
from cso_network.demo.synth import generate_programme
from cso_network.workspace import Workspace
from dashboard.app import create_app
from dashboard.components import no_data_page, person_items


@pytest.fixture(scope="module")
def app():
    return create_app(Workspace(generate_programme().dataset, version="pages", name="demo"))


def _callback(module: str, name: str):
    func = getattr(sys.modules[f"pages.{module}"], name)
    return getattr(func, "__wrapped__", func)


def test_a_link_to_an_unknown_organization_says_so(app):
    with app.server.test_request_context():
        path = _callback("unogp", "_path")("ORG-999")
        results = _callback("partners", "_results")("ORG-999", "balanced", [], [], [])
    assert path.children == "No organization ORG-999 in this workspace."
    assert results.children == "No organization ORG-999 in this workspace."


def test_a_known_organization_still_gets_its_path_and_suggestions(app):
    with app.server.test_request_context():
        path = _callback("unogp", "_path")("ORG-011")
        results = _callback("partners", "_results")("ORG-011", "balanced", [], [], [])
    assert path.children[0].id == "unogp-path-sentence"
    assert results.id == "partners-list"


def _links(component) -> list:
    """Every dcc.Link in a Dash component tree."""
    from dash import dcc

    nodes = [component, *component._traverse()]
    return [node for node in nodes if isinstance(node, dcc.Link)]


def _text(component) -> str:
    """The text of a Dash component tree, strings joined by spaces."""
    texts = []
    for node in [component, *component._traverse()]:
        children = getattr(node, "children", None)
        texts += [c for c in (children if isinstance(children, list) else [children])
                  if isinstance(c, str)]
    return " ".join(texts)


def test_no_data_page_points_to_the_data_page(app):
    with app.server.test_request_context("/gaps"):
        page = no_data_page("Gaps", "No data to analyse yet", "gaps-empty")
    heading, card = page.children
    assert heading.children == "Gaps" and card.id == "gaps-empty"
    assert [link.href for link in _links(card)] == ["/data"]
    steps = card.children[1]  # the numbered steps, the Data page first
    assert "Open the" in _text(steps) and "cso-network" not in _text(steps)
    aside = card.children[2]  # the command line, as an aside for whoever runs the dashboard
    assert aside.className == "muted"
    assert [code.children for code in aside.children if hasattr(code, "children")] == [
        "cso-network import FILE.xlsx", "cso-network init --demo"]


def test_a_dashboard_for_participants_does_not_point_to_the_data_page():
    import flask

    from dashboard.components import get_data_steps
    from dashboard.state import PUBLIC_KEY

    server = flask.Flask(__name__)
    server.config[PUBLIC_KEY] = True
    with server.test_request_context("/"):
        steps = get_data_steps("overview-empty")
    assert [step.children for step in steps] == [
        "Nothing has been published here yet: the programme's staff import the data."]


def test_the_gaps_page_can_show_every_gap_with_its_filters(app):
    """The first 40 gaps are listed, the others behind one control: all of them, filtered."""
    from cso_network.analysis.report import select_gaps
    from dashboard.state import current_workspace

    with app.server.test_request_context("/gaps"):
        gaps = current_workspace().analysis("collaborated")["gaps"]
        for countries, fields in ((None, None), (["RS"], None), (["BA", "ME"], ["law"])):
            expected = select_gaps(gaps, countries=countries, items=fields)
            content, _query = _callback("gaps", "_update")("collaborated", countries, fields)
            nodes = [content, *content._traverse()]
            listed = {node.id: node.children for node in nodes
                      if getattr(node, "id", None) in ("gaps-list", "gaps-list-more")}
            shown = listed["gaps-list"] + listed.get("gaps-list-more", [])
            assert [str(li.children[1].children) for li in shown] == [
                str(g["detail"]) for g in expected], (countries, fields)
            more = [node for node in nodes if getattr(node, "id", None) == "gaps-more"]
            if len(expected) > 40:
                assert len(listed["gaps-list"]) == 40
                assert more[0].children[0].children == f"Show the other {len(expected) - 40} gaps"
                assert more[0].children[1].start == 41  # numbering goes on
            else:
                assert more == []
            assert "cso-network" not in _text(content)
    assert len(select_gaps(gaps)) > 40  # the demo needs the control


def test_the_data_page_lists_every_problem_of_a_check(app):
    """The library bounds the problems (CSO_NETWORK_MAX_PROBLEMS); the page shows them all."""
    from cso_network.core.messages import msg
    from cso_network.core.problems import Problem

    problems = [Problem(severity="error", file="big.xlsx", sheet="attendance", row=n,
                        column="seminar_id",
                        value=f"S{n}", message=msg("unknown seminar '{value}'", value=f"S{n}"))
                for n in range(2, 352)]
    with app.server.test_request_context("/data"):
        box = _callback("data", "_problem_table")(problems)
    rows = box.children.children[1].children
    assert len(rows) == 350
    assert rows[-1].children[2].children == 351
    assert "cso-network" not in _text(box)


def test_the_years_under_the_slider_are_few_and_include_both_ends():
    year_marks = sys.modules["pages.network"].year_marks
    assert year_marks(1996, 2024) == [1996, 2003, 2010, 2017, 2024]
    assert year_marks(2010, 2020) == [2010, 2013, 2016, 2020]  # 2019 would crowd 2020
    assert year_marks(2019, 2021) == [2019, 2020, 2021]
    assert year_marks(2020, 2020) == [2020]
    for lo in range(1990, 2000):
        for hi in range(lo + 1, 2030):
            marks = year_marks(lo, hi)
            assert marks[0] == lo and marks[-1] == hi and len(marks) <= 5
            assert marks == sorted(set(marks))


def test_person_items_show_contact_details_only_with_consent():
    ds = Dataset.from_frames({"participants": frame_from_records("participants", [
        {"participant_id": "p1", "org_id": "A", "full_name": "Ana", "role": "director",
         "email": "ana@example.org", "phone": "+387 61 555 0101",
         "consent_directory": True, "consent_contact": True},
        {"participant_id": "p2", "org_id": "A", "full_name": "Bo", "email": "bo@example.org",
         "consent_directory": True, "consent_contact": False},
        {"participant_id": "p3", "org_id": "A", "full_name": "Cy", "consent_directory": False},
    ])})
    items = person_items(public_participants(ds, "A"))
    assert [li.children for li in items] == [
        "Ana · director · ana@example.org · +387 61 555 0101", "Bo",
        "1 participant not listed (no consent to the directory)."]


@pytest.mark.parametrize(("lang", "parts", "isolates", "expected"), [
    ("en", 1, 1, "1 separate part, 1 isolated organization."),
    ("en", 3, 0, "3 separate parts, 0 isolated organizations."),
    ("bs", 1, 21, "1 odvojen dio, 21 izolovana organizacija."),
    ("bs", 3, 2, "3 odvojena dijela, 2 izolovane organizacije."),
    ("bs", 5, 12, "5 odvojenih dijelova, 12 izolovanih organizacija."),
])
def test_gaps_summary_counts_in_words(app, lang, parts, isolates, expected):
    """Counts take the plural form of the number (BCS has three), not "part(s)"."""
    result = {"summary": {"cross_border_share": 0.5, "ei_index": None, "components": parts,
                          "isolates": isolates}, "meta": {"ties": 4}}
    with app.server.test_request_context(f"/?lang={lang}"):
        text = _callback("gaps", "_summary_sentence")(result).children
    assert text.endswith(expected)


@pytest.mark.parametrize(("lang", "names"), [
    ("en", ["these suggestions (Balanced)", "Adamic-Adar (partners in common)",
            "preferential attachment (most-connected first)", "random"]),
    ("bs", ["Adamic-Adar (zajednički partneri)", "nasumično"]),
])
def test_backtest_table_names_the_methods(app, lang, names):
    import json

    import plotly

    with app.server.test_request_context(f"/?lang={lang}"):
        card = _callback("partners", "_backtest")("balanced")
    text = json.dumps(card.to_plotly_json(), cls=plotly.utils.PlotlyJSONEncoder,
                      ensure_ascii=False)
    for name in names:
        assert name in text
    assert "adamic adar" not in text


@pytest.mark.parametrize(("lang", "words"), [
    ("en", "times as many real new ties in their top 10 as Adamic-Adar alone (95% interval "),
    ("bs", "puta onoliko stvarnih novih veza koliko sam Adamic-Adar (interval od 95%: "),
])
def test_backtest_card_states_the_ratio_in_the_readers_language(app, lang, words):
    with app.server.test_request_context(f"/?lang={lang}"):
        card = _callback("partners", "_backtest")("balanced")
    ratio = [c for c in card.children if getattr(c, "id", None) == "partners-backtest-ratio"]
    assert len(ratio) == 1 and words in ratio[0].children


def test_the_consent_line_is_one_component_on_the_profile_and_the_partner_card():
    """Both pages say the unlisted count in the same words, from person_items."""
    from tests.helpers import ROOT

    for page in ("org", "partners"):
        source = (ROOT / "dashboard" / "pages" / f"{page}.py").read_text(encoding="utf-8")
        assert "person_items(" in source and "not listed" not in source, page
    people = {"listed": [], "unlisted": 2}
    assert [li.children for li in person_items(people)] == [
        "2 participants not listed (no consent to the directory)."]


def test_the_profile_links_each_suggestion_to_that_organization(app):
    from dashboard.components import shorten
    from dashboard.state import current_workspace

    with app.server.test_request_context():
        ws = current_workspace()
        items = sys.modules["pages.org"]._suggestions(ws, "ORG-011").children
    assert len(items) == 5
    for item in items:
        link = item.children[0]
        org_id = link.href.removeprefix("/org/")
        assert org_id != "ORG-011"
        assert link.children == shorten(ws.organization(org_id)["name"])


def test_the_organization_list_orders_filters_and_links_rows(app):
    from dashboard.components import shorten
    from dashboard.state import current_workspace

    with app.server.test_request_context():
        ws = current_workspace()
        orgs = ws.dataset.organizations
        table, count = _callback("organizations", "_list")(None, None)
        hit, _count = _callback("organizations", "_list")("ORG-011", None)
        country = ws.organization("ORG-011")["country"]
        other = next(c for c in orgs["country"] if c != country)
        none, _none = _callback("organizations", "_list")("ORG-011", [other])
        only, only_count = _callback("organizations", "_list")(None, [country])

    def rows(table):
        return [(row.children[0].children.href, row.children[0].children.children)
                for row in table.children[1].children]

    everyone = rows(table)
    assert count == f"{len(orgs)} organizations"
    assert [name for _href, name in everyone] == sorted(shorten(n) for n in orgs["name"])
    assert rows(hit)[0] == ("/org/ORG-011", shorten(ws.organization("ORG-011")["name"]))
    assert none.id == "organizations-none"  # the id's organization is not in that country
    in_country = set(orgs.loc[orgs["country"] == country, "org_id"])
    assert {href.removeprefix("/org/") for href, _name in rows(only)} == in_country
    assert only_count == f"{len(in_country)} organizations"
