"""Capacity-aware lead time, deliveries that follow the demand, and tier prices.

Hand calculations use the catalog's small shop (``catalog/capacity.csv``): 3 mill_3axis
machines, 2 shifts × 7.5 h a day, 21 working days a month, and the tiers' shares of those
shift hours (expedite 1.5, standard 1, economy 0.5: 22.5 / 15 / 7.5 h a machine-day).
"""

from __future__ import annotations

import math
import re

import pytest

from planning_support import stage_quote
from rampwise.core.errors import InputError
from rampwise.core.model import Demand, Stage
from rampwise.core.shop import default_shop, shop_from_mapping
from rampwise.io.project_file import project_from_mapping
from rampwise.rules.leadtime import (
    LeadTimeInputs,
    LeadTimeTier,
    capacity,
    delivery_schedule,
    lead_time,
    tier_terms,
)
from support import TODAY, build_document

SETUP_HOURS = 6.0
"""Setup, fixture and validation part of the batches below [h]."""


def batch(run_hours: float) -> LeadTimeInputs:
    """A 3-axis aluminium batch, no finish, mass production: 6 h once + ``run_hours``."""
    return LeadTimeInputs(
        material_category="aluminium",
        machine_class="mill_3axis",
        programming_hours=4.0,
        machine_hours=SETUP_HOURS + run_hours,
        run_hours=run_hours,
        stage=Stage.MASS_PRODUCTION,
    )


def test_catalog_default_is_a_small_shop() -> None:
    shop = default_shop()
    assert shop.machines_of("mill_3axis") == 3
    assert (shop.capacity["shifts_per_day"], shop.capacity["hours_per_shift"]) == (2, 7.5)
    assert all(shop.machines_of(name) >= 1 for name in shop.machines)  # a row per class


@pytest.mark.parametrize(
    ("run_hours", "machines", "machining_days"),
    [
        # 20 h: less than a day on a second machine (floor(20 / 15) = 1): one machine,
        # (6 + 20) / 15 = 1.73 days
        (20.0, 1, 26 / 15),
        # 40 h: floor(40 / 15) = 2 machines, each set up in parallel: (6 + 40 / 2) / 15
        (40.0, 2, 26 / 15),
        # 300 h: floor(300 / 15) = 20, capped at the shop's 3 mills: (6 + 100) / 15
        (300.0, 3, 106 / 15),
    ],
)
def test_a_large_batch_spreads_over_the_machines(
    run_hours: float, machines: int, machining_days: float
) -> None:
    (standard,) = (
        t
        for t in tier_terms(default_shop(), "aluminium", "mill_3axis")
        if t.tier is LeadTimeTier.STANDARD
    )
    assert standard.machine_hours_per_day == 15.0  # 2 shifts × 7.5 h × share 1
    assert standard.machines_used(run_hours) == machines
    assert standard.machining_days(batch(run_hours)) == pytest.approx(machining_days)
    result = lead_time(batch(run_hours), LeadTimeTier.STANDARD, default_shop())
    label = "machining" if machines == 1 else f"machining on {machines} machines"
    assert dict(result.path)[label] == pytest.approx(machining_days)


def test_issue_22_valve_bodies_take_weeks_not_months() -> None:
    """2,000 valve bodies at 46 min of machine time each (the issue: 105 days on one machine).

    Run 2,000 × 46 / 60 = 1,533.3 h on 3 mills × 2 shifts × 7.5 h: machining
    (6 + 1,533.3 / 3) / 15 = 34.5 days; start max(material 2, queue 3, programming 0.5) = 3,
    validation run 1, first-article report 1, shipping 3: 42.5 → 43 working days.
    """
    result = lead_time(batch(2000 * 46 / 60), LeadTimeTier.STANDARD, default_shop())
    assert result.days == 43


def test_capacity_is_machines_times_shift_hours_over_minutes_per_part() -> None:
    """3 machines × 2 shifts × 7.5 h × 60 min × 21 days = 56,700 machine minutes a month.

    At 46 min a good part: 56,700 / 46 = 1,232.6 pcs a month; at 3.6 min: 15,750.
    """
    slow = capacity(batch(2000 * 46 / 60), 2000, default_shop())
    assert slow.minutes_per_part == pytest.approx(46.0)
    assert slow.pieces_per_month == pytest.approx(56_700 / 46)
    fast = capacity(batch(300.0), 5000, default_shop())  # 300 h × 60 / 5,000 = 3.6 min
    assert fast.pieces_per_month == pytest.approx(15_750)
    more = shop_from_mapping({"capacity": {"machines_mill_3axis": 6}})
    assert capacity(batch(2000 * 46 / 60), 2000, more).pieces_per_month == pytest.approx(
        2 * 56_700 / 46
    )


