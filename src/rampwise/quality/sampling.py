"""Acceptance sampling by attributes: ANSI/ASQ Z1.4 = MIL-STD-105E = ISO 2859-1.

A lot size and an inspection level give a sample-size code letter (Table I); the code
letter and the AQL pick a cell of a master table (single: Tables II-A/B/C, double:
III-A/B/C, for normal, tightened and reduced inspection). A cell holds either a plan or
an arrow; an arrow sends the user along the same AQL column to the first plan below (↓)
or above (↑) it, **and that row's sample size is used** — the arrow changes the sample
size, it never only changes Ac/Re. When the sample size equals or exceeds the lot size,
every item is inspected.

The master tables are catalog CSVs (``z14_*.csv``, provenance in
``catalog/README-sampling.md``); this module only walks them.

References
----------
.. [1] ANSI/ASQ Z1.4-2003 (R2018), *Sampling Procedures and Tables for Inspection by
   Attributes*; identical tables in MIL-STD-105E (1989, public domain), Tables I, II-A/B/C,
   III-A/B/C, and ISO 2859-1:1999 Tables 1, 2-A/B/C, 3-A/B/C.
.. [2] ISO 2859-1:1999, clause 10.1 (public as IS 2500 (Part 1):2000): "if the sample size
   equals or exceeds the lot size, carry out 100 % inspection".
"""

from __future__ import annotations

import enum
import math
from functools import cache, lru_cache
from typing import TypeVar

from pydantic import BaseModel, ConfigDict, Field

from rampwise.catalog import load_table
from rampwise.core.checks import require_whole
from rampwise.core.errors import CatalogError, InputError
from rampwise.core.vocabulary import Vocabulary

E = TypeVar("E", bound=enum.Enum)

__all__ = [
    "InspectionLevel",
    "InspectionSeverity",
    "MasterTablePlan",
    "SamplingPlan",
    "SamplingScheme",
    "SamplingStage",
    "code_letter",
    "master_table_plan",
    "parse_aql",
    "parse_enum",
    "parse_level",
    "sampling_plan",
    "tighter_aql",
    "valid_aqls",
]


class InspectionLevel(Vocabulary):
    """Inspection levels of Z1.4 Table I: special S-1…S-4 and general I, II (default), III."""

    S1 = "S-1", "S-1", "Special level, the smallest samples: for costly or destructive tests."
    S2 = "S-2", "S-2", "Special level with samples a little larger than S-1."
    S3 = "S-3", "S-3", "Special level with samples between S-2 and S-4."
    S4 = "S-4", "S-4", "Special level with the largest samples of the four."
    I = (  # noqa: E741 - the standard's name of the level
        "I",
        "I",
        "General level with smaller samples than II, when less discrimination will do.",
    )
    II = "II", "II", "General level, the default."
    III = "III", "III", "General level with larger samples than II, for more discrimination."


class InspectionSeverity(Vocabulary):
    """Severity of inspection that the switching rules move between (Z1.4 clause 8)."""

    NORMAL = "normal", "Normal", "The plans a scheme starts with (Tables II-A, III-A)."
    TIGHTENED = (
        "tightened",
        "Tightened",
        "Stricter acceptance numbers, after lots were not accepted (Tables II-B, III-B).",
    )
    REDUCED = (
        "reduced",
        "Reduced",
        "Smaller samples, after a run of accepted lots and with approval (Tables II-C, III-C).",
    )


class SamplingScheme(Vocabulary):
    """Single sampling (one sample) or double sampling (up to two samples)."""

    SINGLE = (
        "single",
        "Single",
        "One sample decides: accept at Ac or fewer nonconforming items, reject at Re or more.",
    )
    DOUBLE = (
        "double",
        "Double",
        "A first sample accepts, rejects or calls for a second; the two together decide.",
    )


class SamplingStage(BaseModel):
    """One sample of a plan with its cumulative acceptance and rejection numbers.

    Parameters
    ----------
    sample_size
        Items drawn at this stage [unitless].
    cumulative_sample_size
        Items drawn up to and including this stage [unitless].
    accept
        Acceptance number Ac: accept the lot when the cumulative count of nonconforming
        items is ≤ Ac [unitless].
    reject
        Rejection number Re: reject when the cumulative count is ≥ Re; between Ac and Re
        the next stage is drawn (or, in a gapped reduced plan's last stage, the lot is
        accepted and normal inspection reinstated) [unitless].
    """

    model_config = ConfigDict(frozen=True)

    sample_size: int = Field(ge=1)
    cumulative_sample_size: int = Field(ge=1)
    accept: int = Field(ge=0)
    reject: int = Field(ge=1)


