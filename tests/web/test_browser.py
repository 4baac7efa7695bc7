"""Browser tests: Playwright drives Debian's Chromium against a real ``rampwise serve``.

The server runs on a free loopback port with a temporary data folder; the test signs in
with a token, uploads the shared STEP part with quantity and purpose, waits for the job,
reads the stage (and a quote row when the assessment has a quote) off the result page,
and does the same for a measurements upload, alone and for a project whose readiness
gate it changes. Screenshots go to ``test-artifacts/``.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
import yaml

from rampwise.api import assess
from rampwise.app.store import create_token, open_database, prepare_database
from rampwise.io.project_file import project_from_mapping
from service_support import make_settings
from support import REPO

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = REPO / "test-artifacts"
START_TIMEOUT_S = 60.0
JOB_TIMEOUT_MS = 120_000


@dataclass(frozen=True)
class Server:
    url: str
    token: str


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """``rampwise serve`` on a free port and a fresh data folder, with one token."""
    data = tmp_path_factory.mktemp("browser")
    settings = make_settings(data)
    database = open_database(settings)
    prepare_database(database)
    with database.write() as session:
        _, secret = create_token(session, name="browser")
    database.dispose()
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("RAMPWISE_")}
    env["RAMPWISE_DATA_DIR"] = str(settings.data_dir)
    log = (data / "server.log").open("wb")
    process = subprocess.Popen(
        [str(Path(sys.executable).parent / "rampwise"), "serve", "--port", str(port)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while True:
            try:
                if httpx.get(f"{url}/api/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"server did not start: {(data / 'server.log').read_text()}")
            time.sleep(0.2)
        yield Server(url=url, token=secret)
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not CHROMIUM.exists():
        pytest.skip("Chromium not installed: apt-get install -y chromium (see .ci/run)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: object, server: Server) -> Iterator[object]:
    """A signed-in page with a laptop-sized viewport."""
    context = browser.new_context(viewport={"width": 1366, "height": 900})  # type: ignore[attr-defined]
    page = context.new_page()
    page.goto(f"{server.url}/sign-in")
    page.get_by_label("API token").fill(server.token)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{server.url}/")
    yield page
    context.close()


def _screenshot(page: object, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / name
    page.screenshot(path=str(path), full_page=True)  # type: ignore[attr-defined]
    return path


def test_a_step_upload_ends_on_the_result_page(
    page: object, server: Server, shared_dir: Path
) -> None:
    page.goto(f"{server.url}/")  # type: ignore[attr-defined]
    page.get_by_label("Model: STEP, STL, or a ZIP of them").set_input_files(  # type: ignore[attr-defined]
        str(shared_dir / "cad" / "featuretype.STEP")
    )
    page.get_by_label("Quantity [pcs]").fill("40")  # type: ignore[attr-defined]
    page.get_by_label("Purpose").select_option("pilot_run")  # type: ignore[attr-defined]
    page.get_by_role("button", name="Assess").click()  # type: ignore[attr-defined]
    page.wait_for_url("**/assessments/*", timeout=JOB_TIMEOUT_MS)  # type: ignore[attr-defined]
    # Seed 001: dozens of parts for a pilot run are a low-volume order.
    assert page.locator("#stage").get_attribute("data-stage") == "low_volume"  # type: ignore[attr-defined]
    assert page.locator("#stage").inner_text().strip() == "Low volume"  # type: ignore[attr-defined]
    assert page.locator("table.gate tbody tr").count() == 7  # type: ignore[attr-defined]
    quote = page.locator("#quote-table tbody tr")  # type: ignore[attr-defined]
    if quote.count():
        first_row = quote.first.inner_text()
        assert any(ch.isdigit() for ch in first_row)
    shot = _screenshot(page, "result-page.png")
    assert shot.stat().st_size > 10_000


def test_a_titanium_project_file_keeps_its_material_when_the_form_is_left_alone(
    page: object, server: Server, examples_dir: Path, tmp_path: Path
) -> None:
    """The material select starts blank ("as in the file"): the file's Ti-6Al-4V is priced."""
    document = yaml.safe_load((examples_dir / "bracket_fit_check.yaml").read_text("utf-8"))
    document["part"]["material"] = "Ti-6Al-4V"
    project_file = tmp_path / "titanium_bracket.yaml"
    project_file.write_text(yaml.safe_dump(document), encoding="utf-8")
    page.goto(f"{server.url}/")  # type: ignore[attr-defined]
    material = page.get_by_label("Material", exact=True)  # type: ignore[attr-defined]
    assert material.input_value() == ""
    assert page.get_by_label("Unit of an STL model").input_value() == ""  # type: ignore[attr-defined]
    _screenshot(page, "new-assessment-form.png")
    page.get_by_label("or a project file (YAML)").set_input_files(str(project_file))  # type: ignore[attr-defined]
    page.get_by_role("button", name="Assess").click()  # type: ignore[attr-defined]
    page.wait_for_url("**/assessments/*", timeout=JOB_TIMEOUT_MS)  # type: ignore[attr-defined]
    assessment_id = page.url.rsplit("/", 1)[1]  # type: ignore[attr-defined]
    headers = {"Authorization": f"Bearer {server.token}"}
    record = httpx.get(f"{server.url}/api/assessments/{assessment_id}", headers=headers).json()
    stored = httpx.get(f"{server.url}/api/projects/{record['project_id']}", headers=headers).json()
    assert stored["latest_revision"]["document"]["part"]["material"] == "Ti-6Al-4V"
    expected = assess(project_from_mapping(document)).model_dump(mode="json")
    assert record["result"]["quote"]["breaks"] == expected["quote"]["breaks"]


