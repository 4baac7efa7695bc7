"""Reading batch measurements: CSV (long or wide form) and QIF 3.0 results, plus specs.

CSV, long form — a ``value`` column and optional ``characteristic``, ``subgroup``,
``part``, ``timestamp``, ``tool_change`` and ``unit`` columns; a file with just
``subgroup,value`` holds one characteristic. CSV, wide form — no ``value`` column: every
column that is not one of the optional ones above is a characteristic and every row a
part. Lines starting with ``#`` are comments. ``tool_change`` marks the first part made
with a new (or re-set) tool (``1``/``true``/``yes``; empty means no change).

QIF 3.0 — a ``QIFDocument`` with ``Characteristics`` (items, nominals, definitions with
``Tolerance`` or ``ToleranceValue``) and ``Results/MeasurementResultsSet``; each
``MeasurementResults`` is one measured part, and several readings of one characteristic
in it form a subgroup. Parsed with the standard library's XML parser.

Bad input never gets past this module: text in a value column, infinities, an empty
column, an unparsable timestamp or tool-change flag raise :class:`InputError` naming the
row and column. A missing value (empty cell, ``NA``, ``NaN``) raises too, unless the
caller allows missing values — then each one is recorded in ``missing`` and reported,
never silently dropped.

References
----------
.. [1] ANSI/DMSC QIF 3.0 (2018), ISO 23952:2020, *Quality Information Framework*:
   ``QIFResults.xsd``, ``Characteristics.xsd`` (``DefinedAsLimit``: limits vs deviations).
.. [2] Seed 003 (tool wear caught at part 14; offsets adjusted after tool changes).
"""

from __future__ import annotations

import csv
import math
import re
from collections.abc import Mapping, Sequence
from datetime import datetime
from pathlib import Path, PurePath
from typing import Any
from xml.etree import ElementTree

import numpy as np
from numpy.typing import NDArray
from pydantic import BaseModel, ConfigDict

from rampwise.core.errors import InputError
from rampwise.quality.capability import SpecLimits
from rampwise.quality.series import FloatSeries, IntSeries
from rampwise.quality.specs import SpecTable, make_spec, name_key

MM_PER_UNIT: dict[str, float] = {"mm": 1.0, "µm": 1e-3, "um": 1e-3, "in": 25.4, "inch": 25.4}
"""Length units accepted in measurement files, in millimetres (1 in = 25.4 mm exactly)."""

ANGLE_UNITS = frozenset({"deg", "degree"})

META_COLUMNS = ("characteristic", "subgroup", "part", "timestamp", "tool_change", "unit")
"""Optional columns; in wide form every other column is a characteristic."""

_MISSING_MARKERS = frozenset({"", "na", "nan", "n/a", "null", "none"})
_TRUE = frozenset({"1", "true", "yes", "y", "x"})
_FALSE = frozenset({"", "0", "false", "no", "n"})


class MissingValue(BaseModel):
    """A measurement that is absent from the file, reported rather than dropped.

    Attributes
    ----------
    row
        Line number in the CSV file (1 = header), or the 1-based ``MeasurementResults``
        number in a QIF file.
    column
        The column (CSV) or element (QIF) that should hold the value.
    characteristic
        Name of the characteristic.
    """

    model_config = ConfigDict(frozen=True)

    row: int
    column: str
    characteristic: str


class CharacteristicData(BaseModel):
    """The measured values of one characteristic, in production (file) order.

    Attributes
    ----------
    name
        Characteristic name as written in the file (matches a project characteristic's
        ``id`` or ``name``).
    unit
        Unit of ``values`` and ``spec`` (``mm`` for lengths).
    spec
        Specification limits, when known.
    values
        Measured values in file order [unit].
    rows
        Source line (CSV) or result number (QIF) of each value.
    parts
        Part identifier of each value (the ``part`` column, else the row's position).
    subgroup_labels
        Distinct subgroup labels in order of first appearance.
    subgroup_index
        Index into ``subgroup_labels`` for each value.
    subgrouped
        True when the file defines subgroups; otherwise every value is its own subgroup.
    tool_changes
        0-based positions in ``values`` where a new tool starts (seed 003).
    timestamps
        Time of each value, when the file has a ``timestamp`` column.
    missing
        Values absent from the file (only when missing values were allowed).
    """

    model_config = ConfigDict(frozen=True)

    name: str
    unit: str
    spec: SpecLimits | None
    values: FloatSeries
    rows: IntSeries
    parts: tuple[str, ...]
    subgroup_labels: tuple[str, ...]
    subgroup_index: IntSeries
    subgrouped: bool
    tool_changes: tuple[int, ...] = ()
    timestamps: tuple[datetime, ...] | None = None
    missing: tuple[MissingValue, ...] = ()

    def grouped(self) -> tuple[NDArray[np.float64], NDArray[np.int64]]:
        """Values ordered subgroup by subgroup (stable) and the size of each subgroup.

        Returns
        -------
        tuple of ndarray
            ``(values, sizes)`` ready for the variables charts.
        """
        order = np.argsort(self.subgroup_index, kind="stable")
        sizes = np.bincount(self.subgroup_index, minlength=len(self.subgroup_labels))
        return np.asarray(self.values[order]), sizes[sizes > 0].astype(np.int64)


