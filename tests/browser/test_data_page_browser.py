"""Browser tests of the Data page (/data): upload, check, preview, confirm, history, downloads.

Headless Chromium through dash[testing]'s ``dash_duo``, as in
``test_dashboard_browser.py``. Screenshots go to ``test-artifacts/data-*.png``.
"""

from __future__ import annotations

import time
from pathlib import Path

import openpyxl
import pytest

from cso_network.ingest.validate import validate_workbook
from cso_network.store.sql import Store
from cso_network.workspace import Workspace, import_workbook
from dashboard.app import create_app
from tests.helpers import assert_store_unchanged, bigger_workbook, store_snapshot

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def _screenshot(dash_duo, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    dash_duo.driver.set_window_size(1366, 900)
    dash_duo.driver.save_screenshot(str(ARTIFACTS / f"data-{name}.png"))


def _errors(dash_duo) -> list:
    return [entry for entry in (dash_duo.get_logs() or []) if entry.get("level") == "SEVERE"]


def _open_data_page(dash_duo, ws: Workspace) -> None:
    dash_duo.start_server(create_app(ws))
    dash_duo.wait_for_element("#nav-data", timeout=10).click()
    dash_duo.wait_for_element("#data-upload", timeout=10)


def _upload(dash_duo, path: Path) -> None:
    dash_duo.find_element("#data-upload input[type=file]").send_keys(str(path))




@pytest.fixture
def tiny_store(tiny_workbook) -> Store:
    store = Store.memory()
    import_workbook(store, tiny_workbook)
    yield store
    store.dispose()


def test_a_bad_workbook_shows_its_errors_and_changes_nothing(dash_duo, tiny_store, write_sheets,
                                                             sheets):
    sheets["organizations"][2][2] = "Atlantis"  # sheet organizations, row 3, column country
    sheets["attendance"].append(["p9", "S1"])  # row 4: unknown participant
    bad = write_sheets(sheets, "cohort-2024.xlsx")
    before = store_snapshot(tiny_store)
    _open_data_page(dash_duo, Workspace.from_store(tiny_store))
    _upload(dash_duo, bad)
    dash_duo.wait_for_contains_text("#data-summary", "nothing can be imported", timeout=20)
    summary = dash_duo.find_element("#data-summary").text
    errors = [p for p in validate_workbook(bad, base=tiny_store.load()).problems
              if p.severity == "error"]
    assert summary.startswith(f"{len(errors)} error")
    rows = [r.text for r in dash_duo.find_elements("#data-problems tbody tr")]
    assert any(r.startswith("ERROR organizations 3 country Atlantis") for r in rows), rows
    assert any("attendance 4 participant_id p9" in r for r in rows), rows
    assert "cohort-2024.xlsx" in dash_duo.find_element("#data-report").text
    assert not dash_duo.find_element("#data-confirm").is_displayed()
    assert not dash_duo.find_elements("#data-diff")
    _screenshot(dash_duo, "bad")
    assert_store_unchanged(tiny_store, before)
    assert _errors(dash_duo) == []


def test_a_wrong_file_type_gets_a_clear_message(dash_duo, tiny_store, tmp_path):
    csv = tmp_path / "participants.csv"
    csv.write_text("participant_id,org_id\np1,A\n", encoding="utf-8")
    before = store_snapshot(tiny_store)
    _open_data_page(dash_duo, Workspace.from_store(tiny_store))
    _upload(dash_duo, csv)
    dash_duo.wait_for_contains_text("#data-problems", "not an Excel workbook", timeout=20)
    text = dash_duo.find_element("#data-report").text
    assert "participants.csv" in text and str(tmp_path) not in text
    assert dash_duo.find_element("#data-summary").text.startswith("1 error")
    assert_store_unchanged(tiny_store, before)
    assert _errors(dash_duo) == []


def _browser_holds_no_file(dash_duo) -> bool:
    """True when the page's component state holds no workbook bytes (base64 of 'PK\\x03\\x04')."""
    layout = dash_duo.driver.execute_script(
        "return window.store ? JSON.stringify(window.store.getState().layout) : null")
    assert layout, "the Dash renderer's store is not reachable"
    return "UEsDB" not in layout


def _diff_row(dash_duo, table: str) -> str:
    for row in dash_duo.find_elements("#data-diff tbody tr"):
        if row.text.startswith(table + " "):
            return row.text
    raise AssertionError(f"no row for {table}")


def test_a_good_workbook_shows_the_diff_and_confirm_updates_every_page(dash_duo, tiny_store,
                                                                       tmp_path):
    good = bigger_workbook(tmp_path)
    _open_data_page(dash_duo, Workspace.from_store(tiny_store))
    assert "tiny.xlsx" in dash_duo.find_element("#data-imports-table").text
    _upload(dash_duo, good)
    dash_duo.wait_for_element("#data-diff", timeout=20)
    assert dash_duo.find_element("#data-summary").text.startswith("No errors")
    # organizations: 1 added, 0 updated, 0 removed, 3 unchanged
    assert _diff_row(dash_duo, "organizations") == "organizations 1 0 0 3"
    assert _diff_row(dash_duo, "engagements") == "engagements 0 0 0 1"
    assert dash_duo.find_element("#data-confirm").is_displayed()
    # The file stays on the server: the browser keeps only a token.
    assert _browser_holds_no_file(dash_duo)
    # Mirror: the engagement absent from the file would be removed.
    dash_duo.find_element("#data-mirror input").click()
    dash_duo.wait_for_contains_text("#data-report h3:nth-of-type(2)", "(mirror)", timeout=10)
    assert _diff_row(dash_duo, "engagements") == "engagements 0 0 1 0"
    assert "remove 1 row" in dash_duo.find_element("#data-diff-sentence").text
    _screenshot(dash_duo, "preview-mirror")
    dash_duo.find_element("#data-mirror input").click()
    dash_duo.wait_for_text_to_equal("#data-report h3:nth-of-type(2)",
                                    "What importing would change", timeout=10)
    assert tiny_store.version() == 1  # nothing written yet
    _screenshot(dash_duo, "preview")
    dash_duo.find_element("#data-confirm").click()
    dash_duo.wait_for_contains_text("#data-result-message", "Imported cohort-new.xlsx as import #2",
                                    timeout=20)
    first = dash_duo.find_elements("#data-imports-table tbody tr")[0].text
    assert first.startswith("2 ") and "cohort-new.xlsx upsert 3 0 0" in first
    assert tiny_store.version() == 2 and len(tiny_store.load().organizations) == 4
    assert len(tiny_store.load().engagements) == 1  # upsert kept it
    assert not dash_duo.find_element("#data-confirm").is_displayed()
    _screenshot(dash_duo, "imported")
    # The overview shows the new data without a restart.
    dash_duo.find_element("#nav-overview").click()
    dash_duo.wait_for_text_to_equal("#overview-stat-organizations", "4", timeout=10)
    dash_duo.wait_for_text_to_equal("#overview-stat-countries", "4", timeout=10)
    assert _errors(dash_duo) == []


def test_the_page_on_an_empty_workspace(dash_duo, tiny_workbook):
    store = Store.memory()
    _open_data_page(dash_duo, Workspace.from_store(store))
    assert "No imports yet" in dash_duo.find_element("#data-imports-empty").text
    assert "choose or drop a workbook" in dash_duo.find_element("#data-report-empty").text
    assert not dash_duo.find_elements("#data-readonly")
    _screenshot(dash_duo, "empty")
    # The first import into an empty workspace.
    _upload(dash_duo, tiny_workbook)
    dash_duo.wait_for_element("#data-diff", timeout=20)
    assert _diff_row(dash_duo, "organizations") == "organizations 3 0 0 0"
    dash_duo.find_element("#data-confirm").click()
    dash_duo.wait_for_contains_text("#data-result-message", "as import #1", timeout=20)
    assert "tiny.xlsx" in dash_duo.find_element("#data-imports-table").text
    assert len(store.load().organizations) == 3
    assert _errors(dash_duo) == []


def test_a_workbook_backed_workspace_cannot_import_but_downloads(dash_duo, tiny_workbook, tmp_path):
    ws = Workspace.open(data=tiny_workbook)
    _open_data_page(dash_duo, ws)
    notice = dash_duo.find_element("#data-readonly").text
    assert "reads the workbook tiny.xlsx directly" in notice and "cannot import" in notice
    assert str(tiny_workbook.parent) not in dash_duo.find_element("body").text
    assert "No import history" in dash_duo.find_element("#data-imports-empty").text
    # A file can still be checked, but not imported.
    good = bigger_workbook(tmp_path)
    _upload(dash_duo, good)
    dash_duo.wait_for_element("#data-cannot-import", timeout=20)
    assert dash_duo.find_element("#data-summary").text.startswith("No errors")
    assert not dash_duo.find_element("#data-confirm").is_displayed()
    _screenshot(dash_duo, "readonly")
    # Downloads still work: the current data, as a master workbook with a README.
    dash_duo.find_element("#data-download-data").click()
    downloaded = _wait_for_download(Path(dash_duo.download_path), "cso-network-data-")
    report = validate_workbook(downloaded)
    assert report.ok and len(report.dataset.organizations) == 3
    assert any("README" in p.sheet for p in report.problems if p.sheet)
    dash_duo.find_element("#data-download-template").click()
    template = _wait_for_download(Path(dash_duo.download_path), "cso-network-template")
    assert validate_workbook(template).dataset.is_empty()
    # The BCS template: its sheets in BCS, read by import like the English one.
    dash_duo.find_element("#data-download-template-bs").click()
    obrazac = _wait_for_download(Path(dash_duo.download_path), "cso-network-obrazac")
    assert "organizacije" in openpyxl.load_workbook(obrazac).sheetnames
    assert validate_workbook(obrazac).ok
    assert _errors(dash_duo) == []


def _wait_for_download(folder: Path, prefix: str, timeout: float = 15) -> Path:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = [p for p in folder.glob(f"{prefix}*.xlsx")]
        if found and found[0].stat().st_size > 0:
            time.sleep(0.2)
            return found[0]
        time.sleep(0.2)
    raise AssertionError(f"no download starting with {prefix} in {sorted(folder.iterdir())}")


def test_a_bad_workbook_is_explained_in_bcs(dash_duo, tiny_store, write_sheets, sheets):
    """With BCS chosen (the cso_lang cookie), the problems table speaks BCS; data stays as written."""
    sheets["organizations"][2][2] = "Atlantis"  # sheet organizations, row 3, column country
    sheets["seminars"].append(["S2", "Skopje", "MK", "31.02.2014"])  # row 3: no such day
    sheets["organizations"][1][1] = None  # row 2: name is required
    bad = write_sheets(sheets, "kohorta-2024.xlsx")
    before = store_snapshot(tiny_store)
    dash_duo.start_server(create_app(Workspace.from_store(tiny_store)))
    dash_duo.driver.add_cookie({"name": "cso_lang", "value": "bs"})
    dash_duo.driver.get(dash_duo.server_url + "/data")
    dash_duo.wait_for_element("#data-upload", timeout=10)
    _upload(dash_duo, bad)
    dash_duo.wait_for_element("#data-problems", timeout=20)
    dash_duo.wait_for_contains_text("#data-problems", "nepoznata zemlja 'Atlantis'", timeout=10)
    rows = [r.text for r in dash_duo.find_elements("#data-problems tbody tr")]
    assert any(r.startswith("GREŠKA organizations 3 country Atlantis nepoznata zemlja 'Atlantis'; "
                            "očekuje se ISO 3166 oznaka, npr. BA, ME, MK, RS, ili naziv zemlje")
               for r in rows), rows
    assert any(r.endswith("start_date 31.02.2014 datum '31.02.2014' ne postoji u kalendaru; "
                          "očekuje se godina (2014), datum u obliku 2014-05-03 ili datum u obliku "
                          "03.05.2014") for r in rows), rows
    assert any(r.endswith("organizations 2 name – nedostaje obavezna vrijednost: popunite name")
               for r in rows), rows
    text = dash_duo.find_element("#data-problems").text
    assert "unknown country" not in text and "required value is missing" not in text
    assert "kohorta-2024.xlsx" in dash_duo.find_element("#data-report").text
    _screenshot(dash_duo, "bad-bcs")
    assert_store_unchanged(tiny_store, before)
    assert _errors(dash_duo) == []


def _data_page_module():
    import sys

    return next(m for name, m in sys.modules.items()
                if name.endswith("pages.data") and hasattr(m, "preview_upload"))


def test_confirm_cannot_race_the_mirror_switch(dash_duo, tiny_store, tmp_path, monkeypatch):
    """Ticking mirror and clicking Confirm 0.2 s later never applies changes nobody was shown."""
    good = bigger_workbook(tmp_path)
    _open_data_page(dash_duo, Workspace.from_store(tiny_store))
    _upload(dash_duo, good)
    dash_duo.wait_for_element("#data-diff", timeout=20)
    assert _diff_row(dash_duo, "engagements") == "engagements 0 0 0 1"  # the preview: remove 0
    # A re-check that takes a while, as on a large workspace.
    page = _data_page_module()
    slow_preview = page.preview_upload

    def preview_upload(*args, **kwargs):
        time.sleep(1.5)
        return slow_preview(*args, **kwargs)

    monkeypatch.setattr(page, "preview_upload", preview_upload)
    dash_duo.find_element("#data-mirror input").click()
    time.sleep(0.2)
    confirm = dash_duo.find_element("#data-confirm")
    assert confirm.get_attribute("disabled") == "true"
    confirm.click()
    # The mirror preview arrives; nothing was imported in between.
    dash_duo.wait_for_contains_text("#data-report h3:nth-of-type(2)", "(mirror)", timeout=10)
    time.sleep(0.5)
    assert tiny_store.version() == 1 and len(tiny_store.load().engagements) == 1
    assert not dash_duo.find_elements("#data-result-message")
    assert confirm.get_attribute("disabled") is None  # ready for the preview now shown
    # Both in one go, before the page can redraw: whatever gets through applies what was shown.
    dash_duo.find_element("#data-mirror input").click()  # back to upsert
    dash_duo.wait_for_text_to_equal("#data-report h3:nth-of-type(2)",
                                    "What importing would change", timeout=10)
    dash_duo.driver.execute_script(
        "document.querySelector('#data-mirror input').click();"
        "document.querySelector('#data-confirm').click();")
    time.sleep(3)
    assert len(tiny_store.load().engagements) == 1  # the engagement absent from the file stays
    assert _errors(dash_duo) == []


def test_a_file_over_the_size_limit_is_refused_in_the_page(dash_duo, tiny_store, tmp_path):
    from cso_network.ingest.limits import Limits

    big = tmp_path / "huge.xlsx"
    with big.open("wb") as fh:
        fh.write(b"PK\x03\x04")
        fh.truncate(Limits().max_file_bytes + 10 * 2**20)  # 60 MiB
    before = store_snapshot(tiny_store)
    _open_data_page(dash_duo, Workspace.from_store(tiny_store))
    _upload(dash_duo, big)
    dash_duo.wait_for_contains_text("#data-upload-refused", "files up to 50 MiB", timeout=30)
    text = dash_duo.find_element("#data-upload-refused").text
    assert "huge.xlsx is 63 MB" in text and "Nothing was sent" in text
    assert_store_unchanged(tiny_store, before)
    # A good file afterwards is checked as usual and the message goes away.
    _upload(dash_duo, bigger_workbook(tmp_path))
    dash_duo.wait_for_element("#data-diff", timeout=20)
    assert dash_duo.find_element("#data-upload-refused").text == ""
    assert _errors(dash_duo) == []


def test_problems_are_grouped_by_cause_with_the_root_cause_first(dash_duo, tiny_store, write_sheets,
                                                                 sheets):
    """A renamed column and four unknown countries: the column first, then the countries."""
    sheets["organizations"][0][1] = "naem"
    for row in range(4):
        sheets["organizations"].append([f"X{row}", f"Org {row}", "Atlantis"])
    _open_data_page(dash_duo, Workspace.from_store(tiny_store))
    _upload(dash_duo, write_sheets(sheets, "causes.xlsx"))
    dash_duo.wait_for_element("#data-causes", timeout=20)
    causes = [li.text for li in dash_duo.find_elements("#data-causes li")]
    assert len(causes) == 3, causes
    assert causes[0].startswith("ERROR missing required column(s): name")
    assert "organizations" in causes[0]
    assert "unknown country 'Atlantis'" in causes[1]
    assert causes[1].endswith("organizations, column country, 4 rows: 4, 5, 6, 7")
    # Then the warning about the unknown column, with its hint.
    assert causes[2].startswith("WARNING column 'naem'") and "Did you mean 'name'?" in causes[2]
    assert _errors(dash_duo) == []
