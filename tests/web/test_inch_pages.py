"""The result page of a project written in inches shows its lengths in inches.

Hand calculation: the bore of ``tests/data/inch_bushing.yaml`` is Ø0.5 in ±0.0002 in =
12.7 mm ±0.00508 mm; its gauge is judged on the 0.0004 in (0.01016 mm) width.
"""

from __future__ import annotations

import re
from pathlib import Path

from fastapi.testclient import TestClient

from support import REPO

INCH_PROJECT = REPO / "tests" / "data" / "inch_bushing.yaml"


def _result_page(client: TestClient, token: str, path: Path) -> str:
    client.post("/sign-in", data={"token": token, "next": "/"}, follow_redirects=False)
    response = client.post(
        "/assessments",
        files={"project_file": (path.name, path.read_bytes())},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    page = client.get(response.headers["location"])
    assert page.status_code == 200
    return page.text


def test_an_inch_project_page_shows_inches(client: TestClient, token: str) -> None:
    text = _result_page(client, token, INCH_PROJECT)
    assert 'id="display-unit"' in text
    assert "Ø0.5000 in ±0.0002 in (12.700 mm ±0.0051 mm)" in text
    assert "Ra 32 µin (0.8128 µm)" in text
    assert "0.0004 in (0.0102 mm)" in text  # the bore gauge's tolerance


def test_a_mm_project_page_stays_in_mm(client: TestClient, token: str, examples_dir: Path) -> None:
    text = _result_page(client, token, examples_dir / "bracket_fit_check.yaml")
    assert 'id="display-unit"' not in text
    assert "Ø6 mm +0.012/0 mm" in text  # Ø6 H7 (ISO 286-2: IT7 at 3–6 mm is 12 µm)
    assert re.search(r"\d in \(\d", text) is None  # no inch figure with its mm beside
