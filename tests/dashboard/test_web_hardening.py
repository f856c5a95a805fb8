"""The dashboard against hostile text and hostile requests.

* Names from the data are drawn as text, not as plotly markup, and cut to a
  display length; searches read a bounded part of the query and the names.
* Only requests addressed to an allowed host are answered; state-changing
  requests from another site's page are refused; every response forbids
  framing and MIME sniffing.
* URL parameters and callback values of any type and size give a page (with
  a notice) or a callback answer, never a server error.
"""

from __future__ import annotations

import socket
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cso_network.views import search
from cso_network.views.explore import MAX_YEAR, MIN_YEAR, Filters
from cso_network.views.search import (
    MAX_NAME_CHARS,
    MAX_QUERY_CHARS,
    find_organizations,
    org_options,
)
from cso_network.workspace import Workspace
from dashboard.app import create_app
from dashboard.components import DISPLAY_CHARS, Untrusted, shorten
from dashboard.figures import plot_text
from dashboard.server import (
    SECURITY_HEADERS,
    allowed_host_set,
    host_allowed,
    is_loopback,
    listening_hosts,
    parse_host,
)
from tests.helpers import (
    dataset_from_records,
    drawn_figures,
    dropdowns,
    hostile_records,
    page,
    strings,
    tiny_records,
)

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "data" / "demo" / "pcrc_demo.xlsx"

LINK = '<a href="https://phish.example/login">x</a>'
BOLD = "<b>bold</b>"
STYLED = '<span style="color:red;font-size:60px">styled</span>'
CITY = "<i>Tuzla</i>"
LONG_NAME = "Udruzenje " + "abcdefghij" * 10_000  # 100,010 characters


@pytest.fixture
def hostile_app():
    names = {"A": LINK, "B": BOLD, "C": STYLED}
    ws = Workspace(dataset_from_records(hostile_records(names, CITY)), version="hostile",
                   name="hostile")
    return create_app(ws)


# ----------------------------------------------------------------------------- 1. markup
def test_plot_text_escapes_markup_and_keeps_quotes():
    assert plot_text(LINK) == '&lt;a href="https://phish.example/login"&gt;x&lt;/a&gt;'
    assert plot_text("Most & Co") == "Most &amp; Co"
    assert plot_text("&lt;b&gt;") == "&amp;lt;b&amp;gt;"  # an entity in a name stays as written


def test_names_with_markup_are_drawn_as_text_in_every_figure(hostile_app):
    drawn = drawn_figures(hostile_app, ["A", "B", "C"])
    assert len(drawn) >= 15
    texts = [s for fig in drawn for s in strings(fig)]
    for raw in (LINK, BOLD, STYLED, CITY):
        assert not any(raw in s for s in texts), raw
        assert any(plot_text(raw) in s for s in texts), raw
    # no link and no styled span at all; <b> only as the dashboard's own bold hover titles
    assert not any("<a " in s or "<span" in s or "<i>" in s for s in texts)
    assert not any("<b>bold" in s for s in texts)


