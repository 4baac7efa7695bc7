"""The seven readiness areas of seed 004, each pass / fail / unknown."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from rampwise.api import assess, open_plan
from rampwise.core.errors import CatalogError
from rampwise.core.model import AreaStatus, Project, ReadinessArea, Stage
from rampwise.core.shop import default_shop, shop_from_mapping
from rampwise.io.project_file import load_project, project_from_mapping
from rampwise.quality.capability import capability_thresholds
from rampwise.rules.leadtime import (
    DeliverySchedule,
    LeadTimeInputs,
    LeadTimeTier,
    delivery_schedule,
)
from rampwise.rules.readiness import (
    GateEvidence,
    InspectionVerdict,
    MeasuredCapability,
    evaluate_readiness,
    threshold,
)
from support import TODAY, build_document

MakeProject = Callable[..., Project]
QUOTED = GateEvidence(quoted_unit_price=10.0, today=TODAY)


def status(project: Project, area: ReadinessArea, evidence: GateEvidence = QUOTED) -> AreaStatus:
    return evaluate_readiness(project, evidence).area(area).status


def test_all_areas_pass_makes_the_gate_ready(make_project: MakeProject) -> None:
    """Seed 004's table: all seven areas confirmed → ready; areas are listed in its order."""
    readiness = evaluate_readiness(make_project(ready=True), QUOTED)
    assert readiness.ready
    assert [a.area.value for a in readiness.areas] == [
        "design_status",
        "prototype_validation",
        "quantity_demand",
        "tolerance_review",
        "supplier_capability",
        "inspection_plan",
        "cost_target",
    ]
    assert all(a.action is None for a in readiness.areas)
    assert readiness.blockers == ()


def test_missing_sections_are_unknown_never_pass(make_project: MakeProject) -> None:
    """Issue rule: "what is missing is unknown, never assumed to pass"."""
    readiness = evaluate_readiness(make_project(), GateEvidence(today=TODAY))
    assert not readiness.ready
    by_area = {a.area: a.status for a in readiness.areas}
    assert by_area[ReadinessArea.DESIGN_STATUS] is AreaStatus.UNKNOWN
    assert by_area[ReadinessArea.PROTOTYPE_VALIDATION] is AreaStatus.UNKNOWN
    assert by_area[ReadinessArea.QUANTITY_DEMAND] is AreaStatus.UNKNOWN
    assert by_area[ReadinessArea.INSPECTION_PLAN] is AreaStatus.UNKNOWN
    assert by_area[ReadinessArea.COST_TARGET] is AreaStatus.UNKNOWN
    assert len(readiness.blockers) == sum(s is not AreaStatus.PASS for s in by_area.values())


# --- design_status -------------------------------------------------------------------


def test_design_not_frozen_fails(make_project: MakeProject) -> None:
    """Seed 004: "If the CAD or drawing is still changing, it is usually too early to scale."""
    project = make_project(ready=True, design={"frozen": False})
    result = evaluate_readiness(project, QUOTED).area(ReadinessArea.DESIGN_STATUS)
    assert result.status is AreaStatus.FAIL
    assert "Freeze" in (result.action or "")


def test_recent_revision_fails_even_when_flagged_frozen(make_project: MakeProject) -> None:
    """Seed 004: "You should not move to mass production if the design is still being
    revised frequently." A revision 30 days ago is inside the 90-day freeze window."""
    assert threshold("design_freeze_window_days") == 90
    design = {"frozen": True, "revisions": [{"rev": "B", "date": "2026-10-24"}]}
    result = evaluate_readiness(make_project(ready=True, design=design), QUOTED)
    area = result.area(ReadinessArea.DESIGN_STATUS)
    assert area.status is AreaStatus.FAIL
    assert "B (2026-10-24)" in area.evidence[-1]


def test_revision_just_outside_window_passes(make_project: MakeProject) -> None:
    """2026-08-24 is 91 days before 2026-11-23: outside the 90-day window."""
    design = {"frozen": True, "revisions": [{"rev": "B", "date": "2026-08-24"}]}
    assert status(make_project(ready=True, design=design), ReadinessArea.DESIGN_STATUS) is (
        AreaStatus.PASS
    )