class MasterTablePlan(BaseModel):
    """A master-table cell with its arrows followed.

    Parameters
    ----------
    code_letter
        Letter the look-up started from [unitless].
    plan_letter
        Letter of the row where the arrows ended; its sample size is the plan's.
    aql
        Acceptance quality limit [% nonconforming, or nonconformities per 100 items].
    inspection, scheme
        Table the cell came from.
    stages
        The plan: one stage for single sampling, two for double sampling; one stage also
        when a double-sampling cell says "use the single sampling plan".
    """

    model_config = ConfigDict(frozen=True)

    code_letter: str
    plan_letter: str
    aql: float
    inspection: InspectionSeverity
    scheme: SamplingScheme
    stages: tuple[SamplingStage, ...]


class SamplingPlan(BaseModel):
    """The plan to apply to one lot.

    Parameters
    ----------
    code_letter
        Sample-size code letter from Table I for the lot size and level.
    plan_letter
        Row of the master table the plan was taken from after following arrows.
    sample_size
        Items to draw first (the first stage) [unitless]; equals the lot size when
        ``hundred_percent``.
    accept, reject
        Ac and Re of the first stage [unitless].
    inspection
        ``normal``, ``tightened`` or ``reduced``.
    hundred_percent
        True when the table's sample size is ≥ the lot size: inspect every item and
        apply Ac/Re to the whole lot (ISO 2859-1 clause 10.1).
    table_sample_size
        First-stage sample size printed in the table [unitless].
    stages
        All stages with cumulative Ac/Re (one for single sampling).
    lot_size
        Items in the lot [unitless].
    aql
        Acceptance quality limit [%].
    level
        Inspection level used for the code letter.
    scheme
        ``single`` or ``double``.
    notes
        Plain-language remarks (arrows followed, 100 %, gapped reduced plan).
    """

    model_config = ConfigDict(frozen=True)

    code_letter: str
    sample_size: int
    accept: int
    reject: int
    inspection: InspectionSeverity
    hundred_percent: bool
    plan_letter: str
    table_sample_size: int
    stages: tuple[SamplingStage, ...]
    lot_size: int
    aql: float
    level: InspectionLevel
    scheme: SamplingScheme
    notes: tuple[str, ...] = ()


# --------------------------------------------------------------------------------------
# Catalog access
# --------------------------------------------------------------------------------------

_UP = "UP"
_DOWN = "DOWN"
_USE_SINGLE = "SINGLE"


def _table_name(scheme: SamplingScheme, inspection: InspectionSeverity) -> str:
    return f"z14_{scheme.value}_{inspection.value}"


def _size_column(scheme: SamplingScheme, inspection: InspectionSeverity) -> str:
    column = scheme.value
    return f"{column}_reduced" if inspection is InspectionSeverity.REDUCED else column


@cache
def _aql_labels() -> tuple[str, ...]:
    """AQL column labels in table order (0.010 … 1000), from the normal master table."""
    labels: list[str] = []
    for row in load_table("z14_single_normal"):
        if row["aql"] not in labels:
            labels.append(row["aql"])
    return tuple(labels)


@cache
def _letter_order(scheme: SamplingScheme, inspection: InspectionSeverity) -> tuple[str, ...]:
    letters: list[str] = []
    for row in load_table(_table_name(scheme, inspection)):
        if row["letter"] not in letters:
            letters.append(row["letter"])
    return tuple(letters)


@cache
def _cells(scheme: SamplingScheme, inspection: InspectionSeverity) -> dict[tuple[str, str], str]:
    return {
        (row["letter"], row["aql"]): row["cell"]
        for row in load_table(_table_name(scheme, inspection))
    }


@cache
def _sample_sizes(column: str) -> dict[str, int]:
    return {
        row["letter"]: int(row[column]) for row in load_table("z14_sample_sizes") if row[column]
    }


@cache
def valid_aqls() -> tuple[float, ...]:
    """AQL values of the master tables, ascending [% or nonconformities per 100 items]."""
    return tuple(float(label) for label in _aql_labels())


def parse_aql(value: float | str) -> float:
    """Return ``value`` as one of the tabulated AQLs, else raise listing them.

    Parameters
    ----------
    value
        Acceptance quality limit, e.g. ``1.0`` or ``"0.65"`` [%].

    Raises
    ------
    InputError
        If the value is not a number or not a column of the master tables.
    """
    try:
        number = float(value)
    except (TypeError, ValueError):
        number = math.nan
    tabulated = next((aql for aql in valid_aqls() if math.isclose(number, aql, rel_tol=1e-9)), None)
    if tabulated is None:
        listed = ", ".join(_aql_labels())
        raise InputError("aql", f"must be one of {listed}; got {value!r}")
    return tabulated


def _aql_label(aql: float) -> str:
    return _aql_labels()[valid_aqls().index(parse_aql(aql))]


