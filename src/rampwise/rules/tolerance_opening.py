"""Non-critical tolerances the route's base processes do not hold, and what opening them saves.

Seed 004 asks, before mass production, that "critical dimensions are defined and
non-critical tolerances are optimized". A non-critical characteristic whose drawing limit
needs a finishing operation beyond the base process (the route's
:attr:`rampwise.rules.process.Route.tight_characteristics`) is such a tolerance: opened to
the drawing's general tolerance (ISO 2768-1 for sizes, ISO 2768-2 for form and position),
it drops the operation, its setup and inspection time and the tight-tolerance scrap.

:func:`open_tolerance` writes the opened project; :class:`rampwise.pipeline.Plan` prices
it on the production plan and hands the :class:`ToleranceOpening` of each to the
readiness gate's ``tolerance_review`` area.

References
----------
.. [1] Seed 004: "Critical dimensions are defined and non-critical tolerances are
   optimized."
.. [2] Seed 003: the "tolerance paradox" — a tighter tolerance than function needs adds
   operations, inspection and scrap.
.. [3] ISO 2768-1:1989 and ISO 2768-2:1989 general tolerances.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from rampwise.core.model import Characteristic, CharacteristicKind, Project
from rampwise.rules.process_capability import in_words

__all__ = ["ToleranceOpening", "open_tolerance", "openable"]

_NOT_OPENED = frozenset(
    {CharacteristicKind.ROUGHNESS, CharacteristicKind.ANGLE, CharacteristicKind.THREAD}
)
"""Kinds without a general tolerance to open to (a roughness, an angle's class, a thread)."""


def openable(characteristic: Characteristic) -> bool:
    """Whether the drawing's limit can give way to the general tolerance."""
    return characteristic.kind not in _NOT_OPENED and not characteristic.critical


def open_tolerance(project: Project, characteristic_id: str) -> Project:
    """The project with one characteristic's drawing limit removed: the general tolerance applies.

    Parameters
    ----------
    project
        The order.
    characteristic_id
        Id of the characteristic to open, as text.
    """
    opened = tuple(
        c.model_copy(
            update={
                "tolerance": None,
                "upper_deviation": None,
                "lower_deviation": None,
                "designation": None,
                "min": None,
                "max": None,
            }
        )
        if str(c.id) == characteristic_id
        else c
        for c in project.part.characteristics
    )
    part = project.part.model_copy(update={"characteristics": opened})
    return project.model_copy(update={"part": part})


class ToleranceOpening(BaseModel):
    """One non-critical tolerance the base processes do not hold, opened and priced.

    Attributes
    ----------
    id, name
        The characteristic.
    tolerance_mm
        Its drawing tolerance or zone width [mm].
    operations
        The finishing operations it needs beyond the base process.
    opened_mm
        The general tolerance it would take [mm]; ``opened_source`` names it (ISO 2768-m).
    still_needs
        Operations the general tolerance would still need (empty: the base process holds
        it).
    quantity
        Pieces the saving is priced at: the cost target's quantity, else the order's.
    saving_per_part
        Unit price on the production plan less the unit price with the tolerance opened
        [currency/piece]; ``None`` when the part cannot be priced.
    currency
        Currency of the saving [ISO 4217 code].
    """

    model_config = ConfigDict(frozen=True)

    id: str
    name: str
    tolerance_mm: float
    operations: tuple[str, ...]
    opened_mm: float
    opened_source: str
    still_needs: tuple[str, ...]
    quantity: int
    saving_per_part: float | None
    currency: str

    def describe(self) -> str:
        """The finding in one sentence: what it needs, what opening it gives and saves."""
        needs = ", ".join(map(in_words, self.operations)) or "a process the catalog lacks"
        opened = f"{self.opened_source} ({self.opened_mm:.4g} mm)"
        if self.still_needs:
            still = ", ".join(map(in_words, self.still_needs))
            effect = f"opened to {opened} it would still need {still}"
        else:
            effect = f"opened to {opened} the base process holds it"
        saving = (
            ""
            if self.saving_per_part is None
            else f", saving {self.saving_per_part:,.2f} {self.currency} a part "
            f"({self.saving_per_part * self.quantity:,.0f} {self.currency} on "
            f"{self.quantity:,} pcs)"
        )
        return (
            f"#{self.id} {self.name} is not critical but its {self.tolerance_mm:.4g} mm needs "
            f"{needs}; {effect}{saving}"
        )
