"""Helpers of the store and web tests: database URLs, app settings, job polling.

Each PostgreSQL test gets its own schema in the ``test`` database (dropped afterwards),
so parallel and concurrent runs never see each other's tables.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import yaml
from fastapi.testclient import TestClient

from rampwise.io.settings import Settings

POSTGRES_SERVER = "postgresql://postgres@127.0.0.1:5432/test"
"""The PostgreSQL server of the test suite (`.ci/run` starts it)."""

BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.db)]
"""Parameters for a fixture that runs a test on both databases."""


def postgres_unreachable() -> str | None:
    """Why the PostgreSQL test server cannot be used, or ``None`` when it can."""
    import psycopg

    try:
        with psycopg.connect(POSTGRES_SERVER, connect_timeout=3):
            return None
    except psycopg.Error as err:
        return str(err).strip().splitlines()[0]


@contextmanager
def database_url(backend: str, tmp_path: Path) -> Iterator[str]:
    """A SQLAlchemy URL of an empty database on ``backend``, removed afterwards."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'rampwise.db'}"
        return
    import psycopg

    reason = postgres_unreachable()
    if reason is not None:
        pytest.skip(f"PostgreSQL test server at 127.0.0.1:5432 unreachable: {reason}")
    schema = f"rw_test_{uuid.uuid4().hex[:16]}"
    with psycopg.connect(POSTGRES_SERVER, autocommit=True) as connection:
        connection.execute(f'CREATE SCHEMA "{schema}"')
    try:
        yield (
            f"postgresql+psycopg://postgres@127.0.0.1:5432/test?options=-csearch_path%3D{schema}"
        )
    finally:
        with psycopg.connect(POSTGRES_SERVER, autocommit=True) as connection:
            connection.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


UPLOAD_LIMIT_BYTES = 2_000_000
"""Upload limit of the test app [bytes]: the shared featuretype.STEP fits, 2 MB does not."""


def make_settings(tmp_path: Path, **overrides: Any) -> Settings:
    """Settings on a private data folder, independent of the caller's environment."""
    values: dict[str, Any] = {
        "data_dir": tmp_path / "data",
        "database_url": None,
        "redis_url": None,
        "upload_max_bytes": UPLOAD_LIMIT_BYTES,
        "analysis_timeout_s": 120.0,
        "open_reads": True,
    }
    values.update(overrides)
    return Settings(**values)


def example_document(examples_dir: Path, name: str) -> dict[str, Any]:
    """A bundled example as the JSON body the API takes (dates as text, no file paths)."""
    document = yaml.safe_load((examples_dir / name).read_text(encoding="utf-8"))
    document.pop("measurements", None)
    loaded: dict[str, Any] = json.loads(json.dumps(document, default=str))
    return loaded


def wait_for_job(client: TestClient, job_id: str, timeout_s: float = 120.0) -> dict[str, Any]:
    """Poll the status route until the job has finished (or the time is up)."""
    deadline = time.monotonic() + timeout_s
    while True:
        job: dict[str, Any] = client.get(f"/api/jobs/{job_id}").json()
        if job["status"] in ("done", "failed") or time.monotonic() > deadline:
            return job
        time.sleep(0.2)
