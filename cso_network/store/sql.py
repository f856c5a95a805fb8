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

import contextlib
import datetime as dt
import json
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import sqlalchemy as sa

from cso_network.core.exceptions import NotFound, StaleChanges, StoreError
from cso_network.core.messages import msg
from cso_network.core.model import TABLE_ORDER, TABLES, Dataset, frame_from_records
from cso_network.store.changes import ChangeSet, apply_changes, diff_datasets

__all__ = [
    "Store",
    "ImportRecord",
    "ImportResult",
    "resolve_db_url",
    "DEFAULT_DB_PATH",
    "SCHEMA_VERSION",
]

#: Version 2 adds the engagements' natural-key index and (on SQLite) consent checks.
SCHEMA_VERSION = 2
DEFAULT_DB_PATH = Path("data") / "workspace.sqlite"
ENV_VAR = "CSO_NETWORK_DB"
#: Seconds an SQLite writer waits for another writer (e.g. a concurrent import) to finish.
SQLITE_BUSY_TIMEOUT = 120.0
#: The consent columns, the only yes/no columns; the store keeps them as 1, 0 or NULL.
CONSENT_COLUMNS = ("consent_contact", "consent_directory")
#: The PostgreSQL advisory lock that serializes making and upgrading workspaces ("cson").
SCHEMA_LOCK_ID = 0x63736F6E


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
    # Blank cells are part of an engagement's key, and SQL treats NULLs as distinct in a
    # plain unique constraint: the index compares them as empty text.
    eng = tables["engagements"]
    sa.Index("uq_engagements_natural_key", eng.c.org_id, sa.func.coalesce(eng.c.kind, ""),
             sa.func.coalesce(eng.c.date, ""), unique=True)
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
    """A stored value in canonical form.

    Yes/no values are read raw (see :meth:`Store._load`) and fail closed: only
    an explicit yes (``True`` or the integer 1) is yes, only ``False`` or 0 is
    no, and anything else a hand-edited store may hold (``'no'``, ``'false'``,
    2) is read as unknown, which every consent check treats as no.

    >>> [_from_db("bool", v) for v in (1, True, 0, "no", "yes", 2, None)]
    [True, True, False, None, None, None, None]
    """
    if value is None:
        return () if kind in ("fields", "practices", "risk_factors") else None
    if kind in ("fields", "practices"):
        return tuple(v for v in str(value).split("; ") if v)
    if kind == "risk_factors":
        return tuple(int(v) for v in str(value).split("; ") if v)
    if kind == "bool":
        if value is True or (type(value) is int and value == 1):
            return True
        if value is False or (type(value) is int and value == 0):
            return False
        return None
    return value


def _sqlite_consent_triggers() -> dict[str, str]:
    """SQLite triggers (name -> statement) that refuse consent values other than 1, 0 or NULL.

    SQLite keeps whatever a hand edit gives it; PostgreSQL's boolean type
    refuses such values by itself.
    """
    bad = " OR ".join(f"(NEW.{c} IS NOT NULL AND NEW.{c} NOT IN (0, 1))" for c in CONSENT_COLUMNS)
    message = ("consent_contact and consent_directory hold 1 (yes), 0 (no) or nothing "
               "(unknown, counted as no)")
    return {
        f"participants_consent_{event.lower()}":
            f"CREATE TRIGGER IF NOT EXISTS participants_consent_{event.lower()} "
            f"BEFORE {event} ON participants WHEN {bad} "
            f"BEGIN SELECT RAISE(ABORT, '{message}'); END"
        for event in ("INSERT", "UPDATE")
    }


def _in_code_point_order(column: sa.Column, conn: sa.Connection) -> sa.ColumnElement[Any]:
    """``column`` to sort by in code-point order, the order of SQLite and of Python's ``sorted``.

    PostgreSQL sorts text by the database's collation, usually a language's
    rules (``'a' < 'B' < 'c'``), and row order reaches results that depend
    on it (introduction paths, the expected E-I index): ordering by the
    ``"C"`` collation makes a workspace read the same on SQLite and PostgreSQL.
    """
    if conn.dialect.name == "postgresql" and isinstance(column.type, sa.Text):
        return column.collate("C")
    return column


