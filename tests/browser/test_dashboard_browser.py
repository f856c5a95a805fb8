"""Browser tests: the real dashboard in headless Chromium (dash[testing]'s ``dash_duo``).

Screenshots go to ``test-artifacts/`` (ignored by git) for reviewers.
"""

from __future__ import annotations

import time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.wait import WebDriverWait

from cso_network.access.privacy import public_participants
from cso_network.core.text import fold
from cso_network.recommend.components import COMPONENTS
from cso_network.store.sql import Store
from cso_network.unogp.focal import missing_contacts
from cso_network.workspace import Workspace, import_workbook
from dashboard import figures
from dashboard.app import create_app

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def _screenshot(dash_duo, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    dash_duo.driver.set_window_size(1366, 900)
    time.sleep(0.6)  # plotly relayouts responsive graphs after a debounced resize
    dash_duo.driver.save_screenshot(str(ARTIFACTS / f"{name}.png"))


def _errors(dash_duo) -> list:
    return [entry for entry in (dash_duo.get_logs() or []) if entry.get("level") == "SEVERE"]


def test_overview_shows_the_summary_numbers(dash_duo, tiny_workbook):
    store = Store.memory()
    import_workbook(store, tiny_workbook)
    ws = Workspace.from_store(store)
    dash_duo.start_server(create_app(ws))
    dash_duo.wait_for_text_to_equal("#overview-stat-organizations", "3", timeout=10)
    expected = ws.summary()
    for key, value in expected.items():
        assert dash_duo.find_element(f"#overview-stat-{key}").text == f"{value:,}"
    dash_duo.wait_for_element("#overview-countries .main-svg", timeout=10)
    dash_duo.wait_for_element("#overview-seminars", timeout=10)
    assert "Sarajevo" in dash_duo.find_element("#overview-seminars").text
    assert "tiny.xlsx" in dash_duo.find_element("#shell-freshness").text
    _screenshot(dash_duo, "overview-tiny")
    assert _errors(dash_duo) == []


def test_overview_on_an_empty_workspace_says_how_to_import(dash_duo):
    dash_duo.start_server(create_app(Workspace.from_store(Store.memory())))
    dash_duo.wait_for_element("#overview-empty", timeout=10)
    text = dash_duo.find_element("#overview-empty").text
    assert "cso-network import" in text and "init --demo" in text
    _screenshot(dash_duo, "overview-empty")
    assert _errors(dash_duo) == []


def test_overview_picks_up_a_new_import_without_restart(dash_duo, tiny_workbook):
    store = Store.memory()
    dash_duo.start_server(create_app(Workspace.from_store(store)))
    dash_duo.wait_for_element("#overview-empty", timeout=10)
    import_workbook(store, tiny_workbook)
    dash_duo.driver.refresh()
    dash_duo.wait_for_text_to_equal("#overview-stat-organizations", "3", timeout=10)


def test_overview_agrees_with_cli_summary_on_the_demo(dash_duo):
    import json

    from typer.testing import CliRunner

    from cso_network.cli import app as cli

    demo = Path(__file__).resolve().parents[2] / "data" / "demo" / "pcrc_demo.xlsx"
    result = CliRunner().invoke(cli, ["summary", "--data", str(demo), "--json"])
    expected = json.loads(result.stdout)
    dash_duo.start_server(create_app(Workspace.open(data=demo)))
    dash_duo.wait_for_text_to_equal(
        "#overview-stat-organizations", f"{expected['organizations']:,}", timeout=10
    )
    for key, value in expected.items():
        assert dash_duo.find_element(f"#overview-stat-{key}").text == f"{value:,}", key
    dash_duo.wait_for_element("#overview-fields .main-svg", timeout=10)
    _screenshot(dash_duo, "overview-demo")
    assert _errors(dash_duo) == []


DEMO = Path(__file__).resolve().parents[2] / "data" / "demo" / "pcrc_demo.xlsx"


def test_gaps_page_on_the_demo(dash_duo):
    ws = Workspace.open(data=DEMO)
    expected = ws.analysis("collaborated")
    dash_duo.start_server(create_app(ws))
    dash_duo.wait_for_element("#nav-gaps", timeout=10).click()
    dash_duo.wait_for_element("#gaps-list", timeout=20)
    first = dash_duo.find_elements("#gaps-list li")[0].text
    assert expected["gaps"][0]["detail"] in first
    assert "No declared collaboration between organizations in Montenegro (ME) and North Macedonia (MK)" in first
    dash_duo.wait_for_element("#gaps-mixing .main-svg", timeout=10)
    dash_duo.wait_for_element("#gaps-cohorts .main-svg", timeout=10)
    assert "ORG-" in dash_duo.find_element("#gaps-brokers").text
    _screenshot(dash_duo, "gaps-demo")
    # Filtering by a country keeps only the gaps that concern it.
    dash_duo.select_dcc_dropdown("#gaps-country", value="Albania (AL)")
    dash_duo.wait_for_text_to_equal(
        "#gaps-content h2", f"Gaps, worst first ({_count(expected, 'AL')})", timeout=10
    )
    for li in dash_duo.find_elements("#gaps-list li"):
        assert "AL" in li.text or "Albania" in li.text
    assert _errors(dash_duo) == []


def _count(result: dict, country: str) -> int:
    from cso_network.analysis.report import select_gaps

    return len(select_gaps(result["gaps"], countries=[country]))


def test_gaps_page_on_an_empty_workspace(dash_duo):
    dash_duo.start_server(create_app(Workspace.from_store(Store.memory())))
    dash_duo.wait_for_element("#nav-gaps", timeout=10).click()
    dash_duo.wait_for_element("#gaps-empty", timeout=10)
    assert "cso-network import" in dash_duo.find_element("#gaps-empty").text
    assert _errors(dash_duo) == []


def test_unogp_page_on_the_demo(dash_duo):
    ws = Workspace.open(data=DEMO)
    focal = ws.focal_points().to_dict()
    dash_duo.start_server(create_app(ws))
    dash_duo.wait_for_element("#nav-unogp", timeout=10).click()
    dash_duo.wait_for_element("#unogp-sentence", timeout=20)
    assert dash_duo.find_element("#unogp-sentence").text.startswith(
        f"{focal['k']} organizations together cover {focal['covered']} of the {focal['total']}")
    rows = dash_duo.find_elements("#unogp-focal tbody tr")
    assert len(rows) == focal["k"] and focal["orgs"][0]["org_id"] in rows[0].text
    dash_duo.wait_for_element("#unogp-grid .main-svg", timeout=10)
    # Missing contacts: the library's list, in its order, one line each with its reason.
    missing = missing_contacts(ws.graph("collaborated"), ws.dataset)
    assert len(missing) > 0  # the demo has gaps (no engaged contact in XK, AL, risk factor 13)
    dash_duo.wait_for_element("#unogp-missing li", timeout=10)
    assert [li.text for li in dash_duo.find_elements("#unogp-missing li")] == [
        f"{r.name} ({r.org_id}, {r.country}): {r.reason}" for r in missing.itertuples()]
    # Fixing k = 3 shows three focal points.
    dash_duo.select_dcc_dropdown("#unogp-k", value="3")
    dash_duo.wait_for_text_to_equal("#unogp-sentence", _sentence(ws.focal_points(3).to_dict()),
                                    timeout=10)
    assert len(dash_duo.find_elements("#unogp-focal tbody tr")) == 3
    # An introduction path for an organization picked by name.
    org = "ORG-070"
    name = ws.dataset.organizations.set_index("org_id").loc[org, "name"]
    dash_duo.select_dcc_dropdown("#unogp-org", value=f"{name} (AL, {org})")
    expected = ws.introduction_paths()[org].sentence
    dash_duo.wait_for_text_to_equal("#unogp-path-sentence", expected, timeout=10)
    _screenshot(dash_duo, "unogp-demo")
    assert _errors(dash_duo) == []


def _sentence(data: dict) -> str:
    who = ("1 organization covers" if data["k"] == 1
           else f"{data['k']} organizations together cover")
    return (f"{who} {data['covered']} of the "
            f"{data['total']} country × risk-factor and country × field cells that anyone covers "
            f"({data['coverage']:.0%}).")


def test_unogp_page_on_an_empty_workspace(dash_duo):
    dash_duo.start_server(create_app(Workspace.from_store(Store.memory())))
    dash_duo.wait_for_element("#nav-unogp", timeout=10).click()
    dash_duo.wait_for_element("#unogp-empty", timeout=10)
    assert _errors(dash_duo) == []


def test_partners_page_on_the_demo(dash_duo):
    ws = Workspace.open(data=DEMO)
    org = "ORG-011"
    expected = ws.suggestions(org, top=60)
    orgs = ws.dataset.organizations.set_index("org_id")
    dash_duo.start_server(create_app(ws))
    dash_duo.wait_for_element("#nav-partners", timeout=10).click()
    dash_duo.wait_for_element("#partners-hint", timeout=10)
    # Typing Latin finds a Cyrillic name: "Bretana" is in ORG-005's name only (as "Бретана").
    cyrillic = "ORG-005"
    assert orgs.loc[cyrillic, "name"] == "Иницијатива „Бретана“ за превенцију насиља"
    assert [i for i, n in orgs["name"].items() if "bretana" in fold(n)] == [cyrillic]
    dash_duo.find_element("#partners-org").click()
    search = dash_duo.wait_for_element(".dash-dropdown-search", timeout=10)
    # with a diacritic too: "Štip" is only in ORG-016's name (as "Штип")
    assert [i for i, n in orgs["name"].items() if "stip" in fold(n)] == ["ORG-016"]
    search.send_keys("Štip")
    dash_duo.wait_for_text_to_equal(
        ".dash-dropdown-options", f"{orgs.loc['ORG-016', 'name']} (MK, ORG-016)", timeout=10)
    search.send_keys(Keys.BACKSPACE * len("Štip"))
    search.send_keys("Bretana")
    dash_duo.wait_for_text_to_equal(
        ".dash-dropdown-options", f"Иницијатива „Бретана“ за превенцију насиља (RS, {cyrillic})",
        timeout=10)
    dash_duo.find_element(".dash-dropdown-options .dash-dropdown-option").click()
    found = ws.suggestions(cyrillic, top=60)
    dash_duo.wait_for_text_to_equal("#partners-list h3", f"1. {found[0]['name']}", timeout=20)
    assert [e.text for e in dash_duo.find_elements("#partners-list h3")] == [
        f"{i}. {r['name']}" for i, r in enumerate(found[:10], 1)]
    assert "Бретана" in dash_duo.find_element("#partners-org").text
    # Now ORG-011, picked from the full list.
    name = orgs.loc[org, "name"]
    dash_duo.select_dcc_dropdown("#partners-org", value=f"{name} (ME, {org})")
    dash_duo.wait_for_text_to_equal("#partners-list h3", f"1. {expected[0]['name']}", timeout=20)
    titles = [e.text for e in dash_duo.find_elements("#partners-list h3")]
    assert titles == [f"{i}. {r['name']}" for i, r in enumerate(expected[:10], 1)]
    cards = dash_duo.find_elements(".suggestion")
    first_card = cards[0].text
    for reason in expected[0]["reasons"]:
        assert reason in first_card
    # The score bar: its filled share is the score (the components add up to it).
    top = expected[0]
    assert f"score {top['score']:.2f}" in first_card
    assert sum(top["components"].values()) == pytest.approx(top["score"])
    bar = cards[0].find_element(By.CSS_SELECTOR, ".score-bar")
    assert bar.is_displayed()
    assert bar.get_attribute("aria-label") == f"score {top['score']:.2f} of 1"
    parts = bar.find_elements(By.CSS_SELECTOR, ".bar-part")
    assert len(parts) == sum(v > 0 for v in top["components"].values())
    # Each part is one component of the registry: its label, its value, its palette colour.
    drawn = [(c.label, value, figures.colour(c.colour)) for c, value
             in zip(COMPONENTS.values(), top["components"].values(), strict=True) if value > 0]
    assert [p.get_attribute("title") for p in parts] == [f"{label}: {value:.2f}"
                                                         for label, value, _c in drawn]
    assert [_hex(p.value_of_css_property("background-color")) for p in parts] == [
        c.lower() for _l, _v, c in drawn]
    filled = sum(part.size["width"] for part in parts) / bar.size["width"]
    assert filled == pytest.approx(top["score"], abs=0.01)
    dash_duo.wait_for_element(".card-graph .main-svg", timeout=10)
    dash_duo.wait_for_element("#partners-backtest-table", timeout=20)
    engine = ws.backtest()["methods"]["engine"]
    assert f"{round(engine['precision_at_k'], 3)}" in dash_duo.find_element(
        "#partners-backtest-table").text
    _screenshot(dash_duo, "partners-demo")
    # Profiles: closed until opened; people as their consent allows. ORG-034 has one person
    # listed and one who did not answer the directory question; ORG-073's one person
    # declined it (both unlisted ones have contact details on file, which stay hidden).
    shown = [r["partner_id"] for r in expected[:10]]
    for partner in ("ORG-034", "ORG-073"):
        _check_profile(dash_duo, ws, cards[shown.index(partner)], partner)
    # Only Macedonian partners: every card names North Macedonia.
    dash_duo.select_dcc_dropdown("#partners-country", value="North Macedonia (MK)")
    dash_duo.wait_for_text_to_equal(
        "#partners-list h3",
        f"1. {next(r['name'] for r in expected if r['country'] == 'MK')}", timeout=10)
    for card in dash_duo.find_elements(".suggestion"):
        assert "North Macedonia" in card.text
    # Another preset, picked on the page: other suggestions, the address and backtest follow.
    across = [r for r in ws.suggestions(org, preset="integration", top=60)
              if r["country"] == "MK"][:10]
    balanced = [r for r in expected if r["country"] == "MK"][:10]
    assert [r["partner_id"] for r in across] != [r["partner_id"] for r in balanced]
    dash_duo.select_dcc_dropdown("#partners-preset", value="Across borders (integration)")
    _wait_for_titles(dash_duo, [f"{i}. {r['name']}" for i, r in enumerate(across, 1)])
    wanted = {"org": ["ORG-011"], "preset": ["integration"], "countries": ["MK"]}
    WebDriverWait(dash_duo.driver, 10).until(
        lambda d: parse_qs(urlsplit(d.current_url).query) == wanted)
    assert urlsplit(dash_duo.driver.current_url).path == "/partners"
    assert parse_qs(urlsplit(dash_duo.find_element("#partners-share").get_attribute("href")).query
                    ) == wanted
    dash_duo.wait_for_contains_text(
        "#partners-backtest-table", "these suggestions (Across borders (integration))", timeout=10)
    engine = ws.backtest(preset="integration")["methods"]["engine"]
    assert f"{round(engine['precision_at_k'], 3)}" in dash_duo.find_element(
        "#partners-backtest-table").text
    # The learned preset: weights fitted on the demo's own history, said above the cards.
    learned = [r for r in ws.suggestions(org, preset="learned", top=60)
               if r["country"] == "MK"][:10]
    dash_duo.select_dcc_dropdown("#partners-preset", value="Learned from this workspace's history")
    dash_duo.wait_for_element("#partners-learned", timeout=20)
    _wait_for_titles(dash_duo, [f"{i}. {r['name']}" for i, r in enumerate(learned, 1)])
    info = ws.learned_weights(details=True)
    note = dash_duo.find_element("#partners-learned").text
    assert f"started in {info['inner_split_year']}–{info['last_year']}" in note
    top_part = max(info["weights"], key=info["weights"].get)
    assert f"{COMPONENTS[top_part].label} {info['weights'][top_part]:.0%}" in note
    dash_duo.wait_for_contains_text(
        "#partners-backtest-table", "these suggestions (Learned from this workspace's history)",
        timeout=30)
    assert _errors(dash_duo) == []


def _wait_for_titles(dash_duo, titles: list[str]) -> None:
    """Wait until the Partners page's cards are exactly ``titles``, in order."""
    def shown(_driver) -> bool:
        return [e.text for e in dash_duo.find_elements("#partners-list h3")] == titles

    WebDriverWait(dash_duo.driver, 20, ignored_exceptions=(StaleElementReferenceException,)
                  ).until(shown)


def _hex(css: str) -> str:
    """``rgba(0, 114, 178, 1)`` or ``rgb(0, 114, 178)`` as ``#0072b2``."""
    numbers = css[css.index("(") + 1:css.index(")")].split(",")[:3]
    return "#" + "".join(f"{int(n):02x}" for n in numbers)


def _check_profile(dash_duo, ws, card, org_id: str) -> None:
    """Open a card's profile; its people are exactly what consent allows (by hand and privacy)."""
    details = card.find_element(By.TAG_NAME, "details")
    profile = details.find_element(By.CSS_SELECTOR, ".profile")
    assert not profile.is_displayed()
    details.find_element(By.TAG_NAME, "summary").click()
    WebDriverWait(dash_duo.driver, 5).until(lambda _d: profile.is_displayed())
    text = profile.text
    city = ws.dataset.organizations.set_index("org_id").loc[org_id, "city"]
    assert f"City: {city}" in text
    # By hand: listed only with consent_directory; e-mail and phone only with consent_contact too.
    people = ws.dataset.participants[ws.dataset.participants["org_id"] == org_id]
    hidden = withheld = 0
    for p in people.to_dict("records"):
        listed = p["consent_directory"] is True
        contact = listed and p["consent_contact"] is True
        hidden += not listed
        assert (p["full_name"] in text) == listed, p["full_name"]
        for value in (p["email"], p["phone"]):
            if value:
                withheld += not contact
                assert (value in text) == contact, value
    assert withheld > 0  # someone here has contact details on file but did not consent
    # And line by line, what the privacy module allows.
    allowed = public_participants(ws.dataset, org_id)
    lines = [" · ".join(v for v in (p["full_name"], p["role"], p["email"], p["phone"]) if v)
             for p in allowed["listed"]]
    if hidden:
        assert allowed["unlisted"] == hidden
        lines.append(f"{hidden} participant{'s' if hidden > 1 else ''} not listed "
                     "(no consent to the directory).")
    assert [li.text for li in profile.find_elements(By.CSS_SELECTOR, "li")] == lines


def test_partners_page_on_an_empty_workspace(dash_duo):
    dash_duo.start_server(create_app(Workspace.from_store(Store.memory())))
    dash_duo.wait_for_element("#nav-partners", timeout=10).click()
    dash_duo.wait_for_element("#partners-empty", timeout=10)
    assert _errors(dash_duo) == []


def test_filters_live_in_the_url_and_a_shared_link_restores_them(dash_duo):
    ws = Workspace.open(data=DEMO)
    dash_duo.start_server(create_app(ws))
    dash_duo.driver.get(dash_duo.server_url + "/gaps?countries=AL")
    expected = _count(ws.analysis("collaborated"), "AL")
    dash_duo.wait_for_text_to_equal("#gaps-content h2", f"Gaps, worst first ({expected})",
                                    timeout=20)
    dash_duo.select_dcc_dropdown("#gaps-field", value="law")
    time.sleep(0.5)  # the clientside callback updates the link after the server one
    href = dash_duo.find_element("#gaps-share").get_attribute("href")
    assert href.endswith("/gaps?countries=AL&fields=law")
    assert dash_duo.driver.current_url.endswith("/gaps?countries=AL&fields=law")
    # Partners: organization, preset and a country filter in the link.
    dash_duo.driver.get(dash_duo.server_url + "/partners?org=ORG-011&preset=integration&countries=MK")
    dash_duo.wait_for_element("#partners-list", timeout=20)
    for card in dash_duo.find_elements(".suggestion"):
        assert "North Macedonia" in card.text
    assert "preset=integration" in dash_duo.find_element("#partners-share").get_attribute("href")
    assert _errors(dash_duo) == []
