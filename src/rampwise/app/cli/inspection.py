"""The ``inspect`` command: the inspection plan of a project's stage and its FAI workbook.

``inspect`` prints the inspection plan of a project's stage and writes the AS9102 FAI
workbook; :func:`plan_view` is also the plan section of ``rampwise assess``.
"""

from __future__ import annotations

from pathlib import Path

import typer
from pydantic import BaseModel, ConfigDict
from rich.markup import escape
from rich.table import Table

from rampwise.api import open_plan
from rampwise.app.cli._common import JSON_OPT, console, emit_json, guarded
from rampwise.core.model import parse_stage
from rampwise.core.units import LengthUnit
from rampwise.io.fai import FaiSummary, load_fai_measurements, write_fai_workbook
from rampwise.io.project_file import load_project
from rampwise.render.lengths import gauge_figures
from rampwise.render.part_ranges import ranges_text
from rampwise.rules.inspection import InspectionPlan


def register(app: typer.Typer) -> None:
    """Add the ``inspect`` command to ``app``."""
    app.command("inspect")(inspect_command)


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
        figures = gauge_figures(gauge, unit)
        table.add_row(
            "gauge",
            f"{gauge.characteristic_id} {gauge.characteristic}: {gauge.gauge}"
            + (f" {figures}" if figures else "")
            + f" ({gauge.verdict})",
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
