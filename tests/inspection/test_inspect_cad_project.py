"""`rampwise inspect` on a project described by its CAD model alone."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rampwise.app.cli import app


@pytest.mark.cad
def test_pmi_characteristics_are_planned(examples_dir: Path) -> None:
    """NIST FTC 11 carries Ø32 ±0.3 and Ø63 ±0.5 in its AP242 PMI (MANIFEST.md): the plan
    must gauge them although the project file lists no characteristic."""
    result = CliRunner().invoke(
        app, ["inspect", str(examples_dir / "ring_customer_testing.yaml"), "--json"]
    )
    assert result.exit_code == 0, result.stderr
    gauges = json.loads(result.stdout)["plan"]["gauges"]
    names = [g["characteristic"] for g in gauges]
    assert any("Ø32" in n for n in names)
    assert any("Ø63" in n for n in names)