def test_markup_in_names_is_escaped_in_the_figure_builders_too():
    import networkx as nx

    from dashboard import figures
    from dashboard.figures import network_figure

    G = nx.Graph()
    G.add_node("a", name=BOLD, country=STYLED, city=CITY, fields=(STYLED,))
    G.add_node("b", name=LINK, country="ME", fields=())
    G.add_edge("a", "b", collaborated=True)
    pos = {"a": (0.0, 0.0), "b": (1.0, 1.0)}
    built = [
        network_figure(G, pos, layer="combined", focus="a", colour_by="country"),
        network_figure(G, pos, layer="combined", focus="b", colour_by="field"),
        figures.pair_network(G, pos, "a", "b"),
        figures.cohort_chart([{"seminar_id": LINK, "ties_before": 1, "ties_after": 2,
                               "cross_border_after": 0, "met_then_collaborated": 0}]),
        figures.coverage_heatmap({STYLED: {BOLD: 1}}, "fields"),
        figures.mixing_heatmap([{"a": STYLED, "b": "BA", "observed": 1, "expected": 1.0,
                                 "ratio": 1.0}]),
        figures.focal_grid({LINK: [f"{STYLED}: risk factor 1"]}, [], {LINK: {"name": BOLD}},
                           [STYLED]),
    ]
    import pandas as pd

    built.append(figures.organizations_by_country(
        pd.DataFrame({"country": ["BA"], "organizations": [1]})))
    built.append(figures.fields_by_country(
        pd.DataFrame({"country": [STYLED], "field": [BOLD], "organizations": [1]})))
    for fig in built:
        texts = strings(fig)
        assert not any("<a " in s or "<span" in s or "<b>bold" in s for s in texts), texts
    assert any(plot_text(STYLED) in s for fig in built for s in strings(fig))


# ----------------------------------------------------------------------------- 2. length
def test_shorten_bounds_every_text():
    assert shorten("x" * 10) == "x" * 10
    cut = shorten("x" * 100_000)
    assert len(cut) == DISPLAY_CHARS and cut.endswith("…")
    assert shorten("abc", 2) == "a…"


@pytest.fixture
def long_dataset():
    return dataset_from_records(hostile_records({"A": LONG_NAME}))


def test_a_huge_search_on_a_huge_name_returns_the_match(long_dataset):
    hits = find_organizations(long_dataset, LONG_NAME[:21_000])
    assert hits["org_id"].iloc[0] == "A"
    assert hits["name"].iloc[0] == LONG_NAME  # the name itself, not a cut copy
    assert find_organizations(long_dataset, "Центар Гама" + " " * 30_000 + "x" * 21_000).empty \
        or True  # any answer will do: it must return
    assert find_organizations(long_dataset, ["not", "a", "string"]).empty


def test_rapidfuzz_sees_only_bounded_texts(long_dataset, monkeypatch):
    seen = []
    real = search.process.extract

    def spy(query, choices, **kwargs):
        seen.append((len(query), max(len(c) for c in choices)))
        return real(query, choices, **kwargs)

    monkeypatch.setattr(search.process, "extract", spy)
    find_organizations(long_dataset, "q" * 21_000)
    assert seen == [(MAX_QUERY_CHARS, MAX_NAME_CHARS)]


def test_dropdown_options_of_a_huge_name_are_bounded(long_dataset):
    options = {o["value"]: o for o in org_options(long_dataset, shorten=shorten)}
    assert options["A"]["label"] == shorten(LONG_NAME) + " (BA, A)"
    assert len(options["A"]["search"]) < 5 * MAX_NAME_CHARS
    assert "udruzenje abcdefghij" in options["A"]["search"]  # still found by its start
    plain = {o["value"]: o for o in org_options(long_dataset)}
    assert len(plain["A"]["label"]) <= MAX_NAME_CHARS + len(" (BA, A)")


