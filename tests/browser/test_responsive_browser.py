"""Every page fits a 1366x768 laptop and a phone width without horizontal scrolling."""

from __future__ import annotations

from pathlib import Path

import pytest

from cso_network.workspace import Workspace
from dashboard.app import create_app

pytestmark = pytest.mark.browser

DEMO = Path(__file__).resolve().parents[2] / "data" / "demo" / "pcrc_demo.xlsx"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
PAGES = {
    "/": "#overview-stat-organizations",
    "/network": "#network-graph",
    "/gaps": "#gaps-list",
    "/partners?org=ORG-011": "#partners-list",
    "/unogp": "#unogp-sentence",
    "/organizations": "h1",
    "/data": "h1",
    "/org/ORG-011": "h1",
}
SIZES = {"laptop": (1366, 768), "phone": (390, 844)}


@pytest.mark.parametrize("size", list(SIZES))
def test_no_horizontal_scrolling(dash_duo, size):
    dash_duo.start_server(create_app(Workspace.open(data=DEMO)))
    width, height = SIZES[size]
    dash_duo.driver.set_window_size(width, height)
    overflowing = {}
    for path, ready in PAGES.items():
        dash_duo.driver.get(dash_duo.server_url + path)
        dash_duo.wait_for_element(ready, timeout=20)
        dash_duo.wait_for_no_elements("._dash-loading", timeout=20)
        scroll, inner = dash_duo.driver.execute_script(
            "return [document.documentElement.scrollWidth, window.innerWidth];")
        if scroll > inner + 1:
            overflowing[path] = (scroll, inner)
        ARTIFACTS.mkdir(exist_ok=True)
        name = path.strip("/").split("?")[0].replace("/", "-") or "overview"
        dash_duo.driver.save_screenshot(str(ARTIFACTS / f"{size}-{name}.png"))
    assert overflowing == {}
