"""The one tolerance parser: every accepted form, refusals, and round-trips."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from rampwise.core.errors import InputError
from rampwise.tolerance.spec import ToleranceSpec, is_iso_class, parse_tolerance


@pytest.mark.parametrize(
    ("value", "nominal", "upper", "lower", "designation"),
    [
        ("±0.005", None, 0.005, -0.005, None),
        ("+/-0.005", None, 0.005, -0.005, None),
        ("+-0.005", None, 0.005, -0.005, None),
        ("± 0.05", None, 0.05, -0.05, None),
        ("[-0.005, +0.010]", None, 0.010, -0.005, None),
        ("[-0.12, 0]", None, 0.0, -0.12, None),
        ("[−0.12, 0]", None, 0.0, -0.12, None),  # typographic minus
        ("+0.010/-0.005", None, 0.010, -0.005, None),
        ("+0/-0.031", None, 0.0, -0.031, None),
        (0.05, None, 0.05, -0.05, None),
        ("0.05", None, 0.05, -0.05, None),
        ([-0.1, 0.2], None, 0.2, -0.1, None),
        ({"min": 11.99, "max": 12.02}, 12.0, 0.02, -0.01, None),
        ({"upper_deviation": 0.1, "lower_deviation": -0.2}, None, 0.1, -0.2, None),
        # ISO 286-2: H7 at 25 mm 0/+21 µm, g6 −7/−20 µm
        ("H7", 25.0, 0.021, 0.0, "H7"),
        ("g6", 25.0, -0.007, -0.020, "g6"),
        ("25 g6", None, -0.007, -0.020, "g6"),
        ("25 g6", 25.0, -0.007, -0.020, "g6"),
        ("25 ±0.05", None, 0.05, -0.05, None),
    ],
)
def test_accepted_forms(
    value: Any, nominal: float | None, upper: float, lower: float, designation: str | None
) -> None:
    spec = parse_tolerance(value, nominal=nominal)
    assert spec.upper_deviation == pytest.approx(upper, abs=1e-12)
    assert spec.lower_deviation == pytest.approx(lower, abs=1e-12)
    assert spec.designation == designation


@pytest.mark.parametrize(
    ("value", "nominal", "message"),
    [
        ("[0.1, -0.1]", None, "lower deviation 0.1 exceeds upper deviation -0.1"),
        ([0.1, -0.1], None, "lower deviation 0.1 exceeds upper"),
        ({"min": 12.1, "max": 11.9}, 12.0, "min 12.1 exceeds max 11.9"),
        ("-0.1/+0.1", None, "write the upper deviation first"),
        ("[0.1, 0.1]", None, "a tolerance needs a width > 0"),
        ("±0", None, "finite number > 0"),
        ("±-0.1", None, "finite number > 0"),
        (-0.05, None, "finite number > 0"),
        ("H7", None, "needs the nominal size"),
        ({"min": 1, "max": 2}, None, "need the nominal size"),
        ("t7", 20.0, "shaft t7 is not defined by ISO 286 at 20 mm"),
        ("W7", 20.0, "unknown fundamental deviation"),
        ("25 g6", 24.0, "states size 25 but the nominal is 24"),
        ("about 0.1", None, "cannot read"),
        ({"lo": 1}, None, "keys min and max"),
        (True, None, "cannot read"),
        ([1, 2, 3], None, "cannot read"),
        (["a", 0.1], None, "must be a number"),
    ],
)
def test_refusals_name_the_field(value: Any, nominal: float | None, message: str) -> None:
    with pytest.raises(InputError, match=message) as err:
        parse_tolerance(value, nominal=nominal, field="part.characteristics[0].tolerance")
    assert err.value.field.startswith("part.characteristics[0].tolerance")


def test_spec_properties() -> None:
    spec = parse_tolerance("[-0.12, 0]")
    assert spec.width == pytest.approx(0.12)
    assert spec.half_width == pytest.approx(0.06)
    assert spec.mid_deviation == pytest.approx(-0.06)
    assert spec.scaled(25.4).lower_deviation == pytest.approx(-3.048)


def test_is_iso_class() -> None:
    assert is_iso_class("H7") and is_iso_class("25 g6") and is_iso_class("js11")
    assert not is_iso_class("±0.1") and not is_iso_class(0.1) and not is_iso_class("[0, 1]")


_DEVIATION = st.floats(min_value=-5, max_value=5, allow_nan=False, allow_subnormal=False)


@given(a=_DEVIATION, b=_DEVIATION)
def test_text_round_trips(a: float, b: float) -> None:
    assume(a != b)
    spec = ToleranceSpec(upper_deviation=max(a, b), lower_deviation=min(a, b))
    assert parse_tolerance(spec.as_text()) == spec


@given(half=st.floats(min_value=1e-6, max_value=10, allow_nan=False))
def test_symmetric_forms_agree(half: float) -> None:
    expected = parse_tolerance(f"±{half!r}")
    assert parse_tolerance(f"+/-{half!r}") == expected
    assert parse_tolerance(half) == expected
    assert parse_tolerance(f"[{-half!r}, {half!r}]") == expected
    assert expected.as_text() == f"±{half!r}"


@given(
    designation=st.sampled_from(["H7", "g6", "k6", "JS9", "p6", "F8"]),
    size=st.floats(min_value=3.01, max_value=400, allow_nan=False),
)
def test_designated_specs_round_trip_through_their_dump(designation: str, size: float) -> None:
    spec = parse_tolerance(designation, nominal=size)
    assert parse_tolerance(spec.as_text(), nominal=size) == spec
    assert parse_tolerance(spec.model_dump()) == spec


@given(low=st.floats(-100, 100), high=st.floats(-100, 100))
def test_lower_above_upper_is_always_refused(low: float, high: float) -> None:
    assume(low > high)
    with pytest.raises(InputError):
        parse_tolerance([low, high])
