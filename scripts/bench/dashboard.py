#!/usr/bin/env python3
"""Benchmark: the dashboard under 20 concurrent users, on the demo and on 2,000 organizations.

For each workspace, (a) the demo workbook ``data/demo/pcrc_demo.xlsx`` and (b) a
generated programme (``generate_programme(seed=1, n_orgs=2000)``) imported into
a temporary SQLite store, the app (``dashboard.app.create_app``) is served by
werkzeug's threaded WSGI server in a child process (``--serve``), on
127.0.0.1 and a free port. All requests go to 127.0.0.1 only.

Phases, per workspace:

``network_first_render``
    If the app has a ``/network`` page: a fresh server (with ``--server
    gunicorn`` its caches were warmed before it listened, as ``serve`` does;
    ``warm_s`` says how long that took), one
    user, the page load (HTML, ``/_dash-layout``, ``/_dash-dependencies``, the
    page-routing callback) then the explorer's figure callback. ``total_ms``
    is the sum, as a browser would wait for it.
``cold``
    A second fresh server; one user visits every page in navigation order
    (``/`` first), fires the page's initial callbacks and then every option of
    every single-choice control with at most six options (layers, presets,
    views) and one value of every other dropdown/search box. The first
    time each request kind is seen is reported as its cold latency; this also
    warms the workspace's caches (graphs, analyses, suggestion features,
    layouts) before timing.
``warm``
    Timed: ``--users`` threads (default 20), each ``--iterations`` page visits
    (default 5), no think time unless ``--think``. A visit loads a page (HTML,
    layout, dependencies, routing callback, the page's initial callbacks,
    which may chain) and then changes ``--interactions`` controls (default 2)
    at random, firing whatever callbacks the browser would fire. The phase
    stops by itself after ``--time-limit`` seconds (default 60) even if users
    have not finished (``stopped_by_time_limit`` says so).

Requests are built the way dash-renderer builds them: ``/_dash-dependencies``
gives the callbacks; the page layouts returned by the routing callback give
the components and their current values; a POST to ``/_dash-update-component``
carries ``output``, ``outputs``, ``inputs`` (id, property, value),
``changedPropIds`` and ``state``. Responses update the simulated page, and new
components or changed properties fire further callbacks, as in the browser.
Only server-side callbacks whose inputs are all ``value`` properties are driven
(plus page routing): uploads, downloads, clicks on the figure are not.

Latency is wall time until the whole response body is read. Reported per kind
of request (page HTML, layout, dependencies, routing per page, each callback
by its first output, and ``page-load <path>``: the sequential sum of a page's
HTML, layout, dependencies, routing and initial callbacks): count, errors
(HTTP >= 400 or no answer), p50, p95, max in ms, median response size.

Prints a table and one JSON object (also written to
scripts/bench/results/dashboard.json).

Usage: .venv/bin/python scripts/bench/dashboard.py [--users 20] [--iterations 5] [--time-limit 60]
       [--orgs 2000] [--only demo|generated] [--think 0] [--server gunicorn|dev] [--workers N]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import random
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "data" / "demo" / "pcrc_demo.xlsx"
RESULTS = ROOT / "scripts" / "bench" / "results" / "dashboard.json"
HOST = "127.0.0.1"
SERVER_MAX_LIFETIME_S = 1800  # a server child exits by itself after this, whatever happens
CONTROL_TYPES = {"Dropdown", "RadioItems", "Checklist"}
ROUTE_OUTPUT = "_pages_content"


# --------------------------------------------------------------------------- server (child)


def serve(data: str, kind: str = "gunicorn", workers: int = 2, threads: int = 4) -> None:
    """Child process: open ``data``, build the app, serve it on 127.0.0.1; stop when stdin closes."""
    import logging
    import socket

    from werkzeug.serving import make_server

    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    t0 = time.perf_counter()
    sys.path.insert(0, str(ROOT))
    from cso_network.workspace import Workspace
    from dashboard.app import create_app
    from dashboard.server import run_production, warm, warm_app

    ws = Workspace.open(data=data)
    import dash

    app = create_app(ws)
    load_s = time.perf_counter() - t0
    warm_s = warm(ws) if kind == "gunicorn" else 0.0
    if kind == "gunicorn":
        warm_app(app)  # as `cso-network serve` does before forking
    if kind == "gunicorn":
        with socket.socket() as probe:
            probe.bind((HOST, 0))
            port = probe.getsockname()[1]
        server = None
    else:
        server = make_server(HOST, 0, app.server, threaded=True)
        port = server.socket.getsockname()[1]
    pages = [{"path": p.get("path"), "path_template": p.get("path_template"), "module": p["module"],
              "nav": p.get("nav", True)} for p in dash.page_registry.values()]
    orgs = ws.dataset.organizations
    hello = {"port": port, "pid": os.getpid(), "load_s": load_s, "warm_s": warm_s, "pages": pages,
             "orgs": [[o, n] for o, n in orgs[["org_id", "name"]].itertuples(index=False, name=None)]}

    def watchdog() -> None:
        sys.stdin.read()  # returns when the parent closes the pipe or dies
        if server is None:  # gunicorn's master: stop the workers too
            os.kill(os.getpid(), signal.SIGTERM)
            time.sleep(15)
        os._exit(0)

    threading.Thread(target=watchdog, daemon=True).start()
    threading.Timer(SERVER_MAX_LIFETIME_S, lambda: os._exit(3)).start()
    print("READY " + json.dumps(hello), flush=True)
    if server is None:
        run_production(app, ws, host=HOST, port=port, workers=workers, threads=threads)
    else:
        server.serve_forever()


class Server:
    """A child process serving the app on 127.0.0.1."""

    #: How children are started (set from the command line in main()).
    kind = "gunicorn"
    workers = 2
    threads = 4

    def __init__(self, data: Path, timeout: float = 300) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, str(Path(__file__).resolve()), "--serve", str(data),
             "--server", self.kind, "--workers", str(self.workers), "--threads", str(self.threads)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=ROOT,
        )
        box: dict = {}

        def read_hello() -> None:
            for line in self.proc.stdout:
                if line.startswith("READY "):
                    box["hello"] = json.loads(line[6:])
                    return

        reader = threading.Thread(target=read_hello, daemon=True)
        reader.start()
        reader.join(timeout)
        if "hello" not in box:
            self.stop()
            raise RuntimeError(f"the dashboard did not start within {timeout:.0f} s")
        self.hello = box["hello"]
        self.base = f"http://{HOST}:{self.hello['port']}"
        self._wait_listening(timeout)

    def _wait_listening(self, timeout: float) -> None:
        """gunicorn binds after READY is printed: wait until the port accepts connections."""
        import socket

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError), socket.create_connection(
                    (HOST, self.hello["port"]), timeout=1):
                return
            time.sleep(0.1)
        self.stop()
        raise RuntimeError("the dashboard did not start listening")

    def rss_mib(self) -> dict:
        """RSS now and peak RSS of the server, summed over its processes (master and workers)."""
        totals = {"VmRSS": 0.0, "VmHWM": 0.0}
        pids = [self.proc.pid]
        with contextlib.suppress(OSError):
            children = Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children").read_text()
            pids += [int(p) for p in children.split()]
        for pid in pids:
            try:
                status = Path(f"/proc/{pid}/status").read_text()
            except OSError:
                continue
            for key in totals:
                m = re.search(rf"^{key}:\s+(\d+) kB", status, re.M)
                if m:
                    totals[key] += int(m.group(1)) / 1024
        pss = 0.0  # proportional set size: shared (copy-on-write) pages counted once
        for pid in pids:
            with contextlib.suppress(OSError):
                m = re.search(r"^Pss:\s+(\d+) kB", Path(f"/proc/{pid}/smaps_rollup").read_text(), re.M)
                pss += int(m.group(1)) / 1024 if m else 0.0
        return {"rss_mib": round(totals["VmRSS"], 1), "peak_rss_mib": round(totals["VmHWM"], 1),
                "pss_mib": round(pss, 1), "processes": len(pids)}

    def stop(self) -> None:
        if self.proc.poll() is None:
            with contextlib.suppress(OSError):
                self.proc.stdin.close()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.send_signal(signal.SIGKILL)
                self.proc.wait(10)


# --------------------------------------------------------------------------- recording


class Recorder:
    """Latencies, errors and sizes per kind of request (thread-safe)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.times: dict[str, list[float]] = defaultdict(list)
        self.errors: dict[str, int] = defaultdict(int)
        self.sizes: dict[str, list[int]] = defaultdict(list)
        self.first: dict[str, float] = {}
        self.error_samples: list[str] = []

    def add(self, label: str, ms: float, ok: bool, size: int = 0, detail: str = "") -> None:
        with self.lock:
            self.first.setdefault(label, ms)
            self.times[label].append(ms)
            self.sizes[label].append(size)
            if not ok:
                self.errors[label] += 1
                if len(self.error_samples) < 10:
                    self.error_samples.append(f"{label}: {detail}"[:300])

    def stats(self) -> dict[str, dict]:
        out = {}
        for label in sorted(self.times):
            out[label] = summary(self.times[label], self.errors[label], self.sizes[label])
        return out


