"""Amortisation behaviour as properties over random shops, parts, stages and ladders.

Seed 003 and research/quoting.md §2.7: one-time costs spread over the batch, so the unit
price less inspection never rises with quantity and the total never falls; the buckets
explain the whole price; one-time costs per unit × quantity stay the same at every break.

Inspection is the inspection plan's cost at each quantity, counted in whole parts: it
never falls with quantity, but a step of the plan (the 51st part opening a second SPC
subgroup, the 60th part of seed 003's every-10th tier) may lift the unit price by that
step's cost over the quantity, so the unit price itself is not asserted never to rise.
"""

from __future__ import annotations

import math
from itertools import pairwise
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planning_support import stage_plan, stage_quote
from rampwise.core.model import Project, Stage
from rampwise.core.shop import shop_from_mapping
from rampwise.io.project_file import load_project
from rampwise.rules.cost import Drivers, price_drivers, price_unit, wright_mean_factor
from support import REPO, TODAY

EXAMPLES = sorted((REPO / "src" / "rampwise" / "examples").glob("*.yaml"))
# Examples with an envelope: one described by its CAD model alone is sized by the
# analysis, so it is quoted through the pipeline (assess.price_ladder, test_cli_quote.py).
PROJECTS: dict[str, Project] = {
    project.project: project
    for project in (load_project(p, today=TODAY) for p in EXAMPLES)
    if project.part.envelope_mm is not None
}

money = st.floats(0, 500, allow_nan=False)
fraction = st.floats(0, 0.6, allow_nan=False)

shops = st.fixed_dictionaries(
    {
        "overhead_rate": fraction,
        "margin_rate": fraction,
        "learning_rate": st.floats(0.5, 1.0),
        "learning_floor": st.floats(0.05, 1.0),
        "scrap_rate": st.floats(0, 0.5),
        "scrap_rate_tight": st.floats(0, 0.5),
        "labour_rates": st.fixed_dictionaries(
            {"setup": money, "programming": money, "operator": money, "inspection": money}
        ),
        "machines": st.fixed_dictionaries(
            {"mill_3axis": st.fixed_dictionaries({"rate_per_h": money})}
        ),
        "finishes": st.fixed_dictionaries(
            {
                "anodize_type_ii": st.fixed_dictionaries(
                    {"price_per_part": money, "lot_minimum": money}
                )
            }
        ),
    }
)
ladders = st.lists(st.integers(1, 200_000), min_size=2, max_size=8, unique=True)


quote_cases = given(
    shop=shops,
    name=st.sampled_from(sorted(PROJECTS)),
    stage=st.sampled_from(list(Stage)),
    quantities=ladders,
)
"""Random shop, example project, stage and quantity ladder."""


def _close_or_below(a: float, b: float) -> bool:
    """a ≤ b up to float rounding."""
    return a <= b + 1e-9 * max(1.0, abs(b))


def _besides_inspection(drivers: Drivers) -> float:
    """The cost buckets of one unit but inspection, before overhead and margin [USD]."""
    return math.fsum(v for k, v in drivers.costs().items() if k != "inspection")


@settings(max_examples=60, deadline=None)
@quote_cases
def test_ladder_amortises(
    shop: dict[str, Any], name: str, stage: Stage, quantities: list[int]
) -> None:
    quote = stage_quote(PROJECTS[name], stage, quantities=quantities, shop=shop_from_mapping(shop))
    breaks = quote.breaks
    assert [b.quantity for b in breaks] == sorted(quantities)
    for b in breaks:
        assert math.isclose(b.drivers.total(), b.unit_price, rel_tol=1e-12, abs_tol=1e-12)
        assert math.isclose(b.total_price, b.unit_price * b.quantity, rel_tol=1e-12)
    for smaller, larger in pairwise(breaks):
        assert _close_or_below(
            _besides_inspection(larger.drivers), _besides_inspection(smaller.drivers)
        )
        assert _close_or_below(
            smaller.drivers.inspection * smaller.quantity,
            larger.drivers.inspection * larger.quantity,
        )
        assert _close_or_below(smaller.total_price, larger.total_price)


@settings(max_examples=60, deadline=None)
@quote_cases
def test_each_strategy_keeps_its_one_time_costs(
    shop: dict[str, Any], name: str, stage: Stage, quantities: list[int]
) -> None:
    plan = stage_plan(PROJECTS[name], stage, shop=shop_from_mapping(shop))
    for basis in plan.bases.values():
        priced = [(q, price_drivers(basis, q)) for q in sorted(quantities)]
        one_time = [(d.programming + d.setup + d.fixture) * q for q, d in priced]
        expected = basis.programming_cost + basis.setup_cost + basis.fixture_cost
        assert all(math.isclose(v, expected, rel_tol=1e-9, abs_tol=1e-9) for v in one_time)
        units = [d.total() for _, d in priced]
        # the price the strategy search uses is the sum of the Drivers, bit for bit
        assert units == [price_unit(basis, q).price for q, _ in priced]
        totals = [d.total() * q for q, d in priced]
        rest = [_besides_inspection(d) for _, d in priced]
        assert all(_close_or_below(b, a) for a, b in pairwise(rest))
        assert all(_close_or_below(a, b) for a, b in pairwise(totals))
        # inspection is the inspection plan's schedule at each quantity, for every strategy
        schedule = plan.inspection.by_quantity
        assert schedule is not None
        for q, d in priced:
            assert d.inspection * q == pytest.approx(schedule.cost(q))


@settings(max_examples=200, deadline=None)
@given(
    learning_rate=st.floats(0.5, 1.0),
    floor=st.floats(0.01, 1.0),
    quantity=st.integers(1, 5_000_000),
)
def test_learning_factor_stays_between_floor_and_one_and_never_rises(
    learning_rate: float, floor: float, quantity: int
) -> None:
    now = wright_mean_factor(quantity, learning_rate, floor)
    later = wright_mean_factor(quantity + 1, learning_rate, floor)
    assert floor - 1e-12 <= now <= 1.0
    assert later <= now + 1e-12
