"""Small, named fixtures shared by the tests.

``tiny_dataset``: three organizations in BA/ME/RS, two seminars, one tie.
``write_sheets``: writes a workbook cell by cell (for deliberately bad input).
``fresh_store``: an empty store, once in memory (SQLite) and once on PostgreSQL;
``db_url``: where a test's workspace lives, once an SQLite file and once a new
PostgreSQL schema (``pg_url``). The PostgreSQL cases run on one throwaway
server per session (``pg_server``, see ``tests/pg_server.py``) and are
skipped, with the reason, when PostgreSQL is not available.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from cso_network.core.model import Dataset
from cso_network.ingest.excel import write_workbook
from cso_network.store.sql import Store
from tests.helpers import (
    BACKENDS,
    SheetSpec,
    dataset_from_records,
    minimal_sheets,
    tiny_records,
    write_sheets_to,
)
from tests.pg_server import PgServer, PgUnavailable

# Debian's chromium for dash[testing]'s browser fixture.
if os.path.exists("/usr/bin/chromium"):
    os.environ.setdefault("DASH_TEST_CHROMEPATH", "/usr/bin/chromium")


@pytest.fixture
def tiny_dataset() -> Dataset:
    return dataset_from_records(tiny_records())


@pytest.fixture
def tiny_workbook(tmp_path: Path, tiny_dataset: Dataset) -> Path:
    return write_workbook(tiny_dataset, tmp_path / "tiny.xlsx")


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    """A throwaway PostgreSQL server for the session, stopped even when tests fail."""
    try:
        server = PgServer.start()
    except PgUnavailable as exc:
        pytest.skip(f"PostgreSQL not available: {exc}")
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def pg_url(pg_server: PgServer) -> Iterator[str]:
    """The URL of a new, empty workspace database on the throwaway server, removed after the test.

    It is a schema of its own (the connection sees nothing else), made in a millisecond.
    """
    url = pg_server.create_schema()
    yield url
    pg_server.drop_schema(url)


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Where the test's workspace lives: an SQLite file, or a new PostgreSQL schema."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'ws.sqlite'}"
    return request.getfixturevalue("pg_url")


@pytest.fixture(params=BACKENDS)
def fresh_store(request: pytest.FixtureRequest) -> Iterator[Store]:
    """An empty store: in memory (SQLite), or in a new PostgreSQL schema."""
    if request.param == "sqlite":
        store = Store.memory()
    else:
        store = Store(request.getfixturevalue("pg_url"))
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
