"""Server-rendered pages: the core flow without JavaScript, errors, labels, charts."""

from __future__ import annotations

import re
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from rampwise.api import assess
from rampwise.app.store import create_project
from rampwise.app.web.present import drivers_chart
from rampwise.io.project_file import load_project
from rampwise.rules.cost import DRIVER_WORDS
from service_support import wait_for_job


class FormAudit(HTMLParser):
    """Collects form controls and the labels that name them."""

    def __init__(self) -> None:
        super().__init__()
        self.controls: list[str] = []
        self.labels: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag in ("input", "select", "textarea") and attributes.get("type") != "hidden":
            self.controls.append(attributes.get("id") or "")
        if tag == "label" and attributes.get("for"):
            self.labels.add(attributes["for"] or "")


def sign_in(client: TestClient, token: str) -> None:
    response = client.post("/sign-in", data={"token": token, "next": "/"}, follow_redirects=False)
    assert response.status_code == 303
    assert "rampwise_token" in response.cookies


@pytest.mark.parametrize("path", ["/", "/projects", "/batches", "/stages", "/sign-in"])
def test_every_form_control_has_a_label(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    audit = FormAudit()
    audit.feed(response.text)
    unlabelled = [c for c in audit.controls if c not in audit.labels]
    assert unlabelled == []


def test_stage_profiles_page_lists_the_three_stages(client: TestClient) -> None:
    text = client.get("/stages").text
    for stage in ("Prototype", "Low volume", "Mass production"):
        assert stage in text


def test_a_form_post_without_a_token_is_401_and_stores_nothing(
    client: TestClient, examples_dir: Path
) -> None:
    response = client.post(
        "/assessments",
        files={"project_file": ("p.yaml", (examples_dir / "bracket_fit_check.yaml").read_bytes())},
    )
    assert response.status_code == 401
    assert "Sign in with a token" in response.text
    assert client.get("/api/projects").json() == []


def test_a_wrong_token_does_not_sign_in(client: TestClient) -> None:
    response = client.post("/sign-in", data={"token": "rw_nope"})
    assert response.status_code == 401
    assert "invalid or unknown token" in response.text
    assert "rampwise_token" not in response.cookies


def test_a_project_file_is_assessed_at_once(
    client: TestClient, token: str, examples_dir: Path
) -> None:
    sign_in(client, token)
    response = client.post(
        "/assessments",
        files={
            "project_file": ("bracket.yaml", (examples_dir / "bracket_fit_check.yaml").read_bytes())
        },
        follow_redirects=False,
    )
    assert response.status_code == 303
    page = client.get(response.headers["location"])
    assert page.status_code == 200
    # Seed 000: 3 brackets for a fit check are prototypes.
    assert 'data-stage="prototype"' in page.text
    assert "Readiness gate: not ready" in page.text
    assert page.text.count('class="light light-') == 7


def test_a_model_upload_runs_as_a_job_and_ends_on_the_result(
    client: TestClient, token: str, shared_dir: Path
) -> None:
    sign_in(client, token)
    response = client.post(
        "/assessments",
        files={"cad": ("featuretype.STEP", (shared_dir / "cad" / "featuretype.STEP").read_bytes())},
        data={"quantity": "40", "purpose": "pilot_run", "material": "Al 6061-T6"},
        follow_redirects=False,
    )
    assert response.status_code == 303
    job_path = response.headers["location"]
    assert job_path.startswith("/jobs/")
    progress = client.get(job_path, follow_redirects=False)
    if progress.status_code == 200:
        assert '<progress id="progress"' in progress.text
        assert '<meta http-equiv="refresh"' in progress.text
    job = wait_for_job(client, job_path.rsplit("/", 1)[1])
    assert job["status"] == "done", job
    done = client.get(job_path, follow_redirects=False)
    assert done.status_code == 303
    result = client.get(done.headers["location"])
    assert 'data-stage="low_volume"' in result.text
    assert "featuretype.STEP" in result.text


@pytest.mark.parametrize(
    ("files", "data", "status", "message"),
    [
        ({}, {"quantity": "4"}, 422, "file: choose a STEP or STL model"),
        (
            {"cad": ("p.step", b"ISO-10303-21;")},
            {"purpose": "fit_check"},
            422,
            "quantity: is required",
        ),
        ({"cad": ("p.png", b"\x89PNG")}, {"quantity": "3"}, 415, "is not a supported type"),
        (
            {"project_file": ("p.yaml", b"project: [unclosed")},
            {},
            422,
            "project file: malformed YAML at line 1",
        ),
    ],
)
def test_a_refused_form_shows_the_error_and_keeps_the_values(
    client: TestClient,
    token: str,
    files: dict[str, tuple[str, bytes]],
    data: dict[str, str],
    status: int,
    message: str,
) -> None:
    sign_in(client, token)
    response = client.post("/assessments", files=files or {"cad": ("", b"")}, data=data)
    assert response.status_code == status
    assert message in response.text
    assert 'role="alert"' in response.text
    if "quantity" in data:
        assert f'value="{data["quantity"]}"' in response.text
    assert client.get("/api/projects").json() == []


def test_an_unknown_page_id_is_a_404_page(client: TestClient) -> None:
    response = client.get("/projects/4242")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert "project 4242 not found" in response.text


def test_the_result_page_draws_the_price_ladder_when_a_quote_is_present(
    client: TestClient, document: dict[str, Any]
) -> None:
    from rampwise.api import assess
    from rampwise.io.project_file import project_from_mapping

    result = assess(project_from_mapping(document))
    assert result.quote is not None
    row = result.quote.breaks[0]
    breaks = tuple(
        row.model_copy(update={"quantity": quantity, "unit_price": price})
        for quantity, price in ((1, 240.0), (10, 52.5), (100, 21.75))
    )
    quote = result.quote.model_copy(update={"currency": "USD", "breaks": breaks})
    database = client.app.state.services.database  # type: ignore[attr-defined]
    with database.write() as session:
        detail = create_project(
            session, document=document, result=result.model_copy(update={"quote": quote})
        )
    assert detail.latest_assessment is not None
    page = client.get(f"/assessments/{detail.latest_assessment.id}").text
    assert "Price ladder and drivers" in page
    assert '<svg class="chart"' in page and 'aria-label="Price ladder"' in page
    assert "Unit price falls from 240 USD at 1 pcs to 21.75 USD at 100 pcs." in page
    assert page.count("<tr>") >= 3 + 1 + 7


def test_a_result_stored_before_schema_versions_shows_on_the_pages(
    client: TestClient, document: dict[str, Any], auth: dict[str, str]
) -> None:
    """A row as the old code wrote it (version 1 JSON) is upcast and rendered field by field."""
    import json

    from sqlalchemy import update

    from rampwise.app.store.tables import AssessmentRow

    stored = json.loads(
        (Path(__file__).parents[1] / "store" / "stored_assessments_v1.json").read_text(
            encoding="utf-8"
        )
    )["bracket_fit_check"]
    project_id = client.post("/api/projects", json=document, headers=auth).json()["id"]
    database = client.app.state.services.database  # type: ignore[attr-defined]
    with database.write() as session:
        session.execute(update(AssessmentRow).values(result=stored, schema_version=1))
    assessment_id = client.get(f"/api/projects/{project_id}").json()["latest_assessment"]["id"]
    page = client.get(f"/assessments/{assessment_id}")
    assert page.status_code == 200
    assert 'data-stage="prototype"' in page.text
    assert "Price ladder and drivers" in page.text
    assert "fixture_plate" not in page.text  # named as the quote names it
    assert client.get(f"/projects/{project_id}").status_code == 200
    result = client.get(f"/api/assessments/{assessment_id}").json()["result"]
    assert result["route"]["workholding"]["options"] == []
    assert {row["stage"] for row in result["quote"]["breaks"]} == {"prototype"}


def test_the_project_page_shows_what_changed(
    client: TestClient, document: dict[str, Any], auth: dict[str, str]
) -> None:
    project_id = client.post("/api/projects", json=document, headers=auth).json()["id"]
    client.post(
        f"/api/projects/{project_id}/revisions",
        json={**document, "quantity": 60, "purpose": "pilot_run"},
        headers=auth,
    )
    page = client.get(f"/projects/{project_id}").text
    assert "<strong>Stage</strong>: Prototype → Low volume" in page
    assert "<strong>Purpose</strong>: Fit check → Pilot run" in page
    assert "<strong>Quantity</strong>: 3 → 60" in page
    assert "first revision" in page


def _batch_page(
    client: TestClient,
    auth: dict[str, str],
    job_waiter: Callable[[str], dict[str, Any]],
    measurements: Path,
    limits: dict[str, str],
) -> str:
    """The batch page of a measurements file uploaded through the API."""
    job = client.post(
        "/api/batches",
        files={"file": (measurements.name, measurements.read_bytes())},
        data=limits,
        headers=auth,
    ).json()
    return client.get(job_waiter(job["id"])["result_path"]).text


def test_the_batch_page_has_a_capability_table_and_charts(
    client: TestClient,
    auth: dict[str, str],
    examples_dir: Path,
    job_waiter: Callable[[str], dict[str, Any]],
) -> None:
    page = _batch_page(
        client,
        auth,
        job_waiter,
        examples_dir / "measurements" / "sensor_housing_bore.csv",
        {"lsl": "11.995", "usl": "12.005"},
    )
    assert 'id="capability-table"' in page
    assert page.count('<svg class="chart"') >= 3  # histogram, location and dispersion charts
    assert "Histogram of" in page
    # Subgroups of 5 → X̄-R charts, both in the bore's unit (a range is a length too).
    assert "X̄ [mm]" in page and "R [mm]" in page
    # σ within 0.0008544712 mm shown to 4 significant digits.
    assert "0.0008545" in page and "0.0008544712" not in page
    # The X̄ chart's flags grouped by rule with their meaning (points 5 and 8 lie beyond
    # the 3σ limits, point 6 is the second of 3 beyond 2σ).
    assert "a point beyond a control limit (3σ) (WE 1): points 5, 8" in page
    assert "2 of 3 points beyond 2σ on one side (WE 2): point 6" in page
    assert "capable, not stable" in page
    # The wear trend as a sentence with its unit and the offset to apply.
    assert "Trend -0.00017 mm/part over the 20 parts since part 21" in page
    assert "apply an offset of" in page
    # No target typed in: the offset aims at mid-tolerance (11.995 + 12.005)/2 = 12, and
    # the page says so beside the limits and in the drift sentence.
    assert "· mid-tolerance target 12 [mm]" in page
    assert "toward the mid-tolerance target 12 mm" in page
    listed = client.get("/batches").text
    assert 'Bore: <span class="light light-unknown">' in listed  # the list shows verdicts
    assert "capable, not stable" in listed


def test_a_batch_without_limits_is_not_called_incapable(
    client: TestClient,
    auth: dict[str, str],
    examples_dir: Path,
    job_waiter: Callable[[str], dict[str, Any]],
) -> None:
    measurements = examples_dir / "measurements" / "sensor_housing_individuals.csv"
    page = _batch_page(client, auth, job_waiter, measurements, {})
    assert "No specification limits" in page
    assert "not capable" not in page and "neither" not in page
    assert "(no limits)" in page


def test_the_driver_bars_agree_with_the_biggest_driver_words(examples_dir: Path) -> None:
    """Each break's bar gives its biggest driver the share the break's words state.

    Overhead and margin multiply every bucket by the same uplift, so a bucket's share of
    the price is its share of the cost: setup at 1 pc of the bracket, for one.
    """
    quote = assess(load_project(examples_dir / "bracket_fit_check.yaml")).quote
    assert quote is not None
    svg = str(drivers_chart(quote))
    drawn = {
        (int(quantity.replace(",", "")), name): share
        for quantity, name, share in re.findall(r"<title>([\d,]+) pcs · ([^<:]+): (\d+)%", svg)
    }
    assert "overhead and margin" not in {name for _, name in drawn}
    key_of = {words: key for key, words in DRIVER_WORDS.items()}
    for row in quote.breaks:
        words = re.match(r"(.+) is (\d+)% of the price", row.top_drivers[0])
        assert words is not None
        name, share = words.groups()
        assert drawn[row.quantity, key_of[name]] == share, row.quantity


def test_a_long_inspection_schedule_shows_as_ranges(
    client: TestClient, document: dict[str, Any]
) -> None:
    """5,000 brackets for a pilot run: seed 003's tiers list 510 parts (1–3, 4–10 every 2nd,
    15–50 every 5th, then every 10th: 3 + 4 + 8 + 495), shown as four runs, not 510 numbers."""
    from rampwise.api import assess
    from rampwise.io.project_file import project_from_mapping

    result = assess(project_from_mapping({**document, "quantity": 5000, "purpose": "pilot_run"}))
    assert result.inspection is not None and len(result.inspection.schedule) == 510
    database = client.app.state.services.database  # type: ignore[attr-defined]
    with database.write() as session:
        detail = create_project(session, document=document, result=result)
    assert detail.latest_assessment is not None
    page = client.get(f"/assessments/{detail.latest_assessment.id}").text
    ranges = "parts 1–4; 6–10: every 2nd; 15–50: every 5th; 60–5,000: every 10th"
    assert f"Tiered schedule, 510 parts: {ranges}" in page
    assert "1,000, 1,010" not in page and "4,990, 5,000" not in page  # no list of numbers
