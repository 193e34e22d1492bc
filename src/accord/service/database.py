"""Engines, transactions and migrations for SQLite (embedded default) and PostgreSQL.

SQLite runs in WAL mode with ``synchronous=FULL`` (a write acknowledged after commit
survives a crash of the process or the machine) and a busy timeout; every write
transaction starts with ``BEGIN IMMEDIATE`` so that concurrent writers queue on the
lock instead of failing on a stale snapshot. PostgreSQL write transactions lock the
case row (``SELECT … FOR UPDATE``) before appending to its audit chain. Every request
that changes anything is one transaction, so a write is either all there or absent.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.orm import Session

from accord.errors import AccordError

__all__ = ["Database", "migrate", "normalise_url"]

_MIGRATIONS = Path(__file__).parent / "migrations"
_MIGRATION_LOCK = 7_324_617  # an arbitrary advisory-lock id for PostgreSQL migrations


def normalise_url(url: str) -> str:
    """``postgresql://`` → the psycopg 3 driver; SQLite and PostgreSQL only."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise AccordError(
            f"--db: {url!r} is not a database URL (expected sqlite:///FILE or postgresql://…)"
        ) from None
    if parsed.get_backend_name() == "postgresql":
        return str(parsed.set(drivername="postgresql+psycopg").render_as_string(False))
    if parsed.get_backend_name() == "sqlite":
        if parsed.database in (None, "", ":memory:"):
            raise AccordError("--db: an SQLite database must be a file (sqlite:///FILE)")
        return url
    raise AccordError(f"--db: unsupported database {parsed.get_backend_name()!r}")


def _sqlite_engine(url: str) -> Engine:
    engine = create_engine(
        url,
        connect_args={"timeout": 60, "check_same_thread": False},
        pool_size=20,
        max_overflow=20,
    )

    @event.listens_for(engine, "connect")
    def _configure(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves (below)
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=60000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection: Any) -> None:
        write = connection.get_execution_options().get("accord_write", False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    return engine


class Database:
    """One engine and its two kinds of transaction: read and write."""

    def __init__(self, url: str) -> None:
        self.url = normalise_url(url)
        self.is_sqlite = self.url.startswith("sqlite")
        if self.is_sqlite:
            self.engine = _sqlite_engine(self.url)
        else:
            self.engine = create_engine(self.url, pool_size=20, max_overflow=20, pool_pre_ping=True)
        self._writer = self.engine.execution_options(accord_write=True)
        self._sqlite_writer = threading.Lock()

    @contextmanager
    def read(self) -> Iterator[Session]:
        with Session(self.engine, expire_on_commit=False) as session, session.begin():
            yield session

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One transaction: committed when the block ends, rolled back on any error.

        On SQLite the threads of one process queue on a lock first: only one writer at a
        time can hold the database anyway, and SQLite's own busy handler makes waiters
        sleep in growing steps, which wastes most of the time under contention.
        """
        with (
            self._sqlite_writer if self.is_sqlite else nullcontext(),
            Session(self._writer, expire_on_commit=False) as session,
            session.begin(),
        ):
            yield session

    def dispose(self) -> None:
        self.engine.dispose()


def migrate(database: Database) -> None:
    """Apply every Alembic migration not yet applied (idempotent; safe to race on
    PostgreSQL, where an advisory lock serialises concurrent starts)."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(_MIGRATIONS))
    with database._writer.begin() as connection:
        if not database.is_sqlite:
            connection.execute(text(f"SELECT pg_advisory_xact_lock({_MIGRATION_LOCK})"))
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
