"""One exception hierarchy for cso-network.

Library code raises these and never prints or exits; the CLI and the dashboard
turn them into clear messages. Modelled on ``networkx.exception``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from cso_network.core.problems import Problem

__all__ = [
    "CsoNetworkError",
    "ValidationError",
    "NotFound",
    "StoreError",
    "StaleChanges",
    "VocabularyError",
]


class CsoNetworkError(Exception):
    """Base class of every error cso-network raises on purpose."""


class VocabularyError(CsoNetworkError, ValueError):
    """A cell value is not in (or cannot be parsed into) a controlled vocabulary.

    The message names the offending value and what is expected, so that the
    validator can copy it straight into a :class:`~cso_network.core.problems.Problem`.
    """


class ValidationError(CsoNetworkError):
    """Input data has errors; ``problems`` lists every one of them.

    Parameters
    ----------
    problems : list of Problem
        Every problem found (errors and warnings), in report order.
    """

    def __init__(self, problems: list[Problem], message: str | None = None) -> None:
        self.problems = list(problems)
        n = sum(1 for p in self.problems if p.severity == "error")
        errors = "1 error" if n == 1 else f"{n} errors"
        super().__init__(message or f"{errors} in the input; nothing was changed")


class NotFound(CsoNetworkError, LookupError):
    """A named thing (organization id, file, workspace) does not exist."""


class StoreError(CsoNetworkError):
    """The workspace store cannot be opened, read or written."""


class StaleChanges(StoreError):
    """The changes confirmed are no longer what an import would do; nothing was written.

    Raised when a person confirmed a preview and, by the time the import took
    the store's write lock, the workspace (or the import's mode) had changed.
    """
