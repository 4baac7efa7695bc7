"""The ``stack`` command: worst-case, RSS, modified-RSS and Monte Carlo stack-up.

Prints the ranges, the stack-up map and the advice, or with ``--json`` the
:class:`~rampwise.tolerance.stackup.StackResult` JSON on stdout.
"""

from __future__ import annotations

from pathlib import Path

import typer
from rich.markup import escape
from rich.table import Table

from rampwise.app.cli._common import JSON_OPT, console, emit_json, guarded
from rampwise.io.stack_file import load_stack
from rampwise.tolerance.stackup import DEFAULT_SAMPLES, StackMethod, StackResult, analyse_stack

STACK_ARG = typer.Argument(..., help="Stack file (YAML).", show_default=False)
METHOD_OPT = typer.Option(
    StackMethod.RSS, "--method", help="Headline method; monte-carlo also runs a simulation."
)
SAMPLES_OPT = typer.Option(DEFAULT_SAMPLES, "--samples", help="Monte Carlo samples.")
SEED_OPT = typer.Option(0, "--seed", help="Monte Carlo seed.")
INFLATION_OPT = typer.Option(
    None, "--inflation-factor", help="Modified-RSS factor Cf (default: Drake's formula)."
)

_METHOD_WORDS = {"worst-case": "worst case", "rss": "RSS"}


def register(app: typer.Typer) -> None:
    """Add the ``stack`` command to ``app``."""
    app.command("stack")(stack_command)


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
