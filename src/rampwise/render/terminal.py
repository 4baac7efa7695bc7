"""Rich renderables for the terminal report of an assessment and the stage profiles."""

from __future__ import annotations

from collections.abc import Iterable

from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from rampwise.core.model import PROFILE_ASPECTS, AreaStatus, Stage, StageProfile
from rampwise.core.units import LengthUnit
from rampwise.pipeline import Assessment
from rampwise.rules.readiness import area_name

STATUS_STYLE = {AreaStatus.PASS: "green", AreaStatus.FAIL: "red", AreaStatus.UNKNOWN: "yellow"}
STAGE_STYLE = {Stage.PROTOTYPE: "cyan", Stage.LOW_VOLUME: "magenta", Stage.MASS_PRODUCTION: "green"}


def assessment_view(result: Assessment) -> RenderableType:
    """The readable report of one assessment: stage and why, the gate, the profile."""
    decision = result.stage_decision
    title = Text.assemble(
        (f"{result.project}", "bold"),
        f"  ·  part {result.part_number}"
        + (f" rev {result.part_revision}" if result.part_revision else "")
        + f"  ·  {result.quantity} pcs",
    )
    stage_line = Text.assemble(
        "Stage: ",
        (result.stage.label, f"bold {STAGE_STYLE[result.stage]}"),
        "  (borderline: quantity alone decided)" if decision.borderline else "",
    )
    why = Table.grid(padding=(0, 1))
    why.add_column(style="dim")
    why.add_column()
    for rule in decision.rules:
        why.add_row("•", Text.assemble(rule.says, ("  — " + rule.source, "dim")))
    parts: list[RenderableType] = [stage_line, why]
    if result.unit is LengthUnit.INCH:
        parts.insert(0, Text("Lengths in inches, the millimetres beside them.", style="dim"))
    if decision.warnings:
        parts.append(_bullets("Warnings", decision.warnings, "yellow"))
    parts.append(readiness_table(result))
    if decision.next_stage is not None:
        parts.append(
            _bullets(f"Next stage: {decision.next_stage.label}", decision.next_steps, "cyan")
        )
    parts.append(profile_table([result.profile], title=f"Profile of {result.stage.label.lower()}"))
    return Panel(Group(*parts), title=title, title_align="left")


def readiness_table(result: Assessment) -> Table:
    """The seven readiness areas as a traffic-light table."""
    ready = result.readiness.ready
    table = Table(
        title=f"Mass-production readiness: {'READY' if ready else 'not ready'}",
        title_justify="left",
        expand=True,
    )
    table.add_column("Area", no_wrap=True)
    table.add_column("Status", no_wrap=True)
    table.add_column("Evidence")
    table.add_column("Action")
    for area in result.readiness.areas:
        style = STATUS_STYLE[area.status]
        table.add_row(
            area_name(area.area).capitalize(),
            Text(area.status.value, style=f"bold {style}"),
            "; ".join(area.evidence),
            area.action or "",
        )
    return table


def profile_table(profiles: Iterable[StageProfile], *, title: str = "Stage profiles") -> Table:
    """The seeds' comparison rows, one column per stage."""
    rows = list(profiles)
    table = Table(title=title, title_justify="left", expand=True, show_lines=True)
    table.add_column("Aspect", style="bold", no_wrap=True)
    for profile in rows:
        table.add_column(profile.stage.label, style=STAGE_STYLE[profile.stage])
    for field in PROFILE_ASPECTS:
        table.add_row(field.replace("_", " "), *(getattr(p, field) for p in rows))
    return table


def _bullets(title: str, lines: Iterable[str], style: str) -> RenderableType:
    text = Text(f"{title}\n", style=f"bold {style}")
    for line in lines:
        text.append(f"  • {line}\n")
    return text