@pytest.mark.parametrize("key", ["material_locked", "finish_locked"])
def test_unlocked_material_or_finish_fails(make_project: MakeProject, key: str) -> None:
    """Seed 004: not if "the final material is not locked, surface treatment is still under
    evaluation"."""
    design = {"frozen": True, key: False}
    assert status(make_project(ready=True, design=design), ReadinessArea.DESIGN_STATUS) is (
        AreaStatus.FAIL
    )


# --- prototype_validation ------------------------------------------------------------


def test_one_unverified_validation_fails(make_project: MakeProject) -> None:
    """Seed 004: "Function, assembly, material, and surface finish are verified"; "If
    sealing, load, wear, or appearance is still under review, staying in low-volume
    manufacturing is usually the safer choice"."""
    validation = {"function": True, "assembly": True, "material": True, "surface_finish": False}
    result = evaluate_readiness(make_project(ready=True, validation=validation), QUOTED)
    area = result.area(ReadinessArea.PROTOTYPE_VALIDATION)
    assert area.status is AreaStatus.FAIL
    assert "surface finish" in (area.action or "")


def test_partial_validation_record_is_unknown(make_project: MakeProject) -> None:
    validation = {"function": True, "assembly": True}
    assert (
        status(make_project(ready=True, validation=validation), ReadinessArea.PROTOTYPE_VALIDATION)
        is AreaStatus.UNKNOWN
    )


def test_measured_first_pass_yield_below_one_fails_validation(make_project: MakeProject) -> None:
    measured = MeasuredCapability(cpk={"1": 1.6}, first_pass_yield=0.95, source="batch.csv")
    evidence = GateEvidence(quoted_unit_price=10.0, measured=measured, today=TODAY)
    area = evaluate_readiness(make_project(ready=True), evidence).area(
        ReadinessArea.PROTOTYPE_VALIDATION
    )
    assert area.status is AreaStatus.FAIL
    assert "first-pass yield of batch.csv: 95%" in area.evidence


# --- quantity_demand -----------------------------------------------------------------


def test_stable_demand_passes_with_cv_in_evidence(make_project: MakeProject) -> None:
    """Seed 004: demand "is stable". [120,130,110,125,140,120]: mean 124.17, sample sd
    10.21, CV = 0.082 < 0.5 (XYZ class X)."""
    demand = {"monthly": [120, 130, 110, 125, 140, 120]}
    area = evaluate_readiness(make_project(ready=True, demand=demand), QUOTED).area(
        ReadinessArea.QUANTITY_DEMAND
    )
    assert area.status is AreaStatus.PASS
    assert area.evidence == ("6 monthly periods, mean 124.2 pcs, CV 0.08",)


def test_erratic_demand_fails(make_project: MakeProject) -> None:
    """[0, 400, 0, 0, 350, 10]: mean 126.7, sd 190.3, CV 1.50 ≥ 0.5 → not stable (seed 004:
    "If forecast is still unstable, low-volume manufacturing often remains the better stage")."""
    demand = {"monthly": [0, 400, 0, 0, 350, 10]}
    assert status(make_project(ready=True, demand=demand), ReadinessArea.QUANTITY_DEMAND) is (
        AreaStatus.FAIL
    )


def test_short_demand_history_is_unknown(make_project: MakeProject) -> None:
    """Fewer than 6 periods cannot show stability (threshold demand_min_periods = 6)."""
    demand = {"quarterly": [300, 310, 305]}
    assert status(make_project(ready=True, demand=demand), ReadinessArea.QUANTITY_DEMAND) is (
        AreaStatus.UNKNOWN
    )


# --- tolerance_review ----------------------------------------------------------------


def test_untoleranced_characteristic_fails_review(make_project: MakeProject) -> None:
    """Seed 004: not if "key tolerances are not fully defined"."""
    part = make_project().part.model_dump(mode="json")
    part["material"] = "6061"
    part["characteristics"].append({"id": 3, "name": "Wall", "nominal": 1.2})
    for ch in part["characteristics"]:
        ch.pop("tolerance", None)
    project = make_project(ready=True, part=part)
    area = evaluate_readiness(project, QUOTED).area(ReadinessArea.TOLERANCE_REVIEW)
    assert area.status is AreaStatus.FAIL
    assert "#3 Wall" in (area.action or "")


