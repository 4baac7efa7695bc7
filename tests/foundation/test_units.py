"""Lengths in the user's unit: the digits every face prints, and the unit the loader keeps.

Hand calculations use the exact inch, 25.4 mm (1959 international yard and pound
agreement), and 1 µin = 0.0254 µm.
"""

from __future__ import annotations

import copy

import pytest

from rampwise.core.units import (
    LengthUnit,
    length_unit,
    limit_text,
    quantity_text,
    roughness_text,
    size_text,
    sizes_text,
    tolerance_text,
)
from rampwise.io.project_file import project_from_mapping
from support import TODAY, build_document


def test_a_symmetric_inch_limit_reads_as_drawn_with_the_mm_beside() -> None:
    # 12.7 mm / 25.4 = 0.5000 in; 0.00508 mm / 25.4 = 0.0002 in; 0.00508 → 0.0051 mm (4 dp)
    assert limit_text(12.7, 0.00508, -0.00508, "in") == (
        "0.5000 in ±0.0002 in (12.700 mm ±0.0051 mm)"
    )
    assert limit_text(12.7, 0.00508, -0.00508, LengthUnit.INCH, beside=False) == (
        "0.5000 in ±0.0002 in"
    )


def test_an_asymmetric_limit_gives_both_deviations_a_zero_bare() -> None:
    # Ø12 H7 = +0.018/0 mm (ISO 286-2); 12/25.4 = 0.47244 in; 0.018/25.4 = 0.000709 in
    assert limit_text(12.0, 0.018, 0.0, "in") == ("0.4724 in +0.0007/0 in (12.000 mm +0.0180/0 mm)")
    assert limit_text(12.0, 0.018, 0.0, "mm") == "12 mm +0.018/0 mm"
    assert limit_text(20.0, -0.007, -0.020, "mm") == "20 mm -0.007/-0.02 mm"  # g6 at 20


def test_sizes_have_three_decimals_in_inches_and_four_digits_in_mm() -> None:
    # 38.1 mm = 1.5 in; a box 38.1 × 38.1 × 25.4 mm = 1.5 × 1.5 × 1 in
    assert size_text(38.1, "in") == "1.500 in (38.100 mm)"
    assert size_text(38.1, "in", beside=False) == "1.500 in"
    assert size_text(12.7, "in", toleranced=True) == "0.5000 in (12.700 mm)"
    assert size_text(12.7, "mm") == "12.7 mm"
    assert size_text(1234.5, "mm") == "1,234.50 mm"
    assert sizes_text([38.1, 38.1, 25.4], "in") == (
        "1.500 × 1.500 × 1.000 in (38.100 × 38.100 × 25.400 mm)"
    )
    assert sizes_text([80, 30, 12], "mm") == "80 × 30 × 12 mm"


def test_tolerances_have_four_decimals_in_inches() -> None:
    # ±0.0002 in is 0.0004 in wide = 0.01016 mm → "0.0102 mm"
    assert tolerance_text(0.01016, "in") == "0.0004 in (0.0102 mm)"
    assert tolerance_text(0.018, "mm", signed=True) == "+0.018 mm"
    assert tolerance_text(0.0254, "in", signed=True) == "+0.0010 in (+0.0254 mm)"


def test_roughness_is_in_microinches_for_an_inch_project() -> None:
    # Ra 32 µin × 0.0254 = 0.8128 µm
    assert roughness_text(0.8128, "in") == "32 µin (0.8128 µm)"
    assert roughness_text(0.8, "mm") == "0.8 µm"


def test_a_gauge_figure_follows_its_stored_unit() -> None:
    assert quantity_text(0.0254, "mm", "in") == "0.0010 in (0.0254 mm)"
    assert quantity_text(0.8128, "um", "in") == "32 µin (0.8128 µm)"
    assert quantity_text(0.5, "deg", "in") == "0.5 °"  # angles are not lengths


def test_anything_but_inches_is_shown_in_mm() -> None:
    """A result stored before units were kept has none: it was shown in mm."""
    assert length_unit("in") is LengthUnit.INCH
    assert length_unit(LengthUnit.INCH) is LengthUnit.INCH
    assert length_unit(None) is LengthUnit.MM
    assert length_unit("mm") is LengthUnit.MM


def test_the_loader_keeps_the_files_unit_and_converts_the_lengths() -> None:
    doc = build_document(unit="in")
    doc["part"]["envelope_mm"] = [2, 1, 0.5]
    doc["part"]["characteristics"] = [
        {"id": 1, "name": "Bore", "nominal": 0.5, "tolerance": "±0.0002", "critical": True}
    ]
    sent = copy.deepcopy(doc)
    project = project_from_mapping(doc, today=TODAY)
    assert doc == sent
    assert project.unit is LengthUnit.INCH
    (bore,) = project.part.characteristics
    assert bore.nominal == pytest.approx(12.7)  # 0.5 × 25.4
    assert bore.upper_deviation == pytest.approx(0.00508)  # 0.0002 × 25.4
    assert project_from_mapping(build_document(), today=TODAY).unit is LengthUnit.MM
