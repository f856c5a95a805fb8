"""Browser tests of the network explorer, the organization list and profiles (headless Chromium).

Screenshots go to ``test-artifacts/network-*.png`` and ``org-*.png``.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest
from selenium.webdriver.common.actions.action_builder import ActionBuilder

from cso_network.store.sql import Store
from cso_network.workspace import Workspace
from dashboard.app import create_app

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
DEMO = ROOT / "data" / "demo" / "pcrc_demo.xlsx"

_COUNT_JS = """
var gd = document.querySelector('#network-graph .js-plotly-plot');
if (!gd || !gd.data) { return -1; }
return gd.data.filter(function (t) { return t.meta && t.meta.role === 'nodes'; })
              .reduce(function (s, t) { return s + t.customdata.length; }, 0);
"""

# Pixel position (relative to the plot's drag layer) of the first node of the largest group.
_POINT_JS = """
var gd = document.querySelector('#network-graph .js-plotly-plot');
var fl = gd._fullLayout;
var traces = gd.data.filter(function (t) { return t.meta && t.meta.role === 'nodes'; });
traces.sort(function (a, b) { return b.customdata.length - a.customdata.length; });
var t = traces[0];
var i = 0;
var px = fl.xaxis.l2p(t.x[i]) + fl._size.l, py = fl.yaxis.l2p(t.y[i]) + fl._size.t;
var box = gd.getBoundingClientRect();
return [t.customdata[i], px, py, box.width, box.height];
"""


def _screenshot(dash_duo, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    dash_duo.driver.set_window_size(1366, 1000)
    dash_duo.driver.save_screenshot(str(ARTIFACTS / f"{name}.png"))


def _errors(dash_duo) -> list:
    return [e for e in (dash_duo.get_logs() or []) if e.get("level") == "SEVERE"]


def _drawn(dash_duo) -> int:
    return dash_duo.driver.execute_script(_COUNT_JS)


def _wait_drawn(dash_duo, expected: int, timeout: float = 15) -> None:
    end = time.time() + timeout
    while time.time() < end:
        if _drawn(dash_duo) == expected:
            return
        time.sleep(0.1)
    raise AssertionError(f"drawn nodes: {_drawn(dash_duo)}, expected {expected}")


@pytest.fixture(scope="module")
def demo() -> Workspace:
    return Workspace.open(data=DEMO)


def test_network_on_the_demo_filters_clicks_and_links_to_the_profile(dash_duo, demo):
    ws = demo
    orgs = ws.dataset.organizations
    dash_duo.driver.set_window_size(1366, 1000)
    dash_duo.start_server(create_app(ws))
    dash_duo.wait_for_element("#nav-network", timeout=10).click()
    dash_duo.wait_for_element("#network-graph .main-svg", timeout=20)
    _wait_drawn(dash_duo, len(orgs))
    assert "Montenegro" in dash_duo.find_element("#network-graph").text  # country labels on the map
    assert dash_duo.find_element("#network-count").text.startswith(f"{len(orgs)} organizations")
    _screenshot(dash_duo, "network-demo")

    # A filter changes what is drawn, and the URL carries it.
    dash_duo.select_dcc_dropdown("#network-country", value="Montenegro (ME)")
    _wait_drawn(dash_duo, int((orgs["country"] == "ME").sum()))
    dash_duo.wait_for_contains_text("#network-count", "organizations", timeout=5)
    assert "countries=ME" in dash_duo.driver.current_url
    assert "countries=ME" in dash_duo.find_element("#network-share").get_attribute("href")
    _screenshot(dash_duo, "network-filtered")

    # A real click on a WebGL point opens the side panel.
    gd = dash_duo.find_element("#network-graph .js-plotly-plot")
    dash_duo.driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", gd)
    time.sleep(0.3)
    org, x, y, _w, _h = dash_duo.driver.execute_script(_POINT_JS)
    rect = dash_duo.driver.execute_script(
        "var r = arguments[0].getBoundingClientRect(); return [r.left, r.top];", gd)
    actions = ActionBuilder(dash_duo.driver)
    actions.pointer_action.move_to_location(int(rect[0] + x), int(rect[1] + y)).pause(0.3) \
        .click()
    actions.perform()
    name = orgs.set_index("org_id").loc[org, "name"]
    dash_duo.wait_for_text_to_equal("#network-panel-name", name, timeout=10)
    assert org in dash_duo.find_element("#network-panel").text
    assert f"focus={org}" in dash_duo.driver.current_url
    _screenshot(dash_duo, "network-panel")

    # Colour by cluster, force layout, both layers: still every Montenegrin organization.
    dash_duo.find_element("#network-colour input[value='community']").click()
    dash_duo.find_element("#network-layout input[value='force']").click()
    dash_duo.find_element("#network-layer input[value='combined']").click()
    dash_duo.wait_for_contains_text("#network-title", "Met and collaborated", timeout=10)
    _wait_drawn(dash_duo, int((orgs["country"] == "ME").sum()))
    _screenshot(dash_duo, "network-force-clusters")

    # "Open profile" leads to the profile page with its suggestions.
    dash_duo.find_element("#network-panel-profile").click()
    dash_duo.wait_for_text_to_equal("#org-name", name, timeout=15)
    expected = ws.suggestions(org, top=5)
    items = dash_duo.find_elements("#org-suggestions li")
    assert [i.text.split(" (")[0] for i in items] == [r["name"] for r in expected]
    assert _errors(dash_duo) == []


def test_a_shared_link_restores_the_view(dash_duo, demo):
    orgs = demo.dataset.organizations
    dash_duo.start_server(create_app(demo))
    dash_duo.driver.get(dash_duo.server_url + "/network?layer=met&countries=BA,RS&focus=ORG-011"
                        "&view=force&colour=field")
    dash_duo.wait_for_element("#network-graph .main-svg", timeout=20)
    _wait_drawn(dash_duo, int(orgs["country"].isin(["BA", "RS"]).sum()))
    assert dash_duo.find_element("#network-layer input[value='met']").is_selected()
    assert dash_duo.find_element("#network-colour input[value='field']").is_selected()
    name = orgs.set_index("org_id").loc["ORG-011", "name"]
    dash_duo.wait_for_text_to_equal("#network-panel-name", name, timeout=10)
    assert _errors(dash_duo) == []


def test_profile_page_on_the_demo(dash_duo, demo):
    org = "ORG-011"
    row = demo.dataset.organizations.set_index("org_id").loc[org]
    dash_duo.start_server(create_app(demo))
    dash_duo.driver.get(dash_duo.server_url + f"/org/{org}")
    dash_duo.wait_for_text_to_equal("#org-name", row["name"], timeout=15)
    text = dash_duo.find_element("#react-entry-point").text
    for r in demo.suggestions(org, top=5):
        assert r["name"] in dash_duo.find_element("#org-suggestions").text
    assert demo.introduction_paths()[org].sentence == dash_duo.find_element("#org-intro-path").text
    assert "Has declared collaborations with" in dash_duo.find_element("#org-position").text
    assert "not listed (no consent" in text or "No participants" in text
    dash_duo.wait_for_element("#org-ego .main-svg", timeout=10)
    _screenshot(dash_duo, "org-demo")
    assert _errors(dash_duo) == []


def test_unknown_org_shows_a_search(dash_duo, demo):
    dash_duo.start_server(create_app(demo))
    dash_duo.driver.get(dash_duo.server_url + "/org/NO-SUCH-ORG")
    dash_duo.wait_for_element("#org-not-found", timeout=10)
    assert "NO-SUCH-ORG" in dash_duo.find_element("#org-not-found").text
    dash_duo.find_element("#org-search").send_keys("ORG-011")
    dash_duo.wait_for_contains_text("#org-search-results", "ORG-011", timeout=10)
    _screenshot(dash_duo, "org-not-found")
    assert _errors(dash_duo) == []


def test_organizations_list_filters(dash_duo, demo):
    orgs = demo.dataset.organizations
    dash_duo.start_server(create_app(demo))
    dash_duo.wait_for_element("#nav-organizations", timeout=10).click()
    dash_duo.wait_for_element("#organizations-table", timeout=10)
    assert len(dash_duo.find_elements("#organizations-table tbody tr")) == len(orgs)
    dash_duo.select_dcc_dropdown("#organizations-country", value="Kosovo (XK)")
    dash_duo.wait_for_text_to_equal("#organizations-count",
                                    f"{int((orgs['country'] == 'XK').sum())} organizations",
                                    timeout=10)
    assert len(dash_duo.find_elements("#organizations-table tbody tr")) == \
        int((orgs["country"] == "XK").sum())
    name = orgs.set_index("org_id").loc["ORG-011", "name"]
    dash_duo.driver.get(dash_duo.server_url + "/organizations?country=ME")
    dash_duo.wait_for_element("#organizations-table", timeout=10)
    search = dash_duo.find_element("#organizations-search")
    search.send_keys(name)
    dash_duo.wait_for_contains_text("#organizations-table tbody tr:first-child", name, timeout=10)
    first = dash_duo.find_elements("#organizations-table tbody tr")[0]
    assert name in first.text
    _screenshot(dash_duo, "org-list")
    first.find_element("css selector", "a").click()
    dash_duo.wait_for_text_to_equal("#org-name", name, timeout=15)
    assert _errors(dash_duo) == []


@pytest.mark.parametrize("path,element", [("/network", "#network-empty"),
                                          ("/organizations", "#organizations-empty"),
                                          ("/org/ORG-001", "#org-not-found")])
def test_pages_on_an_empty_workspace(dash_duo, path, element):
    dash_duo.start_server(create_app(Workspace.from_store(Store.memory())))
    dash_duo.driver.get(dash_duo.server_url + path)
    dash_duo.wait_for_element(element, timeout=10)
    _screenshot(dash_duo, f"network-empty{path.replace('/', '-')}")
    assert _errors(dash_duo) == []


def test_first_render_at_2000_organizations(dash_duo):
    """Times (prints, does not assert) the first render at 2,000 organizations."""
    from cso_network.demo.synth import generate_programme

    ws = Workspace(generate_programme(seed=1, n_orgs=2000).dataset, version="bench-2000",
                   name="2,000 organizations")
    app = create_app(ws)
    render = sys.modules["pages.network"]._render
    render = getattr(render, "__wrapped__", render)
    with app.server.test_request_context():
        start = time.perf_counter()
        out = render("collaborated", "geographic", "country", "degree", None, [], [], [], [], [],
                     None)
        server = time.perf_counter() - start
    assert out[1] is not None  # thinned, with a notice
    dash_duo.start_server(app)
    start = time.perf_counter()
    dash_duo.driver.get(dash_duo.server_url + "/network")
    dash_duo.wait_for_element("#network-graph .main-svg", timeout=60)
    _wait_drawn(dash_duo, 2000, timeout=60)
    browser = time.perf_counter() - start
    dash_duo.wait_for_contains_text("#network-notice", "Showing 1,500 of", timeout=10)
    print(f"\nnetwork first render at 2,000 organizations: render callback {server:.2f} s "
          f"(cold), page load to nodes drawn in the browser {browser:.2f} s")
    _screenshot(dash_duo, "network-2000")
    assert _errors(dash_duo) == []
