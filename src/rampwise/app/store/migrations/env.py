"""Alembic environment of the rampwise store.

Run programmatically by :func:`rampwise.app.store.migrate.upgrade`, which hands over an open
connection in ``config.attributes["connection"]``; the ``sqlalchemy.url`` option is the
fallback for running ``alembic`` by hand during development.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from rampwise.app.store.database import make_engine
from rampwise.app.store.tables import Base

config = context.config
target_metadata = Base.metadata


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = make_engine(config.get_main_option("sqlalchemy.url") or "")
    with engine.connect() as fresh:
        _run(fresh)
    engine.dispose()


if context.is_offline_mode():
    raise SystemExit("offline (SQL script) migrations are not supported")
run_migrations_online()