def percentile(values: list[float], q: float) -> float:
    """Linear-interpolated percentile (numpy's default), without numpy."""
    s = sorted(values)
    if not s:
        return float("nan")
    pos = (len(s) - 1) * q / 100
    lo = int(pos)
    hi = min(lo + 1, len(s) - 1)
    return s[lo] + (s[hi] - s[lo]) * (pos - lo)


def summary(times: list[float], errors: int, sizes: list[int]) -> dict:
    return {"n": len(times), "errors": errors, "p50_ms": round(percentile(times, 50), 1),
            "p95_ms": round(percentile(times, 95), 1), "max_ms": round(max(times), 1),
            "median_kib": round(percentile(sizes, 50) / 1024, 1) if sizes else 0}


# --------------------------------------------------------------------------- the simulated browser


def walk(node, found: dict) -> None:
    """Collect every component with an id in a layout JSON tree: id -> {"type", "props"}."""
    if isinstance(node, list):
        for child in node:
            walk(child, found)
    elif isinstance(node, dict):
        if "props" in node and "type" in node and "namespace" in node:
            props = node["props"] or {}
            cid = props.get("id")
            if isinstance(cid, str):
                found[cid] = {"type": node["type"], "props": props}
            for value in props.values():
                walk(value, found)
        else:
            for value in node.values():
                if isinstance(value, (dict, list)):
                    walk(value, found)


