"""The project commands in-process: exit codes, stdout and stderr apart."""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from typer.testing import CliRunner

from rampwise.api import Assessment
from rampwise.app.cli import app
from support import build_document

runner = CliRunner()


def test_assess_json_is_the_assessment_contract(examples_dir: Path) -> None:
    result = runner.invoke(
        app, ["assess", str(examples_dir / "sensor_housing_pilot.yaml"), "--json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data) == set(Assessment.model_fields)
    assert data["batch"]["characteristics"][0]["name"] == "Bore"
    assert data["stage"] == "low_volume"
    assert isinstance(data["readiness"]["ready"], bool)
    assert [set(a) >= {"area", "status", "evidence", "action"} for a in data["readiness"]["areas"]]
    assert len(data["readiness"]["areas"]) == 7


def test_assess_prints_a_readable_report(examples_dir: Path) -> None:
    result = runner.invoke(app, ["assess", str(examples_dir / "bracket_fit_check.yaml")])
    assert result.exit_code == 0
    assert "Stage: Prototype" in result.stdout
    assert "Design status" in result.stdout
    assert "Next stage: Low volume" in result.stdout
    assert "design_status" not in result.stdout and "low_volume" not in result.stdout


def test_bad_project_exits_2_with_one_line(tmp_path: Path) -> None:
    path = tmp_path / "p.yaml"
    path.write_text(yaml.safe_dump(build_document(purpose="fun")), encoding="utf-8")
    result = runner.invoke(app, ["assess", str(path)])
    assert result.exit_code == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("error: purpose: unknown purpose 'fun'")


def test_missing_file_exits_2(tmp_path: Path) -> None:
    result = runner.invoke(app, ["assess", str(tmp_path / "missing.yaml"), "--json"])
    assert result.exit_code == 2
    assert "not found" in result.stderr


def test_stages_lists_three_profiles() -> None:
    result = runner.invoke(app, ["stages", "--json"])
    assert result.exit_code == 0
    assert [p["stage"] for p in json.loads(result.stdout)] == [
        "prototype",
        "low_volume",
        "mass_production",
    ]


def test_demo_assesses_every_bundled_example(examples_dir: Path) -> None:
    result = runner.invoke(app, ["demo"])
    assert result.exit_code == 0, result.stderr
    for path in examples_dir.glob("*.yaml"):
        assert path.name in result.stdout
    for stage in ("Prototype", "Low volume", "Mass production"):
        assert f"Stage: {stage}" in result.stdout
