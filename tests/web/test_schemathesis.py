"""Robustness: requests generated from the app's OpenAPI schema never get a 500.

Schemathesis (property-based, Hypothesis) sends a bounded number of generated requests
to every operation, with a valid token so the routes that store are exercised too.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from rampwise.app.store import create_token, open_database, prepare_database
from rampwise.app.web import create_app
from service_support import make_settings

MAX_EXAMPLES = 10

pytestmark = pytest.mark.slow
"""Generated requests per operation: enough to reach every route's error paths."""


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> tuple[FastAPI, str]:
    """An app on a migrated database with a token (the token is made before it starts)."""
    app_settings = make_settings(
        Path(tmp_path_factory.mktemp("schemathesis")), upload_max_bytes=200_000
    )
    database = open_database(app_settings)
    prepare_database(database)
    with database.write() as session:
        _, secret = create_token(session, name="schemathesis")
    database.dispose()
    return create_app(app_settings), secret


def _schema() -> schemathesis.BaseSchema:
    """The app's OpenAPI schema, read without starting an app (no database is touched).

    Requests go to the ``service`` fixture's app (``case.call(app=…)``), which runs on
    this test's temporary folder.
    """
    blueprint = create_app(make_settings(Path("never-started")))
    loaded = schemathesis.openapi.from_dict(blueprint.openapi())
    loaded.app = blueprint
    return loaded


schema = _schema()


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_no_generated_request_gets_a_server_error(
    case: schemathesis.Case, service: tuple[FastAPI, str]
) -> None:
    app, token = service
    case.call_and_validate(
        app=app, headers={"Authorization": f"Bearer {token}"}, checks=[not_a_server_error]
    )
