"""Where pages find the workspace: one holder per app, reloaded after imports.

Pages and callbacks call :func:`current_workspace` inside a request; it returns
the app's workspace, reloaded if the store has changed since (another process
imported data), so a page never reads the database directly.
"""

from __future__ import annotations

import threading

import flask

from cso_network.workspace import Workspace

__all__ = ["WorkspaceHolder", "current_workspace", "CONFIG_KEY", "UPLOAD_DIR_ENV"]

CONFIG_KEY = "CSO_NETWORK_WORKSPACE"
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
