"""Evidence through the API: a project's batch and gauge study reach its readiness gate.

The sensor housing of seed 003 (bore Ø12 ±0.005 mm, critical; 40 measured parts whose X̄
chart flags points; a gauge at 27.9 %GRR). Uploaded to a stored project, its files give
the assessment ``rampwise assess`` gives for the project file naming them, and
``rampwise.api.assess(project, evidence=…)`` gives with the stored values.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from rampwise.api import Evidence, assess
from rampwise.app.cli import app as cli_app
from rampwise.geometry.models import PartGeometry
from rampwise.io.project_file import project_from_mapping
from rampwise.quality.batch import BatchResult
from rampwise.quality.msa import GaugeRRResult

EXAMPLE = "sensor_housing_pilot.yaml"


def wire_document(path: Path) -> dict[str, Any]:
    """The example as the API takes it: no file paths, JSON values."""
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    document.pop("measurements")
    document.pop("gauge_studies")
    loaded: dict[str, Any] = json.loads(json.dumps(document, default=str))
    return loaded


def undated(result: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in result.items() if key != "assessed_on"}


def area(result: dict[str, Any], name: str) -> dict[str, Any]:
    found: dict[str, Any] = next(a for a in result["readiness"]["areas"] if a["area"] == name)
    return found


def cli_assessment(path: Path) -> dict[str, Any]:
    """``rampwise assess PATH --json``."""
    cli = CliRunner().invoke(cli_app, ["assess", str(path), "--json"])
    assert cli.exit_code == 0, cli.stderr
    result: dict[str, Any] = json.loads(cli.stdout)
    return result


@pytest.fixture
def housing(
    client: TestClient, auth: dict[str, str], examples_dir: Path
) -> tuple[int, dict[str, Any]]:
    """The sensor housing stored as a project (its id and the document sent)."""
    document = wire_document(examples_dir / EXAMPLE)
    response = client.post("/api/projects", json=document, headers=auth)
    assert response.status_code == 201, response.text
    return response.json()["id"], document


def upload_batch(
    client: TestClient,
    auth: dict[str, str],
    examples_dir: Path,
    job_waiter: Callable[[str], dict[str, Any]],
    project_id: int,
) -> int:
    content = (examples_dir / "measurements" / "sensor_housing_bore.csv").read_bytes()
    response = client.post(
        "/api/batches",
        files={"file": ("sensor_housing_bore.csv", content)},
        data={"project_id": str(project_id)},
        headers=auth,
    )
    assert response.status_code == 202, response.text
    job = job_waiter(response.json()["id"])
    assert job["status"] == "done", job
    return int(job["result_path"].rsplit("/", 1)[1])


def test_a_batch_upload_assesses_its_project_again_with_the_batch(
    client: TestClient,
    auth: dict[str, str],
    examples_dir: Path,
    tmp_path: Path,
    job_waiter: Callable[[str], dict[str, Any]],
    housing: tuple[int, dict[str, Any]],
) -> None:
    project_id, document = housing
    before = client.get(f"/api/projects/{project_id}").json()["latest_assessment"]
    # The supplier's stated Cpk 1.45 of the bore passes before anything is measured.
    assert area(before["result"], "supplier_capability")["status"] == "pass"
    batch_id = upload_batch(client, auth, examples_dir, job_waiter, project_id)
    after = client.get(f"/api/projects/{project_id}").json()
    latest = after["latest_assessment"]
    assert latest["id"] != before["id"]
    assert after["revision_count"] == 1
    gate = area(latest["result"], "supplier_capability")
    # The measured Cpk replaces the stated one, and the X̄ chart's flags fail the area.
    assert gate["status"] == "fail"
    assert "#1 Bore: Cpk 1.66 (measured, sensor_housing_bore.csv)" in gate["evidence"]
    assert "out of statistical control: #1 Bore" in gate["evidence"]
    # The assessment is rampwise.api.assess with the batch the store holds …
    stored_batch = client.get(f"/api/batches/{batch_id}").json()["result"]
    evidence = Evidence(batch=BatchResult.model_validate(stored_batch))
    expected = assess(project_from_mapping(document), evidence=evidence).model_dump(mode="json")
    assert undated(latest["result"]) == undated(expected)
    # … and the CLI's for a project file naming the same measurements.
    measurements = examples_dir / "measurements" / stored_batch["source"]
    named = {**document, "measurements": str(measurements)}
    path = tmp_path / "housing.yaml"
    path.write_text(yaml.safe_dump(named), encoding="utf-8")
    assert undated(latest["result"]) == undated(cli_assessment(path))


def test_a_gauge_study_upload_completes_the_evidence_the_project_file_names(
    client: TestClient,
    auth: dict[str, str],
    examples_dir: Path,
    job_waiter: Callable[[str], dict[str, Any]],
    housing: tuple[int, dict[str, Any]],
) -> None:
    """Batch and study uploaded: the bundled example's own ``rampwise assess`` answer."""
    project_id, _ = housing
    upload_batch(client, auth, examples_dir, job_waiter, project_id)
    study = (examples_dir / "measurements" / "sensor_housing_bore_grr.csv").read_bytes()
    response = client.post(
        f"/api/projects/{project_id}/gauge-studies",
        files={"file": ("bore_grr.csv", study)},
        data={"characteristic": "Bore"},
        headers=auth,
    )
    assert response.status_code == 201, response.text
    answer = response.json()
    assert answer["gauge_study"]["characteristic"] == "1"  # filed under the id
    assert answer["gauge_study"]["name"] == "bore_grr.csv"
    assert answer["gauge_study"]["result"]["pct_grr"] == pytest.approx(27.86, abs=0.01)
    latest = client.get(f"/api/projects/{project_id}").json()["latest_assessment"]
    assert latest == answer["assessment"]
    assert (
        "#1 Bore: gauge %GRR 27.9 % (marginal, AIAG MSA)"
        in (area(latest["result"], "supplier_capability")["evidence"])
    )
    assert undated(latest["result"]) == undated(cli_assessment(examples_dir / EXAMPLE))
    listed = client.get(f"/api/projects/{project_id}/gauge-studies").json()
    assert [GaugeRRResult.model_validate(s["result"]) for s in listed] == [
        GaugeRRResult.model_validate(answer["gauge_study"]["result"])
    ]


