"""The Dash app factory: the shell (navigation, workspace name, data freshness) around the pages.

Pages live in ``dashboard/pages/``, one module each (``dash.register_page``
first, ``layout(**kwargs)`` reads the workspace at request time); an
address no page answers gets ``pages/not_found_404.py``. Every page is
rendered through :func:`dashboard.components.localize`, so the texts Dash
components write themselves are in the reader's language too. The app
keeps its workspace in ``server.config`` (see :mod:`dashboard.state`).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from pathlib import Path

import dash
import flask
from dash import Dash, Input, Output, State, dcc, html

from cso_network.ingest.limits import Limits
from cso_network.workspace import Workspace
from dashboard.components import freshness, localize
from dashboard.i18n import COOKIE, LANGUAGES, _, current_language
from dashboard.server import allowed_host_set, protect
from dashboard.state import CONFIG_KEY, PUBLIC_KEY, WorkspaceHolder, current_workspace, is_public

__all__ = ["create_app"]

PAGES_FOLDER = Path(__file__).parent / "pages"


def _language_switch() -> html.Div:
    """The header's language switch: a labelled radio group (arrow keys move, like any radio)."""
    lang = current_language()
    return html.Div(
        [html.Span(_("Language"), id="lang-label", className="lang-label"),
         dcc.RadioItems([{"label": name, "value": code} for code, name in LANGUAGES.items()],
                        value=lang, id="lang-switch", inline=True, className="lang-switch",
                        inputClassName="lang-input", labelClassName="lang-option"),
         dcc.Store(id="lang-current", data=lang),
         html.Div(id="lang-sink", hidden=True)],
        className="lang", role="radiogroup", **{"aria-labelledby": "lang-label"},
    )


def _nav_link(page: dict) -> dcc.Link:
    """A navigation link; page names are registered in English and translated here."""
    name = page["name"]
    return dcc.Link(_(name), href=page["relative_path"], className="nav-link",
                    id=f"nav-{page['module'].rsplit('.', 1)[-1]}")


def _shell() -> html.Div:
    ws = current_workspace()
    public = is_public()
    links = [
        _nav_link(page) for page in dash.page_registry.values()
        if page.get("nav", True) and not (public and page.get("staff"))
    ]
    return html.Div(
        [
            html.Header(
                [
                    html.Div([html.Span("cso-network", className="brand"),
                              html.Nav(links, className="nav", **{"aria-label": _("Pages")}),
                              _language_switch()],
                             className="header-row"),
                    html.Div(freshness(ws), className="freshness", id="shell-freshness"),
                ],
                className="header",
            ),
            html.Main(dash.page_container, className="main"),
        ]
    )


def create_app(workspace: Workspace, *, title: str = "cso-network", public: bool = False,
               allowed_hosts: Iterable[str] | None = None) -> Dash:
    """Build the dashboard for ``workspace``.

    Parameters
    ----------
    workspace : Workspace
        What the pages show; a store-backed workspace is reloaded after imports.
    title : str
        Browser tab title.
    public : bool
        Serve it for participants: pages registered with ``staff=True`` (the
        Data page: uploads, imports, downloads of the whole data) leave the
        navigation and refuse to work, on the server, not only in the browser.
    allowed_hosts : iterable of str, optional
        Host names or addresses (``name`` or ``name:port``) the app answers to,
        besides ``localhost``, ``127.0.0.1`` and ``[::1]`` (any port) and those
        in the environment variable ``CSO_NETWORK_ALLOWED_HOSTS``. A request
        for another host gets 400; a state-changing request from a page of a
        host not allowed gets 403 (see :func:`dashboard.server.protect`).

    Returns
    -------
    dash.Dash

    Raises
    ------
    CsoNetworkError
        When an allowed host is not a host name or address.
    """
    allowed = allowed_host_set(allowed_hosts)
    app = Dash(
        __name__,
        use_pages=True,
        pages_folder=str(PAGES_FOLDER),
        title=title,
        suppress_callback_exceptions=True,
    )
    app.server.config[CONFIG_KEY] = WorkspaceHolder(workspace)
    app.server.config[PUBLIC_KEY] = public
    protect(app.server, allowed)
    # Refuse oversized request bodies before reading them (base64 + JSON overhead).
    app.server.config["MAX_CONTENT_LENGTH"] = int(1.4 * Limits.from_env().max_file_bytes) + 64 * 1024
    app.layout = _shell
    for page in dash.page_registry.values():
        page["layout"] = _localized(page["layout"])
    _localize_index(app)
    _guard_callbacks(app)

    @app.callback(Output("shell-freshness", "children"), Input("_pages_location", "pathname"))
    def _fresh(_path: str) -> str:
        # On every navigation (the Data page also updates it when an import is confirmed).
        return freshness(current_workspace())

    # Picking a language stores it in a cookie for a year and reloads, so the shell, every
    # page and every callback render in it; on load it only sets <html lang>.
    app.clientside_callback(
        """
        function(lang, current) {
            if (!lang) { return window.dash_clientside.no_update; }
            document.documentElement.lang = lang;
            if (lang !== current) {
                document.cookie = "COOKIE_NAME=" + encodeURIComponent(lang) +
                    "; path=/; max-age=31536000; SameSite=Lax";
                window.location.reload();
            }
            return lang;
        }
        """.replace("COOKIE_NAME", COOKIE),
        Output("lang-sink", "title"),
        Input("lang-switch", "value"),
        State("lang-current", "data"),
    )
    return app


