"""The JSON API: one pipeline with the CLI, tokens for writes, the CLI's error lines."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from rampwise.app.cli import app as cli_app
from rampwise.app.store import create_token
from rampwise.app.web import create_app
from rampwise.io.settings import Settings

PROJECTS = "/api/projects"


def project_count(client: TestClient) -> int:
    return len(client.get(PROJECTS).json())


def cli_error_line(tmp_path: Path, document: dict[str, Any]) -> str:
    """What ``rampwise assess`` prints on stderr for this document, without ``error: ``."""
    path = tmp_path / "project.yaml"
    path.write_text(yaml.safe_dump(document), encoding="utf-8")
    result = CliRunner().invoke(cli_app, ["assess", str(path)])
    assert result.exit_code == 2
    line = result.stderr.strip()
    assert line.startswith("error: ")
    return line.removeprefix("error: ")


def test_health_answers_ok_once_the_database_is_reachable(client: TestClient) -> None:
    assert client.get("/api/health").json() == {"status": "ok"}


def test_the_docs_pages_load_nothing_from_outside(client: TestClient) -> None:
    """Swagger UI and ReDoc come from the package: a shop network may have no internet."""
    for path in ("/docs", "/redoc"):
        page = client.get(path).text
        assets = re.findall(r'(?:src|href)="([^"]+)"', page)
        assert assets and all(url.startswith("/") for url in assets), (path, assets)
        for url in assets:
            assert client.get(url).status_code == 200, url


def test_assess_returns_what_the_cli_prints(
    client: TestClient, document: dict[str, Any], examples_dir: Path
) -> None:
    """One pipeline: the API's Assessment equals ``rampwise assess --json``."""
    cli = CliRunner().invoke(
        cli_app, ["assess", str(examples_dir / "bracket_fit_check.yaml"), "--json"]
    )
    assert cli.exit_code == 0, cli.stderr
    response = client.post("/api/assess", json=document)
    assert response.status_code == 200
    assert response.json() == json.loads(cli.stdout)
    # Seed 000: three pieces for a fit check are a prototype order.
    assert response.json()["stage"] == "prototype"
    assert project_count(client) == 0


EXAMPLES = sorted(
    path.name
    for path in (Path(__file__).parents[2] / "src" / "rampwise" / "examples").glob("*.yaml")
)


def wire_document(path: Path) -> dict[str, Any]:
    """A bundled example as the API takes it: JSON values, without the files it names.

    The wire document names no file on the server (``part.cad``, ``measurements``,
    ``gauge_studies`` are refused with 422), so those fields are left out.
    """
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    document.pop("measurements", None)
    document.pop("gauge_studies", None)
    document["part"].pop("cad", None)
    loaded: dict[str, Any] = json.loads(json.dumps(document, default=str))
    return loaded


@pytest.mark.parametrize("name", EXAMPLES)
def test_the_cli_the_api_and_the_store_give_one_answer(
    client: TestClient, auth: dict[str, str], examples_dir: Path, tmp_path: Path, name: str
) -> None:
    """``rampwise assess P --json``, ``POST /api/assess`` with the same document, and the
    stored assessment read back from ``GET /api/projects/{id}`` are equal but for the date.

    An example naming files is assessed by the CLI as the document the API takes (a copy
    without those fields); the others are assessed from the bundled file itself.
    """
    path = examples_dir / name
    document = wire_document(path)
    as_written = json.loads(
        json.dumps(yaml.safe_load(path.read_text(encoding="utf-8")), default=str)
    )
    if document != as_written:
        path = tmp_path / name
        path.write_text(yaml.safe_dump(document), encoding="utf-8")
    cli = CliRunner().invoke(cli_app, ["assess", str(path), "--json"])
    assert cli.exit_code == 0, cli.stderr
    assessed = client.post("/api/assess", json=document)
    assert assessed.status_code == 200, assessed.text
    created = client.post(PROJECTS, json=document, headers=auth)
    assert created.status_code == 201, created.text
    project = client.get(f"{PROJECTS}/{created.json()['id']}").json()
    answers = {
        "cli": json.loads(cli.stdout),
        "api": assessed.json(),
        "stored": project["latest_assessment"]["result"],
        "stored by id": client.get(f"/api/assessments/{project['latest_assessment']['id']}").json()[
            "result"
        ],
    }
    for answer in answers.values():
        answer.pop("assessed_on")
    assert answers["api"] == answers["cli"]
    assert answers["stored"] == answers["cli"]
    assert answers["stored by id"] == answers["cli"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"quantity": -3}, "quantity"),
        ({"purpose": "world_domination"}, "purpose"),
        ({"quantity": "many"}, "quantity"),
    ],
)
def test_a_bad_field_is_422_with_the_clis_message(
    client: TestClient, document: dict[str, Any], tmp_path: Path, change: dict[str, Any], field: str
) -> None:
    bad = {**document, **change}
    response = client.post("/api/assess", json=bad)
    assert response.status_code == 422
    assert response.json()["detail"] == cli_error_line(tmp_path, bad)
    assert response.json()["field"] == field


