"""A throwaway PostgreSQL server for the store tests: one per test session, one schema per test.

The server lives in a private temporary folder and listens only on a Unix
socket in that folder (no TCP port), so several test runs on one machine
never meet, and it runs with ``fsync`` off: its data is thrown away. initdb
and the server refuse to run as root, so under root (as in CI) they run as
the unprivileged ``postgres`` user that Debian's ``postgresql`` package
creates, owner of the folder. The database uses ICU's ``en-US`` collation
when the server offers ICU, like most PostgreSQL servers (a linguistic
``ORDER BY``, not SQLite's byte order). Each test gets a new schema that
its connections see alone, which to the store is a database of its own.

The session's fixture stops the server even when tests fail, and so does
an exit handler; a server whose test run was killed is stopped by the next
run that starts one.

Nothing here fails a test run: when PostgreSQL is missing or does not start,
:meth:`PgServer.start` raises :class:`PgUnavailable` saying why, and the
fixtures in ``tests/conftest.py`` skip the PostgreSQL tests with that reason.
"""

from __future__ import annotations

import atexit
import contextlib
import glob
import itertools
import os
import re
import shlex
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa

__all__ = ["PgServer", "PgUnavailable", "find_bindir"]

#: The unprivileged account that runs the server when the tests run as root.
SERVER_USER = "postgres"
#: The superuser initdb makes; the private socket trusts it without a password.
ROLE = "cso"
#: The database the tests' schemas live in (initdb makes it).
DATABASE = "postgres"
#: Seconds pg_ctl waits for the server to start or stop.
PG_CTL_WAIT = 60
#: Longest Unix socket path (sun_path holds 108 bytes with the final NUL).
MAX_SOCKET_PATH = 107
#: The servers' folders are ``<temporary folder>/cso-pg-*``, each with the id of the process
#: that started it in ``owner``.
FOLDER_PREFIX = "cso-pg-"
OWNER_FILE = "owner"
#: Settings for a server whose data is thrown away: no waiting for the disk.
FAST_SETTINGS = ("fsync=off", "synchronous_commit=off", "full_page_writes=off")


class PgUnavailable(Exception):
    """PostgreSQL cannot be used here; the message says why."""


def _version_key(path: str) -> tuple[int, ...]:
    """``/usr/lib/postgresql/15/bin`` -> ``(15,)``, so 15 sorts after 9.6."""
    return tuple(int(n) for n in re.findall(r"\d+", path))


def find_bindir() -> Path:
    """The folder holding ``initdb`` and ``pg_ctl``.

    ``pg_ctl`` on ``PATH`` first, else the newest of Debian's
    ``/usr/lib/postgresql/*/bin`` (Debian keeps them off ``PATH``).

    Raises
    ------
    PgUnavailable
        Neither place holds both programs.
    """
    candidates = []
    on_path = shutil.which("pg_ctl")
    if on_path:
        candidates.append(Path(on_path).resolve().parent)
    candidates += [Path(p) for p in sorted(glob.glob("/usr/lib/postgresql/*/bin"),
                                           key=_version_key, reverse=True)]
    for folder in candidates:
        if (folder / "initdb").is_file() and (folder / "pg_ctl").is_file():
            return folder
    raise PgUnavailable("PostgreSQL's initdb and pg_ctl are neither on PATH nor in "
                        "/usr/lib/postgresql/*/bin (on Debian: apt-get install postgresql)")


def _server_account() -> tuple[int, int] | None:
    """``(uid, gid)`` to run the server as under root; None when the tests are not root."""
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        return None
    import pwd  # Unix only, like running as root

    try:
        entry = pwd.getpwnam(SERVER_USER)
    except KeyError:
        raise PgUnavailable(
            f"the tests run as root, which PostgreSQL refuses, and there is no "
            f"'{SERVER_USER}' user to run the server as (Debian's postgresql package "
            "creates it)") from None
    return entry.pw_uid, entry.pw_gid


def _stop_orphans(bindir: Path, account: tuple[int, int] | None) -> None:
    """Stop the servers of test runs that were killed before they could stop their own.

    Each server's folder names the process that started it; a folder whose
    process is gone is an orphan.
    """
    for folder in Path(tempfile.gettempdir()).glob(f"{FOLDER_PREFIX}*"):
        try:
            owner = int((folder / OWNER_FILE).read_text())
            os.kill(owner, 0)
        except ProcessLookupError:
            PgServer(bindir, folder, account).stop()
        except (OSError, ValueError):  # being made right now, or not ours to judge
            continue


def _output(result: subprocess.CompletedProcess) -> str:
    """The last lines a program wrote, for a reason to skip with."""
    lines = (result.stdout + result.stderr).strip().splitlines()
    return " / ".join(lines[-3:]) or f"exit status {result.returncode}"


