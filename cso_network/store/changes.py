"""Compare two datasets table by table: what an import would add, update or remove.

Pure functions over :class:`~cso_network.core.model.Dataset`; the store applies the
result in one transaction and keeps it as the import's change set.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from cso_network.core.model import TABLE_ORDER, TABLES, Dataset, empty_frame

__all__ = ["TableChanges", "ChangeSet", "diff_datasets", "apply_changes"]


@dataclass
class TableChanges:
    """Changes to one table; rows are dicts of canonical values.

    Attributes
    ----------
    added, removed : list of dict
        Whole rows.
    updated : list of (before, after)
        Rows whose key exists on both sides with other values.
    unchanged : int
        Rows identical on both sides.
    """

    added: list[dict[str, Any]] = field(default_factory=list)
    updated: list[tuple[dict[str, Any], dict[str, Any]]] = field(default_factory=list)
    removed: list[dict[str, Any]] = field(default_factory=list)
    unchanged: int = 0

    def counts(self) -> dict[str, int]:
        """Return ``{added, updated, removed, unchanged}`` counts."""
        return {
            "added": len(self.added),
            "updated": len(self.updated),
            "removed": len(self.removed),
            "unchanged": self.unchanged,
        }

    @property
    def is_empty(self) -> bool:
        """True when nothing changes."""
        return not (self.added or self.updated or self.removed)


@dataclass
class ChangeSet:
    """Changes to every table, in table order."""

    tables: dict[str, TableChanges]

    def counts(self) -> dict[str, dict[str, int]]:
        """Per table ``{added, updated, removed, unchanged}``."""
        return {name: ch.counts() for name, ch in self.tables.items()}

    @property
    def is_empty(self) -> bool:
        """True when no table changes."""
        return all(ch.is_empty for ch in self.tables.values())

    def digest(self, mode: str) -> str:
        """A fingerprint of exactly these changes made in ``mode`` (``upsert`` or ``mirror``).

        A preview shown to a person carries it; the import checks it under the
        store's write lock, so a confirmation applies the very changes that
        were shown or nothing (see :meth:`cso_network.store.sql.Store.import_dataset`).

        Returns
        -------
        str
            Hex sha256 of the mode and every added, updated and removed row.

        Examples
        --------
        >>> empty = ChangeSet({name: TableChanges() for name in TABLE_ORDER})
        >>> empty.digest("upsert") == empty.digest("upsert") != empty.digest("mirror")
        True
        """
        content = {
            "mode": mode,
            "tables": {
                name: {"added": ch.added, "updated": ch.updated, "removed": ch.removed}
                for name, ch in self.tables.items()
            },
        }
        text = json.dumps(content, sort_keys=True, ensure_ascii=False, default=str)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return frame.to_dict(orient="records")


def _diff_table(name: str, current: pd.DataFrame, incoming: pd.DataFrame, mirror: bool) -> TableChanges:
    key = list(TABLES[name].key)
    cur = {tuple(r[k] for k in key): r for r in _records(current)}
    changes = TableChanges()
    seen = set()
    for row in _records(incoming):
        k = tuple(row[c] for c in key)
        seen.add(k)
        before = cur.get(k)
        if before is None:
            changes.added.append(row)
        elif before == row:
            changes.unchanged += 1
        else:
            changes.updated.append((before, row))
    for k, row in cur.items():
        if k in seen:
            continue
        if mirror:
            changes.removed.append(row)
        else:
            changes.unchanged += 1
    return changes


def diff_datasets(current: Dataset, incoming: Dataset, *, mirror: bool = False) -> ChangeSet:
    """Compare ``incoming`` with ``current`` by each table's key.

    Parameters
    ----------
    current : Dataset
        What the workspace holds.
    incoming : Dataset
        What a file holds.
    mirror : bool, default False
        If True, rows absent from ``incoming`` are removed; otherwise they
        are kept (and counted as unchanged).

    Returns
    -------
    ChangeSet

    Examples
    --------
    >>> from cso_network.core.model import Dataset, frame_from_records
    >>> cur = Dataset.from_frames({"seminars": frame_from_records("seminars", [
    ...     {"seminar_id": "S1", "country": "BA", "start_date": "2012"}])})
    >>> new = Dataset.from_frames({"seminars": frame_from_records("seminars", [
    ...     {"seminar_id": "S1", "country": "BA", "start_date": "2013"},
    ...     {"seminar_id": "S2", "country": "ME", "start_date": "2013"}])})
    >>> diff_datasets(cur, new).counts()["seminars"]
    {'added': 1, 'updated': 1, 'removed': 0, 'unchanged': 0}
    """
    return ChangeSet(
        {
            name: _diff_table(name, current.table(name), incoming.table(name), mirror)
            for name in TABLE_ORDER
        }
    )


def apply_changes(current: Dataset, changes: ChangeSet) -> Dataset:
    """Return ``current`` with ``changes`` applied (rows keep a stable order).

    Updated rows stay where they were; added rows go to the end.
    """
    frames = {}
    for name in TABLE_ORDER:
        ch = changes.tables[name]
        key = list(TABLES[name].key)
        removed = {tuple(r[k] for k in key) for r in ch.removed}
        updated = {tuple(a[k] for k in key): a for _, a in ch.updated}
        rows = []
        for r in _records(current.table(name)):
            k = tuple(r[c] for c in key)
            if k in removed:
                continue
            rows.append(updated.get(k, r))
        rows.extend(ch.added)
        cols = TABLES[name].column_names
        frames[name] = (
            pd.DataFrame([[r[c] for c in cols] for r in rows], columns=cols, dtype=object)
            if rows else empty_frame(name)
        )
    return Dataset.from_frames(frames)
