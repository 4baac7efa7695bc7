"""Fixtures of the web tests: an app on a temporary data folder, a token, documents."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from rampwise.app.store import create_token
from rampwise.app.web import create_app
from rampwise.io.settings import Settings
from service_support import example_document, make_settings, wait_for_job


@pytest.fixture
def settings_factory(tmp_path: Path) -> Callable[..., Settings]:
    """``settings_factory(open_reads=False)``: settings on this test's data folder."""
    return lambda **overrides: make_settings(tmp_path, **overrides)


@pytest.fixture
def settings(settings_factory: Callable[..., Settings]) -> Settings:
    return settings_factory()


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings)) as test_client:
        yield test_client


@pytest.fixture
def token(client: TestClient) -> str:
    """A valid API token's secret."""
    database = client.app.state.services.database  # type: ignore[attr-defined]
    with database.write() as session:
        _, secret = create_token(session, name="tests")
    return secret


@pytest.fixture
def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def document(examples_dir: Path) -> dict[str, Any]:
    """The bracket fit-check example (3 pcs for a fit check: a prototype order)."""
    return example_document(examples_dir, "bracket_fit_check.yaml")


@pytest.fixture
def job_waiter(client: TestClient) -> Callable[[str], dict[str, Any]]:
    return lambda job_id: wait_for_job(client, job_id)
