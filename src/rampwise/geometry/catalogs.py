"""Catalog look-ups of the geometry package: drill sizes and analysis parameters.

References
----------
.. [1] ``catalog/drill_sizes.csv`` (ISO 235, DIN 338/345, ASME B94.11M series) and
   ``catalog/geometry_parameters.csv``.
"""

from __future__ import annotations

import math
from functools import cache

from rampwise.catalog import load_table
from rampwise.core.errors import CatalogError


def geometry_parameter(name: str) -> float:
    """A number from ``catalog/geometry_parameters.csv`` (unit in its ``unit`` column)."""
    for row in load_table("geometry_parameters"):
        if row["name"] == name:
            return float(row["value"])
    raise CatalogError(f"no geometry parameter {name!r} in catalog/geometry_parameters.csv")


@cache
def _drill_sizes() -> tuple[tuple[float, str], ...]:
    sizes: list[tuple[float, str]] = []
    for row in load_table("drill_sizes"):
        low, high, step = float(row["from_mm"]), float(row["to_mm"]), float(row["step_mm"])
        count = 1 if step == 0 else round((high - low) / step) + 1
        for i in range(count):
            diameter = low + i * step
            label = row["designation"] or _size_label(row["series"], diameter)
            sizes.append((diameter, label))
    return tuple(sorted(sizes))


def _size_label(series: str, diameter: float) -> str:
    if series == "fractional":
        whole, rest = divmod(round(diameter / 25.4 * 64), 64)
        common = math.gcd(rest, 64)
        fraction = f"{rest // common}/{64 // common}" if rest else ""
        return " ".join(part for part in (str(whole) if whole else "", fraction) if part) + " in"
    return f"{diameter:.1f} mm"


def standard_drill(diameter_mm: float) -> str | None:
    """Designation of the catalog drill matching ``diameter_mm``, or None.

    Parameters
    ----------
    diameter_mm
        Hole diameter [mm].

    Returns
    -------
    str or None
        E.g. ``"6.8 mm"``, ``"7/16 in"``, ``"H"``, ``"#7"``; None when no catalog drill is
        within ``drill_match_tolerance_mm`` of ``catalog/geometry_parameters.csv``.

    References
    ----------
    .. [1] ``catalog/drill_sizes.csv`` (ISO 235, DIN 338/345, ASME B94.11M series).
    """
    tolerance = geometry_parameter("drill_match_tolerance_mm")
    best = min(_drill_sizes(), key=lambda size: abs(size[0] - diameter_mm))
    return best[1] if abs(best[0] - diameter_mm) <= tolerance else None


def largest_catalog_drill() -> float:
    """Largest drill diameter in the catalog [mm]."""
    return _drill_sizes()[-1][0]
