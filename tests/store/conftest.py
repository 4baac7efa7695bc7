"""Fixtures of the store tests: a migrated database on SQLite and on PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from rampwise.app.store import Database, upgrade
from service_support import BACKENDS, database_url


@pytest.fixture(params=BACKENDS)
def url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """URL of an empty database, once per backend."""
    with database_url(request.param, tmp_path) as value:
        yield value


@pytest.fixture
def empty_database(url: str, tmp_path: Path) -> Iterator[Database]:
    """An empty (not migrated) database."""
    database = Database(url, data_dir=tmp_path)
    yield database
    database.dispose()


@pytest.fixture
def database(empty_database: Database) -> Database:
    """A database migrated to the newest schema."""
    upgrade(empty_database)
    return empty_database