def test_a_bad_material_is_422_naming_the_field(
    client: TestClient, document: dict[str, Any]
) -> None:
    bad = {**document, "part": {**document["part"], "material": "unobtainium"}}
    response = client.post("/api/assess", json=bad)
    assert response.status_code == 422
    assert response.json()["detail"].startswith("part.material: unknown material 'unobtainium'")


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        (b"{not json", "body: malformed JSON at line 1 column 2"),
        (b"", "body: is empty"),
        (b"[1, 2]", "project file: must be a mapping of fields"),
        (b'{"project": "\xff"}', "body: is not UTF-8 text"),
    ],
)
def test_malformed_json_is_422(client: TestClient, body: bytes, detail: str) -> None:
    response = client.post(
        "/api/assess", content=body, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 422
    assert response.json()["detail"].startswith(detail)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"measurements": "/etc/passwd"}, "measurements"),
        ({"part": {"cad": "/etc/passwd"}}, "part.cad"),
        ({"gauge_studies": {"1": "/etc/passwd"}}, "gauge_studies"),
    ],
)
def test_a_path_on_the_server_is_refused(
    client: TestClient, document: dict[str, Any], change: dict[str, Any], field: str
) -> None:
    bad = {**document, **change}
    if "part" in change:
        bad["part"] = {**document["part"], **change["part"]}
    response = client.post("/api/assess", json=bad)
    assert response.status_code == 422
    assert (
        response.json()["detail"] == f"{field}: names a file on the server; upload the file instead"
    )


@pytest.mark.parametrize(
    "headers", [{}, {"Authorization": "Bearer rw_wrong"}, {"Authorization": "Basic abc"}]
)
def test_writes_need_a_valid_token_and_nothing_is_written_without(
    client: TestClient, document: dict[str, Any], headers: dict[str, str]
) -> None:
    for path, body in ((PROJECTS, document), (f"{PROJECTS}/1/revisions", document)):
        response = client.post(path, json=body, headers=headers)
        assert response.status_code == 401
        assert response.headers["WWW-Authenticate"] == "Bearer"
        assert response.json()["detail"].startswith("authorization: ")
    malformed = client.post(PROJECTS, content=b"{", headers=headers)
    assert malformed.status_code == 401
    upload = client.post(
        "/api/uploads",
        files={"file": ("p.step", b"ISO-10303-21;")},
        data={"quantity": "3", "purpose": "fit_check"},
        headers=headers,
    )
    assert upload.status_code == 401
    assert project_count(client) == 0
    database = client.app.state.services.database  # type: ignore[attr-defined]
    assert not any(database.files_dir.rglob("*.step"))