def test_no_critical_characteristic_fails_review(make_project: MakeProject) -> None:
    """Seed 004: "Critical dimensions are defined and non-critical tolerances are optimized"."""
    part = {
        "number": "T",
        "material": "POM",
        "characteristics": [{"id": 1, "name": "L", "nominal": 10, "tolerance": "±0.1"}],
    }
    assert status(make_project(ready=True, part=part), ReadinessArea.TOLERANCE_REVIEW) is (
        AreaStatus.FAIL
    )


def test_review_not_done_fails_and_not_stated_is_unknown(make_project: MakeProject) -> None:
    assert (
        status(
            make_project(ready=True, tolerance_review={"done": False}),
            ReadinessArea.TOLERANCE_REVIEW,
        )
        is AreaStatus.FAIL
    )
    assert (
        status(make_project(ready=True, tolerance_review={}), ReadinessArea.TOLERANCE_REVIEW)
        is AreaStatus.UNKNOWN
    )


# --- supplier_capability -------------------------------------------------------------


@pytest.mark.parametrize(("cpk", "expected"), [(1.33, AreaStatus.PASS), (1.32, AreaStatus.FAIL)])
def test_cpk_threshold_is_aiag_133(
    make_project: MakeProject, cpk: float, expected: AreaStatus
) -> None:
    """AIAG PPAP: Cpk ≥ 1.33 on every critical characteristic (research/readiness.md §6)."""
    project = make_project(ready=True, supplier={"cpk": {1: cpk}})
    assert status(project, ReadinessArea.SUPPLIER_CAPABILITY) is expected


def test_cpk_threshold_has_one_source() -> None:
    """The gate, the quality module and the route read Cpk ≥ 1.33 from one catalog row."""
    assert capability_thresholds().cpk_min == 1.33  # capability_thresholds.csv, AIAG
    with pytest.raises(CatalogError, match="no readiness threshold 'cpk_min'"):
        threshold("cpk_min")


def test_missing_cpk_for_a_critical_characteristic_is_unknown(make_project: MakeProject) -> None:
    project = make_project(ready=True, supplier={"cpk": {2: 2.0}})
    assert status(project, ReadinessArea.SUPPLIER_CAPABILITY) is AreaStatus.UNKNOWN


def test_measured_cpk_overrides_stated(make_project: MakeProject) -> None:
    """Seed 002: low volume "is about batch consistency" — the measured batch decides."""
    measured = MeasuredCapability(cpk={"Bore": 0.9}, first_pass_yield=1.0, source="b.csv")
    evidence = GateEvidence(quoted_unit_price=10.0, measured=measured, today=TODAY)
    area = evaluate_readiness(make_project(ready=True), evidence).area(
        ReadinessArea.SUPPLIER_CAPABILITY
    )
    assert area.status is AreaStatus.FAIL
    assert area.evidence == ("#1 Bore: Cpk 0.90 (measured, b.csv)",)


# --- inspection_plan -----------------------------------------------------------------


def test_outgoing_not_defined_fails(make_project: MakeProject) -> None:
    """Seed 004: "FAI, in-process inspection, and outgoing quality standards are clear"."""
    plan = {"fai": True, "in_process": True, "outgoing": False}
    area = evaluate_readiness(make_project(ready=True, inspection_plan=plan), QUOTED).area(
        ReadinessArea.INSPECTION_PLAN
    )
    assert area.status is AreaStatus.FAIL
    assert area.action == "Define the outgoing inspection standard."


def test_generated_plan_verdict_can_fail_the_area(make_project: MakeProject) -> None:
    verdict = InspectionVerdict(
        complete=False, evidence=("gauge too coarse for #1",), action="Use a bore gauge."
    )
    evidence = GateEvidence(quoted_unit_price=10.0, inspection=verdict, today=TODAY)
    area = evaluate_readiness(make_project(ready=True), evidence).area(
        ReadinessArea.INSPECTION_PLAN
    )
    assert area.status is AreaStatus.FAIL
    assert area.action == "Use a bore gauge."


