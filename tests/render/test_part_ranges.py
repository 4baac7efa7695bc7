"""Part numbers as ranges (issue 22, point 12): a 5,000-piece schedule is four runs.

Seed 003's tiers (``catalog/inspection_tiers.csv``) at 5,000 parts: parts 1–3, the even
parts 4–10, the multiples of 5 from 15 to 50, and the steady rate every 10th after 50:
3 + 4 + 8 + 495 = 510 parts.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from rampwise.app.cli import app
from rampwise.core.errors import InputError
from rampwise.render.part_ranges import PartRange, expand, ordinal, part_ranges, ranges_text
from rampwise.rules.inspection import tiered_schedule

runner = CliRunner()


def test_a_5000_piece_schedule_prints_as_four_runs() -> None:
    parts = [p.part for p in tiered_schedule(5000)]
    assert len(parts) == 510  # 3 + 4 + 8 + 495, see the module docstring
    assert part_ranges(parts) == (
        PartRange(first=1, last=4, every=1),  # 1, 2, 3 and the first even part, 4
        PartRange(first=6, last=10, every=2),
        PartRange(first=15, last=50, every=5),
        PartRange(first=60, last=5000, every=10),  # (5000 − 60)/10 + 1 = 495 parts
    )
    assert ranges_text(parts) == (
        "parts 1–4; 6–10: every 2nd; 15–50: every 5th; 60–5,000: every 10th"
    )


def test_a_tool_change_part_does_not_break_its_run() -> None:
    # tool changed after part 22: part 23 is inspected too; the every-5th run 15–50 stays
    parts = [p.part for p in tiered_schedule(200, tool_changes=[22])]
    assert ranges_text(parts) == (
        "parts 1–4; 6–10: every 2nd; 15–50: every 5th; 23; 60–200: every 10th"
    )


def test_short_runs_and_singles() -> None:
    assert ranges_text([1, 5, 23, 60, 70, 80]) == "parts 1, 5, 23; 60–80: every 10th"
    assert ranges_text([7]) == "parts 7"
    assert ranges_text([3, 1, 2], noun="") == "1–3"
    assert ranges_text([]) == "none"


def test_ordinals() -> None:
    words = [ordinal(n) for n in (1, 2, 3, 4, 10, 11, 12, 13, 21, 22, 23, 101, 111, 1000)]
    assert words == [
        "1st", "2nd", "3rd", "4th", "10th", "11th", "12th", "13th",
        "21st", "22nd", "23rd", "101st", "111th", "1,000th",
    ]  # fmt: skip


def test_bad_part_lists() -> None:
    with pytest.raises(InputError, match="twice"):
        part_ranges([1, 2, 2])
    with pytest.raises(InputError, match="whole number"):
        part_ranges([1, 2.5])  # type: ignore[list-item]


@settings(max_examples=300, deadline=None)
@given(st.sets(st.integers(min_value=1, max_value=6000), max_size=400))
def test_ranges_expand_back_to_exactly_the_parts(parts: set[int]) -> None:
    runs = part_ranges(parts)
    assert expand(runs) == sorted(parts)
    assert sum(run.count for run in runs) == len(parts)  # no part twice
    assert all(run.count == 1 or run.count >= 3 for run in runs)
    assert [run.first for run in runs] == sorted(run.first for run in runs)


@settings(max_examples=100, deadline=None)
@given(
    quantity=st.integers(min_value=1, max_value=20_000),
    changes=st.lists(st.integers(min_value=1, max_value=19_999), max_size=5),
)
def test_schedules_expand_back_to_their_parts(quantity: int, changes: list[int]) -> None:
    listed = [
        p.part for p in tiered_schedule(quantity, tool_changes=[c for c in changes if c < quantity])
    ]
    assert expand(part_ranges(listed)) == listed


def test_inspect_prints_the_schedule_as_ranges(tmp_path: Path) -> None:
    project = tmp_path / "brackets.yaml"
    project.write_text(
        "project: Bracket pilot\n"
        "part:\n  number: BR-20\n  material: 6061\n  envelope_mm: [80, 30, 12]\n"
        "  characteristics:\n"
        "    - {id: 1, name: Hole pitch, nominal: 50.0, tolerance: '±0.05', critical: true}\n"
        "quantity: 5000\npurpose: pilot_run\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["inspect", str(project), "--stage", "low_volume"])
    assert result.exit_code == 0, result.output
    assert "every 10th" in result.stdout and "1000, 1010" not in result.stdout
    # the same table on a console wide enough not to wrap the cell
    from rich.console import Console

    from rampwise.api import open_plan
    from rampwise.app.cli.inspection import plan_view
    from rampwise.core.model import Stage
    from rampwise.io.project_file import load_project

    plan = open_plan(load_project(project)).inspection(Stage.LOW_VOLUME)
    console = Console(width=300, record=True)
    console.print(plan_view(plan))
    text = console.export_text()
    assert "parts 1–4; 6–10: every 2nd; 15–50: every 5th; 60–5,000: every 10th" in text
