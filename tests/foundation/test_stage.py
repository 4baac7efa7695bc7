"""Stage decision rules, each tied to the seed sentence it implements."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from rampwise.core.model import Project, PurposeGroup, Stage
from rampwise.rules.readiness import GateEvidence, evaluate_readiness
from rampwise.rules.stage import band_for, decide_stage, stage_profiles
from support import TODAY

MakeProject = Callable[..., Project]
READY = GateEvidence(quoted_unit_price=10.0, today=TODAY)


def decide(project: Project, evidence: GateEvidence = READY) -> tuple[Stage, object]:
    decision = decide_stage(project, evaluate_readiness(project, evidence))
    return decision.stage, decision


@pytest.mark.parametrize(
    "purpose",
    ["design_review", "fit_check", "function_test", "engineering_validation", "proof_of_concept"],
)
def test_learning_purposes_are_prototype(make_project: MakeProject, purpose: str) -> None:
    """Seed 000: "If the project is still testing whether the design works, prototyping is
    usually the right choice." — whatever the readiness."""
    stage, decision = decide(make_project(ready=True, quantity=3, purpose=purpose))
    assert stage is Stage.PROTOTYPE
    assert decision.purpose_group is PurposeGroup.LEARNING
    assert decision.rules[0].rule == "learning_purpose"
    assert "seed 000" in decision.rules[0].source
    assert decision.warnings == ()


def test_large_learning_order_is_flagged_with_staged_plan(make_project: MakeProject) -> None:
    """Seed 000: "buyers only need one to five pieces to check the design"; seed 002:
    prototyping 1–20 parts typically. 150 pcs for function testing stays a prototype but is
    flagged, with a plan to order a few prototypes first."""
    stage, decision = decide(make_project(quantity=150, purpose="function_test"))
    assert stage is Stage.PROTOTYPE
    (warning,) = decision.warnings
    assert "Large learning order" in warning
    assert "order 5 prototypes first" in warning


def test_learning_order_at_twenty_is_not_flagged(make_project: MakeProject) -> None:
    """Seed 002: "1–20 parts (typically)" — 20 is still a typical prototype volume."""
    _, decision = decide(make_project(quantity=20, purpose="fit_check"))
    assert decision.warnings == ()


@pytest.mark.parametrize(
    "purpose",
    [
        "pilot_run",
        "customer_testing",
        "market_validation",
        "bridge_production",
        "clinical_trial",
        "limited_commercial",
    ],
)
def test_batch_validation_purposes_are_low_volume(make_project: MakeProject, purpose: str) -> None:
    """Seed 001: "If it needs dozens or hundreds of parts for pilot runs, customer testing,
    market validation, or bridge production, small batch manufacturing is usually the better
    choice." — even when every readiness area passes."""
    stage, decision = decide(make_project(ready=True, quantity=40, purpose=purpose))
    assert stage is Stage.LOW_VOLUME
    assert decision.rules[0].rule == "batch_validation_purpose"
    assert decision.next_stage is Stage.MASS_PRODUCTION


def test_purpose_and_stage_are_written_in_words(make_project: MakeProject) -> None:
    """The rules name a purpose and a stage in words, not as catalog keys or enum values."""
    _, decision = decide(make_project(quantity=40, purpose="pilot_run"))
    assert decision.rules[0].says.startswith("'pilot run' needs a batch that is made")
    _, decision = decide(make_project(quantity=40, purpose=None))
    assert "falls in the low-volume band" in decision.rules[0].says
    assert not [rule.says for rule in decision.rules if "_" in rule.says]


def test_tiny_batch_validation_order_is_flagged(make_project: MakeProject) -> None:
    """Seed 001: "In small batch manufacturing, one good part is not enough." 3 pcs for a
    pilot run cannot show multi-part consistency."""
    stage, decision = decide(make_project(quantity=3, purpose="pilot_run"))
    assert stage is Stage.LOW_VOLUME
    assert any("Small batch" in w for w in decision.warnings)


