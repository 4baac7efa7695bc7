"""The batch orchestrator: JSON contract, qcc reproduction end to end, verdict, yield.

References: ``refdata/qcc_expected.json`` › ``pistonrings`` (qcc 3.0, calibration on
subgroups 1–25, 7 significant digits); the bundled example files (their recipe is in
their header comment); hand counts in the comments.
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from rampwise.core.errors import InputError
from rampwise.quality.batch import Verdict, analyze_batch, first_pass_yield
from rampwise.quality.capability import SpecLimits, TargetBasis
from rampwise.quality.charts import VariablesChart
from rampwise.quality.measurements import load_measurements, parse_measurements_csv
from rampwise.quality.rules import RuleSet
from rampwise.quality.specs import SpecTable

CONTRACT = {
    "name",
    "n",
    "mean",
    "sigma_within",
    "sigma_overall",
    "cp",
    "cpk",
    "pp",
    "ppk",
    "cp_ci",
    "cpk_ci",
    "charts",
    "drift",
    "verdict",
    "unit",
    "spec",
    "capability",
    "stable",
    "capable",
    "ppap",
}
"""Keys of a characteristic's JSON: every attribute but the values and plotted series."""
RINGS_SPEC = SpecTable(default=SpecLimits(lsl=73.95, usl=74.05, target=74.0))


