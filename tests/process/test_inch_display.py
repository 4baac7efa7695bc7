"""A project written in inches gets its results in inches, the mm beside them.

``tests/data/inch_bushing.yaml`` is a bushing drawn in inches: bore Ø0.5000 ±0.0002 in
(hand: 0.5 × 25.4 = 12.7 mm, 0.0002 × 25.4 = ±0.00508 mm), OD Ø1.2500 ±0.001 in, Ra 32
µin on the bore and a 0.001 in flatness. Internally every length is mm; the JSON stays
mm with the display unit beside it, and the terminal prints inches.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner

from rampwise.api import assess, open_plan
from rampwise.app.cli import app
from rampwise.app.cli.inspection import plan_view
from rampwise.app.cli.route import route_view
from rampwise.core.units import LengthUnit
from rampwise.io.fai import fai_lines
from rampwise.io.project_file import load_project
from support import REPO

INCH_PROJECT = REPO / "tests" / "data" / "inch_bushing.yaml"
runner = CliRunner()


def _text(renderable: object) -> str:
    """What a wide terminal shows, so no table cell wraps."""
    console = Console(width=240, record=True, color_system=None)
    console.print(renderable)
    return console.export_text()


def test_the_route_table_shows_the_bore_in_inches_with_its_mm() -> None:
    project = load_project(INCH_PROJECT)
    text = _text(route_view(open_plan(project).route(), unit=project.unit))
    # 12.7 mm = 0.5000 in; ±0.00508 mm = ±0.0002 in (4 decimals) and ±0.0051 mm beside
    assert "Ø0.5000 in ±0.0002 in (12.700 mm ±0.0051 mm)" in text
    # OD 31.75 mm = 1.2500 in; ±0.0254 mm = ±0.0010 in
    assert "Ø1.2500 in ±0.0010 in (31.750 mm ±0.0254 mm)" in text
    assert "Ra 32 µin (0.8128 µm)" in text  # 32 × 0.0254 = 0.8128 µm
    assert "0.0010 in (0.0254 mm)" in text  # flatness zone 0.001 in


def test_the_same_route_in_mm_shows_mm_only() -> None:
    project = load_project(INCH_PROJECT)
    text = _text(route_view(open_plan(project).route()))
    assert "Ø12.7 mm ±0.00508 mm" in text
    assert " in " not in text.split("Characteristics")[1].split("Extra operations")[0]


def test_route_command_prints_inches(tmp_path: Path) -> None:
    result = runner.invoke(app, ["route", str(INCH_PROJECT)], env={"COLUMNS": "240"})
    assert result.exit_code == 0, result.output
    assert "Ø0.5000 in ±0.0002 in (12.700 mm ±0.0051 mm)" in result.stdout
    assert result.stderr == ""


def test_assess_prints_inches_and_says_so() -> None:
    result = runner.invoke(app, ["assess", str(INCH_PROJECT)], env={"COLUMNS": "240"})
    assert result.exit_code == 0, result.output
    assert "Lengths in inches, the millimetres beside them." in result.stdout
    assert "Ø0.5000 in ±0.0002 in (12.700 mm ±0.0051 mm)" in result.stdout
    # the bore's gauge is judged on its 0.0004 in (0.01016 mm) tolerance
    assert "on 0.0004 in (0.0102 mm)" in result.stdout


def test_the_json_keeps_mm_and_names_the_display_unit() -> None:
    result = runner.invoke(app, ["assess", str(INCH_PROJECT), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["unit"] == "in"
    bore = data["route"]["characteristics"][0]
    assert bore["nominal_mm"] == pytest.approx(12.7)  # 0.5 in × 25.4
    assert bore["upper_deviation_mm"] == pytest.approx(0.00508)  # 0.0002 in × 25.4
    assert bore["lower_deviation_mm"] == pytest.approx(-0.00508)
    assert bore["tolerance_mm"] == pytest.approx(0.01016)  # 2 × 0.00508
    gauge = data["inspection"]["gauges"][0]
    assert (gauge["unit"], gauge["tolerance"]) == ("mm", pytest.approx(0.01016))


def test_a_mm_project_keeps_mm(examples_dir: Path) -> None:
    result = assess(load_project(examples_dir / "bracket_fit_check.yaml"))
    assert result.unit is LengthUnit.MM
    text = _text(route_view(result.route, unit=result.unit))
    assert "Ø6 mm +0.012/0 mm" in text  # Ø6 H7: IT7 at 3–6 mm is 12 µm, EI = 0 (ISO 286-2)
    assert " in " not in text.split("Characteristics")[1].split("Extra operations")[0]


def test_the_inspection_plan_gives_gauge_figures_in_inches() -> None:
    project = load_project(INCH_PROJECT)
    plan = open_plan(project).inspection()
    text = _text(plan_view(plan, unit=project.unit))
    assert "on 0.0020 in (0.0508 mm)" in text  # OD: 2 × 0.001 in = 0.0020 in wide
    assert "on 32 µin (0.8128 µm)" in text


def test_the_first_article_requirements_are_in_inches() -> None:
    project = load_project(INCH_PROJECT)
    requirements = [line.requirement for line in fai_lines(project)]
    assert requirements[0] == "Ø0.5000 in ±0.0002 in (12.700 mm ±0.0051 mm)"
    assert requirements[3] == "Ra ≤ 32 µin (0.8128 µm)"
    assert requirements[4] == "flatness 0.0010 in (0.0254 mm)"
