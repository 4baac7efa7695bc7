"""p, np, c and u charts against qcc 3.0 (Montgomery's data sets).

Reference: ``refdata/qcc_expected.json`` › ``orangejuice_p``, ``orangejuice2_p``,
``circuit_c_u``, ``pcmanufact_u`` (qcc 3.0 vignette and qcc runs; 7 significant digits),
data in ``refdata/qcc_orangejuice*.csv``, ``qcc_circuit.csv``, ``qcc_pcmanufact.csv``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from rampwise.core.errors import InputError
from rampwise.quality.attribute_charts import c_chart, np_chart, p_chart, u_chart
from rampwise.quality.charts import ControlChart


def sig7(value: float) -> float:
    return abs(value) * 5e-7 + 1e-12


def assert_limits(chart: ControlChart, expected: dict[str, float]) -> None:
    assert chart.center == pytest.approx(expected["center"], abs=sig7(expected["center"]))
    assert chart.lcl == pytest.approx(expected["LCL"], abs=sig7(expected["LCL"]))
    assert chart.ucl == pytest.approx(expected["UCL"], abs=sig7(expected["UCL"]))


def columns(rows: list[dict[str, str]], *names: str) -> list[np.ndarray]:
    return [np.array([float(r[n]) for r in rows]) for n in names]


@pytest.fixture(scope="module")
def orangejuice(read_csv: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rows = read_csv("qcc_orangejuice.csv")
    d, n = columns(rows, "D", "size")
    return d, n, np.array([r["trial"] == "True" for r in rows])


def test_orangejuice_p_and_np_phase_one(
    orangejuice: tuple[np.ndarray, ...], qcc_expected: dict[str, Any]
) -> None:
    d, n, trial = orangejuice
    expected = qcc_expected["orangejuice_p"]
    p = p_chart(d[trial], n[trial])
    assert_limits(p, expected["published_p_phaseI"])
    assert_limits(np_chart(d[trial], n[trial]), expected["published_np_phaseI"])
    rules = {str(v.index): int(v.rule.removeprefix("we")) for v in p.violations}
    assert rules == expected["qcc_run_WE_rules_phaseI"]


def test_orangejuice_revised_without_15_and_23(
    orangejuice: tuple[np.ndarray, ...], qcc_expected: dict[str, Any]
) -> None:
    d, n, trial = orangejuice
    keep = trial & ~np.isin(np.arange(1, d.size + 1), [15, 23])
    assert_limits(
        p_chart(d[keep], n[keep]), qcc_expected["orangejuice_p"]["published_p_revised_excl_15_23"]
    )


def test_orangejuice2_lcl_clamped_at_zero(read_csv: Any, qcc_expected: dict[str, Any]) -> None:
    rows = read_csv("qcc_orangejuice2.csv")
    d, n = columns(rows, "D", "size")
    trial = np.array([r["trial"] == "True" for r in rows])
    chart = p_chart(d[trial], n[trial])
    assert_limits(chart, qcc_expected["orangejuice2_p"]["published"])
    assert chart.lcl == 0.0  # raw −0.02235 clamped


@pytest.fixture(scope="module")
def circuit(read_csv: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rows = read_csv("qcc_circuit.csv")
    x, n = columns(rows, "x", "size")
    return x, n, np.array([r["trial"] == "True" for r in rows])


def test_circuit_c_chart_and_revision(
    circuit: tuple[np.ndarray, ...], qcc_expected: dict[str, Any]
) -> None:
    x, _, trial = circuit
    expected = qcc_expected["circuit_c_u"]
    chart = c_chart(x[trial])
    assert_limits(chart, expected["published_c_phaseI"])
    beyond = [v.index for v in chart.violations if v.rule == "we1"]
    assert beyond == expected["recomputed"]["beyond"]
    keep = trial & ~np.isin(np.arange(1, x.size + 1), [6, 20])
    assert_limits(c_chart(x[keep]), expected["published_c_revised_excl_6_20"])


def test_circuit_u_chart_revised_with_phase_two(
    circuit: tuple[np.ndarray, ...], qcc_expected: dict[str, Any]
) -> None:
    x, n, trial = circuit
    expected = qcc_expected["circuit_c_u"]
    keep = trial & ~np.isin(np.arange(1, x.size + 1), [6, 20])
    series = np.concatenate([x[keep], x[~trial]])
    sizes = np.concatenate([n[keep], n[~trial]])
    chart = u_chart(series, sizes, calibration=int(keep.sum()))
    assert int(keep.sum()) == 24
    assert_limits(chart, expected["published_u_revised"])
    rules = {str(v.index): int(v.rule.removeprefix("we")) for v in chart.violations}
    wanted = {
        k: v for k, v in expected["qcc_run_u_WE_rules_revised_plus_phaseII"].items() if k != "note"
    }
    assert rules == wanted


def test_pcmanufact_u_chart(read_csv: Any, qcc_expected: dict[str, Any]) -> None:
    x, n = columns(read_csv("qcc_pcmanufact.csv"), "x", "size")
    assert_limits(u_chart(x, n), qcc_expected["pcmanufact_u"]["published"])


def test_variable_sizes_give_per_point_limits() -> None:
    # p̄ = 6/300 = 0.02; limits 0.02 ± 3√(0.02·0.98/nᵢ) per sample.
    chart = p_chart([1, 2, 3], [50, 100, 150])
    half = 3 * np.sqrt(0.02 * 0.98 / np.array([50, 100, 150]))
    assert chart.upper == pytest.approx(0.02 + half)
    assert chart.lower == pytest.approx(np.maximum(0.02 - half, 0))


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda: p_chart([1, 60], [50, 50]), "defectives"),
        (lambda: p_chart([1, -1], 50), "defectives"),
        (lambda: p_chart([0, 0], 50), "defectives"),
        (lambda: p_chart([1, 2], [50, 0]), "sizes"),
        (lambda: c_chart([1.5, 2]), "nonconformities"),
        (lambda: c_chart([0, 0, 0]), "nonconformities"),
        (lambda: u_chart([1, 2], [1, 2.5]), "sizes"),
        (lambda: np_chart([1], 5), "values"),
    ],
)
def test_bad_counts_are_input_errors(call: Any, field: str) -> None:
    with pytest.raises(InputError) as info:
        call()
    assert info.value.field == field
