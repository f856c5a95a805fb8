"""The production server end to end: upload and confirm through `cso-network serve`'s workers.

`serve` runs gunicorn with two processes. The upload is staged by whichever
worker gets the upload request and confirmed by whichever gets the click;
afterwards every worker must show the new data. Headless Chromium drives
the real server (not dash_duo's own), on a store in a temporary folder.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from cso_network.store.sql import Store
from cso_network.workspace import import_workbook
from dashboard.server import production_available
from tests.helpers import bigger_workbook

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not production_available(), reason="gunicorn is not available")]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def served_store(tmp_path, tiny_workbook):
    """A SQLite workspace holding the tiny data, served by `cso-network serve --workers 2`."""
    db = tmp_path / "workspace.sqlite"
    store = Store(db)
    import_workbook(store, tiny_workbook)
    store.dispose()
    port = _free_port()
    cli = Path(sys.executable).with_name("cso-network")
    proc = subprocess.Popen(
        [str(cli), "serve", "--db", str(db), "--port", str(port), "--workers", "2"],
        cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        env={k: v for k, v in os.environ.items() if k != "CSO_NETWORK_UPLOAD_DIR"},
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url + "/", timeout=5):
                break
        except OSError:
            time.sleep(0.3)
    try:
        yield url, db
    finally:
        proc.send_signal(signal.SIGTERM)
        out, _ = proc.communicate(timeout=30)
        assert "Traceback" not in out, out


def test_upload_and_confirm_through_the_workers_updates_every_worker(dash_duo, served_store,
                                                                     tmp_path):
    url, db = served_store
    good = bigger_workbook(tmp_path)
    driver = dash_duo.driver
    driver.get(url + "/data")
    dash_duo.wait_for_element("#data-upload", timeout=20)
    dash_duo.find_element("#data-upload input[type=file]").send_keys(str(good))
    dash_duo.wait_for_element("#data-diff", timeout=30)
    dash_duo.find_element("#data-confirm").click()
    dash_duo.wait_for_contains_text("#data-result-message",
                                    "Imported cohort-new.xlsx as import #2", timeout=30)
    store = Store(db)
    assert store.version() == 2 and len(store.load().organizations) == 4
    store.dispose()
    driver.get(url + "/")
    dash_duo.wait_for_text_to_equal("#overview-stat-organizations", "4", timeout=20)
    # The browser keeps its connection to one worker; fresh connections reach either
    # of them, and every one of them names the new import in the page's header.
    for _ in range(20):
        with urllib.request.urlopen(url + "/_dash-layout", timeout=20) as response:
            assert b"cohort-new.xlsx" in response.read()


def test_every_page_renders_without_browser_errors_under_serve(dash_duo, served_store):
    url, _db = served_store
    pages = {"/": "#overview-title", "/network": "#network-graph", "/gaps": "#gaps-content",
             "/partners": "#partners-org", "/unogp": "#unogp-k", "/organizations": "#organizations-search",
             "/data": "#data-upload", "/org/A": "#org-name"}
    for path, selector in pages.items():
        dash_duo.driver.get(url + path)
        dash_duo.wait_for_element(selector, timeout=20)
    severe = [e for e in (dash_duo.get_logs() or []) if e.get("level") == "SEVERE"]
    assert severe == []