def option_values(props: dict) -> list:
    opts = props.get("options")
    if isinstance(opts, dict):
        return list(opts)
    values = []
    for o in opts or []:
        if isinstance(o, dict):
            if not o.get("disabled"):
                values.append(o.get("value"))
        else:
            values.append(o)
    return values


class Callback:
    """One server-side callback from /_dash-dependencies."""

    def __init__(self, dep: dict) -> None:
        self.output = dep["output"]
        multi = self.output.startswith("..")
        parts = self.output.strip(".").split("...") if multi else [self.output]
        self.outputs = [tuple(p.rsplit(".", 1)) for p in parts]
        self.multi = multi
        self.inputs = [(i["id"], i["property"]) for i in dep["inputs"]]
        self.state = [(s["id"], s["property"]) for s in dep.get("state", [])]
        self.prevent_initial = bool(dep.get("prevent_initial_call"))
        first = self.outputs[0]
        self.is_route = first[0] == ROUTE_OUTPUT
        self.label = "route" if self.is_route else (
            f"cb {first[0]}.{first[1]}" + (f" (+{len(self.outputs) - 1})" if len(self.outputs) > 1 else ""))

    @staticmethod
    def eligible(dep: dict) -> bool:
        if dep.get("clientside_function"):
            return False
        ids = [i["id"] for i in dep["inputs"] + dep.get("state", [])]
        if any(not isinstance(i, str) or i.startswith("{") for i in ids):
            return False  # pattern-matching callbacks: none are driven
        if dep["output"].strip(".").split(".")[0] == ROUTE_OUTPUT:
            return True
        return all(i["property"] == "value" for i in dep["inputs"])