def tighter_aql(aql: float) -> float | None:
    """The AQL one step tighter in the preferred series, or ``None`` below 0.010 [%].

    Used by the switching score of ISO 2859-1:1999 clause 9.3.3.2.
    """
    index = valid_aqls().index(parse_aql(aql))
    return valid_aqls()[index - 1] if index > 0 else None


def parse_level(value: InspectionLevel | str) -> InspectionLevel:
    """Return the inspection level named by ``value`` (``"II"``, ``"s-3"``, ``"S3"``).

    Raises
    ------
    InputError
        If the name is not one of S-1, S-2, S-3, S-4, I, II, III.
    """
    if isinstance(value, InspectionLevel):
        return value
    text = str(value).strip().upper()
    if len(text) == 2 and text.startswith("S") and text[1].isdigit():
        text = f"S-{text[1]}"
    for level in InspectionLevel:
        if level.value == text:
            return level
    listed = ", ".join(level.value for level in InspectionLevel)
    raise InputError("level", f"must be one of {listed}; got {value!r}")


def code_letter(lot_size: int, level: InspectionLevel | str = InspectionLevel.II) -> str:
    """Sample-size code letter for a lot (Z1.4 Table I).

    Parameters
    ----------
    lot_size
        Items in the lot [unitless]; a whole number ≥ 1.
    level
        Inspection level: S-1…S-4 or I, II (default), III.

    Returns
    -------
    str
        Code letter A…R.

    Raises
    ------
    InputError
        If the lot size is not a whole number ≥ 1 or the level is unknown.

    References
    ----------
    ANSI/ASQ Z1.4 Table I = MIL-STD-105E Table I = ISO 2859-1 Table 1.
    """
    size = require_whole("lot_size", lot_size, minimum=1)
    column = parse_level(level).value
    for row in load_table("z14_code_letters"):
        upper = int(row["lot_max"]) if row["lot_max"] else math.inf
        if int(row["lot_min"]) <= size <= upper:
            return row[column]
    # Lots of 1 item are below the first range (2–8) and use its letter.
    return load_table("z14_code_letters")[0][column]


def _parse_stages(cell: str, sizes: list[int]) -> tuple[SamplingStage, ...]:
    stages: list[SamplingStage] = []
    cumulative = 0
    for text, size in zip(cell.split(), sizes, strict=True):
        accept, reject = (int(part) for part in text.split("/"))
        cumulative += size
        stages.append(
            SamplingStage(
                sample_size=size, cumulative_sample_size=cumulative, accept=accept, reject=reject
            )
        )
    return tuple(stages)


def master_table_plan(
    letter: str,
    aql: float,
    inspection: InspectionSeverity | str = InspectionSeverity.NORMAL,
    scheme: SamplingScheme | str = SamplingScheme.SINGLE,
) -> MasterTablePlan:
    """Plan of one master-table cell, arrows followed along the AQL column.

    Parameters
    ----------
    letter
        Sample-size code letter A…R (S exists only as an arrow target in tightened tables).
    aql
        Acceptance quality limit, one of :func:`valid_aqls` [%].
    inspection
        ``normal``, ``tightened`` or ``reduced``.
    scheme
        ``single`` or ``double``.

    Returns
    -------
    MasterTablePlan
        The letter where the arrows ended and the plan's stages.

    Raises
    ------
    InputError
        If the letter, AQL, inspection or scheme is not in the tables.
    CatalogError
        If an arrow runs off the table (a damaged catalog file).

    References
    ----------
    ANSI/ASQ Z1.4 Tables II-A/B/C and III-A/B/C: "↓ use first sampling plan below arrow,
    ↑ use first sampling plan above arrow"; in double tables "* use the corresponding
    single sampling plan".
    """
    severity = parse_enum("inspection", inspection, InspectionSeverity)
    kind = parse_enum("scheme", scheme, SamplingScheme)
    label = _aql_label(aql)
    letters = _letter_order(kind, severity)
    start = str(letter).strip().upper()
    if start not in letters:
        raise InputError("code_letter", f"must be one of {', '.join(letters)}; got {letter!r}")
    cells = _cells(kind, severity)
    row = letters.index(start)
    cell = cells.get((start, label), "-")
    while cell in (_UP, _DOWN):
        row += 1 if cell == _DOWN else -1
        if not 0 <= row < len(letters):
            raise CatalogError(
                f"{_table_name(kind, severity)}: arrow from {start}/{label} runs off the table"
            )
        cell = cells.get((letters[row], label), "-")
    plan_letter = letters[row]
    if cell == _USE_SINGLE:
        single = master_table_plan(plan_letter, aql, severity, SamplingScheme.SINGLE)
        return single.model_copy(update={"code_letter": start, "scheme": kind})
    if cell == "-":
        raise CatalogError(f"{_table_name(kind, severity)}: no plan at {plan_letter}/{label}")
    size = _sample_sizes(_size_column(kind, severity))[plan_letter]
    stages = _parse_stages(cell, [size] * len(cell.split()))
    return MasterTablePlan(
        code_letter=start,
        plan_letter=plan_letter,
        aql=parse_aql(aql),
        inspection=severity,
        scheme=kind,
        stages=stages,
    )


