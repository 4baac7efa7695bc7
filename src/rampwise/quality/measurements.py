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

import math
import re
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Any
from xml.etree import ElementTree

import numpy as np
from numpy.typing import NDArray
from pydantic import BaseModel, ConfigDict

from rampwise.core.errors import InputError
from rampwise.quality.capability import SpecLimits
from rampwise.quality.csv_table import CsvTable, read_csv
from rampwise.quality.series import FloatSeries, IntSeries, Runs, frozen, unit_sizes
from rampwise.quality.specs import SpecTable, make_spec, name_key

if TYPE_CHECKING:  # pyarrow is imported on the first read, not with the module
    import pyarrow as pa

MM_PER_UNIT: dict[str, float] = {"mm": 1.0, "µm": 1e-3, "um": 1e-3, "in": 25.4, "inch": 25.4}
"""Length units accepted in measurement files, in millimetres (1 in = 25.4 mm exactly)."""

ANGLE_UNITS = frozenset({"deg", "degree"})

META_COLUMNS = ("characteristic", "subgroup", "part", "timestamp", "tool_change", "unit")
"""Optional columns; in wide form every other column is a characteristic."""

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

    Only ``values`` costs memory per value; line numbers and positions are kept as runs
    (:class:`~rampwise.quality.series.Runs`), part ids as one Arrow string array, and the
    per-value forms below (``rows``, ``parts``, ``subgroup_labels`` …) are built when
    asked for.

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
    row_runs
        Source line (CSV) or result number (QIF) of each value, as runs.
    ordinal_runs
        Position of each value among the characteristic's cells, missing ones counted
        (1-based), as runs: the part id and subgroup of a value that has none.
    part_ids
        Part id of each value (Arrow strings) when the file names parts, else ``None``.
    subgroup_names
        Distinct subgroup labels in order of first appearance (subgrouped files).
    subgroup_codes
        Index into ``subgroup_names`` of each value; ``None`` when not subgrouped.
    subgrouped
        True when the file defines subgroups; otherwise every value is its own subgroup.
    tool_changes
        0-based positions in ``values`` where a new tool starts (seed 003).
    stamps
        Time of each value (``datetime64[us]``; a zone offset converted to UTC), when the
        file has a ``timestamp`` column.
    missing
        Values absent from the file (only when missing values were allowed).
    """

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    name: str
    unit: str
    spec: SpecLimits | None
    values: FloatSeries
    row_runs: Runs
    ordinal_runs: Runs
    part_ids: Any = None
    subgroup_names: tuple[str, ...] = ()
    subgroup_codes: IntSeries | None = None
    subgrouped: bool
    tool_changes: tuple[int, ...] = ()
    stamps: Any = None
    missing: tuple[MissingValue, ...] = ()

    @property
    def rows(self) -> NDArray[np.int64]:
        """Source line (CSV) or result number (QIF) of each value."""
        return self.row_runs.expand()

    @property
    def parts(self) -> tuple[str, ...]:
        """Part id of each value: the ``part`` cell, else ``#`` and the value's ordinal."""
        if self.part_ids is None:
            return tuple(f"#{k}" for k in self.ordinal_runs.expand().tolist())
        parts: list[str] = self.part_ids.to_pylist()
        return tuple(parts)

    @property
    def subgroup_labels(self) -> tuple[str, ...]:
        """Distinct subgroup labels in order of first appearance."""
        if self.subgroup_codes is not None:
            return self.subgroup_names
        return tuple(str(k) for k in self.ordinal_runs.expand().tolist())

    @property
    def subgroup_index(self) -> NDArray[np.int64]:
        """Index into ``subgroup_labels`` for each value."""
        if self.subgroup_codes is not None:
            return self.subgroup_codes
        return np.arange(self.values.size, dtype=np.int64)

    @property
    def timestamps(self) -> tuple[datetime, ...] | None:
        """Time of each value as ``datetime`` objects, when the file has them."""
        if self.stamps is None:
            return None
        return tuple(self.stamps.astype("datetime64[us]").astype(object).tolist())

    def part_numbers(self) -> NDArray[np.float64] | None:
        """Part numbers for a trend when the part ids are increasing integers, else ``None``.

        ``None`` means the values are numbered 1…n in file order (drift's default).
        """
        import pyarrow as pa
        import pyarrow.compute as pc

        if self.part_ids is None:
            return None
        try:
            numbers = pc.cast(self.part_ids, pa.float64()).to_numpy(zero_copy_only=False)
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            return None
        ok = numbers.size > 1 and bool(np.all(numbers == np.round(numbers)))
        return numbers if ok and bool(np.all(np.diff(numbers) > 0)) else None

    def grouped(self) -> tuple[NDArray[np.float64], NDArray[np.int64]]:
        """Values ordered subgroup by subgroup (stable) and the size of each subgroup.

        Returns
        -------
        tuple of ndarray
            ``(values, sizes)`` ready for the variables charts.
        """
        if self.subgroup_codes is None:
            return np.asarray(self.values), unit_sizes(self.values.size)
        order = np.argsort(self.subgroup_codes, kind="stable")
        sizes = np.bincount(self.subgroup_codes, minlength=len(self.subgroup_names))
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
    """Values of one QIF characteristic collected while reading."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.values: list[float] = []
        self.rows: list[int] = []
        self.parts: list[str] = []
        self.units: set[str] = set()
        self.missing: list[MissingValue] = []

    def add(self, value: float, row: int, part: str) -> None:
        self.values.append(value)
        self.rows.append(row)
        self.parts.append(part)


def _resolve_spec(name: str, specs: SpecTable | None, single: bool) -> SpecLimits | None:
    if specs is None:
        return None
    wanted = name_key(name)
    for key, spec in specs.by_name.items():
        if name_key(key) == wanted:
            return spec
    return specs.default if single else None


class _Cells:
    """One characteristic's cells as read, before units and limits are applied."""

    def __init__(
        self,
        name: str,
        values: NDArray[np.float64],
        rows: Runs,
        ordinals: Runs,
        *,
        parts: pa.Array | None = None,
        subgroups: pa.Array | None = None,
        tool_changes: tuple[int, ...] = (),
        stamps: NDArray[np.datetime64] | None = None,
        units: frozenset[str] = frozenset(),
        missing: tuple[MissingValue, ...] = (),
    ) -> None:
        self.name = name
        self.values = values
        self.rows = rows
        self.ordinals = ordinals
        self.parts = parts
        self.subgroups = subgroups
        self.tool_changes = tool_changes
        self.stamps = stamps
        self.units = units
        self.missing = missing