class Client:
    """One simulated browser tab: a requests session, the page's components, the callbacks."""

    def __init__(self, base: str, callbacks: list[Callback], rec: Recorder, rng: random.Random,
                 orgs: list, timeout: float, deadline: float | None = None) -> None:
        import requests

        self.base = base
        self.session = requests.Session()
        self.session.trust_env = False  # never a proxy: 127.0.0.1 only
        self.callbacks = callbacks
        self.rec = rec
        self.rng = rng
        self.orgs = orgs
        self.timeout = timeout
        self.deadline = deadline
        self.components: dict[str, dict] = {}
        self.visit_ms = 0.0

    def expired(self) -> bool:
        return self.deadline is not None and time.monotonic() > self.deadline

    # ---- HTTP
    def _request(self, label: str, method: str, path: str, body=None):
        t0 = time.perf_counter()
        try:
            if method == "GET":
                r = self.session.get(self.base + path, timeout=self.timeout)
            else:
                r = self.session.post(self.base + path, json=body, timeout=self.timeout)
            content = r.content
            ms = (time.perf_counter() - t0) * 1000
            ok = r.status_code < 400
            self.rec.add(label, ms, ok, len(content), f"HTTP {r.status_code} {content[:200]!r}")
        except Exception as exc:  # noqa: BLE001 - any failure is an error of this request
            ms = (time.perf_counter() - t0) * 1000
            self.rec.add(label, ms, False, 0, repr(exc))
            self.visit_ms += ms
            return None
        self.visit_ms += ms
        return r if ok else None

    # ---- page model
    def value(self, cid: str, prop: str):
        comp = self.components.get(cid)
        return None if comp is None else comp["props"].get(prop, _MISSING)

    def present(self, cb: Callback) -> bool:
        return all(i in self.components for i, _ in cb.inputs + cb.outputs + cb.state)

    def fire(self, cb: Callback, changed: list[str], label: str | None = None) -> set:
        """POST one callback; apply its response; return the (id, prop) pairs it changed and new ids."""
        def vals(specs):
            out = []
            for cid, prop in specs:
                v = self.value(cid, prop)
                out.append({"id": cid, "property": prop} if v is _MISSING else
                           {"id": cid, "property": prop, "value": v})
            return out

        outputs = [{"id": i, "property": p} for i, p in cb.outputs]
        body = {"output": cb.output, "outputs": outputs if cb.multi else outputs[0],
                "inputs": vals(cb.inputs), "changedPropIds": changed,
                "parsedChangedPropsIds": changed}
        if cb.state:
            body["state"] = vals(cb.state)
        r = self._request(label or cb.label, "POST", "/_dash-update-component", body)
        if r is None or r.status_code == 204 or not r.content:
            return set()
        response = r.json().get("response", {})
        changed_pairs, new_ids = set(), set()
        for cid, props in response.items():
            comp = self.components.setdefault(cid, {"type": "?", "props": {"id": cid}})
            for prop, value in props.items():
                comp["props"][prop] = value
                changed_pairs.add((cid, prop))
                found: dict = {}
                walk(value, found)
                for fid, fcomp in found.items():
                    if fid not in self.components or fid != cid:
                        new_ids.add(fid)
                    self.components[fid] = fcomp
        return changed_pairs | {(i, None) for i in new_ids}

    def cascade(self, changes: set, depth: int = 0) -> None:
        """Fire what the browser would after ``changes``: changed inputs and newly mounted components."""
        if depth > 4 or not changes:
            return
        new_ids = {i for i, p in changes if p is None}
        changed_props = {(i, p) for i, p in changes if p is not None}
        todo = []
        for cb in self.callbacks:
            if cb.is_route or not self.present(cb):
                continue
            hit = [f"{i}.{p}" for i, p in cb.inputs if (i, p) in changed_props]
            mounted = any(i in new_ids for i, _ in cb.inputs)
            if hit or (mounted and not cb.prevent_initial):
                todo.append((cb, hit))
        more: set = set()
        for cb, hit in todo:
            if self.expired():
                return
            more |= self.fire(cb, hit)
        self.cascade(more, depth + 1)

    # ---- user actions
    def load_page(self, path: str, label_path: str) -> float:
        """Load a page as the browser does; return the sequential wall time (ms) of the whole load."""
        self.visit_ms = 0.0
        self.components = {}
        pathname, _, search = path.partition("?")
        self._request("GET page HTML", "GET", path)
        r = self._request("GET /_dash-layout", "GET", "/_dash-layout")
        if r is not None:
            walk(r.json(), self.components)
        self._request("GET /_dash-dependencies", "GET", "/_dash-dependencies")
        loc = self.components.setdefault("_pages_location", {"type": "Location", "props": {}})
        loc["props"].update(pathname=pathname, search=f"?{search}" if search else "")
        route = next((cb for cb in self.callbacks if cb.is_route), None)
        if route is None:
            return self.visit_ms
        changes = self.fire(route, ["_pages_location.pathname", "_pages_location.search"],
                           f"route {label_path}")
        self.cascade(changes)
        total = self.visit_ms
        self.rec.add(f"page-load {label_path}", total, True)
        return total

    def controls(self) -> list[tuple[str, str]]:
        """(id, kind) of the controls on the page that drive a callback."""
        driven = {i for cb in self.callbacks if not cb.is_route and self.present(cb)
                  for i, p in cb.inputs if p == "value"}
        out = []
        for cid in sorted(driven):
            comp = self.components[cid]
            if comp["type"] in CONTROL_TYPES and option_values(comp["props"]):
                out.append((cid, comp["type"]))
            elif comp["type"] == "Input" and comp["props"].get("type") == "search":
                out.append((cid, "search"))
        return out

    def new_value(self, cid: str, kind: str, pick=None):
        props = self.components[cid]["props"]
        if kind == "search":
            name = self.rng.choice(self.orgs)[1] if self.orgs else "org"
            start = self.rng.randrange(max(1, len(name) - 3))
            return name[start:start + self.rng.randint(2, 4)]
        options = option_values(props)
        choice = pick if pick is not None else self.rng.choice(options)
        if kind == "Checklist" or (kind == "Dropdown" and props.get("multi")):
            return [choice]
        return choice

    def interact(self, cid: str, value) -> None:
        self.components[cid]["props"]["value"] = value
        self.visit_ms = 0.0
        self.cascade({(cid, "value")})


