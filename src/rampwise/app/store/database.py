"""Connections and transactions: SQLite by default, PostgreSQL by URL.

SQLite runs in WAL mode with a busy timeout so readers never block the writer and
concurrent writers wait for each other instead of failing; every write transaction
starts with ``BEGIN IMMEDIATE`` so two writers cannot both read and then deadlock on the
upgrade to a write lock (the SQLAlchemy "pysqlite serializable" recipe). PostgreSQL
needs nothing special.

Writes go through :meth:`Database.write`: one transaction that commits when the block
ends and rolls back on any exception, so a failed upload or analysis leaves nothing
half-written.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, make_url, text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from rampwise.core.errors import RampwiseError

SQLITE_BUSY_TIMEOUT_MS = 10_000
"""How long a SQLite writer waits for the lock before giving up [ms]."""

POSTGRES_CONNECT_TIMEOUT_S = 5
"""How long to wait for a PostgreSQL server to answer [s]."""

_WRITE_OPTION = "rampwise_write"


class StoreError(RampwiseError):
    """The database cannot be used (unreachable, wrong schema version, bad URL)."""


class RecordNotFoundError(RampwiseError, LookupError):
    """A record asked for by id does not exist.

    Parameters
    ----------
    kind
        What was looked for (``"project"``, ``"batch"`` …).
    key
        The id asked for.
    """

    def __init__(self, kind: str, key: object) -> None:
        self.kind = kind
        self.key = key
        super().__init__(f"{kind} {key} not found")


def display_url(url: str) -> str:
    """The URL with any password masked, for messages."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # an unparsable URL is reported by make_engine
        return url


def make_engine(url: str) -> Engine:
    """Create the engine for ``url``, with SQLite's WAL, busy timeout and foreign keys.

    Parameters
    ----------
    url
        SQLAlchemy URL (``sqlite:///path`` or ``postgresql+psycopg://…``).

    Raises
    ------
    StoreError
        If the URL cannot be parsed or names a driver that is not installed.
    """
    try:
        parsed = make_url(url)
    except Exception as err:
        raise StoreError(f"database URL cannot be read: {url!r}") from err
    connect_args: dict[str, Any] = {}
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        connect_args["check_same_thread"] = False
    elif parsed.get_backend_name() == "postgresql":
        connect_args["connect_timeout"] = POSTGRES_CONNECT_TIMEOUT_S
    try:
        engine = create_engine(parsed, connect_args=connect_args, pool_pre_ping=True)
    except Exception as err:
        raise StoreError(f"database URL {display_url(url)} cannot be used: {err}") from err
    if engine.dialect.name == "sqlite":
        _configure_sqlite(engine)
    return engine


def _configure_sqlite(engine: Engine) -> None:
    """WAL, busy timeout, foreign keys, and explicit BEGIN (IMMEDIATE for writes)."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # SQLAlchemy emits BEGIN itself
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        _ensure_wal(cursor)
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        immediate = connection.get_execution_options().get(_WRITE_OPTION, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def _ensure_wal(cursor: Any) -> None:
    """Switch the file to WAL once (it stays so); wait while another process switches it.

    Changing the journal mode needs the database to itself and does not wait on the busy
    timeout, so processes opening a new file together retry here for up to that long.
    """
    import sqlite3

    deadline = time.monotonic() + SQLITE_BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            if cursor.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                cursor.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


class Database:
    """The store's engine and session factories.

    Parameters
    ----------
    url
        SQLAlchemy URL of the database.
    data_dir
        Folder for uploaded files (kept by content hash under ``files/``).
    """

    def __init__(self, url: str, *, data_dir: Path) -> None:
        self.url = url
        self.data_dir = data_dir
        self.engine = make_engine(url)
        self.write_engine = self.engine.execution_options(**{_WRITE_OPTION: True})
        """The engine for writes (on SQLite, transactions begin IMMEDIATE)."""
        self._read = sessionmaker(self.engine, expire_on_commit=False)
        self._write = sessionmaker(self.write_engine, expire_on_commit=False)

    @property
    def files_dir(self) -> Path:
        """Where uploaded files are kept."""
        return self.data_dir / "files"

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One write transaction: commit at the end of the block, roll back on error."""
        with self._write() as session, session.begin():
            yield session

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A read-only session (its transaction is rolled back at the end)."""
        with self._read() as session:
            yield session

    def check(self) -> None:
        """Open a connection and run ``SELECT 1``.

        Raises
        ------
        StoreError
            If the database cannot be reached, with the masked URL and the reason.
        """
        try:
            with self.engine.connect() as connection:
                connection.execute(text("SELECT 1"))
        except SQLAlchemyError as err:
            reason = str(getattr(err, "orig", None) or err).strip().splitlines()[0]
            raise StoreError(f"database unreachable at {display_url(self.url)}: {reason}") from None

    def dispose(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()
