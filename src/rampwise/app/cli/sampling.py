"""The ``sampling`` command: a lot's ANSI/ASQ Z1.4 = ISO 2859-1 plan and switching state.

With ``--history`` the switching rules run over the inspected lots; ``--plot`` draws the
plan's OC curve.
"""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from rampwise.app.cli._common import JSON_OPT, console, emit_json, guarded
from rampwise.quality.oc import oc_curve, plot_oc_curve
from rampwise.quality.sampling import SamplingScheme
from rampwise.quality.switching import SamplingReport, load_lot_history, sampling_report

LOT_SIZE_OPT = typer.Option(..., "--lot-size", help="Items in the lot.", show_default=False)
AQL_OPT = typer.Option(
    ..., "--aql", help="Acceptance quality limit [%], e.g. 1.0.", show_default=False
)
LEVEL_OPT = typer.Option("II", "--level", help="Inspection level: S-1..S-4, I, II, III.")
INSPECTION_OPT = typer.Option(
    "normal", "--inspection", help="normal, tightened or reduced (start state with --history)."
)
DOUBLE_OPT = typer.Option(False, "--double", help="Double sampling instead of single.")
HISTORY_OPT = typer.Option(
    None, "--history", help="CSV of inspected lots (lot, nonconforming, …): switching rules."
)
NO_REDUCED_OPT = typer.Option(
    False, "--no-reduced", help="The responsible authority does not allow reduced inspection."
)
DISTRIBUTION_OPT = typer.Option(
    "binomial", "--distribution", help="OC model: binomial, hypergeometric or poisson."
)
PLOT_OPT = typer.Option(None, "--plot", help="Write the OC curve to this image file (PNG, SVG).")


def register(app: typer.Typer) -> None:
    """Add the ``sampling`` command to ``app``."""
    app.command("sampling")(sampling_command)


@guarded
def sampling_command(
    lot_size: int = LOT_SIZE_OPT,
    aql: str = AQL_OPT,
    level: str = LEVEL_OPT,
    inspection: str = INSPECTION_OPT,
    double: bool = DOUBLE_OPT,
    history: Path | None = HISTORY_OPT,
    no_reduced: bool = NO_REDUCED_OPT,
    distribution: str = DISTRIBUTION_OPT,
    plot: Path | None = PLOT_OPT,
    json: bool = JSON_OPT,
) -> None:
    """Sampling plan for a lot by ANSI/ASQ Z1.4 = ISO 2859-1, with its switching state."""
    report = sampling_report(
        lot_size,
        aql,
        level=level,
        inspection=inspection,
        scheme=SamplingScheme.DOUBLE if double else SamplingScheme.SINGLE,
        history=load_lot_history(history) if history is not None else None,
        distribution=distribution,
        reduced_approved=not no_reduced,
    )
    if plot is not None and report.plan is not None:
        curve = oc_curve(
            report.plan, lot_size=report.plan.lot_size, distribution=report.distribution
        )
        plan = report.plan
        title = f"OC curve: code {plan.code_letter}, n {plan.sample_size}, Ac {plan.accept}"
        plot_oc_curve(curve, plot, title=title)
    if json:
        emit_json(report)
        return
    console.print(_sampling_view(report))
    if plot is not None and report.plan is not None:
        console.print(f"OC curve written to {plot}")


def _sampling_view(report: SamplingReport) -> Table:
    table = Table(title="Lot sampling (ANSI/ASQ Z1.4 = ISO 2859-1)", show_header=False)
    table.add_column("item", style="bold")
    table.add_column("value")
    if report.switching is not None:
        for lot in report.switching.lots:
            if lot.reason:
                table.add_row(f"lot {lot.lot}", f"→ {lot.state_after.value}: {lot.reason}")
        table.add_row("switching score", str(report.switching.switching_score))
    table.add_row("inspection", report.inspection)
    plan = report.plan
    if plan is None:
        table.add_row("next lot", "inspection discontinued until corrective action")
        return table
    table.add_row(
        "code letter", f"{plan.code_letter} (level {plan.level.value}, lot {plan.lot_size})"
    )
    for index, stage in enumerate(plan.stages, start=1):
        label = "sample" if len(plan.stages) == 1 else f"sample {index}"
        table.add_row(label, f"n {stage.sample_size}, Ac {stage.accept}, Re {stage.reject}")
    table.add_row("100 % inspection", "yes" if plan.hundred_percent else "no")
    if report.pa_at_aql is not None:
        table.add_row("Pa at the AQL", f"{report.pa_at_aql:.4f} ({report.distribution.value})")
    if report.aoql is not None:
        table.add_row(
            "AOQL", f"{report.aoql.aoql * 100:.3f} % at p = {report.aoql.at_fraction * 100:.2f} %"
        )
    for note in plan.notes:
        table.add_row("note", note)
    return table
