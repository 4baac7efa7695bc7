"""Inspection plan per stage (seeds 001-003) and gauges by the 10:1 rule."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planning_support import inspection_of
from rampwise.core.errors import CatalogError, InputError
from rampwise.core.model import Characteristic, Project, Stage
from rampwise.core.shop import shop_from_mapping
from rampwise.io.project_file import project_from_mapping
from rampwise.rules import inspection
from rampwise.rules.inspection import (
    StepKind,
    _findings,
    choose_gauge,
    inspection_tiers,
    inspection_verdict,
    tiered_schedule,
)
from support import TODAY, build_document

MakeProject = Callable[..., Project]


def test_tiered_schedule_for_40_parts() -> None:
    """Seed 003: parts 1-3 100 %, 4-10 every 2nd, 11-50 every 5th.

    Reading: "every 2nd" / "every 5th" = part numbers that are multiples of 2 / of 5, so
    a 40-part batch inspects 1, 2, 3, 4, 6, 8, 10, 15, 20, 25, 30, 35, 40 (13 parts).
    """
    parts = [p.part for p in tiered_schedule(40)]
    assert parts == [1, 2, 3, 4, 6, 8, 10, 15, 20, 25, 30, 35, 40]


def test_tool_change_adds_the_next_part() -> None:
    """Seed 003: "plus any after tool change" — a change after part 13 inspects part 14."""
    schedule = {p.part: p.reasons for p in tiered_schedule(40, tool_changes=[13, 19])}
    assert 14 in schedule and schedule[14] == ("first part after a tool change",)
    assert "first part after a tool change" in schedule[20] and len(schedule[20]) == 2


@settings(max_examples=200, deadline=None)
@given(quantity=st.integers(1, 700), changes=st.sets(st.integers(1, 699), max_size=6))
def test_tiered_schedule_is_the_catalog_rule_part_by_part(quantity: int, changes: set[int]) -> None:
    """The schedule is the catalog's rule read part by part (inspection_tiers.csv).

    Part k is listed, in order, with the tiers whose band holds k and whose ``every``
    divides k (catalog order), then the tool change just before it.
    """
    tool_changes = sorted(c for c in changes if c < quantity)
    expected = []
    for part in range(1, quantity + 1):
        reasons = [
            tier.rule
            for tier in inspection_tiers()
            if tier.first <= part <= (tier.last or quantity) and part % tier.every == 0
        ]
        if part - 1 in tool_changes:
            reasons.append("first part after a tool change")
        if reasons:
            expected.append((part, tuple(reasons)))
    schedule = tiered_schedule(quantity, tool_changes=tool_changes)
    assert [(p.part, p.reasons) for p in schedule] == expected


@settings(max_examples=200, deadline=None)
@given(
    quantity=st.integers(1, 700),
    changes=st.sets(st.integers(1, 699), max_size=6),
    other=st.integers(1, 700),
)
def test_the_schedule_counts_the_listed_parts_in_closed_form(
    quantity: int, changes: set[int], other: int
) -> None:
    """The plan's schedule counts, without listing them, the parts the listing holds.

    At the plan's own quantity and at any other (the quote's breaks), with the tool
    changes inside that batch; the tiered step is the listing less part 1.
    """
    tool_changes = sorted(c for c in changes if c < quantity)
    project = project_from_mapping(build_document(quantity=quantity), today=TODAY)
    plan = inspection_of(project, Stage.LOW_VOLUME, tool_changes=tool_changes)
    schedule = plan.by_quantity
    assert schedule is not None
    assert schedule.scheduled_parts(quantity) == len(plan.schedule)
    listed = tiered_schedule(other, tool_changes=[c for c in tool_changes if c < other])
    assert schedule.scheduled_parts(other) == len(listed)
    assert schedule.parts(StepKind.TIERED_SAMPLING, other) == len(listed) - 1


def test_overlapping_tiers_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    """Bands that overlap would count a part twice in the closed form: the catalog is wrong."""
    rows = (
        {"first_part": "1", "last_part": "10", "every": "1", "rule": "a", "source": "s"},
        {"first_part": "5", "last_part": "", "every": "5", "rule": "b", "source": "s"},
    )
    monkeypatch.setattr(inspection, "load_table", lambda _name: rows)
    with pytest.raises(CatalogError, match="overlaps"):
        inspection_tiers.__wrapped__()


def test_steady_rate_after_50() -> None:
    """After part 50 the catalog's steady rate: every 10th part (60, 70, …)."""
    parts = [p.part for p in tiered_schedule(120)]
    assert [p for p in parts if p > 40] == [45, 50, 60, 70, 80, 90, 100, 110, 120]


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [({"quantity": 0}, "quantity"), ({"quantity": 10, "tool_changes": [10]}, "tool_changes[0]")],
)
def test_schedule_bad_input(kwargs: dict[str, Any], field: str) -> None:
    with pytest.raises(InputError) as caught:
        tiered_schedule(**kwargs)
    assert caught.value.field == field


