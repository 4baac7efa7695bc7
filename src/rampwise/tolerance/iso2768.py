"""ISO 2768 general tolerances: the limits that apply where a drawing states none.

ISO 2768-1 gives linear, radius/chamfer and angular deviations in four classes
(f fine, m medium, c coarse, v very coarse); ISO 2768-2 gives general geometric
tolerances in three classes (H, K, L). A title block says e.g. "ISO 2768-mK". A drawing
that says nothing is taken as ISO 2768-m (:data:`DEFAULT_GENERAL_TOLERANCE`), the class
most machining suppliers quote by default (research/quoting.md §4: "default ISO 2768-m").

Ranges are "over A up to and including B"; the linear and radius tables start at 0.5 mm
inclusive (below it ISO 2768-1 requires an explicit tolerance). Angular tolerances go by
the length of the shorter leg.

References
----------
.. [1] ISO 2768-1:1989, General tolerances — Part 1: Tolerances for linear and angular
   dimensions without individual tolerance indications, Tables 1–3.
.. [2] ISO 2768-2:1989, Part 2: Geometrical tolerances for features without individual
   tolerance indications, Tables 1–4.
.. [3] Catalog provenance: ``catalog/README-tolerance.md``.
"""

from __future__ import annotations

import math
import re

from pydantic import BaseModel, ConfigDict

from rampwise.catalog import load_table
from rampwise.core.errors import InputError
from rampwise.core.vocabulary import Vocabulary
from rampwise.tolerance.spec import ToleranceSpec

DEFAULT_GENERAL_TOLERANCE = "ISO 2768-m"
"""General tolerance assumed when a drawing states none."""

ARCMIN_PER_DEGREE = 60.0

_GENERAL_PATTERN = re.compile(
    r"^\s*(?:(?:ISO|DIN\s*ISO)\s*)?(?:2768\s*-?\s*(?:1\s*)?)?([fmcv])([HKL])?\s*$",
    re.IGNORECASE,
)


class GeneralClass(Vocabulary):
    """ISO 2768-1 tolerance class for linear and angular dimensions."""

    FINE = "f", "Fine", "The tightest general tolerances of ISO 2768-1 (class f)."
    MEDIUM = "m", "Medium", "The usual general tolerances of machined parts (class m, ISO 2768-m)."
    COARSE = "c", "Coarse", "Wider general tolerances of ISO 2768-1 (class c)."
    VERY_COARSE = "v", "Very coarse", "The widest general tolerances of ISO 2768-1 (class v)."


class GeometricClass(Vocabulary):
    """ISO 2768-2 tolerance class for general geometric tolerances."""

    H = "H", "H", "The tightest general geometric tolerances of ISO 2768-2."
    K = "K", "K", "The middle class of general geometric tolerances of ISO 2768-2."
    L = "L", "L", "The widest general geometric tolerances of ISO 2768-2."


class GeometricCharacteristic(Vocabulary):
    """The characteristics ISO 2768-2 tabulates."""

    STRAIGHTNESS = (
        "straightness",
        "Straightness",
        "By the nominal length of the line (the table it shares with flatness).",
    )
    FLATNESS = (
        "flatness",
        "Flatness",
        "By the longer side of the surface (the table it shares with straightness).",
    )
    PERPENDICULARITY = (
        "perpendicularity",
        "Perpendicularity",
        "By the length of the shorter side; the longer side is the datum.",
    )
    SYMMETRY = (
        "symmetry",
        "Symmetry",
        "By the length of the feature; the longer feature is the datum.",
    )
    CIRCULAR_RUNOUT = (
        "circular_runout",
        "Circular runout",
        "One value per class, whatever the size.",
    )


_GEOMETRIC_ROW = {
    GeometricCharacteristic.STRAIGHTNESS: "straightness_flatness",
    GeometricCharacteristic.FLATNESS: "straightness_flatness",
    GeometricCharacteristic.PERPENDICULARITY: "perpendicularity",
    GeometricCharacteristic.SYMMETRY: "symmetry",
    GeometricCharacteristic.CIRCULAR_RUNOUT: "circular_runout",
}