# --- cost_target ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("quoted", "expected"),
    [(18.50, AreaStatus.PASS), (18.51, AreaStatus.FAIL), (None, AreaStatus.UNKNOWN)],
)
def test_cost_target_compares_quote_with_target(
    make_project: MakeProject, quoted: float | None, expected: AreaStatus
) -> None:
    """Seed 004: "Piece price at planned production volumes is understood"."""
    project = make_project(ready=True, cost_target={"unit_price": 18.50, "at_quantity": 1000})
    evidence = GateEvidence(quoted_unit_price=quoted, today=date(2026, 11, 23))
    assert status(project, ReadinessArea.COST_TARGET, evidence) is expected


def test_no_cost_target_is_unknown(make_project: MakeProject) -> None:
    project = make_project(ready=True, cost_target=None)
    assert status(project, ReadinessArea.COST_TARGET) is AreaStatus.UNKNOWN


def test_unstable_measured_process_fails_capability(make_project: MakeProject) -> None:
    """A capable-looking Cpk of an out-of-control process does not count: seed 004 asks that
    batch consistency "can be controlled repeatably" (AIAG SPC: capability presumes a
    stable process)."""
    measured = MeasuredCapability(
        cpk={"Bore": 1.66}, first_pass_yield=1.0, source="b.csv", unstable=frozenset({"Bore"})
    )
    evidence = GateEvidence(quoted_unit_price=10.0, measured=measured, today=TODAY)
    area = evaluate_readiness(make_project(ready=True), evidence).area(
        ReadinessArea.SUPPLIER_CAPABILITY
    )
    assert area.status is AreaStatus.FAIL
    assert "out of statistical control: #1 Bore" in area.evidence


def test_a_part_without_size_gets_no_quote_and_an_unknown_cost_target() -> None:
    """No envelope and no CAD model: nothing to size the stock from, so no price at all.

    The cost target cannot then pass (seed 004 asks for it to be *confirmed*): it is
    unknown, with the action to quote at the target quantity.
    """
    document = build_document(ready=True)
    del document["part"]["envelope_mm"]
    result = assess(project_from_mapping(document, today=TODAY), today=TODAY)
    assert result.quote is None
    assert result.notes == (
        "No quote: the part has neither envelope_mm nor a CAD model to size the stock.",
    )
    area = result.readiness.area(ReadinessArea.COST_TARGET)
    assert area.status is AreaStatus.UNKNOWN
    assert area.action == "Quote the part at 1000 pcs."
    assert not result.readiness.ready


def test_an_annual_forecast_alone_is_volume_not_stability(make_project: MakeProject) -> None:
    """Seed 004 asks for "monthly, quarterly, or annual demand" that "is stable": one
    annual number says how much, not how steadily (24,000 a year ≈ 2,000 a month)."""
    area = evaluate_readiness(make_project(ready=True, demand={"annual": 24000}), QUOTED).area(
        ReadinessArea.QUANTITY_DEMAND
    )
    assert area.status is AreaStatus.UNKNOWN
    assert area.evidence[0] == (
        "annual forecast 24,000 pcs (≈ 2,000 a month): evidence of volume, not of stability"
    )
    assert "a forecast alone does not show that demand is stable" in (area.action or "")


def test_annual_figures_are_periods_too(make_project: MakeProject) -> None:
    """Six years [10, 11, 9, 10, 10.5, 9.5] thousand: mean 10,000, sample sd 707, CV 0.07."""
    demand = {"annual": [10000, 11000, 9000, 10000, 10500, 9500]}
    area = evaluate_readiness(make_project(ready=True, demand=demand), QUOTED).area(
        ReadinessArea.QUANTITY_DEMAND
    )
    assert area.status is AreaStatus.PASS
    assert area.evidence == ("6 annual periods, mean 10000.0 pcs, CV 0.07",)


def _deliveries(run_hours: float, quantity: int, demand: float) -> DeliverySchedule:
    """A 3-axis batch of ``quantity`` with ``run_hours`` of cycle time, against ``demand``."""
    work = LeadTimeInputs(
        material_category="aluminium",
        machine_class="mill_3axis",
        programming_hours=4.0,
        machine_hours=6.0 + run_hours,
        run_hours=run_hours,
        stage=Stage.MASS_PRODUCTION,
    )
    return delivery_schedule(
        work, quantity, (demand, "mean of 8 monthly periods"), LeadTimeTier.STANDARD, default_shop()
    )