def test_a_new_revision_is_assessed_with_the_stored_evidence(
    client: TestClient,
    auth: dict[str, str],
    examples_dir: Path,
    job_waiter: Callable[[str], dict[str, Any]],
    housing: tuple[int, dict[str, Any]],
) -> None:
    project_id, document = housing
    batch_id = upload_batch(client, auth, examples_dir, job_waiter, project_id)
    revised = {**document, "quantity": 60}
    response = client.post(f"/api/projects/{project_id}/revisions", json=revised, headers=auth)
    assert response.status_code == 201, response.text
    result = response.json()["assessment"]["result"]
    stored_batch = client.get(f"/api/batches/{batch_id}").json()["result"]
    evidence = Evidence(batch=BatchResult.model_validate(stored_batch))
    expected = assess(project_from_mapping(revised), evidence=evidence).model_dump(mode="json")
    assert undated(result) == undated(expected)
    assert area(result, "supplier_capability")["status"] == "fail"


@pytest.mark.parametrize(
    ("project", "file", "characteristic", "status", "detail"),
    [
        (None, ("grr.csv", b"part,appraiser,trial,value\n"), "Flange", 422, "characteristic:"),
        (None, ("grr.csv", b"part,appraiser,value\n1,A,2\n"), "1", 422, "gauge_studies.1:"),
        (None, ("grr.txt", b"part,appraiser,trial,value\n"), "1", 415, "file:"),
        (999, ("grr.csv", b"part,appraiser,trial,value\n"), "1", 404, "project 999 not found"),
    ],
)
def test_a_bad_gauge_study_is_refused_and_nothing_is_kept(
    client: TestClient,
    auth: dict[str, str],
    housing: tuple[int, dict[str, Any]],
    project: int | None,
    file: tuple[str, bytes],
    characteristic: str,
    status: int,
    detail: str,
) -> None:
    project_id, _ = housing
    before = client.get(f"/api/projects/{project_id}").json()["latest_assessment"]["id"]
    response = client.post(
        f"/api/projects/{project or project_id}/gauge-studies",
        files={"file": file},
        data={"characteristic": characteristic},
        headers=auth,
    )
    assert response.status_code == status, response.text
    assert response.json()["detail"].startswith(detail)
    assert client.get(f"/api/projects/{project_id}/gauge-studies").json() == []
    assert client.get(f"/api/projects/{project_id}").json()["latest_assessment"]["id"] == before


def test_a_gauge_study_needs_a_token(
    client: TestClient, housing: tuple[int, dict[str, Any]]
) -> None:
    project_id, _ = housing
    response = client.post(
        f"/api/projects/{project_id}/gauge-studies",
        files={"file": ("grr.csv", b"part,appraiser,trial,value\n")},
        data={"characteristic": "1"},
    )
    assert response.status_code == 401


def test_a_modelled_project_is_assessed_again_on_its_analysis_and_revised_with_its_batch(
    client: TestClient,
    auth: dict[str, str],
    examples_dir: Path,
    shared_dir: Path,
    job_waiter: Callable[[str], dict[str, Any]],
) -> None:
    """The re-assessment after a batch reads the model's stored analysis (the model is not
    read again); a new model of the project is assessed with the stored batch."""
    model = (shared_dir / "cad" / "featuretype.STEP").read_bytes()
    response = client.post(
        "/api/uploads",
        files={"file": ("featuretype.STEP", model)},
        data={"quantity": "40", "purpose": "pilot_run"},
        headers=auth,
    )
    job = job_waiter(response.json()["id"])
    assert job["status"] == "done", job
    first = client.get(f"/api{job['result_path']}").json()
    project_id = first["project_id"]
    measurements = (examples_dir / "measurements" / "sensor_housing_bore.csv").read_bytes()
    response = client.post(
        "/api/batches",
        files={"file": ("sensor_housing_bore.csv", measurements)},
        data={"project_id": str(project_id), "lsl": "11.995", "usl": "12.005"},
        headers=auth,
    )
    job = job_waiter(response.json()["id"])
    assert job["status"] == "done", job
    stored_batch = client.get(f"/api{job['result_path']}").json()["result"]
    detail = client.get(f"/api/projects/{project_id}").json()
    latest = detail["latest_assessment"]["result"]
    assert latest["geometry"] == first["result"]["geometry"]
    assert latest["batch"]["source"] == "sensor_housing_bore.csv"
    expected = assess(
        project_from_mapping(detail["latest_revision"]["document"]),
        geometry=PartGeometry.model_validate(first["result"]["geometry"]),
        evidence=Evidence(batch=BatchResult.model_validate(stored_batch)),
    )
    assert undated(latest) == undated(expected.model_dump(mode="json"))

    response = client.post(
        f"/api/projects/{project_id}/uploads",
        files={"file": ("featuretype.STEP", model)},
        data={"quantity": "60"},
        headers=auth,
    )
    job = job_waiter(response.json()["id"])
    assert job["status"] == "done", job
    revised = client.get(f"/api{job['result_path']}").json()["result"]
    assert revised["quantity"] == 60
    assert BatchResult.model_validate(revised["batch"]) == BatchResult.model_validate(stored_batch)
