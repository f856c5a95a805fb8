"""What a new user meets first, in headless Chromium: the Data page's second try, phone widths, BCS.

Three page loads cover it: an empty workspace taken through its first import
(the empty page's link, choosing a corrected file under the same name, the
header's last-import line); the demo on a phone (the network map's width,
the year slider's labels, table cells kept whole); the demo on a laptop
(every gap reachable on the Gaps page) and in BCS (the dropdowns' own texts,
the page for an unknown address). Screenshots go to ``test-artifacts/newcomer-*.png``.
"""

from __future__ import annotations

import pytest
from selenium.webdriver.common.keys import Keys

from cso_network.analysis.report import select_gaps
from cso_network.ingest.excel import write_workbook
from cso_network.store.sql import Store
from cso_network.workspace import Workspace
from dashboard.app import create_app
from tests.helpers import ARTIFACTS, DEMO, dataset_from_records, tiny_records

pytestmark = pytest.mark.browser


def _errors(dash_duo) -> list:
    return [entry for entry in (dash_duo.get_logs() or []) if entry.get("level") == "SEVERE"]


def _screenshot(dash_duo, name: str, show: str | None = None) -> None:
    """Save the window, scrolled to the element ``show`` when given."""
    if show:
        dash_duo.driver.execute_script("document.querySelector(arguments[0]).scrollIntoView()",
                                       show)
    ARTIFACTS.mkdir(exist_ok=True)
    dash_duo.driver.save_screenshot(str(ARTIFACTS / f"newcomer-{name}.png"))


def test_a_first_import_from_the_empty_page_to_the_header(dash_duo, tmp_path, write_sheets,
                                                          sheets):
    store = Store.memory()
    dash_duo.start_server(create_app(Workspace.from_store(store)))
    # The empty page points to the Data page, not only to the command line.
    dash_duo.wait_for_element("#overview-empty", timeout=10)
    link = dash_duo.find_element("#overview-empty a[href='/data']")
    assert "no data imported yet" in dash_duo.find_element("#shell-freshness").text
    link.click()
    dash_duo.wait_for_element("#data-upload", timeout=10)

    # A file with a mistake, then the same file corrected on disk and chosen again.
    sheets["organizations"][2][2] = "Atlantis"
    chosen = write_sheets(sheets, "cohort.xlsx")
    file_input = dash_duo.find_element("#data-upload input[type=file]")
    file_input.send_keys(str(chosen))
    dash_duo.wait_for_contains_text("#data-summary", "nothing can be imported", timeout=20)
    write_workbook(dataset_from_records(tiny_records()), chosen)
    dash_duo.find_element("#data-upload input[type=file]").send_keys(str(chosen))
    dash_duo.wait_for_element("#data-diff", timeout=20)
    assert dash_duo.find_element("#data-summary").text.startswith("No errors")
    assert not dash_duo.find_elements("#data-problems")

    # Confirming updates the header's last-import line without a reload.
    dash_duo.find_element("#data-confirm").click()
    dash_duo.wait_for_contains_text("#data-result-message", "as import #1", timeout=20)
    dash_duo.wait_for_contains_text("#shell-freshness", "last import", timeout=10)
    assert "(cohort.xlsx)" in dash_duo.find_element("#shell-freshness").text
    assert store.version() == 1
    _screenshot(dash_duo, "imported")
    assert _errors(dash_duo) == []


_LINES_JS = """
const range = document.createRange();
range.selectNodeContents(arguments[0]);
return range.getClientRects().length;
"""

_RECTS_JS = """
return Array.from(document.querySelectorAll(arguments[0])).map(e => {
    const r = e.getBoundingClientRect();
    return [r.left, r.right, e.textContent];
});
"""


def test_the_demo_on_a_phone(dash_duo):
    dash_duo.start_server(create_app(Workspace.open(data=DEMO)))
    dash_duo.driver.set_window_size(390, 844)
    dash_duo.driver.get(dash_duo.server_url + "/network")
    dash_duo.wait_for_element("#network-graph .nsewdrag", timeout=20)
    dash_duo.wait_for_no_elements("._dash-loading", timeout=20)
    width = dash_duo.driver.execute_script("return window.innerWidth")
    # The map takes the screen's width; its legend goes below it.
    plot = dash_duo.find_element("#network-graph .nsewdrag").rect
    assert plot["width"] >= 300, plot
    legend = dash_duo.find_element("#network-graph .legend").rect
    assert legend["y"] >= plot["y"] + plot["height"] - 1, (legend, plot)
    # The year slider's labels do not run into each other, and stay on the screen.
    marks = sorted(dash_duo.driver.execute_script(_RECTS_JS, "#network-years .dash-slider-mark"))
    assert len(marks) >= 2 and marks[0][2] == "1996" and marks[-1][2] == "2024", marks
    for (_l1, right, first), (left, _r2, second) in zip(marks, marks[1:], strict=False):
        assert right <= left, (first, second, marks)
    assert marks[0][0] >= 0 and marks[-1][1] <= width
    _screenshot(dash_duo, "network-slider-phone", "#network-years")
    _screenshot(dash_duo, "network-phone", "#network-title")

    # Tables keep words and numbers whole and scroll sideways in their card.
    dash_duo.find_element("#nav-overview").click()
    dash_duo.wait_for_element("#overview-seminars", timeout=20)
    cells = dash_duo.find_elements("#overview-seminars tbody tr:first-child td")
    texts = [cell.text for cell in cells]
    assert texts[0].startswith("SEM-") and texts[3].count("-") == 2 and texts[5].isdigit(), texts
    lines = {cell.text: dash_duo.driver.execute_script(_LINES_JS, cell) for cell in cells}
    assert set(lines.values()) == {1}, lines
    header = dash_duo.find_element("#overview-seminars thead th:last-child")
    assert dash_duo.driver.execute_script(_LINES_JS, header) == 1
    scroll, inner = dash_duo.driver.execute_script(
        "return [document.documentElement.scrollWidth, window.innerWidth];")
    assert scroll <= inner  # the table scrolls inside its card, not the page
    _screenshot(dash_duo, "overview-phone", "#overview-seminars")
    assert _errors(dash_duo) == []


