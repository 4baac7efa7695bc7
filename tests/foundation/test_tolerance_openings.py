"""Non-critical tolerances the base process does not hold (issue: shop-floor realism, 10).

Seed 004: "Critical dimensions are defined and non-critical tolerances are optimized."
The bundled bracket's Ø6 H7 mounting hole is not critical, yet H7 (0.012 mm, ISO 286-2:
IT7 over 3 up to 6 mm = 12 µm) needs reaming after drilling. Opened to the drawing's
general tolerance ISO 2768-m (±0.1 mm over 3 up to 6 mm, ISO 2768-1 Table 1: a 0.2 mm
band) drilling holds it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from rampwise.api import open_plan
from rampwise.core.model import AreaStatus, CostTarget, Project, ReadinessArea, Stage
from rampwise.io.project_file import load_project
from rampwise.rules.tolerance_opening import ToleranceOpening, open_tolerance
from support import TODAY


def _bracket(examples_dir: Path) -> Project:
    return load_project(examples_dir / "bracket_fit_check.yaml", today=TODAY)


def test_a_tight_non_critical_tolerance_fails_the_review_with_its_saving(
    examples_dir: Path,
) -> None:
    project = _bracket(examples_dir)
    plan = open_plan(project, today=TODAY)
    [opening] = plan.tolerance_openings
    assert (opening.id, opening.name) == ("2", "Mounting hole")
    assert opening.tolerance_mm == pytest.approx(0.012)  # IT7 at Ø6
    assert opening.operations == ("reaming",)
    assert opening.opened_mm == pytest.approx(0.2)  # ISO 2768-m: ±0.1 at 3–6 mm
    assert opening.opened_source == "ISO 2768-m"
    assert opening.still_needs == ()
    # the saving is the production plan's price less the opened drawing's, at 3 pcs
    opened = open_plan(open_tolerance(project, "2"), today=TODAY)
    _, before = plan.prices(Stage.MASS_PRODUCTION).cheapest(3)
    _, after = opened.prices(Stage.MASS_PRODUCTION).cheapest(3)
    assert opening.saving_per_part == pytest.approx(before.price - after.price)
    assert opening.saving_per_part > 0
    area = plan.readiness.area(ReadinessArea.TOLERANCE_REVIEW)
    assert area.status is AreaStatus.FAIL
    assert area.evidence[-1] == opening.describe()
    assert area.action is not None and "#2 Mounting hole" in area.action


def test_a_critical_tolerance_is_kept_whatever_it_costs(examples_dir: Path) -> None:
    project = _bracket(examples_dir)
    marked = tuple(
        c.model_copy(update={"critical": True}) if str(c.id) == "2" else c
        for c in project.part.characteristics
    )
    critical = project.model_copy(
        update={"part": project.part.model_copy(update={"characteristics": marked})}
    )
    plan = open_plan(critical, today=TODAY)
    assert plan.tolerance_openings == ()
    assert not any(
        "not critical" in fact
        for fact in plan.readiness.area(ReadinessArea.TOLERANCE_REVIEW).evidence
    )


def test_a_non_critical_roughness_is_not_opened(examples_dir: Path) -> None:
    """The sensor housing's Ra 0.8 sealing face needs fly-cutting but has no general
    tolerance to open to: a roughness is a function of the face, not a size."""
    project = load_project(examples_dir / "sensor_housing_pilot.yaml", today=TODAY)
    plan = open_plan(project, today=TODAY)
    assert plan.tolerance_openings == ()
    assert plan.readiness.area(ReadinessArea.TOLERANCE_REVIEW).status is AreaStatus.PASS


def test_a_cost_target_names_the_opening_and_its_saving(examples_dir: Path) -> None:
    """Over target at 1,000 pcs, the action opens the mounting hole first, with the saving
    the opening is priced at on the production plan at that quantity."""
    project = _bracket(examples_dir).model_copy(
        update={"cost_target": CostTarget(unit_price=10.0, at_quantity=1000)}
    )
    plan = open_plan(project, today=TODAY)
    [opening] = plan.tolerance_openings
    assert opening.quantity == 1000
    area = plan.readiness.area(ReadinessArea.COST_TARGET)
    assert area.status is AreaStatus.FAIL
    assert area.action is not None
    assert f"open #2 Mounting hole (−{opening.saving_per_part:.2f} USD)" in area.action


def test_an_opening_names_its_operations_in_words() -> None:
    opening = ToleranceOpening(
        id="3",
        name="Overall length",
        tolerance_mm=0.02,
        operations=("grinding_surface",),
        opened_mm=0.6,
        opened_source="ISO 2768-m",
        still_needs=("grinding_surface",),
        quantity=500,
        saving_per_part=0.04,
        currency="USD",
    )
    words = opening.describe()
    assert "needs surface grinding" in words and "still need surface grinding" in words
    assert "grinding_surface" not in words