def _explain_db_error(exc: BaseException, name: str) -> str:
    """A sentence for a database error that says what to do about it."""
    detail = str(getattr(exc, "orig", None) or exc).splitlines()[0]
    lowered = detail.lower()
    if "not a database" in lowered or "malformed" in lowered or "file is encrypted" in lowered:
        return (f"the workspace {name} is damaged or is not a cso-network workspace ({detail}); "
                "restore it from a backup, or make a new one with 'cso-network init'")
    if "readonly" in lowered or "read-only" in lowered or "permission" in lowered:
        return (f"cannot write the workspace {name}: it or its folder is read-only ({detail}); "
                "check the file's permissions")
    if "unable to open" in lowered:
        return (f"cannot open the workspace {name} ({detail}); check that its folder exists "
                "and that you may read and write it")
    if "locked" in lowered or "lock timeout" in lowered:
        return (f"another import is still writing to the workspace {name}; try again when it "
                "has finished")
    return f"the workspace database {name} could not be used ({detail})"


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
        if self.url.startswith("sqlite"):
            # A second writer waits for the first (imports are serialized) instead of failing.
            kwargs["connect_args"] = {"timeout": SQLITE_BUSY_TIMEOUT}
            if path is None:
                # One shared connection so an in-memory database lives as long as the Store.
                kwargs["poolclass"] = sa.pool.StaticPool
                kwargs["connect_args"]["check_same_thread"] = False
        try:
            self.engine = sa.create_engine(self.url, **kwargs)
        except Exception as exc:
            raise StoreError(f"cannot open the workspace database {self.url!r}: {exc}") from None
        self.metadata = sa.MetaData()
        self.tables = _build_schema(self.metadata)
        self._ensure_schema(create=create)

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
    @contextlib.contextmanager
    def _db_errors(self) -> Iterator[None]:
        """Turn database errors into :class:`StoreError` with a sentence on what to do."""
        try:
            yield
        except sa.exc.SQLAlchemyError as exc:
            raise StoreError(_explain_db_error(exc, self.name)) from None

    def _ensure_schema(self, *, create: bool) -> None:
        """Check (and with ``create``, make) the schema; upgrade an older workspace.

        Without ``create``, a database that is not a cso-network workspace (no
        ``meta`` table with a schema version) is refused and left untouched.
        """
        meta = self.tables["meta"]
        with self._db_errors(), self.engine.begin() as conn:
            has_meta = sa.inspect(conn).has_table("meta")
            if not create and not has_meta:
                raise StoreError(
                    f"{self.name} is not a cso-network workspace (it has no 'meta' table); "
                    "make one with 'cso-network init --db ...', or name the right file"
                )
            if not has_meta or self._read_schema_version(conn) != SCHEMA_VERSION:
                # Making or upgrading; what was read is read again under the lock.
                self._lock_schema(conn)
            self.metadata.create_all(conn, tables=[meta])
            version = self._read_schema_version(conn)
            if version is None and not create:
                raise StoreError(f"{self.name} is not a cso-network workspace (no schema "
                                 "version recorded); make one with 'cso-network init --db ...'")
            if version is not None and version > SCHEMA_VERSION:
                raise StoreError(
                    f"the workspace was written by a newer cso-network (schema {version}; "
                    f"this version reads schema {SCHEMA_VERSION}); upgrade cso-network"
                )
            if version is not None and version < SCHEMA_VERSION:
                self._upgrade(conn, version)
            self.metadata.create_all(conn)
            if conn.dialect.name == "sqlite":
                # Only the missing ones: a workspace that has them is opened without
                # writing (a read-only copy stays readable).
                have = {name for (name,) in conn.exec_driver_sql(
                    "SELECT name FROM sqlite_master WHERE type = 'trigger'")}
                for name, statement in _sqlite_consent_triggers().items():
                    if name not in have:
                        conn.exec_driver_sql(statement)
            if version is None:
                conn.execute(meta.insert().values(key="schema_version", value=str(SCHEMA_VERSION)))
            elif version < SCHEMA_VERSION:
                conn.execute(meta.update().where(meta.c.key == "schema_version")
                             .values(value=str(SCHEMA_VERSION)))

    def _lock_schema(self, conn: sa.Connection) -> None:
        """Take the lock that serializes making and upgrading workspaces, for ``conn``'s transaction.

        Two processes opening a new workspace at once (two first imports)
        would otherwise both find no tables and both make them, and one
        would fail. On PostgreSQL a transaction-level advisory lock, on
        SQLite the database's write lock (which also makes the schema in
        one transaction); the second process waits here, then finds the
        schema made. An up-to-date workspace is opened without it, so
        opening one never writes.
        """
        if conn.dialect.name == "postgresql":
            conn.execute(sa.select(sa.func.pg_advisory_xact_lock(SCHEMA_LOCK_ID)))
        elif conn.dialect.name == "sqlite" and not conn.connection.dbapi_connection.in_transaction:
            conn.exec_driver_sql("BEGIN IMMEDIATE")

    def _read_schema_version(self, conn: sa.Connection) -> int | None:
        """The schema version recorded in the ``meta`` table, or None when none is."""
        meta = self.tables["meta"]
        found = conn.execute(
            sa.select(meta.c.value).where(meta.c.key == "schema_version")
        ).scalar_one_or_none()
        return self._parse_schema_version(found)

    def _parse_schema_version(self, found: str | None) -> int | None:
        if found is None:
            return None
        try:
            return int(found)
        except ValueError:
            raise StoreError(f"{self.name} records schema version {found!r}, which is not a "
                             "number; it is damaged or not a cso-network workspace") from None

    def _upgrade(self, conn: sa.Connection, version: int) -> None:
        """Bring a workspace of an older schema up to :data:`SCHEMA_VERSION`, in ``conn``'s transaction.

        Schema 1 had no unique key on engagements, so two concurrent imports
        could store the same engagement twice. Before the key's index is
        made, each repeated engagement keeps its oldest row; the others are
        removed as a recorded change (mode ``repair``) that ``history``
        lists with the rows it removed.
        """
        if version < 2:
            self._remove_duplicate_engagements(conn)
            for index in self.tables["engagements"].indexes:
                index.create(conn, checkfirst=True)

    def _remove_duplicate_engagements(self, conn: sa.Connection) -> None:
        eng = self.tables["engagements"]
        spec = TABLES["engagements"]
        key = [eng.c.org_id, sa.func.coalesce(eng.c.kind, ""), sa.func.coalesce(eng.c.date, "")]
        keep = sa.select(sa.func.min(eng.c.row_id)).group_by(*key)
        extra = conn.execute(
            sa.select(eng).where(eng.c.row_id.not_in(keep)).order_by(eng.c.row_id)
        ).mappings().all()
        if not extra:
            return
        now = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
        counts = {name: {"added": 0, "updated": 0, "removed": 0, "unchanged": 0}
                  for name in TABLE_ORDER}
        counts["engagements"]["removed"] = len(extra)
        import_id = conn.execute(self.tables["imports"].insert().values(
            file_name="schema upgrade: repeated engagements removed", sha256="0" * 64,
            imported_at=now, mode="repair", counts=json.dumps(counts),
        )).inserted_primary_key[0]
        conn.execute(eng.delete().where(eng.c.row_id.in_([r["row_id"] for r in extra])))
        conn.execute(self.tables["changes"].insert(), [
            {"import_id": import_id, "table_name": "engagements", "action": "remove",
             "before": _json_row({c: r[c] for c in spec.column_names}), "after": None}
            for r in extra
        ])

    def schema_version(self) -> int:
        """Return the schema version recorded in the store."""
        meta = self.tables["meta"]
        with self._db_errors(), self.engine.connect() as conn:
            return int(conn.execute(sa.select(meta.c.value).where(meta.c.key == "schema_version")).scalar_one())

    # ------------------------------------------------------------------ reading
    def load(self) -> Dataset:
        """Read all six tables into a canonical :class:`Dataset`."""
        with self._db_errors(), self.engine.connect() as conn:
            return self._load(conn)

    def _load(self, conn: sa.Connection) -> Dataset:
        frames = {}
        for name in TABLE_ORDER:
            spec = TABLES[name]
            table = self.tables[name]
            order = ([table.c.row_id] if name == "engagements"
                     else [_in_code_point_order(table.c[k], conn) for k in spec.key])
            # Yes/no columns are read raw, so that _from_db judges what is really stored.
            columns = [sa.type_coerce(table.c[c.name], sa.Text) if c.kind == "bool" else table.c[c.name]
                       for c in spec.columns]
            result = conn.execute(sa.select(*columns).order_by(*order))
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
        with self._db_errors(), self.engine.connect() as conn:
            return int(conn.execute(sa.select(sa.func.coalesce(sa.func.max(imports.c.import_id), 0))).scalar_one())

    def imports(self) -> list[ImportRecord]:
        """Return the recorded imports, oldest first."""
        t = self.tables["imports"]
        with self._db_errors(), self.engine.connect() as conn:
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
        expected_digest: str | None = None,
    ) -> ImportResult:
        """Upsert ``incoming`` into the store in one transaction.

        The caller validates first (see :func:`cso_network.workspace.import_workbook`).
        Imports into one store are serialized: the transaction first takes
        the store's write lock (a row lock on ``meta`` on PostgreSQL, the
        database's write lock on SQLite, so it holds across processes), and
        only then reads the current data and computes the changes, so two
        imports at once never both add the same rows. The tables' keys are
        also unique in SQL.

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
        expected_digest : str, optional
            The :meth:`~cso_network.store.changes.ChangeSet.digest` of the changes a
            person was shown and confirmed. When the changes computed under
            the lock differ (another import came first, or the mode was
            switched), nothing is written.

        Returns
        -------
        ImportResult
            ``record`` is None for a dry run and for an import that changes
            nothing (importing the same file twice leaves no trace).

        Raises
        ------
        StaleChanges
            ``expected_digest`` does not match; nothing was written.
        StoreError
            Writing failed and was rolled back; nothing changed.
        """
        mode = "mirror" if mirror else "upsert"
        if dry_run:
            changes = diff_datasets(self.load(), incoming, mirror=mirror)
            return ImportResult(changes, True, None)
        now = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
        try:
            with self.engine.begin() as conn:
                self._lock_for_writing(conn)
                changes = diff_datasets(self._load(conn), incoming, mirror=mirror)
                if expected_digest is not None and changes.digest(mode) != expected_digest:
                    raise StaleChanges(msg(
                        "what importing would change is no longer what was checked (the "
                        "workspace or the import mode changed since); nothing was imported, "
                        "check the file again"))
                if changes.is_empty:
                    return ImportResult(changes, False, None)
                import_id = conn.execute(
                    self.tables["imports"].insert().values(
                        file_name=file_name, sha256=sha256, imported_at=now, mode=mode,
                        counts=json.dumps(changes.counts()),
                    )
                ).inserted_primary_key[0]
                self._write_changes(conn, changes, import_id)
        except sa.exc.SQLAlchemyError as exc:
            raise StoreError("the import failed and was rolled back; nothing changed ("
                             + _explain_db_error(exc, self.name) + ")") from None
        record = ImportRecord(import_id, file_name, sha256, now, mode, changes.counts())
        return ImportResult(changes, False, record)

    def _lock_for_writing(self, conn: sa.Connection) -> None:
        """Take the store's write lock for the rest of ``conn``'s transaction.

        A no-op update of the schema-version row: on PostgreSQL it locks the
        row until commit, on SQLite it takes the database's write lock; a
        second writer, in any process, waits here until the first commits.
        """
        meta = self.tables["meta"]
        conn.execute(meta.update().where(meta.c.key == "schema_version").values(value=meta.c.value))

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
        with self._db_errors(), self.engine.connect() as conn:
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