@pytest.mark.parametrize(
    ("spec", "gauge"),
    [
        # Uncertainties (gauges.csv): caliper ±0.02, height gauge ±0.03, micrometer
        # ±0.002, depth micrometer ±0.003, bore gauge ±0.003, CMM (1.8 + L/300) µm.
        # tolerance 0.2 mm → tenth 0.02 ≥ caliper 0.02
        ({"id": 1, "name": "Length", "nominal": 60, "tolerance": "±0.1"}, "caliper"),
        # tolerance 0.04 → tenth 0.004: caliper fails, micrometer 0.002 passes
        (
            {"id": 1, "name": "Shaft", "kind": "diameter", "nominal": 10, "tolerance": "±0.02"},
            "outside micrometer",
        ),
        # a hole of 0.04: bore gauge 0.003 ≤ 0.004 (a micrometer cannot reach inside)
        (
            {
                "id": 1,
                "name": "Bore",
                "kind": "diameter",
                "feature": "hole",
                "nominal": 30,
                "tolerance": "±0.02",
            },
            "bore gauge",
        ),
        # Ø12 ±0.005 hole (before: bore gauge by its 1 µm display resolution): no gauge
        # meets 10:1 (tenth 1 µm); within 4:1 (2.5 µm): bore gauge 3 µm no, CMM
        # 1.8 + 12/300 = 1.84 µm yes
        ({"id": 1, "name": "Bore", "nominal": 12, "tolerance": "±0.005"}, "CMM"),
        # H7 at 25 mm (21 µm, tenth 2.1 µm): bore gauge 3 µm no, CMM 1.88 µm yes
        # (before: bore gauge, by its display resolution)
        (
            {"id": 1, "name": "Seat", "kind": "diameter", "nominal": 25, "tolerance": "H7"},
            "CMM",
        ),
        # tolerance 0.004: nothing reaches 4:1 (1 µm); the finest, CMM 1.82 µm, not capable
        ({"id": 1, "name": "Pin", "kind": "diameter", "nominal": 5, "tolerance": "±0.002"}, "CMM"),
        ({"id": 1, "name": "Face", "kind": "roughness", "max": 0.8}, "profilometer"),
        ({"id": 1, "name": "Flat", "kind": "flatness", "max": 0.02}, "CMM"),
        # a hole pitch is a spacing of centres: height gauge ±0.03 > 0.01, CMM 1.97 µm
        # (before: a bore gauge, from the word "hole")
        ({"id": 1, "name": "Hole pitch", "nominal": 50, "tolerance": "±0.05"}, "CMM"),
        # a groove depth of 0.04 (tenth 0.004): caliper depth rod and height gauge fail,
        # depth micrometer 0.003 passes (before: an outside micrometer)
        (
            {"id": 1, "name": "Groove depth", "kind": "depth", "nominal": 3, "tolerance": "±0.02"},
            "depth micrometer",
        ),
        # a step of 0.1 (tenth 0.01): caliper 0.02 and height gauge 0.03 fail
        (
            {"id": 1, "name": "Shoulder", "kind": "step", "nominal": 8, "tolerance": "±0.05"},
            "depth micrometer",
        ),
        # threads: GO/NO-GO plug gauge inside, ring gauge outside (ISO 1502)
        (
            {"id": 1, "name": "M3", "kind": "thread", "designation": "M3x0.5-6H"},
            "thread plug gauge",
        ),
        (
            {"id": 1, "name": "Stud", "kind": "thread", "designation": "M12x1.5-6g"},
            "thread ring gauge",
        ),
        (
            {"id": 1, "name": "Port", "kind": "thread", "designation": "1/4-20 UNC-2B"},
            "thread plug gauge",
        ),
    ],
)
def test_gauge_by_kind_and_the_ten_to_one_rule(spec: dict[str, Any], gauge: str) -> None:
    choice = choose_gauge(Characteristic.model_validate(spec))
    assert choice.gauge == gauge
    if choice.uncertainty is not None and choice.tolerance is not None:
        # capable down to the 4:1 minimum (inspection_parameters.csv)
        assert choice.capable is (choice.uncertainty <= choice.tolerance / 4 * (1 + 1e-9))
    if spec.get("kind") == "thread":
        assert choice.capable is None and "GO/NO-GO" in choice.note


