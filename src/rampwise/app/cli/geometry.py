"""The ``analyze`` command: geometry, features, setups, stock and DFM findings of a part.

The geometry package (and OpenCascade with it) is imported only when the command runs,
so other commands do not pay for the CAD kernel.
"""

from __future__ import annotations

import enum
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.table import Table

from rampwise.app.cli._common import console, emit_json, guarded

if TYPE_CHECKING:
    from rampwise.geometry import PartGeometry

PART_ARG = typer.Argument(..., help="STEP, STL, OBJ or 3MF file.", show_default=False)
JSON_OPT = typer.Option(False, "--json", help="Print PartGeometry as JSON on stdout.")
LARGEST_OPT = typer.Option(
    False, "--largest-solid", help="Analyse the largest solid of a multi-body file."
)
RENDER_OPT = typer.Option(
    None, "--render", help="Draw the part with its findings marked to this PNG file."
)
PLASTIC_OPT = typer.Option(
    False, "--plastic", help="Check walls against the plastic limits (default: metal)."
)
MAX_MB_OPT = typer.Option(200.0, "--max-mb", help="Refuse files larger than this [MB].")
TIME_LIMIT_OPT = typer.Option(60.0, "--time-limit", help="Stop the analysis after this [s].")

_SEVERITY_STYLE = {"critical": "bold red", "major": "dark_orange", "minor": "cyan"}


class MeshUnit(enum.StrEnum):
    """Units a mesh file's numbers can be in."""

    MM = "mm"
    IN = "in"
    M = "m"


UNIT_OPT = typer.Option(None, "--unit", help="Unit of a mesh's coordinates (STL has none).")


def register(app: typer.Typer) -> None:
    """Add the ``analyze`` command to ``app``."""
    app.command("analyze")(analyze_command)


@guarded
def analyze_command(
    part: Path = PART_ARG,
    unit: MeshUnit | None = UNIT_OPT,
    largest_solid: bool = LARGEST_OPT,
    render: Path | None = RENDER_OPT,
    json: bool = JSON_OPT,
    plastic: bool = PLASTIC_OPT,
    max_mb: float = MAX_MB_OPT,
    time_limit: float = TIME_LIMIT_OPT,
) -> None:
    """Geometry, machining features, setups, stock and DFM findings of one part."""
    from rampwise.core.checks import require_positive
    from rampwise.geometry import Limits, analyze

    limits = Limits(
        max_megabytes=require_positive("--max-mb", max_mb),
        time_limit_s=require_positive("--time-limit", time_limit),
    )
    result = analyze(
        part,
        unit=unit.value if unit else None,
        largest_solid=largest_solid,
        limits=limits,
        metal=not plastic,
        render=render,
    )
    if json:
        emit_json(result)
        return
    console.print(facts_table(result))
    if result.holes:
        console.print(holes_table(result))
    console.print(findings_table(result))
    if result.limitations:
        console.print("[dim]Not available from this file: " + "; ".join(result.limitations) + "[/]")
    if render is not None:
        console.print(f"Picture written to {render}")


def _vector(values: tuple[float, float, float]) -> str:
    return "(" + ", ".join(f"{v:g}" for v in (round(c, 3) for c in values)) + ")"


def facts_table(result: PartGeometry) -> Table:
    """Box, volume, stock, setups and feature counts in one table."""
    table = Table(title=f"{Path(result.file).name}", show_header=False, title_justify="left")
    table.add_column("fact", style="bold")
    table.add_column("value")
    x, y, z = result.bbox_mm
    rows = [
        ("representation", f"{result.representation.value}, units {result.units}"),
        (
            "solids",
            f"{result.solids}"
            + (
                f" (analysed #{result.analysed_solid})" if result.analysed_solid is not None else ""
            ),
        ),
        ("box", f"{x:.2f} x {y:.2f} x {z:.2f} mm"),
        ("volume", f"{result.volume_mm3:,.0f} mm³" if result.volume_mm3 is not None else "unknown"),
        ("area", f"{result.area_mm2:,.0f} mm²"),
        ("stock", result.stock.designation if result.stock else "unknown"),
        (
            "removed volume",
            f"{result.removed_volume_mm3:,.0f} mm³"
            if result.removed_volume_mm3 is not None
            else "unknown",
        ),
        (
            "machined area",
            f"{result.machined_area_mm2:,.0f} mm²"
            if result.machined_area_mm2 is not None
            else "unknown",
        ),
        (
            "features",
            f"{len(result.holes)} holes, {len(result.pockets)} pockets/slots/steps, "
            f"{len(result.bosses)} bosses, {len(result.internal_corners)} internal corners",
        ),
        (
            "setups",
            "not from a mesh"
            if result.setups is None
            else f"{result.setups}: " + ", ".join(_vector(d) for d in result.setup_directions),
        ),
        (
            "turnable",
            "not from a mesh"
            if result.turnable is None
            else f"{'yes' if result.turnable else 'no'} "
            f"({(result.revolved_area_share or 0):.0%} of the area revolved)",
        ),
        (
            "thinnest wall",
            f"{result.min_wall_mm:.2f} mm" if result.min_wall_mm is not None else "unknown",
        ),
        ("face types", ", ".join(f"{k} {v}" for k, v in result.face_types.items()) or "-"),
        (
            "PMI",
            f"{result.pmi.dimensions} dimensions, {result.pmi.tolerances} tolerances, "
            f"{result.pmi.datums} datums → {len(result.characteristics)} characteristics"
            if result.pmi.semantic
            else "no semantic PMI",
        ),
    ]
    for name, value in rows:
        table.add_row(name, value)
    return table


def holes_table(result: PartGeometry) -> Table:
    """Holes grouped by diameter, depth and kind."""
    table = Table(title="Holes", title_justify="left")
    for column in ("count", "Ø mm", "depth mm", "kind", "entry", "drill"):
        table.add_column(column)
    groups: dict[tuple[float, float, str, str, str], int] = {}
    for hole in result.holes:
        kind = "through" if hole.through else f"blind ({hole.bottom})"
        entry = (
            f"cbore Ø{hole.counterbore.diameter_mm:.2f}"
            if hole.counterbore
            else f"csink Ø{hole.countersink.diameter_mm:.2f}"
            if hole.countersink
            else "-"
        )
        key = (
            round(hole.diameter_mm, 3),
            round(hole.depth_mm, 2),
            kind,
            entry,
            hole.standard_drill or "none",
        )
        groups[key] = groups.get(key, 0) + 1
    for (diameter, depth, kind, entry, drill), count in groups.items():
        table.add_row(str(count), f"{diameter:g}", f"{depth:g}", kind, entry, drill)
    return table


def findings_table(result: PartGeometry) -> Table:
    """DFM findings: severity, then rule and actual, expected, where and fix."""
    table = Table(
        title=f"DFM findings ({len(result.violations)} violated, "
        f"{len(result.unverified)} unverified)",
        title_justify="left",
        show_header=False,
        show_lines=True,
    )
    table.add_column("severity", no_wrap=True)
    table.add_column("finding", overflow="fold")
    for finding in result.findings:
        severity = finding.severity.value
        label = severity if finding.status.value == "violated" else f"{severity}\n(unverified)"
        table.add_row(
            f"[{_SEVERITY_STYLE[severity]}]{label}[/]",
            f"[bold]{finding.actual}[/] [dim]({finding.rule})[/]\n"
            f"expected: {finding.expected}\nwhere: {finding.where}\nfix: {finding.fix}",
        )
    return table
