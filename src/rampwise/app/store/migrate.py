"""Alembic migrations, run programmatically so they work from an installed package.

The tables are made only by these migrations (STYLE.md point 14). ``rampwise db upgrade``
calls :func:`upgrade`; ``rampwise serve`` calls :func:`prepare_database`, which migrates
an empty database and refuses one that is behind, naming the command that fixes it.
"""

from __future__ import annotations

from importlib import resources

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect
from sqlalchemy.exc import SQLAlchemyError

from rampwise.app.store.database import Database, StoreError, display_url


def alembic_config(database: Database) -> Config:
    """An Alembic configuration pointing at the packaged ``store/migrations`` folder."""
    config = Config()
    config.set_main_option(
        "script_location", str(resources.files("rampwise.app.store") / "migrations")
    )
    config.set_main_option("sqlalchemy.url", database.url.replace("%", "%%"))
    return config


def head_revision(database: Database) -> str:
    """The newest migration shipped with this version."""
    head = _scripts(database).get_current_head()
    if head is None:  # pragma: no cover - the package always ships migrations
        raise StoreError("no migrations found in the installed package")
    return head


def current_revision(database: Database) -> str | None:
    """The migration the database is at, ``None`` for an empty database.

    Raises
    ------
    StoreError
        If the database cannot be reached.
    """
    database.check()
    with database.engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def upgrade(database: Database, revision: str = "head") -> str:
    """Migrate the database to ``revision`` (default: the newest) and return where it is.

    Runs in one transaction on PostgreSQL and SQLite alike, so a failed migration leaves
    the schema as it was.

    Raises
    ------
    StoreError
        If the database cannot be reached or a migration fails.
    """
    database.check()
    config = alembic_config(database)
    try:
        with database.write_engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, revision)
    except SQLAlchemyError as err:
        reason = str(getattr(err, "orig", None) or err).strip().splitlines()[0]
        raise StoreError(f"migration of {display_url(database.url)} failed: {reason}") from None
    return current_revision(database) or ""


def prepare_database(database: Database) -> str:
    """Make the database usable at start-up: migrate it if empty, check it otherwise.

    Returns
    -------
    str
        The migration the database is at (the head).

    Raises
    ------
    StoreError
        If the database is unreachable, holds foreign tables without a migration
        record, or is at an older migration (run ``rampwise db upgrade``).
    """
    current = current_revision(database)
    head = head_revision(database)
    if current == head:
        return head
    if current is None:
        with database.engine.connect() as connection:
            tables = inspect(connection).get_table_names()
        if tables:
            # Another process may have committed its migration since the revision was
            # read: its tables and its record arrive in one transaction.
            if current_revision(database) == head:
                return head
            raise StoreError(
                f"database {display_url(database.url)} holds tables but no rampwise "
                f"migration record ({', '.join(sorted(tables)[:5])}); use an empty database"
            )
        try:
            return upgrade(database)
        except StoreError:
            if current_revision(database) == head:  # another process migrated it meanwhile
                return head
            raise
    known = {script.revision for script in _scripts(database).walk_revisions()}
    if current not in known:
        raise StoreError(
            f"database {display_url(database.url)} is at migration {current}, made by a "
            "newer rampwise; upgrade rampwise"
        )
    raise StoreError(
        f"database {display_url(database.url)} is at migration {current}, this version "
        f"needs {head}: run `rampwise db upgrade`"
    )


def _scripts(database: Database) -> ScriptDirectory:
    return ScriptDirectory.from_config(alembic_config(database))