_MISSING = object()


# --------------------------------------------------------------------------- phases


def page_paths(hello: dict, rng: random.Random) -> list[tuple[str, str]]:
    """(request path, label) for every page; path templates get a real organization."""
    out = []
    for p in hello["pages"]:
        if p.get("path_template"):
            template = p["path_template"]
            org = rng.choice(hello["orgs"])[0] if hello["orgs"] else "x"
            out.append((re.sub(r"<[^>]+>", org, template), template))
        elif p.get("path"):
            out.append((p["path"], p["path"]))
    return out


def dependencies(base: str) -> list[Callback]:
    import requests

    s = requests.Session()
    s.trust_env = False
    deps = s.get(base + "/_dash-dependencies", timeout=120).json()
    return [Callback(d) for d in deps if Callback.eligible(d)]


def network_first_render(data: Path, timeout: float) -> dict | None:
    """A fresh server, one user: load /network and render the explorer's figure."""
    server = Server(data)
    try:
        if not any(p.get("path") == "/network" for p in server.hello["pages"]):
            return None
        rec = Recorder()
        client = Client(server.base, [], rec, random.Random(0), server.hello["orgs"], timeout)
        client._request("GET page HTML", "GET", "/network")
        r = client._request("GET /_dash-layout", "GET", "/_dash-layout")
        walk(r.json(), client.components)
        client._request("GET /_dash-dependencies", "GET", "/_dash-dependencies")
        client.callbacks = dependencies(server.base)
        render = next((cb for cb in client.callbacks
                       if cb.outputs and cb.outputs[0] == ("network-graph", "figure")), None)
        client.components["_pages_location"]["props"].update(pathname="/network", search="")
        route = next(cb for cb in client.callbacks if cb.is_route)
        client.fire(route, ["_pages_location.pathname", "_pages_location.search"], "route /network")
        if render is None or not client.present(render):
            return {"note": "no network figure callback on /network"}
        client.fire(render, [], "figure")
        first = {k: round(v, 1) for k, v in rec.first.items()}
        return {"parts_ms": first, "total_ms": round(sum(first.values()), 1),
                "figure_kib": round(rec.sizes["figure"][0] / 1024, 1),
                "errors": sum(rec.errors.values()), "error_samples": rec.error_samples,
                "server_load_s": round(server.hello["load_s"], 2),
                "warm_s": round(server.hello.get("warm_s", 0.0), 2), **server.rss_mib()}
    finally:
        server.stop()


