"""Repeat orders and the first article: AS9102B §4.6 f.

AS9102B §4.6 f (quoted on elsmar.com; research/readiness.md §3): a full FAI, or a partial
FAI for the affected characteristics, on a change in design characteristics (1.), in
manufacturing source, process, location or materials (2.), or after a lapse in
production of two years (6.). rampwise: nothing changed within two years → no new FAI; a
changed process, material source or location → a delta FAI of the affected (default:
critical) characteristics; a new revision or a lapse → a full FAI.

Figures by hand for tests/support.py's document (Ø12 ±0.005 bore, critical; Ra 0.8
face): gauges.csv gives the bore a CMM (2.0 min: the bore gauge's ±3 µm is under 4:1 of
the 10 µm zone) and the face a profilometer (2.0 min), 4.0 min a part in full; the
inspector costs 40 USD/h (labour_rates.csv); an FAI adds 200 USD program + 150 USD
overhead (inspection_parameters.csv, mfgcalcs.com model); overhead 15 % and margin 15 %
(cost_defaults.csv) make the uplift 1.15 × 1.15 = 1.3225; the FAI report takes 1 working
day (lead_times.csv ``fai_days``).
"""

from __future__ import annotations

import copy
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from openpyxl import load_workbook
from typer.testing import CliRunner

from rampwise.api import Assessment, assess
from rampwise.app.cli import app
from rampwise.core.errors import InputError
from rampwise.core.model import AreaStatus, ReadinessArea, Stage
from rampwise.core.repeat_order import FaiTrigger
from rampwise.io.fai import write_fai_workbook
from rampwise.io.project_file import project_from_mapping
from rampwise.rules.first_article import FirstArticleKind, first_article_need, years_after
from rampwise.rules.inspection import StepKind
from support import TODAY, build_document

UPLIFT = 1.15 * 1.15
"""(1 + overhead)(1 + margin), cost_defaults.csv [unitless]."""

FAI_REPORT = 200.0 + 150.0
"""FAI program + overhead, inspection_parameters.csv [USD]."""

FULL_FAI = 4.0 / 60 * 40 + FAI_REPORT
"""Part 1 in full (CMM 2.0 + profilometer 2.0 min at 40 USD/h) + the report: 352.67 USD."""

RECENT = "2026-05-04"
"""A previous order well within two years of TODAY (2026-11-23)."""


def document(previous: dict[str, Any] | None = None, **overrides: Any) -> dict[str, Any]:
    """tests/support.py's ready document at 5,000 pcs for a market release, a repeat order."""
    doc = build_document(ready=True, quantity=5000, purpose="market_release", **overrides)
    if previous is None:
        doc["repeat_order"] = True  # a file written before previous_order
    else:
        doc["previous_order"] = previous
    return doc


def assessed(doc: dict[str, Any]) -> Assessment:
    return assess(doc, today=TODAY)


def fai_steps(result: Assessment) -> list[Any]:
    return [s for s in result.inspection.steps if s.kind is StepKind.FIRST_ARTICLE]


@pytest.fixture(scope="module")
def full_and_kept() -> tuple[Assessment, Assessment]:
    """The same repeat order without its previous order stated, and with nothing changed."""
    full = assessed(document())
    kept = assessed(document({"revision": "A", "date": RECENT}))
    return full, kept


def test_nothing_changed_within_two_years_makes_no_first_article(
    full_and_kept: tuple[Assessment, Assessment],
) -> None:
    full, kept = full_and_kept
    assert kept.stage is full.stage is Stage.MASS_PRODUCTION
    need = kept.inspection.first_article
    assert need is not None and need.kind is FirstArticleKind.KEPT
    assert need.says.startswith(
        "repeat of rev A produced 2026-05-04, nothing changed and under 2 years since: "
        "AS9102 asks no new first article"
    )
    assert fai_steps(kept) == []
    assert len(fai_steps(full)) == 1
    # the plan's cost falls by the FAI step: 1,952.67 − 1,600.00 USD
    assert full.inspection.total_cost - kept.inspection.total_cost == pytest.approx(FULL_FAI)