def test_the_demo_on_a_laptop_in_english_and_bcs(dash_duo):
    ws = Workspace.open(data=DEMO)
    dash_duo.start_server(create_app(ws))
    dash_duo.driver.set_window_size(1400, 1000)
    # Every gap can be shown on the page, with the page's filters.
    dash_duo.driver.get(dash_duo.server_url + "/gaps?countries=RS")
    dash_duo.wait_for_element("#gaps-list", timeout=20)
    expected = select_gaps(ws.analysis("collaborated")["gaps"], countries=["RS"])
    assert len(expected) > 40  # more than the first screenful
    dash_duo.wait_for_text_to_equal("#gaps-content h2", f"Gaps, worst first ({len(expected)})",
                                    timeout=10)
    dash_duo.find_element("#gaps-more summary").click()
    shown = dash_duo.find_elements("#gaps-list li, #gaps-list-more li")
    assert len(shown) == len(expected)
    assert all(li.is_displayed() for li in shown)
    assert shown[-1].text.endswith(str(expected[-1]["detail"]))
    assert "cso-network" not in dash_duo.find_element("#gaps-content").text

    # In BCS, the dropdowns' own texts and the page for an unknown address are translated.
    dash_duo.driver.add_cookie({"name": "cso_lang", "value": "bs"})
    dash_duo.driver.get(dash_duo.server_url + "/gaps")
    dash_duo.wait_for_element("#gaps-list", timeout=20)
    dash_duo.find_element("#gaps-country").click()
    search = dash_duo.wait_for_element(".dash-dropdown-content input.dash-dropdown-search",
                                       timeout=10)
    buttons = [b.text for b in dash_duo.find_elements(".dash-dropdown-action-button")]
    assert search.get_attribute("placeholder") == "Pretraži"
    assert buttons == ["Odaberi sve", "Poništi odabir"]
    search.send_keys("Atlantida")
    dash_duo.wait_for_contains_text(".dash-dropdown-content", "Ništa nije pronađeno", timeout=10)
    _screenshot(dash_duo, "dropdown-bcs")
    search.send_keys(Keys.ESCAPE)
    dash_duo.driver.get(dash_duo.server_url + "/nema-te-stranice")
    dash_duo.wait_for_text_to_equal("#not-found h1", "Stranica nije pronađena", timeout=10)
    assert dash_duo.find_element("#not-found a[href='/']").text == "Pregled"
    assert "Page not found" not in dash_duo.find_element("body").text
    assert dash_duo.driver.title.startswith("Stranica nije pronađena")
    assert _errors(dash_duo) == []


def test_the_organization_pickers_keep_a_choice_made_with_the_keyboard(dash_duo):
    """Space opens the picker, arrows move, Enter picks: never an empty choice."""
    import time

    from selenium.webdriver.common.action_chains import ActionChains

    dash_duo.start_server(create_app(Workspace.open(data=DEMO)))
    driver = dash_duo.driver
    for path, picker, shown in (("/partners?org=ORG-011", "#partners-org", "#partners-list"),
                                ("/unogp?org=ORG-011", "#unogp-org", "#unogp-path")):
        driver.get(dash_duo.server_url + path)
        dash_duo.wait_for_element(shown, timeout=15)
        for keys in ([Keys.SPACE, Keys.ARROW_DOWN, Keys.ENTER], [Keys.ENTER, Keys.ENTER],
                     [Keys.SPACE, Keys.ENTER]):
            driver.execute_script(f"document.querySelector('{picker}').focus()")
            for key in keys:
                ActionChains(driver).send_keys(key).perform()
                time.sleep(0.2)
            time.sleep(0.8)
            text = driver.execute_script(f"return document.querySelector('{picker}').innerText")
            assert "ORG-" in text, (path, keys, text)
            assert "org=ORG-" in driver.current_url or path.startswith("/unogp")
