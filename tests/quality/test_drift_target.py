"""The tool offset aims at mid-tolerance unless a target is given (issue 22, point 9).

An ISO 286 hole class puts the nominal on a limit: Ø10 H7 is 10.000 +0.015/0 (ISO 286-2
Table 2, via ``rampwise.tolerance.iso286``), so a tool offset re-centred on the nominal
would aim at the lower limit. Every expected figure is a hand calculation on an exact
straight line, written in the comments.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from rampwise.app.cli import app
from rampwise.quality.batch import analyze_batch
from rampwise.quality.capability import SpecLimits, TargetBasis
from rampwise.quality.drift import detect_drift
from rampwise.quality.measurements import parse_measurements_csv
from rampwise.quality.specs import SpecTable, spec_from_characteristic, spec_from_mapping
from rampwise.render.batch_html import render_batch_html
from rampwise.tolerance.iso286 import limits

runner = CliRunner()

PARTS = np.arange(1, 21)
WIGGLE = 1e-6 * np.resize([1.0, -1.0, -1.0, 1.0], 20)
"""Noise orthogonal to a constant and to equally spaced part numbers (fit unchanged)."""
WORN_BORE = 10.0082 - 0.0002 * PARTS + WIGGLE
"""A wearing boring bar: the bore shrinks 0.0002 mm per part, from 10.0080 at part 1 to
10.0042 at part 20; the line projects 10.0082 − 0.0002·21 = 10.0040 at part 21."""


def _csv(values: np.ndarray) -> str:
    return "part,Bore\n" + "\n".join(f"{p},{v:.7f}" for p, v in zip(PARTS, values, strict=True))


def test_h7_spec_aims_at_mid_tolerance_not_the_nominal() -> None:
    h7 = limits(10.0, "H7")  # ISO 286-2: Ø10 H7 = +0.015 / 0 (IT7 at 6–10 mm is 15 µm)
    assert h7.lower_limit == pytest.approx(10.0) and h7.upper_limit == pytest.approx(10.015)
    spec = spec_from_mapping({"nominal": 10.0, "tolerance": "H7"}, field="Bore")
    # (10.000 + 10.015) / 2 = 10.0075
    assert spec.target == pytest.approx(10.0075, abs=1e-12)
    assert spec.target_basis is TargetBasis.MID_TOLERANCE
    given = spec_from_mapping({"nominal": 10.0, "tolerance": "H7", "target": 10.005}, field="B")
    assert given.target == 10.005 and given.target_basis is TargetBasis.GIVEN


def test_project_characteristic_aims_at_mid_tolerance() -> None:
    from rampwise.core.model import Characteristic

    bore = Characteristic(id=1, name="Bore", nominal=10.0, tolerance="H7")
    spec = spec_from_characteristic(bore)
    assert spec is not None
    assert spec.target == pytest.approx(10.0075, abs=1e-12)
    assert spec.target_basis is TargetBasis.MID_TOLERANCE


def test_offset_on_an_h7_bore_points_toward_mid_tolerance() -> None:
    spec = spec_from_mapping({"nominal": 10.0, "tolerance": "H7"}, field="Bore")
    assert spec.target is not None and spec.lsl is not None and spec.usl is not None
    drift = detect_drift(
        WORN_BORE,
        target=spec.target,
        target_basis=TargetBasis.MID_TOLERANCE,
        limits={"lsl": spec.lsl, "usl": spec.usl},
        horizon=30,
    )
    assert drift is not None and drift.significant
    # The line 10.0082 − 0.0002·p is below the LSL 10.000 when p > 41: part 42, inside
    # the horizon 20 + 30. Projected at part 21: 10.0040; mid-tolerance 10.0075, so the
    # offset is 10.0075 − 10.0040 = +0.0035 mm — it raises the size, away from the LSL.
    # (Aimed at the nominal 10.000 it would have been 10.000 − 10.0040 = −0.0040 mm.)
    assert (drift.limit, drift.crossing_part, drift.apply_at_part) == ("lsl", 42, 21)
    assert drift.offset == pytest.approx(+0.0035, abs=1e-9)
    assert drift.target == pytest.approx(10.0075)
    assert drift.summary("mm").endswith(
        "apply an offset of +0.0035 mm at part 21, toward the mid-tolerance target 10.0075 mm"
    )


def test_given_target_wins_over_mid_tolerance() -> None:
    spec = spec_from_mapping({"nominal": 10.0, "tolerance": "H7", "target": 10.006}, field="Bore")
    result = analyze_batch(parse_measurements_csv(_csv(WORN_BORE), specs=SpecTable(default=spec)))
    (bore,) = result.characteristics
    assert bore.drift is not None and bore.drift.offset is not None
    # projected 10.0040 at part 21; given target 10.006 → offset +0.0020 mm
    assert bore.drift.offset == pytest.approx(0.0020, abs=1e-9)
    assert bore.drift.target_basis is TargetBasis.GIVEN
    assert "toward the given target 10.006 mm" in bore.drift.summary("mm")


def test_batch_drift_uses_mid_tolerance_and_the_report_shows_it() -> None:
    spec = spec_from_mapping({"nominal": 10.0, "tolerance": "H7"}, field="Bore")
    result = analyze_batch(parse_measurements_csv(_csv(WORN_BORE), specs=SpecTable(default=spec)))
    (bore,) = result.characteristics
    assert bore.drift is not None
    # the individuals chart's limits are tighter than the tolerance, so a control limit
    # is crossed first; the offset is the same: 10.0075 − 10.0040 = +0.0035 mm
    assert bore.drift.offset == pytest.approx(0.0035, abs=1e-9)
    assert bore.drift.target_basis is TargetBasis.MID_TOLERANCE
    page = render_batch_html(result)
    assert "LSL 10, USL 10.015, mid-tolerance target 10.0075 [mm]" in page
    assert "toward the mid-tolerance target 10.0075 mm" in page
    # the JSON contract carries the target and its basis, and reads back as the model
    again = type(result).model_validate_json(result.model_dump_json())
    assert again.characteristics[0].drift == bore.drift
    assert again.characteristics[0].spec == spec


def test_one_sided_spec_aims_at_the_chart_centre() -> None:
    # No USL-side target for a flatness-like limit: the offset re-centres on the I chart's
    # centre line, the mean of the 20 values, 10.0082 − 0.0002·10.5 = 10.0061.
    result = analyze_batch(
        parse_measurements_csv(_csv(WORN_BORE), specs=SpecTable(default=SpecLimits(lsl=10.0)))
    )
    (bore,) = result.characteristics
    assert bore.drift is not None
    assert bore.drift.target_basis is TargetBasis.CHART_CENTRE
    assert bore.drift.target == pytest.approx(10.0061, abs=1e-9)


def test_capability_command_prints_the_target_used(tmp_path: Path) -> None:
    data = tmp_path / "bore.csv"
    data.write_text(_csv(WORN_BORE) + "\n", encoding="utf-8")
    spec = tmp_path / "spec.yaml"
    spec.write_text("characteristics:\n  Bore: {nominal: 10.0, tolerance: H7}\n")
    result = runner.invoke(app, ["capability", str(data), "--spec", str(spec)])
    assert result.exit_code == 0, result.output
    text = " ".join(result.stdout.split())
    assert "spec LSL 10, USL 10.015, mid-tolerance target 10.0075 [mm]" in text
    assert "apply an offset of +0.0035 mm at part 21, toward the mid-tolerance target" in text
    given = runner.invoke(
        app, ["capability", str(data), "--lsl", "10", "--usl", "10.015", "--target", "10.006"]
    )
    assert given.exit_code == 0, given.output
    assert "given target 10.006" in " ".join(given.stdout.split())
