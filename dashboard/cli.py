"""The dashboard's command, ``cso-network serve``.

It lives here, not in :mod:`cso_network.cli`, so the library never imports
Dash: the package registers it under the ``cso_network.commands`` entry-point
group (see ``pyproject.toml``) and the CLI adds it at start-up.
"""

from __future__ import annotations

from typing import Annotated

import typer

from cso_network.cli import DataOption, DbOption, err, open_workspace
from cso_network.store.sql import Store
from cso_network.workspace import Workspace

__all__ = ["serve"]


def serve(
    db: DbOption = None,
    data: DataOption = None,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port.")] = 8050,
    workers: Annotated[int | None, typer.Option(
        min=1, help="Server processes (gunicorn; default: one per core, 2-4). "
                    "1 uses Flask's development server.")] = None,
    threads: Annotated[int, typer.Option(min=1, help="Threads per process.")] = 4,
    public: Annotated[bool, typer.Option(
        "--public", help="Serve for participants: no Data page (no uploads, imports or "
                         "downloads of the whole data).")] = False,
    debug: Annotated[bool, typer.Option(
        "--debug", help="Dash debug mode on the development server (reloads on edits).")] = False,
    allowed_host: Annotated[list[str] | None, typer.Option(
        "--allowed-host", metavar="NAME",
        help="A host name or address (NAME or NAME:PORT) the dashboard answers to, besides "
             "localhost and the --host it listens on; repeat for several. More in the "
             "environment variable CSO_NETWORK_ALLOWED_HOSTS.")] = None,
) -> None:
    """Serve the dashboard (default http://127.0.0.1:8050).

    The workspace's caches (graphs, gap analysis, layouts, suggestion
    features) are computed first, then the app runs under gunicorn with
    several processes (see dashboard/server.py), or on Flask's development
    server with --debug, --workers 1, or where gunicorn is unavailable.

    It answers only requests addressed to localhost, 127.0.0.1, [::1], the
    --host it listens on (for 0.0.0.0: this machine's names and addresses)
    and the --allowed-host names: a request for any other host (e.g. from a
    web page whose name was pointed at this machine) gets 400 and no data.
    """
    from dashboard.app import create_app
    from dashboard.server import (
        allowed_host_set,
        check_port,
        default_workers,
        exposure_warning,
        listening_hosts,
        production_available,
        run_production,
        warm,
        warm_app,
    )

    check_port(host, port)
    warning = exposure_warning(host, public=public)
    if warning:
        err.print(f"[bold yellow]{warning}[/]")
    hosts = list(dict.fromkeys([*(allowed_host or ()), *listening_hosts(host)]))
    allowed_host_set(hosts)  # a malformed name stops here, before the workspace is opened
    if warning:
        err.print(f"Answering requests for: localhost, {', '.join(hosts) or '(no other name)'}. "
                  "Add the other names or addresses it is opened at with --allowed-host NAME.",
                  markup=False)
    ws = (open_workspace(data, db) if data is not None
          else Workspace.from_store(Store(db, create=False)))
    app = create_app(ws, public=public, allowed_hosts=hosts)
    production = not debug and workers != 1 and production_available()
    if workers not in (None, 1) and not production and not debug:
        err.print("gunicorn is not available here: using the development server (one process).")
    with err.status("Preparing the workspace's caches..."):
        seconds = warm(ws)
        warm_app(app)
    n = (workers or default_workers()) if production else 1
    err.print(f"Caches ready in {seconds:.1f} s. Serving {ws.name} on http://{host}:{port} "
              f"with {n} process{'es' if n != 1 else ''} (Ctrl+C to stop)")
    if production:
        run_production(app, ws, host=host, port=port, workers=n, threads=threads)
    else:
        app.run(host=host, port=port, debug=debug, threaded=True)
