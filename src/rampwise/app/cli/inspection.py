"""Inspection commands: ``inspect``, ``sampling`` and ``gauge-rr``.

``inspect`` prints the inspection plan of a project's stage and writes the AS9102 FAI
workbook; ``sampling`` gives the Z1.4 / ISO 2859-1 lot plan and switching state;
``gauge-rr`` analyses a gauge study (AIAG MSA).
"""

from __future__ import annotations

from pathlib import Path

import typer
from pydantic import BaseModel, ConfigDict
from rich.markup import escape
from rich.table import Table

from rampwise.api import open_plan
from rampwise.app.cli._common import console, emit_json, guarded
from rampwise.core.model import parse_stage
from rampwise.core.units import LengthUnit
from rampwise.io.fai import FaiSummary, load_fai_measurements, write_fai_workbook
from rampwise.io.project_file import load_project
from rampwise.quality.msa import GaugeRRResult, gauge_rr, load_gauge_study
from rampwise.quality.oc import oc_curve, plot_oc_curve
from rampwise.quality.sampling import SamplingScheme
from rampwise.quality.switching import SamplingReport, load_lot_history, sampling_report
from rampwise.render.lengths import gauge_figures
from rampwise.render.part_ranges import ranges_text
from rampwise.rules.inspection import InspectionPlan

JSON_OPT = typer.Option(False, "--json", help="Print the result as JSON on stdout.")


def register(app: typer.Typer) -> None:
    """Add the inspection commands to ``app``."""
    app.command("inspect")(inspect_command)
    app.command("sampling")(sampling_command)
    app.command("gauge-rr")(gauge_rr_command)


PROJECT_ARG = typer.Argument(..., help="Project file (YAML).", show_default=False)
STAGE_OPT = typer.Option(
    None, "--stage", help="prototype, low_volume or mass_production (default: the assessed stage)."
)
FAI_OPT = typer.Option(None, "--fai", help="Write AS9102 Forms 1-3 to this XLSX file.")
MEASURED_OPT = typer.Option(
    None, "--measurements", help="First-article results CSV (characteristic, value) for Form 3."
)
TOOL_CHANGE_OPT = typer.Option(
    [], "--tool-change", help="Low volume: part after which a tool is changed (repeatable)."
)
OUTGOING_LOT_OPT = typer.Option(
    None, "--lot-size", help="Mass production: parts per outgoing lot (default: the quantity)."
)
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
STUDY_ARG = typer.Argument(
    ..., help="Study CSV: part, appraiser, trial, value.", show_default=False
)
TOLERANCE_OPT = typer.Option(None, "--tolerance", help="Tolerance width USL − LSL.")
METHOD_OPT = typer.Option("anova", "--method", help="anova or average-range.")
ALPHA_OPT = typer.Option(
    None, "--alpha", help="ANOVA: pool the interaction above this p-value (default 0.25)."
)


class InspectReport(BaseModel):
    """JSON contract of ``rampwise inspect``: the plan and, with ``--fai``, the workbook."""

    model_config = ConfigDict(frozen=True)

    plan: InspectionPlan
    fai: FaiSummary | None = None


@guarded
def inspect_command(
    project: Path = PROJECT_ARG,
    stage: str | None = STAGE_OPT,
    fai: Path | None = FAI_OPT,
    measurements: Path | None = MEASURED_OPT,
    tool_change: list[int] = TOOL_CHANGE_OPT,
    lot_size: int | None = OUTGOING_LOT_OPT,
    json: bool = JSON_OPT,
) -> None:
    """Inspection plan of the project's stage, its cost, gauges and readiness verdict."""
    plan_of = open_plan(load_project(project))
    document = plan_of.project
    chosen = plan_of.stage if stage is None else parse_stage(stage)
    plan = plan_of.inspection(chosen, tool_changes=tool_change, lot_size=lot_size)
    summary = None
    if fai is not None:
        found = load_fai_measurements(measurements) if measurements is not None else None
        summary = write_fai_workbook(
            document,
            fai,
            measurements=found,
            gauges=plan.gauges,
            first_article=plan.first_article,
        )
    if json:
        emit_json(InspectReport(plan=plan, fai=summary))
        return
    console.print(plan_view(plan, unit=document.unit))
    if summary is not None:
        console.print(
            f"AS9102 workbook written to {summary.path}: {summary.measured} measured, "
            f"{summary.passed} pass, {summary.failed} fail"
        )


def plan_view(plan: InspectionPlan, *, unit: LengthUnit = LengthUnit.MM) -> Table:
    """The inspection plan's steps as a table, with its totals (in its currency) and findings.

    Each gauge's uncertainty and tolerance are printed in ``unit``, the project's display
    unit.
    """
    currency = plan.currency
    table = Table(title=f"Inspection plan — {plan.stage.adjective} stage, {plan.quantity} parts")
    table.add_column("step", style="bold")
    table.add_column("what")
    table.add_column("parts", justify="right")
    table.add_column("min", justify="right")
    for step in plan.steps:
        name = step.kind.label + (" (optional)" if step.optional else "")
        table.add_row(
            name,
            escape(f"{step.description} [{step.frequency}]"),
            str(step.inspected_parts),
            f"{step.minutes:.0f}",
        )
    if plan.first_article is not None:
        need = plan.first_article
        table.add_row("first article", escape(f"{need.kind.label}: {need.says}"), "", "")
    if plan.schedule:
        parts = ranges_text(p.part for p in plan.schedule)
        table.add_row("schedule", parts, str(len(plan.schedule)), "")
    for gauge in plan.gauges:
        verdict = {True: "10:1 ok", False: "fails 10:1", None: gauge.note}[gauge.capable]
        figures = gauge_figures(gauge, unit)
        table.add_row(
            "gauge",
            f"{gauge.characteristic_id} {gauge.characteristic}: {gauge.gauge}"
            + (f" {figures}" if figures else "")
            + f" ({verdict})",
            "",
            "",
        )
    table.add_row(
        "total",
        f"{plan.total_cost:.2f} {currency} ({plan.cost_per_part:.2f} {currency}/part)",
        "",
        f"{plan.total_minutes:.0f}",
    )
    table.add_row("verdict", "complete" if plan.complete else "incomplete", "", "")
    for finding in plan.findings:
        table.add_row("finding", finding, "", "")
    return table


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
