"""Workbooks that arrive by upload: decode, stage, check, preview, confirm.

The dashboard's Data page receives a workbook as a base64 ``data:`` URL (what
a ``dcc.Upload`` sends). This module turns it into a file on the server, kept
under a random *token* in a private staging folder, so the browser holds only
the token, never the file; checks it against the workspace with the same
validator (and the same :class:`~cso_network.core.problems.Problem` records) as
``cso-network validate``; previews what an import would change with
``import_workbook(..., dry_run=True)``; and imports it once, atomically, on
confirmation. Nothing here imports Dash.

Every way an upload can be wrong (no file, wrong type, damaged, empty, too
large) is reported as a :class:`~cso_network.core.exceptions.ValidationError`
holding one error :class:`~cso_network.core.problems.Problem` that names the
file as the user called it (never a server path), exactly like a file the
workbook reader cannot open.

Examples
--------
>>> import base64, io, tempfile
>>> from cso_network.store.sql import Store
>>> staging = UploadStaging(tempfile.mkdtemp())
>>> payload = "data:;base64," + base64.b64encode(template_bytes()).decode()
>>> staged = staging.stage(payload, "cohort.xlsx")
>>> store = Store.memory()
>>> preview = preview_upload(store, staged)
>>> preview.ok, preview.changed
(True, False)
>>> staging.close()
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import dataclasses
import datetime as dt
import os
import re
import secrets
import shutil
import tempfile
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from cso_network.core.exceptions import NotFound, ValidationError
from cso_network.core.messages import Message, msg, nmsg
from cso_network.core.model import TABLE_ORDER, TABLES
from cso_network.core.problems import Problem, sort_problems
from cso_network.ingest.excel import write_template, write_workbook
from cso_network.ingest.limits import DEFAULT_MAX_FILE_BYTES, Limits
from cso_network.ingest.validate import validate_workbook
from cso_network.store.changes import ChangeSet
from cso_network.store.sql import ImportResult, Store
from cso_network.workspace import Workspace, import_workbook

__all__ = [
    "UPLOAD_SUFFIX",
    "DEFAULT_MAX_AGE",
    "StagedUpload",
    "UploadStaging",
    "UploadPreview",
    "decode_upload",
    "safe_file_name",
    "preview_upload",
    "confirm_upload",
    "problems_summary",
    "ProblemGroup",
    "group_problems",
    "change_examples",
    "export_readme",
    "data_workbook_bytes",
    "template_bytes",
]

#: The only file type accepted by upload.
UPLOAD_SUFFIX = ".xlsx"
#: Staged uploads older than this many seconds are removed by :meth:`UploadStaging.cleanup`.
DEFAULT_MAX_AGE = 3600.0
#: At most this many uploads wait at once; staging one more removes the oldest.
DEFAULT_MAX_STAGED = 20
#: At most this many bytes wait at once (staged uploads hold personal data).
DEFAULT_MAX_STAGED_BYTES = 4 * DEFAULT_MAX_FILE_BYTES

_TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
_CLAIMED_PREFIX = ".claimed-"
_MAX_NAME = 150


# ----------------------------------------------------------------------------- decoding


def _too_big(size: int, max_bytes: int) -> Message:
    return msg("the file is {size}; the limit is {limit}", size=_size_text(size),
               limit=_limit_text(max_bytes))


def _error(file: str, message: Message, value: str | None = None) -> ValidationError:
    return ValidationError([Problem("error", file, None, None, None, value, message)])


def _size_text(size: int) -> str:
    if size >= 1e6:
        return f"{size / 1e6:.0f} MB"
    if size >= 1e3:
        return f"{size / 1e3:.0f} kB"
    return f"{size} bytes"


def _limit_text(max_bytes: int) -> str:
    if max_bytes >= 2**20:
        return f"{max_bytes // 2**20} MiB"
    return f"{max_bytes:,} bytes"


def safe_file_name(name: str | None) -> str:
    """Return the base name of an uploaded file, safe to use as a file name.

    Folders (``/`` or ``\\``), control characters and leading dots are
    dropped; an empty result becomes ``upload.xlsx``; long names are shortened
    keeping their suffix.

    Parameters
    ----------
    name : str or None
        The name the browser reported.

    Returns
    -------
    str

    Examples
    --------
    >>> safe_file_name("C:\\\\Users\\\\ana\\\\cohort 2024.xlsx")
    'cohort 2024.xlsx'
    >>> safe_file_name("../../etc/passwd")
    'passwd'
    >>> safe_file_name("")
    'upload.xlsx'
    """
    text = str(name or "")
    text = re.split(r"[\\/]", text)[-1]
    text = "".join(ch for ch in text if ch.isprintable()).strip().lstrip(".").strip()
    if not text:
        return "upload" + UPLOAD_SUFFIX
    if len(text) > _MAX_NAME:
        stem, dot, suffix = text.rpartition(".")
        suffix = (dot + suffix) if stem and len(suffix) <= 10 else ""
        text = text[: _MAX_NAME - len(suffix)] + suffix
    return text


def decode_upload(contents: str | None, file_name: str | None, *,
                  max_bytes: int | None = None) -> bytes:
    """Decode what a browser upload sent: a ``data:...;base64,`` URL (or bare base64).

    Parameters
    ----------
    contents : str or None
        The payload, as ``dcc.Upload`` gives it in ``contents``.
    file_name : str or None
        The file's name as the browser reported it.
    max_bytes : int, optional
        The size limit (of the decoded file); by default the reader's,
        ``Limits.from_env().max_file_bytes``.

    Returns
    -------
    bytes
        The file's bytes.

    Raises
    ------
    ValidationError
        With one error Problem: no file, not an ``.xlsx`` name, damaged
        (not base64), empty, or too large. The file's type is judged by its
        name here; its content is judged by the workbook reader later.

    Examples
    --------
    >>> decode_upload("data:application/octet-stream;base64,UEsDBA==", "a.xlsx")
    b'PK\\x03\\x04'
    >>> try:
    ...     decode_upload("data:text/csv;base64,YQ==", "list.csv")
    ... except ValidationError as exc:
    ...     print(exc.problems[0].message)
    not an Excel workbook: expected an .xlsx file
    """
    max_bytes = Limits.from_env().max_file_bytes if max_bytes is None else max_bytes
    name = safe_file_name(file_name)
    if not contents:
        raise _error(name, msg("no file was received; choose an Excel workbook (.xlsx)"))
    suffix = Path(name).suffix.lower()
    if suffix != UPLOAD_SUFFIX:
        if suffix == ".xls":
            message = msg("the old .xls format is not supported; open the file in Excel and save "
                          "it as an Excel workbook (.xlsx)")
        elif suffix == ".xlsm":
            message = msg("macro-enabled workbooks (.xlsm) are not accepted; save the file as an "
                          "Excel workbook (.xlsx)")
        else:
            message = msg("not an Excel workbook: expected an .xlsx file")
        raise _error(name, message, suffix or None)
    header, comma, data = contents.partition(",")
    if not comma:
        data = header
    elif not header.startswith("data:") or ";base64" not in header:
        raise _error(name, msg("the upload arrived damaged (not a base64 data URL); try again"))
    data = "".join(data.split())
    # 4 base64 characters carry 3 bytes: refuse a huge file before decoding it.
    estimate = len(data) * 3 // 4 - data[-2:].count("=")
    if estimate > max_bytes:
        raise _error(name, _too_big(estimate, max_bytes))
    try:
        raw = base64.b64decode(data, validate=True)
    except (binascii.Error, ValueError):
        raise _error(name, msg("the upload arrived damaged (not valid base64); try again")) from None
    if not raw:
        raise _error(name, msg("the file is empty (0 bytes); expected an Excel workbook (.xlsx)"))
    if len(raw) > max_bytes:  # pragma: no cover - the estimate is exact for valid base64
        raise _error(name, _too_big(len(raw), max_bytes))
    return raw


# ----------------------------------------------------------------------------- staging


@dataclass(frozen=True)
class StagedUpload:
    """An uploaded workbook waiting on the server for confirmation.

    Attributes
    ----------
    token : str
        Random, unguessable key; the only thing the browser keeps.
    file_name : str
        The file's name as uploaded (recorded with the import).
    path : Path
        Where the bytes are (inside the staging folder; never shown to users).
    size : int
        Bytes.
    staged_at : float
        ``time.time()`` when it was staged.
    """

    token: str
    file_name: str
    path: Path
    size: int
    staged_at: float


class UploadStaging:
    """A private folder of uploaded workbooks, one sub-folder per token.

    The state lives in the file system only (``<folder>/<token>/<file name>``),
    so any thread or process sharing the folder sees the same uploads, and
    claiming an upload for import is one atomic rename: a second confirmation
    of the same token finds nothing.

    Parameters
    ----------
    folder : str or Path, optional
        Where to keep uploads; a new private temporary folder when None
        (removed again by :meth:`close`).
    max_age : float, default DEFAULT_MAX_AGE
        Seconds after which :meth:`cleanup` removes a staged upload.
    max_staged, max_bytes : int
        Caps on how many uploads, and how many bytes, wait at once; staging
        one more removes the oldest.

    Notes
    -----
    Uploads are removed when imported, when replaced by another file, when
    they expire, and when the staging area is opened (a server start-up).
    An import claimed by a process that died before it finished (a killed
    server worker) is put back under its token, so the person can confirm
    again; the import's own transaction guarantees that nothing of it was
    written twice.

    Examples
    --------
    >>> staging = UploadStaging()
    >>> staged = staging.stage_bytes(b"PK\\x03\\x04", "a.xlsx")
    >>> staging.get(staged.token).file_name
    'a.xlsx'
    >>> staging.discard(staged.token)
    True
    >>> staging.close()
    """

    def __init__(self, folder: str | Path | None = None, *, max_age: float = DEFAULT_MAX_AGE,
                 max_staged: int = DEFAULT_MAX_STAGED,
                 max_bytes: int = DEFAULT_MAX_STAGED_BYTES) -> None:
        self._owned = folder is None
        self.folder = Path(tempfile.mkdtemp(prefix="cso-network-uploads-")) if folder is None else Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        self.max_age = float(max_age)
        self.max_staged = int(max_staged)
        self.max_bytes = int(max_bytes)
        self._lock = threading.Lock()
        self.cleanup()

    # ------------------------------------------------------------ staging
    def stage(self, contents: str | None, file_name: str | None, *,
              max_bytes: int | None = None) -> StagedUpload:
        """Decode an upload (see :func:`decode_upload`) and keep it under a new token.

        Expired uploads are cleaned up first.

        Raises
        ------
        ValidationError
            The upload is not acceptable; nothing is kept.
        """
        data = decode_upload(contents, file_name, max_bytes=max_bytes)
        return self.stage_bytes(data, file_name)

    def stage_bytes(self, data: bytes, file_name: str | None) -> StagedUpload:
        """Keep ``data`` under a new token (no checks) and return it.

        Expired uploads are removed first, then the oldest ones while the
        caps on count and bytes would be exceeded.
        """
        self.cleanup()
        self._make_room(len(data))
        name = safe_file_name(file_name)
        token = secrets.token_urlsafe(24)
        entry = self.folder / token
        entry.mkdir(mode=0o700)
        path = entry / name
        with path.open("xb") as fh:
            fh.write(data)
        return StagedUpload(token, name, path, len(data), time.time())

    def _entry(self, token: str | None) -> Path | None:
        if not isinstance(token, str) or not _TOKEN_RE.match(token):
            return None
        entry = self.folder / token
        return entry if entry.is_dir() else None

    @staticmethod
    def _describe(token: str, entry: Path) -> StagedUpload | None:
        files = [p for p in entry.iterdir() if p.is_file()]
        if len(files) != 1:
            return None
        st = files[0].stat()
        return StagedUpload(token, files[0].name, files[0], st.st_size, entry.stat().st_mtime)

    def _make_room(self, incoming: int) -> None:
        """Remove the oldest staged uploads until one of ``incoming`` bytes fits the caps."""
        with self._lock:
            waiting = []
            for token in self.tokens():
                entry = self.folder / token
                try:
                    size = sum(p.stat().st_size for p in entry.iterdir() if p.is_file())
                    waiting.append((entry.stat().st_mtime, size, entry))
                except OSError:
                    continue
            waiting.sort()
            count, total = len(waiting), sum(size for _, size, _ in waiting)
            for _, size, entry in waiting:
                if count < self.max_staged and total + incoming <= self.max_bytes:
                    break
                shutil.rmtree(entry, ignore_errors=True)
                count, total = count - 1, total - size

    def _recover_abandoned(self, token: str) -> None:
        """Put back a claim on ``token`` whose process is gone (it died during an import)."""
        for claimed in self.folder.glob(f"{_CLAIMED_PREFIX}{token}.*"):
            pid = _claim_pid(claimed.name)
            if pid is None or _process_alive(pid):
                continue
            with contextlib.suppress(OSError):
                os.rename(claimed, self.folder / token)
                os.utime(self.folder / token)
                return

    def get(self, token: str | None) -> StagedUpload:
        """Return the staged upload of ``token``.

        Raises
        ------
        NotFound
            No such upload: never staged, already imported, or expired.
        """
        if isinstance(token, str) and _TOKEN_RE.match(token):
            self._recover_abandoned(token)
        entry = self._entry(token)
        staged = self._describe(token, entry) if entry is not None else None
        if staged is None or self._expired(entry):
            raise NotFound(msg("this upload is no longer available (already imported, or older "
                               "than {minutes:.0f} minutes); upload the file again",
                               minutes=self.max_age / 60))
        return staged

    def _expired(self, entry: Path, now: float | None = None) -> bool:
        now = time.time() if now is None else now
        try:
            return now - entry.stat().st_mtime > self.max_age
        except OSError:
            return True

    def claim(self, token: str | None) -> StagedUpload:
        """Take an upload out of the staging area for import (atomic; once per token).

        The caller must :meth:`release` (put back) or :meth:`finish` (remove) it.

        Raises
        ------
        NotFound
            No such upload, or another request claimed it first.
        """
        staged = self.get(token)
        claimed = self.folder / f"{_CLAIMED_PREFIX}{token}.{os.getpid()}.{secrets.token_hex(4)}"
        try:
            os.rename(self.folder / token, claimed)
        except OSError:
            raise NotFound("this upload has already been imported (or is being imported); "
                           "upload the file again to import it again") from None
        return StagedUpload(token, staged.file_name, claimed / staged.file_name, staged.size,
                            staged.staged_at)

    def release(self, claimed: StagedUpload) -> None:
        """Put a claimed upload back under its token (after a failed import)."""
        try:
            os.rename(claimed.path.parent, self.folder / claimed.token)
        except OSError:
            shutil.rmtree(claimed.path.parent, ignore_errors=True)

    def finish(self, claimed: StagedUpload) -> None:
        """Remove a claimed upload's file (after a successful import)."""
        shutil.rmtree(claimed.path.parent, ignore_errors=True)

    def discard(self, token: str | None) -> bool:
        """Remove the upload of ``token``; return True if there was one."""
        entry = self._entry(token)
        if entry is None:
            return False
        shutil.rmtree(entry, ignore_errors=True)
        return True

    def cleanup(self, *, now: float | None = None) -> int:
        """Remove uploads and claims older than ``max_age``; return how many.

        A claim whose process is gone and whose upload has expired is removed
        too; a younger one stays, so that :meth:`get` can put it back.
        """
        removed = 0
        with self._lock:
            try:
                entries = list(self.folder.iterdir())
            except OSError:
                return 0
            for entry in entries:
                if not entry.is_dir() or not self._expired(entry, now):
                    continue
                pid = _claim_pid(entry.name)
                if pid is not None and _process_alive(pid):
                    continue  # an import is running on it right now
                shutil.rmtree(entry, ignore_errors=True)
                removed += 1
        return removed

    def tokens(self) -> list[str]:
        """Tokens of the uploads currently staged (for tests and housekeeping)."""
        return sorted(p.name for p in self.folder.iterdir()
                      if p.is_dir() and _TOKEN_RE.match(p.name))

    def close(self) -> None:
        """Remove every staged upload (and the folder, if this object created it)."""
        if self._owned:
            shutil.rmtree(self.folder, ignore_errors=True)
        else:
            for entry in list(self.folder.iterdir()):
                if entry.is_dir():
                    shutil.rmtree(entry, ignore_errors=True)


