"""The lengths of a route in the user's unit, as the terminal and the pages print them.

The digits and the unit rule are :mod:`rampwise.core.units`'; this module knows which
fields of a route row make its limit and which of a gauge choice its figures, so the
terminal tables and the pages read the same text.
"""

from __future__ import annotations

from typing import Any

from rampwise.core.model import CharacteristicKind
from rampwise.core.units import limit_text, quantity_text, roughness_text, tolerance_text
from rampwise.rules.inspection import GaugeChoice
from rampwise.rules.process import CharacteristicRoute

__all__ = ["characteristic_limit", "gauge_figures"]


def characteristic_limit(row: CharacteristicRoute, unit: Any) -> str:
    """A route row's requirement in ``unit``: the size as drawn, a zone, or an Ra limit.

    A size with its nominal and deviations reads as drawn (``"Ø0.5000 in ±0.0002 in
    (12.700 mm ±0.0051 mm)"``, Ø before a diameter); a zone width or a general tolerance
    as its width; an angle in degrees whatever the unit; ``"—"`` when there is none.

    Parameters
    ----------
    row
        One characteristic of the route [mm, µm].
    unit
        Display unit (``"mm"``, ``"in"``, a :class:`~rampwise.core.units.LengthUnit`).
    """
    if row.ra_max_um is not None:
        return f"Ra {roughness_text(row.ra_max_um, unit)}"
    if row.tolerance_mm is None:
        return "—"
    if row.kind is CharacteristicKind.ANGLE:
        return f"{row.tolerance_mm:.3g}°"
    if (
        row.nominal_mm is not None
        and row.upper_deviation_mm is not None
        and row.lower_deviation_mm is not None
    ):
        sign = "Ø" if row.kind is CharacteristicKind.DIAMETER else ""
        return sign + limit_text(
            row.nominal_mm, row.upper_deviation_mm, row.lower_deviation_mm, unit
        )
    return tolerance_text(row.tolerance_mm, unit)


def gauge_figures(gauge: GaugeChoice, unit: Any) -> str:
    """A gauge's uncertainty and the tolerance it is judged on, in ``unit``.

    ``"±0.0001 in (0.0025 mm) on 0.0004 in (0.0102 mm)"``; empty for an attribute gauge
    on a characteristic without a tolerance.

    Parameters
    ----------
    gauge
        The inspection plan's choice [``gauge.unit``: mm, µm or °].
    unit
        Display unit (``"mm"``, ``"in"``, a :class:`~rampwise.core.units.LengthUnit`).
    """
    figures = []
    if gauge.uncertainty is not None:
        figures.append(f"±{quantity_text(gauge.uncertainty, gauge.unit, unit)}")
    if gauge.tolerance is not None:
        figures.append(f"on {quantity_text(gauge.tolerance, gauge.unit, unit)}")
    return " ".join(figures)
