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
development server is used.

Whichever server runs it, the app answers only requests addressed to a host
it was told about (:func:`allowed_host_set`; loopback by default), refuses
state-changing requests sent from another site's page, and forbids other
sites to frame it (:func:`protect`).
"""

from __future__ import annotations

import atexit
import contextlib
import ipaddress
import os
import re
import shutil
import socket
import tempfile
import time
from collections.abc import Callable, Iterable, Mapping
from typing import Any
from urllib.parse import urlsplit

from cso_network.core.exceptions import CsoNetworkError
from cso_network.workspace import Workspace

__all__ = ["WARM_STEPS", "warm", "warm_app", "check_port", "exposure_warning", "default_workers",
           "production_available", "run_production", "ALLOWED_HOSTS_ENV", "LOOPBACK_HOSTS",
           "SECURITY_HEADERS", "allowed_host_set", "host_allowed", "is_loopback",
           "listening_hosts", "parse_host", "protect"]

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
    from cso_network.views import explore

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
    from cso_network.core.exceptions import CsoNetworkError

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


#: More host names (or addresses, each optionally with ``:port``) the dashboard answers
#: to, separated by commas or spaces; added to the loopback names and to those given to
#: :func:`dashboard.app.create_app` or ``cso-network serve --allowed-host``.
ALLOWED_HOSTS_ENV = "CSO_NETWORK_ALLOWED_HOSTS"

#: Always allowed, on any port: only this machine can reach them.
LOOPBACK_HOSTS = ("localhost", "127.0.0.1", "[::1]")

#: Sent with every response: no MIME sniffing, no framing by other sites (clickjacking),
#: no full URLs (with their filters) in the Referer sent to other sites.
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "frame-ancestors 'none'",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
}

_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_HOST_NAME = re.compile(r"[a-z0-9_](?:[a-z0-9_.-]{0,251}[a-z0-9_])?")


def parse_host(text: str) -> tuple[str, int | None] | None:
    """``(name, port)`` of a Host header or a host given by the user, or None when malformed.

    Names are lower-cased, without a trailing dot; IPv6 addresses come in
    brackets in their short form (``[::1]``); ``port`` is None when not given.

    >>> parse_host("LocalHost.:8050"), parse_host("[0:0::1]"), parse_host("::1")
    (('localhost', 8050), ('[::1]', None), ('[::1]', None))
    >>> parse_host("attacker.example"), parse_host("a b"), parse_host("x:99999")
    (('attacker.example', None), None, None)
    """
    if not isinstance(text, str):
        return None
    text = text.strip().lower()
    if not text or len(text) > 300:
        return None
    if text.startswith("["):
        name, bracket, rest = text[1:].partition("]")
        if not bracket:
            return None
        try:
            name = f"[{ipaddress.IPv6Address(name).compressed}]"
        except ValueError:
            return None
    elif text.count(":") > 1:  # an IPv6 address without brackets (as a user may type it)
        try:
            return f"[{ipaddress.IPv6Address(text).compressed}]", None
        except ValueError:
            return None
    else:
        name, colon, rest = text.partition(":")
        rest = colon + rest
        name = name.rstrip(".")
        if not _HOST_NAME.fullmatch(name):
            return None
    if not rest:
        return name, None
    digits = rest[1:]
    if not (rest.startswith(":") and 0 < len(digits) <= 5 and digits.isascii()
            and digits.isdigit() and 0 < int(digits) < 65536):
        return None
    return name, int(digits)


def allowed_host_set(hosts: Iterable[str] | None = None,
                     environ: Mapping[str, str] | None = None) -> frozenset:
    """The hosts the dashboard answers to: loopback, ``hosts`` and those in :data:`ALLOWED_HOSTS_ENV`.

    Each is a name or address, with ``:port`` when only that port is meant.

    Raises
    ------
    CsoNetworkError
        When one of them is not a host name or address.
    """
    environ = os.environ if environ is None else environ
    given = [(h, "--allowed-host") for h in hosts or ()]
    given += [(h, ALLOWED_HOSTS_ENV) for h in re.split(r"[\s,]+", environ.get(ALLOWED_HOSTS_ENV, ""))
              if h]
    allowed = {parse_host(h) for h in LOOPBACK_HOSTS}
    for text, origin in given:
        parsed = parse_host(text)
        if parsed is None:
            raise CsoNetworkError(
                f"{origin}: {text!r} is not a host name or address (expected e.g. "
                "dashboard.example.org, 192.168.1.5 or dashboard.example.org:8443)")
        allowed.add(parsed)
    return frozenset(allowed)


def host_allowed(host: str, allowed: frozenset) -> bool:
    """True when ``host`` (``name[:port]``) is one of ``allowed`` (an entry without a port: any port).

    >>> allowed = allowed_host_set(["example.org:8443"], environ={})
    >>> [host_allowed(h, allowed) for h in ("localhost:8050", "[::1]", "example.org:8443",
    ...                                     "example.org", "attacker.example:8050")]
    [True, True, True, False, False]
    """
    parsed = parse_host(host)
    if parsed is None:
        return False
    return parsed in allowed or (parsed[0], None) in allowed


def is_loopback(host: str) -> bool:
    """True for ``localhost`` and loopback addresses (only this machine reaches them)."""
    if host.strip().lower().rstrip(".") == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip().strip("[]")).is_loopback
    except ValueError:
        return False


def listening_hosts(host: str) -> list[str]:
    """The hosts to allow when serving on ``host``, besides loopback.

    A specific address or name is allowed as given. For all interfaces
    (``0.0.0.0``, ``::``) they are this machine's own names and addresses
    (its host name, its fully qualified name, the addresses those resolve
    to and the address it reaches other networks from), which other machines
    on the network open it at; other names (e.g. a DNS alias) are added with
    ``--allowed-host``. Allowing them is safe: a web page elsewhere cannot
    make a browser send this machine's own name as the host.

    >>> listening_hosts("192.168.1.5"), listening_hosts("127.0.0.1"), listening_hosts("localhost")
    (['192.168.1.5'], [], [])
    """
    if is_loopback(host):
        return []
    try:
        wildcard = ipaddress.ip_address(host.strip().strip("[]")).is_unspecified
    except ValueError:
        wildcard = False
    if not wildcard:
        return [host]
    found: list[str] = []
    with contextlib.suppress(OSError, UnicodeError):
        names = [socket.gethostname(), socket.getfqdn()]
        found += names
        for name in names:
            with contextlib.suppress(OSError, UnicodeError):
                found += [info[4][0] for info in socket.getaddrinfo(name, None)]
    with contextlib.suppress(OSError), socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.connect(("192.0.2.1", 9))  # a documentation address: nothing is sent
        found.append(probe.getsockname()[0])
    return list(dict.fromkeys(h.lower() for h in found if _usable_host(h)))


def _usable_host(text: str) -> bool:
    """True for a name or address worth allowing (well formed, not loopback, not 0.0.0.0)."""
    if parse_host(text) is None or is_loopback(text):
        return False
    try:
        return not ipaddress.ip_address(text.strip("[]")).is_unspecified
    except ValueError:
        return True


def protect(server, allowed: frozenset) -> None:
    """Make the Flask ``server`` check Host and Origin and send :data:`SECURITY_HEADERS`.

    * A request whose Host is not ``allowed`` gets 400 before anything runs,
      so a web page whose name was pointed at this machine (DNS rebinding)
      cannot read the data through the visitor's browser.
    * A request that may change something (anything but GET, HEAD, OPTIONS,
      e.g. every Dash callback) with an ``Origin`` whose host is not allowed
      gets 403: another site's page cannot drive the dashboard.
    * Every response, refusals included, carries :data:`SECURITY_HEADERS`.
    """
    import flask

    from dashboard.i18n import _

    def check_request():
        request = flask.request
        if not host_allowed(request.host, allowed):
            return flask.Response(
                _("This dashboard does not answer to this address. Open it at the address it "
                  "was started for, or start it with this name allowed "
                  "(cso-network serve --allowed-host NAME)."), status=400, mimetype="text/plain")
        if request.method not in _SAFE_METHODS:
            origin = request.headers.get("Origin")
            if origin is not None and not _origin_allowed(origin, allowed):
                return flask.Response(_("Refused: this request was sent from another site."),
                                      status=403, mimetype="text/plain")
        return None

    def add_headers(response):
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response

    # First, before Dash's own set-up on the first request.
    server.before_request_funcs.setdefault(None, []).insert(0, check_request)
    server.after_request(add_headers)


def _origin_allowed(origin: str, allowed: frozenset) -> bool:
    """True when the ``Origin`` header names an http(s) origin on an allowed host."""
    try:
        parts = urlsplit(origin.strip())
    except ValueError:
        return False
    if parts.scheme not in ("http", "https") or parts.path or parts.query or parts.username:
        return False
    return host_allowed(parts.netloc, allowed)


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
    if is_loopback(host):
        return None  # a host name other than localhost is assumed reachable
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
