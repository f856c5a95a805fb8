"""The workspace store: the six tables plus a history of imports, in SQL.

SQLAlchemy Core, SQLite by default (``data/workspace.sqlite``), any database
by URL. Every import is one transaction: it writes the rows and a record of
the import (file name, sha256, time, counts) with its change set (each row's
before and after, as JSON), so later work can show history and revert. An
import that fails half way leaves the store exactly as it was. Inspired by
sqlite-utils' ``Database(memory=True)``, :meth:`Store.memory` opens a fresh
in-memory store for tests.

Multi-value cells are stored as ``"; "``-joined text in vocabulary order and
read back into tuples, so the SQL tables stay readable with any SQLite tool.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import sqlalchemy as sa

from cso_network.changes import ChangeSet, apply_changes, diff_datasets
from cso_network.exceptions import NotFound, StoreError
from cso_network.model import TABLE_ORDER, TABLES, Dataset, frame_from_records

__all__ = [
    "Store",
    "ImportRecord",
    "ImportResult",
    "resolve_db_url",
    "DEFAULT_DB_PATH",
    "SCHEMA_VERSION",
]

SCHEMA_VERSION = 1
DEFAULT_DB_PATH = Path("data") / "workspace.sqlite"
ENV_VAR = "CSO_NETWORK_DB"


def resolve_db_url(db: str | Path | None = None) -> str:
    """Turn ``--db`` (a URL or a path), the environment, or the default into a URL.

    Parameters
    ----------
    db : str or Path, optional
        An SQLAlchemy URL (``postgresql://...``, ``sqlite:///...``) or a file
        path. When None: the ``CSO_NETWORK_DB`` environment variable, else
        ``data/workspace.sqlite`` under the current folder.

    Returns
    -------
    str
        An SQLAlchemy URL.

    Examples
    --------
    >>> resolve_db_url("sqlite://")
    'sqlite://'
    >>> resolve_db_url("/tmp/w.sqlite")
    'sqlite:////tmp/w.sqlite'
    """
    if db is None or str(db) == "":
        db = os.environ.get(ENV_VAR) or DEFAULT_DB_PATH
    text = str(db)
    if "://" in text:
        return text
    return f"sqlite:///{Path(text).expanduser().resolve()}"


def _sqlite_path(url: str) -> Path | None:
    """The file behind an SQLite URL, or None (memory or other databases)."""
    parsed = sa.engine.make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        return None
    return Path(parsed.database)


_SQL_TYPES = {"bool": sa.Boolean}


def _build_schema(metadata: sa.MetaData) -> dict[str, sa.Table]:
    tables: dict[str, sa.Table] = {}
    for name in TABLE_ORDER:
        spec = TABLES[name]
        cols = []
        # Engagements have no natural id and blank key cells: a surrogate row id.
        surrogate = name == "engagements"
        if surrogate:
            cols.append(sa.Column("row_id", sa.Integer, primary_key=True, autoincrement=True))
        for c in spec.columns:
            sql_type = _SQL_TYPES.get(c.kind, sa.Text)
            cols.append(
                sa.Column(c.name, sql_type, primary_key=(not surrogate and c.name in spec.key),
                          nullable=not (c.required or (not surrogate and c.name in spec.key)))
            )
        tables[name] = sa.Table(name, metadata, *cols)
    tables["meta"] = sa.Table(
        "meta", metadata,
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
    )
    tables["imports"] = sa.Table(
        "imports", metadata,
        sa.Column("import_id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("file_name", sa.Text, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("imported_at", sa.Text, nullable=False),
        sa.Column("mode", sa.String(16), nullable=False),
        sa.Column("counts", sa.Text, nullable=False),
    )
    tables["changes"] = sa.Table(
        "changes", metadata,
        sa.Column("change_id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("import_id", sa.Integer, sa.ForeignKey("imports.import_id"), nullable=False),
        sa.Column("table_name", sa.String(32), nullable=False),
        sa.Column("action", sa.String(8), nullable=False),
        sa.Column("before", sa.Text),
        sa.Column("after", sa.Text),
    )
    return tables


def _to_db(kind: str, value: Any) -> Any:
    if value is None:
        return None
    if kind in ("fields", "practices", "risk_factors"):
        return "; ".join(str(v) for v in value)
    return value


def _from_db(kind: str, value: Any) -> Any:
    if value is None:
        return () if kind in ("fields", "practices", "risk_factors") else None
    if kind in ("fields", "practices"):
        return tuple(v for v in str(value).split("; ") if v)
    if kind == "risk_factors":
        return tuple(int(v) for v in str(value).split("; ") if v)
    if kind == "bool":
        return bool(value)
    return value


def _row_to_db(table: str, row: Mapping[str, Any]) -> dict[str, Any]:
    return {c.name: _to_db(c.kind, row.get(c.name)) for c in TABLES[table].columns}


def _json_row(row: Mapping[str, Any]) -> str:
    return json.dumps({k: list(v) if isinstance(v, tuple) else v for k, v in row.items()},
                      ensure_ascii=False, sort_keys=True)


@dataclass(frozen=True)
class ImportRecord:
    """One recorded import."""

    import_id: int
    file_name: str
    sha256: str
    imported_at: str
    mode: str
    counts: dict[str, dict[str, int]]


@dataclass
class ImportResult:
    """What an import did (or, in a dry run, would do)."""

    changes: ChangeSet
    dry_run: bool
    record: ImportRecord | None

    @property
    def changed(self) -> bool:
        """True when the import changed (or would change) the data."""
        return not self.changes.is_empty


class Store:
    """A workspace store behind an SQLAlchemy engine.

    Parameters
    ----------
    db : str or Path, optional
        URL or path (see :func:`resolve_db_url`).
    create : bool, default True
        Create the database and schema when missing. With False, a missing
        SQLite file raises :class:`NotFound` (read-only commands use this so a
        typo in a path does not silently create an empty workspace).

    Examples
    --------
    >>> store = Store.memory()
    >>> store.load().is_empty()
    True
    >>> store.version()
    0
    """

    def __init__(self, db: str | Path | None = None, *, create: bool = True) -> None:
        self.url = resolve_db_url(db)
        path = _sqlite_path(self.url)
        if path is not None and not path.exists():
            if not create:
                raise NotFound(
                    f"no workspace at {path}; create it with 'cso-network init' "
                    "(or 'cso-network init --demo' for the synthetic demo)"
                )
            path.parent.mkdir(parents=True, exist_ok=True)
        kwargs: dict[str, Any] = {}
        if self.url.startswith("sqlite") and path is None:
            # One shared connection so an in-memory database lives as long as the Store.
            kwargs["poolclass"] = sa.pool.StaticPool
            kwargs["connect_args"] = {"check_same_thread": False}
        try:
            self.engine = sa.create_engine(self.url, **kwargs)
        except Exception as exc:
            raise StoreError(f"cannot open the workspace database {self.url!r}: {exc}") from None
        self.metadata = sa.MetaData()
        self.tables = _build_schema(self.metadata)
        self._ensure_schema()

    @classmethod
    def memory(cls) -> Store:
        """Open a fresh, empty in-memory store."""
        return cls("sqlite://")

    @property
    def name(self) -> str:
        """A short name for display: the file name or the database URL without password."""
        path = _sqlite_path(self.url)
        if path is not None:
            return path.name
        return sa.engine.make_url(self.url).render_as_string(hide_password=True)

    # ------------------------------------------------------------------ schema
    def _ensure_schema(self) -> None:
        try:
            with self.engine.begin() as conn:
                self.metadata.create_all(conn)
                meta = self.tables["meta"]
                found = conn.execute(
                    sa.select(meta.c.value).where(meta.c.key == "schema_version")
                ).scalar_one_or_none()
                if found is None:
                    conn.execute(meta.insert().values(key="schema_version", value=str(SCHEMA_VERSION)))
                elif int(found) > SCHEMA_VERSION:
                    raise StoreError(
                        f"the workspace was written by a newer cso-network (schema {found}; "
                        f"this version reads schema {SCHEMA_VERSION}); upgrade cso-network"
                    )
        except StoreError:
            raise
        except sa.exc.SQLAlchemyError as exc:
            raise StoreError(f"cannot open the workspace database {self.name}: {exc.orig or exc}") from None

    def schema_version(self) -> int:
        """Return the schema version recorded in the store."""
        meta = self.tables["meta"]
        with self.engine.connect() as conn:
            return int(conn.execute(sa.select(meta.c.value).where(meta.c.key == "schema_version")).scalar_one())

    # ------------------------------------------------------------------ reading
    def load(self) -> Dataset:
        """Read all six tables into a canonical :class:`Dataset`."""
        frames = {}
        with self.engine.connect() as conn:
            for name in TABLE_ORDER:
                spec = TABLES[name]
                table = self.tables[name]
                order = [table.c.row_id] if name == "engagements" else [table.c[k] for k in spec.key]
                result = conn.execute(sa.select(*[table.c[c] for c in spec.column_names]).order_by(*order))
                kinds = [c.kind for c in spec.columns]
                records = [
                    {c: _from_db(k, v) for c, k, v in zip(spec.column_names, kinds, row, strict=True)}
                    for row in result
                ]
                frames[name] = frame_from_records(name, records)
        return Dataset.from_frames(frames)

    def version(self) -> int:
        """Return the id of the latest import (0 for a never-imported store).

        Caches keyed on this value are invalidated by every import.
        """
        imports = self.tables["imports"]
        with self.engine.connect() as conn:
            return int(conn.execute(sa.select(sa.func.coalesce(sa.func.max(imports.c.import_id), 0))).scalar_one())

    def imports(self) -> list[ImportRecord]:
        """Return the recorded imports, oldest first."""
        t = self.tables["imports"]
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(t).order_by(t.c.import_id)).mappings().all()
        return [
            ImportRecord(r["import_id"], r["file_name"], r["sha256"], r["imported_at"], r["mode"],
                         json.loads(r["counts"]))
            for r in rows
        ]

    # ------------------------------------------------------------------ writing
    def import_dataset(
        self,
        incoming: Dataset,
        *,
        file_name: str,
        sha256: str,
        mirror: bool = False,
        dry_run: bool = False,
    ) -> ImportResult:
        """Upsert ``incoming`` into the store in one transaction.

        The caller validates first (see :func:`cso_network.workspace.import_workbook`).

        Parameters
        ----------
        incoming : Dataset
            Validated, canonical data.
        file_name, sha256 : str
            Recorded with the import.
        mirror : bool, default False
            Remove rows that ``incoming`` does not have.
        dry_run : bool, default False
            Compute the changes but write nothing.

        Returns
        -------
        ImportResult
            ``record`` is None for a dry run and for an import that changes
            nothing (importing the same file twice leaves no trace).
        """
        current = self.load()
        changes = diff_datasets(current, incoming, mirror=mirror)
        if dry_run or changes.is_empty:
            return ImportResult(changes, dry_run, None)
        now = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
        mode = "mirror" if mirror else "upsert"
        try:
            with self.engine.begin() as conn:
                import_id = conn.execute(
                    self.tables["imports"].insert().values(
                        file_name=file_name, sha256=sha256, imported_at=now, mode=mode,
                        counts=json.dumps(changes.counts()),
                    )
                ).inserted_primary_key[0]
                self._write_changes(conn, changes, import_id)
        except sa.exc.SQLAlchemyError as exc:
            raise StoreError(f"the import failed and was rolled back; nothing changed ({exc.orig or exc})") from None
        record = ImportRecord(import_id, file_name, sha256, now, mode, changes.counts())
        return ImportResult(changes, False, record)

    def _key_clause(self, name: str, row: Mapping[str, Any]) -> sa.ColumnElement[bool]:
        table = self.tables[name]
        parts = []
        for k in TABLES[name].key:
            value = _to_db(TABLES[name].column(k).kind, row[k])
            parts.append(table.c[k].is_(None) if value is None else table.c[k] == value)
        return sa.and_(*parts)

    def _write_changes(self, conn: sa.Connection, changes: ChangeSet, import_id: int) -> None:
        log = []
        for name in TABLE_ORDER:
            ch = changes.tables[name]
            table = self.tables[name]
            for row in ch.removed:
                conn.execute(table.delete().where(self._key_clause(name, row)))
                log.append({"import_id": import_id, "table_name": name, "action": "remove",
                            "before": _json_row(row), "after": None})
            for before, after in ch.updated:
                conn.execute(table.update().where(self._key_clause(name, before)).values(_row_to_db(name, after)))
                log.append({"import_id": import_id, "table_name": name, "action": "update",
                            "before": _json_row(before), "after": _json_row(after)})
            if ch.added:
                conn.execute(table.insert(), [_row_to_db(name, r) for r in ch.added])
                log.extend({"import_id": import_id, "table_name": name, "action": "add",
                            "before": None, "after": _json_row(r)} for r in ch.added)
        if log:
            conn.execute(self.tables["changes"].insert(), log)

    def changes_of(self, import_id: int) -> pd.DataFrame:
        """Return the change log of one import (table, action, before, after as JSON text)."""
        t = self.tables["changes"]
        with self.engine.connect() as conn:
            rows = conn.execute(
                sa.select(t.c.table_name, t.c.action, t.c.before, t.c.after)
                .where(t.c.import_id == import_id).order_by(t.c.change_id)
            ).all()
        return pd.DataFrame(rows, columns=["table", "action", "before", "after"])

    def preview(self, incoming: Dataset, *, mirror: bool = False) -> tuple[ChangeSet, Dataset]:
        """Return the changes an import would make and the resulting dataset (writes nothing)."""
        current = self.load()
        changes = diff_datasets(current, incoming, mirror=mirror)
        return changes, apply_changes(current, changes)

    def dispose(self) -> None:
        """Close the engine's connections."""
        self.engine.dispose()
