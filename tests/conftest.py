"""Small, named fixtures shared by the tests.

``tiny_dataset``: three organizations in BA/ME/RS, two seminars, one tie.
``write_sheets``: writes a workbook cell by cell (for deliberately bad input).
``fresh_store``: an empty in-memory store.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from cso_network.core.model import Dataset
from cso_network.ingest.excel import write_workbook
from cso_network.store.sql import Store
from tests.helpers import (
    SheetSpec,
    dataset_from_records,
    minimal_sheets,
    tiny_records,
    write_sheets_to,
)

# Debian's chromium for dash[testing]'s browser fixture.
if os.path.exists("/usr/bin/chromium"):
    os.environ.setdefault("DASH_TEST_CHROMEPATH", "/usr/bin/chromium")


@pytest.fixture
def tiny_dataset() -> Dataset:
    return dataset_from_records(tiny_records())


@pytest.fixture
def tiny_workbook(tmp_path: Path, tiny_dataset: Dataset) -> Path:
    return write_workbook(tiny_dataset, tmp_path / "tiny.xlsx")


@pytest.fixture
def fresh_store() -> Store:
    store = Store.memory()
    yield store
    store.dispose()


@pytest.fixture
def write_sheets(tmp_path: Path) -> Callable[..., Path]:
    """Return ``write(sheets, name="bad.xlsx") -> Path``."""

    def write(sheets: SheetSpec, name: str = "bad.xlsx") -> Path:
        return write_sheets_to(tmp_path / name, sheets)

    return write


@pytest.fixture
def sheets() -> SheetSpec:
    return minimal_sheets()