def parse_enum(name: str, value: str | enum.Enum, enum_type: type[E]) -> E:
    """Return the member of ``enum_type`` named by ``value`` (case-insensitive).

    Raises
    ------
    InputError
        Naming ``name`` and listing the valid values, if none matches.
    """
    text = str(value.value if isinstance(value, enum.Enum) else value).strip().lower()
    for member in enum_type:
        if member.value == text:
            return member
    listed = ", ".join(str(member.value) for member in enum_type)
    raise InputError(name, f"must be one of {listed}; got {value!r}")


@lru_cache(maxsize=4096)
def sampling_plan(
    lot_size: int,
    aql: float,
    level: InspectionLevel | str = InspectionLevel.II,
    inspection: InspectionSeverity | str = InspectionSeverity.NORMAL,
    scheme: SamplingScheme | str = SamplingScheme.SINGLE,
) -> SamplingPlan:
    """Z1.4 / ISO 2859-1 sampling plan for one lot.

    The plan is immutable and a pure function of its arguments, so the last few thousand
    are kept: an inspection plan asks for the same lot's plan at every assessment.

    Parameters
    ----------
    lot_size
        Items in the lot [unitless]; a whole number ≥ 1.
    aql
        Acceptance quality limit, one of :func:`valid_aqls` [%].
    level
        Inspection level S-1…S-4, I, II (default) or III.
    inspection
        ``normal`` (default), ``tightened`` or ``reduced``.
    scheme
        ``single`` (default) or ``double``.

    Returns
    -------
    SamplingPlan
        Code letter, sample size, Ac/Re, stages and whether to inspect 100 %.

    Raises
    ------
    InputError
        If the lot size is not ≥ 1, the AQL is not tabulated, or the level, inspection
        or scheme is unknown.

    Examples
    --------
    >>> plan = sampling_plan(2400, 2.5)
    >>> plan.code_letter, plan.sample_size, plan.accept, plan.reject
    ('K', 125, 7, 8)

    References
    ----------
    ANSI/ASQ Z1.4 Tables I, II-A/B/C, III-A/B/C; ISO 2859-1:1999 clause 10.1 (100 %).
    """
    size = require_whole("lot_size", lot_size, minimum=1)
    severity = parse_enum("inspection", inspection, InspectionSeverity)
    kind = parse_enum("scheme", scheme, SamplingScheme)
    chosen_level = parse_level(level)
    letter = code_letter(size, chosen_level)
    cell = master_table_plan(letter, parse_aql(aql), severity, kind)
    notes: list[str] = []
    if cell.plan_letter != letter:
        direction = "down" if cell.plan_letter > letter else "up"
        notes.append(
            f"table arrow points {direction} from {letter} to {cell.plan_letter}: "
            f"sample size {cell.stages[0].sample_size}, not the size of letter {letter}"
        )
    if kind is SamplingScheme.DOUBLE and len(cell.stages) == 1:
        notes.append("the double-sampling table gives the single sampling plan for this cell")
    first = cell.stages[0]
    hundred_percent = first.sample_size >= size
    stages = cell.stages
    if hundred_percent:
        last = stages[-1]
        notes.append("sample size ≥ lot size: inspect every item (100 %) and apply the final Ac/Re")
        stages = (last.model_copy(update={"sample_size": size, "cumulative_sample_size": size}),)
    elif stages[-1].cumulative_sample_size > size:
        rest = size - first.sample_size
        second = stages[-1].model_copy(update={"sample_size": rest, "cumulative_sample_size": size})
        stages = (first, second)
        notes.append("the second sample is the rest of the lot")
    if stages[-1].reject - stages[-1].accept > 1:
        notes.append(
            "gapped reduced plan: a final count between Ac and Re accepts the lot "
            "but reinstates normal inspection"
        )
    return SamplingPlan(
        code_letter=letter,
        sample_size=stages[0].sample_size,
        accept=stages[0].accept,
        reject=stages[0].reject,
        inspection=severity,
        hundred_percent=hundred_percent,
        plan_letter=cell.plan_letter,
        table_sample_size=first.sample_size,
        stages=stages,
        lot_size=size,
        aql=cell.aql,
        level=chosen_level,
        scheme=kind,
        notes=tuple(notes),
    )
