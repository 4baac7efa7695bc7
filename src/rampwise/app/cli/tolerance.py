"""ISO 286 commands: ``limits`` and ``fit``.

Each prints a readable table, or with ``--json`` the result model's JSON on stdout.
"""

from __future__ import annotations

import typer
from rich.table import Table

from rampwise.app.cli._common import JSON_OPT, console, emit_json, guarded
from rampwise.tolerance.iso286 import Limits, fit, limits

SIZE_ARG = typer.Argument(..., help="Nominal size [mm].", show_default=False)
CLASS_ARG = typer.Argument(..., help="ISO 286 class, e.g. g6 or H7.", show_default=False)
FIT_ARG = typer.Argument(..., help="Hole/shaft classes, e.g. H7/g6.", show_default=False)

_UM_PER_MM = 1000.0


def register(app: typer.Typer) -> None:
    """Add the ISO 286 commands to ``app``."""
    app.command("limits")(limits_command)
    app.command("fit")(fit_command)


def _um(value_mm: float) -> str:
    return f"{value_mm * _UM_PER_MM:+g} µm"


def _limits_rows(table: Table, member: str, result: Limits) -> None:
    table.add_row(
        member,
        result.designation,
        f"{result.upper_deviation:+.4f} ({_um(result.upper_deviation)})",
        f"{result.lower_deviation:+.4f} ({_um(result.lower_deviation)})",
        f"{result.upper_limit:.4f}",
        f"{result.lower_limit:.4f}",
    )


def _limits_table(title: str) -> Table:
    table = Table(title=title, title_justify="left")
    for name in ("", "Class", "Upper dev. [mm]", "Lower dev. [mm]", "Max [mm]", "Min [mm]"):
        table.add_column(name, no_wrap=True)
    return table


@guarded
def limits_command(
    size: float = SIZE_ARG,
    designation: str = CLASS_ARG,
    json: bool = JSON_OPT,
) -> None:
    """Limit deviations of an ISO 286 class at a size, e.g. ``rampwise limits 25 g6``."""
    result = limits(size, designation)
    if json:
        emit_json(result)
        return
    table = _limits_table(f"ISO 286 limits, {result.size:g} {result.designation}")
    _limits_rows(table, "hole" if result.designation[0].isupper() else "shaft", result)
    console.print(table)


@guarded
def fit_command(
    size: float = SIZE_ARG,
    designation: str = FIT_ARG,
    json: bool = JSON_OPT,
) -> None:
    """Clearance and fit type of a hole/shaft pair, e.g. ``rampwise fit 25 H7/g6``."""
    result = fit(size, designation)
    if json:
        emit_json(result)
        return
    table = _limits_table(f"ISO 286 fit {result.hole.size:g} {designation.strip()}")
    _limits_rows(table, "hole", result.hole)
    _limits_rows(table, "shaft", result.shaft)
    console.print(table)
    console.print(
        f"Clearance {result.min_clearance:+.4f} … {result.max_clearance:+.4f} mm "
        f"(negative = interference): [bold]{result.fit.value} fit[/]"
    )