def test_capacity_short_of_the_demand_fails_supplier_capability(
    make_project: MakeProject,
) -> None:
    """Ford phased PPAP phase 3: demonstrated capacity ≥ planned volume.

    46 min a part on 3 mills × 2 shifts × 7.5 h × 21 days = 56,700 / 46 = 1,232.6 pcs a
    month against 2,000: 2,000 / 1,232.6 = 1.623 × the capacity, so ⌈3 × 1.623⌉ = 5 mills,
    or a cycle time 1 − 1 / 1.623 = 38 % shorter. Cpk 1.5 passes, the area still fails.
    """
    short = _deliveries(2000 * 46 / 60, 2000, 2000.0)
    evidence = GateEvidence(quoted_unit_price=10.0, deliveries=short, today=TODAY)
    area = evaluate_readiness(make_project(ready=True), evidence).area(
        ReadinessArea.SUPPLIER_CAPABILITY
    )
    assert area.status is AreaStatus.FAIL
    assert area.evidence[0].startswith("production plan: demand 2,000 pcs a month")
    assert "1,233 pcs a month on 3 mill_3axis × 2 shifts × 7.5 h × 21 days" in area.evidence[0]
    action = area.action or ""
    assert "run it on 5 mill_3axis machines at 2 shifts" in action
    assert "cut the cycle time by 38%" in action


def test_capacity_that_meets_the_demand_passes(make_project: MakeProject) -> None:
    """3.6 min a part: 56,700 / 3.6 = 15,750 pcs a month ≥ 2,000."""
    enough = _deliveries(300.0, 5000, 2000.0)
    evidence = GateEvidence(quoted_unit_price=10.0, deliveries=enough, today=TODAY)
    area = evaluate_readiness(make_project(ready=True), evidence).area(
        ReadinessArea.SUPPLIER_CAPABILITY
    )
    assert area.status is AreaStatus.PASS
    assert "meets it; 3 deliveries" in area.evidence[0]


def test_the_gate_judges_the_lead_time_the_quote_shows(examples_dir: Path) -> None:
    """Issue 22: 2,000 valve bodies a month were called ready on one machine's lead time.

    One mill on one shift makes at most 7.5 h × 60 × 21 = 9,450 machine minutes a month:
    the example's 1,000 a month would need under 9.5 min a part. Twenty mills on three shifts give
    20 × 22.5 h × 60 × 21 = 567,000 minutes: the same demand passes.
    """
    project = load_project(examples_dir / "valve_body_production.yaml", today=TODAY)
    small = shop_from_mapping({"capacity": {"machines_mill_3axis": 1, "shifts_per_day": 1}})
    result = assess(project, shop=small, today=TODAY)
    area = result.readiness.area(ReadinessArea.SUPPLIER_CAPABILITY)
    assert area.status is AreaStatus.FAIL
    assert "falls short of it" in area.evidence[0]
    assert not result.readiness.ready
    large = shop_from_mapping({"capacity": {"machines_mill_3axis": 20, "shifts_per_day": 3}})
    plan = open_plan(project, shop=large, today=TODAY)
    area = plan.readiness.area(ReadinessArea.SUPPLIER_CAPABILITY)
    assert area.status is AreaStatus.PASS
    # the quote on the plan the gate judged shows the same deliveries and lead time
    quote = plan.quote([project.quantity], stage=Stage.MASS_PRODUCTION)
    assert quote.deliveries is not None
    assert area.evidence[0] == f"production plan: {quote.deliveries.describe()}"
    # 2,000 pcs against 1,000 a month ship in two deliveries that follow the demand:
    # the first before the whole batch is done, the last a month later
    first, last = quote.deliveries.deliveries[0], quote.deliveries.deliveries[-1]
    assert [d.pieces for d in quote.deliveries.deliveries] == [1000, 1000]
    assert first.day <= quote.lead_time.days <= last.day