def warm_up(client: Client, pages: list[tuple[str, str]]) -> None:
    """Visit every page, fire its initial callbacks, every option of the single-choice controls
    with at most six options (layers, presets, views) and one value of the others."""
    for path, label in pages:
        client.load_page(path, label)
        for cid, kind in client.controls():
            options = option_values(client.components[cid]["props"]) if kind != "search" else []
            single = kind == "RadioItems" or (kind == "Dropdown" and not client.components[cid]["props"].get("multi"))
            picks = options if single and len(options) <= 6 else [None]
            original = client.components[cid]["props"].get("value")
            for pick in picks:
                if pick is not None and pick == original:
                    continue
                client.interact(cid, client.new_value(cid, kind, pick))
            if single and len(options) <= 6 and original is not None:
                client.interact(cid, original)


def run_workspace(name: str, data: Path, args, describe: dict) -> dict:
    out: dict = {"name": name, **describe}
    t0 = time.perf_counter()
    out["network_first_render"] = network_first_render(data, args.cold_timeout)
    print(f"[{name}] network first render: {json.dumps(out['network_first_render'])}", file=sys.stderr)

    server = Server(data)
    try:
        hello = server.hello
        out["server_load_s"] = round(hello["load_s"], 2)
        out["pages"] = [p.get("path") or p.get("path_template") for p in hello["pages"]]
        callbacks = dependencies(server.base)
        out["callbacks_driven"] = sorted({cb.label for cb in callbacks})
        rng = random.Random(args.seed)
        cold = Recorder()
        tc = time.perf_counter()
        warm_up(Client(server.base, callbacks, cold, rng, hello["orgs"], args.cold_timeout),
                page_paths(hello, rng))
        out["warm_up_s"] = round(time.perf_counter() - tc, 2)
        out["cold"] = {k: round(v, 1) for k, v in cold.first.items()}
        out["warm_up_max"] = {k: round(max(v), 1) for k, v in cold.times.items()}
        out["cold_errors"] = sum(cold.errors.values())
        out["cold_error_samples"] = cold.error_samples
        print(f"[{name}] warmed up in {out['warm_up_s']} s", file=sys.stderr)

        rec = Recorder()
        deadline = time.monotonic() + args.time_limit
        finished = [0] * args.users

        def user(u: int) -> None:
            urng = random.Random(args.seed * 1000 + u)
            client = Client(server.base, callbacks, rec, urng, hello["orgs"], args.timeout, deadline)
            for it in range(args.iterations):
                if client.expired():
                    return
                pages = page_paths(hello, urng)
                path, label = pages[(u + it) % len(pages)]
                client.load_page(path, label)
                for _ in range(args.interactions):
                    controls = client.controls()
                    if not controls or client.expired():
                        break
                    cid, kind = urng.choice(controls)
                    client.interact(cid, client.new_value(cid, kind))
                    if args.think:
                        time.sleep(urng.uniform(0, 2 * args.think))
                finished[u] += 1
                if args.think:
                    time.sleep(urng.uniform(0, 2 * args.think))

        tw = time.perf_counter()
        threads = [threading.Thread(target=user, args=(u,), daemon=True) for u in range(args.users)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(max(0.0, deadline - time.monotonic()) + args.timeout + 5)
        wall = time.perf_counter() - tw
        all_times = [ms for label, ts in rec.times.items() if not label.startswith("page-load")
                     for ms in ts]
        all_errors = sum(e for label, e in rec.errors.items() if not label.startswith("page-load"))
        out["warm"] = rec.stats()
        out["warm_all_requests"] = summary(all_times, all_errors, []) if all_times else {}
        out["warm_error_samples"] = rec.error_samples
        out["warm_wall_s"] = round(wall, 2)
        out["requests"] = len(all_times)
        out["requests_per_s"] = round(len(all_times) / wall, 1) if wall else None
        out["visits_finished"] = sum(finished)
        out["visits_planned"] = args.users * args.iterations
        out["stopped_by_time_limit"] = sum(finished) < args.users * args.iterations
        out["threads_still_running"] = sum(t.is_alive() for t in threads)
        out.update(server.rss_mib())
    finally:
        server.stop()
    out["total_s"] = round(time.perf_counter() - t0, 1)
    return out


# --------------------------------------------------------------------------- report


def table(result: dict) -> str:
    lines = []
    for ws in result["workspaces"].values():
        lines.append(f"\n== {ws['name']} ({ws.get('orgs', '?')} orgs): {args_line(result)}; "
                     f"{ws['requests']} requests in {ws['warm_wall_s']} s "
                     f"({ws['requests_per_s']} req/s), visits {ws['visits_finished']}/"
                     f"{ws['visits_planned']}{' STOPPED BY TIME LIMIT' if ws['stopped_by_time_limit'] else ''}, "
                     f"server peak RSS {ws.get('peak_rss_mib')} MiB")
        lines.append(f"{'request':44} {'cold ms':>9} {'wu max':>7} {'n':>5} {'err':>4} {'p50 ms':>8} {'p95 ms':>8} "
                     f"{'max ms':>8} {'KiB':>8}")
        for label, s in ws["warm"].items():
            cold, wmax = ws["cold"].get(label), ws["warm_up_max"].get(label)
            kib = "" if label.startswith("page-load") else f"{s['median_kib']:.1f}"
            lines.append(f"{label[:44]:44} {'' if cold is None else f'{cold:.0f}':>9} "
                         f"{'' if wmax is None else f'{wmax:.0f}':>7} {s['n']:>5} "
                         f"{s['errors']:>4} {s['p50_ms']:>8.0f} {s['p95_ms']:>8.0f} {s['max_ms']:>8.0f} "
                         f"{kib:>8}")
        a = ws["warm_all_requests"]
        if a:
            lines.append(f"{'all requests (page-load rows excluded)':44} {'':>9} {'':>7} {a['n']:>5} "
                         f"{a['errors']:>4} {a['p50_ms']:>8.0f} {a['p95_ms']:>8.0f} {a['max_ms']:>8.0f}")
        nf = ws.get("network_first_render")
        if nf and "total_ms" in nf:
            lines.append(f"network explorer first render (fresh server, 1 user): {nf['total_ms']:.0f} ms "
                         f"= {nf['parts_ms']}; figure {nf['figure_kib']} KiB")
    goals = result["goals"]
    lines.append("cold ms: first request of its kind on a fresh server (warm-up); wu max: slowest "
                 "during the warm-up; n/err/p50/p95/max: the timed phase; KiB: median response")
    lines.append(f"\nGoals: {json.dumps(goals)}")
    return "\n".join(lines)


def args_line(result: dict) -> str:
    c = result["config"]
    return (f"{c['users']} users x {c['iterations']} visits x {c['interactions']} interactions, "
            f"think {c['think_s']} s, limit {c['time_limit_s']} s")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--serve", metavar="DATA", help=argparse.SUPPRESS)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--iterations", type=int, default=5, help="page visits per user")
    parser.add_argument("--interactions", type=int, default=2, help="control changes per visit")
    parser.add_argument("--time-limit", type=float, default=60.0, help="seconds per timed phase")
    parser.add_argument("--timeout", type=float, default=30.0, help="per request, timed phase")
    parser.add_argument("--cold-timeout", type=float, default=180.0, help="per request, cold phases")
    parser.add_argument("--think", type=float, default=0.0, help="mean think time between actions (s)")
    parser.add_argument("--orgs", type=int, default=2000)
    parser.add_argument("--only", choices=["demo", "generated"])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--server", choices=["gunicorn", "dev"], default="gunicorn",
                        help="gunicorn as `cso-network serve` runs it, or werkzeug's dev server")
    parser.add_argument("--workers", type=int, default=None,
                        help="gunicorn processes (default: as `serve`, one per core, 2-4)")
    parser.add_argument("--threads", type=int, default=4, help="gunicorn threads per process")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from dashboard.server import default_workers

    args.workers = args.workers or default_workers()
    if args.serve:
        serve(args.serve, args.server, args.workers, args.threads)
        return 0
    Server.kind, Server.workers, Server.threads = args.server, args.workers, args.threads

    sys.path.insert(0, str(ROOT))
    result: dict = {
        "python": platform.python_version(), "machine": platform.machine(),
        "cpus": os.cpu_count(),
        "config": {"users": args.users, "iterations": args.iterations,
                   "interactions": args.interactions, "time_limit_s": args.time_limit,
                   "think_s": args.think, "orgs": args.orgs, "seed": args.seed,
                   "server": (f"gunicorn, {args.workers} processes x {args.threads} threads, "
                              "caches warmed first (as `cso-network serve`)"
                              if args.server == "gunicorn" else
                              "werkzeug ThreadedWSGIServer, empty caches"),
                   "server_kind": args.server, "workers": args.workers, "threads": args.threads},
        "workspaces": {},
    }
    if args.only in (None, "demo"):
        result["workspaces"]["demo"] = run_workspace(
            "demo", DEMO, args, {"data": str(DEMO.relative_to(ROOT)), "orgs": _demo_orgs()})
    if args.only in (None, "generated"):
        from cso_network.demo.synth import generate_programme
        from cso_network.store.sql import Store

        with tempfile.TemporaryDirectory(prefix="cso-bench-dash-") as tmp:
            t0 = time.perf_counter()
            programme = generate_programme(seed=1, n_orgs=args.orgs)
            db = Path(tmp) / f"generated-{args.orgs}.sqlite"
            store = Store(db)
            store.import_dataset(programme.dataset, file_name=f"synthetic-{args.orgs}",
                                 sha256="-" * 64)
            store.dispose()
            prep = time.perf_counter() - t0
            ds = programme.dataset
            key = f"generated_{args.orgs}"
            result["workspaces"][key] = run_workspace(
                key, db, args,
                {"orgs": len(ds.organizations), "collaborations": len(ds.collaborations),
                 "seminars": len(ds.seminars), "prepare_store_s": round(prep, 2)})

    demo = result["workspaces"].get("demo")
    gen = result["workspaces"].get(f"generated_{args.orgs}")
    goals = {}
    if demo:
        worst = max(demo["warm"].items(), key=lambda kv: kv[1]["p95_ms"])
        goals["demo_worst_p95_ms"] = {"request": worst[0], "p95_ms": worst[1]["p95_ms"]}
        goals["demo_all_requests_p95_ms"] = demo["warm_all_requests"].get("p95_ms")
        goals["demo_p95_under_500ms_every_request_kind"] = all(
            s["p95_ms"] < 500 for label, s in demo["warm"].items() if not label.startswith("page-load"))
        goals["demo_errors"] = sum(s["errors"] for s in demo["warm"].values())
    if gen and gen.get("network_first_render") and "total_ms" in gen["network_first_render"]:
        nf = gen["network_first_render"]
        goals["network_first_render_ms"] = nf["total_ms"]
        goals["network_first_render_under_2s"] = nf["total_ms"] < 2000
    result["goals"] = goals
    print(table(result))
    print(json.dumps(result))
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")
    return 0


def _demo_orgs() -> int | None:
    try:
        from cso_network.workspace import Workspace

        return len(Workspace.open(data=DEMO).dataset.organizations)
    except Exception:  # noqa: BLE001 - only a label
        return None


if __name__ == "__main__":
    sys.exit(main())