def test_figures_and_dropdowns_of_a_huge_name_hold_no_long_text(long_dataset):
    app = create_app(Workspace(long_dataset, version="long", name="long"))
    drawn = drawn_figures(app, ["A"])
    run = "abcdefghij" * (DISPLAY_CHARS // 10 + 1)
    for fig in drawn:
        for text in strings(fig):
            assert run not in text
            assert len(text) < 4 * DISPLAY_CHARS, text[:80]
    assert any(shorten(LONG_NAME) in s for fig in drawn for s in strings(fig))
    with app.server.test_request_context("/"):
        for name, kwargs in (("network", {}), ("partners", {"org": "A"}), ("unogp", {"org": "A"})):
            tree = page(name).layout(**kwargs)
            # every text of the page is bounded (a dropdown's search text holds a few
            # spellings of the name's first MAX_NAME_CHARS characters) ...
            assert max(len(t) for t in strings(tree)) < 5 * MAX_NAME_CHARS, name
            # ... and what is shown of the name is at most DISPLAY_CHARS long
            labels = [o["label"] for d in dropdowns(tree) for o in d.options]
            assert shorten(LONG_NAME) + " (BA, A)" in labels, name
            assert not any(run in label for label in labels), name


# ----------------------------------------------------------------------------- 3. host/origin
ROUTER = {"output": ".._pages_content.children..._pages_store.data..",
          "outputs": [{"id": "_pages_content", "property": "children"},
                      {"id": "_pages_store", "property": "data"}],
          "state": [], "changedPropIds": ["_pages_location.pathname"]}


def route(client, path: str, search_text: str = "", **kwargs):
    """Ask the Dash router for the page at ``path`` + ``search_text`` (what the browser does)."""
    body = dict(ROUTER, inputs=[
        {"id": "_pages_location", "property": "pathname", "value": path},
        {"id": "_pages_location", "property": "search", "value": search_text}])
    return client.post("/_dash-update-component", json=body, **kwargs)


DOWNLOAD_DATA = {
    "output": "..data-download.data...data-download-message.children..",
    "outputs": [{"id": "data-download", "property": "data"},
                {"id": "data-download-message", "property": "children"}],
    "inputs": [{"id": "data-download-template", "property": "n_clicks", "value": None},
               {"id": "data-download-data", "property": "n_clicks", "value": 1}],
    "state": [], "changedPropIds": ["data-download-data.n_clicks"],
}


@pytest.fixture
def tiny_app(monkeypatch):
    monkeypatch.delenv("CSO_NETWORK_ALLOWED_HOSTS", raising=False)
    ws = Workspace(dataset_from_records(tiny_records()), version="tiny", name="tiny")
    app = create_app(ws)
    app.server.test_client().get("/")  # Dash sets itself up on a first request
    return app


def test_a_request_for_another_host_gets_400_and_no_data(tiny_app):
    client = tiny_app.server.test_client()
    bad = {"Host": "attacker.example"}
    for response in (client.get("/", headers=bad), client.get("/_dash-layout", headers=bad),
                     client.get("/network?focus=A", headers=bad),
                     route(client, "/org/A", headers=bad),
                     client.post("/_dash-update-component", json=DOWNLOAD_DATA, headers=bad)):
        assert response.status_code == 400
        assert b"Udru" not in response.data and b"Ana Test" not in response.data
        assert response.mimetype == "text/plain"
    good = client.get("/_dash-layout", headers={"Host": "localhost:8050"})
    assert good.status_code == 200
    assert route(client, "/org/A", headers={"Host": "127.0.0.1:8050"}).status_code == 200
    assert b"Udru" in route(client, "/org/A", headers={"Host": "[::1]:8050"}).data
    for host in ("attacker.example:8050", "localhost.attacker.example", "127.0.0.1.nip.io",
                 "localhost:8050:1", "", "local host"):
        assert client.get("/", headers={"Host": host}).status_code == 400, host


def test_a_post_from_another_site_gets_403(tiny_app):
    client = tiny_app.server.test_client()
    for origin in ("https://attacker.example", "null", "http://localhost.attacker.example:8050",
                   "file://"):
        response = route(client, "/org/A", headers={"Origin": origin})
        assert response.status_code == 403, origin
        assert b"Udru" not in response.data
    for origin in ("http://localhost:8050", "http://127.0.0.1:8050", "http://[::1]:8050"):
        assert route(client, "/org/A", headers={"Origin": origin}).status_code == 200, origin
    assert route(client, "/org/A").status_code == 200  # no Origin (not a browser's fetch)
    # reading is not refused for its Origin (e.g. a link followed from another site)
    assert client.get("/", headers={"Origin": "https://attacker.example"}).status_code == 200


def test_every_response_forbids_framing_and_sniffing(tiny_app):
    client = tiny_app.server.test_client()
    responses = [client.get("/"), client.get("/_dash-layout"), client.get("/no-such-page"),
                 client.get("/_dash-dependencies"), route(client, "/network"),
                 client.get("/", headers={"Host": "attacker.example"}),
                 route(client, "/", headers={"Origin": "https://attacker.example"})]
    assert [r.status_code for r in responses] == [200, 200, 200, 200, 200, 400, 403]
    for response in responses:
        for name, value in SECURITY_HEADERS.items():
            assert response.headers.get(name) == value, (name, response.status_code)
    assert SECURITY_HEADERS["Content-Security-Policy"] == "frame-ancestors 'none'"
    assert SECURITY_HEADERS["X-Frame-Options"] == "DENY"


def test_more_hosts_from_the_argument_and_the_environment(monkeypatch):
    monkeypatch.setenv("CSO_NETWORK_ALLOWED_HOSTS", "team.example, 10.0.0.5:8443")
    ws = Workspace(dataset_from_records(tiny_records()), version="t", name="t")
    client = create_app(ws, allowed_hosts=["dash.example.org"]).server.test_client()
    for host, status in (("dash.example.org", 200), ("DASH.example.org.:8050", 200),
                         ("team.example", 200), ("10.0.0.5:8443", 200), ("10.0.0.5:8050", 400),
                         ("localhost:9999", 200), ("other.example", 400)):
        assert client.get("/", headers={"Host": host}).status_code == status, host
    monkeypatch.setenv("CSO_NETWORK_ALLOWED_HOSTS", "http://bad.example/")
    from cso_network.core.exceptions import CsoNetworkError

    with pytest.raises(CsoNetworkError, match="CSO_NETWORK_ALLOWED_HOSTS"):
        create_app(ws)


@given(st.text(max_size=40))
def test_parse_host_never_raises_and_reads_back(text):
    parsed = parse_host(text)
    if parsed is not None:
        name, port = parsed
        assert name == name.lower() and (port is None or 0 < port < 65536)
        again = parse_host(name if port is None else f"{name}:{port}")
        assert again == parsed


@given(st.sampled_from(["localhost", "127.0.0.1", "[::1]", "LOCALHOST."]),
       st.integers(min_value=1, max_value=65535))
def test_loopback_is_allowed_on_any_port(name, port):
    assert host_allowed(f"{name}:{port}", allowed_host_set(environ={}))


def _serve(args, monkeypatch, tmp_path):
    """Run ``cso-network serve`` up to create_app and return (result, create_app's kwargs)."""
    from typer.testing import CliRunner

    import dashboard.app
    import dashboard.server
    from cso_network.cli import app as cli
    from cso_network.core.exceptions import CsoNetworkError

    seen = {}

    def fake_create_app(ws, **kwargs):
        seen.update(kwargs)
        raise CsoNetworkError("stopped before serving")

    monkeypatch.setattr(dashboard.app, "create_app", fake_create_app)
    monkeypatch.setattr(dashboard.server, "check_port", lambda host, port: None)
    monkeypatch.delenv("CSO_NETWORK_ALLOWED_HOSTS", raising=False)
    result = CliRunner().invoke(cli, ["serve", *args])
    return result, seen


def test_serve_passes_the_allowed_hosts_and_the_host_it_listens_on(monkeypatch, tmp_path):
    result, seen = _serve(["--data", str(DEMO), "--allowed-host", "a.example",
                           "--allowed-host", "b.example:8443"], monkeypatch, tmp_path)
    assert "stopped before serving" in result.output
    assert seen["allowed_hosts"] == ["a.example", "b.example:8443"]
    result, seen = _serve(["--data", str(DEMO), "--host", "192.0.2.10"], monkeypatch, tmp_path)
    assert seen["allowed_hosts"] == ["192.0.2.10"]
    result, seen = _serve(["--data", str(DEMO), "--host", "0.0.0.0", "--allowed-host",
                           "alias.example"], monkeypatch, tmp_path)
    assert seen["allowed_hosts"][0] == "alias.example"
    # all interfaces: this machine's own name, as other machines open it
    assert socket.gethostname().lower() in seen["allowed_hosts"]
    assert not any(is_loopback(h) or h in ("0.0.0.0", "::") for h in seen["allowed_hosts"])
    assert "Answering requests for: localhost, alias.example" in result.output
    result, seen = _serve(["--data", str(DEMO), "--allowed-host", "not a host"], monkeypatch,
                          tmp_path)
    assert result.exit_code == 1 and "not a host name" in result.output and not seen


def test_listening_on_all_interfaces_allows_only_this_machines_names():
    hosts = listening_hosts("0.0.0.0")
    assert hosts == listening_hosts("::")
    assert all(parse_host(h) is not None and not is_loopback(h) for h in hosts)
    assert listening_hosts("192.0.2.10") == ["192.0.2.10"]
    assert listening_hosts("[::1]") == listening_hosts("localhost") == []


def test_serve_never_creates_a_workspace(monkeypatch, tmp_path):
    missing = tmp_path / "typo.sqlite"
    result, seen = _serve(["--db", str(missing)], monkeypatch, tmp_path)
    assert result.exit_code == 1 and "no workspace" in result.output
    assert not missing.exists() and not seen
    other = tmp_path / "other.sqlite"
    with sqlite3.connect(other) as conn:
        conn.execute("create table notes (text)")
    result, seen = _serve(["--db", str(other)], monkeypatch, tmp_path)
    assert result.exit_code == 1 and not seen
    with sqlite3.connect(other) as conn:
        tables = {r[0] for r in conn.execute("select name from sqlite_master where type='table'")}
    assert tables == {"notes"}


# ----------------------------------------------------------------------------- 4. parameters
JUNK_QUERY = ["zzz", "", "1e999", "99999999999999999999999", "-1", "２０１２", "²", "2012-abc",
              "2012-99999", "x" * 5000, "%00", "<script>alert(1)</script>", ",,,", "a,b,,c"]
PAGES = {
    "/network": ["layer", "view", "colour", "size", "focus", "countries", "fields", "practices",
                 "risk_factors", "seminars", "years"],
    "/gaps": ["layer", "countries", "fields"],
    "/partners": ["org", "preset", "countries", "fields", "risk_factors"],
    "/organizations": ["q", "country"],
    "/unogp": ["org"],
    "/org/A": ["org_id"],
    "/": ["q"],
}


def _content(response) -> dict:
    return response.get_json()["response"]["_pages_content"]["children"]


def _components(tree) -> dict:
    """id -> props of every component in a layout's JSON."""
    found = {}
    if isinstance(tree, dict):
        props = tree.get("props")
        if isinstance(props, dict):
            if isinstance(props.get("id"), str):
                found[props["id"]] = props
            found.update(_components(props.get("children")))
            for value in props.values():
                if isinstance(value, (dict, list)) and value is not props.get("children"):
                    found.update(_components(value))
    elif isinstance(tree, list):
        for item in tree:
            found.update(_components(item))
    return found


@pytest.mark.parametrize("path", list(PAGES))
def test_every_page_renders_with_repeated_and_junk_parameters(tiny_app, path):
    from urllib.parse import quote

    client = tiny_app.server.test_client()
    for name in PAGES[path]:
        searches = [f"?{name}=met&{name}=combined", f"?{name}=BA&{name}=ME&{name}=A"]
        searches += [f"?{name}={quote(value)}" for value in JUNK_QUERY]
        for search_text in searches:
            response = route(client, path, search_text)
            assert response.status_code == 200, (path, search_text[:60])


@pytest.mark.parametrize(("path", "search_text", "component", "prop", "expected"), [
    ("/network", "?layer=met&layer=combined", "network-layer", "value", "collaborated"),
    ("/network", "?view=3d", "network-layout", "value", "geographic"),
    ("/network", "?focus=A&focus=B", "network-focus", "value", None),
    ("/network", "?countries=BA,ZZ", "network-country", "value", ["BA"]),
    ("/network", "?years=2012-99999", "network-years", "value", [2012, 2014]),
    ("/network", "?risk_factors=8,99", "network-rf", "value", [8]),
    ("/gaps", "?layer=x&countries=ME&countries=BA", "gaps-layer", "value", "collaborated"),
    ("/partners", "?preset=ranked&org=A", "partners-preset", "value", "balanced"),
    ("/partners", "?org=A&org=B", "partners-org", "value", None),
    ("/organizations", "?q=" + "x" * 21_000, "organizations-search", "value", "x" * 200),
    ("/unogp", "?org=A&org=B", "unogp-org", "value", None),
])
def test_unreadable_parameters_fall_back_and_the_page_says_so(tiny_app, path, search_text,
                                                               component, prop, expected):
    response = route(tiny_app.server.test_client(), path, search_text)
    found = _components(_content(response))
    assert found[component].get(prop) == expected
    notices = [k for k in found if k.endswith("-params-notice")]
    assert len(notices) == 1
    assert "not understood" in found[notices[0]]["children"]


def test_a_good_link_shows_no_notice(tiny_app):
    client = tiny_app.server.test_client()
    for path, search_text in (("/network", "?layer=met&countries=BA,ME&years=2012-2013&focus=A"),
                              ("/gaps", "?layer=met&countries=BA"),
                              ("/partners", "?org=A&preset=coverage&risk_factors=8"),
                              ("/organizations", "?q=Alfa&country=BA,ME"), ("/unogp", "?org=B")):
        found = _components(_content(route(client, path, search_text)))
        assert not [k for k in found if k.endswith("-params-notice")], path


def test_the_notice_is_translated(tiny_app):
    client = tiny_app.server.test_client()
    client.set_cookie("cso_lang", "bs")
    response = route(client, "/gaps", "?layer=x")
    notice = _components(_content(response))["gaps-params-notice"]["children"]
    assert "layer" in notice and "not understood" not in notice


JUNK_VALUES = [None, "zzz", "", ["a", "b"], {"a": 1}, [{"x": [1]}], [[1, 2], [3]], 10**30, -5,
               1.5, True, "x" * 100_000, ["x" * 100_000], "<script>alert(1)</script>"]
BASELINE_PAGES = [("/network", "?focus=A&layer=combined"), ("/partners", "?org=A"),
                  ("/gaps", "?countries=BA"), ("/organizations", "?q=Alfa"), ("/unogp", "?org=A"),
                  ("/org/A", ""), ("/org/ZZZ", "")]


def _outputs(output: str) -> list[dict] | dict:
    if output.startswith(".."):
        parts = output[2:-2].split("...")
        return [dict(zip(("id", "property"), p.rsplit(".", 1), strict=True)) for p in parts]
    component, prop = output.rsplit(".", 1)
    return {"id": component, "property": prop}


def _server_callbacks(client) -> list[dict]:
    deps = client.get("/_dash-dependencies").get_json()
    return [d for d in deps if d.get("clientside_function") is None
            and not d["output"].lstrip(".").startswith("data-")]  # the Data page: tested there


def test_crafted_callback_values_never_give_a_server_error(tiny_app):
    client = tiny_app.server.test_client()
    baseline: dict[tuple[str, str], Any] = {("_pages_location", "pathname"): "/network",
                                            ("_pages_location", "search"): ""}
    for path, search_text in BASELINE_PAGES:
        for component, props in _components(_content(route(client, path, search_text))).items():
            for prop, value in props.items():
                baseline.setdefault((component, prop), value)
    callbacks = _server_callbacks(client)
    assert len(callbacks) >= 14
    failures = []
    for dep in callbacks:
        slots = [("inputs", i) for i in dep["inputs"]] + [("state", s) for s in dep["state"]]

        def body(replace: int | None, junk: Any, dep=dep, slots=slots) -> dict:
            payload = {"output": dep["output"], "outputs": _outputs(dep["output"]),
                       "inputs": [], "state": [],
                       "changedPropIds": [f"{dep['inputs'][0]['id']}.{dep['inputs'][0]['property']}"]}
            for k, (kind, slot) in enumerate(slots):
                value = junk if k == replace else baseline.get((slot["id"], slot["property"]))
                payload[kind].append({"id": slot["id"], "property": slot["property"],
                                      "value": value})
            return payload

        assert client.post("/_dash-update-component", json=body(None, None)).status_code in (
            200, 204), dep["output"]
        for k in range(len(slots)):
            for junk in JUNK_VALUES:
                status = client.post("/_dash-update-component", json=body(k, junk)).status_code
                if status not in (200, 204):
                    failures.append((dep["output"], slots[k][1]["id"], repr(junk)[:40], status))
    assert failures == [], "\n".join(map(str, failures))


def test_callback_requests_of_the_wrong_shape_get_400(tiny_app):
    client = tiny_app.server.test_client()
    query = {"output": "partners-query.data",
             "outputs": {"id": "partners-query", "property": "data"}}
    inputs = [{"id": i, "property": "value", "value": None}
              for i in ("partners-org", "partners-preset", "partners-country", "partners-field",
                        "partners-rf")]
    for body in ([], {}, {"output": "nope.data"}, {"output": ["x"]}, query,
                 dict(query, inputs=[]), dict(query, inputs=[1, 2, 3, 4, 5]),
                 dict(query, inputs=inputs, state=[{"id": "x", "property": "y"}]),
                 dict(query, inputs=inputs, changedPropIds="partners-org.value"),
                 dict(query, inputs=inputs[:4] + [{"id": "partners-rf"}])):
        response = client.post("/_dash-update-component", json=body)
        assert response.status_code == 400, body
    response = client.post("/_dash-update-component", data=b"{not json",
                           content_type="application/json")
    assert response.status_code == 400
    assert client.post("/_dash-update-component", json=dict(query, inputs=inputs)).status_code == 200


@given(st.dictionaries(
    st.sampled_from(["countries", "fields", "practices", "risk_factors", "seminars", "years"]),
    st.one_of(st.text(max_size=30), st.lists(st.text(max_size=10), max_size=3),
              st.integers(), st.none())))
def test_filters_from_any_query_are_well_formed(query):
    f = Filters.from_query(query)
    for name in ("countries", "fields", "practices", "seminars"):
        assert all(isinstance(v, str) and v for v in getattr(f, name))
    assert all(isinstance(n, int) and 1 <= n <= 14 for n in f.risk_factors)
    assert f.years is None or MIN_YEAR <= f.years[0] <= f.years[1] <= MAX_YEAR
    for name, value in query.items():
        if isinstance(value, list):
            assert name in f.ignored
    assert Filters.from_query(f.to_query()) == f


@given(st.one_of(st.none(), st.text(max_size=300), st.integers(), st.floats(), st.booleans(),
                 st.lists(st.one_of(st.text(max_size=5), st.integers()), max_size=4),
                 st.dictionaries(st.text(max_size=3), st.integers(), max_size=2)))
def test_untrusted_returns_the_expected_type_whatever_it_is_given(value):
    read = Untrusted()
    assert read.choice("a", value, {"x", "y"}, "x") in {"x", "y"}
    text = read.text("b", value, "")
    assert isinstance(text, str) and len(text) <= 200
    assert 0 <= read.integer("c", value, 0, 0, 30) <= 30
    assert read.key("d", value, {"A"}) in (None, "A")
    assert all(v in {"BA", "ME"} for v in read.values("e", value, {"BA", "ME"}))
    assert set(read.dropped) <= {"a", "b", "c", "d", "e"}
