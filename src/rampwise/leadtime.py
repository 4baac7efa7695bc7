"""Lead time of an order in working days, as a critical path, per tier.

The order starts when three parallel tracks are done — material in the shop (or the
additive blank printed and stress-relieved), the order through the queue, and the CAM
program written — then runs in series: the process validation run (low volume and mass
production only: seed 003, "never skip the process validation run"; prototypes skip it),
machining (setup and cycle hours over the shop's spindle hours per day), finishing
(e.g. Type II anodize +2 days), inspection (first-article report for low volume and mass
production) and shipping. The total is rounded up to whole working days.

Tiers (expedite, standard, economy) change the queue, the spindle hours per day and the
shipping days (``catalog/lead_times.csv``); no price premium is applied for a tier (tier
multipliers are not published, research/quoting.md §1.1).

References
----------
.. [1] research/quoting.md §2.9 (prototype lead times 3–10 business days; material
   availability first on the critical path; Fictiv's fastest / standard / cost-effective
   tiers, slowest part governs, finish adds days), §6 item 9.
.. [2] Seed 003 (process validation run before the batch).
"""

from __future__ import annotations

import enum
import math

from pydantic import BaseModel, ConfigDict

from rampwise.model import Stage
from rampwise.shop import ShopConfig


class LeadTimeTier(enum.StrEnum):
    """Delivery tier: fastest, standard or cost-effective (Fictiv's three tiers)."""

    EXPEDITE = "expedite"
    STANDARD = "standard"
    ECONOMY = "economy"


class LeadTimeInputs(BaseModel):
    """Quantity-dependent work the lead time is made of.

    Attributes
    ----------
    material_category
        ``category`` of the material in ``materials.csv`` (keys ``material_days_*``).
    programming_hours
        CAM programming [h].
    machine_hours
        Setup, fixture making and cycle time of the whole batch [h].
    finish_name
        Finish applied, or ``None``.
    finish_days
        Days the finish adds [working days].
    stage
        Stage of the order (decides the validation run and the first-article report).
    additive_hours
        Printing time of the batch's additive blanks [h]; 0 when bar stock is used.
    """

    model_config = ConfigDict(frozen=True)

    material_category: str
    programming_hours: float
    machine_hours: float
    finish_name: str | None = None
    finish_days: float = 0.0
    stage: Stage
    additive_hours: float = 0.0


class LeadTime(BaseModel):
    """The critical path of one order in one tier.

    Attributes
    ----------
    tier
        The delivery tier.
    start_days
        Longest of material, queue and programming [working days].
    path
        The terms in order, each as ``(what, days)`` [working days].
    days
        Total rounded up [working days].
    """

    model_config = ConfigDict(frozen=True)

    tier: LeadTimeTier
    start_days: float
    path: tuple[tuple[str, float], ...]
    days: int

    def describe(self) -> str:
        """The path in words: ``"material 2 d → machining 1.1 d → … = 9 working days"``."""
        terms = " → ".join(f"{what} {days:.1f} d" for what, days in self.path if days > 0)
        return f"{terms} = {self.days} working days ({self.tier.value})"


def lead_time(inputs: LeadTimeInputs, tier: LeadTimeTier, shop: ShopConfig) -> LeadTime:
    """Working days from order to delivery for one tier.

    Parameters
    ----------
    inputs
        The work: programming [h], machine [h], additive [h], finish, stage.
    tier
        Delivery tier.
    shop
        ``lead_times`` terms per tier [working days, h/day].

    Returns
    -------
    LeadTime
        The path and its total, rounded up to whole working days (at least 1).

    References
    ----------
    .. [1] research/quoting.md §2.9; seed 003 (validation run).
    """
    start_days, path = _critical_path(inputs, tier, shop)
    return LeadTime(tier=tier, start_days=start_days, path=path, days=_whole_days(path))


def lead_time_days(inputs: LeadTimeInputs, shop: ShopConfig) -> dict[LeadTimeTier, int]:
    """Whole working days of every tier: :func:`lead_time`'s ``days`` without the path.

    A price ladder asks this for each of its breaks; the explained path is made once,
    for the order's own quantity and tier.
    """
    return {tier: _whole_days(_critical_path(inputs, tier, shop)[1]) for tier in LeadTimeTier}


def _critical_path(
    inputs: LeadTimeInputs, tier: LeadTimeTier, shop: ShopConfig
) -> tuple[float, tuple[tuple[str, float], ...]]:
    """Longest start track [working days] and the terms in order, each ``(what, days)``."""
    t = tier.value
    if inputs.additive_hours > 0:
        material = inputs.additive_hours / shop.lead("additive_hours_per_day", t) + shop.lead(
            "additive_post_days", t
        )
        material_label = "additive blanks"
    else:
        material = shop.lead(f"material_days_{inputs.material_category}", t)
        material_label = "material"
    starts = {
        material_label: material,
        "queue": shop.lead("queue_days", t),
        "programming": inputs.programming_hours / shop.lead("programming_hours_per_day", t),
    }
    first = max(starts, key=starts.__getitem__)
    validated = inputs.stage is not Stage.PROTOTYPE
    path = (
        (first, starts[first]),
        ("validation run", shop.lead("validation_run_days", t) if validated else 0.0),
        ("machining", inputs.machine_hours / shop.lead("spindle_hours_per_day", t)),
        (inputs.finish_name or "finishing", inputs.finish_days),
        ("first-article report", shop.lead("fai_days", t) if validated else 0.0),
        ("shipping", shop.lead("shipping_days", t)),
    )
    return starts[first], path


def _whole_days(path: tuple[tuple[str, float], ...]) -> int:
    """The path's total rounded up to whole working days, at least 1."""
    return max(1, math.ceil(math.fsum(days for _, days in path) - 1e-9))
