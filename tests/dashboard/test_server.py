"""`cso-network serve`: caches warmed before serving, and the multi-process production server."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import psutil
import pytest

from cso_network.workspace import Workspace
from dashboard.server import WARM_STEPS, default_workers, production_available, warm

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "data" / "demo" / "pcrc_demo.xlsx"


def test_warm_fills_the_caches_the_pages_read():
    from cso_network.views import explore

    ws = Workspace.open(data=DEMO)
    seen = []
    warm(ws, progress=lambda label, seconds: seen.append(label))
    assert seen == [label for label, _ in WARM_STEPS]
    warmed = set(ws._cache)
    # What the pages compute on their first render is all there already.
    ws.summary()
    for layer in ("met", "collaborated", "combined"):
        ws.graph(layer)
    ws.analysis("collaborated")
    explore.cached_layout(ws, "combined", "geographic")
    explore.cached_layout(ws, "combined", "force")
    ws.recommend_features()
    ws.focal_points()
    ws.missing_contacts()
    ws.introduction_paths()
    ws.backtest()
    assert set(ws._cache) == warmed


def test_warm_on_an_empty_workspace_does_nothing():
    from cso_network.store.sql import Store

    assert warm(Workspace.from_store(Store.memory())) == 0.0


def test_default_workers_stays_between_two_and_four():
    assert 2 <= default_workers() <= 4


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> tuple[int, bytes]:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.status, response.read()


@pytest.mark.skipif(not production_available(), reason="gunicorn is not available on this platform")
def test_serve_runs_several_worker_processes(tmp_path):
    port = _free_port()
    cli = Path(sys.executable).with_name("cso-network")
    proc = subprocess.Popen(
        [str(cli), "serve", "--data", str(DEMO), "--port", str(port), "--workers", "2"],
        cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        env=os.environ | {"CSO_NETWORK_UPLOAD_DIR": ""},
    )
    try:
        deadline = time.monotonic() + 60
        status = None
        while time.monotonic() < deadline:
            try:
                status, body = _get(f"http://127.0.0.1:{port}/")
                break
            except OSError:
                time.sleep(0.3)
        assert status == 200
        assert b"cso-network" in body
        # The browser then fetches the page's scripts in parallel, some from a worker that
        # has not served a page yet: every one of them must be served (Dash sets itself up
        # on a first request; without serve's warm_app a worker could answer 500 meanwhile).
        import re
        from concurrent.futures import ThreadPoolExecutor

        scripts = re.findall(rb'src="(/_dash-component-suites/[^"]+)"', body)
        assert len(scripts) >= 5
        with ThreadPoolExecutor(16) as pool:
            codes = list(pool.map(lambda src: _get(f"http://127.0.0.1:{port}{src.decode()}")[0],
                                  scripts * 3))
        assert codes == [200] * len(codes)
        status, layout = _get(f"http://127.0.0.1:{port}/_dash-layout")
        assert status == 200 and b"nav-data" in layout
        # The command is gunicorn's master; it forks two workers, one after the other
        # (the first may answer before the second exists).
        master = psutil.Process(proc.pid)
        deadline = time.monotonic() + 30
        while len(master.children()) < 2 and time.monotonic() < deadline:
            time.sleep(0.2)
        assert len(master.children()) == 2
    finally:
        proc.send_signal(signal.SIGTERM)
        out, _ = proc.communicate(timeout=30)
    assert "with 2 processes" in out
    assert "Traceback" not in out


def test_serve_on_a_busy_port_says_so_before_warming_up(tmp_path):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        cli = Path(sys.executable).with_name("cso-network")
        done = subprocess.run(
            [str(cli), "serve", "--data", str(DEMO), "--port", str(port)],
            cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert f"cannot serve on 127.0.0.1:{port}" in done.stderr
    assert "choose another port" in done.stderr
    assert "Traceback" not in done.stderr + done.stdout
    assert "Caches ready" not in done.stderr


@pytest.mark.parametrize("host, warned", [
    ("127.0.0.1", False), ("localhost", False), ("::1", False), ("127.0.0.2", False),
    ("0.0.0.0", True), ("192.168.1.20", True), ("::", True), ("pcrc-laptop.local", True),
])
def test_serving_beyond_this_machine_warns_about_the_data(host, warned):
    from dashboard.server import exposure_warning

    text = exposure_warning(host)
    assert (text is not None) is warned
    if warned:
        assert "no login" in text and "contact details" in text


def test_a_public_exposure_note_is_milder_and_says_why():
    from dashboard.server import exposure_warning

    note = exposure_warning("0.0.0.0", public=True)
    assert note.startswith("Note:") and "no uploads or downloads" in note
    assert "--public" in exposure_warning("0.0.0.0")


def test_public_mode_switches_the_data_page_off_on_the_server():
    """Participants' dashboard: no Data link, no upload or download, even for a crafted request."""
    import importlib

    from dash.exceptions import PreventUpdate

    ws = Workspace.open(data=DEMO)
    from dashboard.app import _shell, create_app

    for public in (False, True):
        app = create_app(ws, public=public)
        data = importlib.import_module("pages.data")  # registered by create_app
        with app.server.test_request_context("/data"):
            shell = str(_shell().to_plotly_json())
            page = str(data.layout().to_plotly_json())
            assert ("nav-data" in shell) is (not public)
            assert ("data-upload" in page) is (not public)
            assert ("data-public" in page) is public
            if public:
                with pytest.raises(PreventUpdate):
                    data._on_download(None, None, 1)
                with pytest.raises(PreventUpdate):
                    data._on_upload({"contents": "data:;base64,AAAA", "filename": "x.xlsx"},
                                    [], None, None)


def test_the_dashboard_cli_module_imports_on_its_own():
    """dashboard.cli imports cso_network.cli, whose entry points name dashboard.cli:serve."""
    done = subprocess.run([sys.executable, "-c", "import dashboard.cli; print('ok')"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"
