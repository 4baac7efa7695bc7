"""Each price bucket against a hand calculation, and the published amortisation example."""

from __future__ import annotations

import math
from typing import Any

import pytest

from planning_support import stage_plan, stage_quote
from rampwise.core.model import Project, Stage
from rampwise.core.shop import ShopConfig, shop_from_mapping
from rampwise.io.project_file import project_from_mapping
from rampwise.rules.cost import price_drivers
from rampwise.rules.inspection import StepKind
from rampwise.rules.strategies import StrategyName
from support import TODAY

# A shop with round numbers so every bucket can be worked out by hand below.
HAND_SHOP: dict[str, Any] = {
    "name": "hand calculation",
    "overhead_rate": 0.10,
    "margin_rate": 0.20,
    "learning_rate": 1.0,  # no learning: the first-part time holds for every part
    "scrap_rate": 0.04,
    "stock_allowance_mm": 1.0,
    "saw_kerf_mm": 2.0,
    "saw_cut_minutes": 2.0,
    "part_fill_fraction": 0.5,
    "setup_minutes_per_setup": 60,
    "programming_base_minutes": 60,
    "programming_minutes_per_feature": 5,
    "programming_minutes_per_setup": 30,
    "tool_change_seconds": 6,
    "minutes_per_hole": 0.5,
    "deburr_minutes": 2.0,
    "labour_rates": {"setup": 30, "programming": 60, "operator": 30, "inspection": 60},
    "machines": {"mill_3axis": {"rate_per_h": 60}},
    "materials": {"Al 6061-T6": {"price_per_kg": 5.0}},
    "removal_rates": {"aluminium": {"roughing_cm3_per_min": 60, "finishing_cm2_per_min": 120}},
    "finishes": {"bead_blast": {"price_per_part": 2.0, "lot_minimum": 50.0}},
    "strategies": {
        "soft_jaws": {
            "jaw_material_cost": 30,
            "jaw_machine_hours": 0.5,
            "load_minutes_per_setup": 2,
        }
    },
}

HAND_PROJECT: dict[str, Any] = {
    "project": "Hand-calculated block",
    "part": {
        "number": "HB-1",
        "material": "Al 6061-T6",
        "envelope_mm": [20, 40, 100],
        "finish": "bead_blast",
        "features": {"holes": 4, "setups": 2},
        # ±0.1 at 100 mm is 0.2 mm wide: IT10 (0.140 mm) fits, IT11 (0.220 mm) does not,
        # so the grade is IT10, which milling holds (process_capability.csv, Cp 0.2/0.14 ≥ 1
        # for a prototype): the route adds no extra operation; a
        # 0.2 mm width is read with a caliper (0.01 mm ≤ 0.2 / 10, gauges.csv: 0.5 min).
        "characteristics": [{"id": 1, "name": "Length", "nominal": 100, "tolerance": "±0.1"}],
    },
    "quantity": 10,
    "purpose": "fit_check",
}

# Stock: sides sorted 20, 40, 100 plus 1 mm a side → 22 × 42 × 102 mm; the smallest
# rectangular bar sizes that hold 22 and 42 mm are 7/8 in = 22.225 mm and 1 3/4 in =
# 44.45 mm (stock_sizes.csv); length 102 mm.
CROSS_SECTION = 22.225 * 44.45  # 987.90125 mm²
STOCK_VOLUME = CROSS_SECTION * 102  # 100,765.93 mm³
# Material: (102 + 2 mm kerf) × section = 102,741.73 mm³ = 102.742 cm³ × 2.70 g/cm³
# = 0.277403 kg × 5 USD/kg = 1.387013 USD, + saw cut 2 min × 30 USD/h = 1.00 USD.
MATERIAL = CROSS_SECTION * 104 / 1000 * 2.70 / 1000 * 5.0 + 2 / 60 * 30
# Cycle in soft jaws:
#   roughing  (stock − 0.5 × 20·40·100) = 60,765.93 mm³ = 60.766 cm³ / 60 → 1.01277 min
#   finishing 2(20·40 + 40·100 + 20·100) = 13,600 mm² = 136 cm² / 120    → 1.13333 min
#   features  4 holes × 0.5 min × factor 1                               → 2.0 min
#   tool changes (2 per setup × 2 + 1 feature kind) = 5 × 6 s           → 0.5 min
#   handling  2 setups × 2 min                                           → 4.0 min
CYCLE = (STOCK_VOLUME - 0.5 * 20 * 40 * 100) / 1000 / 60 + 136 / 120 + 2.0 + 0.5 + 4.0
MACHINING = CYCLE / 60 * 60 + 2 / 60 * 30  # machine 60 USD/h + deburr 2 min × 30 USD/h
PROGRAMMING = (60 + 5 * 4 + 30 * 2) / 60 * 60  # 140 min × 60 USD/h = 140 USD
SETUP = 2 * 60 / 60 * (30 + 60)  # 2 setups × 60 min × (setup 30 + machine 60 USD/h) = 180
FIXTURE = 30 + 0.5 * 60  # soft jaws: 30 USD blanks + 0.5 h × 60 USD/h = 60 USD
# prototype: every part, caliper 0.5 min (the inspection plan's gauge minutes; the quote's
# own 1 min base check went with its duplicate gauge table)
INSPECTION = 0.5 / 60 * 60
SCRAP_RATE = 0.04
UPLIFT = 1.10 * 1.20


