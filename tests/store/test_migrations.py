"""The schema is made only by the Alembic migrations, on SQLite and PostgreSQL alike."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text

from rampwise.app.store import (
    Database,
    StoreError,
    current_revision,
    head_revision,
    migrate,
    prepare_database,
    upgrade,
)
from rampwise.app.store.migrate import alembic_config
from rampwise.app.store.tables import Base

TABLES = {
    "stored_files",
    "projects",
    "part_revisions",
    "assessments",
    "quotes",
    "inspection_records",
    "measurement_batches",
    "measurement_values",
    "gauge_studies",
    "api_tokens",
    "jobs",
}


def test_upgrade_of_an_empty_database_reaches_head_and_matches_the_models(
    empty_database: Database,
) -> None:
    assert current_revision(empty_database) is None
    assert upgrade(empty_database) == head_revision(empty_database)
    with empty_database.engine.connect() as connection:
        assert set(inspect(connection).get_table_names()) >= TABLES
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []


def test_the_models_create_no_table_themselves(empty_database: Database) -> None:
    """Opening the store and reading never creates tables: only migrations do."""
    with empty_database.engine.connect() as connection:
        assert inspect(connection).get_table_names() == []


def test_downgrade_to_base_and_upgrade_again(database: Database) -> None:
    config = alembic_config(database)
    with database.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "base")
    with database.engine.connect() as connection:
        assert set(inspect(connection).get_table_names()) <= {"alembic_version"}
    assert upgrade(database) == head_revision(database)


def test_prepare_migrates_an_empty_database_and_leaves_a_current_one(
    empty_database: Database,
) -> None:
    head = head_revision(empty_database)
    assert prepare_database(empty_database) == head
    assert prepare_database(empty_database) == head


def test_prepare_refuses_a_database_with_foreign_tables(empty_database: Database) -> None:
    with empty_database.engine.begin() as connection:
        connection.execute(text("CREATE TABLE customers (id INTEGER PRIMARY KEY)"))
    with pytest.raises(StoreError, match="holds tables but no rampwise migration record"):
        prepare_database(empty_database)


def test_prepare_refuses_a_database_from_a_newer_version(database: Database) -> None:
    with database.engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    with pytest.raises(StoreError, match="made by a newer rampwise"):
        prepare_database(database)


def test_unreachable_server_is_one_line_without_the_password(tmp_path: Path) -> None:
    # Port 9 (discard) on loopback has no PostgreSQL server.
    database = Database("postgresql+psycopg://rampwise:s3cret@127.0.0.1:9/none", data_dir=tmp_path)
    with pytest.raises(StoreError) as caught:
        prepare_database(database)
    message = str(caught.value)
    assert message.startswith("database unreachable at postgresql+psycopg://rampwise:***@")
    assert "s3cret" not in message
    assert "\n" not in message


def test_sqlite_runs_in_wal_mode_with_a_busy_timeout(tmp_path: Path) -> None:
    database = Database(f"sqlite:///{tmp_path / 'wal.db'}", data_dir=tmp_path)
    with database.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 10_000
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    database.dispose()


def test_migrations_are_found_inside_the_installed_package(tmp_path: Path) -> None:
    database = Database(f"sqlite:///{tmp_path / 'x.db'}", data_dir=tmp_path)
    location = Path(alembic_config(database).get_main_option("script_location") or "")
    assert (location / "env.py").is_file()
    assert any((location / "versions").glob("*.py"))
    assert location.parent.name == "store" and location.parent.parent.name == "app"


def test_processes_starting_together_on_an_empty_database_all_start(
    url: str, tmp_path: Path
) -> None:
    """Three server processes migrate the same empty database at once: none fails."""
    program = (
        "import sys; from pathlib import Path; "
        "from rampwise.app.store import Database, prepare_database; "
        "print(prepare_database(Database(sys.argv[1], data_dir=Path(sys.argv[2]))))"
    )
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", program, url, str(tmp_path)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(3)
    ]
    outcomes = [process.communicate(timeout=120) for process in processes]
    database = Database(url, data_dir=tmp_path)
    head = head_revision(database)
    assert current_revision(database) == head
    database.dispose()
    assert [
        (out.strip(), process.returncode)
        for (out, _), process in zip(outcomes, processes, strict=True)
    ] == [(head, 0)] * 3, [err for _, err in outcomes]


def test_a_migration_committed_between_the_two_looks_is_accepted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The revision is read (empty), then another process commits its migration, then the
    tables are listed: the tables are that process's, not foreign ones."""
    database = Database(f"sqlite:///{tmp_path / 'race.db'}", data_dir=tmp_path)
    head = upgrade(database)  # the other process's committed migration
    real = migrate.current_revision
    calls: list[str | None] = []

    def first_read_before_the_commit(db: Database) -> str | None:
        calls.append(None if not calls else real(db))
        return calls[-1]

    monkeypatch.setattr(migrate, "current_revision", first_read_before_the_commit)
    assert prepare_database(database) == head
    database.dispose()
