"""The Dash app factory: the shell (navigation, workspace name, data freshness) around the pages.

Pages live in ``dashboard/pages/``, one module each (``dash.register_page``
first, ``layout(**kwargs)`` reads the workspace at request time). The app
keeps its workspace in ``server.config`` (see :mod:`dashboard.state`).
"""

from __future__ import annotations

from pathlib import Path

import dash
from dash import Dash, Input, Output, State, dcc, html

from cso_network.io.excel import MAX_WORKBOOK_BYTES
from cso_network.workspace import Workspace
from dashboard.i18n import COOKIE, LANGUAGES, _, current_language
from dashboard.state import CONFIG_KEY, PUBLIC_KEY, WorkspaceHolder, current_workspace, is_public

__all__ = ["create_app"]

PAGES_FOLDER = Path(__file__).parent / "pages"


def _freshness(ws: Workspace) -> str:
    """One line on where the data comes from and how recent it is."""
    if ws.store is None:
        return _("Data: {name} (read from the workbook)").format(name=ws.name)
    records = ws.store.imports()
    if not records:
        return _("Workspace: {name}, no data imported yet").format(name=ws.name)
    last = records[-1]
    return _("Workspace: {name}, last import {time} UTC ({file})").format(
        name=ws.name, time=last.imported_at[:16].replace("T", " "), file=last.file_name)


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
                    html.Div(_freshness(ws), className="freshness", id="shell-freshness"),
                ],
                className="header",
            ),
            html.Main(dash.page_container, className="main"),
        ]
    )


def create_app(workspace: Workspace, *, title: str = "cso-network", public: bool = False) -> Dash:
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

    Returns
    -------
    dash.Dash
    """
    app = Dash(
        __name__,
        use_pages=True,
        pages_folder=str(PAGES_FOLDER),
        title=title,
        suppress_callback_exceptions=True,
    )
    app.server.config[CONFIG_KEY] = WorkspaceHolder(workspace)
    app.server.config[PUBLIC_KEY] = public
    # Refuse oversized request bodies before reading them (base64 + JSON overhead).
    app.server.config["MAX_CONTENT_LENGTH"] = int(1.4 * MAX_WORKBOOK_BYTES) + 64 * 1024
    app.layout = _shell
    _localize_index(app)

    @app.callback(Output("shell-freshness", "children"), Input("_pages_location", "pathname"))
    def _fresh(_path: str) -> str:
        # On every navigation, so an import made on the Data page shows at once.
        return _freshness(current_workspace())

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


def _localize_index(app: Dash) -> None:
    """Serve the page with ``<html lang>`` of the request's language (screen readers, hyphens)."""
    original = app.interpolate_index

    def interpolate_index(**kwargs) -> str:
        html_text = original(**kwargs)
        return html_text.replace("<html>", f'<html lang="{current_language()}">', 1)

    app.interpolate_index = interpolate_index
