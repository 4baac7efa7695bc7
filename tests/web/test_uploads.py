"""Uploads and background jobs: STEP/STL/ZIP assessments, measurements, limits, bad files."""

from __future__ import annotations

import hashlib
import io
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from rampwise.app.store import create_token
from rampwise.app.web import create_app
from rampwise.io.settings import Settings
from service_support import UPLOAD_LIMIT_BYTES, wait_for_job

FORM = {"quantity": "40", "purpose": "pilot_run", "material": "Al 6061-T6"}
STEP_HEADER = b"ISO-10303-21;\nHEADER;\n"


def stored_files(client: TestClient) -> list[Path]:
    files_dir: Path = client.app.state.services.database.files_dir  # type: ignore[attr-defined]
    return [p for p in files_dir.rglob("*") if p.is_file()] if files_dir.exists() else []


def test_a_step_upload_is_assessed_by_a_job_and_kept_by_hash(
    client: TestClient,
    auth: dict[str, str],
    shared_dir: Path,
    job_waiter: Callable[[str], dict[str, Any]],
) -> None:
    content = (shared_dir / "cad" / "featuretype.STEP").read_bytes()
    response = client.post(
        "/api/uploads", files={"file": ("featuretype.STEP", content)}, data=FORM, headers=auth
    )
    assert response.status_code == 202
    assert response.headers["Location"] == f"/api/jobs/{response.json()['id']}"
    job = job_waiter(response.json()["id"])
    assert job["status"] == "done", job
    assert job["progress"] == 1.0
    assessment_id = int(job["result_path"].rsplit("/", 1)[1])
    record = client.get(f"/api/assessments/{assessment_id}").json()
    # Seed 001: 40 pcs for a pilot run is low volume.
    assert record["stage"] == "low_volume"
    project = client.get(f"/api/projects/{record['project_id']}").json()
    assert project["part_number"] == "featuretype"
    file = project["latest_revision"]["file"]
    assert file["sha256"] == hashlib.sha256(content).hexdigest()
    assert (file["original_name"], file["size_bytes"], file["kind"]) == (
        "featuretype.STEP",
        len(content),
        "step",
    )


@pytest.mark.slow
def test_a_zip_of_models_makes_one_project_per_part(
    client: TestClient,
    auth: dict[str, str],
    shared_dir: Path,
    job_waiter: Callable[[str], dict[str, Any]],
) -> None:
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as bundle:
        bundle.write(shared_dir / "cad" / "featuretype.STL", "rfq/featuretype.STL")
        bundle.write(shared_dir / "cad" / "plate_holes.STL", "rfq/plate_holes.STL")
        bundle.write(shared_dir / "cad" / "box_sides.STEP", "rfq/box_sides.STEP")
        bundle.writestr("rfq/readme.txt", "two parts and an assembly")
    response = client.post(
        "/api/uploads",
        files={"file": ("rfq.zip", archive.getvalue())},
        data={**FORM, "project": "RFQ 12"},
        headers=auth,
    )
    assert response.status_code == 202
    job = job_waiter(response.json()["id"])
    assert job["status"] == "done", job
    assert job["message"] == "2 of 3 parts assessed"
    lines = job["result"]["projects"]
    assert sorted(line["name"] for line in lines) == ["featuretype.STL", "plate_holes.STL"]
    listed = sorted(p["name"] for p in client.get("/api/projects").json())
    assert listed == ["RFQ 12 · featuretype", "RFQ 12 · plate_holes"]
    # Each line is its assessment's order break; the request totals them.
    for line in lines:
        record = client.get(f"/api/assessments/{line['assessment_id']}").json()["result"]
        (order,) = (b for b in record["quote"]["breaks"] if b["quantity"] == 40)
        assert (line["unit_price"], line["lead_time_days"]) == (
            order["unit_price"],
            order["lead_time_days"],
        )
    totals = job["result"]["totals"]
    assert totals["total_price"] == pytest.approx(sum(line["total_price"] for line in lines))
    # The assembly is refused by its own name, not the server's copy of it.
    (failure,) = job["result"]["failures"]
    assert failure.startswith("box_sides.STEP: 10 solids (an assembly)")
    assert str(stored_files(client)[0].parent.parent) not in failure
    page = client.get(f"/jobs/{response.json()['id']}").text
    assert 'id="rfq-table"' in page and "The request (2 of 2 parts priced)" in page


