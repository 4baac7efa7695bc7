"""First article inspection report: AS9102 Forms 1, 2 and 3 as an XLSX workbook.

Form 1 (part number accountability) and Form 2 (product accountability: material and
special processes) are filled from the project; Form 3 (characteristic accountability)
lists every drawing characteristic with its balloon number, requirement, the measured
result(s) when a measurements file is given, pass/fail, and the gauge chosen by the
inspection plan. Fields the project cannot know (signatures, PO, certificate numbers)
are left blank for the quality engineer.

References
----------
.. [1] SAE AS9102 Rev C (2023), *Aerospace First Article Inspection Requirement*, Forms 1-3
   (field lists as summarised in ``shared/refdata/acceptance_criteria.json``, from
   secondary sources; field numbering not taken from the licensed standard).
.. [2] Seed 003: "Over-inspect the first article" (CMM + surface profilometer).
"""

from __future__ import annotations

import csv
import math
from collections.abc import Mapping, Sequence
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from rampwise.core.errors import InputError
from rampwise.core.model import Characteristic, CharacteristicKind, Project
from rampwise.core.units import LengthUnit, limit_text, roughness_text, tolerance_text
from rampwise.rules.first_article import FirstArticleKind, FirstArticleNeed
from rampwise.rules.inspection import GaugeChoice, choose_gauge

__all__ = ["FaiLine", "FaiSummary", "fai_lines", "load_fai_measurements", "write_fai_workbook"]


class FaiLine(BaseModel):
    """One row of Form 3.

    Parameters
    ----------
    balloon
        Characteristic number on the ballooned drawing (1, 2, … in drawing order).
    characteristic_id, name
        Id and name from the project.
    designator
        ``critical`` or empty.
    requirement
        Nominal and tolerance, or the limit, in words with the unit.
    results
        Measured values [unit of the characteristic].
    verdict
        ``pass``, ``fail`` or ``not measured``.
    tool
        Gauge used (from the inspection plan's 10:1 choice).
    """

    model_config = ConfigDict(frozen=True)

    balloon: int
    characteristic_id: str
    name: str
    designator: str
    requirement: str
    results: tuple[float, ...]
    verdict: str
    tool: str


class FaiSummary(BaseModel):
    """What the written workbook says.

    Parameters
    ----------
    path
        The XLSX file.
    lines
        Form 3 rows.
    measured, passed, failed
        Characteristic counts [unitless].
    complete
        Every characteristic measured and none failed (Form 1 "FAI complete").
    """

    model_config = ConfigDict(frozen=True)

    path: str
    lines: tuple[FaiLine, ...]
    measured: int
    passed: int
    failed: int
    complete: bool


def load_fai_measurements(path: str | Path) -> dict[str, tuple[float, ...]]:
    """Measured first-article values per characteristic.

    CSV columns: ``characteristic`` (id or name as in the project) and ``value``; with a
    ``part`` column only the first part listed is read. Several rows for one
    characteristic are several results (e.g. each of 4 threaded holes).

    Raises
    ------
    InputError
        If the file cannot be read, a column is missing, or a value is not a finite
        number (the row is named).
    """
    source = Path(path)
    try:
        text = source.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as err:
        raise InputError("measurements", f"cannot read {source}: {err}") from err
    rows = list(
        csv.reader(line for line in text.splitlines() if line.strip() and not line.startswith("#"))
    )
    if not rows:
        raise InputError("measurements", f"{source} is empty")
    header = [cell.strip().lower() for cell in rows[0]]
    for column in ("characteristic", "value"):
        if column not in header:
            raise InputError("measurements", f"missing column {column!r} in {source}")
    at = {name: header.index(name) for name in header}
    first_part: str | None = None
    values: dict[str, list[float]] = {}
    for number, cells in enumerate(rows[1:], start=2):
        if len(cells) != len(header):
            raise InputError(
                f"measurements row {number}",
                f"has {len(cells)} cells, the header has {len(header)}",
            )
        if "part" in at:
            part = cells[at["part"]].strip()
            first_part = first_part or part
            if part != first_part:
                continue
        text_value = cells[at["value"]].strip()
        try:
            value = float(text_value)
        except ValueError:
            value = math.nan
        if not math.isfinite(value):
            raise InputError(
                f"measurements row {number}",
                f"column 'value' must be a finite number; got {text_value!r}",
            )
        values.setdefault(cells[at["characteristic"]].strip(), []).append(value)
    return {key: tuple(found) for key, found in values.items()}


