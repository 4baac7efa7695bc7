"""``rampwise limits``, ``fit`` and ``stack`` in-process: exit code, stdout, stderr apart."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from rampwise.app.cli import app
from rampwise.tolerance.stackup import StackResult

runner = CliRunner()


def test_limits_json_contract() -> None:
    result = runner.invoke(app, ["limits", "25", "g6", "--json"])
    assert result.exit_code == 0, result.output
    # ISO 286-2: 25 g6 = −0.007 / −0.020 mm
    assert json.loads(result.stdout) == {
        "size": 25.0,
        "designation": "g6",
        "upper_deviation": -0.007,
        "lower_deviation": -0.02,
        "upper_limit": 24.993,
        "lower_limit": 24.98,
    }
    assert result.stderr == ""


def test_limits_table() -> None:
    result = runner.invoke(app, ["limits", "25", "g6"])
    assert result.exit_code == 0
    assert "-0.0070" in result.stdout and "-0.0200" in result.stdout


def test_fit_json_contract() -> None:
    result = runner.invoke(app, ["fit", "25", "H7/g6", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data) == {"hole", "shaft", "min_clearance", "max_clearance", "fit"}
    assert data["hole"]["upper_deviation"] == 0.021
    assert (data["min_clearance"], data["max_clearance"], data["fit"]) == (
        0.007,
        0.041,
        "clearance",
    )


def test_fit_table_names_the_fit() -> None:
    result = runner.invoke(app, ["fit", "25", "H7/p6"])
    assert result.exit_code == 0
    assert "interference fit" in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["limits", "20", "t7"], "designation: shaft t7 is not defined by ISO 286 at 20 mm"),
        (["limits", "25", "W7"], "designation: unknown fundamental deviation 'W'"),
        (["limits", "4000", "h7"], "size: must be > 0 and ≤ 3150 mm"),
        (["limits", "25", "H19"], "designation: grade must be 1–18"),
        (["fit", "25", "g6/H7"], "designation: must name the hole"),
    ],
)
def test_bad_input_one_line_exit_2(args: list[str], message: str) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def _stack_file(tmp_path: Path, **changes: object) -> Path:
    document = {
        "name": "Shaft end play",
        "requirement": {"min": 0.05, "max": 0.50},
        "contributors": [
            {"name": "Housing depth", "nominal": 40.0, "tolerance": "±0.05", "direction": 1},
            {"name": "Bearing width", "nominal": 39.76, "tolerance": "[-0.12, 0]", "direction": -1},
        ],
    }
    document.update(changes)
    path = tmp_path / "stack.yaml"
    path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    return path


def test_stack_json_contract(tmp_path: Path) -> None:
    path = _stack_file(tmp_path)
    result = runner.invoke(
        app, ["stack", str(path), "--method", "monte-carlo", "--samples", "20000", "--json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    StackResult.model_validate(data)
    assert set(data["worst_case"]) >= {"min", "max"}
    assert set(data["rss"]) >= {"min", "max"}
    assert set(data["monte_carlo"]) >= {"min", "max", "mean", "std", "fraction_out"}
    assert [set(c) >= {"name", "share"} for c in data["contributions"]] == [True, True]
    # mean gap 40 − (39.76 − 0.06) = 0.30; WC ± (0.05 + 0.06) = 0.19 … 0.41
    assert data["worst_case"]["min"] == pytest.approx(0.19)
    assert data["worst_case"]["max"] == pytest.approx(0.41)
    assert data["monte_carlo"]["samples"] == 20000


def test_stack_without_monte_carlo_has_null(tmp_path: Path) -> None:
    result = runner.invoke(app, ["stack", str(_stack_file(tmp_path)), "--json"])
    assert result.exit_code == 0
    assert json.loads(result.stdout)["monte_carlo"] is None


def test_stack_table(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["stack", str(_stack_file(tmp_path)), "--method", "monte-carlo", "--samples", "5000"]
    )
    assert result.exit_code == 0, result.output
    for text in ("worst case", "modified RSS", "Monte Carlo", "Stack-up map", "Bearing width"):
        assert text in result.stdout


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"contributors": []}, "contributors: must list at least one contributor"),
        (
            {"contributors": [{"name": "a", "nominal": 1, "tolerance": "±0.1", "direction": 0}]},
            "contributors[0].direction: must be +1 or -1; got 0",
        ),
    ],
)
def test_bad_stack_one_line_exit_2(
    tmp_path: Path, changes: dict[str, object], message: str
) -> None:
    result = runner.invoke(app, ["stack", str(_stack_file(tmp_path, **changes))])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
