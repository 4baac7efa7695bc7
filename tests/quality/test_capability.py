"""Capability and performance indices with intervals, normality, thresholds.

References: ``refdata/qcc_capability_fixture.json`` (qcc 3.0 ``test-capability.R``,
asserted there to 1e-6), ``refdata/qcc_expected.json`` › ``pistonrings`` capability
scenarios (qcc vignette, 2–4 printed digits, and a full-precision qcc run, 7 digits),
``refdata/nist_expected.json`` › ``capability_6.1.6`` (NIST/SEMATECH 6.1.6, 4 decimals),
``refdata/acceptance_criteria.json`` (AIAG PPAP 4th ed. thresholds).
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from rampwise.core.errors import InputError
from rampwise.quality.capability import (
    PpapStatus,
    SpecLimits,
    anderson_darling,
    box_cox,
    capability_thresholds,
    is_capable,
    ppap_status,
    process_capability,
)
from rampwise.quality.charts import xbar_r_charts

INDICES = {
    "Cp": "cp",
    "Cp_l": "cpl",
    "Cp_u": "cpu",
    "Cp_k": "cpk",
    "Cpm": "cpm",
    "Pp": "pp",
    "Pp_l": "ppl",
    "Pp_u": "ppu",
    "Pp_k": "ppk",
    "Ppm": "ppm_index",
}


@pytest.fixture(scope="module")
def fixture(refdata: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((refdata / "qcc_capability_fixture.json").read_text())
    return data


def fixture_capability(fixture: dict[str, Any], spec: SpecLimits) -> Any:
    values = np.array(fixture["data_3x4"]).ravel()
    xbar, _ = xbar_r_charts(values, [4, 4, 4])  # σ = R̄/d2(4), d2 = 2.059
    return process_capability(values, spec, sigma_within=xbar.sigma, mean=xbar.center)


def assert_triples(capability: Any, expected: dict[str, Any], tolerance: float) -> None:
    for name, triple in expected.items():
        if name in INDICES:
            got = getattr(capability, INDICES[name])
            assert [got.value, got.lower, got.upper] == pytest.approx(triple, abs=tolerance), name


@pytest.mark.parametrize(
    ("key", "spec"),
    [
        ("two_sided_spec_9.9_10.1_target_10.0", SpecLimits(lsl=9.9, usl=10.1, target=10.0)),
        ("two_sided_target_10.02", SpecLimits(lsl=9.9, usl=10.1, target=10.02)),
        ("upper_only_USL_10.1", SpecLimits(usl=10.1)),
        ("lower_only_LSL_9.9", SpecLimits(lsl=9.9)),
    ],
)
def test_qcc_fixture(fixture: dict[str, Any], key: str, spec: SpecLimits) -> None:
    capability = fixture_capability(fixture, spec)
    assert_triples(capability, fixture[key], 1e-6)
    if spec.lsl is None or spec.usl is None:  # "others": "NA"
        assert capability.cp is capability.cpm is capability.pp is capability.ppm_index is None
        assert (capability.cpl is None) is (spec.lsl is None)
        assert (capability.cpu is None) is (spec.usl is None)


def test_fixture_keeps_pp_above_cp(fixture: dict[str, Any]) -> None:
    # The fixture's note: overall sd < R̄/d2 on this tiny set; Pp > Cp must not be "fixed".
    capability = fixture_capability(fixture, SpecLimits(lsl=9.9, usl=10.1))
    assert capability.pp.value > capability.cp.value


def pistonrings_capability(pistonrings: np.ndarray, spec: SpecLimits) -> Any:
    xbar, _ = xbar_r_charts(pistonrings, [5] * 40, calibration=25)
    return process_capability(pistonrings[:125], spec, sigma_within=xbar.sigma, mean=xbar.center)


def test_pistonrings_full_precision(pistonrings: np.ndarray, qcc_expected: dict[str, Any]) -> None:
    expected = qcc_expected["pistonrings"]["qcc_run_capability_full_precision"]
    capability = pistonrings_capability(pistonrings, SpecLimits(lsl=73.95, usl=74.05, target=74))
    assert capability.n == 125
    for name, triple in expected.items():
        if name in INDICES:
            got = getattr(capability, INDICES[name])
            assert [got.value, got.lower, got.upper] == pytest.approx(triple, rel=5e-7), name
    assert capability.expected_ppm_within.total / 1e4 == pytest.approx(0, abs=0.5)  # "0 %"


def test_pistonrings_vignette_scenarios(
    pistonrings: np.ndarray, qcc_expected: dict[str, Any]
) -> None:
    rings = qcc_expected["pistonrings"]
    target = pistonrings_capability(pistonrings, SpecLimits(lsl=73.95, usl=74.05, target=74.02))
    t = rings["published_capability_target_74.02"]
    assert [target.cpm.value, target.cpm.lower, target.cpm.upper] == pytest.approx(
        t["Cpm"], abs=5e-4
    )
    assert target.cpk.value == pytest.approx(t["Cp_k"], abs=5e-4)

    narrow = pistonrings_capability(pistonrings, SpecLimits(lsl=73.99, usl=74.01))
    n = rings["published_capability_spec_73.99_74.01"]
    for name in ("Cp", "Cp_l", "Cp_u", "Cp_k", "Cpm"):
        assert getattr(narrow, INDICES[name]).value == pytest.approx(n[name], abs=5e-4)
    pct = 1e4  # ppm per %
    assert narrow.expected_ppm_within.below_lsl / pct == pytest.approx(n["Exp<LSL_pct"], abs=0.5)
    assert narrow.observed_ppm.below_lsl / pct == pytest.approx(n["Obs<LSL_pct"], abs=0.5)
    assert narrow.expected_ppm_within.above_usl / pct == pytest.approx(n["Exp>USL_pct"], abs=0.5)
    assert narrow.observed_ppm.above_usl / pct == pytest.approx(n["Obs>USL_pct"], abs=0.5)

    wide = pistonrings_capability(pistonrings, SpecLimits(lsl=73.99, usl=74.1, target=74.045))
    w = rings["published_capability_spec_73.99_74.1"]
    for name in ("Cp", "Cp_l", "Cp_u", "Cp_k", "Cpm"):
        assert getattr(wide, INDICES[name]).value == pytest.approx(w[name], abs=5e-4)


def test_nist_capability_example(refdata: Path) -> None:
    case = json.loads((refdata / "nist_expected.json").read_text())["capability_6.1.6"]
    given_, expected = case["input"], case["expected"]
    # Values with mean exactly 16 and sample σ exactly 2 (standardised, then scaled).
    z = np.linspace(-1.0, 1.0, 21)
    values = given_["mean"] + given_["sigma"] * (z - z.mean()) / z.std(ddof=1)
    spec = SpecLimits(lsl=given_["LSL"], usl=given_["USL"])
    capability = process_capability(values, spec, sigma_within=given_["sigma"])
    assert capability.cp.value == pytest.approx(expected["Cp"], abs=5e-5)
    assert capability.cpk.value == pytest.approx(expected["Cpk"], abs=5e-5)
    assert capability.cpu.value == pytest.approx(expected["Cpu"], abs=5e-5)
    assert capability.cpl.value == pytest.approx(expected["Cpl"], abs=5e-5)
    # k = |midpoint − μ| / half-width and Cpk = Cp·(1 − k) (NIST 6.1.6)
    k = abs(14 - given_["mean"]) / 6
    assert k == pytest.approx(expected["k"], abs=5e-5)
    assert capability.cpk.value == pytest.approx(capability.cp.value * (1 - k))


# D'Agostino & Stephens (1986) Table 4.9: p-value of A*² by range, one seed per range.
AD_BRANCHES = [
    (5, 0.0, 0.2, lambda a: 1 - math.exp(-13.436 + 101.14 * a - 223.73 * a * a)),
    (7, 0.2, 0.34, lambda a: 1 - math.exp(-8.318 + 42.796 * a - 59.938 * a * a)),
    (1, 0.34, 0.6, lambda a: math.exp(0.9177 - 4.279 * a - 1.38 * a * a)),
    (22, 0.6, 99.0, lambda a: math.exp(1.2937 - 5.709 * a + 0.0186 * a * a)),
]


@pytest.mark.parametrize(("seed", "low", "high", "p_of"), AD_BRANCHES)
def test_anderson_darling_statistic_and_p_value(
    seed: int, low: float, high: float, p_of: Any
) -> None:
    values = np.random.default_rng(seed).normal(10, 2, 50)
    ours = anderson_darling(values)
    assert ours is not None
    reference = stats.anderson(values, method="interpolate")
    assert ours.statistic == pytest.approx(float(reference.statistic), rel=1e-10)
    a = ours.adjusted_statistic
    assert a == pytest.approx(ours.statistic * (1 + 0.75 / 50 + 2.25 / 50**2))
    assert low <= a < high
    assert ours.p_value == pytest.approx(p_of(a))
    assert ours.normal is (ours.p_value >= 0.05)


def test_anderson_darling_needs_eight_values() -> None:
    assert anderson_darling([1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0]) is None


def test_skewed_data_gets_a_labelled_box_cox_capability() -> None:
    values = np.random.default_rng(11).lognormal(mean=0.0, sigma=0.5, size=200)
    spec = SpecLimits(lsl=0.05, usl=8.0)
    capability = process_capability(values, spec, sigma_within=float(np.std(values, ddof=1)))
    assert capability.normality is not None and not capability.normality.normal
    other = capability.non_normal
    assert other is not None
    assert "Box-Cox" in other.label and f"λ = {other.box_cox_lambda:g}" in other.label
    assert other.box_cox_lambda == pytest.approx(0.0, abs=0.2)  # lognormal: log transform
    assert other.normality is not None and other.normality.normal
    # Ppk on the transformed scale, by hand
    y = box_cox(values, other.box_cox_lambda)
    low, high = box_cox([0.05, 8.0], other.box_cox_lambda)
    sd = np.std(y, ddof=1)
    assert other.ppk == pytest.approx(min(y.mean() - low, high - y.mean()) / (3 * sd))
    assert other.cpk is None  # no within-σ estimator given


def test_thresholds_come_from_the_catalog(refdata: Path) -> None:
    limits = capability_thresholds()
    assert (limits.cpk_min, limits.ppk_accept_above, limits.ppk_conditional_min) == (
        1.33,
        1.67,
        1.33,
    )
    assert all("AIAG" in source for source in limits.sources.values())
    criteria = json.loads((refdata / "acceptance_criteria.json").read_text())
    ppap = criteria["PPAP_4th_ed_initial_process_studies_(AIAG 2006, sec 2.2.11.3)"]
    assert "index>1.67" in ppap and "1.33<=index<=1.67" in ppap and "index<1.33" in ppap


@pytest.mark.parametrize(
    ("ppk", "status"),
    [
        (1.68, PpapStatus.ACCEPTED),
        (1.67, PpapStatus.CONDITIONAL),
        (1.33, PpapStatus.CONDITIONAL),
        (1.32, PpapStatus.REJECTED),
    ],
)
def test_ppap_bands(ppk: float, status: PpapStatus) -> None:
    assert ppap_status(ppk) is status


def test_cpk_threshold_is_inclusive() -> None:
    assert is_capable(1.33) and not is_capable(1.3299)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"lsl": 12.005, "usl": 11.995}, "spec"),
        ({}, "spec"),
        ({"lsl": 1.0, "usl": 2.0, "target": 3.0}, "target"),
        ({"lsl": float("nan")}, "lsl"),
    ],
)
def test_bad_spec_limits(kwargs: dict[str, float], field: str) -> None:
    with pytest.raises(InputError) as info:
        SpecLimits(**kwargs)
    assert info.value.field == field


def test_capability_rejects_bad_sigma_and_tiny_samples() -> None:
    spec = SpecLimits(lsl=0, usl=1)
    with pytest.raises(InputError, match="sigma_within"):
        process_capability([0.4, 0.6], spec, sigma_within=0.0)
    with pytest.raises(InputError, match="at least 2"):
        process_capability([0.4], spec, sigma_within=0.1)


@settings(max_examples=80, deadline=None)
@given(
    values=st.lists(
        st.floats(-100, 100, allow_nan=False, allow_infinity=False), min_size=2, max_size=40
    ).filter(lambda v: np.std(v) > 1e-6),
    lsl=st.floats(-200, 0),
    width=st.floats(0.1, 400),
    sigma=st.floats(0.01, 50),
)
def test_cpk_never_exceeds_cp(values: list[float], lsl: float, width: float, sigma: float) -> None:
    capability = process_capability(
        values, SpecLimits(lsl=lsl, usl=lsl + width), sigma_within=sigma
    )
    assert capability.cpk.value <= capability.cp.value + 1e-12
    assert capability.ppk.value <= capability.pp.value + 1e-12
    assert capability.cpm.value <= capability.cp.value + 1e-12


@pytest.mark.parametrize("seed", [1, 2])
def test_box_cox_lambda_is_the_maximum_likelihood_one(seed: int) -> None:
    from rampwise.quality.capability import box_cox_lambda

    values = np.random.default_rng(seed).gamma(3.0, 2.0, 500)
    assert box_cox_lambda(values) == pytest.approx(
        stats.boxcox_normmax(values, method="mle"), abs=0.006
    )