@pytest.mark.parametrize(
    "purpose", ["market_release", "series_production", "inventory", "commercial_deployment"]
)
def test_production_purpose_with_passed_gate_is_mass_production(
    make_project: MakeProject, purpose: str
) -> None:
    """Seed 004: move to mass production "when the design is frozen, prototype and
    small-batch validation are complete, … and repeat demand is stable"."""
    stage, decision = decide(make_project(ready=True, quantity=2000, purpose=purpose))
    assert stage is Stage.MASS_PRODUCTION
    assert [r.rule for r in decision.rules] == ["production_purpose", "readiness_gate_passed"]
    assert decision.next_stage is None
    assert decision.blockers == ()


def test_production_purpose_with_failing_gate_stays_low_volume(make_project: MakeProject) -> None:
    """Seed 004: "the decision should be based on process stability and commercial
    predictability, not only on a higher order quantity"."""
    project = make_project(
        ready=True,
        quantity=5000,
        purpose="market_release",
        design={"frozen": False, "revisions": [{"rev": "D", "date": "2026-11-01"}]},
    )
    stage, decision = decide(project)
    assert stage is Stage.LOW_VOLUME
    assert decision.rules[-1].rule == "readiness_gate_blocks"
    assert "(design status" in decision.rules[-1].says  # seed 004's area name, not the key
    assert any(b.startswith("design status:") for b in decision.blockers)
    assert decision.next_stage is Stage.MASS_PRODUCTION
    assert any("Freeze the CAD model" in s for s in decision.next_steps)
    assert any("Production requested but not ready" in w for w in decision.warnings)


def test_unknown_area_also_blocks_production(make_project: MakeProject) -> None:
    """Missing information is unknown, never assumed to pass: without a quote the cost
    target is unknown, so production is not justified (seed 004 'cost target')."""
    project = make_project(ready=True, quantity=2000, purpose="series_production")
    stage, decision = decide(project, GateEvidence(today=TODAY))
    assert stage is Stage.LOW_VOLUME
    assert any(b.startswith("cost target:") for b in decision.blockers)


def test_small_production_order_is_flagged(make_project: MakeProject) -> None:
    """Seed 002: production runs are "50–10,000+ parts"."""
    _, decision = decide(make_project(ready=True, quantity=20, purpose="inventory"))
    assert any("Small production order" in w for w in decision.warnings)


@pytest.mark.parametrize(
    ("quantity", "stage"),
    [(1, Stage.PROTOTYPE), (5, Stage.PROTOTYPE), (6, Stage.LOW_VOLUME), (999, Stage.LOW_VOLUME)],
)
def test_no_purpose_uses_quantity_bands_and_is_borderline(
    make_project: MakeProject, quantity: int, stage: Stage
) -> None:
    """Seed 000: "If the buyer only needs 1 to 5 pieces, the project is usually better suited
    to prototyping … dozens or hundreds of parts … low volume manufacturing"."""
    got, decision = decide(make_project(quantity=quantity, purpose=None))
    assert got is stage
    assert decision.borderline
    assert decision.rules[0].rule == "quantity_band"
    assert any("No purpose stated" in w for w in decision.warnings)


def test_no_purpose_large_quantity_still_needs_the_gate(make_project: MakeProject) -> None:
    """Seed 004: a higher order quantity alone does not make mass production."""
    not_ready, _ = decide(make_project(quantity=5000, purpose=None), GateEvidence(today=TODAY))
    ready, _ = decide(make_project(ready=True, quantity=5000, purpose=None))
    assert band_for(5000).stage is Stage.MASS_PRODUCTION
    assert not_ready is Stage.LOW_VOLUME
    assert ready is Stage.MASS_PRODUCTION


def test_prototype_next_stage_is_low_volume(make_project: MakeProject) -> None:
    """Seed 000: "CNC machining prototyping is the stage that leads naturally into low
    volume manufacturing once the design is ready for the next step"."""
    _, decision = decide(make_project(quantity=2, purpose="design_review"))
    assert decision.next_stage is Stage.LOW_VOLUME
    assert len(decision.next_steps) == 2


def test_stage_profiles_cover_every_stage_with_seed_rows() -> None:
    """Seed 000/001 comparison tables and seed 002's aspect tables."""
    profiles = stage_profiles()
    assert set(profiles) == set(Stage)
    assert profiles[Stage.PROTOTYPE].typical_quantity.startswith("Usually 1–5")
    assert profiles[Stage.MASS_PRODUCTION].typical_quantity == "50–10 000+ parts"
    assert "seed 002" in profiles[Stage.MASS_PRODUCTION].source
