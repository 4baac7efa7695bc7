"""ISO 286 limits and fits against published values and the shared cross-check table."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rampwise.core.errors import InputError
from rampwise.tolerance.iso286 import (
    FeatureType,
    FitType,
    fit,
    grade_for_tolerance,
    hole_letters,
    limits,
    shaft_letters,
    standard_tolerance,
    tolerance_class,
)


def _um(value_mm: float) -> float:
    return round(value_mm * 1000, 3)


def test_every_crosscheck_row_reproduces_to_the_micrometre(shared_dir: Path) -> None:
    """``refdata/tolerance/iso286_limit_deviations_crosscheck.csv``: 7,310 class × range
    limit pairs, each compared there with three independent limit tables (XavierIafrate
    chart JSON, physeng 0.9.2, isofits 1.0; README of that folder). The upper end of each
    range ("over A up to and including B") is the size asked."""
    path = shared_dir / "refdata" / "tolerance" / "iso286_limit_deviations_crosscheck.csv"
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) > 7000
    mismatches = []
    for row in rows:
        result = limits(float(row["to_mm"]), row["tolerance_class"])
        got = (_um(result.upper_deviation), _um(result.lower_deviation))
        if got != (float(row["upper_um"]), float(row["lower_um"])):
            mismatches.append((row["tolerance_class"], row["to_mm"], got))
    assert mismatches == []


def test_limits_25_g6_is_minus_7_minus_20() -> None:
    # ISO 286-2 Table 8 (g, 18–30 mm): g6 = −7 / −20 µm (also the worked example)
    result = limits(25, "g6")
    assert (result.upper_deviation, result.lower_deviation) == (-0.007, -0.020)
    assert (result.upper_limit, result.lower_limit) == (24.993, 24.980)
    assert result.designation == "g6"


def test_fit_25_h7_g6_is_a_clearance_fit_of_7_to_41_um() -> None:
    # H7 at 25 mm: 0 / +21 µm; g6: −7 / −20 µm → clearance 0 − (−7) = 7 … 21 − (−20) = 41 µm
    result = fit(25, "H7/g6")
    assert (result.min_clearance, result.max_clearance) == (0.007, 0.041)
    assert result.fit is FitType.CLEARANCE
    assert result.hole.upper_deviation == 0.021


@pytest.mark.parametrize(
    ("size", "designation", "kind", "min_um", "max_um"),
    [
        # H7 0/+21; k6 +2/+15 → clearance 0−15 … 21−2 = −15 … +19 µm (ISO 286-2 tables)
        (25, "H7/k6", FitType.TRANSITION, -15, 19),
        # H7 0/+21; p6 +22/+35 → −35 … −1 µm
        (25, "H7/p6", FitType.INTERFERENCE, -35, -1),
        # H7 0/+15 (6–10 mm); h6 0/−9 → 0 … 24 µm: zero clearance is still a clearance fit
        (10, "H7/h6", FitType.CLEARANCE, 0, 24),
    ],
)
def test_fit_types(size: float, designation: str, kind: FitType, min_um: int, max_um: int) -> None:
    result = fit(size, designation)
    assert result.fit is kind
    assert (_um(result.min_clearance), _um(result.max_clearance)) == (min_um, max_um)


@pytest.mark.parametrize(
    ("size", "designation", "upper_um", "lower_um"),
    [
        # Δ correction, ISO 286-1 Table 3: K7 18–30: ES = −2 + Δ8 = +6, EI = 6 − 21 = −15
        (25, "K7", 6, -15),
        # P7 18–30: ES = −22 + Δ8 = −14, EI = −35
        (25, "P7", -14, -35),
        # special case M6 over 250 to 315: ES = −9 (not −11), EI = −9 − 32 = −41
        (300, "M6", -9, -41),
        # above 500 mm (no Δ): g6 900–1000 es −26, IT6 56 → −26/−82; m6 ei +34 → +90/+34
        (1000, "g6", -26, -82),
        (1000, "m6", 90, 34),
        # H7 at the top of the range, 2500–3150: IT7 = 210 µm
        (3150, "H7", 210, 0),
        # JS7 at 10 mm: ±IT7/2 = ±7.5 µm (half micrometres kept, ISO 286-2:2010)
        (10, "JS7", 7.5, -7.5),
    ],
)
def test_published_limit_deviations(
    size: float, designation: str, upper_um: float, lower_um: float
) -> None:
    result = limits(size, designation)
    assert (_um(result.upper_deviation), _um(result.lower_deviation)) == (upper_um, lower_um)


def test_range_boundaries_are_over_a_up_to_and_including_b() -> None:
    # 18 mm belongs to 10–18 (IT7 = 18 µm), 18.001 mm to 18–30 (IT7 = 21 µm)
    assert standard_tolerance(18, "IT7") == 0.018
    assert standard_tolerance(18.001, 7) == 0.021


def test_it01_and_it0_exist_only_up_to_500_mm() -> None:
    assert standard_tolerance(400, "IT01") == 0.003  # ISO 286-1 Annex A, 315–400 mm
    with pytest.raises(InputError, match="IT0 is defined only up to 500 mm"):
        standard_tolerance(600, "IT0")


def test_grade_for_tolerance_is_the_coarsest_grade_that_fits() -> None:
    # 25 mm: IT6 13, IT7 21, IT8 33 µm
    assert grade_for_tolerance(25, 0.021) == 7
    assert grade_for_tolerance(25, 0.032) == 7
    assert grade_for_tolerance(25, 0.010) == 5  # IT5 = 9 µm
    assert grade_for_tolerance(25, 10.0) == 18
    assert grade_for_tolerance(25, 0.0005) is None  # finer than IT1 = 1.5 µm


@pytest.mark.parametrize(
    ("size", "designation", "field", "message"),
    [
        (25, "W7", "designation", "unknown fundamental deviation 'W'"),
        (25, "H19", "designation", "grade must be 1–18"),
        (25, "H", "designation", "must be an ISO 286 class"),
        (4000, "h7", "size", "≤ 3150 mm"),
        (0, "h7", "size", "> 0"),
        (float("nan"), "h7", "size", "> 0"),
        # classes the standard leaves undefined (README of refdata/tolerance)
        (20, "t7", "designation", "shaft t7 is not defined by ISO 286 at 20 mm"),
        (12, "v6", "designation", "shaft v6 is not defined"),
        (15, "y6", "designation", "shaft y6 is not defined"),
        (12, "cd7", "designation", "defined over 0 up to 10 mm"),
        (1, "a11", "designation", "shaft a11 is not defined by ISO 286 at 1 mm"),
        (1, "N9", "designation", "hole N9 is not defined"),
        (5, "j8", "designation", "shaft j8 is not defined"),
        (5, "K9", "designation", "hole K9 is not defined"),
        (5, "P2", "designation", "Δ correction is tabulated for IT3–IT8 only"),
    ],
)
def test_bad_input_names_the_field(size: float, designation: str, field: str, message: str) -> None:
    call = fit if "/" in designation else limits
    with pytest.raises(InputError, match=message) as err:
        call(size, designation)
    assert err.value.field == field
    assert "\n" not in str(err.value)


def test_fit_needs_hole_first() -> None:
    with pytest.raises(InputError, match=r"hole \(upper case\) first") as err:
        fit(25, "g6/h7")
    assert err.value.field == "designation"


def test_letters_cover_a_to_zc() -> None:
    assert tolerance_class("ZC7").feature is FeatureType.HOLE
    assert tolerance_class("js5").feature is FeatureType.SHAFT
    assert len(hole_letters()) == len(shaft_letters()) == 28


_DEFINED = st.sampled_from(["d", "e", "f", "g", "h", "js", "k", "m", "n", "p", "r", "s", "u"])


@given(
    letter=_DEFINED,
    grade=st.integers(min_value=5, max_value=8),  # K above IT8 exists only up to 3 mm
    size=st.floats(min_value=3.01, max_value=500, allow_nan=False),
)
def test_width_is_the_standard_tolerance(letter: str, grade: int, size: float) -> None:
    # ISO 286-1: es − ei = IT for every class, whichever deviation is tabulated
    for designation in (f"{letter}{grade}", f"{letter.upper()}{grade}"):
        result = limits(size, designation)
        width = result.upper_deviation - result.lower_deviation
        assert width == pytest.approx(standard_tolerance(size, grade), abs=1e-9)


@given(
    letter=st.sampled_from(["a", "b", "c", "d", "e", "f", "g", "h"]),
    grade=st.integers(min_value=1, max_value=18),
    size=st.floats(min_value=1.01, max_value=500, allow_nan=False),
)
def test_holes_a_to_h_mirror_the_shafts(letter: str, grade: int, size: float) -> None:
    # ISO 286-1 general rule for A–H: EI = −es
    hole = limits(size, f"{letter.upper()}{grade}")
    shaft = limits(size, f"{letter}{grade}")
    assert hole.lower_deviation == pytest.approx(-shaft.upper_deviation, abs=1e-12)


@given(
    hole_grade=st.integers(min_value=6, max_value=9),
    shaft=st.sampled_from(["f6", "g6", "h6", "k6", "m6", "n6", "p6", "s6"]),
    size=st.floats(min_value=3.01, max_value=500, allow_nan=False),
)
def test_fit_type_agrees_with_clearances(hole_grade: int, shaft: str, size: float) -> None:
    result = fit(size, f"H{hole_grade}/{shaft}")
    assert result.min_clearance <= result.max_clearance
    expected = (
        FitType.CLEARANCE
        if result.min_clearance >= 0
        else FitType.INTERFERENCE
        if result.max_clearance <= 0
        else FitType.TRANSITION
    )
    assert result.fit is expected