def _requirement(c: Characteristic, display: LengthUnit = LengthUnit.MM) -> str:
    if display is LengthUnit.INCH:
        shown = _requirement_in_unit(c, display)
        if shown is not None:
            return shown
    if c.kind is CharacteristicKind.ROUGHNESS:
        return f"Ra ≤ {c.max:g} µm"
    if c.thread is not None:
        return f"{c.count}× {c.designation}" if c.count > 1 else c.thread.designation
    unit = "°" if c.kind is CharacteristicKind.ANGLE else " mm"
    if c.kind.is_geometric:
        return f"{c.kind.value} {c.max:g}{unit}" if c.max is not None else c.kind.value
    if c.nominal is not None and c.upper_deviation is not None and c.lower_deviation is not None:
        prefix = "Ø" if c.kind is CharacteristicKind.DIAMETER else ""
        fit = f" {c.designation}" if c.designation else ""
        if math.isclose(c.upper_deviation, -c.lower_deviation):
            return f"{prefix}{c.nominal:g}{fit} ±{c.upper_deviation:g}{unit}"
        return f"{prefix}{c.nominal:g}{fit} {c.upper_deviation:+g}/{c.lower_deviation:+g}{unit}"
    limits = [f"≥ {c.min:g}{unit}"] if c.min is not None else []
    limits += [f"≤ {c.max:g}{unit}"] if c.max is not None else []
    if limits:
        return " and ".join(limits)
    return f"{c.nominal:g}{unit} (general tolerance)" if c.nominal is not None else "see drawing"


def _requirement_in_unit(c: Characteristic, unit: LengthUnit) -> str | None:
    """A roughness, zone or toleranced size in the project's unit with the mm beside it.

    ``None`` for what has no length to convert (a thread, an angle) or no limit: those
    read as in a mm project.
    """
    if c.kind is CharacteristicKind.ROUGHNESS and c.max is not None:
        return f"Ra ≤ {roughness_text(c.max, unit)}"
    if c.kind.is_geometric and c.max is not None:
        return f"{c.kind.value} {tolerance_text(c.max, unit)}"
    upper, lower = c.upper_deviation, c.lower_deviation
    sized = c.kind.is_size and c.kind is not CharacteristicKind.ANGLE
    if sized and c.nominal is not None and upper is not None and lower is not None:
        prefix = "Ø" if c.kind is CharacteristicKind.DIAMETER else ""
        fit = f" {c.designation}" if c.designation else ""
        return f"{prefix}{limit_text(c.nominal, upper, lower, unit)}{fit}"
    return None


def _verdict(c: Characteristic, results: Sequence[float]) -> str:
    if not results:
        return "not measured"
    low, high = c.lower_limit, c.upper_limit
    if c.kind is CharacteristicKind.ROUGHNESS or c.kind.is_geometric:
        low, high = None, c.max
    if low is None and high is None:
        return "pass"
    eps = 1e-9
    inside = all(
        (low is None or v >= low - eps) and (high is None or v <= high + eps) for v in results
    )
    return "pass" if inside else "fail"


def fai_lines(
    project: Project,
    measurements: Mapping[str, Sequence[float]] | None = None,
    gauges: Sequence[GaugeChoice] | None = None,
) -> tuple[FaiLine, ...]:
    """Form 3 rows for every characteristic, in drawing order.

    Parameters
    ----------
    project
        The project.
    measurements
        Values per characteristic id or name [unit of the characteristic].
    gauges
        Gauge choices of an inspection plan; default: the 10:1 choice.

    Raises
    ------
    InputError
        If a measured characteristic is not in the project.
    """
    found = dict(measurements or {})
    known = {str(c.id) for c in project.part.characteristics} | {
        c.name for c in project.part.characteristics
    }
    unknown = sorted(set(found) - known)
    if unknown:
        raise InputError(
            "measurements", f"no characteristic {', '.join(map(repr, unknown))} in the project"
        )
    tools = {g.characteristic_id: g.gauge for g in (gauges or ())}
    lines = []
    for balloon, c in enumerate(project.part.characteristics, start=1):
        results = tuple(value for key in c.keys for value in found.get(key, ()))
        lines.append(
            FaiLine(
                balloon=balloon,
                characteristic_id=str(c.id),
                name=c.name,
                designator="critical" if c.critical else "",
                requirement=_requirement(c, project.unit),
                results=results,
                verdict=_verdict(c, results),
                tool=tools.get(str(c.id)) or choose_gauge(c).gauge,
            )
        )
    return tuple(lines)