def test_forced_coarse_gauge_is_a_finding(make_project: MakeProject) -> None:
    """Bore ±0.005 (tolerance 0.010) with a caliper (0.01): worse than a tenth → finding."""
    plan = inspection_of(make_project(quantity=5000), "mass_production", gauges={"1": "caliper"})
    bore = plan.gauges[0]
    assert (bore.gauge, bore.capable) == ("caliper", False)
    assert not plan.complete
    # caliper ±0.02 mm against 0.010 mm: 0.5:1, below the 4:1 minimum
    assert any("below the 4:1 minimum" in line for line in plan.findings)
    verdict = inspection_verdict(plan)
    assert not verdict.complete and verdict.action is not None


def test_unknown_or_wrong_gauge(make_project: MakeProject) -> None:
    with pytest.raises(InputError, match="must be one of"):
        inspection_of(make_project(), "low_volume", gauges={"1": "ruler"})
    with pytest.raises(InputError, match="cannot measure"):
        inspection_of(make_project(), "low_volume", gauges={"2": "caliper"})
    with pytest.raises(InputError, match="no characteristic with id 9"):
        inspection_of(make_project(), "low_volume", gauges={"9": "CMM"})


def test_prototype_inspects_every_part_critical_first(make_project: MakeProject) -> None:
    project = make_project(quantity=5)
    plan = inspection_of(project, Stage.PROTOTYPE)
    (step,) = plan.steps
    assert step.kind is StepKind.FULL_DIMENSIONAL
    assert step.parts == (1, 2, 3, 4, 5)
    assert step.characteristics[0] == "1"  # the critical bore first
    per_part = sum(g.minutes for g in plan.gauges)
    assert plan.total_minutes == pytest.approx(5 * per_part)
    assert plan.total_cost == pytest.approx(plan.total_minutes / 60 * 40)  # 40 USD/h catalog rate


def test_low_volume_plan_for_the_seed_003_sensor_housing(make_project: MakeProject) -> None:
    """40 units (seed 003 case): validation run, FAI on part 1, tiered parts 2…40."""
    plan = inspection_of(make_project(quantity=40), "low_volume")
    kinds = [s.kind for s in plan.steps]
    assert kinds == [StepKind.VALIDATION_RUN, StepKind.FIRST_ARTICLE, StepKind.TIERED_SAMPLING]
    assert [p.part for p in plan.schedule] == [1, 2, 3, 4, 6, 8, 10, 15, 20, 25, 30, 35, 40]
    assert plan.steps[2].parts == (2, 3, 4, 6, 8, 10, 15, 20, 25, 30, 35, 40)
    assert plan.steps[0].characteristics == ("1",)  # every critical feature only
    fai = plan.steps[1]
    # CMM 2.0 min (the Ø12 ±0.005 bore: within 4:1 only on a CMM) + profilometer
    # 2.0 min on part 1, plus 200 + 150 USD FAI costs.
    assert fai.minutes == pytest.approx(4.0)
    assert fai.cost == pytest.approx(4.0 / 60 * 40 + 350)
    assert plan.total_minutes == pytest.approx(2.0 + 4.0 + 12 * 4.0)
    assert plan.cost_per_part == pytest.approx(plan.total_cost / 40)


def test_tiered_row_counts_agree_with_the_first_article(make_project: MakeProject) -> None:
    """Seed 003's "First 3 parts: 100% inspection" includes part 1, the first article.

    By hand for 40 parts: 1-3 (3) + 4, 6, 8, 10 (4) + 15, 20, …, 40 (6) = 13 parts in the
    schedule; part 1 is measured (and costed) once, by the first-article step, so the
    tiered step inspects 12 and says why its count is one less than the schedule's.
    """
    plan = inspection_of(make_project(quantity=40), "low_volume")
    fai, tiered = plan.steps[1], plan.steps[2]
    assert len(plan.schedule) == 13
    assert fai.parts == (1,) and tiered.inspected_parts == 12 == len(tiered.parts)
    assert set(fai.parts) | set(tiered.parts) == {p.part for p in plan.schedule}
    assert tiered.frequency == "13 of 40 parts (part 1 is the first article, so 12 in this step)"