def test_deliveries_follow_the_monthly_demand() -> None:
    """5,000 pcs at 3.6 min on 3 mills, demand 2,000 a month: lots 2,000 / 2,000 / 1,000.

    Ready: 3 + 1 + (6 + 300 × cum / 5,000 / 3) / 15 + 1 + 3 →
    cum 2,000: 11.07 → 12; 4,000: 13.73 → 14; 5,000: 15.07 → 16.
    Due a month (21 working days) after the one before: 12, 33, 54.
    """
    schedule = delivery_schedule(
        batch(300.0), 5000, (2000.0, "stated"), LeadTimeTier.STANDARD, default_shop()
    )
    assert [(d.pieces, d.day) for d in schedule.deliveries] == [(2000, 12), (2000, 33), (1000, 54)]
    assert schedule.meets_demand


def test_a_short_capacity_ships_late_and_says_so() -> None:
    """5,000 pcs at 46 min (1,232.6 pcs a month) against 2,000 a month.

    Ready: cum 2,000: 3 + 1 + (6 + 3,833.3 × 0.4 / 3) / 15 + 1 + 3 = 42.47 → 43;
    4,000: 76.55 → 77 (due 43 + 21 = 64: late); 5,000: 93.59 → 94, due 77 + 21 = 98.
    """
    schedule = delivery_schedule(
        batch(5000 * 46 / 60), 5000, (2000.0, "stated"), LeadTimeTier.STANDARD, default_shop()
    )
    assert [d.day for d in schedule.deliveries] == [43, 77, 98]
    assert not schedule.meets_demand
    assert "falls short of it" in schedule.describe()


@pytest.mark.parametrize(
    ("demand", "per_month"),
    [
        ({"monthly": [1900, 2100, 2000]}, 2000.0),
        ({"quarterly": [6000, 5400, 6600]}, 2000.0),  # mean 6,000 / 3
        ({"annual": [22_000, 26_000]}, 2000.0),  # mean 24,000 / 12
        ({"annual": 24_000}, 2000.0),  # a forecast: volume, used for the rate
    ],
)
def test_demand_rate_from_any_period(demand: dict[str, object], per_month: float) -> None:
    rate = Demand.model_validate(demand).per_month()
    assert rate is not None and rate[0] == pytest.approx(per_month)


def test_tier_prices_are_published_multiples_of_the_standard_price() -> None:
    """Expedite +50 % (low end of the 50–100 % rush markups), economy −10 % (catalog)."""
    project = project_from_mapping(build_document(ready=True), today=TODAY)
    standard = stage_quote(project, Stage.LOW_VOLUME, quantities=[10, 100])
    expedite = stage_quote(
        project, Stage.LOW_VOLUME, quantities=[10, 100], tier=LeadTimeTier.EXPEDITE
    )
    for plain, fast in zip(standard.breaks, expedite.breaks, strict=True):
        prices = plain.unit_price_tiers
        assert prices[LeadTimeTier.STANDARD] == pytest.approx(plain.unit_price)
        assert prices[LeadTimeTier.EXPEDITE] == pytest.approx(1.5 * plain.unit_price)
        assert prices[LeadTimeTier.ECONOMY] == pytest.approx(0.9 * plain.unit_price)
        assert fast.unit_price == pytest.approx(1.5 * plain.unit_price)
        assert fast.total_price == pytest.approx(1.5 * plain.total_price)
        # the buckets explain the standard price; the premium is the rest
        assert fast.drivers.total() + fast.tier_premium == pytest.approx(fast.unit_price)
        assert plain.tier_premium == 0.0
    assert any("expedite +50%, economy -10%" in a for a in expedite.assumptions)


def test_a_shop_file_sets_its_own_tier_prices() -> None:
    shop = shop_from_mapping({"lead_times": {"price_factor": {"expedite": 1.25}}})
    project = project_from_mapping(build_document(), today=TODAY)
    quote = stage_quote(project, Stage.LOW_VOLUME, quantities=[10], shop=shop)
    prices = quote.breaks[0].unit_price_tiers
    assert prices[LeadTimeTier.EXPEDITE] == pytest.approx(1.25 * prices[LeadTimeTier.STANDARD])
    assert any("(shop file)" in a for a in quote.assumptions)


@pytest.mark.parametrize(
    ("capacity_keys", "message"),
    [
        ({"machines_mill_3axis": 0}, "must be a whole number ≥ 1"),
        ({"shifts_per_day": 1.5}, "must be a whole number ≥ 1"),
        ({"hours_per_shift": 30}, "must be in (0, 24] hours"),
        ({"machines_mill_9axis": 2}, "unknown key 'machines_mill_9axis'"),
    ],
)
def test_bad_capacity_is_refused(capacity_keys: dict[str, float], message: str) -> None:
    with pytest.raises(InputError, match=re.escape(message)):
        shop_from_mapping({"capacity": capacity_keys})


def test_machine_hours_a_day_never_pass_24() -> None:
    # 3 shifts × 8 h × expedite share 1.5 = 36 h: a machine runs at most 24 h a day
    shop = shop_from_mapping({"capacity": {"shifts_per_day": 3, "hours_per_shift": 8}})
    fastest = tier_terms(shop, "aluminium", "mill_3axis")[0]
    assert fastest.tier is LeadTimeTier.EXPEDITE
    assert fastest.machine_hours_per_day == 24.0
    assert math.isclose(tier_terms(shop, "aluminium", "mill_3axis")[1].machine_hours_per_day, 24)