@pytest.fixture(scope="module")
def hand_shop() -> ShopConfig:
    return shop_from_mapping(HAND_SHOP)


@pytest.fixture(scope="module")
def hand_project() -> Project:
    return project_from_mapping(HAND_PROJECT, today=TODAY)


@pytest.mark.parametrize("quantity", [10, 100])
def test_every_bucket_matches_the_hand_calculation(
    hand_project: Project, hand_shop: ShopConfig, quantity: int
) -> None:
    plan = stage_plan(hand_project, Stage.PROTOTYPE, shop=hand_shop)
    d = price_drivers(plan.bases[StrategyName.SOFT_JAWS], quantity)
    assert plan.stock.size_mm == pytest.approx((22.225, 44.45, 102))
    assert plan.cycle_times[StrategyName.SOFT_JAWS].total_min == pytest.approx(CYCLE)
    assert d.programming == pytest.approx(PROGRAMMING / quantity)
    assert d.setup == pytest.approx(SETUP / quantity)
    assert d.fixture == pytest.approx(FIXTURE / quantity)
    assert d.material == pytest.approx(MATERIAL)
    assert d.machining == pytest.approx(MACHINING)
    # bead blast 2 USD/part with a 50 USD lot minimum: 5.00 at 10 pcs, 2.00 at 100 pcs
    assert d.finishing == pytest.approx(max(2.0, 50.0 / quantity))
    assert d.inspection == pytest.approx(INSPECTION)
    # scrap: (material + machining) × 0.04 / 0.96
    assert d.scrap == pytest.approx((MATERIAL + MACHINING) * SCRAP_RATE / (1 - SCRAP_RATE))
    cost = (
        (PROGRAMMING + SETUP + FIXTURE) / quantity
        + MATERIAL
        + MACHINING
        + max(2.0, 50.0 / quantity)
        + INSPECTION
        + (MATERIAL + MACHINING) * SCRAP_RATE / (1 - SCRAP_RATE)
    )
    assert d.overhead_margin == pytest.approx(cost * (UPLIFT - 1))
    assert d.total() == pytest.approx(cost * UPLIFT)


def test_the_quote_prices_the_hand_calculated_break(
    hand_project: Project, hand_shop: ShopConfig
) -> None:
    quote = stage_quote(hand_project, Stage.PROTOTYPE, quantities=[10], shop=hand_shop)
    only = quote.breaks[0]
    # a prototype may sit in a plain vise (seed 002), which has no jaws to cut: the cheapest
    bases = stage_plan(hand_project, Stage.PROTOTYPE, shop=hand_shop).bases
    assert only.strategy is StrategyName.VISE
    assert only.unit_price == pytest.approx(price_drivers(bases[StrategyName.VISE], 10).total())
    # same 2 min loading as the jaws (catalog vise row, the hand shop's jaws): the vise's
    # price is the jaws' less their 60 USD over 10 parts, with overhead and margin
    jaws = price_drivers(bases[StrategyName.SOFT_JAWS], 10).total()
    assert only.unit_price == pytest.approx(jaws - FIXTURE / 10 * UPLIFT)
    assert only.total_price == pytest.approx(only.unit_price * 10)
    assert only.unit_price_low == pytest.approx(only.unit_price * 0.75)
    assert only.unit_price_high == pytest.approx(only.unit_price * 1.25)
    assert only.one_time_cost == pytest.approx((PROGRAMMING + SETUP) * UPLIFT)


