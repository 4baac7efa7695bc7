"""The ``route`` command: how each characteristic of a project will be made.

:func:`route_view` is also the route section of ``rampwise assess``.
"""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Group, RenderableType
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from rampwise.api import open_plan
from rampwise.app.cli._common import JSON_OPT, console, emit_json, guarded
from rampwise.core.model import Stage
from rampwise.core.units import LengthUnit
from rampwise.io.project_file import load_project
from rampwise.render.lengths import characteristic_limit
from rampwise.rules.process import Route
from rampwise.rules.process_capability import in_words

PROJECT_ARG = typer.Argument(..., help="Project file (YAML).", show_default=False)
STAGE_OPT = typer.Option(None, "--stage", help="Plan for this stage instead of the decided one.")


def register(app: typer.Typer) -> None:
    """Add the ``route`` command to ``app``."""
    app.command("route")(route_command)


@guarded
def route_command(
    project: Path = PROJECT_ARG, stage: Stage | None = STAGE_OPT, json: bool = JSON_OPT
) -> None:
    """How each characteristic will be made: chains, setups, workholding, validation run.

    The route ``rampwise assess`` plans: at the stage it decides, or at ``--stage``.
    """
    loaded = load_project(project)
    result = open_plan(loaded).route(stage)
    if json:
        emit_json(result)
    else:
        console.print(route_view(result, unit=loaded.unit))


def _capable(value: bool | None) -> str:
    return {True: "[green]yes[/]", False: "[red]no[/]", None: "—"}[value]


def route_view(route: Route, *, unit: LengthUnit = LengthUnit.MM) -> RenderableType:
    """The route as Rich renderables: header, characteristic table, holding, notes.

    Each characteristic's limit is printed in ``unit``, the project's display unit (with
    the mm beside an inch value).
    """
    parts: list[RenderableType] = [
        Text.from_markup(
            f"[bold]Route of {route.part_number}[/] at the {route.stage.adjective} "
            f"stage: {route.strategy_text}, Cp target {route.cp_target:g}"
        )
    ]
    table = Table(title="Characteristics", title_justify="left")
    for name in ("#", "Name", "Limit", "IT", "Chain", "Cp", "OK", "Gauge"):
        table.add_column(name)
    for row in route.characteristics:
        table.add_row(
            row.id,
            row.name,
            characteristic_limit(row, unit),
            str(row.required_it_grade or "—"),
            " → ".join(in_words(step) for step in row.chain) or "—",
            f"{row.expected_cp:.2f}" if row.expected_cp is not None else "—",
            _capable(row.capable),
            row.inspection,
        )
    parts.append(table)
    lines = [
        f"Extra operations: {', '.join(map(in_words, route.extra_operations)) or 'none'}; "
        f"added inspection {route.added_inspection_minutes:g} min/part",
        f"Workholding: [bold]{route.workholding.kind.phrase}[/] — {route.workholding.reason}",
    ]
    if route.hybrid is not None:
        lines.append(
            f"Hybrid offer: {route.hybrid.reason}; finish-machined "
            f"{', '.join('#' + i for i in route.hybrid.finish_machined) or 'none'}"
        )
    run = route.validation_run
    if run is not None:
        index = f", Ppk > {run.min_index:g}" if run.min_index is not None else ""
        lines.append(
            f"Validation run: {run.quantity} part{'' if run.quantity == 1 else 's'} "
            f"({run.purpose}); measure {'; '.join(run.measure)}; pass: first-pass yield ≥ "
            f"{run.min_first_pass_yield:.1%}{index}"
        )
    lines.extend(f"• {escape(row.note)}" for row in route.characteristics)
    lines.extend(f"• {escape(note)}" for note in route.notes)
    parts.extend(Text.from_markup(line) for line in lines)
    return Group(*parts)