def test_create_read_revise_a_project(
    client: TestClient, document: dict[str, Any], auth: dict[str, str]
) -> None:
    created = client.post(PROJECTS, json=document, headers=auth)
    assert created.status_code == 201
    project_id = created.json()["id"]
    assert created.headers["Location"] == f"{PROJECTS}/{project_id}"
    read = client.get(f"{PROJECTS}/{project_id}").json()
    assert read["latest_assessment"]["stage"] == "prototype"
    assert read["latest_assessment"]["result"]["project"] == "Mounting bracket fit check"
    revised = client.post(
        f"{PROJECTS}/{project_id}/revisions",
        json={**document, "quantity": 60, "purpose": "pilot_run"},
        headers=auth,
    )
    assert revised.status_code == 201
    changes = {c["what"]: [c["before"], c["after"]] for c in revised.json()["changes"]}
    # Seed 001: dozens of parts for a pilot run are low volume.
    assert changes["stage"] == ["prototype", "low_volume"]
    history = client.get(f"{PROJECTS}/{project_id}/history").json()
    assert [h["revision"]["number"] for h in history] == [1, 2]
    assert len(client.get(f"{PROJECTS}/{project_id}/revisions").json()) == 2
    assert (
        client.get(f"{PROJECTS}/{project_id}").json()["latest_assessment"]["stage"] == "low_volume"
    )
    assessment_id = history[1]["assessment"]["id"]
    assert client.get(f"/api/assessments/{assessment_id}").json()["stage"] == "low_volume"


def test_a_bad_revision_writes_nothing(
    client: TestClient, document: dict[str, Any], auth: dict[str, str]
) -> None:
    project_id = client.post(PROJECTS, json=document, headers=auth).json()["id"]
    response = client.post(
        f"{PROJECTS}/{project_id}/revisions", json={**document, "quantity": 0}, headers=auth
    )
    assert response.status_code == 422
    assert len(client.get(f"{PROJECTS}/{project_id}/revisions").json()) == 1


@pytest.mark.parametrize(
    "path",
    [
        "/api/projects/999",
        "/api/projects/999/history",
        "/api/projects/999/revisions",
        "/api/assessments/999",
        "/api/batches/999",
        "/api/jobs/0123456789abcdef0123456789abcdef",
    ],
)
def test_an_unknown_id_is_404(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404
    assert response.json()["detail"].endswith("not found")


def test_a_revision_of_an_unknown_project_is_404(
    client: TestClient, document: dict[str, Any], auth: dict[str, str]
) -> None:
    assert client.post(f"{PROJECTS}/999/revisions", json=document, headers=auth).status_code == 404


@pytest.mark.parametrize(
    "path", ["/api/projects/0", "/api/projects/abc", "/api/projects/99999999999"]
)
def test_a_malformed_id_is_422(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 422
    assert response.json()["detail"].startswith("project_id: ")


def test_reads_can_be_closed_by_configuration(
    settings_factory: Callable[..., Settings], document: dict[str, Any]
) -> None:
    closed = settings_factory(open_reads=False)
    with TestClient(create_app(closed)) as client:
        assert client.get(PROJECTS).status_code == 401
        assert client.post("/api/assess", json=document).status_code == 401
        assert client.get("/api/health").status_code == 200
        database = client.app.state.services.database  # type: ignore[attr-defined]
        with database.write() as session:
            _, secret = create_token(session, name="reader")
        assert client.get(PROJECTS, headers={"Authorization": f"Bearer {secret}"}).json() == []


def test_the_openapi_schema_documents_the_project_document(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    body = schema["paths"]["/api/assess"]["post"]["requestBody"]["content"]["application/json"]
    assert body["schema"] == {"$ref": "#/components/schemas/DocumentProject"}
    project = schema["components"]["schemas"]["DocumentProject"]
    assert {"project", "part", "quantity", "purpose", "unit"} <= set(project["properties"])
    assert "measurements" not in project["properties"]
    assert "gauge_studies" not in project["properties"]
    assert project["additionalProperties"] is False
    part = schema["components"]["schemas"]["DocumentPart"]
    assert "cad" not in part["properties"]
    assert part["properties"]["material"]["type"] == "string"
    assert "DocumentMaterial" not in schema["components"]["schemas"]
    assert not any(path.startswith("/projects") for path in schema["paths"])


def test_the_wire_document_is_the_projects_fields_without_server_paths() -> None:
    """The body's model follows the domain's: every field but the paths, and a unit."""
    from rampwise.app.web.documents import PartDocument, ProjectDocument
    from rampwise.core.model import Part, Project

    assert set(ProjectDocument.model_fields) == (
        set(Project.model_fields) - {"measurements", "gauge_studies"}
    ) | {"unit"}
    assert set(PartDocument.model_fields) == set(Part.model_fields) - {"cad"}
    assert ProjectDocument.model_fields["part"].annotation is PartDocument
