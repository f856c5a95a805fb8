"""Where pages find the workspace: one holder per app, reloaded after imports.

Pages and callbacks call :func:`current_workspace` inside a request; it returns
the app's workspace, reloaded if the store has changed since (another process
imported data), so a page never reads the database directly.
"""

from __future__ import annotations

import threading

import flask

from cso_network.workspace import Workspace

__all__ = ["WorkspaceHolder", "current_workspace", "is_public", "CONFIG_KEY", "PUBLIC_KEY",
           "UPLOAD_DIR_ENV"]

CONFIG_KEY = "CSO_NETWORK_WORKSPACE"
#: Flask config key: True when the app is served for participants (``serve --public``),
#: with the Data page (uploads, imports, downloads of the data) switched off.
PUBLIC_KEY = "CSO_NETWORK_PUBLIC"
#: Environment variable naming a staging folder for uploads shared by several
#: server processes (set by ``cso-network serve`` when it runs workers).
UPLOAD_DIR_ENV = "CSO_NETWORK_UPLOAD_DIR"


class WorkspaceHolder:
    """Holds the current workspace and swaps in a fresh one when the store changes."""

    def __init__(self, workspace: Workspace) -> None:
        self._workspace = workspace
        self._lock = threading.Lock()

    def get(self) -> Workspace:
        """Return the workspace, reloaded if its store has a newer version."""
        with self._lock:
            self._workspace = self._workspace.refreshed()
            return self._workspace


def current_workspace() -> Workspace:
    """The workspace of the app serving the current request."""
    return flask.current_app.config[CONFIG_KEY].get()


def is_public() -> bool:
    """True when the current request's app is served for participants (no Data page)."""
    return bool(flask.current_app.config.get(PUBLIC_KEY))
