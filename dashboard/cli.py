"""The dashboard's command, ``cso-network serve``.

It lives here, not in :mod:`cso_network.cli`, so the library never imports
Dash: the package registers it under the ``cso_network.commands`` entry-point
group (see ``pyproject.toml``) and the CLI adds it at start-up.
"""

from __future__ import annotations

from typing import Annotated

import typer

from cso_network.cli import DataOption, DbOption, err, open_workspace
from cso_network.store import Store
from cso_network.workspace import Workspace

__all__ = ["serve"]


def serve(
    db: DbOption = None,
    data: DataOption = None,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port.")] = 8050,
    debug: Annotated[bool, typer.Option("--debug", help="Dash debug mode (reloads on edits).")] = False,
) -> None:
    """Serve the dashboard (default http://127.0.0.1:8050)."""
    from dashboard.app import create_app

    ws = open_workspace(data, db) if data is not None else Workspace.from_store(Store(db))
    err.print(f"Serving {ws.name} on http://{host}:{port} (Ctrl+C to stop)")
    create_app(ws).run(host=host, port=port, debug=debug)