def test_verdict_and_findings_speak_words_not_keys(make_project: MakeProject) -> None:
    """The gate's evidence reads "mass-production plan: first-article, …", not enum values."""
    verdict = inspection_verdict(inspection_of(make_project(quantity=2400), "mass_production"))
    assert verdict.evidence[0].startswith(
        "generated mass-production plan: first-article, in-process, outgoing inspection steps;"
    )
    low = inspection_of(make_project(), "low_volume")
    lines = [*inspection_verdict(low).evidence, *low.findings]
    assert not [line for line in lines if "_" in line or "fai" in line]
    assert {kind.label for kind in StepKind} >= {"In-process SPC", "First article inspection"}


def test_plan_prices_with_the_shop_rates_the_quote_uses(make_project: MakeProject) -> None:
    """Inspector rate and validation-run parts are the quote's (labour_rates, cost_defaults)."""
    shop = shop_from_mapping({"labour_rates": {"inspection": 80}, "validation_run_parts": 2})
    plan = inspection_of(make_project(quantity=40), "low_volume", shop=shop)
    validation, fai = plan.steps[0], plan.steps[1]
    assert validation.inspected_parts == 2 and validation.minutes == pytest.approx(2 * 2.0)
    assert fai.cost == pytest.approx(4.0 / 60 * 80 + 350)  # CMM + profilometer at 80


def test_mass_production_plan(make_project: MakeProject) -> None:
    plan = inspection_of(make_project(quantity=2400), "mass_production")
    steps = {s.kind: s for s in plan.steps}
    outgoing = steps[StepKind.OUTGOING_SAMPLING]
    assert outgoing.sampling is not None
    # 2400 pcs, level II, AQL 1.0 (catalog default): K, n 125, Ac 3, Re 4 (Z1.4 II-A).
    assert (outgoing.sampling.code_letter, outgoing.sampling.sample_size) == ("K", 125)
    assert outgoing.inspected_parts == 125
    spc = steps[StepKind.IN_PROCESS_SPC]
    assert spc.characteristics == ("1",)
    assert spc.inspected_parts == 48 * 5  # subgroups of 5 every 50 parts
    probing = steps[StepKind.IN_PROCESS_PROBING]
    assert probing.optional and probing.cost == 0 and probing.inspected_parts == 480
    assert plan.complete and plan.findings == ()
    verdict = inspection_verdict(plan)
    assert verdict.complete and verdict.action is None
    assert any("1 Bore: CMM" in line for line in verdict.evidence)


def test_mass_production_lots_and_aql(make_project: MakeProject) -> None:
    plan = inspection_of(make_project(quantity=2400), "mass_production", lot_size=500, aql=0.65)
    outgoing = next(s for s in plan.steps if s.kind is StepKind.OUTGOING_SAMPLING)
    # 500 pcs → H; H @ 0.65 ↓ J: n 80 (Z1.4 II-A); 5 lots.
    assert outgoing.sampling is not None and outgoing.sampling.sample_size == 80
    assert outgoing.inspected_parts == 5 * 80


@pytest.mark.parametrize("stage", list(Stage))
def test_each_plan_is_judged_against_its_own_stage(make_project: MakeProject, stage: Stage) -> None:
    # A prototype's full dimensional inspection of every part is its whole plan (seeds
    # 001/002); a low-volume batch needs its validation run, first article and tiered
    # sampling (seed 003), not production's outgoing lot sampling (seed 004). Each is
    # complete for its own stage; the gate reads the production plan's verdict.
    plan = inspection_of(make_project(quantity=40), stage)
    assert plan.complete, plan.findings
    assert plan.findings == ()


def test_a_production_plan_without_outgoing_sampling_is_incomplete(
    make_project: MakeProject,
) -> None:
    plan = inspection_of(make_project(quantity=2400), "mass_production")
    outgoing = [s for s in plan.steps if s.kind is StepKind.OUTGOING_SAMPLING]
    assert outgoing
    cut = plan.model_copy(update={"steps": tuple(s for s in plan.steps if s not in outgoing)})
    assert _findings(Stage.MASS_PRODUCTION, cut.gauges, cut.steps) == (
        "no outgoing step for critical characteristic(s) 1",
    )


def test_no_critical_characteristic_is_a_finding(make_project: MakeProject) -> None:
    document_chars = [{"id": 1, "name": "Length", "nominal": 60, "tolerance": "±0.1"}]
    project = make_project(
        part={"number": "X", "material": "Al 6061-T6", "characteristics": document_chars}
    )
    plan = inspection_of(project, "mass_production")
    assert "the drawing marks no critical characteristic" in plan.findings


def test_unknown_stage(make_project: MakeProject) -> None:
    with pytest.raises(InputError) as caught:
        inspection_of(make_project(), "pilot")
    assert caught.value.field == "stage"
