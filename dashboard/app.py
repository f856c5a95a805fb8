"""The Dash app factory: the shell (navigation, workspace name, data freshness) around the pages.

Pages live in ``dashboard/pages/``, one module each (``dash.register_page``
first, ``layout(**kwargs)`` reads the workspace at request time). The app
keeps its workspace in ``server.config`` (see :mod:`dashboard.state`).
"""

from __future__ import annotations

from pathlib import Path

import dash
from dash import Dash, Input, Output, dcc, html

from cso_network.io.excel import MAX_WORKBOOK_BYTES
from cso_network.workspace import Workspace
from dashboard.state import CONFIG_KEY, WorkspaceHolder, current_workspace

__all__ = ["create_app"]

PAGES_FOLDER = Path(__file__).parent / "pages"


def _freshness(ws: Workspace) -> str:
    """One line on where the data comes from and how recent it is."""
    if ws.store is None:
        return f"Data: {ws.name} (read from the workbook)"
    records = ws.store.imports()
    if not records:
        return f"Workspace: {ws.name}, no data imported yet"
    last = records[-1]
    return f"Workspace: {ws.name}, last import {last.imported_at[:16].replace('T', ' ')} UTC ({last.file_name})"


def _shell() -> html.Div:
    ws = current_workspace()
    links = [
        dcc.Link(page["name"], href=page["relative_path"], className="nav-link",
                 id=f"nav-{page['module'].rsplit('.', 1)[-1]}")
        for page in dash.page_registry.values()
        if page.get("nav", True)
    ]
    return html.Div(
        [
            html.Header(
                [
                    html.Div([html.Span("cso-network", className="brand"),
                              html.Nav(links, className="nav", **{"aria-label": "Pages"})],
                             className="header-row"),
                    html.Div(_freshness(ws), className="freshness", id="shell-freshness"),
                ],
                className="header",
            ),
            html.Main(dash.page_container, className="main"),
        ]
    )


def create_app(workspace: Workspace, *, title: str = "cso-network") -> Dash:
    """Build the dashboard for ``workspace``.

    Parameters
    ----------
    workspace : Workspace
        What the pages show; a store-backed workspace is reloaded after imports.
    title : str
        Browser tab title.

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
    # Refuse oversized request bodies before reading them (base64 + JSON overhead).
    app.server.config["MAX_CONTENT_LENGTH"] = int(1.4 * MAX_WORKBOOK_BYTES) + 64 * 1024
    app.layout = _shell

    @app.callback(Output("shell-freshness", "children"), Input("_pages_location", "pathname"))
    def _fresh(_path: str) -> str:
        # On every navigation, so an import made on the Data page shows at once.
        return _freshness(current_workspace())

    return app