@pytest.fixture(scope="module")
def rings_csv(pistonrings: np.ndarray, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("rings") / "pistonrings.csv"
    lines = ["subgroup,value"] + [f"{i // 5 + 1},{v}" for i, v in enumerate(pistonrings)]
    path.write_text("\n".join(lines) + "\n")
    return path


def test_json_is_exactly_the_contract(rings_csv: Path) -> None:
    result = analyze_batch(load_measurements(rings_csv, specs=RINGS_SPEC), calibration=25)
    data = json.loads(result.model_dump_json())
    assert set(data) == {"characteristics", "source", "first_pass_yield", "parts", "rules"} | {
        "calibration"
    }
    (item,) = data["characteristics"]
    assert set(item) == CONTRACT
    assert [set(chart) for chart in item["charts"]] == [
        {"type", "center", "lcl", "ucl", "sigma", "calibration", "violations"}
    ] * 2
    assert set(item["charts"][0]["violations"][0]) == {"rule", "index"}
    assert len(item["cp_ci"]) == 2 and item["verdict"] in {v.value for v in Verdict}


def test_the_json_reads_back_as_an_equal_result_without_the_series(rings_csv: Path) -> None:
    """What an assessment stores: everything but the values and per-point series."""
    result = analyze_batch(
        load_measurements(rings_csv, specs=RINGS_SPEC), calibration=25, small_shift=True
    )
    back = type(result).model_validate(result.model_dump(mode="json"))
    assert back == result
    assert back.model_dump_json() == result.model_dump_json()
    (c,) = back.characteristics
    (original,) = result.characteristics
    assert c.data is None and c.capability_values is None and c.missing == ()
    assert all(chart.statistic is None for chart in c.charts)
    assert [chart.in_control for chart in c.charts] == [x.in_control for x in original.charts]
    assert [chart.violations for chart in c.charts] == [x.violations for x in original.charts]
    assert (c.stable, c.capable, c.ppap, c.unit, c.spec) == (
        original.stable,
        original.capable,
        original.ppap,
        original.unit,
        original.spec,
    )
    assert back.cpk_by_characteristic() == result.cpk_by_characteristic()
    assert (back.source, back.first_pass_yield, back.parts) == (
        "pistonrings.csv",
        result.first_pass_yield,
        result.parts,
    )
    with pytest.raises(ValueError, match="read back from JSON"):
        c.charts[0].plotted()


def test_pistonrings_end_to_end(rings_csv: Path, qcc_expected: dict[str, Any]) -> None:
    rings = qcc_expected["pistonrings"]
    result = analyze_batch(load_measurements(rings_csv, specs=RINGS_SPEC), calibration=25)
    (c,) = result.characteristics
    xbar, r = c.charts
    assert (xbar.type.value, r.type.value) == ("xbar", "r")  # subgroups of 5 → X̄-R
    assert c.n == rings["published_capability_spec_73.95_74.05"]["n_obs"]
    assert c.mean == pytest.approx(rings["published_xbar"]["center"], abs=5e-6)
    assert c.sigma_within == pytest.approx(rings["published_xbar"]["std_dev_UWAVE_R"], rel=5e-7)
    assert c.sigma_overall == pytest.approx(rings["recomputed"]["overall_sd_ddof1"], rel=1e-12)
    full = rings["qcc_run_capability_full_precision"]
    assert c.cp == pytest.approx(full["Cp"][0], rel=5e-7)
    assert c.cpk == pytest.approx(full["Cp_k"][0], rel=5e-7)
    assert c.pp == pytest.approx(full["Pp"][0], rel=5e-7)
    assert c.ppk == pytest.approx(full["Pp_k"][0], rel=5e-7)
    assert c.cp_ci == pytest.approx(full["Cp"][1:], rel=5e-7)
    assert c.cpk_ci == pytest.approx(full["Cp_k"][1:], rel=5e-7)
    expected = rings["qcc_run_rules_phaseI_plus_II"]["xbar_western_electric_rules_1to4"]
    assert {str(v.index): v.rule for v in xbar.violations} == {
        k: f"we{v}" for k, v in expected.items()
    }
    # Cpk 1.66 ≥ 1.33 but phase II violates rules: capable, not stable.
    assert c.verdict is Verdict.CAPABLE and c.capable and not c.stable
    assert result.cpk_by_characteristic() == {"pistonrings": c.cpk}


def test_nelson_and_small_shift_charts(rings_csv: Path) -> None:
    result = analyze_batch(
        load_measurements(rings_csv), calibration=25, rules=RuleSet.NELSON, small_shift=True
    )
    (c,) = result.characteristics
    assert [chart.type.value for chart in c.charts] == ["xbar", "r", "ewma", "cusum"]
    assert c.charts[0].violations[0].rule == "nelson5"
    assert [v.index for v in c.charts[3].violations] == [37, 38, 39, 40]  # qcc CUSUM run
    # No limits: capability is not judged, the chart's run rules still are.
    assert c.cp is None and c.capable is None and not c.stable
    assert c.verdict is Verdict.UNSTABLE_NO_LIMITS
    assert result.first_pass_yield is None


def test_first_pass_yield_counts_parts_across_characteristics() -> None:
    # Part 2 is out on A (0.5 < 1), part 3 out on B (9 > 8): 2 of 4 parts pass.
    text = "part,A,B\n1,1.5,5\n2,0.5,5\n3,1.5,9\n4,1.9,7\n"
    specs = SpecTable(by_name={"A": SpecLimits(lsl=1, usl=2), "B": SpecLimits(usl=8)})
    data = parse_measurements_csv(text, specs=specs)
    assert first_pass_yield(data.characteristics) == (0.5, 4)
    # A value exactly on a limit conforms.
    on_limit = parse_measurements_csv(
        "A\n1\n2\n", specs=SpecTable(default=SpecLimits(lsl=1, usl=2))
    )
    assert first_pass_yield(on_limit.characteristics) == (1.0, 2)


def test_verdicts() -> None:
    # Values 0.5 ± 0.01 alternating around the centre: moving ranges 0.02, 0.015, 0.01,
    # 0.015 → σ̂ ≈ 0.015/1.128 = 0.0133, every |z| ≤ 0.75 and no run on one side, so
    # no Western Electric rule fires (stable).
    values = 0.5 + 0.01 * np.resize([1.0, -1.0, 0.5, -0.5], 24)
    text = "value\n" + "\n".join(str(v) for v in values)
    wide = parse_measurements_csv(text, specs=SpecTable(default=SpecLimits(lsl=0, usl=1)))
    (c,) = analyze_batch(wide).characteristics
    # Cpk = 0.5 / (3·0.0133) ≈ 12.5 ≥ 1.33
    assert c.stable and c.capable and c.verdict is Verdict.BOTH
    narrow = parse_measurements_csv(text, specs=SpecTable(default=SpecLimits(lsl=0.49, usl=0.51)))
    (d,) = analyze_batch(narrow).characteristics
    # Cpk = 0.01 / (3·0.0133) ≈ 0.25 < 1.33
    assert d.cpk == pytest.approx(0.25, abs=0.01)
    assert d.stable and d.capable is False and d.verdict is Verdict.STABLE
    unlimited = parse_measurements_csv(text)
    (e,) = analyze_batch(unlimited).characteristics
    assert e.stable and e.capable is None and e.verdict is Verdict.STABLE_NO_LIMITS


def test_bundled_bore_example_shows_the_tool_wear(examples_dir: Path) -> None:
    path = examples_dir / "measurements" / "sensor_housing_bore.csv"
    specs = SpecTable(by_name={"Bore": SpecLimits(lsl=11.995, usl=12.005, target=12.0)})
    result = analyze_batch(load_measurements(path, specs=specs))
    (bore,) = result.characteristics
    assert bore.n == 40 and bore.charts[0].type.value == "xbar"
    # Recipe: tool change at part 21, wear 0.12 µm/part → a significant negative slope
    # in the second segment and an upward offset suggestion.
    drift = bore.drift
    assert drift is not None and (drift.segment_start, drift.segment_length) == (21, 20)
    assert drift.significant and drift.slope < 0
    assert drift.offset is not None and drift.offset > 0 and drift.apply_at_part == 41
    assert result.first_pass_yield == 1.0  # every value lies in 11.995…12.005
    assert all(11.995 <= v <= 12.005 for v in bore.data.values)


def test_bundled_individuals_example_uses_imr(examples_dir: Path) -> None:
    path = examples_dir / "measurements" / "sensor_housing_individuals.csv"
    result = analyze_batch(load_measurements(path))
    assert [c.name for c in result.characteristics] == ["Bore", "Overall length"]
    assert all(c.charts[0].type.value == "i" for c in result.characteristics)
    assert result.characteristics[0].data.tool_changes == (24,)  # part 25


def test_r_chart_on_individuals_is_an_input_error_naming_the_characteristic() -> None:
    data = parse_measurements_csv("Bore\n1\n2\n3\n")
    with pytest.raises(InputError) as info:
        analyze_batch(data, chart=VariablesChart.XBAR_R)
    assert info.value.field == "characteristic 'Bore', subgroup 1"


def test_calibration_larger_than_the_data_is_an_input_error(rings_csv: Path) -> None:
    with pytest.raises(InputError, match="calibration"):
        analyze_batch(load_measurements(rings_csv), calibration=41)


def test_bundled_spec_file_matches_the_example_project(examples_dir: Path) -> None:
    from rampwise.io.spec_file import load_spec_file

    table = load_spec_file(examples_dir / "measurements" / "sensor_housing_spec.yaml")
    # sensor_housing_pilot.yaml: Bore 12.0 ±0.005, Overall length 60.0 ±0.1; no target
    # given, so each aims at mid-tolerance (11.995 + 12.005)/2 = 12.0, (59.9 + 60.1)/2 = 60.0
    assert table.by_name["Bore"] == SpecLimits(lsl=11.995, usl=12.005)
    assert table.by_name["Overall length"] == SpecLimits(lsl=59.9, usl=60.1)
    assert table.by_name["Bore"].target == pytest.approx(12.0, abs=1e-12)
    assert table.by_name["Bore"].target_basis is TargetBasis.MID_TOLERANCE


def test_streamed_json_is_the_same_text_as_the_contract(rings_csv: Path) -> None:
    """``capability --json`` writes the violation lists from their runs, block by block."""
    result = analyze_batch(
        load_measurements(rings_csv, specs=RINGS_SPEC),
        calibration=25,
        small_shift=True,
        rules=RuleSet.NELSON,
    )
    out = io.StringIO()
    result.write_json(out)
    assert out.getvalue() == result.model_dump_json()


def test_a_long_drifting_batch_keeps_runs_not_points(tmp_path: Path) -> None:
    """A pattern that persists is one run, however many points it flags."""
    values = 12.0 + np.where(np.arange(20_000) < 10_000, 0.0, 0.008)
    values = values + np.random.default_rng(3).normal(0, 0.001, values.size)
    path = tmp_path / "shift.csv"
    path.write_text("value\n" + "\n".join(f"{v:.6f}" for v in values) + "\n")
    result = analyze_batch(load_measurements(path), calibration=10_000)
    individuals = result.characteristics[0].charts[0]
    # 8σ above the phase-I centre: every later point is beyond the UCL, one WE 1 run
    assert individuals.flags.by_rule()["we1"][-1] == (10_001, 20_000)
    assert individuals.flags.first.size < 1_000 < individuals.flags.count
    out = io.StringIO()
    result.write_json(out)
    assert json.loads(out.getvalue()) == json.loads(result.model_dump_json())
