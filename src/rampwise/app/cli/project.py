"""Commands about a whole project: ``assess`` and ``demo``."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import typer

from rampwise.api import Assessment, assess
from rampwise.app.cli._common import JSON_OPT, console, emit_json, guarded
from rampwise.app.cli.geometry import findings_table
from rampwise.app.cli.inspection import plan_view
from rampwise.app.cli.quality import batch_view
from rampwise.app.cli.quote import quote_view
from rampwise.app.cli.route import route_view
from rampwise.io.project_file import load_project
from rampwise.render.terminal import assessment_view

PROJECT_ARG = typer.Argument(..., help="Project file (YAML).", show_default=False)


def register(app: typer.Typer) -> None:
    """Add the project commands to ``app``."""
    app.command("assess")(assess_command)
    app.command("demo")(demo_command)


@guarded
def assess_command(project: Path = PROJECT_ARG, json: bool = JSON_OPT) -> None:
    """Stage, readiness gate and what to do next for one project file."""
    result = assess(load_project(project))
    if json:
        emit_json(result)
    else:
        print_assessment(result)


def print_assessment(result: Assessment) -> None:
    """Print every section: decision, gate, geometry, route, plan, batch, quote."""
    console.print(assessment_view(result))
    if result.geometry is not None:
        console.print(findings_table(result.geometry))
    console.print(route_view(result.route, unit=result.unit))
    console.print(plan_view(result.inspection, unit=result.unit))
    if result.batch is not None:
        console.print(batch_view(result.batch, None))
    if result.quote is not None:
        title = f"Price ladder of {result.part_number}"
        console.print(quote_view(result.quote, title=title))
    for note in result.notes:
        console.print(f"[yellow]note:[/] {note}", highlight=False)


def example_projects() -> list[Path]:
    """The bundled example project files, sorted by name."""
    folder = resources.files("rampwise") / "examples"
    return sorted(Path(str(p)) for p in folder.iterdir() if p.name.endswith(".yaml"))


@guarded
def demo_command() -> None:
    """Assess the bundled example projects: one per stage and the mismatch cases."""
    for path in example_projects():
        console.rule(f"[bold]{path.name}")
        print_assessment(assess(load_project(path)))
