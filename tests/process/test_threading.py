"""Threads in the route, the cycle time and the price (rules/threading.py, threading.csv)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from planning_support import route_of
from rampwise.api import assess
from rampwise.core.model import AreaStatus, Part, ReadinessArea, Stage
from rampwise.core.shop import default_shop
from rampwise.core.stock import select_stock
from rampwise.io.project_file import load_project
from rampwise.rules.cycle_time import estimate_cycle_time, thread_adders
from rampwise.rules.threading import ThreadProcess, thread_operation, thread_operations


def _part(material: str, *characteristics: dict[str, Any], **extra: Any) -> Part:
    return Part.model_validate(
        {
            "number": "T-1",
            "material": material,
            "envelope_mm": [60, 40, 25],
            "characteristics": list(characteristics),
            **extra,
        }
    )


def _thread(designation: str, **extra: Any) -> dict[str, Any]:
    return {"id": 1, "name": "Thread", "kind": "thread", "designation": designation, **extra}


@pytest.mark.parametrize(
    ("material", "designation", "turned", "process"),
    [
        # internal up to M12 in aluminium: tapped (threading_rules.csv tap_max_nominal_mm 12)
        ("Al 6061-T6", "M3x0.5-6H", False, ThreadProcess.TAPPING),
        ("Al 6061-T6", "M12-6H", False, ThreadProcess.TAPPING),
        ("Steel 1018", "1/4-20 UNC-2B", False, ThreadProcess.TAPPING),
        # larger than M12: thread-milled on a mill, thread-turned on a lathe
        ("Al 6061-T6", "M16x1.5-6H", False, ThreadProcess.THREAD_MILLING),
        ("Al 6061-T6", "M16x1.5-6H", True, ThreadProcess.THREAD_TURNING),
        # titanium: never tapped (a broken tap scraps the part)
        ("Ti-6Al-4V", "M6-6H", False, ThreadProcess.THREAD_MILLING),
        # external: thread-turned on a turned part, thread-milled on a milled one
        ("Steel 4140", "M12x1.5-6g", True, ThreadProcess.THREAD_TURNING),
        ("Steel 4140", "M12x1.5-6g", False, ThreadProcess.THREAD_MILLING),
    ],
)
def test_process_of_a_thread(
    material: str, designation: str, turned: bool, process: ThreadProcess
) -> None:
    part = _part(material, _thread(designation))
    operation = thread_operation(part.characteristics[0], part, turned=turned)
    assert operation.process is process
    assert process.phrase in operation.reason


def test_thread_adders_time_count_times_minutes_times_material() -> None:
    """4× M3 tapped: 4 × 0.5 min (threading.csv) × feature factor (removal_rates.csv)."""
    shop = default_shop()
    for material, factor in (("Al 6061-T6", 1.0), ("Steel 1018", 2.0), ("SS 316L", 3.0)):
        part = _part(material, _thread("M3x0.5-6H", count=4))
        (adder,) = thread_adders(thread_operations(part, turned=False), part, shop)
        assert adder.minutes_per_part == pytest.approx(4 * 0.5 * factor)
        assert adder.setup_minutes == pytest.approx(10.0)  # one tool setup per batch
        assert adder.replaces_tapped_holes == 4
        assert adder.name == "tapping 4× M3x0.5-6H"
    # an external thread replaces no tapped hole; thread turning 1.5 min × 2 (steel)
    part = _part("Steel 4140", _thread("M12x1.5-6g"))
    (adder,) = thread_adders(thread_operations(part, turned=True), part, shop)
    assert adder.minutes_per_part == pytest.approx(3.0)
    assert adder.replaces_tapped_holes == 0


def test_a_described_thread_replaces_the_generic_tapped_hole_time() -> None:
    """features: 4 tapped holes and the 4× M3 characteristic time the same holes once.

    Without the characteristic: features 4 × minutes_per_tapped_hole 0.5 = 2.0 min.
    With it: features 0 min, operations 4 × 0.5 = 2.0 min; tool changes the same (the
    tapped-hole tool kind gives way to one operation): the cycle is unchanged.
    """
    shop = default_shop()
    features = {"features": {"holes": 6, "tapped_holes": 4, "pockets": 2, "setups": 2}}
    plain = _part("Al 6061-T6", **features)
    threaded = _part("Al 6061-T6", _thread("M3x0.5-6H", count=4), **features)
    stock = select_stock((60, 40, 25), allowance_mm=1.0, round_bar=False)

    def cycle(part: Part) -> Any:
        operations = thread_adders(thread_operations(part, turned=False), part, shop)
        return estimate_cycle_time(
            part,
            shop=shop,
            stock=stock,
            operations=operations,
            load_minutes_per_setup=1.0,
            turned=False,
        )

    before, after = cycle(plain), cycle(threaded)
    assert after.features_min == pytest.approx(before.features_min - 2.0)
    assert after.operations_min == pytest.approx(2.0)
    assert after.tool_changes_min == pytest.approx(before.tool_changes_min)
    assert after.total_min == pytest.approx(before.total_min)
    assert after.operations_setup_min == pytest.approx(10.0)


def test_route_lists_the_threading_operation() -> None:
    part = _part(
        "Al 6061-T6",
        {"id": 1, "name": "Length", "nominal": 60, "tolerance": "±0.1"},
        {"id": 2, "name": "Tapped holes", "kind": "thread", "designation": "M5-6H", "count": 3},
        {"id": 3, "name": "Port", "kind": "thread", "designation": "M20x1.5-6H"},
    )
    route = route_of(part, Stage.LOW_VOLUME)
    steps = {op.process: op for op in route.operations}
    assert steps["tapping"].characteristic_ids == ("2",)
    assert steps["thread_milling"].characteristic_ids == ("3",)
    assert not steps["tapping"].extra and not steps["tapping"].new_setup
    assert "tapping" not in route.extra_operations
    assert [t.process for t in route.threads] == [
        ThreadProcess.TAPPING,
        ThreadProcess.THREAD_MILLING,
    ]


def test_sensor_housing_threads_reach_route_price_and_plan(examples_dir: Path) -> None:
    """Seed 003's 4× M3 × 0.5 6H: tapping in the route, the quote's operations, the plan."""
    assessment = assess(load_project(examples_dir / "sensor_housing_pilot.yaml"))
    assert any(op.process == "tapping" for op in assessment.route.operations)
    assert assessment.quote is not None
    names = [op.name for op in assessment.quote.cycle_time.operations]
    assert "tapping 4× M3x0.5-6H" in names
    gauge = next(g for g in assessment.inspection.gauges if g.characteristic_id == "5")
    # 4 holes × 0.5 min with the GO/NO-GO thread plug gauge (gauges.csv)
    assert (gauge.gauge, gauge.minutes, gauge.capable) == ("thread plug gauge", 2.0, None)
    # the tolerance review accepts the thread's class as its tolerance (before: the
    # designation M3x0.5-6H could not be written)
    review = assessment.readiness.area(ReadinessArea.TOLERANCE_REVIEW)
    assert review.status is AreaStatus.PASS