def test_the_quote_is_lower_by_exactly_the_first_articles_one_time_cost(
    full_and_kept: tuple[Assessment, Assessment],
) -> None:
    """Mass production: the whole FAI step goes, 352.67 × 1.3225 = 466.40 USD a break.

    Low volume: seed 003's schedule still measures part 1 in full, so only the report's
    350 USD goes, 350 × 1.3225 = 462.88 USD. Every break loses the FAI report's day.
    """
    full, kept = full_and_kept
    assert full.quote is not None and kept.quote is not None
    saving = {Stage.MASS_PRODUCTION: FULL_FAI * UPLIFT, Stage.LOW_VOLUME: FAI_REPORT * UPLIFT}
    for before, after in zip(full.quote.breaks, kept.quote.breaks, strict=True):
        assert (before.quantity, before.stage) == (after.quantity, after.stage)
        assert before.strategy is after.strategy
        expected = saving[before.stage]
        assert before.total_price - after.total_price == pytest.approx(expected)
        assert before.one_time_cost - after.one_time_cost == pytest.approx(expected)
        assert before.lead_time_days - after.lead_time_days == 1


def test_the_gate_reads_the_same_first_article_as_the_plan(
    full_and_kept: tuple[Assessment, Assessment],
) -> None:
    _, kept = full_and_kept
    area = kept.readiness.area(ReadinessArea.INSPECTION_PLAN)
    assert area.status is AreaStatus.PASS
    need = kept.inspection.first_article
    assert need is not None
    assert f"Earlier FAI kept: {need.says}" in area.evidence
    assert kept.inspection.complete and kept.inspection.findings == ()


def test_a_new_revision_makes_a_full_first_article() -> None:
    doc = document({"revision": "A", "date": RECENT})
    doc["part"]["revision"] = "B"
    result = assessed(doc)
    need = result.inspection.first_article
    assert need is not None and need.kind is FirstArticleKind.FULL
    assert need.triggers == (FaiTrigger.REVISION,)
    assert "revision A → B: a full first article" in need.says
    (step,) = fai_steps(result)
    assert step.characteristics == ("1", "2")
    assert step.cost == pytest.approx(FULL_FAI)  # 352.67 USD
    assert "(revision)" in step.description


def test_a_material_source_change_makes_a_delta_naming_it() -> None:
    result = assessed(document({"revision": "A", "date": RECENT, "changed": ["material_source"]}))
    need = result.inspection.first_article
    assert need is not None and need.kind is FirstArticleKind.DELTA
    assert need.triggers == (FaiTrigger.MATERIAL_SOURCE,)
    assert "material source changed: a delta first article of characteristic 1" in need.says
    (step,) = fai_steps(result)
    # the critical bore only: CMM 2.0 min at 40 USD/h + 350 USD = 351.33 USD
    assert step.characteristics == ("1",)
    assert step.minutes == pytest.approx(2.0)
    assert step.cost == pytest.approx(2.0 / 60 * 40 + FAI_REPORT)
    assert "material source changed" in step.description
    assert result.inspection.complete  # the earlier FAI stands for the face


def test_a_delta_measures_the_characteristics_the_project_names() -> None:
    previous = {"revision": "A", "date": RECENT, "changed": ["process"], "affected": [2]}
    (step,) = fai_steps(assessed(document(previous)))
    assert step.characteristics == ("2",)
    assert step.cost == pytest.approx(2.0 / 60 * 40 + FAI_REPORT)  # profilometer 2.0 min


@pytest.mark.parametrize(
    ("produced", "kind"),
    [
        (date(2024, 11, 24), FirstArticleKind.KEPT),  # 2 years less a day
        (date(2024, 11, 23), FirstArticleKind.FULL),  # 2 years to the day: a lapse of two years
        (date(2024, 11, 22), FirstArticleKind.FULL),  # 2 years and a day
    ],
)
def test_two_years_without_production_make_a_full_first_article(
    produced: date, kind: FirstArticleKind
) -> None:
    project = project_from_mapping(
        document({"revision": "A", "date": produced.isoformat()}), today=TODAY
    )
    need = first_article_need(project, today=TODAY)
    assert need.kind is kind
    if kind is FirstArticleKind.FULL:
        assert need.triggers == (FaiTrigger.LAPSE,)
        assert need.characteristics == ("1", "2")
        # 2024-11-22 → 2026-11-23: 366 + 365 (2025, 2026 have no 29 February) days
        days = (TODAY - produced).days
        assert f"{days} days since, a lapse in production of 2 years or more" in need.says


def test_a_leap_day_lapses_on_the_first_of_march() -> None:
    assert years_after(date(2024, 2, 29), 2) == date(2026, 3, 1)


def test_repeat_order_true_alone_still_loads_and_makes_a_full_first_article() -> None:
    project = project_from_mapping(document(), today=TODAY)
    assert project.repeat_order and project.previous_order is None
    need = first_article_need(project, today=TODAY)
    assert need.kind is FirstArticleKind.FULL
    assert "state previous_order to keep it" in need.says