class MeasurementSet(BaseModel):
    """All characteristics read from one measurement file.

    Attributes
    ----------
    source
        File name the data came from.
    characteristics
        One entry per characteristic, in file order.
    """

    model_config = ConfigDict(frozen=True)

    source: str
    characteristics: tuple[CharacteristicData, ...]

    @property
    def missing(self) -> tuple[MissingValue, ...]:
        """Every missing value of every characteristic."""
        return tuple(m for c in self.characteristics for m in c.missing)


def _unit_factor(source: str, target: str, field: str) -> float:
    """Factor converting a value in ``source`` units into ``target`` units."""
    src, dst = source.strip().lower(), target.strip().lower()
    if src == dst or (src in ANGLE_UNITS and dst in ANGLE_UNITS):
        return 1.0
    if src in MM_PER_UNIT and dst in MM_PER_UNIT:
        return MM_PER_UNIT[src] / MM_PER_UNIT[dst]
    raise InputError(field, f"unit {source!r} cannot be compared with the spec's {target!r}")


# --------------------------------------------------------------------------------------
# Building characteristics
# --------------------------------------------------------------------------------------


class _Column:
    """Values of one characteristic collected while reading."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.values: list[float] = []
        self.rows: list[int] = []
        self.parts: list[str] = []
        self.subgroups: list[str] = []
        self.tool_changes: list[int] = []
        self.timestamps: list[datetime] = []
        self.units: set[str] = set()
        self.missing: list[MissingValue] = []

    def add(self, value: float, row: int, part: str, subgroup: str, tool_change: bool) -> None:
        if tool_change:
            self.tool_changes.append(len(self.values))
        self.values.append(value)
        self.rows.append(row)
        self.parts.append(part)
        self.subgroups.append(subgroup)


def _resolve_spec(name: str, specs: SpecTable | None, single: bool) -> SpecLimits | None:
    if specs is None:
        return None
    wanted = name_key(name)
    for key, spec in specs.by_name.items():
        if name_key(key) == wanted:
            return spec
    return specs.default if single else None


def _finish(
    column: _Column,
    specs: SpecTable | None,
    single: bool,
    subgrouped: bool,
    default_unit: str,
) -> CharacteristicData:
    if not column.values:
        if column.missing:
            raise InputError(f"column {column.name!r}", "has no values (every cell is missing)")
        raise InputError(f"column {column.name!r}", "has no values")
    if len(column.units) > 1:
        raise InputError(
            f"column {column.name!r}", f"mixes units {', '.join(sorted(column.units))}"
        )
    file_unit = next(iter(column.units), default_unit)
    spec = _resolve_spec(column.name, specs, single)
    unit = spec.unit if spec is not None else file_unit
    factor = _unit_factor(file_unit, unit, f"{column.name}.unit")
    labels: dict[str, int] = {}
    index = [labels.setdefault(label, len(labels)) for label in column.subgroups]
    stamps = column.timestamps
    return CharacteristicData(
        name=column.name,
        unit=unit,
        spec=spec,
        values=np.asarray(column.values) * factor,
        rows=np.asarray(column.rows),
        parts=tuple(column.parts),
        subgroup_labels=tuple(labels),
        subgroup_index=np.asarray(index),
        subgrouped=subgrouped,
        tool_changes=tuple(column.tool_changes),
        timestamps=tuple(stamps) if len(stamps) == len(column.values) else None,
        missing=tuple(column.missing),
    )


def _apply_default(specs: SpecTable | None, count: int, names: Sequence[str]) -> None:
    if specs is not None and specs.default is not None and not specs.by_name and count != 1:
        raise InputError(
            "spec",
            f"limits without a characteristic name fit a file with one characteristic; "
            f"this file has {count}: {', '.join(names)} — name them in a spec file",
        )


# --------------------------------------------------------------------------------------
# CSV
# --------------------------------------------------------------------------------------


def _cell_value(cell: str, row: int, column: str) -> float | None:
    """A float, or ``None`` for a missing marker; text raises naming row and column."""
    text = cell.strip()
    if text.lower() in _MISSING_MARKERS:
        return None
    try:
        value = float(text)
    except ValueError:
        raise InputError(f"row {row}, column {column!r}", f"{text!r} is not a number") from None
    if not math.isfinite(value):
        raise InputError(f"row {row}, column {column!r}", f"{text!r} is not a finite number")
    return value


def _flag(cell: str, row: int) -> bool:
    text = cell.strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise InputError(f"row {row}, column 'tool_change'", f"{cell!r} is not yes/no or 1/0")


def _timestamp(cell: str, row: int) -> datetime:
    try:
        return datetime.fromisoformat(cell.strip())
    except ValueError:
        raise InputError(
            f"row {row}, column 'timestamp'", f"{cell!r} is not an ISO 8601 date-time"
        ) from None


def _csv_rows(text: str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """Header and data rows with their 1-based line numbers, comments skipped."""
    lines = [(i + 1, line) for i, line in enumerate(text.splitlines())]
    content = [(n, line) for n, line in lines if line.strip() and not line.lstrip().startswith("#")]
    if not content:
        raise InputError("measurements", "the file has no header and no values")
    sample = "\n".join(line for _, line in content[:20])
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    try:
        rows = list(csv.reader([line for _, line in content], dialect))
    except csv.Error as err:
        raise InputError("measurements", f"cannot be read as CSV: {err}") from None
    parsed = [(number, fields) for (number, _), fields in zip(content, rows, strict=False)]
    header = [h.strip() for h in parsed[0][1]]
    return header, parsed[1:]


def _check_header(header: list[str]) -> dict[str, int]:
    positions: dict[str, int] = {}
    for i, name in enumerate(header):
        key = name.lower()
        if not name:
            raise InputError(f"column {i + 1}", "has no name in the header")
        if key in positions:
            raise InputError(f"column {name!r}", "appears twice in the header")
        positions[key] = i
    return positions


def parse_measurements_csv(
    text: str,
    *,
    source: str = "measurements.csv",
    name: str = "value",
    specs: SpecTable | None = None,
    allow_missing: bool = False,
    unit: str = "mm",
) -> MeasurementSet:
    """Parse measurement CSV text (long or wide form).

    Parameters
    ----------
    text
        The file's content.
    source
        File name, for messages and the result.
    name
        Characteristic name of a long-form file without a ``characteristic`` column.
    specs
        Specification limits to attach, by characteristic name or as a single default.
    allow_missing
        Record missing values in ``missing`` instead of raising.
    unit
        Unit of values when the file has no ``unit`` column.

    Returns
    -------
    MeasurementSet
        One :class:`CharacteristicData` per characteristic, in file order.

    Raises
    ------
    InputError
        Naming the row and column of the first bad cell; for an empty column, a row with
        the wrong number of cells, a missing value (unless allowed), or a unit mismatch.
    """
    header, rows = _csv_rows(text)
    positions = _check_header(header)
    long_form = "value" in positions
    value_columns = ["value"] if long_form else [h for h in header if h.lower() not in META_COLUMNS]
    if not value_columns:
        raise InputError("measurements", "no 'value' column and no characteristic columns")
    if not rows:
        raise InputError("measurements", f"{source} has a header but no values")
    subgrouped = "subgroup" in positions
    columns: dict[str, _Column] = {}
    for number, fields in rows:
        if len(fields) != len(header):
            raise InputError(
                f"row {number}", f"has {len(fields)} cells; the header has {len(header)}"
            )
        cells = {h.lower(): f for h, f in zip(header, fields, strict=True)}
        part = cells["part"].strip() if "part" in cells else ""
        subgroup = cells["subgroup"].strip() if subgrouped else ""
        if subgrouped and not subgroup:
            raise InputError(f"row {number}, column 'subgroup'", "is empty")
        change = _flag(cells["tool_change"], number) if "tool_change" in cells else False
        stamp = _timestamp(cells["timestamp"], number) if "timestamp" in cells else None
        targets = (
            [(cells["characteristic"].strip() if "characteristic" in cells else name, "value")]
            if long_form
            else [(h, h) for h in value_columns]
        )
        for characteristic, column_name in targets:
            if not characteristic:
                raise InputError(f"row {number}, column 'characteristic'", "is empty")
            column = columns.setdefault(characteristic, _Column(characteristic))
            ordinal = str(len(column.values) + len(column.missing) + 1)
            value = _cell_value(cells[column_name.lower()], number, column_name)
            if value is None:
                if not allow_missing:
                    raise InputError(
                        f"row {number}, column {column_name!r}",
                        "value is missing; fill it in, or allow missing values "
                        "(--allow-missing) to report and skip it",
                    )
                column.missing.append(
                    MissingValue(row=number, column=column_name, characteristic=characteristic)
                )
                continue
            column.add(value, number, part or f"#{ordinal}", subgroup or ordinal, change)
            if stamp is not None:
                column.timestamps.append(stamp)
            if "unit" in cells and cells["unit"].strip():
                column.units.add(cells["unit"].strip())
    names = list(columns)
    _apply_default(specs, len(names), names)
    single = len(names) == 1
    return MeasurementSet(
        source=source,
        characteristics=tuple(_finish(columns[n], specs, single, subgrouped, unit) for n in names),
    )


# --------------------------------------------------------------------------------------
# QIF 3.0
# --------------------------------------------------------------------------------------

_QIF_NS = re.compile(r"^\{[^}]*\}")


def _local(tag: str) -> str:
    return _QIF_NS.sub("", tag)


def _child(element: ElementTree.Element, name: str) -> ElementTree.Element | None:
    for child in element:
        if _local(child.tag) == name:
            return child
    return None


def _child_text(element: ElementTree.Element, name: str) -> str | None:
    child = _child(element, name)
    return None if child is None or child.text is None else child.text.strip()


def _qif_number(text: str | None, where: str) -> float | None:
    if text is None:
        return None
    try:
        value = float(text)
    except ValueError:
        raise InputError(where, f"{text!r} is not a number") from None
    if not math.isfinite(value):
        raise InputError(where, f"{text!r} is not a finite number")
    return value


def _qif_spec(
    item: ElementTree.Element,
    nominals: Mapping[str, ElementTree.Element],
    definitions: Mapping[str, ElementTree.Element],
    unit: str,
) -> SpecLimits | None:
    nominal = nominals.get(_child_text(item, "CharacteristicNominalId") or "")
    if nominal is None:
        return None
    definition = definitions.get(_child_text(nominal, "CharacteristicDefinitionId") or "")
    where = f"QIF characteristic {item.get('id')}"
    target = _qif_number(_child_text(nominal, "TargetValue"), f"{where} TargetValue")
    if definition is None:
        return None
    tolerance = _child(definition, "Tolerance")
    if tolerance is not None:
        high = _qif_number(_child_text(tolerance, "MaxValue"), f"{where} MaxValue")
        low = _qif_number(_child_text(tolerance, "MinValue"), f"{where} MinValue")
        as_limit = (_child_text(tolerance, "DefinedAsLimit") or "false").lower() == "true"
        if not as_limit:
            if target is None:
                raise InputError(where, "tolerance given as deviations but no TargetValue")
            high = None if high is None else target + high
            low = None if low is None else target + low
        if high is None and low is None:
            return None
        # QIF's TargetValue is the design nominal; a two-sided tolerance aims at its
        # middle (for an H7 bore the nominal is the lower limit), as spec files do.
        aim = None if low is not None and high is not None else target
        return make_spec(low, high, aim, unit, where)
    zone = _qif_number(_child_text(definition, "ToleranceValue"), f"{where} ToleranceValue")
    return None if zone is None else make_spec(None, zone, None, unit, where)


def _in_millimetres(spec: SpecLimits) -> SpecLimits:
    """Limits in a length unit converted to mm (lengths are mm inside rampwise)."""
    factor = MM_PER_UNIT.get(spec.unit.lower())
    if factor is None or factor == 1.0:
        return spec
    return SpecLimits(
        lsl=None if spec.lsl is None else spec.lsl * factor,
        usl=None if spec.usl is None else spec.usl * factor,
        target=None if spec.target is None else spec.target * factor,
        unit="mm",
        target_basis=spec.target_basis,
    )


def _qif_unit(root: ElementTree.Element) -> str:
    for element in root.iter():
        if _local(element.tag) == "LinearUnit":
            name = (_child_text(element, "UnitName") or "mm").lower()
            return {"millimeter": "mm", "inch": "in", "micrometer": "µm"}.get(name, name)
    return "mm"


def parse_measurements_qif(
    text: str,
    *,
    source: str = "results.qif",
    specs: SpecTable | None = None,
    allow_missing: bool = False,
) -> MeasurementSet:
    """Parse a QIF 3.0 document with measurement results.

    Parameters
    ----------
    text
        The XML content.
    source
        File name, for messages and the result.
    specs
        Limits to use instead of the document's own tolerances, by characteristic name.
    allow_missing
        Record measurements without a ``Value`` instead of raising.

    Returns
    -------
    MeasurementSet
        One characteristic per ``CharacteristicItem`` that has measurements; values in
        document order, one subgroup per ``MeasurementResults``; lengths in mm.

    Raises
    ------
    InputError
        If the XML is malformed, has no results, or a value is not a number.
    """
    try:
        root = ElementTree.fromstring(text)
    except ElementTree.ParseError as err:
        raise InputError("measurements", f"{source} is not well-formed XML: {err}") from None
    if _local(root.tag) != "QIFDocument":
        raise InputError(
            "measurements", f"{source} is not a QIF document (root {_local(root.tag)!r})"
        )
    groups: dict[str, dict[str, ElementTree.Element]] = {
        "CharacteristicItems": {},
        "CharacteristicNominals": {},
        "CharacteristicDefinitions": {},
    }
    for element in root.iter():
        if _local(element.tag) in groups:
            for child in element:
                if child.get("id") is not None:
                    groups[_local(element.tag)][child.get("id", "")] = child
    items = groups["CharacteristicItems"]
    unit = _qif_unit(root)
    results = [e for e in root.iter() if _local(e.tag) == "MeasurementResults"]
    if not results:
        raise InputError("measurements", f"{source} has no MeasurementResults")
    columns: dict[str, _Column] = {}
    for number, result in enumerate(results, start=1):
        part = result.get("id") or str(number)
        for measurement in result.iter():
            tag = _local(measurement.tag)
            if not (
                tag.endswith("CharacteristicMeasurement") or tag.endswith("CharacteristicActual")
            ):
                continue
            item_id = _child_text(measurement, "CharacteristicItemId") or ""
            item = items.get(item_id)
            name = (_child_text(item, "Name") if item is not None else None) or f"item {item_id}"
            column = columns.setdefault(name, _Column(name))
            column.units.add(unit)
            where = f"MeasurementResults {number}, {tag} {measurement.get('id')}"
            value = _qif_number(_child_text(measurement, "Value"), where)
            if value is None:
                if not allow_missing:
                    raise InputError(where, "has no Value")
                column.missing.append(MissingValue(row=number, column=tag, characteristic=name))
                continue
            column.add(value, number, part, part, False)
    if not columns:
        raise InputError("measurements", f"{source} has no characteristic measurements")
    own: dict[str, SpecLimits] = {}
    for item in items.values():
        spec = _qif_spec(
            item, groups["CharacteristicNominals"], groups["CharacteristicDefinitions"], unit
        )
        item_name = _child_text(item, "Name")
        if spec is not None and item_name:
            own[item_name] = _in_millimetres(spec)
    table = SpecTable(
        by_name={**own, **(specs.by_name if specs else {})},
        default=specs.default if specs else None,
    )
    names = list(columns)
    _apply_default(specs, len(names), names)
    return MeasurementSet(
        source=source,
        characteristics=tuple(
            _finish(columns[n], table, len(names) == 1, True, unit) for n in names
        ),
    )


def load_measurements(
    path: Path,
    *,
    specs: SpecTable | None = None,
    allow_missing: bool = False,
    name: str | None = None,
) -> MeasurementSet:
    """Read a measurement file, CSV or QIF (by extension ``.qif``/``.xml``).

    Parameters
    ----------
    path
        The measurement file.
    specs
        Limits by characteristic name or id (e.g. :func:`specs_for_characteristics` or
        :func:`rampwise.io.spec_file.load_spec_file`), or a single default for a
        one-characteristic file.
    allow_missing
        Report missing values instead of raising.
    name
        The file's name as its user knows it (an upload is kept under its content hash);
        ``None``: the name of ``path``. It is the set's ``source``.

    Returns
    -------
    MeasurementSet
        The characteristics with values, limits and subgroups. A long-form file without
        a ``characteristic`` column names its characteristic after the file stem.

    Raises
    ------
    InputError
        If the file cannot be read or holds bad data (see the parsers).
    """
    file = Path(path)
    known = PurePath(name or file.name)
    try:
        text = file.read_text(encoding="utf-8-sig")
    except OSError as err:
        raise InputError("measurements", f"cannot read {file}: {err.strerror}") from None
    except UnicodeDecodeError:
        raise InputError("measurements", f"{known.name} is not UTF-8 text") from None
    if file.suffix.lower() in {".qif", ".xml"}:
        return parse_measurements_qif(
            text, source=known.name, specs=specs, allow_missing=allow_missing
        )
    return parse_measurements_csv(
        text, source=known.name, name=known.stem, specs=specs, allow_missing=allow_missing
    )
