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

import math
from collections.abc import Sequence
from dataclasses import dataclass
from operator import itemgetter

from pydantic import BaseModel, ConfigDict

from rampwise.core.model import Stage
from rampwise.core.shop import ShopConfig
from rampwise.core.vocabulary import Vocabulary


class LeadTimeTier(Vocabulary):
    """Delivery tier: fastest, standard or cost-effective (Fictiv's three tiers)."""

    EXPEDITE = (
        "expedite",
        "Expedite",
        "The fastest tier: the shortest queue, the most spindle hours a day, fast shipping.",
    )
    STANDARD = "standard", "Standard", "The shop's usual queue, spindle hours and shipping."
    ECONOMY = (
        "economy",
        "Economy",
        "The cost-effective tier: a longer queue and fewer spindle hours a day.",
    )


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


@dataclass(frozen=True, slots=True)
class TierTerms:
    """A shop's lead-time figures of one tier for one material category.

    The quantity-independent half of the critical path (``catalog/lead_times.csv`` and
    the shop file's overrides), read once per quote.

    Attributes
    ----------
    tier
        The delivery tier.
    material_days
        Material in the shop, ``material_days_<category>`` [working days].
    additive_hours_per_day, additive_post_days
        Printing rate [h per working day] and post-processing [working days] of
        additive blanks.
    queue_days
        The order through the queue [working days].
    programming_hours_per_day
        CAM programming rate [h per working day].
    validation_run_days
        The process validation run [working days].
    spindle_hours_per_day
        Machine hours per working day [h per working day].
    fai_days
        The first-article report [working days].
    shipping_days
        Shipping [working days].
    """

    tier: LeadTimeTier
    material_days: float
    additive_hours_per_day: float
    additive_post_days: float
    queue_days: float
    programming_hours_per_day: float
    validation_run_days: float
    spindle_hours_per_day: float
    fai_days: float
    shipping_days: float


def tier_terms(shop: ShopConfig, material_category: str) -> tuple[TierTerms, ...]:
    """The lead-time figures of every tier, fastest first, for one material category.

    Parameters
    ----------
    shop
        ``lead_times`` terms per tier [working days, h/day].
    material_category
        ``category`` of the material in ``materials.csv``.
    """
    return tuple(_tier_terms(shop, tier, material_category) for tier in LeadTimeTier)


def _tier_terms(shop: ShopConfig, tier: LeadTimeTier, material_category: str) -> TierTerms:
    t = tier.value
    return TierTerms(
        tier=tier,
        material_days=shop.lead(f"material_days_{material_category}", t),
        additive_hours_per_day=shop.lead("additive_hours_per_day", t),
        additive_post_days=shop.lead("additive_post_days", t),
        queue_days=shop.lead("queue_days", t),
        programming_hours_per_day=shop.lead("programming_hours_per_day", t),
        validation_run_days=shop.lead("validation_run_days", t),
        spindle_hours_per_day=shop.lead("spindle_hours_per_day", t),
        fai_days=shop.lead("fai_days", t),
        shipping_days=shop.lead("shipping_days", t),
    )


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
    first, days = _path_days(inputs, _tier_terms(shop, tier, inputs.material_category))
    labels = (
        first,
        "validation run",
        "machining",
        inputs.finish_name or "finishing",
        "first-article report",
        "shipping",
    )
    return LeadTime(
        tier=tier,
        start_days=days[0],
        path=tuple(zip(labels, days, strict=True)),
        days=_whole_days(days),
    )


def lead_time_days(inputs: LeadTimeInputs, terms: Sequence[TierTerms]) -> dict[LeadTimeTier, int]:
    """Whole working days per tier: :func:`lead_time`'s ``days`` without the path.

    A price ladder asks this for each of its breaks, with the terms of
    :func:`tier_terms` read once for the quote; the explained path is made once, for the
    order's own quantity and tier.

    Parameters
    ----------
    inputs
        The work: programming [h], machine [h], additive [h], finish, stage.
    terms
        The tiers' figures for ``inputs.material_category`` (:func:`tier_terms`).
    """
    return {t.tier: _whole_days(_path_days(inputs, t)[1]) for t in terms}


def _path_days(inputs: LeadTimeInputs, terms: TierTerms) -> tuple[str, tuple[float, ...]]:
    """The longest start track's name and the path's terms in order [working days].

    The terms: that track, validation run, machining, finishing, first-article report,
    shipping.
    """
    if inputs.additive_hours > 0:
        material = inputs.additive_hours / terms.additive_hours_per_day + terms.additive_post_days
        material_label = "additive blanks"
    else:
        material = terms.material_days
        material_label = "material"
    starts = (
        (material_label, material),
        ("queue", terms.queue_days),
        ("programming", inputs.programming_hours / terms.programming_hours_per_day),
    )
    first, start = max(starts, key=itemgetter(1))
    validated = inputs.stage is not Stage.PROTOTYPE
    return first, (
        start,
        terms.validation_run_days if validated else 0.0,
        inputs.machine_hours / terms.spindle_hours_per_day,
        inputs.finish_days,
        terms.fai_days if validated else 0.0,
        terms.shipping_days,
    )


def _whole_days(days: tuple[float, ...]) -> int:
    """A path's total rounded up to whole working days, at least 1."""
    return max(1, math.ceil(math.fsum(days) - 1e-9))
