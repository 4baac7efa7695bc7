"""The one parser for tolerances written by people: project files, stack files, the CLI.

Accepted forms (deviations in mm, relative to the nominal):

===========================  ===============================================
``"±0.005"``, ``"+/-0.005"``  symmetric, also ``"+-0.005"`` or a bare number
``"[-0.005, +0.010]"``        ``[lower, upper]``; a two-number list likewise
``"+0.010/-0.005"``           drawing notation, upper over lower
``{min: 11.99, max: 12.01}``  limits of size (needs the nominal)
``{upper_deviation, …}``      the parser's own output, so results round-trip
``"H7"``, ``"g6"``            ISO 286 class (needs the nominal)
``"25 g6"``, ``"25 ±0.05"``   nominal size written in front
===========================  ===============================================

Whatever the form, the result is a :class:`ToleranceSpec` with ``upper_deviation`` and
``lower_deviation`` [mm]; a lower deviation at or above the upper one is an
:class:`~rampwise.core.errors.InputError` naming the field.

References
----------
.. [1] ISO 286-1:2010 clause 3 (deviations, limits of size); ISO 129-1:2018 clause 9
   (indication of limit deviations on drawings: upper over lower, ± for symmetric).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any

from pydantic import BaseModel, ConfigDict, model_validator

from rampwise.core.errors import InputError

_NUMBER = r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?"
_SYMMETRIC = re.compile(rf"^(?:±|\+/-|\+-)\s*({_NUMBER})$")
_BRACKETS = re.compile(rf"^\[\s*({_NUMBER})\s*[,;]\s*({_NUMBER})\s*\]$")
_UPPER_OVER_LOWER = re.compile(rf"^({_NUMBER})\s*/\s*({_NUMBER})$")
_BARE = re.compile(rf"^{_NUMBER}$")
_SIZE_PREFIX = re.compile(r"^(\d+(?:\.\d*)?)\s+((?:[A-Za-z]{1,2}\s*\d{1,2})|(?:(?:±|\+/-|\+-).*))$")
_ISO_CLASS = re.compile(r"^[A-Za-z]{1,2}\s*\d{1,2}$")

FORMS = "±t, +/-t, [lower, upper], +upper/-lower, {min, max} limits or an ISO 286 class such as H7"


class ToleranceSpec(BaseModel):
    """Upper and lower deviation of a size from its nominal.

    Attributes
    ----------
    upper_deviation
        Upper deviation (es/ES) [mm].
    lower_deviation
        Lower deviation (ei/EI) [mm], strictly below the upper one.
    designation
        The ISO 286 class (``"H7"``) or ISO 2768 class (``"ISO 2768-m"``) the deviations
        come from, ``None`` for numeric tolerances.
    """

    model_config = ConfigDict(frozen=True)

    upper_deviation: float
    lower_deviation: float
    designation: str | None = None

    @model_validator(mode="after")
    def _ordered(self) -> ToleranceSpec:
        _check_deviations(self.upper_deviation, self.lower_deviation, "tolerance")
        return self

    @property
    def width(self) -> float:
        """Total tolerance, upper − lower deviation [mm]."""
        return self.upper_deviation - self.lower_deviation

    @property
    def half_width(self) -> float:
        """Half the total tolerance, the t of an equivalent ±t [mm]."""
        return self.width / 2

    @property
    def mid_deviation(self) -> float:
        """Deviation of the middle of the tolerance zone from the nominal [mm]."""
        return (self.upper_deviation + self.lower_deviation) / 2

    def scaled(self, factor: float) -> ToleranceSpec:
        """The same tolerance with deviations multiplied by ``factor`` (e.g. 25.4 in → mm)."""
        return ToleranceSpec(
            upper_deviation=self.upper_deviation * factor,
            lower_deviation=self.lower_deviation * factor,
            designation=self.designation,
        )

    def as_text(self) -> str:
        """The tolerance as the parser reads it back: ``"±0.005"`` or ``"[-0.12, +0]"``.

        A designated tolerance prints its designation (parsing it needs the nominal).
        """
        if self.designation is not None:
            return self.designation
        if self.upper_deviation == -self.lower_deviation:
            return f"±{self.upper_deviation!r}"
        return f"[{_signed(self.lower_deviation)}, {_signed(self.upper_deviation)}]"


def _signed(value: float) -> str:
    text = repr(value)
    return text if text.startswith("-") else f"+{text}"


def _check_deviations(upper: float, lower: float, field: str) -> None:
    if not (math.isfinite(upper) and math.isfinite(lower)):
        raise InputError(field, f"deviations must be finite numbers; got {lower!r}, {upper!r}")
    if lower > upper:
        raise InputError(field, f"lower deviation {lower:g} exceeds upper deviation {upper:g}")
    if lower == upper:
        raise InputError(
            field, f"upper and lower deviation are both {upper:g}; a tolerance needs a width > 0"
        )


def _spec(upper: float, lower: float, field: str, designation: str | None = None) -> ToleranceSpec:
    _check_deviations(upper, lower, field)
    return ToleranceSpec(upper_deviation=upper, lower_deviation=lower, designation=designation)


def _symmetric(half: float, field: str) -> ToleranceSpec:
    if not math.isfinite(half) or half <= 0:
        raise InputError(field, f"a ± tolerance must be a finite number > 0; got {half!r}")
    return _spec(half, -half, field)


def _number(value: Any, field: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InputError(field, f"must be a number; got {value!r}")
    return float(value)


def _from_mapping(value: Mapping[Any, Any], nominal: float | None, field: str) -> ToleranceSpec:
    keys = set(value)
    if keys == {"min", "max"}:
        if nominal is None:
            raise InputError(field, "limits {min, max} need the nominal size")
        low, high = _number(value["min"], f"{field}.min"), _number(value["max"], f"{field}.max")
        if low > high:
            raise InputError(field, f"min {low:g} exceeds max {high:g}")
        return _spec(round(high - nominal, 9), round(low - nominal, 9), field)
    if keys in (
        {"upper_deviation", "lower_deviation"},
        {"upper_deviation", "lower_deviation", "designation"},
    ):
        upper = _number(value["upper_deviation"], f"{field}.upper_deviation")
        lower = _number(value["lower_deviation"], f"{field}.lower_deviation")
        designation = value.get("designation")
        return _spec(upper, lower, field, str(designation) if designation is not None else None)
    raise InputError(
        field, f"a mapping must have keys min and max (limits); got {sorted(map(str, keys))}"
    )


def _iso_class(text: str, nominal: float | None, field: str) -> ToleranceSpec:
    from rampwise.tolerance.iso286 import limits

    if nominal is None:
        raise InputError(field, f"the ISO 286 class {text!r} needs the nominal size")
    try:
        result = limits(nominal, text.replace(" ", ""))
    except InputError as err:
        raise InputError(field, err.message) from None
    return _spec(result.upper_deviation, result.lower_deviation, field, result.designation)


@lru_cache(maxsize=4096)
def _from_text(text: str, nominal: float | None, field: str) -> ToleranceSpec:
    """A written tolerance read (kept: the same few callouts recur in every document)."""
    text = text.strip().replace("−", "-").replace("＋", "+")
    if match := _SIZE_PREFIX.match(text):
        size = float(match.group(1))
        if nominal is not None and not math.isclose(size, nominal, rel_tol=1e-9, abs_tol=1e-9):
            raise InputError(field, f"states size {size:g} but the nominal is {nominal:g}")
        return _from_text(match.group(2), size, field)
    if match := _SYMMETRIC.match(text):
        return _symmetric(float(match.group(1)), field)
    if match := _BRACKETS.match(text):
        return _spec(float(match.group(2)), float(match.group(1)), field)
    if match := _UPPER_OVER_LOWER.match(text):
        upper, lower = float(match.group(1)), float(match.group(2))
        if lower > upper:
            raise InputError(
                field, f"write the upper deviation first (+upper/-lower); got {text!r}"
            )
        return _spec(upper, lower, field)
    if _BARE.match(text):
        return _symmetric(float(text), field)
    if _ISO_CLASS.match(text):
        return _iso_class(text, nominal, field)
    raise InputError(field, f"cannot read {text!r}; write {FORMS}")


def is_iso_class(value: object) -> bool:
    """True when ``value`` is written as an ISO 286 class (``"H7"``, ``"25 g6"``).

    Such a tolerance is unit-free: its deviations follow from the nominal in mm, so a
    loader converting inches must convert the nominal, not the tolerance.
    """
    if not isinstance(value, str):
        return False
    text = value.strip()
    if match := _SIZE_PREFIX.match(text):
        text = match.group(2)
    return bool(_ISO_CLASS.match(text))


def parse_tolerance(
    value: str | float | Sequence[float] | Mapping[str, Any] | ToleranceSpec,
    *,
    nominal: float | None = None,
    field: str = "tolerance",
) -> ToleranceSpec:
    """Read a tolerance in any of the accepted forms (module docstring).

    Parameters
    ----------
    value
        The tolerance as written: text, a bare number (±value), ``[lower, upper]``, a
        ``{min, max}`` limits mapping, or an existing :class:`ToleranceSpec`.
    nominal
        Nominal size [mm]; needed for limits and ISO 286 classes.
    field
        Name of the field in error messages (e.g. ``"contributors[2].tolerance"``).

    Returns
    -------
    ToleranceSpec
        Upper and lower deviation [mm] and the designation, if any.

    Raises
    ------
    InputError
        If the text is unreadable, the lower deviation is not below the upper one, a
        limits mapping or ISO class lacks the nominal, or the ISO class is invalid or
        undefined at the size.
    """
    if isinstance(value, ToleranceSpec):
        return value
    if isinstance(value, bool) or value is None:
        raise InputError(field, f"cannot read {value!r}; write {FORMS}")
    if isinstance(value, int | float):
        return _symmetric(float(value), field)
    if isinstance(value, str):
        return _from_text(value, nominal, field)
    if isinstance(value, Mapping):
        return _from_mapping(value, nominal, field)
    if isinstance(value, Sequence) and len(value) == 2:
        lower = _number(value[0], f"{field}[0]")
        upper = _number(value[1], f"{field}[1]")
        return _spec(upper, lower, field)
    raise InputError(field, f"cannot read {value!r}; write {FORMS}")