def _finish(
    cells: _Cells, specs: SpecTable | None, single: bool, default_unit: str
) -> CharacteristicData:
    import pyarrow.compute as pc

    if cells.values.size == 0:
        if cells.missing:
            raise InputError(f"column {cells.name!r}", "has no values (every cell is missing)")
        raise InputError(f"column {cells.name!r}", "has no values")
    if len(cells.units) > 1:
        raise InputError(f"column {cells.name!r}", f"mixes units {', '.join(sorted(cells.units))}")
    file_unit = next(iter(cells.units), default_unit)
    spec = _resolve_spec(cells.name, specs, single)
    unit = spec.unit if spec is not None else file_unit
    factor = _unit_factor(file_unit, unit, f"{cells.name}.unit")
    values = cells.values if factor == 1.0 else cells.values * factor
    codes: NDArray[np.int64] | None = None
    names: tuple[str, ...] = ()
    if cells.subgroups is not None:
        encoded = pc.dictionary_encode(cells.subgroups)
        codes = encoded.indices.to_numpy(zero_copy_only=False).astype(np.int64)
        names = tuple(encoded.dictionary.to_pylist())
    return CharacteristicData(
        name=cells.name,
        unit=unit,
        spec=spec,
        values=frozen(np.asarray(values, dtype=np.float64)),
        row_runs=cells.rows,
        ordinal_runs=cells.ordinals,
        part_ids=cells.parts,
        subgroup_names=names,
        subgroup_codes=codes,
        subgrouped=cells.subgroups is not None,
        tool_changes=cells.tool_changes,
        stamps=cells.stamps,
        missing=cells.missing,
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


def _first(mask: NDArray[np.bool_]) -> int | None:
    """Position of the first true value, if any."""
    return int(np.argmax(mask)) if mask.size and bool(mask.any()) else None


def _text_mask(cells: pa.ChunkedArray, words: frozenset[str]) -> NDArray[np.bool_]:
    import pyarrow as pa
    import pyarrow.compute as pc

    lower = pc.utf8_lower(cells)
    mask: NDArray[np.bool_] = np.asarray(
        pc.is_in(lower, value_set=pa.array(sorted(words))).to_numpy(zero_copy_only=False),
        dtype=bool,
    )
    return mask


def _row_checks(table: CsvTable) -> tuple[NDArray[np.bool_] | None, NDArray[np.datetime64] | None]:
    """Check the subgroup, tool-change and timestamp columns; their flags and times."""
    import pyarrow.compute as pc

    texts = table.texts
    if "subgroup" in texts:
        empty = _first(pc.equal(texts["subgroup"], "").to_numpy(zero_copy_only=False))
        if empty is not None:
            raise InputError(f"row {table.lines.at(empty)}, column 'subgroup'", "is empty")
    flags = None
    if "tool_change" in texts:
        cells = texts["tool_change"]
        flags = _text_mask(cells, _TRUE)
        bad = _first(~(flags | _text_mask(cells, _FALSE)))
        if bad is not None:
            raise InputError(
                f"row {table.lines.at(bad)}, column 'tool_change'",
                f"{cells[bad].as_py()!r} is not yes/no or 1/0",
            )
    stamps = None
    if "timestamp" in texts:
        stamps = _timestamps(texts["timestamp"], table.lines)
    return flags, stamps


def _timestamps(cells: pa.ChunkedArray, lines: Runs) -> NDArray[np.datetime64]:
    """ISO 8601 date-times (a zone offset converted to UTC) as ``datetime64[us]``."""
    import pyarrow as pa
    import pyarrow.compute as pc

    for kind in (pa.timestamp("us"), pa.timestamp("us", tz="UTC")):
        try:
            parsed = pc.cast(cells, kind)
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            continue
        stamps: NDArray[np.datetime64] = parsed.to_numpy().astype("datetime64[us]")
        return stamps
    for position, cell in enumerate(cells.to_pylist()):  # only to name the bad cell
        try:
            datetime.fromisoformat(cell)
        except ValueError:
            raise InputError(
                f"row {lines.at(position)}, column 'timestamp'",
                f"{cell!r} is not an ISO 8601 date-time",
            ) from None
    # every cell is ISO 8601 but offsets and naive times are mixed: read as UTC
    return np.array(
        [
            datetime.fromisoformat(cell).astimezone(UTC).replace(tzinfo=None)
            for cell in cells.to_pylist()
        ],
        dtype="datetime64[us]",
    )


def _characteristic_cells(
    table: CsvTable,
    name: str,
    column: str,
    selection: NDArray[np.int64] | None,
    flags: NDArray[np.bool_] | None,
    stamps: NDArray[np.datetime64] | None,
    allow_missing: bool,
) -> _Cells:
    """The cells of one characteristic: the rows ``selection`` (all if ``None``) of ``column``."""
    import pyarrow as pa
    import pyarrow.compute as pc

    key = column.lower()
    values, absent = table.numbers[key], table.missing[key]
    lines = table.lines
    if selection is not None:
        values, absent = values[selection], absent[selection]
        lines = Runs.compress(table.lines.expand()[selection])
    missing: tuple[MissingValue, ...] = ()
    kept: NDArray[np.int64] | None = None
    if absent.any():
        where = np.flatnonzero(absent)
        if not allow_missing:
            raise InputError(
                f"row {lines.at(int(where[0]))}, column {column!r}",
                "value is missing; fill it in, or allow missing values "
                "(--allow-missing) to report and skip it",
            )
        missing = tuple(
            MissingValue(row=lines.at(position), column=column, characteristic=name)
            for position in where.tolist()
        )
        kept = np.flatnonzero(~absent)
        values = values[kept]
        lines = Runs.compress(lines.expand()[kept])
    ordinals = Runs.counting(1, values.size) if kept is None else Runs.compress(kept + 1)
    rows_of = _composed(selection, kept)

    def take(cells: pa.ChunkedArray) -> pa.Array:
        combined = cells.combine_chunks()
        return combined if rows_of is None else combined.take(pa.array(rows_of))

    parts = None
    if "part" in table.texts:
        parts = take(table.texts["part"])
        empty = np.flatnonzero(pc.equal(parts, "").to_numpy(zero_copy_only=False))
        if empty.size:
            labels = parts.to_pylist()
            for position in empty.tolist():
                labels[position] = f"#{ordinals.at(position)}"
            parts = pa.array(labels, pa.string())
    units: frozenset[str] = frozenset()
    if "unit" in table.texts:
        units = frozenset(pc.unique(take(table.texts["unit"])).to_pylist()) - {""}
    changes: tuple[int, ...] = ()
    if flags is not None:
        chosen = flags if rows_of is None else flags[rows_of]
        changes = tuple(np.flatnonzero(chosen).tolist())
    return _Cells(
        name,
        values,
        lines,
        ordinals,
        parts=parts,
        subgroups=take(table.texts["subgroup"]) if "subgroup" in table.texts else None,
        tool_changes=changes,
        stamps=None if stamps is None else (stamps if rows_of is None else stamps[rows_of]),
        units=units,
        missing=missing,
    )


def _composed(
    selection: NDArray[np.int64] | None, kept: NDArray[np.int64] | None
) -> NDArray[np.int64] | None:
    """Table rows of the kept values: ``selection[kept]``, ``None`` meaning every row."""
    if selection is None:
        return kept
    return selection if kept is None else selection[kept]


def _measurements_from_table(
    table: CsvTable | None,
    *,
    source: str,
    name: str,
    specs: SpecTable | None,
    allow_missing: bool,
    unit: str,
) -> MeasurementSet:
    import pyarrow.compute as pc

    if table is None:
        raise InputError("measurements", "the file has no header and no values")
    keys = table.keys
    long_form = "value" in keys
    value_columns = (
        ["value"] if long_form else [h for h in table.header if h.lower() not in META_COLUMNS]
    )
    if not value_columns:
        raise InputError("measurements", "no 'value' column and no characteristic columns")
    if table.rows == 0:
        raise InputError("measurements", f"{source} has a header but no values")
    flags, stamps = _row_checks(table)
    found: list[_Cells] = []
    if long_form and "characteristic" in table.texts:
        named = table.texts["characteristic"]
        empty = _first(pc.equal(named, "").to_numpy(zero_copy_only=False))
        if empty is not None:
            raise InputError(f"row {table.lines.at(empty)}, column 'characteristic'", "is empty")
        encoded = pc.dictionary_encode(named.combine_chunks())
        codes = encoded.indices.to_numpy(zero_copy_only=False)
        names = encoded.dictionary.to_pylist()
        for code, characteristic in enumerate(names):
            selection = None if len(names) == 1 else np.flatnonzero(codes == code)
            found.append(
                _characteristic_cells(
                    table, characteristic, "value", selection, flags, stamps, allow_missing
                )
            )
    else:
        for column in value_columns:
            found.append(
                _characteristic_cells(
                    table,
                    name if long_form else column,
                    column,
                    None,
                    flags,
                    stamps,
                    allow_missing,
                )
            )
    names_found = [cells.name for cells in found]
    _apply_default(specs, len(names_found), names_found)
    single = len(found) == 1
    return MeasurementSet(
        source=source,
        characteristics=tuple(_finish(cells, specs, single, unit) for cells in found),
    )


def _value_columns(keys: tuple[str, ...]) -> list[str]:
    """The number columns of a measurement file: ``value``, else every non-meta column."""
    return ["value"] if "value" in keys else [k for k in keys if k not in META_COLUMNS]


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
    table = read_csv(text.encode("utf-8"), field="measurements", numeric=_value_columns)
    return _measurements_from_table(
        table, source=source, name=name, specs=specs, allow_missing=allow_missing, unit=unit
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
            column.add(value, number, part)
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
            _finish(_qif_cells(columns[n]), table, len(names) == 1, unit) for n in names
        ),
    )


def _qif_cells(column: _Column) -> _Cells:
    """A QIF characteristic's cells: one subgroup per ``MeasurementResults`` (part)."""
    import pyarrow as pa

    parts = pa.array(column.parts, pa.string())
    return _Cells(
        column.name,
        np.asarray(column.values, dtype=np.float64),
        Runs.compress(np.asarray(column.rows, dtype=np.int64)),
        Runs.counting(1, len(column.values)),
        parts=parts,
        subgroups=parts,
        units=frozenset(column.units),
        missing=tuple(column.missing),
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
    if file.suffix.lower() in {".qif", ".xml"}:
        try:
            text = file.read_text(encoding="utf-8-sig")
        except OSError as err:
            raise InputError("measurements", f"cannot read {file}: {err.strerror}") from None
        except UnicodeDecodeError:
            raise InputError("measurements", f"{known.name} is not UTF-8 text") from None
        return parse_measurements_qif(
            text, source=known.name, specs=specs, allow_missing=allow_missing
        )
    table = read_csv(file, field="measurements", numeric=_value_columns)
    return _measurements_from_table(
        table,
        source=known.name,
        name=known.stem,
        specs=specs,
        allow_missing=allow_missing,
        unit="mm",
    )
