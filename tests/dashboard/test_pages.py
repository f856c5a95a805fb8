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


def test_no_data_page_names_both_ways_to_get_data():
    page = no_data_page("Gaps", "No data to analyse yet", "gaps-empty")
    heading, card = page.children
    assert heading.children == "Gaps" and card.id == "gaps-empty"
    steps = [li.children for li in card.children[1].children]
    assert steps[0].children == "cso-network import FILE.xlsx"  # a command, shown as code
    assert steps[1] == "Or load the synthetic demo: cso-network init --demo"


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
