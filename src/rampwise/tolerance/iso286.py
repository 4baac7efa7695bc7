"""ISO 286 limits and fits: standard tolerance grades, fundamental deviations, fits.

The numbers live in the catalog (``iso286_it_grades``, ``iso286_delta``,
``iso286_shaft_fundamental_deviations``, ``iso286_hole_fundamental_deviations``); this
module applies the construction rules of ISO 286-1 to them:

- sizes fall in ranges "over ``over_mm`` up to and including ``to_mm``";
- shafts a–h: es from the table, ei = es − IT; j–zc: ei from the table, es = ei + IT;
  js: ±IT/2;
- holes A–H: EI from the table, ES = EI + IT; J–ZC: ES from the table (+Δ where the row
  says so), EI = ES − IT; JS: ±IT/2 (half micrometres kept, as ISO 286-2:2010 prints).

A class the standard leaves undefined at a size (shaft ``t`` up to 24 mm, ``cd`` above
10 mm, ``a``/``b`` at or below 1 mm, ``K9`` above 3 mm …) has no catalog row and is refused
with an :class:`~rampwise.core.errors.InputError`, never guessed.

References
----------
.. [1] ISO 286-1:2010, Geometrical product specifications (GPS) — ISO code system for
   tolerances on linear sizes — Part 1: Basis of tolerances, deviations and fits
   (Table 1 standard tolerance grades, Tables 2–3 fundamental deviations, Δ).
.. [2] ISO 286-2:2010, Part 2: Tables of standard tolerance classes and limit deviations
   for holes and shafts.
.. [3] Catalog provenance: ``catalog/README-tolerance.md``.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import cache

from pydantic import BaseModel, ConfigDict

from rampwise.catalog import load_table
from rampwise.core.errors import InputError
from rampwise.core.vocabulary import Vocabulary

MAX_SIZE_MM = 3150.0
"""Largest nominal size ISO 286-1 tabulates [mm]."""

FINE_GRADES_MAX_SIZE_MM = 500.0
"""IT01 and IT0 are given only up to this size (ISO 286-1 Annex A) [mm]."""

_UM_PER_MM = 1000.0
_ROUND_DECIMALS = 7
"""Deviations are multiples of 0.05 µm; rounding to 0.1 nm removes float noise only."""

_CLASS_PATTERN = re.compile(r"^\s*([A-Za-z]{1,2})\s*(\d{1,2})\s*$")
_GRADE_PATTERN = re.compile(r"^\s*(?:IT)?\s*(01|0|[1-9]|1[0-8])\s*$", re.IGNORECASE)


class FeatureType(Vocabulary):
    """Whether a tolerance class applies to an internal (hole) or external (shaft) feature."""

    HOLE = "hole", "Hole", "An internal feature: a class in capitals (H7, K6), deviations ES, EI."
    SHAFT = "shaft", "Shaft", "An external feature: a class in lower case (g6), deviations es, ei."


class FitType(Vocabulary):
    """The kind of fit a hole and shaft class make together (ISO 286-1 clause 3.3)."""

    CLEARANCE = (
        "clearance",
        "Clearance",
        "The hole is always larger than the shaft: a gap at every pair of limits.",
    )
    TRANSITION = (
        "transition",
        "Transition",
        "Depending on the actual sizes, the pair has either a small gap or a small overlap.",
    )
    INTERFERENCE = (
        "interference",
        "Interference",
        "The shaft is always larger than the hole: a press fit at every pair of limits.",
    )


class ToleranceClass(BaseModel):
    """A parsed ISO 286 tolerance class such as ``H7`` or ``g6``.

    Attributes
    ----------
    letter
        Fundamental deviation letter(s), upper case for holes, lower case for shafts.
    grade
        Standard tolerance grade number, 1–18 [unitless].
    feature
        ``hole`` or ``shaft``.
    """

    model_config = ConfigDict(frozen=True)

    letter: str
    grade: int
    feature: FeatureType

    @property
    def designation(self) -> str:
        """The class as written on a drawing, e.g. ``"H7"``."""
        return f"{self.letter}{self.grade}"


class Limits(BaseModel):
    """Limit deviations and limits of size of one toleranced size.

    Attributes
    ----------
    size
        Nominal size [mm].
    designation
        The tolerance class, e.g. ``"g6"``.
    upper_deviation, lower_deviation
        es/ES and ei/EI [mm].
    upper_limit, lower_limit
        Maximum and minimum limits of size [mm].
    """

    model_config = ConfigDict(frozen=True)

    size: float
    designation: str
    upper_deviation: float
    lower_deviation: float
    upper_limit: float
    lower_limit: float


class Fit(BaseModel):
    """A hole and a shaft of the same nominal size and the clearance between them.

    Attributes
    ----------
    hole, shaft
        Limits of each member.
    min_clearance
        Smallest clearance, EI − es [mm]; negative means interference.
    max_clearance
        Largest clearance, ES − ei [mm]; negative means interference.
    fit
        ``clearance`` (min ≥ 0), ``interference`` (max ≤ 0) or ``transition``.
    """

    model_config = ConfigDict(frozen=True)

    hole: Limits
    shaft: Limits
    min_clearance: float
    max_clearance: float
    fit: FitType


@dataclass(frozen=True)
class _DeviationRow:
    letter: str
    over_mm: float
    to_mm: float
    grade_min: int
    grade_max: int
    deviation: str
    value_um: float | None
    add_delta: bool
    not_at_or_below_mm: float | None

    def covers(self, size_mm: float, grade: int) -> bool:
        return (
            self.over_mm < size_mm <= self.to_mm
            and self.grade_min <= grade <= self.grade_max
            and (self.not_at_or_below_mm is None or size_mm > self.not_at_or_below_mm)
        )


def _grade_key(grade: int) -> str:
    return {-1: "IT01", 0: "IT0"}.get(grade, f"IT{grade}")


@cache
def _it_rows() -> tuple[tuple[float, float, dict[int, float]], ...]:
    rows = []
    for row in load_table("iso286_it_grades"):
        values = {
            grade: float(row[_grade_key(grade)])
            for grade in range(-1, 19)
            if row[_grade_key(grade)]
        }
        rows.append((float(row["over_mm"]), float(row["to_mm"]), values))
    return tuple(rows)


@cache
def _delta_rows() -> tuple[tuple[float, float, dict[int, float]], ...]:
    rows = []
    for row in load_table("iso286_delta"):
        values = {grade: float(row[f"IT{grade}"]) for grade in range(3, 9)}
        rows.append((float(row["over_mm"]), float(row["to_mm"]), values))
    return tuple(rows)


@cache
def _deviation_rows(feature: FeatureType) -> dict[str, tuple[_DeviationRow, ...]]:
    table = "iso286_hole_fundamental_deviations"
    if feature is FeatureType.SHAFT:
        table = "iso286_shaft_fundamental_deviations"
    by_letter: dict[str, list[_DeviationRow]] = {}
    for row in load_table(table):
        value = row["value_um"]
        by_letter.setdefault(row["letter"], []).append(
            _DeviationRow(
                letter=row["letter"],
                over_mm=float(row["over_mm"]),
                to_mm=float(row["to_mm"]),
                grade_min=int(row["grade_min"]),
                grade_max=int(row["grade_max"]),
                deviation=row["deviation"],
                value_um=None if "IT/2" in value else float(value),
                add_delta=row.get("add_delta") == "yes",
                not_at_or_below_mm=float(row["not_at_or_below_mm"])
                if row["not_at_or_below_mm"]
                else None,
            )
        )
    return {letter: tuple(rows) for letter, rows in by_letter.items()}


def hole_letters() -> tuple[str, ...]:
    """Fundamental deviation letters of holes in the catalog (``A`` … ``ZC``)."""
    return tuple(_deviation_rows(FeatureType.HOLE))


def shaft_letters() -> tuple[str, ...]:
    """Fundamental deviation letters of shafts in the catalog (``a`` … ``zc``)."""
    return tuple(_deviation_rows(FeatureType.SHAFT))


def _check_size(size_mm: float, field: str = "size") -> float:
    if isinstance(size_mm, bool) or not isinstance(size_mm, int | float):
        raise InputError(field, f"must be a number of millimetres; got {size_mm!r}")
    if not math.isfinite(size_mm) or not 0 < size_mm <= MAX_SIZE_MM:
        raise InputError(
            field, f"must be > 0 and ≤ {MAX_SIZE_MM:g} mm (the ISO 286 range); got {size_mm!r}"
        )
    return float(size_mm)


def _parse_grade(grade: int | str) -> int:
    """Grade as an integer: 1–18, 0 for IT0, −1 for IT01."""
    if isinstance(grade, bool):
        raise InputError("grade", f"must be IT01, IT0 or IT1–IT18; got {grade!r}")
    if isinstance(grade, int):
        if 0 <= grade <= 18:
            return grade
        raise InputError("grade", f"must be IT01, IT0 or IT1–IT18; got {grade!r}")
    match = _GRADE_PATTERN.match(str(grade))
    if match is None:
        raise InputError("grade", f"must be IT01, IT0 or IT1–IT18; got {grade!r}")
    text = match.group(1)
    return -1 if text == "01" else int(text)


@cache
def _standard_tolerance_um(size_mm: float, grade: int) -> float:
    for over, to, values in _it_rows():
        if over < size_mm <= to:
            if grade not in values:
                raise InputError(
                    "grade",
                    f"{_grade_key(grade)} is defined only up to {FINE_GRADES_MAX_SIZE_MM:g} mm; "
                    f"got size {size_mm:g} mm",
                )
            return values[grade]
    raise InputError("size", f"must be > 0 and ≤ {MAX_SIZE_MM:g} mm; got {size_mm!r}")


def standard_tolerance(size_mm: float, grade: int | str) -> float:
    """Standard tolerance IT of a grade at a nominal size.

    Parameters
    ----------
    size_mm
        Nominal size [mm], 0 < size ≤ 3150.
    grade
        ``"IT7"``, ``"7"``, ``7``, ``"IT01"``, ``"IT0"`` [unitless].

    Returns
    -------
    float
        The tolerance IT [mm].

    Raises
    ------
    InputError
        If the size is outside 0–3150 mm, the grade is unknown, or IT01/IT0 is asked
        above 500 mm.

    References
    ----------
    .. [1] ISO 286-1:2010 Table 1 (and Annex A for IT01, IT0).
    """
    size = _check_size(size_mm)
    return round(_standard_tolerance_um(size, _parse_grade(grade)) / _UM_PER_MM, _ROUND_DECIMALS)


def grade_for_tolerance(size_mm: float, tolerance_mm: float) -> int | None:
    """The coarsest standard grade (1–18) whose IT at ``size_mm`` fits in ``tolerance_mm``.

    A characteristic toleranced 0.025 mm wide at 25 mm is IT7 (IT7 = 0.021 mm ≤ 0.025 <
    IT8 = 0.033 mm): holding it needs a process capable of IT7.

    Parameters
    ----------
    size_mm
        Nominal size [mm].
    tolerance_mm
        Total tolerance, upper − lower deviation [mm].

    Returns
    -------
    int or None
        Grade number, 18 for anything at least as wide as IT18, ``None`` when the
        tolerance is finer than IT1.

    Raises
    ------
    InputError
        If the size is outside the ISO 286 range or the tolerance is not > 0.

    References
    ----------
    .. [1] ISO 286-1:2010 Table 1.
    """
    size = _check_size(size_mm)
    if not math.isfinite(tolerance_mm) or tolerance_mm <= 0:
        raise InputError("tolerance", f"must be a finite width > 0 mm; got {tolerance_mm!r}")
    tolerance_um = tolerance_mm * _UM_PER_MM * (1 + 1e-9)
    fitting = [g for g in range(1, 19) if _standard_tolerance_um(size, g) <= tolerance_um]
    return max(fitting) if fitting else None


def tolerance_class(designation: str, *, field: str = "designation") -> ToleranceClass:
    """Parse an ISO 286 tolerance class such as ``"H7"``, ``"g6"`` or ``"JS11"``.

    Parameters
    ----------
    designation
        Letter(s) and grade; upper case letters are holes, lower case shafts.
    field
        Name used in error messages.

    Raises
    ------
    InputError
        If the text is not a class, the letter is unknown, or the grade is not 1–18.
    """
    match = _CLASS_PATTERN.match(designation) if isinstance(designation, str) else None
    if match is None:
        raise InputError(field, f"must be an ISO 286 class such as H7 or g6; got {designation!r}")
    letter, grade = match.group(1), int(match.group(2))
    if letter in hole_letters():
        feature = FeatureType.HOLE
    elif letter in shaft_letters():
        feature = FeatureType.SHAFT
    else:
        raise InputError(
            field,
            f"unknown fundamental deviation {letter!r}; holes: {' '.join(hole_letters())}; "
            f"shafts: {' '.join(shaft_letters())}",
        )
    if not 1 <= grade <= 18:
        raise InputError(field, f"grade must be 1–18 in a tolerance class; got {designation!r}")
    return ToleranceClass(letter=letter, grade=grade, feature=feature)


def _defined_span(rows: tuple[_DeviationRow, ...], grade: int) -> str:
    spans = [
        (r.not_at_or_below_mm or r.over_mm, r.to_mm)
        for r in rows
        if r.grade_min <= grade <= r.grade_max
    ]
    if not spans:
        return "at no size for this grade"
    return f"over {min(s[0] for s in spans):g} up to {max(s[1] for s in spans):g} mm"


def _delta_um(size_mm: float, grade: int) -> float | None:
    for over, to, values in _delta_rows():
        if over < size_mm <= to:
            return values.get(grade)
    return None


def _deviations_um(size_mm: float, cls: ToleranceClass, field: str) -> tuple[float, float]:
    """(upper, lower) deviation [µm] of a class at a size."""
    rows = _deviation_rows(cls.feature)[cls.letter]
    row = next((r for r in rows if r.covers(size_mm, cls.grade)), None)
    if row is None:
        raise InputError(
            field,
            f"{cls.feature.value} {cls.designation} is not defined by ISO 286 at {size_mm:g} mm "
            f"(defined {_defined_span(rows, cls.grade)})",
        )
    it = _standard_tolerance_um(size_mm, cls.grade)
    if row.value_um is None:  # js / JS: symmetric ±IT/2
        return it / 2, -it / 2
    if row.deviation in ("ei", "EI"):  # lower deviation tabulated
        return row.value_um + it, row.value_um
    upper = row.value_um  # es / ES: upper deviation tabulated
    if row.add_delta:
        delta = _delta_um(size_mm, cls.grade)
        if delta is None:
            raise InputError(
                field,
                f"hole {cls.designation} is not defined by ISO 286 at {size_mm:g} mm "
                "(its Δ correction is tabulated for IT3–IT8 only)",
            )
        upper += delta
    return upper, upper - it


def limits(size_mm: float, designation: str) -> Limits:
    """Limit deviations and limits of size of a tolerance class at a nominal size.

    ``limits(25, "g6")`` gives upper deviation −0.007 mm and lower −0.020 mm.

    Parameters
    ----------
    size_mm
        Nominal size [mm], 0 < size ≤ 3150.
    designation
        ISO 286 class, e.g. ``"H7"`` (hole) or ``"g6"`` (shaft).

    Returns
    -------
    Limits
        Deviations and limits [mm].

    Raises
    ------
    InputError
        ``size`` outside the range; ``designation`` malformed, with an unknown letter, a
        grade outside 1–18, or a class the standard does not define at that size.

    References
    ----------
    .. [1] ISO 286-1:2010 clause 5 and Tables 1–3; ISO 286-2:2010 Tables 2–17.
    """
    size = _check_size(size_mm)
    cls = tolerance_class(designation)
    upper_um, lower_um = _deviations_um(size, cls, "designation")
    upper = round(upper_um / _UM_PER_MM, _ROUND_DECIMALS)
    lower = round(lower_um / _UM_PER_MM, _ROUND_DECIMALS)
    return Limits(
        size=size,
        designation=cls.designation,
        upper_deviation=upper,
        lower_deviation=lower,
        upper_limit=round(size + upper, _ROUND_DECIMALS),
        lower_limit=round(size + lower, _ROUND_DECIMALS),
    )


def fit(size_mm: float, designation: str) -> Fit:
    """The fit of a hole class and a shaft class, e.g. ``fit(25, "H7/g6")``.

    Parameters
    ----------
    size_mm
        Common nominal size [mm].
    designation
        ``"<hole class>/<shaft class>"``, hole first (ISO 286-1 clause 3.3).

    Returns
    -------
    Fit
        Both members' limits, the minimum and maximum clearance [mm] (negative values are
        interference) and the fit type.

    Raises
    ------
    InputError
        If the text is not ``hole/shaft``, either class is invalid or undefined at the size.

    References
    ----------
    .. [1] ISO 286-1:2010 clause 3.3 (clearance, transition and interference fits).
    """
    parts = designation.split("/") if isinstance(designation, str) else []
    if len(parts) != 2:
        raise InputError(
            "designation", f"must be a hole and a shaft class such as H7/g6; got {designation!r}"
        )
    hole_cls = tolerance_class(parts[0])
    shaft_cls = tolerance_class(parts[1])
    if hole_cls.feature is not FeatureType.HOLE or shaft_cls.feature is not FeatureType.SHAFT:
        raise InputError(
            "designation",
            f"must name the hole (upper case) first and the shaft (lower case) second; "
            f"got {designation!r}",
        )
    hole = limits(size_mm, hole_cls.designation)
    shaft = limits(size_mm, shaft_cls.designation)
    min_clearance = round(hole.lower_deviation - shaft.upper_deviation, _ROUND_DECIMALS)
    max_clearance = round(hole.upper_deviation - shaft.lower_deviation, _ROUND_DECIMALS)
    if min_clearance >= 0:
        kind = FitType.CLEARANCE
    elif max_clearance <= 0:
        kind = FitType.INTERFERENCE
    else:
        kind = FitType.TRANSITION
    return Fit(
        hole=hole,
        shaft=shaft,
        min_clearance=min_clearance,
        max_clearance=max_clearance,
        fit=kind,
    )