class GeneralTolerance(BaseModel):
    """A title-block general tolerance such as ``ISO 2768-mK``.

    Attributes
    ----------
    linear_class
        The ISO 2768-1 class (f, m, c, v).
    geometric_class
        The ISO 2768-2 class (H, K, L), ``None`` when not stated.
    """

    model_config = ConfigDict(frozen=True)

    linear_class: GeneralClass
    geometric_class: GeometricClass | None = None

    @property
    def designation(self) -> str:
        """The title-block text, e.g. ``"ISO 2768-mK"``."""
        geometric = self.geometric_class.value if self.geometric_class else ""
        return f"ISO 2768-{self.linear_class.value}{geometric}"


def parse_general_tolerance(text: str, *, field: str = "general_tolerance") -> GeneralTolerance:
    """Parse ``"ISO 2768-mK"``, ``"ISO 2768-m"``, ``"2768-f"`` or just ``"mK"``.

    Raises
    ------
    InputError
        If the text is not an ISO 2768 class.
    """
    match = _GENERAL_PATTERN.match(text) if isinstance(text, str) else None
    if match is None:
        raise InputError(
            field, f"must be an ISO 2768 class such as 'ISO 2768-m' or 'ISO 2768-mK'; got {text!r}"
        )
    geometric = match.group(2)
    return GeneralTolerance(
        linear_class=GeneralClass(match.group(1).lower()),
        geometric_class=GeometricClass(geometric.upper()) if geometric else None,
    )


def _range_value(
    table: str,
    size: float,
    column: str,
    *,
    first_inclusive: bool,
    what: str,
    field: str = "size",
    rows_filter: str | None = None,
) -> float:
    """The cell of ``column`` in the row whose range holds ``size``; blank → InputError."""
    rows = load_table(table)
    if rows_filter is not None:
        rows = tuple(r for r in rows if r["characteristic"] == rows_filter)
    for index, row in enumerate(rows):
        over = float(row["over_mm"])
        to = float(row["to_mm"]) if row["to_mm"] else math.inf
        inside = over <= size if (first_inclusive and index == 0) else over < size
        if inside and size <= to:
            cell = row[column]
            if not cell:
                raise InputError(
                    field,
                    f"ISO 2768 gives class {column} no {what} value at {size:g} mm "
                    "(state an explicit tolerance)",
                )
            return float(cell)
    first = float(rows[0]["over_mm"])
    last = rows[-1]["to_mm"]
    span = f"{'from' if first_inclusive else 'over'} {first:g}" + (
        f" up to {float(last):g} mm" if last else " mm"
    )
    raise InputError(
        field,
        f"ISO 2768 {what} tolerances cover {span}; got {size:g} mm (state an explicit tolerance)",
    )


def _general_class(cls: GeneralClass | str) -> GeneralClass:
    try:
        return GeneralClass(cls)
    except ValueError:
        valid = ", ".join(c.value for c in GeneralClass)
        raise InputError("class", f"must be one of {valid} (ISO 2768-1); got {cls!r}") from None


def _geometric_class(cls: GeometricClass | str) -> GeometricClass:
    try:
        return GeometricClass(cls)
    except ValueError:
        valid = ", ".join(c.value for c in GeometricClass)
        raise InputError("class", f"must be one of {valid} (ISO 2768-2); got {cls!r}") from None


