"""Wright learning curve with a floor, and the inspection plan's cost at every quantity."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from planning_support import inspection_of, stage_plan
from rampwise.core.model import Stage
from rampwise.core.shop import default_shop
from rampwise.io.project_file import load_project
from rampwise.rules.cost import QuotePlan, price_drivers, wright_mean_factor
from rampwise.rules.inspection import StepKind
from rampwise.rules.strategies import StrategyName
from support import REPO, TODAY

EXAMPLES = REPO / "src" / "rampwise" / "examples"


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


@pytest.fixture(scope="module")
def sensor_low_volume() -> QuotePlan:
    """Seed 003's sensor housing (40 pcs) planned and priced at the low-volume stage."""
    project = load_project(EXAMPLES / "sensor_housing_pilot.yaml", today=TODAY)
    return stage_plan(project, Stage.LOW_VOLUME, shop=default_shop())


@pytest.fixture(scope="module")
def valve_production() -> QuotePlan:
    """The valve body (2,000 pcs) planned and priced at the mass-production stage."""
    project = load_project(EXAMPLES / "valve_body_production.yaml", today=TODAY)
    return stage_plan(project, Stage.MASS_PRODUCTION, shop=default_shop())


# Sensor housing, low volume, by hand. Gauges (gauges.csv): bore ±0.005 → CMM 2.0 min
# (critical; the bore gauge's ±3 µm is under 4:1 of 10 µm), Ra 0.8 face → profilometer
# 2.0 min, two lengths → caliper 0.5 min each, 4× M3x0.5-6H → thread plug gauge 4 × 0.5
# min: 7.0 min per fully inspected part; inspector 40 USD/h (labour_rates.csv).
# Validation run: 1 sacrificial part on the critical bore, 2.0 min. First article: part 1
# in full, 7.0 min, + 200 USD program + 150 USD overhead (inspection_parameters.csv).
# Tiered sampling (inspection_tiers.csv): the parts the tiers select less part 1, which is
# the first article.
@pytest.mark.parametrize(
    ("quantity", "tiered"),
    [
        (1, 0),  # part 1 only: the first article
        (3, 2),  # parts 2, 3 (first 3 parts 100 %)
        (10, 6),  # + 4, 6, 8, 10 (every 2nd of 4-10)
        (40, 12),  # + 15, 20, 25, 30, 35, 40 (every 5th of 11-50): the plan's own 12
        (50, 14),  # + 45, 50
        (150, 24),  # + 60, 70, …, 150 (every 10th after 50)
        (10_000_000, 1_000_009),  # 2 + 4 + 8 + (10,000,000 / 10 − 50 / 10) tenths
    ],
)
def test_low_volume_prices_the_plan_part_by_part(
    sensor_low_volume: QuotePlan, quantity: int, tiered: int
) -> None:
    basis = sensor_low_volume.bases[StrategyName.SOFT_JAWS]
    schedule = basis.inspection
    assert schedule.parts(StepKind.TIERED_SAMPLING, quantity) == tiered
    minutes = 2.0 + 7.0 + tiered * 7.0
    cost = minutes / 60 * 40 + 200 + 150
    assert schedule.minutes(quantity) == pytest.approx(minutes)
    assert schedule.cost(quantity) == pytest.approx(cost)
    assert price_drivers(basis, quantity).inspection == pytest.approx(cost / quantity)


def test_the_plan_and_the_bucket_agree_at_the_order_quantity(sensor_low_volume: QuotePlan) -> None:
    # 40 pcs: 2.0 + 7.0 + 12 × 7.0 = 93 min → 93 / 60 × 40 + 350 = 412 USD
    plan = sensor_low_volume.inspection
    assert (plan.total_minutes, plan.total_cost) == pytest.approx((93.0, 412.0))
    for basis in sensor_low_volume.bases.values():
        assert price_drivers(basis, 40).inspection * 40 == pytest.approx(plan.total_cost)


# Valve body, mass production, by hand. Gauges: spool bore → bore gauge 1.5 min and port
# face flatness → CMM 2.0 min (both critical: 3.5 min), body length → caliper 0.5 min,
# bore finish → profilometer 2.0 min: 6.0 min in full; 40 USD/h; FAI + 350 USD.
# Validation: the significant production run, the order's first 300 parts (never more than
# the order) on the critical characteristics. SPC: ⌈q / 50⌉ subgroups of 5 parts on the
# critical characteristics, never more than the order. Outgoing: one lot of q, Z1.4 level
# II at AQL 1.0 (Table I and II-A; 100 % when the sample is not smaller than the lot).
@pytest.mark.parametrize(
    ("quantity", "minutes"),
    [
        (1, 1 * 3.5 + 6 + 1 * 3.5 + 1 * 6),  # lot of 1: every part
        (10, 10 * 3.5 + 6 + 5 * 3.5 + 10 * 6),  # code B → F, n 13 ≥ 10: every part
        (1000, 300 * 3.5 + 6 + 100 * 3.5 + 80 * 6),  # code J, n 80
        (2000, 300 * 3.5 + 6 + 200 * 3.5 + 125 * 6),  # code K, n 125: the plan's 2,506 min
        (10_000_000, 300 * 3.5 + 6 + 1_000_000 * 3.5 + 1250 * 6),  # code Q, n 1,250
    ],
)
def test_production_prices_the_plan_steps(
    valve_production: QuotePlan, quantity: int, minutes: float
) -> None:
    basis = valve_production.bases[StrategyName.DEDICATED_FIXTURE]
    cost = minutes / 60 * 40 + 350
    assert basis.inspection.minutes(quantity) == pytest.approx(minutes)
    assert price_drivers(basis, quantity).inspection == pytest.approx(cost / quantity)
    if quantity == valve_production.inspection.quantity:
        assert valve_production.inspection.total_cost == pytest.approx(cost)  # 2,020.67 USD


def test_prototype_inspects_every_part() -> None:
    project = load_project(EXAMPLES / "valve_body_production.yaml", today=TODAY)
    basis = stage_plan(project, Stage.PROTOTYPE).bases[StrategyName.SOFT_JAWS]
    # every part in full, 6.0 min at 40 USD/h = 4 USD a part at any quantity; no FAI
    assert basis.inspection.steps == (StepKind.FULL_DIMENSIONAL,)
    for quantity in (1, 17, 10_000_000):
        assert price_drivers(basis, quantity).inspection == pytest.approx(6.0 / 60 * 40)


def test_quote_inspects_with_the_inspection_plan_gauges(examples_dir: Path) -> None:
    """The quote's minutes per fully inspected part are the plan's gauges (gauges.csv).

    Sensor housing (seed 003): Ø12 ±0.005 bore → CMM 2.0 min (1.84 µm: 5.4:1 of 10 µm;
    the bore gauge's 3 µm is under 4:1); Ra 0.8 face → profilometer 2.0 min; 60 ±0.1 and
    6 +0.5/0 lengths → caliper 0.5 min each; 4× M3x0.5-6H → thread plug gauge 4 × 0.5 min.
    """
    project = load_project(examples_dir / "sensor_housing_pilot.yaml", today=TODAY)
    plan = stage_plan(project, Stage.LOW_VOLUME, shop=default_shop())
    assert plan.inspection_minutes == pytest.approx(2.0 + 2.0 + 0.5 + 0.5 + 4 * 0.5)
    gauges = inspection_of(project, Stage.LOW_VOLUME).gauges
    assert plan.inspection_minutes == pytest.approx(sum(g.minutes for g in gauges))