def test_a_previous_order_makes_a_repeat_order() -> None:
    project = project_from_mapping(document({"revision": "A", "date": RECENT}), today=TODAY)
    assert project.repeat_order  # programs reused, the tooling library may hold it


def test_a_new_part_makes_a_full_first_article() -> None:
    project = project_from_mapping(build_document(), today=TODAY)
    need = first_article_need(project, today=TODAY)
    assert (need.kind, need.triggers) == (FirstArticleKind.FULL, ())
    assert need.says.startswith("first order of the part: a full first article")


@pytest.mark.parametrize(
    ("previous", "field", "words"),
    [
        ({"revision": "A", "date": "2026-11-24"}, "previous_order.date", "is in the future"),
        ({"revision": "A", "date": RECENT, "colour": "red"}, "previous_order.colour", "known"),
        ({"revision": "A", "date": RECENT, "changed": ["revision"]}, "previous_order.changed", ""),
        ({"revision": "A", "date": RECENT, "changed": ["paint"]}, "previous_order.changed", ""),
        ({"revision": "A", "date": RECENT, "affected": [9]}, "previous_order.affected", "9"),
        ({"date": RECENT}, "previous_order.revision", "is required"),
    ],
)
def test_bad_previous_orders_name_the_field(
    previous: dict[str, Any], field: str, words: str
) -> None:
    with pytest.raises(InputError) as raised:
        project_from_mapping(document(previous), today=TODAY)
    assert raised.value.field == field
    assert words in raised.value.message


def test_a_previous_order_contradicting_repeat_order_false_is_refused() -> None:
    doc = document({"revision": "A", "date": RECENT})
    doc["repeat_order"] = False
    with pytest.raises(InputError, match=r"^repeat_order: must not be false"):
        project_from_mapping(doc, today=TODAY)


def test_a_previous_order_needs_the_parts_revision() -> None:
    doc = document({"revision": "A", "date": RECENT})
    del doc["part"]["revision"]
    with pytest.raises(InputError, match=r"^part\.revision: is required with previous_order"):
        project_from_mapping(doc, today=TODAY)


def test_the_rule_refuses_a_previous_order_after_its_today() -> None:
    project = project_from_mapping(document({"revision": "A", "date": RECENT}), today=TODAY)
    with pytest.raises(InputError, match=r"^previous_order\.date: 2026-05-04 is in the future"):
        first_article_need(project, today=date(2026, 5, 3))


@pytest.mark.parametrize(
    ("previous", "field"),
    [
        ({"revision": "A", "date": "2999-01-01"}, "previous_order.date"),
        ({"revision": "A", "date": RECENT, "when": "now"}, "previous_order.when"),
    ],
)
def test_the_cli_refuses_a_bad_previous_order_in_one_line(
    tmp_path: Path, previous: dict[str, Any], field: str
) -> None:
    path = tmp_path / "project.yaml"
    path.write_text(yaml.safe_dump(document(previous)), encoding="utf-8")
    for command in ("assess", "inspect"):
        result = CliRunner().invoke(app, [command, str(path)])
        assert result.exit_code == 2
        assert result.stderr.startswith(f"error: {field}: ")
        assert len(result.stderr.strip().splitlines()) == 1
        assert result.stdout == ""


def test_inspect_shows_the_first_article_decision(tmp_path: Path) -> None:
    path = tmp_path / "project.yaml"
    doc = document({"revision": "A", "date": RECENT, "changed": ["location"]})
    path.write_text(yaml.safe_dump(doc), encoding="utf-8")
    result = CliRunner().invoke(app, ["inspect", str(path)])
    assert result.exit_code == 0, result.stderr
    # the table wraps the row's text in its column: read the cells' words in order
    words = " ".join(re.sub(r"[│┃]", " ", result.stdout).split())
    assert "first article Delta FAI: repeat of rev A produced 2026-05-04; location changed" in words


def test_a_delta_workbook_is_a_partial_fai_of_the_affected_characteristics(
    tmp_path: Path,
) -> None:
    doc = document({"revision": "A", "date": RECENT, "changed": ["material_source"]})
    project = project_from_mapping(copy.deepcopy(doc), today=TODAY)
    need = first_article_need(project, today=TODAY)
    summary = write_fai_workbook(project, tmp_path / "fai.xlsx", first_article=need)
    assert [line.characteristic_id for line in summary.lines] == ["1"]
    form1 = dict(load_workbook(tmp_path / "fai.xlsx")["Form 1"].iter_rows(values_only=True))
    assert form1["14. Full or partial FAI"] == "partial"
    assert form1["8. Additional changes"] == need.says