@dataclass
class PgServer:
    """A running throwaway server; :meth:`start` makes one, :meth:`stop` removes it.

    Attributes
    ----------
    bindir : Path
        Where initdb, pg_ctl and postgres are.
    folder : Path
        The private folder: the data directory, the log and the socket.
    account : tuple of int, optional
        ``(uid, gid)`` the server runs as; None for the current user.
    """

    bindir: Path
    folder: Path
    account: tuple[int, int] | None
    _admin: Any = None
    _names: itertools.count = field(default_factory=lambda: itertools.count(1))
    _stopped: bool = False

    @property
    def data(self) -> Path:
        return self.folder / "data"

    @property
    def log(self) -> Path:
        return self.folder / "server.log"

    @classmethod
    def start(cls) -> PgServer:
        """Make a database cluster in a new temporary folder and start a server on it.

        Raises
        ------
        PgUnavailable
            psycopg is not installed, PostgreSQL is not found, or it did not
            start (the reason quotes its own words); nothing is left behind.
        """
        try:
            import psycopg  # noqa: F401  (the store's driver; checked before starting anything)
        except ImportError:
            raise PgUnavailable("the PostgreSQL driver is not installed "
                                "(pip install -e '.[dev]' installs psycopg)") from None
        bindir = find_bindir()
        account = _server_account()
        _stop_orphans(bindir, account)
        # Not under pytest's own temporary folder, which only root may enter.
        folder = Path(tempfile.mkdtemp(prefix=FOLDER_PREFIX))
        (folder / OWNER_FILE).write_text(str(os.getpid()))
        server = cls(bindir, folder, account)
        atexit.register(server.stop)
        try:
            if len(str(folder / ".s.PGSQL.5432")) > MAX_SOCKET_PATH:
                raise PgUnavailable(f"the temporary folder {folder} is too long a path for a "
                                    "Unix socket; set TMPDIR to a shorter one")
            if account is not None:
                os.chown(folder, *account)
            server._initdb()
            server._run_pg_ctl("start", "-l", str(server.log), "-o", server._options())
            server._connect_admin()
        except BaseException:
            server.stop()
            raise
        return server

    def _connect_admin(self) -> None:
        import psycopg

        try:
            self._admin = psycopg.connect(host=str(self.folder), user=ROLE, dbname=DATABASE,
                                          autocommit=True)
        except psycopg.Error as exc:
            raise PgUnavailable(f"the server started but refused a connection: {exc}") from None
        # A teardown never waits long on a lock a test left behind.
        self._admin.execute("SET lock_timeout = '10s'")

    def _run(self, *args: str) -> subprocess.CompletedProcess:
        """Run one PostgreSQL program as the server's account, in its folder."""
        env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
        kwargs: dict[str, Any] = {}
        if self.account is not None:
            kwargs = {"user": self.account[0], "group": self.account[1], "extra_groups": []}
        try:
            return subprocess.run([str(self.bindir / args[0]), *args[1:]], cwd=self.folder,
                                  env=env, stdin=subprocess.DEVNULL, capture_output=True,
                                  text=True, timeout=PG_CTL_WAIT + 30, check=False, **kwargs)
        except (OSError, subprocess.SubprocessError) as exc:
            raise PgUnavailable(f"{args[0]} could not be run: {exc}") from None

    def _initdb(self) -> None:
        base = ["initdb", "-D", str(self.data), "-U", ROLE, "--auth=trust", "-E", "UTF8",
                "--locale=C", "--no-sync"]
        icu = ["--locale-provider=icu", "--icu-locale=en-US"]
        result = self._run(*base, *icu)
        if result.returncode != 0:  # a server without ICU (or before 15): byte order
            shutil.rmtree(self.data, ignore_errors=True)
            result = self._run(*base)
        if result.returncode != 0:
            raise PgUnavailable(f"initdb failed: {_output(result)}")

    def _options(self) -> str:
        settings = ["listen_addresses=", f"unix_socket_directories={self.folder}",
                    *FAST_SETTINGS]
        return " ".join(f"-c {shlex.quote(s)}" for s in settings)

    def _run_pg_ctl(self, action: str, *args: str) -> None:
        result = self._run("pg_ctl", "-D", str(self.data), "-w", "-t", str(PG_CTL_WAIT),
                           *args, action)
        if result.returncode != 0:
            log = self.log.read_text(errors="replace") if self.log.exists() else ""
            detail = " / ".join(log.strip().splitlines()[-3:]) or _output(result)
            raise PgUnavailable(f"pg_ctl {action} failed: {detail}")

    def url(self, schema: str) -> str:
        """The SQLAlchemy URL of ``schema`` in the tests' database (psycopg, over the socket).

        The schema is the connection's whole ``search_path``, so to the store
        it is a database of its own; the connection's ``application_name`` is
        the schema's name too, so that :meth:`drop_schema` finds what still uses it.
        """
        return sa.engine.URL.create(
            "postgresql+psycopg", username=ROLE, database=DATABASE,
            query={"host": str(self.folder), "options": f"-csearch_path={schema}",
                   "application_name": schema},
        ).render_as_string(hide_password=False)

    def create_schema(self) -> str:
        """Make a new, empty schema and return the URL that works in it alone.

        A schema is made in well under a millisecond, a database (a copy of
        a template) in tens of milliseconds.
        """
        name = f"t{next(self._names)}"
        self._admin.execute(f'CREATE SCHEMA "{name}"')
        return self.url(name)

    def drop_schema(self, url: str) -> None:
        """Remove a schema made by :meth:`create_schema`, closing the connections still in it."""
        name = dict(sa.engine.make_url(url).query)["application_name"]
        self._admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                            "WHERE application_name = %s AND pid <> pg_backend_pid()", (name,))
        self._admin.execute(f'DROP SCHEMA "{name}" CASCADE')

    def stop(self) -> None:
        """Stop the server at once (its data is not kept) and remove its folder; safe to repeat."""
        if self._stopped:
            return
        self._stopped = True
        if self._admin is not None:
            self._admin.close()
        if (self.data / "postmaster.pid").exists():
            with contextlib.suppress(PgUnavailable):
                self._run_pg_ctl("stop", "-m", "immediate")
        shutil.rmtree(self.folder, ignore_errors=True)


def main() -> int:
    """Start and stop a server once: say which PostgreSQL the tests will use, or why none.

    ``scripts/test`` runs this (``python -m tests.pg_server``) before pytest.
    Exit status 0 when the server started, 1 otherwise.
    """
    try:
        server = PgServer.start()
    except PgUnavailable as exc:
        print(f"PostgreSQL tests will be skipped: {exc}")
        return 1
    server.stop()
    print(f"PostgreSQL tests run on a throwaway server from {server.bindir}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
