"""The quote's inspection bucket is the inspection plan's cost, at every quantity.

One schedule (:class:`rampwise.rules.inspection.InspectionSchedule`) counts the plan's
steps at any quantity: the plan's totals are its value at the order quantity, and the
price's ``inspection`` bucket × q is its value at each break's q. The buckets are costs
before overhead and margin (:meth:`rampwise.rules.cost.Drivers.costs`), so the relation
holds without the uplift; the price carries inspection × (1 + overhead)(1 + margin).
Held over random projects, stages (the what-if ``stage`` of :meth:`Plan.quote`) and
quantities up to the largest quoted.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rampwise.core.model import Stage
from rampwise.core.shop import shop_from_mapping
from rampwise.io.project_file import project_from_mapping
from rampwise.pipeline import Plan
from rampwise.rules.cost import MAX_QUANTITY
from rampwise.rules.inspection import StepKind
from support import TODAY, build_document

CHARACTERISTICS: list[dict[str, Any]] = [
    {"id": 1, "name": "Bore", "nominal": 12.0, "tolerance": "±0.005", "critical": True},
    {"id": 2, "name": "Sealing face", "kind": "roughness", "max": 0.8},
    {"id": 3, "name": "Flatness", "kind": "flatness", "max": 0.02, "critical": True},
    {"id": 4, "name": "Length", "nominal": 60.0, "tolerance": "±0.1"},
    {"id": 5, "name": "Pin", "kind": "diameter", "nominal": 6.0, "tolerance": "g6"},
]

projects = st.fixed_dictionaries(
    {
        "ready": st.booleans(),
        "quantity": st.integers(1, 20_000),
        "purpose": st.sampled_from(
            [None, "fit_check", "pilot_run", "bridge_production", "market_release"]
        ),
        "characteristics": st.lists(
            st.sampled_from(range(len(CHARACTERISTICS))), min_size=1, max_size=5, unique=True
        ),
        "inspection_rate": st.floats(0, 300),
        "validation_run_parts": st.integers(1, 5),
    }
)
quantities = st.lists(st.integers(1, MAX_QUANTITY), min_size=1, max_size=6, unique=True)


def _plan(case: dict[str, Any]) -> Plan:
    document = build_document(case["ready"], quantity=case["quantity"], purpose=case["purpose"])
    document["part"]["characteristics"] = [CHARACTERISTICS[i] for i in case["characteristics"]]
    project = project_from_mapping(document, today=TODAY)
    shop = shop_from_mapping(
        {
            "labour_rates": {"inspection": case["inspection_rate"]},
            "validation_run_parts": case["validation_run_parts"],
        }
    )
    return Plan(project, shop=shop, today=TODAY)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=projects, stage=st.sampled_from([None, *Stage]), others=quantities)
def test_the_bucket_is_the_plan_cost_at_every_quantity(
    case: dict[str, Any], stage: Stage | None, others: list[int]
) -> None:
    plan = _plan(case)
    order = case["quantity"]
    quote = plan.quote([order, *others], stage=stage)
    priced = plan.stage if stage is None else stage
    inspection = plan.inspection(priced)
    # at the order quantity: the bucket × q is the plan's total, before the uplift
    at_order = quote.at(order)
    assert at_order.stage is priced
    assert at_order.drivers.inspection * order == pytest.approx(inspection.total_cost, rel=1e-12)
    # at every quantity: the bucket × q is the schedule of the plan of the break's stage
    for item in quote.breaks:
        schedule = plan.inspection(item.stage).by_quantity
        assert schedule is not None
        expected = schedule.cost(item.quantity)
        assert item.drivers.inspection * item.quantity == pytest.approx(expected, rel=1e-12)
        # and its steps add up: validation, first article, each once
        steps = [schedule.step_cost(kind, item.quantity) for kind in schedule.steps]
        assert sum(steps) == pytest.approx(expected, rel=1e-12)
        assert len(set(schedule.steps)) == len(schedule.steps)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=projects, stage=st.sampled_from(list(Stage)))
def test_the_plan_steps_are_the_schedule_at_the_order_quantity(
    case: dict[str, Any], stage: Stage
) -> None:
    plan = _plan(case)
    inspection = plan.inspection(stage)
    schedule = inspection.by_quantity
    assert schedule is not None
    q = inspection.quantity
    required = [s for s in inspection.steps if not s.optional]
    assert tuple(s.kind for s in required) == schedule.steps
    for step in inspection.steps:
        assert step.inspected_parts == schedule.parts(step.kind, q)
        assert step.cost == schedule.step_cost(step.kind, q)
    assert inspection.total_cost == schedule.cost(q)
    assert inspection.total_minutes == schedule.minutes(q)
    if stage is Stage.LOW_VOLUME:  # the closed-form count is the listed schedule's
        tiered = next(s for s in inspection.steps if s.kind is StepKind.TIERED_SAMPLING)
        assert tiered.inspected_parts == len(tiered.parts) == len(inspection.schedule) - 1