def _check_length(value: float, field: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InputError(field, f"must be a length in mm; got {value!r}")
    if not math.isfinite(value) or value <= 0:
        raise InputError(field, f"must be a finite length > 0 mm; got {value!r}")
    return float(value)


def linear_deviation(size_mm: float, cls: GeneralClass | str = GeneralClass.MEDIUM) -> float:
    """Permissible deviation ± of a linear dimension without individual tolerance.

    Parameters
    ----------
    size_mm
        Nominal size [mm], 0.5 ≤ size ≤ 4000.
    cls
        ISO 2768-1 class f, m, c or v.

    Returns
    -------
    float
        The half-width t of the tolerance ±t [mm].

    Raises
    ------
    InputError
        Below 0.5 mm, above 4000 mm, or where the class has no value (f above 2000 mm,
        v up to 3 mm).

    References
    ----------
    .. [1] ISO 2768-1:1989 Table 1.
    """
    size = _check_length(size_mm, "size")
    column = _general_class(cls).value
    return _range_value("iso2768_1_linear", size, column, first_inclusive=True, what="linear")


def radius_chamfer_deviation(
    size_mm: float, cls: GeneralClass | str = GeneralClass.MEDIUM
) -> float:
    """Permissible deviation ± of an external radius or chamfer height.

    Parameters
    ----------
    size_mm
        Radius or chamfer height [mm], ≥ 0.5.
    cls
        ISO 2768-1 class f, m, c or v.

    Returns
    -------
    float
        The half-width t of the tolerance ±t [mm].

    References
    ----------
    .. [1] ISO 2768-1:1989 Table 2.
    """
    size = _check_length(size_mm, "size")
    column = _general_class(cls).value
    return _range_value(
        "iso2768_1_radius_chamfer", size, column, first_inclusive=True, what="radius/chamfer"
    )


def angular_deviation(
    shorter_leg_mm: float, cls: GeneralClass | str = GeneralClass.MEDIUM
) -> float:
    """Permissible deviation ± of an angle, by the length of its shorter leg.

    Parameters
    ----------
    shorter_leg_mm
        Length of the shorter leg of the angle [mm].
    cls
        ISO 2768-1 class f, m, c or v.

    Returns
    -------
    float
        The half-width of the angular tolerance [degrees] (e.g. 0.5 for ±0°30′).

    References
    ----------
    .. [1] ISO 2768-1:1989 Table 3.
    """
    leg = _check_length(shorter_leg_mm, "shorter_leg")
    column = f"{_general_class(cls).value}_arcmin"
    arcmin = _range_value(
        "iso2768_1_angular", leg, column, first_inclusive=True, what="angular", field="shorter_leg"
    )
    return arcmin / ARCMIN_PER_DEGREE


def geometric_tolerance(
    characteristic: GeometricCharacteristic | str,
    length_mm: float | None,
    cls: GeometricClass | str = GeometricClass.K,
) -> float:
    """General geometric tolerance of ISO 2768-2.

    Parameters
    ----------
    characteristic
        ``straightness``, ``flatness``, ``perpendicularity``, ``symmetry`` or
        ``circular_runout``.
    length_mm
        The length the table goes by [mm]: the line or the longer side of the surface
        (straightness, flatness), the shorter side (perpendicularity), the feature
        (symmetry); ignored for circular run-out, which is size-independent.
    cls
        ISO 2768-2 class H, K or L.

    Returns
    -------
    float
        Tolerance-zone width [mm].

    References
    ----------
    .. [1] ISO 2768-2:1989 Tables 1–4.
    """
    try:
        kind = GeometricCharacteristic(characteristic)
    except ValueError:
        valid = ", ".join(c.value for c in GeometricCharacteristic)
        raise InputError(
            "characteristic", f"must be one of {valid}; got {characteristic!r}"
        ) from None
    column = _geometric_class(cls).value
    if kind is GeometricCharacteristic.CIRCULAR_RUNOUT:
        length = 1.0
    else:
        if length_mm is None:
            raise InputError("length", f"is needed for a general {kind.value} tolerance")
        length = _check_length(length_mm, "length")
    return _range_value(
        "iso2768_2_geometric",
        length,
        column,
        first_inclusive=True,
        what=kind.value,
        field="length",
        rows_filter=_GEOMETRIC_ROW[kind],
    )


def general_tolerance(size_mm: float, general: str = DEFAULT_GENERAL_TOLERANCE) -> ToleranceSpec:
    """The ± tolerance ISO 2768-1 gives a linear size, as a :class:`ToleranceSpec`.

    Parameters
    ----------
    size_mm
        Nominal size [mm].
    general
        The drawing's general tolerance, e.g. ``"ISO 2768-m"`` or ``"ISO 2768-fH"``.

    Returns
    -------
    ToleranceSpec
        ±t [mm], ``designation`` the ISO 2768 text (e.g. ``"ISO 2768-m"``).

    References
    ----------
    .. [1] ISO 2768-1:1989 Table 1.
    """
    parsed = parse_general_tolerance(general)
    half = linear_deviation(size_mm, parsed.linear_class)
    return ToleranceSpec(
        upper_deviation=half,
        lower_deviation=-half,
        designation=f"ISO 2768-{parsed.linear_class.value}",
    )
