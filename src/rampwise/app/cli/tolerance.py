"""Tolerance and process commands: ``limits``, ``fit``, ``stack`` and ``route``.

Each prints a readable table, or with ``--json`` the result model's JSON on stdout.
"""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Group, RenderableType
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from rampwise.api import open_plan
from rampwise.app.cli._common import console, emit_json, guarded
from rampwise.core.model import Stage
from rampwise.core.units import LengthUnit
from rampwise.io.project_file import load_project
from rampwise.io.stack_file import load_stack
from rampwise.render.lengths import characteristic_limit
from rampwise.rules.process import Route
from rampwise.rules.process_capability import in_words
from rampwise.tolerance.iso286 import Limits, fit, limits
from rampwise.tolerance.stackup import DEFAULT_SAMPLES, StackMethod, StackResult, analyse_stack

JSON_OPT = typer.Option(False, "--json", help="Print the result as JSON on stdout.")
SIZE_ARG = typer.Argument(..., help="Nominal size [mm].", show_default=False)
CLASS_ARG = typer.Argument(..., help="ISO 286 class, e.g. g6 or H7.", show_default=False)
FIT_ARG = typer.Argument(..., help="Hole/shaft classes, e.g. H7/g6.", show_default=False)
STACK_ARG = typer.Argument(..., help="Stack file (YAML).", show_default=False)
METHOD_OPT = typer.Option(
    StackMethod.RSS, "--method", help="Headline method; monte-carlo also runs a simulation."
)
SAMPLES_OPT = typer.Option(DEFAULT_SAMPLES, "--samples", help="Monte Carlo samples.")
SEED_OPT = typer.Option(0, "--seed", help="Monte Carlo seed.")
INFLATION_OPT = typer.Option(
    None, "--inflation-factor", help="Modified-RSS factor Cf (default: Drake's formula)."
)
PROJECT_ARG = typer.Argument(..., help="Project file (YAML).", show_default=False)
STAGE_OPT = typer.Option(None, "--stage", help="Plan for this stage instead of the decided one.")

_UM_PER_MM = 1000.0
_METHOD_WORDS = {"worst-case": "worst case", "rss": "RSS"}


def register(app: typer.Typer) -> None:
    """Add the tolerance commands to ``app``."""
    app.command("limits")(limits_command)
    app.command("fit")(fit_command)
    app.command("stack")(stack_command)
    app.command("route")(route_command)


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


@guarded
def stack_command(
    stack_file: Path = STACK_ARG,
    method: StackMethod = METHOD_OPT,
    samples: int = SAMPLES_OPT,
    seed: int = SEED_OPT,
    inflation_factor: float | None = INFLATION_OPT,
    json: bool = JSON_OPT,
) -> None:
    """Worst-case, RSS, modified-RSS and Monte Carlo stack-up of a 1-D chain."""
    stack = load_stack(stack_file)
    result = analyse_stack(
        stack,
        monte_carlo_samples=samples if method is StackMethod.MONTE_CARLO else None,
        seed=seed,
        inflation_factor=inflation_factor,
    )
    if json:
        emit_json(result)
    else:
        _print_stack(result, method)


def _verdict(meets: bool | None) -> str:
    return {True: "[green]meets[/]", False: "[red]fails[/]", None: "—"}[meets]


def _print_stack(result: StackResult, method: StackMethod) -> None:
    requirement = result.requirement
    wanted = "none"
    if requirement is not None:
        low = f"{requirement.min:g}" if requirement.min is not None else "−∞"
        high = f"{requirement.max:g}" if requirement.max is not None else "+∞"
        wanted = f"{low} … {high} mm"
    console.print(
        f"[bold]{result.name}[/]  nominal gap {result.nominal_gap:.4f} mm, "
        f"mean gap {result.mean_gap:.4f} mm, requirement {wanted}"
    )
    table = Table(title="Gap [mm]", title_justify="left")
    for name in ("Method", "Min", "Max", "±", "Requirement"):
        table.add_column(name, no_wrap=True)
    rows = [
        (StackMethod.WORST_CASE, "worst case", result.worst_case),
        (StackMethod.RSS, "RSS", result.rss),
        (
            StackMethod.RSS,
            f"modified RSS (Cf {result.modified_rss.inflation_factor:.3f})",
            result.modified_rss,
        ),
    ]
    for key, label, interval in rows:
        style = "bold" if key is method else ""
        table.add_row(
            f"[{style}]{label}[/]" if style else label,
            f"{interval.min:.4f}",
            f"{interval.max:.4f}",
            f"{interval.half_width:.4f}",
            _verdict(interval.meets_requirement),
        )
    console.print(table)
    if result.rss.fraction_out is not None:
        console.print(
            f"Statistical: σ {result.rss.std:.5f} mm, predicted out of requirement "
            f"{result.rss.fraction_out:.3%}"
        )
    mc = result.monte_carlo
    if mc is not None:
        out = f", out of requirement {mc.fraction_out:.4%}" if mc.fraction_out is not None else ""
        console.print(
            f"[bold]Monte Carlo[/] ({mc.samples:,} samples, seed {mc.seed}): "
            f"{mc.min:.4f} … {mc.max:.4f} mm, mean {mc.mean:.4f}, σ {mc.std:.5f}{out}"
        )
    headline = result.advice_for(method)
    shares = Table(title="Stack-up map (variance share)", title_justify="left")
    columns = ["Contributor", "Share", "±t", "RSS allows", "WC allows"]
    columns += [] if headline is None else [f"Advice ({_METHOD_WORDS[headline.method]})"]
    for name in columns:
        shares.add_column(name, no_wrap=True)
    for row in sorted(result.contributions, key=lambda c: c.share, reverse=True):
        cells = [
            row.name,
            f"{row.share:.1%}",
            f"{row.half_width:.4f}",
            f"{row.allowable_half_width_rss:.4f}"
            if row.allowable_half_width_rss is not None
            else "—",
            f"{row.allowable_half_width_worst_case:.4f}"
            if row.allowable_half_width_worst_case is not None
            else "—",
        ]
        if headline is not None:
            cells.append(headline.action_text(row.name))
        shares.add_row(*cells)
    console.print(shares)
    advice = sorted(result.advice, key=lambda a: a is not headline)
    for item in advice:
        style = "green" if item.meets else "red"
        lines = item.sentences()
        console.print(f"[bold {style}]{escape(lines[0])}[/]")
        for line in lines[1:]:
            console.print(f"  • {escape(line)}")


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