def _localized(layout: Callable | object) -> Callable | object:
    """A page's ``layout`` function, its result passed through :func:`localize`."""
    if not callable(layout) or getattr(layout, "localized", False):
        return layout

    @functools.wraps(layout)
    def render(**kwargs):
        return localize(layout(**kwargs))

    render.localized = True
    return render


#: The location component of ``dash.page_container``, whose path and query pick the page.
_LOCATION = "_pages_location"


def _guard_callbacks(app: Dash) -> None:
    """Refuse callback requests the browser's Dash never sends, before Dash reads them.

    Dash answers a callback request that is not shaped as it expects (no
    such callback, inputs missing or not a list, ...) with a server error;
    here it gets 400. A page request whose location is not a URL path (a
    crafted ``pathname`` that is not a string starting with "/", a ``search``
    that is not a string) gets 204, "nothing to update", as Dash's page
    router would fail on it. Values of the right shape go on to the
    callbacks, which read them as untrusted
    (:class:`dashboard.components.Untrusted`).
    """
    endpoint = app.config.routes_pathname_prefix + "_dash-update-component"

    def slots(value, expected: int) -> bool:
        return (isinstance(value, list) and len(value) == expected
                and all(isinstance(v, dict) and "id" in v and isinstance(v.get("property"), str)
                        or isinstance(v, list) and all(isinstance(w, dict) for w in v)
                        for v in value))

    def check():
        request = flask.request
        if request.method != "POST" or request.path != endpoint:
            return None
        body = request.get_json(silent=True)
        if not isinstance(body, dict):
            flask.abort(400)
        registered = app.callback_map.get(body.get("output")) \
            if isinstance(body.get("output"), str) else None
        if (registered is None
                or not slots(body.get("inputs"), len(registered["inputs"]))
                or not slots(body.get("state", []), len(registered["state"]))
                or not isinstance(body.get("outputs", []), (dict, list))
                or not isinstance(body.get("changedPropIds", []), list)):
            flask.abort(400)
        for slot in body["inputs"]:
            if isinstance(slot, dict) and slot.get("id") == _LOCATION:
                value = slot.get("value")
                if slot["property"] == "pathname" and not (
                        isinstance(value, str) and value.startswith("/")):
                    return flask.Response(status=204)
                if slot["property"] == "search" and not (value is None or isinstance(value, str)):
                    return flask.Response(status=204)
        return None

    app.server.before_request(check)


def _localize_index(app: Dash) -> None:
    """Serve the page with ``<html lang>`` of the request's language (screen readers, hyphens)."""
    original = app.interpolate_index

    def interpolate_index(**kwargs) -> str:
        html_text = original(**kwargs)
        return html_text.replace("<html>", f'<html lang="{current_language()}">', 1)

    app.interpolate_index = interpolate_index