def _claim_pid(name: str) -> int | None:
    """The process id in a claim folder's name (``.claimed-<token>.<pid>.<hex>``), or None."""
    if not name.startswith(_CLAIMED_PREFIX):
        return None
    parts = name[len(_CLAIMED_PREFIX):].rsplit(".", 2)
    if len(parts) != 3 or not parts[1].isdigit():
        return None
    return int(parts[1])


def _process_alive(pid: int) -> bool:
    """True when process ``pid`` exists on this machine."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # it exists but belongs to someone else
    return True


def _scrub(problems: list[Problem], staged: StagedUpload) -> list[Problem]:
    """``problems`` with the server's staging folder and the upload's token taken out of their text.

    A reader's message may quote the path it opened; people see only the
    file's own name.
    """
    secrets_ = [str(staged.path.parent), str(staged.path), staged.token, str(staged.path.parent.parent)]
    secrets_ = sorted({s for s in secrets_ if s}, key=len, reverse=True)

    def clean(text):
        if text is None:
            return None
        original = text
        plain = str(text)
        changed = False
        for secret in secrets_:
            if secret in plain:
                plain = plain.replace(secret, staged.file_name if "/" in secret else "")
                changed = True
        return plain if changed else original

    return [dataclasses.replace(p, message=clean(p.message), value=clean(p.value))
            for p in problems]


# ----------------------------------------------------------------------------- preview


def _count(problems: list[Problem], severity: str) -> int:
    return sum(1 for p in problems if p.severity == severity)


@dataclass(frozen=True)
class ProblemGroup:
    """Problems of one cause: the same check failing in one column of one sheet.

    Attributes
    ----------
    severity, sheet, column
        As in the problems.
    message : Message
        The first problem's sentence (the others differ only in the value).
    rows : tuple of int
        The rows it concerns, in order (empty for a sheet or file problem).
    count : int
        How many problems.
    root : bool
        A problem of the whole file, sheet or header row: fixing it may
        remove others, so it is read first.
    """

    severity: str
    sheet: str | None
    column: str | None
    message: Message | str
    rows: tuple[int, ...]
    count: int
    root: bool


_SEVERITY_ORDER = {"error": 0, "warning": 1, "note": 2}


def group_problems(problems: list[Problem]) -> list[ProblemGroup]:
    """The causes behind ``problems``, root causes first.

    Problems are grouped by severity, sheet, column and the check that
    failed (the message's template), so 25 unknown countries are one cause
    with 25 rows. Errors come first; among them, problems of a whole file,
    sheet or header row (a missing sheet, a renamed column) before those of
    single rows, since they are often why the others appear; then the
    causes with most rows.

    Examples
    --------
    >>> from cso_network.core.messages import msg
    >>> bad = lambda row, v: Problem("error", "a.xlsx", "organizations", row, "country", v,
    ...                              msg("unknown country '{value}'", value=v))
    >>> head = Problem("error", "a.xlsx", "organizations", 1, None, None, msg("missing column"))
    >>> [(g.message, g.rows, g.count) for g in group_problems([bad(3, "X"), bad(5, "Y"), head])]
    [('missing column', (1,), 1), ("unknown country 'X'", (3, 5), 2)]
    """
    groups: dict[tuple, list[Problem]] = {}
    for p in problems:
        template = getattr(p.message, "template", str(p.message))
        groups.setdefault((p.severity, p.sheet, p.column, template), []).append(p)
    out = []
    for (severity, sheet, column, _template), members in groups.items():
        rows = tuple(sorted({p.row for p in members if p.row is not None}))
        root = any(p.row is None or p.row == 1 for p in members)
        out.append(ProblemGroup(severity, sheet, column, members[0].message, rows, len(members),
                                root))
    return sorted(out, key=lambda g: (_SEVERITY_ORDER.get(g.severity, 3), not g.root, -g.count))


def problems_summary(problems: list[Problem]) -> Message:
    """One sentence on a validation report.

    Examples
    --------
    >>> e = Problem("error", "a.xlsx", "seminars", 2, "country", "Atlantis", "unknown country")
    >>> w = Problem("warning", "a.xlsx", "organizations", 3, "fields", "x", "unknown field")
    >>> problems_summary([e, e, e, w])
    '3 errors: nothing can be imported until they are fixed (and 1 warning)'
    >>> problems_summary([w, w])
    'No errors; 2 warnings'
    >>> problems_summary([])
    'No errors and no warnings'
    """
    errors, warnings = _count(problems, "error"), _count(problems, "warning")
    said_warnings = nmsg("{n} warning", "{n} warnings", warnings)
    if errors:
        text = nmsg("{n} error: nothing can be imported until they are fixed",
                    "{n} errors: nothing can be imported until they are fixed", errors)
        return msg("{errors} (and {warnings})", errors=text, warnings=said_warnings) \
            if warnings else text
    return msg("No errors; {warnings}", warnings=said_warnings) if warnings \
        else msg("No errors and no warnings")


@dataclass
class UploadPreview:
    """What checking an upload found, and what importing it would change.

    Attributes
    ----------
    file_name : str
        The file's name as uploaded.
    problems : list of Problem
        Errors first, then warnings and notes.
    mirror : bool
        Whether the diff is for a mirror import (rows absent from the file removed).
    changes : ChangeSet or None
        The dry-run diff; None when there are errors or no store to import into.
    store_version : int or None
        The store's version the diff was computed against; None without a store.
    can_import : bool
        False for a workspace read from a workbook (no store).
    digest : str or None
        Fingerprint of exactly these changes in this mode
        (:meth:`~cso_network.store.changes.ChangeSet.digest`), for
        ``confirm_upload(expected_digest=...)``; None when nothing can be imported.
    """

    file_name: str
    problems: list[Problem]
    mirror: bool = False
    changes: ChangeSet | None = None
    store_version: int | None = None
    can_import: bool = True
    counts: dict[str, dict[str, int]] = field(init=False)
    digest: str | None = field(init=False)

    def __post_init__(self) -> None:
        self.counts = self.changes.counts() if self.changes is not None else {}
        self.digest = (self.changes.digest("mirror" if self.mirror else "upsert")
                       if self.changes is not None else None)

    @property
    def ok(self) -> bool:
        """True when there is no error."""
        return _count(self.problems, "error") == 0

    @property
    def errors(self) -> list[Problem]:
        """The errors."""
        return [p for p in self.problems if p.severity == "error"]

    @property
    def changed(self) -> bool:
        """True when importing would change the data."""
        return self.changes is not None and not self.changes.is_empty

    @property
    def summary(self) -> str:
        """The one-sentence validation summary, see :func:`problems_summary`."""
        return problems_summary(self.problems)

    def totals(self) -> dict[str, int]:
        """Rows added, updated, removed and unchanged over all tables."""
        out = {"added": 0, "updated": 0, "removed": 0, "unchanged": 0}
        for counts in self.counts.values():
            for k in out:
                out[k] += counts[k]
        return out


def preview_upload(target: Store | Workspace, upload: StagedUpload | str | Path, *,
                   mirror: bool = False) -> UploadPreview:
    """Check an uploaded workbook against the workspace and compute its dry-run diff.

    Parameters
    ----------
    target : Store or Workspace
        Where it would be imported. A workspace without a store (read from
        a workbook) is checked on its own and cannot import.
    upload : StagedUpload or path
        The workbook.
    mirror : bool, default False
        Preview a mirror import (rows absent from the file are removed and
        the file alone must be complete).

    Returns
    -------
    UploadPreview
        Never raises for a bad file: its problems are in ``problems``.
    """
    path = upload.path if isinstance(upload, StagedUpload) else Path(upload)
    name = upload.file_name if isinstance(upload, StagedUpload) else path.name

    def shown(problems: list[Problem]) -> list[Problem]:
        problems = sort_problems(problems)
        return _scrub(problems, upload) if isinstance(upload, StagedUpload) else problems

    store = target.store if isinstance(target, Workspace) else target
    if store is None:
        report = validate_workbook(path)
        return UploadPreview(name, shown(report.problems), mirror, None, None, False)
    version = store.version()
    try:
        result, problems = import_workbook(store, path, mirror=mirror, dry_run=True)
    except ValidationError as exc:
        return UploadPreview(name, shown(exc.problems), mirror, None, version)
    return UploadPreview(name, shown(problems), mirror, result.changes, version)


def confirm_upload(store: Store, staging: UploadStaging, token: str | None, *, mirror: bool = False,
                   expected_digest: str | None = None) -> tuple[ImportResult, list[Problem]]:
    """Import a staged upload (one transaction) and remove its file.

    The import applies exactly the changes that were previewed: pass the
    preview's ``mirror`` and ``digest``. If, under the store's write lock,
    the changes differ from those (another import came first, or the mode is
    not the previewed one), nothing is written and the upload is kept.

    Parameters
    ----------
    store : Store
        The workspace store.
    staging : UploadStaging
        Where the upload waits.
    token : str
        The upload's token.
    mirror : bool, default False
        See :func:`~cso_network.workspace.import_workbook`.
    expected_digest : str, optional
        :attr:`UploadPreview.digest` of the preview the person confirmed.

    Returns
    -------
    (ImportResult, warnings)
        As :func:`~cso_network.workspace.import_workbook`.

    Raises
    ------
    NotFound
        No such upload: already imported (a second confirmation of the same
        token imports nothing), expired, or never staged.
    StaleChanges
        The changes are no longer those previewed; the upload is kept,
        preview again.
    ValidationError
        The file has errors (against the current workspace); nothing was
        written and the upload is kept.
    StoreError
        Writing failed and was rolled back; the upload is kept.
    """
    staging.get(token)  # NotFound first: a used token is reported as such
    claimed = staging.claim(token)
    try:
        outcome = import_workbook(store, claimed.path, mirror=mirror,
                                  expected_digest=expected_digest)
    except ValidationError as exc:
        staging.release(claimed)
        raise ValidationError(_scrub(exc.problems, claimed)) from None
    except BaseException:
        staging.release(claimed)
        raise
    staging.finish(claimed)
    return outcome


def _key_text(table: str, row: Mapping) -> str:
    return " – ".join(str(row.get(k)) for k in TABLES[table].key if row.get(k) is not None)


def change_examples(changes: ChangeSet, limit: int = 8) -> dict[str, dict[str, list[str]]]:
    """A few changed rows per table, by key, for people to recognise.

    Returns
    -------
    dict
        ``{table: {"added": [...], "updated": [...], "removed": [...]}}`` for
        tables with changes; updated rows list the changed columns, e.g.
        ``"A (name, city)"``; at most ``limit`` per list.
    """
    out: dict[str, dict[str, list[str]]] = {}
    for table in TABLE_ORDER:
        ch = changes.tables[table]
        if ch.is_empty:
            continue
        updated = []
        for before, after in ch.updated[:limit]:
            cols = [c for c in TABLES[table].column_names if before.get(c) != after.get(c)]
            updated.append(f"{_key_text(table, after)} ({', '.join(cols)})")
        out[table] = {
            "added": [_key_text(table, r) for r in ch.added[:limit]],
            "updated": updated,
            "removed": [_key_text(table, r) for r in ch.removed[:limit]],
        }
    return out


# ----------------------------------------------------------------------------- downloads


def export_readme(workspace: Workspace, *, now: dt.datetime | None = None) -> str:
    """The README sheet of a data download: where it came from, and a personal-data warning."""
    now = now or dt.datetime.now(dt.UTC)
    if workspace.store is None:
        source = f"the workbook {workspace.name}"
        history = ""
    else:
        records = workspace.store.imports()
        source = f"the workspace {workspace.name}"
        history = (f" after {len(records)} import(s), the last on "
                   f"{records[-1].imported_at[:16].replace('T', ' ')} UTC ({records[-1].file_name})"
                   if records else " (no imports yet)")
    counts = ", ".join(f"{len(workspace.dataset.table(t))} {t}" for t in TABLE_ORDER)
    return "\n".join([
        "# cso-network master workbook (data export)",
        f"Exported from {source}{history}, on {now:%Y-%m-%d %H:%M} UTC.",
        f"It holds {counts}.",
        "",
        "# Personal data",
        "**This file may contain personal data about human-rights defenders (names, e-mails, "
        "phones).**",
        "Keep it out of version control and shared folders, share it only as the consent columns "
        "allow, and delete copies you no longer need.",
        "",
        "# Using it",
        "Edit the sheets and import the file again (Data page, or cso-network import FILE); "
        "this README sheet is ignored.",
        "Columns and rules: docs/data-format.md.",
    ])


def _bytes_of(write) -> bytes:
    with tempfile.TemporaryDirectory(prefix="cso-network-download-") as folder:
        path = Path(folder) / "workbook.xlsx"
        write(path)
        return path.read_bytes()


def data_workbook_bytes(workspace: Workspace, *, now: dt.datetime | None = None) -> bytes:
    """The workspace's data as a master workbook (with a README sheet), as bytes."""
    readme = export_readme(workspace, now=now)
    return _bytes_of(lambda path: write_workbook(workspace.dataset, path, readme=readme))


def template_bytes(lang: str = "en") -> bytes:
    """The blank master workbook in ``lang`` (see :func:`~cso_network.ingest.excel.write_template`), as bytes."""
    return _bytes_of(lambda path: write_template(path, lang=lang))
