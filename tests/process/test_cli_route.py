"""``rampwise route`` in-process: exit code, stdout and stderr apart."""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from typer.testing import CliRunner

from rampwise.app.cli import app
from rampwise.rules.process import Route
from support import build_document

runner = CliRunner()


def test_route_json_is_the_route_contract(examples_dir: Path) -> None:
    path = examples_dir / "valve_body_production.yaml"
    result = runner.invoke(app, ["route", str(path), "--stage", "mass_production", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    Route.model_validate(data)
    assert data["stage"] == "mass_production"
    chains = {c["id"]: c["chain"] for c in data["characteristics"]}
    assert chains["1"] == ["drilling", "reaming"]  # H7 spool bore: drill → ream
    assert data["validation_run"]["quantity"] == 300
    assert data["workholding"]["kind"] == "dedicated_fixture"
    assert result.stderr == ""


def test_route_table_explains_each_characteristic(examples_dir: Path) -> None:
    result = runner.invoke(app, ["route", str(examples_dir / "sensor_housing_pilot.yaml")])
    assert result.exit_code == 0, result.output
    for text in ("Route of SH-100", "honing", "Workholding: dedicated fixture", "Validation run"):
        assert text in result.stdout
    assert "#1 Bore" in result.stdout


def test_every_bundled_example_routes(examples_dir: Path) -> None:
    for path in sorted(examples_dir.glob("*.yaml")):
        result = runner.invoke(app, ["route", str(path), "--json"])
        assert result.exit_code == 0, (path.name, result.output)
        assert json.loads(result.stdout)["characteristics"]


def test_bad_project_one_line_exit_2(tmp_path: Path) -> None:
    document = build_document()
    document["part"]["characteristics"][0]["tolerance"] = "t7"
    document["part"]["characteristics"][0]["nominal"] = 20.0
    path = tmp_path / "p.yaml"
    path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    result = runner.invoke(app, ["route", str(path)])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "shaft t7 is not defined by ISO 286 at 20 mm" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_missing_file_exit_2(tmp_path: Path) -> None:
    result = runner.invoke(app, ["route", str(tmp_path / "none.yaml")])
    assert result.exit_code == 2
    assert "not found" in result.stderr