def test_low_volume_adds_first_article_and_validation_part(
    hand_project: Project, hand_shop: ShopConfig
) -> None:
    proto = stage_plan(hand_project, Stage.PROTOTYPE, shop=hand_shop)
    low = stage_plan(hand_project, Stage.LOW_VOLUME, shop=hand_shop)
    jaws_proto, jaws_low = (p.bases[StrategyName.SOFT_JAWS] for p in (proto, low))
    # The inspection plan's first article (inspection_parameters.csv, mfgcalcs.com model):
    # part 1 with every gauge, caliper 0.5 min at the shop's inspection rate 60 USD/h, +
    # 200 USD program + 150 USD overhead = 350.50 USD. (The quote's own FAI model, 1 × 120
    # + 200 + 150 = 470 USD, was a second copy of the rule and is gone.)
    fai = 0.5 / 60 * 60 + 200 + 150
    assert jaws_low.inspection.step_cost(StepKind.FIRST_ARTICLE, 40) == pytest.approx(fai)
    assert jaws_proto.inspection.steps == (StepKind.FULL_DIMENSIONAL,)
    # validation part: one more part's material, cycle and deburr in setup; its check on
    # the run's one characteristic (the length: no critical one, so every toleranced one),
    # caliper 0.5 min = 0.50 USD, is the inspection plan's validation step
    assert jaws_low.setup_cost - jaws_proto.setup_cost == pytest.approx(MATERIAL + MACHINING)
    # one-time costs: the validation part (made and checked) and the first article
    assert jaws_low.one_time_cost - jaws_proto.one_time_cost == pytest.approx(
        MATERIAL + MACHINING + INSPECTION + fai
    )
    # inspection at 40 pcs, low volume, as the plan's three steps: the validation part
    # (0.50 USD), the first article (350.50 USD), and seed 003's tiers less part 1: parts
    # 2, 3, 4, 6, 8, 10, 15, 20, 25, 30, 35, 40 = 12 × 0.50 USD = 6.00 USD → 357.00 USD
    d = price_drivers(jaws_low, 40)
    assert d.inspection == pytest.approx((INSPECTION + fai + 12 * INSPECTION) / 40)
    assert d.inspection * 40 == pytest.approx(357.0)


# Research note §2.7 (lasercalcpro.com): setup 300 USD + 15 USD variable per part gives
# 1 pc 315, 10 pcs 45, 50 pcs 21, 100 pcs 18, 500 pcs 15.60, 1000 pcs 15.30.
PUBLISHED_LADDER = {1: 315.0, 10: 45.0, 50: 21.0, 100: 18.0, 500: 15.60, 1000: 15.30}

AMORTISATION_SHOP: dict[str, Any] = {
    # Everything zero except one 60-min setup at 300 USD/h and a 15 USD finish per part.
    "overhead_rate": 0,
    "margin_rate": 0,
    "scrap_rate": 0,
    "setup_minutes_per_setup": 60,
    "labour_rates": {"setup": 300, "programming": 0, "operator": 0, "inspection": 0},
    "machines": {"mill_3axis": {"rate_per_h": 0}},
    "materials": {"POM": {"price_per_kg": 0}},
    "finishes": {"bead_blast": {"price_per_part": 15, "lot_minimum": 0}},
    "strategies": {"soft_jaws": {"jaw_material_cost": 0}},
}


def test_published_amortisation_example_is_reproduced() -> None:
    """research/quoting.md §2.7: setup 300 + 15 variable → 315, 45, 21, 18, 15.60, 15.30."""
    project = project_from_mapping(
        {
            "project": "Amortisation example",
            "part": {
                "number": "A-1",
                "material": "POM",
                "envelope_mm": [20, 30, 40],
                "finish": "bead_blast",
                "features": {"setups": 1},
            },
            "quantity": 10,
            "purpose": "fit_check",
        },
        today=TODAY,
    )
    quote = stage_quote(
        project,
        Stage.PROTOTYPE,
        quantities=list(PUBLISHED_LADDER),
        shop=shop_from_mapping(AMORTISATION_SHOP),
    )
    got = {b.quantity: b.unit_price for b in quote.breaks}
    assert got == pytest.approx(PUBLISHED_LADDER, abs=1e-9)
    assert {b.quantity: b.drivers.setup for b in quote.breaks} == pytest.approx(
        {q: 300.0 / q for q in PUBLISHED_LADDER}
    )
    assert all(b.drivers.finishing == 15.0 for b in quote.breaks)
    assert quote.at(1).top_drivers[0] == "setup is 95% of the price at 1 pcs"  # 300/315
    assert math.isclose(quote.at(1000).total_price, 15_300.0)
