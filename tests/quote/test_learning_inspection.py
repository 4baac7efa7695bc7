"""Wright learning curve with a floor, and seed 003's tiered inspection share."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from planning_support import inspection_of, stage_plan
from rampwise.core.model import Stage
from rampwise.core.shop import default_shop
from rampwise.io.project_file import load_project
from rampwise.rules.cost import inspected_parts, wright_mean_factor
from support import TODAY


def test_two_units_at_ninety_percent() -> None:
    # Wright: unit 2 takes 0.9 of unit 1 → mean (1 + 0.9) / 2 = 0.95
    assert wright_mean_factor(2, 0.9, 0.1) == pytest.approx(0.95)
    # unit 4 takes 0.81: mean of 1, 2^log2(0.9), 3^log2(0.9), 0.81
    b = math.log2(0.9)
    assert wright_mean_factor(4, 0.9, 0.1) == pytest.approx((1 + 0.9 + 3**b + 0.81) / 4)


def test_floor_holds_after_the_curve_reaches_it() -> None:
    # 80 % per doubling: unit 4 takes 0.64 < floor 0.7, so units 4… sit on the floor;
    # units 1–3 take 1, 0.8, 3^log2(0.8) = 0.7021.
    b = math.log2(0.8)
    head = 1 + 0.8 + 3**b
    assert wright_mean_factor(10, 0.8, 0.7) == pytest.approx((head + 7 * 0.7) / 10)


def test_no_learning_at_one() -> None:
    assert wright_mean_factor(1000, 1.0, 0.5) == 1.0
    assert wright_mean_factor(1, 0.9, 0.7) == 1.0


@pytest.mark.parametrize("quantity", [4096, 4097, 50_000, 1_000_000])
def test_long_sums_match_the_exact_sum(quantity: int) -> None:
    # A floor low enough that every unit stays on the curve; the exact mean is summed here.
    b = math.log2(0.9)
    exact = float(np.sum(np.arange(1, quantity + 1, dtype=float) ** b)) / quantity
    assert wright_mean_factor(quantity, 0.9, 1e-6) == pytest.approx(exact, rel=1e-10)


@pytest.mark.parametrize(
    ("quantity", "expected"),
    [
        (1, 1.0),
        (3, 3.0),
        (10, 3 + 7 / 2),  # seed 003: 1–3 all, 4–10 every 2nd
        (40, 3 + 7 / 2 + 30 / 5),  # 11–50 every 5th → 12.5 parts
        (50, 3 + 7 / 2 + 40 / 5),
        (150, 3 + 7 / 2 + 40 / 5 + 100 * 0.1),  # after 50: 10 % steady rate (catalog)
    ],
)
def test_low_volume_inspects_seed_003_tiers(quantity: int, expected: float) -> None:
    assert inspected_parts(Stage.LOW_VOLUME, quantity) == pytest.approx(expected)


def test_prototype_inspects_every_part_and_production_samples() -> None:
    assert inspected_parts(Stage.PROTOTYPE, 17) == 17
    # 3 + 3.5 + 8 + 5 % of the 950 parts after part 50
    assert inspected_parts(Stage.MASS_PRODUCTION, 1000) == pytest.approx(14.5 + 47.5)


def test_quote_inspects_with_the_inspection_plan_gauges(examples_dir: Path) -> None:
    """The quote's minutes per fully inspected part are the plan's gauges (gauges.csv).

    Sensor housing (seed 003): Ø12 ±0.005 bore → bore gauge 1.5 min (0.001 ≤ 0.010 / 10);
    Ra 0.8 face → profilometer 2.0 min; 60 ±0.1 and 6 +0.5/0 lengths → caliper 0.5 min each.
    """
    project = load_project(examples_dir / "sensor_housing_pilot.yaml", today=TODAY)
    plan = stage_plan(project, Stage.LOW_VOLUME, shop=default_shop())
    assert plan.inspection_minutes == pytest.approx(1.5 + 2.0 + 0.5 + 0.5)
    gauges = inspection_of(project, Stage.LOW_VOLUME).gauges
    assert plan.inspection_minutes == pytest.approx(sum(g.minutes for g in gauges))
