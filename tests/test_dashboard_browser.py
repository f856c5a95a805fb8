"""Browser tests: the real dashboard in headless Chromium (dash[testing]'s ``dash_duo``).

Screenshots go to ``test-artifacts/`` (ignored by git) for reviewers.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from cso_network.store import Store
from cso_network.workspace import Workspace, import_workbook
from dashboard.app import create_app

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"


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

    demo = Path(__file__).resolve().parents[1] / "data" / "demo" / "pcrc_demo.xlsx"
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


DEMO = Path(__file__).resolve().parents[1] / "data" / "demo" / "pcrc_demo.xlsx"


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
    dash_duo.start_server(create_app(ws))
    dash_duo.wait_for_element("#nav-partners", timeout=10).click()
    dash_duo.wait_for_element("#partners-hint", timeout=10)
    name = ws.dataset.organizations.set_index("org_id").loc[org, "name"]
    dash_duo.select_dcc_dropdown("#partners-org", value=f"{name} (ME, {org})")
    dash_duo.wait_for_element("#partners-list", timeout=20)
    titles = [e.text for e in dash_duo.find_elements("#partners-list h3")]
    assert titles == [f"{i}. {r['name']}" for i, r in enumerate(expected[:10], 1)]
    first_card = dash_duo.find_elements(".suggestion")[0].text
    for reason in expected[0]["reasons"]:
        assert reason in first_card
    dash_duo.wait_for_element(".card-graph .main-svg", timeout=10)
    dash_duo.wait_for_element("#partners-backtest-table", timeout=20)
    engine = ws.backtest()["methods"]["engine"]
    assert f"{round(engine['precision_at_k'], 3)}" in dash_duo.find_element(
        "#partners-backtest-table").text
    _screenshot(dash_duo, "partners-demo")
    # Only Macedonian partners: every card names North Macedonia.
    dash_duo.select_dcc_dropdown("#partners-country", value="North Macedonia (MK)")
    dash_duo.wait_for_text_to_equal(
        "#partners-list h3",
        f"1. {next(r['name'] for r in expected if r['country'] == 'MK')}", timeout=10)
    for card in dash_duo.find_elements(".suggestion"):
        assert "North Macedonia" in card.text
    assert _errors(dash_duo) == []


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
