"""The ``gauge-rr`` command: gauge repeatability and reproducibility of a study (AIAG MSA)."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from rampwise.app.cli._common import JSON_OPT, console, emit_json, guarded
from rampwise.quality.msa import GaugeRRResult, gauge_rr, load_gauge_study

STUDY_ARG = typer.Argument(
    ..., help="Study CSV: part, appraiser, trial, value.", show_default=False
)
TOLERANCE_OPT = typer.Option(None, "--tolerance", help="Tolerance width USL − LSL.")
METHOD_OPT = typer.Option("anova", "--method", help="anova or average-range.")
ALPHA_OPT = typer.Option(
    None, "--alpha", help="ANOVA: pool the interaction above this p-value (default 0.25)."
)


def register(app: typer.Typer) -> None:
    """Add the ``gauge-rr`` command to ``app``."""
    app.command("gauge-rr")(gauge_rr_command)


@guarded
def gauge_rr_command(
    study: Path = STUDY_ARG,
    tolerance: float | None = TOLERANCE_OPT,
    method: str = METHOD_OPT,
    alpha: float | None = ALPHA_OPT,
    json: bool = JSON_OPT,
) -> None:
    """Gauge repeatability and reproducibility (AIAG MSA 4th ed.)."""
    result = gauge_rr(
        load_gauge_study(study), method=method, tolerance=tolerance, interaction_alpha=alpha
    )
    if json:
        emit_json(result)
        return
    console.print(_gauge_view(result))


def _gauge_view(result: GaugeRRResult) -> Table:
    table = Table(title=f"Gauge R&R ({result.method.value})")
    table.add_column("source", style="bold")
    table.add_column("σ", justify="right")
    table.add_column("% study var", justify="right")
    rows = (
        ("repeatability (EV)", result.ev, result.pct_ev),
        ("reproducibility (AV)", result.av, result.pct_av),
        ("gauge R&R (GRR)", result.grr, result.pct_grr),
        ("part variation (PV)", result.pv, result.pct_pv),
        ("total (TV)", result.tv, 100.0),
    )
    for name, sigma, percent in rows:
        table.add_row(name, f"{sigma:.4f}", f"{percent:.2f}")
    if result.pct_grr_tolerance is not None:
        table.add_row("GRR % of tolerance", "", f"{result.pct_grr_tolerance:.2f}")
    table.add_row("ndc", "", str(result.ndc))
    table.add_row("verdict", "", result.acceptability.value)
    for finding in result.findings:
        table.add_row("finding", "", finding)
    return table
