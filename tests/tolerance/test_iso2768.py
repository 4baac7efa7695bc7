"""ISO 2768 general tolerances: every cell of the shared tables, boundaries, refusals."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from rampwise.core.errors import InputError
from rampwise.tolerance.iso2768 import (
    DEFAULT_GENERAL_TOLERANCE,
    GeneralClass,
    GeometricClass,
    angular_deviation,
    general_tolerance,
    geometric_tolerance,
    linear_deviation,
    parse_general_tolerance,
    radius_chamfer_deviation,
)


def _rows(shared_dir: Path, name: str) -> list[dict[str, str]]:
    with (shared_dir / "refdata" / "tolerance" / name).open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _sizes(row: dict[str, str], over_key: str = "over_mm", to_key: str = "to_mm") -> list[float]:
    """The two ends of a range "over A up to and including B" (A itself only when 0.5)."""
    low = float(row[over_key])
    high = float(row[to_key]) if row[to_key] else low * 2 + 10
    inside_low = low if low == 0.5 else low + 1e-6
    return [max(inside_low, 1e-3), high]


def test_linear_table_exact(shared_dir: Path) -> None:
    """``refdata/tolerance/iso2768_1_linear.csv`` (ISO 2768-1 Table 1, 6–8 public
    transcriptions agreeing per row): every defined cell at both ends of its range."""
    for row in _rows(shared_dir, "iso2768_1_linear.csv"):
        for cls in GeneralClass:
            for size in _sizes(row):
                if row[cls.value]:
                    assert linear_deviation(size, cls) == float(row[cls.value])
                else:
                    with pytest.raises(InputError, match=f"class {cls.value} no linear value"):
                        linear_deviation(size, cls)


def test_radius_chamfer_table_exact(shared_dir: Path) -> None:
    """``refdata/tolerance/iso2768_1_radius_chamfer.csv`` (ISO 2768-1 Table 2)."""
    for row in _rows(shared_dir, "iso2768_1_radius_chamfer.csv"):
        for cls in GeneralClass:
            for size in _sizes(row):
                assert radius_chamfer_deviation(size, cls) == float(row[cls.value])


def test_angular_table_exact(shared_dir: Path) -> None:
    """``refdata/tolerance/iso2768_1_angular.csv`` (ISO 2768-1 Table 3): arc-minutes / 60."""
    for row in _rows(shared_dir, "iso2768_1_angular.csv"):
        for cls in GeneralClass:
            for leg in _sizes(row, "shorter_leg_over_mm", "shorter_leg_to_mm"):
                expected = float(row[f"{cls.value}_arcmin"]) / 60
                assert angular_deviation(leg, cls) == pytest.approx(expected, rel=1e-15)


def test_geometric_table_exact(shared_dir: Path) -> None:
    """``refdata/tolerance/iso2768_2_geometric.csv`` (ISO 2768-2 Tables 1–4)."""
    names = {
        "straightness_flatness": ("straightness", "flatness"),
        "perpendicularity": ("perpendicularity",),
        "symmetry": ("symmetry",),
        "circular_runout": ("circular_runout",),
    }
    for row in _rows(shared_dir, "iso2768_2_geometric.csv"):
        for characteristic in names[row["characteristic"]]:
            for cls in GeometricClass:
                for length in _sizes(row):
                    value = geometric_tolerance(characteristic, length, cls)
                    assert value == float(row[cls.value])


def test_medium_class_examples() -> None:
    # ISO 2768-m: 25 mm ±0.2, 130 mm ±0.5; radius 4 mm ±0.5; angle with 5 mm leg ±1°
    assert linear_deviation(25) == 0.2
    assert linear_deviation(130, "m") == 0.5
    assert radius_chamfer_deviation(4) == 0.5
    assert angular_deviation(5) == 1.0
    # ISO 2768-K: flatness of a 50 mm face 0.2 mm; run-out 0.2 mm whatever the size
    assert geometric_tolerance("flatness", 50) == 0.2
    assert geometric_tolerance("circular_runout", None) == 0.2


def test_range_boundaries() -> None:
    # 30 belongs to "over 6 up to 30" (m ±0.2); just above 30 to "over 30 up to 120" (±0.3)
    assert linear_deviation(30, "m") == 0.2
    assert linear_deviation(30.0001, "m") == 0.3
    # the first range includes 0.5 mm
    assert linear_deviation(0.5, "f") == 0.05


def test_general_tolerance_as_spec() -> None:
    spec = general_tolerance(130, "ISO 2768-mK")
    assert (spec.upper_deviation, spec.lower_deviation) == (0.5, -0.5)
    assert spec.designation == "ISO 2768-m"
    assert general_tolerance(25).designation == DEFAULT_GENERAL_TOLERANCE


@pytest.mark.parametrize(
    ("text", "designation"),
    [
        ("ISO 2768-mK", "ISO 2768-mK"),
        ("iso 2768-f", "ISO 2768-f"),
        ("2768-cL", "ISO 2768-cL"),
        ("vH", "ISO 2768-vH"),
    ],
)
def test_parse_general_tolerance(text: str, designation: str) -> None:
    assert parse_general_tolerance(text).designation == designation


@pytest.mark.parametrize(
    ("call", "field", "message"),
    [
        (lambda: linear_deviation(0.3), "size", "cover from 0.5 up to 4000 mm"),
        (lambda: linear_deviation(5000), "size", "cover from 0.5 up to 4000 mm"),
        (lambda: linear_deviation(2500, "f"), "size", "class f no linear value"),
        (lambda: linear_deviation(2, "v"), "size", "class v no linear value"),
        (lambda: linear_deviation(-1), "size", "finite length > 0"),
        (lambda: linear_deviation(10, "x"), "class", "must be one of f, m, c, v"),
        (lambda: geometric_tolerance("flatness", 4000, "H"), "length", "cover"),
        (lambda: geometric_tolerance("flatness", None), "length", "is needed"),
        (lambda: geometric_tolerance("roundness", 10), "characteristic", "must be one of"),
        (lambda: geometric_tolerance("flatness", 10, "M"), "class", "must be one of H, K, L"),
        (lambda: parse_general_tolerance("ISO 2768-x"), "general_tolerance", "ISO 2768 class"),
    ],
)
def test_bad_input(call: object, field: str, message: str) -> None:
    with pytest.raises(InputError, match=message) as err:
        call()  # type: ignore[operator]
    assert err.value.field == field
