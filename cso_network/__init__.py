"""cso-network: seminar records -> collaboration network -> gaps and partnership suggestions.

The few public names live here; everything else is in its package, one
concern each (docs/architecture.md): :mod:`cso_network.core`,
:mod:`cso_network.vocab`, :mod:`cso_network.ingest`, :mod:`cso_network.store`,
:mod:`cso_network.network`, :mod:`cso_network.analysis`,
:mod:`cso_network.recommend`, :mod:`cso_network.backtest`,
:mod:`cso_network.unogp`, :mod:`cso_network.access`, :mod:`cso_network.views`,
:mod:`cso_network.demo`.

Examples
--------
>>> from cso_network import Store, Workspace
>>> ws = Workspace.from_store(Store.memory())
>>> ws.is_empty()
True
"""

from cso_network.core.exceptions import CsoNetworkError, NotFound, StoreError, ValidationError
from cso_network.core.model import Dataset
from cso_network.core.problems import Problem
from cso_network.store.sql import Store
from cso_network.workspace import Workspace, import_workbook

__version__ = "0.1.0"

__all__ = [
    "CsoNetworkError",
    "Dataset",
    "NotFound",
    "Problem",
    "Store",
    "StoreError",
    "ValidationError",
    "Workspace",
    "import_workbook",
    "__version__",
]