def test_a_zip_without_models_is_refused_at_once(client: TestClient, auth: dict[str, str]) -> None:
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as bundle:
        bundle.writestr("notes.txt", "nothing to machine")
    response = client.post(
        "/api/uploads", files={"file": ("rfq.zip", archive.getvalue())}, data=FORM, headers=auth
    )
    assert response.status_code == 415
    assert response.json()["detail"] == "file: the ZIP holds no STEP or STL file"


def test_an_analysis_past_the_time_limit_fails_and_writes_nothing(
    settings_factory: Callable[..., Settings], token: str, shared_dir: Path
) -> None:
    slow = settings_factory(analysis_timeout_s=0.001)
    with TestClient(create_app(slow)) as client:
        with client.app.state.services.database.write() as session:  # type: ignore[attr-defined]
            _, secret = create_token(session, name="slow")
        content = (shared_dir / "cad" / "featuretype.STEP").read_bytes()
        response = client.post(
            "/api/uploads",
            files={"file": ("featuretype.STEP", content)},
            data=FORM,
            headers={"Authorization": f"Bearer {secret}"},
        )
        job = wait_for_job(client, response.json()["id"])
        assert job["status"] == "failed"
        assert job["error"] == "analysis of featuretype.STEP exceeded the time limit of 0.001 s"
        assert client.get("/api/projects").json() == []


@pytest.mark.parametrize("extra_bytes", [10, 200_000])
def test_an_oversized_upload_is_413_and_nothing_is_kept(
    client: TestClient, auth: dict[str, str], extra_bytes: int
) -> None:
    """Just over the limit (caught while storing) and far over it (caught while reading)."""
    content = STEP_HEADER + b"x" * (UPLOAD_LIMIT_BYTES - len(STEP_HEADER) + extra_bytes)
    response = client.post(
        "/api/uploads", files={"file": ("big.step", content)}, data=FORM, headers=auth
    )
    assert response.status_code == 413
    assert "upload limit" in response.json()["detail"]
    assert stored_files(client) == []
    assert client.get("/api/projects").json() == []


