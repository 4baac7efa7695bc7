"""Cycle time: the route's added operations, the route's machine, CAD facts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from planning_support import route_of, stage_plan, stage_quote
from rampwise.core.errors import InputError
from rampwise.core.model import Project, Stage
from rampwise.core.shop import default_shop
from rampwise.core.stock import select_stock
from rampwise.io.project_file import load_project, project_from_mapping
from rampwise.rules.cycle_time import (
    GeometryFacts,
    OperationAdder,
    estimate_cycle_time,
    operation_adders,
)
from rampwise.rules.strategies import StrategyName
from support import TODAY, build_document


def _example(examples_dir: Path, name: str) -> Project:
    return load_project(examples_dir / name, today=TODAY)


def test_sensor_housing_prices_the_route_finishing_operations(examples_dir: Path) -> None:
    """The quote adds the route's extra processes (process_capability.csv), one rule.

    Bore Ø12 ±0.005: 0.010 mm wide at 12 mm is IT5 (ISO 286-1 Table 1, 10–18 mm: IT5 =
    8 µm) — drilling holds IT10, boring and honing finish it; the Ra 0.8 sealing face of
    6061 is diamond fly-cut on the mill, not ground (process_materials.csv). Each is
    1.5 min × aluminium factor 1 per part; boring and fly-cutting take 10 min of tool
    setup on the mill, the hone a machine setup of 60 min (cost_defaults.csv); no grinder
    is set up.
    """
    project = _example(examples_dir, "sensor_housing_pilot.yaml")
    plan = stage_plan(project, Stage.LOW_VOLUME, shop=default_shop())
    finishing = [op for op in plan.operations if op.name in ("boring", "honing", "fly_cutting")]
    assert [op.name for op in finishing] == ["boring", "honing", "fly_cutting"]
    assert not [op for op in plan.operations if "grinding" in op.name]
    assert all(op.minutes_per_part == pytest.approx(1.5) for op in finishing)
    assert [op.setup_minutes for op in finishing] == [10, 60, 10]
    assert plan.tight_tolerance  # the bore needs operations beyond drilling


def test_tight_tolerance_follows_the_route(examples_dir: Path) -> None:
    """Bracket: Ø6 H7 (IT7) needs reaming after drilling, so it is tight; the ±0.05 hole
    pitch is a location the route does not rate and the ±0.1 thickness is milled."""
    project = _example(examples_dir, "bracket_fit_check.yaml")
    route = route_of(project.part, Stage.PROTOTYPE)
    assert route.tight_characteristics == ("2",)
    plan = stage_plan(project, Stage.PROTOTYPE, shop=default_shop())
    assert plan.tight_tolerance
    assert plan.bases[StrategyName.SOFT_JAWS].scrap_rate == 0.12  # scrap_rate_tight


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
    adders = operation_adders(
        ["reaming", "grinding_surface"],
        project.part,
        shop,
        route_machine=shop.machine("mill_3axis"),
    )
    assert [a.name for a in adders] == ["reaming", "grinding_surface"]
    plain = stage_quote(project, Stage.LOW_VOLUME, quantities=[10], shop=shop)
    routed = stage_quote(
        project,
        Stage.LOW_VOLUME,
        quantities=[10],
        shop=shop,
        extra_operations=[OperationAdder(name="honing", minutes_per_part=5, setup_minutes=0)],
    )
    assert [op.name for op in routed.cycle_time.operations] == ["honing"]
    assert routed.cycle_time.operations_min == 5
    assert plain.cycle_time.operations_min != routed.cycle_time.operations_min


@pytest.mark.parametrize(
    ("envelope", "machine"),
    [
        ([20, 20, 140], "lathe"),
        # a round section without prismatic features is turned by the route's rule
        # (process.is_turnable); the quote's own elongation rule (third side ≥ 1.5 × the
        # diameter) that milled this one is gone with the duplicate machine choice
        ([45, 45, 60], "lathe"),
        ([60, 40, 25], "mill_3axis"),
        ([30, 200, 30], "lathe"),
    ],
)
def test_quote_machine_is_the_route_machine(envelope: list[float], machine: str) -> None:
    project = project_from_mapping(
        {
            "project": "envelope only",
            "part": {"number": "x", "material": "4140", "envelope_mm": envelope},
            "quantity": 10,
            "purpose": "pilot_run",
        },
        today=TODAY,
    )
    shop = default_shop()
    assert stage_plan(project, Stage.LOW_VOLUME, shop=shop).machine.name == machine
    other = not shop.machine(machine).turning
    plan = stage_plan(project, Stage.LOW_VOLUME, shop=shop, geometry=GeometryFacts(turnable=other))
    assert plan.machine.turning is other  # a CAD model's turnability decides the route


def test_quote_needs_an_envelope() -> None:
    document: dict[str, Any] = build_document()
    del document["part"]["envelope_mm"]
    project = project_from_mapping(document, today=TODAY)
    with pytest.raises(InputError, match=r"part\.envelope_mm"):
        stage_quote(project, Stage.PROTOTYPE)
