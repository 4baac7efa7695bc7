"""The service across restarts, on both databases, with the Redis job queue, from the CLI."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from rampwise.app.cli import app as cli_app
from rampwise.app.store import (
    create_job,
    create_token,
    get_job,
    open_database,
    prepare_database,
    save_bytes,
    verify_token,
)
from rampwise.app.store.records import FileKind
from rampwise.app.web import create_app
from rampwise.app.web.jobs import RedisQueue
from rampwise.app.web.tasks import JobKind, blob_meta
from rampwise.io.settings import Settings, get_settings
from service_support import BACKENDS, database_url, make_settings

REDIS_URL = "redis://127.0.0.1:6379/0"


@pytest.fixture(params=BACKENDS)
def backend_settings(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Settings]:
    with database_url(request.param, tmp_path) as url:
        yield make_settings(tmp_path, database_url=url)


def test_everything_is_found_after_the_app_restarts(
    backend_settings: Settings, document: dict[str, Any]
) -> None:
    with TestClient(create_app(backend_settings)) as first:
        database = first.app.state.services.database  # type: ignore[attr-defined]
        with database.write() as session:
            _, secret = create_token(session, name="restart")
        auth = {"Authorization": f"Bearer {secret}"}
        project_id = first.post("/api/projects", json=document, headers=auth).json()["id"]
        first.post(
            f"/api/projects/{project_id}/revisions",
            json={**document, "quantity": 60, "purpose": "pilot_run"},
            headers=auth,
        )
    with TestClient(create_app(backend_settings)) as second:
        project = second.get(f"/api/projects/{project_id}").json()
        assert project["revision_count"] == 2
        assert project["latest_assessment"]["stage"] == "low_volume"
        history = second.get(f"/api/projects/{project_id}/history").json()
        assert [h["assessment"]["stage"] for h in history] == ["prototype", "low_volume"]
        # The token made before the restart still works.
        again = second.post("/api/projects", json=document, headers=auth)
        assert again.status_code == 201


def _redis_unreachable() -> str | None:
    from redis import Redis
    from redis.exceptions import RedisError

    try:
        Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except RedisError as err:
        return str(err)
    return None


@pytest.mark.db
def test_jobs_run_on_the_redis_queue(
    tmp_path: Path, examples_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A job queued on Redis is taken by a worker that shares the database."""
    reason = _redis_unreachable()
    if reason is not None:
        pytest.skip(f"Redis at 127.0.0.1:6379 unreachable: {reason}")
    from rq import SimpleWorker

    settings = make_settings(tmp_path, redis_url=REDIS_URL)
    monkeypatch.setenv("RAMPWISE_DATA_DIR", str(settings.data_dir))
    monkeypatch.delenv("RAMPWISE_DATABASE_URL", raising=False)
    get_settings.cache_clear()
    database = open_database(settings)
    prepare_database(database)
    blob = save_bytes(
        (examples_dir / "measurements" / "sensor_housing_bore.csv").read_bytes(),
        files_dir=database.files_dir,
        original_name="bore.csv",
        allowed=(FileKind.MEASUREMENTS,),
    )
    with database.write() as session:
        job = create_job(
            session,
            kind=JobKind.IMPORT_BATCH.value,
            payload={
                "file": blob_meta(blob),
                "name": "redis lot",
                "project_id": None,
                "spec": {"lsl": 11.995, "usl": 12.005},
                "document": None,
            },
        )
    queue = RedisQueue(REDIS_URL, settings, name=f"rampwise-test-{uuid.uuid4().hex}")
    try:
        queue.submit(job.id)
        SimpleWorker([queue.queue], connection=queue.connection).work(burst=True)
    finally:
        queue.queue.delete(delete_jobs=True)
        queue.shutdown()
        get_settings.cache_clear()
    with database.read() as session:
        done = get_job(session, job_id=job.id)
    database.dispose()
    assert done.status == "done", done.error
    assert done.result_path is not None and done.result_path.startswith("/batches/")


def test_token_create_prints_the_token_as_its_last_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RAMPWISE_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("RAMPWISE_DATABASE_URL", raising=False)
    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(cli_app, ["token", "create", "ci robot"])
        settings = get_settings()
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 0, result.stderr
    secret = result.stdout.strip().splitlines()[-1]
    database = open_database(settings)
    with database.read() as session:
        token = verify_token(session, secret=secret)
    database.dispose()
    assert token is not None and token.name == "ci robot"


def test_db_upgrade_migrates_and_says_where(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RAMPWISE_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("RAMPWISE_DATABASE_URL", raising=False)
    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(cli_app, ["db", "upgrade"])
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 0, result.stderr
    assert (
        result.stdout.strip() == f"database sqlite:///{tmp_path / 'rampwise.db'} at migration 0003"
    )


@pytest.mark.parametrize("command", [["serve"], ["db", "upgrade"], ["token", "create", "x"]])
def test_an_unreachable_database_is_one_line_at_start(
    monkeypatch: pytest.MonkeyPatch, command: list[str]
) -> None:
    # Port 9 (discard) on loopback has no PostgreSQL server.
    monkeypatch.setenv("RAMPWISE_DATABASE_URL", "postgresql+psycopg://rw:secret@127.0.0.1:9/x")
    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(cli_app, command)
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(
        "error: database unreachable at postgresql+psycopg://rw:***@127.0.0.1:9/x"
    )


def test_serve_migrates_an_empty_database_then_starts_the_server(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from rampwise.app.web import serving

    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(
        serving, "serve", lambda target, **kwargs: calls.append({"target": target, **kwargs})
    )
    monkeypatch.setenv("RAMPWISE_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("RAMPWISE_DATABASE_URL", raising=False)
    monkeypatch.delenv("RAMPWISE_REDIS_URL", raising=False)
    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(cli_app, ["serve", "--port", "8123", "--workers", "3"])
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 0, result.stderr
    assert calls == [
        {
            "target": "rampwise.app.web.app:create_app",
            "factory": True,
            "host": "127.0.0.1",
            "port": 8123,
            "workers": 3,
        }
    ]
    assert (tmp_path / "rampwise.db").is_file()
    assert "rampwise on http://127.0.0.1:8123" in result.stderr
