"""Stored assessments of schema version 4: every non-prototype plan made a full first article.

Version 5 records the first article the order needs (AS9102B §4.6: full, delta or the
earlier one kept); a version-4 row knew only the full one, of every characteristic.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from rampwise.api import Assessment, assess
from rampwise.app.store.assessments import read_assessment, upcast
from rampwise.io.project_file import load_project
from rampwise.rules.first_article import FirstArticleKind
from rampwise.rules.inspection import StepKind
from support import TODAY


def version_4(current: Assessment) -> dict[str, Any]:
    """A current assessment's JSON as version 4 stored it: no first-article record."""
    stored = current.model_dump(mode="json")
    del stored["inspection"]["first_article"]
    schedule = stored["inspection"]["by_quantity"]
    del schedule["first_article"], schedule["first_article_minutes"]
    return stored


def test_a_version_4_plan_reads_with_a_full_first_article(examples_dir: Path) -> None:
    current = assess(load_project(examples_dir / "valve_body_production.yaml", today=TODAY))
    model = read_assessment(version_4(current), schema_version=4)
    need = model.inspection.first_article
    assert need is not None and need.kind is FirstArticleKind.FULL
    assert need.characteristics == ("1", "2", "3", "4")
    schedule, before = model.inspection.by_quantity, current.inspection.by_quantity
    assert schedule is not None and before is not None
    # the FAI measured part 1 in full, so its minutes are a whole part's
    assert schedule.first_article is FirstArticleKind.FULL
    assert schedule.first_article_minutes == schedule.part_minutes
    fai = StepKind.FIRST_ARTICLE
    assert schedule.step_cost(fai, 1) == before.step_cost(fai, 1)
    assert model.inspection.total_cost == current.inspection.total_cost


def test_a_version_4_prototype_plan_has_no_first_article(examples_dir: Path) -> None:
    current = assess(load_project(examples_dir / "bracket_fit_check.yaml", today=TODAY))
    assert current.inspection.first_article is None
    model = read_assessment(version_4(current), schema_version=4)
    assert model == current


def test_a_row_already_in_the_version_5_shape_passes_unchanged(examples_dir: Path) -> None:
    current = assess(load_project(examples_dir / "manifold_repeat_order.yaml", today=TODAY))
    stored = current.model_dump(mode="json")
    assert upcast(copy.deepcopy(stored), schema_version=4) == stored
    assert stored["inspection"]["first_article"]["kind"] == "kept"
