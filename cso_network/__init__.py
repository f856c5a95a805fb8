"""cso-network: seminar records -> collaboration network -> gaps and partnership suggestions.

The few public names live here; everything else is in its module:
:mod:`cso_network.model` (tables), :mod:`cso_network.vocab` (vocabularies),
:mod:`cso_network.io` (workbooks), :mod:`cso_network.validate`,
:mod:`cso_network.store`, :mod:`cso_network.graph`, :mod:`cso_network.synth`.

Examples
--------
>>> from cso_network import Store, Workspace
>>> ws = Workspace.from_store(Store.memory())
>>> ws.is_empty()
True
"""

from cso_network.exceptions import CsoNetworkError, NotFound, StoreError, ValidationError
from cso_network.model import Dataset
from cso_network.problems import Problem
from cso_network.store import Store
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
