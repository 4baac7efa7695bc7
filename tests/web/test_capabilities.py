"""Every CLI capability over the API answers what the CLI prints (one pipeline).

Reference values: ISO 286-2 limits of 25 g6 and the H7/g6 fit; ANSI/ASQ Z1.4 Table
II-A for the sampling plan; the AIAG MSA 4th ed. gauge study in
``/work/shared/refdata/aiag_msa_grr*.{csv,json}``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from rampwise.app.cli import app as cli_app

BRACKET = "bracket_fit_check.yaml"


def cli_json(*args: str) -> Any:
    result = CliRunner().invoke(cli_app, [*args, "--json"])
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


@pytest.mark.parametrize(
    ("path", "cli", "params"),
    [
        ("/api/quote", ["quote", "--qty", "1,10,100"], {"qty": [1, 10, 100]}),
        ("/api/route", ["route"], {}),
        ("/api/inspect", ["inspect"], {}),
    ],
)
def test_planning_routes_answer_what_the_cli_prints(
    client: TestClient,
    document: dict[str, Any],
    examples_dir: Path,
    path: str,
    cli: list[str],
    params: dict[str, Any],
) -> None:
    expected = cli_json(cli[0], str(examples_dir / BRACKET), *cli[1:])
    response = client.post(path, json=document, params=params)
    assert response.status_code == 200, response.json()
    answer = response.json()
    assert answer == (expected["plan"] if cli[0] == "inspect" else expected)


def test_a_quote_outside_the_quantity_range_is_422(
    client: TestClient, document: dict[str, Any]
) -> None:
    response = client.post("/api/quote", json=document, params={"qty": [0]})
    assert response.status_code == 422
    assert response.json()["detail"] == "qty: must be whole numbers from 1 to 10000000; got 0"


def test_limits_of_25_g6(client: TestClient) -> None:
    """ISO 286-2 Table: 25 g6 is −0.007/−0.020 mm."""
    limits = client.get("/api/limits", params={"size": 25, "designation": "g6"}).json()
    assert limits["upper_deviation"] == pytest.approx(-0.007)
    assert limits["lower_deviation"] == pytest.approx(-0.020)
    assert limits == cli_json("limits", "25", "g6")


def test_fit_of_25_h7_g6(client: TestClient) -> None:
    """ISO 286-2: 25 H7 is +0.021/0 and 25 g6 −0.007/−0.020 mm."""
    fit = client.get("/api/fit", params={"size": 25, "designation": "H7/g6"}).json()
    # min clearance 0 − (−0.007), max 0.021 − (−0.020)
    assert fit["min_clearance"] == pytest.approx(0.007)
    assert fit["max_clearance"] == pytest.approx(0.041)


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"size": 25, "designation": "zz9"}, "designation"),
        ({"size": "nan", "designation": "g6"}, "size"),
    ],
)
def test_bad_limits_are_422_naming_the_field(
    client: TestClient, params: dict[str, Any], field: str
) -> None:
    response = client.get("/api/limits", params=params)
    assert response.status_code == 422
    assert response.json()["detail"].startswith(f"{field}")


def test_stack_matches_the_cli(client: TestClient, tmp_path: Path) -> None:
    document = {
        "name": "gap",
        "requirement": {"min": 0.0},
        "contributors": [
            {"name": "housing", "nominal": 50.0, "tolerance": "±0.1", "direction": 1},
            {"name": "shaft", "nominal": 49.8, "tolerance": "±0.05", "direction": -1},
        ],
    }
    path = tmp_path / "stack.yaml"
    path.write_text(json.dumps(document), encoding="utf-8")
    answer = client.post("/api/stack", json=document).json()
    assert answer == cli_json("stack", str(path))
    # Worst case: gap 0.2 ± (0.1 + 0.05).
    assert answer["worst_case"]["min"] == pytest.approx(0.05)
    assert answer["worst_case"]["max"] == pytest.approx(0.35)


def test_sampling_plan_of_z14_table_ii_a(client: TestClient) -> None:
    """Lot 1000, level II → code letter J; J at AQL 1.0 normal: n 80, Ac 2, Re 3."""
    plan = client.get("/api/sampling", params={"lot_size": 1000, "aql": "1.0"}).json()
    assert (plan["code_letter"], plan["sample_size"], plan["accept"], plan["reject"]) == (
        "J",
        80,
        2,
        3,
    )
    bad = client.get("/api/sampling", params={"lot_size": 1000, "aql": "0.3"})
    assert bad.status_code == 422
    assert bad.json()["detail"].startswith("aql: must be one of")


def test_capability_of_a_file_matches_the_cli(client: TestClient, examples_dir: Path) -> None:
    path = examples_dir / "measurements" / "sensor_housing_bore.csv"
    expected = cli_json("capability", str(path), "--lsl", "11.995", "--usl", "12.005")
    response = client.post(
        "/api/capability",
        files={"file": (path.name, path.read_bytes())},
        data={"lsl": "11.995", "usl": "12.005"},
    )
    assert response.status_code == 200, response.json()
    answer = response.json()
    contract = [{k: v for k, v in c.items() if k != "plot"} for c in answer["characteristics"]]
    assert contract == expected["characteristics"]
    assert client.get("/api/batches").json() == []


def test_gauge_rr_of_the_aiag_study(client: TestClient, shared_dir: Path) -> None:
    study = shared_dir / "refdata" / "aiag_msa_grr.csv"
    published = json.loads((shared_dir / "refdata" / "aiag_msa_grr_expected.json").read_text())
    response = client.post(
        "/api/gauge-rr",
        files={"file": (study.name, study.read_bytes())},
        data={"method": "average-range"},
    )
    assert response.status_code == 200, response.json()
    answer = response.json()
    assert answer == cli_json("gauge-rr", str(study), "--method", "average-range")
    reference = published["published_average_and_range_AIAG"]
    assert answer["pct_grr"] == pytest.approx(reference["pct_GRR"], abs=0.1)


def test_analyze_runs_as_a_job_and_keeps_the_geometry(
    client: TestClient,
    auth: dict[str, str],
    shared_dir: Path,
    job_waiter: Callable[[str], dict[str, Any]],
) -> None:
    content = (shared_dir / "cad" / "plate_holes.STL").read_bytes()
    response = client.post(
        "/api/analyze", files={"file": ("plate_holes.STL", content)}, headers=auth
    )
    assert response.status_code == 202
    job = job_waiter(response.json()["id"])
    assert job["status"] == "done", job
    assert job["result"]["format"] == "stl"
    assert job["message"].startswith("analysed plate_holes.STL")
    assert client.post("/api/analyze", files={"file": ("x.stl", content)}).status_code == 401
