"""Units as stored and as shown: files and JSON keep ASCII names, people read symbols.

Lengths are millimetres inside (DESIGN.md); a project written in inches keeps its unit as
a display unit (:class:`LengthUnit`), and every face (terminal tables, pages, the FAI
workbook) prints its lengths through the functions here, so one rule decides the digits:

- in inches, a tolerance, a deviation or a toleranced size has 4 decimals and a plain size
  3, the convention of inch drawings (ASME Y14.5-2018 §1.6.2: 0.0001 in is the resolution
  of a ±0.0002 in limit), with the millimetres beside it, a size to 3 decimals (1 µm) and
  a tolerance to 4;
- in millimetres, 4 significant digits, the figures the pages and tables have always shown.

Roughness follows the same unit: inch drawings state Ra in microinches (ASME B46.1-2019).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rampwise.core.vocabulary import Vocabulary

__all__ = [
    "MM_PER_INCH",
    "UM_PER_MICROINCH",
    "UNIT_SYMBOLS",
    "LengthUnit",
    "length_unit",
    "limit_text",
    "quantity_text",
    "roughness_text",
    "size_text",
    "sizes_text",
    "tolerance_text",
    "unit_symbol",
]

UNIT_SYMBOLS = {"um": "µm", "deg": "°", "uin": "µin"}
"""Units stored in ASCII, shown with their symbols."""

MM_PER_INCH = 25.4
"""Exact conversion factor [mm/in] (international inch, 1959)."""

UM_PER_MICROINCH = 0.0254
"""Roughness conversion [µm/µin]: inch drawings state Ra in microinches."""


class LengthUnit(Vocabulary):
    """The unit a project's lengths are written and shown in (its file's ``unit``)."""

    MM = (
        "mm",
        "Millimetre",
        "Lengths written and shown in millimetres, the unit rampwise computes in.",
    )
    INCH = (
        "in",
        "Inch",
        "Lengths written and shown in inches (25.4 mm exactly), with millimetres beside them.",
    )


def unit_symbol(unit: Any) -> str:
    """A unit as printed: ``um`` → ``µm``, ``deg`` → ``°``; others as they are."""
    return UNIT_SYMBOLS.get(str(unit), str(unit))


def length_unit(unit: Any) -> LengthUnit:
    """The display unit named by ``unit`` (a :class:`LengthUnit`, ``"mm"``, ``"in"``).

    ``None`` or anything else is millimetres: a result stored before units were kept was
    shown in mm.
    """
    return LengthUnit.INCH if str(unit) == LengthUnit.INCH.value else LengthUnit.MM


def _mm(value_mm: float, *, signed: bool = False) -> str:
    """A length in mm with 4 significant digits (the pages' ``fmt``), no unit."""
    sign = "+" if signed else ""
    if abs(value_mm) >= 1000:
        return f"{value_mm:{sign},.2f}"
    return f"{value_mm:{sign}.4g}"


def size_text(value_mm: float, unit: Any, *, toleranced: bool = False, beside: bool = True) -> str:
    """A size in the display unit: ``"12.7 mm"``, ``"0.500 in (12.700 mm)"``.

    Parameters
    ----------
    value_mm
        The size [mm].
    unit
        Display unit (:func:`length_unit`).
    toleranced
        True for the nominal of a toleranced size: 4 decimals in inches, like its
        tolerance (``"0.5000 in"``).
    beside
        False leaves out the millimetres beside an inch size.
    """
    if length_unit(unit) is LengthUnit.MM:
        return f"{_mm(value_mm)} mm"
    digits = 4 if toleranced else 3
    text = f"{value_mm / MM_PER_INCH:.{digits}f} in"
    return f"{text} ({value_mm:.3f} mm)" if beside else text


def sizes_text(values_mm: Sequence[float], unit: Any) -> str:
    """Sides of a box: ``"80 × 30 × 12 mm"``, ``"1.500 × 1.500 × 1.000 in (38.100 × …)"``.

    Parameters
    ----------
    values_mm
        The sides [mm].
    unit
        Display unit (:func:`length_unit`).
    """
    if length_unit(unit) is LengthUnit.MM:
        return " × ".join(_mm(v) for v in values_mm) + " mm"
    inches = " × ".join(f"{v / MM_PER_INCH:.3f}" for v in values_mm)
    return f"{inches} in ({' × '.join(f'{v:.3f}' for v in values_mm)} mm)"


def tolerance_text(value_mm: float, unit: Any, *, signed: bool = False, beside: bool = True) -> str:
    """A tolerance, deviation, zone width or uncertainty: ``"0.0004 in (0.0102 mm)"``.

    Parameters
    ----------
    value_mm
        The tolerance [mm].
    unit
        Display unit (:func:`length_unit`).
    signed
        True for a deviation, printed with its sign (``"+0.018 mm"``).
    beside
        False leaves out the millimetres beside an inch value.
    """
    sign = "+" if signed else ""
    if length_unit(unit) is LengthUnit.MM:
        return f"{_mm(value_mm, signed=signed)} mm"
    text = f"{value_mm / MM_PER_INCH:{sign}.4f} in"
    return f"{text} ({value_mm:{sign}.4f} mm)" if beside else text


def limit_text(
    nominal_mm: float,
    upper_deviation_mm: float,
    lower_deviation_mm: float,
    unit: Any,
    *,
    beside: bool = True,
) -> str:
    """A toleranced size as drawn: nominal and deviations, ``±`` when they are symmetric.

    ``limit_text(12.7, 0.00508, -0.00508, "in")`` is
    ``"0.5000 in ±0.0002 in (12.700 mm ±0.0051 mm)"``; in mm, ``"12 mm +0.018/0 mm"``.

    Parameters
    ----------
    nominal_mm, upper_deviation_mm, lower_deviation_mm
        The nominal size and its deviations [mm].
    unit
        Display unit (:func:`length_unit`).
    beside
        False leaves out the millimetres beside an inch value.
    """
    if length_unit(unit) is LengthUnit.MM:
        deviations = _deviations(upper_deviation_mm, lower_deviation_mm, "mm", 1.0, ".4g")
        return f"{_mm(nominal_mm)} mm {deviations}"
    factor = 1 / MM_PER_INCH
    deviations = _deviations(upper_deviation_mm, lower_deviation_mm, "in", factor, ".4f")
    text = f"{nominal_mm * factor:.4f} in {deviations}"
    if not beside:
        return text
    in_mm = _deviations(upper_deviation_mm, lower_deviation_mm, "mm", 1.0, ".4f")
    return f"{text} ({nominal_mm:.3f} mm {in_mm})"


def _deviations(upper_mm: float, lower_mm: float, symbol: str, factor: float, spec: str) -> str:
    """``"±0.0002 in"`` when symmetric, else ``"+0.0007/0 in"`` (a zero deviation bare).

    ``factor`` turns mm into the unit of ``symbol`` [unit/mm]; ``spec`` formats a number.
    """
    upper, lower = upper_mm * factor, lower_mm * factor
    if upper > 0 and abs(upper + lower) <= 1e-9 * upper:
        return f"±{upper:{spec}} {symbol}"
    return f"{_signed(upper, spec)}/{_signed(lower, spec)} {symbol}"


def _signed(value: float, spec: str) -> str:
    """A deviation with its sign; a zero one bare (``0``), as drawings write it."""
    return "0" if value == 0 else f"{value:+{spec}}"


def roughness_text(value_um: float, unit: Any, *, beside: bool = True) -> str:
    """An Ra limit: ``"0.8 µm"``, or in inches ``"31.5 µin (0.8 µm)"``.

    Parameters
    ----------
    value_um
        Roughness [µm].
    unit
        Display unit (:func:`length_unit`); inch drawings state Ra in microinches.
    beside
        False leaves out the micrometres beside a microinch value.
    """
    if length_unit(unit) is LengthUnit.MM:
        return f"{value_um:.4g} µm"
    text = f"{value_um / UM_PER_MICROINCH:.3g} µin"
    return f"{text} ({value_um:.4g} µm)" if beside else text


def quantity_text(value: float, stored_unit: Any, unit: Any) -> str:
    """A value stored in ``stored_unit`` (``mm``, ``um`` or another) as the user reads it.

    A length in mm is shown as a tolerance (:func:`tolerance_text`), a roughness in µm as
    :func:`roughness_text`; any other unit (degrees) as it is, with its symbol.
    """
    if stored_unit == "mm":
        return tolerance_text(value, unit)
    if stored_unit == "um":
        return roughness_text(value, unit)
    return f"{value:.4g} {unit_symbol(stored_unit)}"
