"""``rampwise gauge-rr`` in-process (AIAG data, ``shared/refdata/aiag_msa_grr.csv``)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rampwise.app.cli import app

runner = CliRunner()


def test_json_matches_minitab_percentages(shared_dir: Path) -> None:
    """aiag_msa_grr_expected.json: %SV GRR 27.86, %Tol (8, 6σ) 22.68, ndc 4."""
    study = shared_dir / "refdata" / "aiag_msa_grr.csv"
    result = runner.invoke(app, ["gauge-rr", str(study), "--tolerance", "8", "--json"])
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["pct_grr"] == pytest.approx(27.86, abs=5e-3)
    assert data["pct_grr_tolerance"] == pytest.approx(22.68, abs=5e-3)
    assert data["ndc"] == 4
    assert data["acceptability"] == "marginal"


def test_text_view_average_range(shared_dir: Path) -> None:
    study = shared_dir / "refdata" / "aiag_msa_grr.csv"
    result = runner.invoke(app, ["gauge-rr", str(study), "--method", "average-range"])
    assert result.exit_code == 0, result.stderr
    assert "26.68" in result.stdout  # AIAG worksheet %GRR


def test_bad_method_exits_2(shared_dir: Path) -> None:
    study = shared_dir / "refdata" / "aiag_msa_grr.csv"
    result = runner.invoke(app, ["gauge-rr", str(study), "--method", "xbar"])
    assert result.exit_code == 2
    assert result.stderr.strip() == "error: method: must be one of anova, average-range; got 'xbar'"


def test_missing_file_exits_2(tmp_path: Path) -> None:
    result = runner.invoke(app, ["gauge-rr", str(tmp_path / "none.csv")])
    assert result.exit_code == 2
    assert "cannot read" in result.stderr
