"""Serving the dashboard: warm caches, then a production WSGI server with several workers.

Flask's development server runs every callback in one process, so on a
laptop with two or more cores one busy callback (a Partners click, a Gaps
layer switch) makes everyone else wait for the GIL. ``cso-network serve``
therefore runs the app under gunicorn (POSIX) with a few worker processes and
threads, after computing the workspace's caches *once* in the parent process:
the forked workers share them copy-on-write, so nobody's first click pays for
the graphs, the gap analysis, the layouts or the suggestion features.

Several processes need the same view of the data and of staged uploads:

* each request asks the store for its version (``WorkspaceHolder``), so an
  import made through one worker is seen by all;
* staged uploads live in one folder shared by the workers
  (``CSO_NETWORK_UPLOAD_DIR``), so "confirm" may reach another worker than
  "upload";
* each worker opens its own database connections (the parent's pool is
  discarded after the fork).

Where gunicorn is not available (Windows) or with ``--debug``, Flask's
development server is used, as before.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import shutil
import socket
import tempfile
import time
from collections.abc import Callable
from typing import Any

from cso_network.exceptions import CsoNetworkError
from cso_network.workspace import Workspace

__all__ = ["WARM_STEPS", "warm", "warm_app", "check_port", "exposure_warning", "default_workers",
           "production_available", "run_production"]

#: What :func:`warm` computes, in order: (label, function of the workspace).
WARM_STEPS: list[tuple[str, Callable[[Workspace], Any]]] = []


def _step(label: str):
    def register(func: Callable[[Workspace], Any]):
        WARM_STEPS.append((label, func))
        return func
    return register


@_step("graphs")
def _graphs(ws: Workspace) -> None:
    for layer in ("met", "collaborated", "combined"):
        ws.graph(layer)
    ws.summary()


@_step("gap analysis")
def _analysis(ws: Workspace) -> None:
    ws.analysis("collaborated")


@_step("network layouts")
def _layouts(ws: Workspace) -> None:
    from cso_network import explore

    for view in ("geographic", "force"):
        explore.cached_layout(ws, "combined", view)


@_step("suggestion features")
def _features(ws: Workspace) -> None:
    ws.recommend_features()


@_step("UNOGP focal points and paths")
def _unogp(ws: Workspace) -> None:
    ws.focal_points()
    ws.missing_contacts()
    ws.introduction_paths()


@_step("backtest")
def _backtest(ws: Workspace) -> None:
    from cso_network.exceptions import CsoNetworkError

    # The Partners page shows the default preset's figures; with too little
    # history there is nothing to backtest and the page says so.
    with contextlib.suppress(CsoNetworkError):
        ws.backtest()


def warm(ws: Workspace, progress: Callable[[str, float], None] | None = None) -> float:
    """Compute the caches the pages need on their first render; return the seconds it took.

    Parameters
    ----------
    ws : Workspace
    progress : callable, optional
        Called as ``progress(label, seconds)`` after each step.

    Returns
    -------
    float
        Total wall time.
    """
    if ws.is_empty():
        return 0.0
    start = time.perf_counter()
    for label, func in WARM_STEPS:
        t0 = time.perf_counter()
        func(ws)
        if progress is not None:
            progress(label, time.perf_counter() - t0)
    return time.perf_counter() - start


def warm_app(app) -> None:
    """Let Dash set itself up once, in this process, before workers are forked.

    Dash prepares its server (script tags, the registry of the JavaScript
    files it may serve) on the first request and marks that done *before*
    it finishes, so in a fresh worker a request for a JavaScript file that
    arrives while another thread is still on that first request finds no
    file registered and fails with a 500 (the page then stays blank). A
    browser fetches those files in parallel and, with several workers, often
    from a worker that has not served the page yet. One request here, before
    the fork, makes every worker start set up.

    Raises
    ------
    RuntimeError
        When the app cannot render its first page.
    """
    response = app.server.test_client().get("/")
    if response.status_code != 200:
        raise RuntimeError(f"the dashboard could not render its first page (HTTP "
                           f"{response.status_code})")


def check_port(host: str, port: int) -> None:
    """Raise a clear error now if ``host:port`` cannot be listened on (e.g. already in use).

    Checked before the warm-up, so nobody waits for the caches only to read
    five retries of "Address already in use" from the server.
    """
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            raise CsoNetworkError(
                f"cannot serve on {host}:{port}: {exc.strerror or exc} (is another "
                "cso-network serve running? choose another port with --port)") from None


def exposure_warning(host: str, *, public: bool = False) -> str | None:
    """A warning when ``host`` makes the dashboard reachable from other machines, else None.

    The dashboard has no login yet: whoever reaches it sees every page and,
    unless it is served ``public`` (for participants, without the Data page),
    can download the data, participants' contact details included.

    >>> exposure_warning("127.0.0.1") is None, exposure_warning("localhost") is None
    (True, True)
    >>> exposure_warning("0.0.0.0").startswith("Warning: listening on 0.0.0.0")
    True
    """
    import ipaddress

    if host.strip().lower() == "localhost":
        return None
    try:
        if ipaddress.ip_address(host.strip("[]")).is_loopback:
            return None
    except ValueError:
        pass  # a host name other than localhost: assume it is reachable
    if public:
        return (f"Note: listening on {host} makes the dashboard reachable from other machines. "
                "It has no login; served with --public it offers no uploads or downloads of "
                "the data, and profiles show participants only as their consent allows.")
    return (f"Warning: listening on {host} makes the dashboard reachable from other machines. "
            "It has no login: anyone who can open it sees every page and can download the "
            "data, including participants' contact details. Use 127.0.0.1 unless the network "
            "is trusted, serve participants with --public, or put it behind a login.")


def production_available() -> bool:
    """True when gunicorn can be imported (it does not run on Windows)."""
    try:
        import gunicorn.app.base  # noqa: F401
    except ImportError:
        return False
    return True


def default_workers() -> int:
    """One worker process per core, between 2 and 4."""
    return max(2, min(4, os.cpu_count() or 1))


def _shared_upload_dir() -> None:
    """Point every worker at one staging folder for uploads (removed when the server stops)."""
    # Not imported from dashboard.pages.data: importing a page module by hand
    # registers it twice with Dash's page registry.
    from dashboard.state import UPLOAD_DIR_ENV

    if os.environ.get(UPLOAD_DIR_ENV):
        return
    folder = tempfile.mkdtemp(prefix="cso-network-uploads-")
    os.chmod(folder, 0o700)
    os.environ[UPLOAD_DIR_ENV] = folder
    atexit.register(shutil.rmtree, folder, ignore_errors=True)


def run_production(app, ws: Workspace, *, host: str, port: int, workers: int,
                   threads: int = 4, timeout: int = 300) -> None:
    """Serve ``app`` (a Dash app) with gunicorn: ``workers`` processes x ``threads`` threads.

    Call :func:`warm` first so the workers share the caches. Blocks until the
    server stops (Ctrl+C).
    """
    from gunicorn.app.base import BaseApplication

    _shared_upload_dir()
    store = getattr(ws, "store", None)

    def post_fork(_arbiter, _worker) -> None:
        # Connections opened by the parent must not be shared across processes.
        if store is not None:
            store.engine.dispose(close=False)

    class _App(BaseApplication):
        def load_config(self) -> None:
            settings = {
                "bind": f"{host}:{port}",
                "workers": workers,
                "threads": threads,
                "worker_class": "gthread",
                "timeout": timeout,
                "graceful_timeout": 10,
                "accesslog": None,
                "errorlog": "-",
                "loglevel": "warning",
                "post_fork": post_fork,
                "proc_name": "cso-network",
            }
            for key, value in settings.items():
                self.cfg.set(key, value)

        def load(self):
            return app.server

    _App().run()
