"""Cycle time without CAD: added operations from tolerances and roughness, CAD facts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from rampwise.cycle_time import (
    GeometryFacts,
    OperationAdder,
    beyond_natural_grade,
    estimate_cycle_time,
    finishing_operations,
    is_turned,
    operation_adders,
)
from rampwise.errors import InputError
from rampwise.model import Part, Project, Stage
from rampwise.project_file import load_project, project_from_mapping
from rampwise.quote import quote_project
from rampwise.shop import default_shop
from rampwise.stock import select_stock
from support import TODAY, build_document


def _example(examples_dir: Path, name: str) -> Project:
    return load_project(examples_dir / name, today=TODAY)


def test_sensor_housing_bore_and_sealing_face_add_operations(examples_dir: Path) -> None:
    shop = default_shop()
    part = _example(examples_dir, "sensor_housing_pilot.yaml").part
    ops = finishing_operations(part, shop.machine("mill_3axis"), shop)
    # Bore Ø12 ±0.005: 0.010 mm wide at 12 mm is IT5 (IT5 = 8 µm, IT6 = 11 µm, ISO 286-1
    # Table 1, 10–18 mm) — finer than the mill's natural IT10; the other sizes are coarser
    # (60 ± 0.1 → 0.2 mm at 60 mm is IT11). The Ra 0.8 sealing face adds a pass over the
    # largest face, 60 × 40 mm = 24 cm² at 120 cm²/min (aluminium) = 0.2 min.
    assert [op.name.split(" (")[0] for op in ops] == [
        "finishing operation for Bore",
        "finishing pass for Sealing face",
    ]
    assert "IT5" in ops[0].name
    assert ops[0].minutes_per_part == pytest.approx(1.5)  # 1.5 min × aluminium factor 1
    assert ops[1].minutes_per_part == pytest.approx(0.2)
    assert all(op.setup_minutes == 10 for op in ops)


def test_natural_grade_depends_on_the_machine(examples_dir: Path) -> None:
    shop = default_shop()
    part = _example(examples_dir, "bracket_fit_check.yaml").part
    # Hole pitch ±0.05 at 50 mm → 0.1 mm = IT10 (IT10 = 100 µm at 30–50 mm): the mill's
    # own grade, no operation; the Ø6 H7 hole is IT7, finer than the mill's IT10 and the
    # grinder's natural IT6 holds it.
    beyond_mill = beyond_natural_grade(part, shop.machine("mill_3axis"))
    assert [(ch.name, grade) for ch, grade in beyond_mill] == [("Mounting hole", 7)]
    assert beyond_natural_grade(part, shop.machine("grinder")) == ()


def test_geometry_facts_replace_the_estimates() -> None:
    shop = default_shop()
    project = project_from_mapping(build_document(), today=TODAY)
    part = project.part
    stock = select_stock(part.envelope_mm or (1, 1, 1), allowance_mm=1.0)
    facts = GeometryFacts(
        removed_volume_mm3=6000.0, machined_area_mm2=2400.0, feature_count=3, setups=3
    )
    cycle = estimate_cycle_time(
        part,
        shop=shop,
        stock=stock,
        operations=(),
        load_minutes_per_setup=2.0,
        turned=False,
        geometry=facts,
    )
    assert cycle.roughing_min == pytest.approx(6.0 / 60)  # 6 cm³ at 60 cm³/min
    assert cycle.finishing_min == pytest.approx(24 / 120)  # 24 cm² at 120 cm²/min
    assert cycle.features_min == pytest.approx(3 * 0.25)  # 3 features timed as holes
    assert cycle.handling_min == pytest.approx(3 * 2.0)
    assert cycle.setups == 3
    assert cycle.part_volume_mm3 == pytest.approx(stock.volume_mm3 - 6000.0)
    assert set(cycle.from_geometry) == {
        "removed_volume_mm3",
        "machined_area_mm2",
        "feature_count",
        "setups",
    }
    assert cycle.total_min == pytest.approx(
        cycle.roughing_min
        + cycle.finishing_min
        + cycle.features_min
        + cycle.tool_changes_min
        + cycle.operations_min
        + cycle.handling_min
    )


def test_route_operations_replace_the_derived_ones() -> None:
    project = project_from_mapping(build_document(), today=TODAY)
    shop = default_shop()
    adders = operation_adders(["reaming", "grinding_surface"], project.part, shop)
    assert [a.name for a in adders] == ["reaming", "grinding_surface"]
    plain = quote_project(project, stage=Stage.LOW_VOLUME, quantities=[10], shop=shop)
    routed = quote_project(
        project,
        stage=Stage.LOW_VOLUME,
        quantities=[10],
        shop=shop,
        extra_operations=[OperationAdder(name="honing", minutes_per_part=5, setup_minutes=0)],
    )
    assert [op.name for op in routed.cycle_time.operations] == ["honing"]
    assert routed.cycle_time.operations_min == 5
    assert plain.cycle_time.operations_min != routed.cycle_time.operations_min


@pytest.mark.parametrize(
    ("envelope", "turned"),
    [([20, 20, 140], True), ([45, 45, 60], False), ([60, 40, 25], False), ([30, 200, 30], True)],
)
def test_turned_envelopes(envelope: list[float], turned: bool) -> None:
    part = Part.model_validate({"number": "x", "material": "4140", "envelope_mm": envelope})
    assert is_turned(part, default_shop()) is turned
    assert is_turned(part, default_shop(), GeometryFacts(turnable=not turned)) is (not turned)


def test_quote_needs_an_envelope() -> None:
    document: dict[str, Any] = build_document()
    del document["part"]["envelope_mm"]
    project = project_from_mapping(document, today=TODAY)
    with pytest.raises(InputError, match=r"part\.envelope_mm"):
        quote_project(project, stage=Stage.PROTOTYPE)
