"""``rampwise capability`` in-process: exit codes, stdout and stderr apart, the report."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from rampwise.app.cli import app

runner = CliRunner()


@pytest.fixture
def rings(pistonrings: np.ndarray, tmp_path: Path) -> Path:
    path = tmp_path / "rings.csv"
    lines = ["subgroup,value"] + [f"{i // 5 + 1},{v}" for i, v in enumerate(pistonrings)]
    path.write_text("\n".join(lines) + "\n")
    return path


def test_json_on_stdout_only(rings: Path) -> None:
    result = runner.invoke(
        app,
        [
            "capability",
            str(rings),
            "--lsl",
            "73.95",
            "--usl",
            "74.05",
            "--calibration",
            "25",
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    (item,) = data["characteristics"]
    # qcc 3.0 run on pistonrings (refdata/qcc_expected.json): Cpk 1.663219, Ppk 1.616159
    assert item["cpk"] == pytest.approx(1.663219, rel=5e-7)
    assert item["ppk"] == pytest.approx(1.616159, rel=5e-7)
    assert [v["index"] for v in item["charts"][0]["violations"]] == [35, 37, 38, 39, 40]
    assert result.stderr == ""


def test_table_output_and_html_report(rings: Path, tmp_path: Path) -> None:
    report = tmp_path / "batch.html"
    result = runner.invoke(
        app,
        [
            "capability",
            str(rings),
            "--lsl",
            "73.95",
            "--usl",
            "74.05",
            "--target",
            "74",
            "--calibration",
            "25",
            "--rules",
            "nelson",
            "--small-shift",
            "--report",
            str(report),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "rings" in result.stdout and "capable" in result.stdout
    assert "Nelson 5 at 35, 40" in result.stdout  # qcc: 2 of 3 beyond 2σ at 35 and 40
    page = report.read_text()
    assert page.startswith("<!DOCTYPE html>") and page.count("<svg") == 5  # 4 charts + histogram
    assert not re.search(r"(src|href)=\"(https?:)?//", page)  # self-contained
    assert "phase II" in page and "Cpk" in page


def test_spec_file_and_chart_choice(examples_dir: Path, tmp_path: Path) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text("characteristics:\n  Bore: {nominal: 12.0, tolerance: '±0.005'}\n")
    path = examples_dir / "measurements" / "sensor_housing_bore.csv"
    result = runner.invoke(
        app, ["capability", str(path), "--spec", str(spec), "--chart", "imr", "--json"]
    )
    assert result.exit_code == 0, result.output
    (item,) = json.loads(result.stdout)["characteristics"]
    assert [c["type"] for c in item["charts"]] == ["i", "mr"]
    assert item["drift"]["segment_start"] == 21


def test_missing_values_are_reported(tmp_path: Path) -> None:
    path = tmp_path / "m.csv"
    path.write_text(
        "part,A\n" + "\n".join(f"{i},{'' if i == 4 else 10 + i % 3}" for i in range(1, 12))
    )
    failed = runner.invoke(app, ["capability", str(path)])
    assert failed.exit_code == 2
    assert "row 5, column 'A'" in failed.stderr and "missing" in failed.stderr
    allowed = runner.invoke(app, ["capability", str(path), "--allow-missing", "--json"])
    assert allowed.exit_code == 0
    assert json.loads(allowed.stdout)["characteristics"][0]["n"] == 10
    assert "1 missing value(s) reported and not used: A row 5" in allowed.stderr


@pytest.mark.parametrize(
    ("content", "args", "message"),
    [
        ("value\n1\nNaN\n", [], "row 3, column 'value'"),
        ("value\n1\nabc\n", [], "'abc' is not a number"),
        ("value\n1\n2\n", ["--lsl", "2", "--usl", "1"], "limits reversed"),
        ("value\n1\n2\n3\n", ["--chart", "xbar-r"], "subgroup 1: has 1 value"),
        ("value\n1\n", [], "at least 2 points"),
        ("value\n1\n2\n3\n", ["--calibration", "9"], "calibration"),
        ("A,B\n", [], "no values"),
    ],
)
def test_bad_input_exits_2_with_one_line(
    tmp_path: Path, content: str, args: list[str], message: str
) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(content)
    result = runner.invoke(app, ["capability", str(path), *args])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr


def test_spec_and_inline_limits_together_is_a_user_error(rings: Path, tmp_path: Path) -> None:
    spec = tmp_path / "s.yaml"
    spec.write_text("lsl: 1\n")
    result = runner.invoke(app, ["capability", str(rings), "--spec", str(spec), "--lsl", "1"])
    assert result.exit_code == 2 and "--spec" in result.stderr