def write_fai_workbook(
    project: Project,
    path: str | Path,
    *,
    measurements: Mapping[str, Sequence[float]] | None = None,
    gauges: Sequence[GaugeChoice] | None = None,
    first_article: FirstArticleNeed | None = None,
    fair_number: str = "",
    serial_number: str = "",
) -> FaiSummary:
    """Write AS9102 Forms 1, 2 and 3 for the project's first article to an XLSX file.

    Parameters
    ----------
    project
        The project (part number, revision, material, finish, characteristics).
    path
        Output ``.xlsx`` file.
    measurements
        Measured values per characteristic id or name (see :func:`load_fai_measurements`).
    gauges
        Gauge choices of the inspection plan (Form 3 "designed tooling").
    first_article
        The first article the inspection plan makes (AS9102B §4.6): a delta FAI is a
        partial one (Form 1 field 14) whose Form 3 lists only the affected
        characteristics, with what changed in field 8; ``None`` or full: every
        characteristic.
    fair_number, serial_number
        FAI report number and the first article's serial number, when known.

    Returns
    -------
    FaiSummary
        The Form 3 rows and the pass/fail counts.

    Raises
    ------
    InputError
        If the file cannot be written or a measurement names an unknown characteristic.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    lines = fai_lines(project, measurements, gauges)
    partial = first_article is not None and first_article.kind is FirstArticleKind.DELTA
    if first_article is not None and partial:
        lines = tuple(
            line for line in lines if line.characteristic_id in first_article.characteristics
        )
    changes = first_article.says if first_article is not None and first_article.triggers else ""
    measured = sum(1 for line in lines if line.results)
    failed = sum(1 for line in lines if line.verdict == "fail")
    complete = measured == len(lines) and failed == 0
    part = project.part
    bold = Font(bold=True)

    book = Workbook()
    form1 = book.active
    form1.title = "Form 1"
    form1.append(["AS9102 Form 1 — Part Number Accountability"])
    rows1 = [
        ("1. Part number", part.number),
        ("2. Part name", part.name or project.project),
        ("3. Serial number", serial_number),
        ("4. FAI report number", fair_number),
        ("5. Part revision level", part.revision or ""),
        ("6. Drawing number", part.number),
        ("7. Drawing revision level", part.revision or ""),
        ("8. Additional changes", changes),
        ("9. Manufacturing process reference", ""),
        ("10. Organization name", ""),
        ("11. Supplier code", ""),
        ("12. PO number", ""),
        ("13. Detail or assembly FAI", "detail"),
        ("14. Full or partial FAI", "partial" if partial else "full"),
        ("19. Does the FAIR contain a documented nonconformance?", "yes" if failed else "no"),
        ("20. FAI complete", "yes" if complete else "no"),
        ("21. Signature / date", ""),
        ("22. Reviewed by / date", ""),
        ("23. Customer approval / date", ""),
    ]
    for label, value in rows1:
        form1.append([label, value])

    form2 = book.create_sheet("Form 2")
    form2.append(
        ["AS9102 Form 2 — Product Accountability (raw material, special processes, tests)"]
    )
    form2.append(
        [
            "5. Material or process name",
            "6. Specification number",
            "7. Code",
            "8. Special process supplier code",
            "9. Customer approval verification",
            "10. Certificate of conformance number",
        ]
    )
    form2.append([part.material.name, "", part.material.category, "", "", ""])
    if part.finish:
        form2.append([part.finish.replace("_", " "), "", "special process", "", "", ""])
    form2.append(
        ["11. Functional test procedure number", "12. Acceptance report number", "", "", "", ""]
    )

    form3 = book.create_sheet("Form 3")
    form3.append(
        ["AS9102 Form 3 — Characteristic Accountability, Verification and Compatibility Evaluation"]
    )
    form3.append(
        [
            "5. Char. no.",
            "6. Reference location",
            "7. Characteristic designator",
            "8. Requirement",
            "9. Results",
            "Pass/fail",
            "10. Designed / qualified tooling",
            "11. Nonconformance number",
            "12. Additional data / comments",
        ]
    )
    for line in lines:
        form3.append(
            [
                line.balloon,
                f"id {line.characteristic_id}: {line.name}",
                line.designator,
                line.requirement,
                "; ".join(f"{v:g}" for v in line.results),
                line.verdict,
                line.tool,
                "",
                "",
            ]
        )
    for sheet in (form1, form2, form3):
        sheet["A1"].font = Font(bold=True, size=12)
        for cell in sheet[2 if sheet is not form1 else 1]:
            cell.font = bold
        for column in sheet.columns:
            width = max(len(str(cell.value or "")) for cell in column)
            sheet.column_dimensions[column[0].column_letter].width = min(max(width + 2, 10), 60)
            for cell in column:
                cell.alignment = Alignment(vertical="top", wrap_text=True)
    target = Path(path)
    try:
        book.save(target)
    except OSError as err:
        raise InputError("fai", f"cannot write {target}: {err}") from err
    return FaiSummary(
        path=str(target),
        lines=lines,
        measured=measured,
        passed=sum(1 for line in lines if line.verdict == "pass"),
        failed=failed,
        complete=complete,
    )