def test_a_measurements_upload_ends_on_the_batch_report(
    page: object, server: Server, examples_dir: Path
) -> None:
    page.goto(f"{server.url}/batches")  # type: ignore[attr-defined]
    page.get_by_label("Measurements file").set_input_files(  # type: ignore[attr-defined]
        str(examples_dir / "measurements" / "sensor_housing_bore.csv")
    )
    page.get_by_label("Lower specification limit").fill("11.995")  # type: ignore[attr-defined]
    page.get_by_label("Upper specification limit").fill("12.005")  # type: ignore[attr-defined]
    page.get_by_role("button", name="Import and report").click()  # type: ignore[attr-defined]
    page.wait_for_url("**/batches/*", timeout=JOB_TIMEOUT_MS)  # type: ignore[attr-defined]
    rows = page.locator("#capability-table tbody tr")  # type: ignore[attr-defined]
    assert rows.count() == 1
    cpk = float(rows.first.locator("td.cpk").inner_text().replace(",", ""))
    assert 0 < cpk < 10
    assert page.locator("svg.chart").count() >= 3  # type: ignore[attr-defined]
    shot = _screenshot(page, "batch-report.png")
    assert shot.stat().st_size > 10_000


def test_a_batch_uploaded_for_a_project_changes_its_supplier_capability(
    page: object, server: Server, examples_dir: Path, tmp_path: Path
) -> None:
    """Seed 004 in the browser: the measured batch, not a stated figure, judges the gate.

    The sensor housing without a supplier's Cpk has no capability data for its critical
    bore; its 40 measured parts give Cpk 1.66, but the X̄ chart flags points, so the
    ``supplier_capability`` area turns from unknown to fail on the project page.
    """
    document = yaml.safe_load((examples_dir / "sensor_housing_pilot.yaml").read_text("utf-8"))
    for key in ("measurements", "gauge_studies", "supplier"):
        document.pop(key)
    project_file = tmp_path / "sensor_housing.yaml"
    project_file.write_text(yaml.safe_dump(document), encoding="utf-8")
    page.goto(f"{server.url}/")  # type: ignore[attr-defined]
    page.get_by_label("or a project file (YAML)").set_input_files(str(project_file))  # type: ignore[attr-defined]
    page.get_by_role("button", name="Assess").click()  # type: ignore[attr-defined]
    page.wait_for_url("**/assessments/*", timeout=JOB_TIMEOUT_MS)  # type: ignore[attr-defined]
    page.locator("p.crumbs a").first.click()  # type: ignore[attr-defined]
    page.wait_for_url("**/projects/*")  # type: ignore[attr-defined]
    project_url = page.url  # type: ignore[attr-defined]
    gate = page.locator("#area-supplier_capability")  # type: ignore[attr-defined]
    assert gate.get_attribute("data-status") == "unknown"
    assert "no capability data for #1 Bore" in gate.inner_text()
    assert page.locator("#gate-batch").count() == 0  # type: ignore[attr-defined]
    _screenshot(page, "project-gate-before-batch.png")

    page.get_by_role("link", name="Upload a measured batch").click()  # type: ignore[attr-defined]
    page.get_by_label("Measurements file").set_input_files(  # type: ignore[attr-defined]
        str(examples_dir / "measurements" / "sensor_housing_bore.csv")
    )
    chosen = page.get_by_label("Project (its characteristics give the limits)")  # type: ignore[attr-defined]
    assert chosen.input_value() == project_url.rsplit("/", 1)[1]
    page.get_by_role("button", name="Import and report").click()  # type: ignore[attr-defined]
    page.wait_for_url("**/batches/*", timeout=JOB_TIMEOUT_MS)  # type: ignore[attr-defined]

    page.goto(project_url)  # type: ignore[attr-defined]
    gate = page.locator("#area-supplier_capability")  # type: ignore[attr-defined]
    assert gate.get_attribute("data-status") == "fail"
    text = gate.inner_text()
    assert "#1 Bore: Cpk 1.66 (measured, sensor_housing_bore.csv)" in text
    assert "out of statistical control: #1 Bore" in text
    assert page.locator("#gate-batch").inner_text() == "sensor_housing_bore.csv"  # type: ignore[attr-defined]
    shot = _screenshot(page, "project-gate-after-batch.png")
    assert shot.stat().st_size > 10_000


def test_the_api_link_renders_the_interactive_docs_offline(page: object, server: Server) -> None:
    """The nav's API link: Swagger UI from the package's own files (this machine has no
    internet, so a CDN-hosted page would stay blank)."""
    offline: list[str] = []
    page.on("request", lambda request: offline.append(request.url))  # type: ignore[attr-defined]
    page.goto(f"{server.url}/")  # type: ignore[attr-defined]
    page.get_by_role("link", name="API").click()  # type: ignore[attr-defined]
    page.get_by_text("/api/assess", exact=True).first.wait_for(timeout=30_000)  # type: ignore[attr-defined]
    assert all(url.startswith(server.url) for url in offline), offline
    _screenshot(page, "api-docs.png")