def test_a_chunked_body_is_cut_off_at_the_limit(client: TestClient) -> None:
    """Without Content-Length the body is counted as it arrives."""

    def chunks() -> Iterator[bytes]:
        yield b'{"project": "'
        for _ in range(UPLOAD_LIMIT_BYTES // 10_000 + 20):
            yield b"x" * 10_000
        yield b'"}'

    response = client.post(
        "/api/assess", content=chunks(), headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 413
    assert response.json()["detail"].startswith("request body: exceeds the upload limit")


@pytest.mark.parametrize(
    ("name", "content", "detail"),
    [
        ("part.step", b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "is not a STEP file"),
        ("part.exe", STEP_HEADER, "is not a supported type"),
        ("part.stl", b"\x00" * 100, "is not an STL file"),
    ],
)
def test_a_wrong_file_type_is_415(
    client: TestClient, auth: dict[str, str], name: str, content: bytes, detail: str
) -> None:
    response = client.post("/api/uploads", files={"file": (name, content)}, data=FORM, headers=auth)
    assert response.status_code == 415
    assert detail in response.json()["detail"]
    assert stored_files(client) == []


@pytest.mark.parametrize(
    ("form", "detail"),
    [
        (
            {"quantity": "abc", "purpose": "pilot_run"},
            "quantity: must be a whole number ≥ 1; got 'abc'",
        ),
        (
            {"quantity": "0", "purpose": "pilot_run"},
            "quantity: must be a whole number ≥ 1; got 0",
        ),
        ({"quantity": "5", "purpose": "lunch"}, "purpose: unknown purpose 'lunch'"),
    ],
)
def test_a_bad_form_field_is_422_and_nothing_is_kept(
    client: TestClient, auth: dict[str, str], form: dict[str, str], detail: str
) -> None:
    response = client.post(
        "/api/uploads", files={"file": ("p.step", STEP_HEADER)}, data=form, headers=auth
    )
    assert response.status_code == 422
    assert response.json()["detail"].startswith(detail)
    assert client.get("/api/projects").json() == []


def test_a_measurements_upload_makes_a_batch_report(
    client: TestClient,
    auth: dict[str, str],
    examples_dir: Path,
    job_waiter: Callable[[str], dict[str, Any]],
) -> None:
    """The bundled bore measurements: 40 parts, Ø12.000 ±0.005 mm (seed 003)."""
    content = (examples_dir / "measurements" / "sensor_housing_bore.csv").read_bytes()
    response = client.post(
        "/api/batches",
        files={"file": ("sensor_housing_bore.csv", content)},
        data={"lsl": "11.995", "usl": "12.005", "name": "Pilot lot 1"},
        headers=auth,
    )
    assert response.status_code == 202, response.json()
    job = job_waiter(response.json()["id"])
    assert job["status"] == "done", job
    batch_id = int(job["result_path"].rsplit("/", 1)[1])
    batch = client.get(f"/api/batches/{batch_id}", params={"values": True}).json()
    assert batch["name"] == "Pilot lot 1"
    assert batch["value_count"] == 40
    assert [v["position"] for v in batch["values"]] == list(range(40))
    (bore,) = batch["result"]["characteristics"]
    assert bore["n"] == 40
    values = [v["value"] for v in batch["values"]]
    assert bore["mean"] == pytest.approx(sum(values) / len(values))
    assert bore["plot"]["lsl"] == 11.995 and bore["plot"]["usl"] == 12.005


@pytest.mark.parametrize(
    ("data", "status", "detail"),
    [
        ({"lsl": "low"}, 422, "lsl: must be a number; got 'low'"),
        ({"project_id": "999"}, 404, "project 999 not found"),
    ],
)
def test_a_bad_batch_form_is_refused(
    client: TestClient, auth: dict[str, str], data: dict[str, str], status: int, detail: str
) -> None:
    response = client.post(
        "/api/batches", files={"file": ("m.csv", b"value\n1\n2\n")}, data=data, headers=auth
    )
    assert response.status_code == status
    assert response.json()["detail"] == detail


def test_a_bad_measurements_file_fails_its_job_with_the_readers_message(
    client: TestClient, auth: dict[str, str], job_waiter: Callable[[str], dict[str, Any]]
) -> None:
    response = client.post(
        "/api/batches",
        files={"file": ("m.csv", b"value\n12.001\nabc\n12.002\n")},
        headers=auth,
    )
    job = job_waiter(response.json()["id"])
    assert job["status"] == "failed"
    assert "abc" in job["error"]
    assert client.get("/api/batches").json() == []


def _zip(files: dict[str, bytes]) -> bytes:
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as bundle:
        for name, content in files.items():
            bundle.writestr(name, content)
    return archive.getvalue()


def test_a_zip_order_sheet_sets_each_parts_quantity_and_material(
    client: TestClient,
    auth: dict[str, str],
    shared_dir: Path,
    job_waiter: Callable[[str], dict[str, Any]],
) -> None:
    plate = (shared_dir / "cad" / "plate_holes.STL").read_bytes()
    sheet = b"file,quantity,material\nplate_holes.STL,25,SS 316L\n"
    response = client.post(
        "/api/uploads",
        files={"file": ("rfq.zip", _zip({"plate_holes.STL": plate, "quantities.csv": sheet}))},
        data=FORM,
        headers=auth,
    )
    assert response.status_code == 202, response.text
    job = job_waiter(response.json()["id"])
    (line,) = job["result"]["projects"]
    assert line["quantity"] == 25  # the sheet's, not the form's 40
    assert line["material"] == "SS 316L"
    project = client.get(f"/api/projects/{line['project_id']}").json()
    assert project["latest_revision"]["document"]["part"]["material"] == "SS 316L"


@pytest.mark.parametrize(
    ("sheet", "detail"),
    [
        (
            b"file,qty\n",
            "quantities.csv: needs the columns file and quantity; missing ['quantity']",
        ),
        (
            b"file,quantity\nother.STL,5\n",
            "quantities.csv: row 2, column 'file': no model 'other.STL' in the ZIP",
        ),
        (
            b"file,quantity\nplate_holes.STL,2.5\n",
            "quantities.csv: row 2, column 'quantity': must be a whole number ≥ 1; got 2.5",
        ),
        (
            b"file,quantity,material\nplate_holes.STL,5,unobtainium\n",
            "quantities.csv: row 2, column 'material': unknown material 'unobtainium'",
        ),
    ],
)
def test_a_bad_order_sheet_is_refused_at_once(
    client: TestClient, auth: dict[str, str], shared_dir: Path, sheet: bytes, detail: str
) -> None:
    plate = (shared_dir / "cad" / "plate_holes.STL").read_bytes()
    response = client.post(
        "/api/uploads",
        files={"file": ("rfq.zip", _zip({"plate_holes.STL": plate, "quantities.csv": sheet}))},
        data=FORM,
        headers=auth,
    )
    assert response.status_code == 422
    assert response.json()["detail"].startswith(detail)
    assert client.get("/api/projects", headers=auth).json() == []  # nothing queued or stored
