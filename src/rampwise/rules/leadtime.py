"""Lead time of an order in working days, as a critical path, per tier.

The order starts when three parallel tracks are done — material in the shop (or the
additive blank printed and stress-relieved), the order through the queue, and the CAM
program written — then runs in series: the process validation run (low volume and mass
production only: seed 003, "never skip the process validation run"; prototypes skip it),
machining, finishing (e.g. Type II anodize +2 days), inspection (first-article report for
low volume and mass production, when the order makes a first article: a repeat order
whose earlier one stands makes none, AS9102B §4.6) and shipping. The total is rounded
up to whole working days.

Machining is capacity-aware: the shop has ``machines_<class>`` machines of the route's
class running ``shifts_per_day`` shifts of ``hours_per_shift`` (``catalog/capacity.csv``,
a small shop unless the shop file says otherwise). A batch spreads over as many of them
as each gets at least a full day's run: the setup is made on each in parallel (counted
once in the elapsed time), the cycle time divides among them. What the class makes in a
month is the capacity the readiness gate holds against the demand rate, and an order
larger than a month's demand ships in deliveries that follow it (:func:`delivery_schedule`).

Tiers (expedite, standard, economy) change the queue, the share of the shift hours the
order gets and the shipping days, and price the order: the expedite premium and the
economy discount are ``price_factor`` multiples of the standard price
(``catalog/lead_times.csv`` with their sources).

References
----------
.. [1] research/quoting.md §2.9 (prototype lead times 3–10 business days; material
   availability first on the critical path; Fictiv's fastest / standard / cost-effective
   tiers, slowest part governs, finish adds days), §6 item 9.
.. [2] Seed 003 (process validation run before the batch).
.. [3] Ford Phased PPAP, phase 3 capacity verification: demonstrated capacity ≥ planned
   volume (research/readiness.md §6).
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

HOURS_PER_DAY = 24.0
"""Hours in a day: the most a machine can run in one [h]."""

MINUTES_PER_HOUR = 60.0


class LeadTimeTier(Vocabulary):
    """Delivery tier: fastest, standard or cost-effective (Fictiv's three tiers)."""

    EXPEDITE = (
        "expedite",
        "Expedite",
        "The fastest tier at a premium: the shortest queue, overtime on the machines, fast "
        "shipping.",
    )
    STANDARD = "standard", "Standard", "The shop's usual queue, shifts, shipping and price."
    ECONOMY = (
        "economy",
        "Economy",
        "The cost-effective tier at a discount: a longer queue, the machines' idle hours.",
    )


class LeadTimeInputs(BaseModel):
    """Quantity-dependent work the lead time is made of.

    Attributes
    ----------
    material_category
        ``category`` of the material in ``materials.csv`` (keys ``material_days_*``).
    machine_class
        The route's machine class (``capacity.machines_<class>`` machines can run it).
    programming_hours
        CAM programming [h].
    machine_hours
        Setup, fixture making and cycle time of the whole batch [h].
    run_hours
        The part of ``machine_hours`` that divides among machines: the cycle time of the
        parts the batch makes [h]; the rest (setup, fixture, validation parts) is made once.
    finish_name
        Finish applied, or ``None``.
    finish_days
        Days the finish adds [working days].
    stage
        Stage of the order (decides the validation run and the first-article report).
    additive_hours
        Printing time of the batch's additive blanks [h]; 0 when bar stock is used.
    first_article
        Whether the order makes a first article (its inspection plan has the step, full
        or delta); a prototype never does, whatever this says.
    """

    model_config = ConfigDict(frozen=True)

    material_category: str
    machine_class: str
    programming_hours: float
    machine_hours: float
    run_hours: float = 0.0
    finish_name: str | None = None
    finish_days: float = 0.0
    stage: Stage
    additive_hours: float = 0.0
    first_article: bool = True


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
    """A shop's lead-time figures of one tier for one material category and machine class.

    The quantity-independent half of the critical path (``catalog/lead_times.csv``,
    ``catalog/capacity.csv`` and the shop file's overrides), read once per quote.

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
    machine_hours_per_day
        Hours one machine gives the order per working day: shifts × hours per shift ×
        the tier's ``capacity_share``, at most 24 [h per working day].
    machines
        Machines of the class that can run the order [machines].
    fai_days
        The first-article report [working days].
    shipping_days
        Shipping [working days].
    price_factor
        The tier's price as a multiple of the standard price [unitless].
    """

    tier: LeadTimeTier
    material_days: float
    additive_hours_per_day: float
    additive_post_days: float
    queue_days: float
    programming_hours_per_day: float
    validation_run_days: float
    machine_hours_per_day: float
    machines: int
    fai_days: float
    shipping_days: float
    price_factor: float

    def machines_used(self, run_hours: float) -> int:
        """Machines a batch of ``run_hours`` [h] is spread over [machines].

        As many as each gets at least a full working day's run, at least one and at most
        the class's machines (rampwise rule: a machine is set up for an order only when it
        has a day's work on it).
        """
        return max(1, min(self.machines, math.floor(run_hours / self.machine_hours_per_day)))

    def machining_days(self, inputs: LeadTimeInputs) -> float:
        """Elapsed machining of a batch [working days]: setup once, the run divided.

        The setup, fixture and validation parts (``machine_hours − run_hours``) are made
        on every machine in parallel, so they count once; the run divides among
        :meth:`machines_used`.
        """
        once = inputs.machine_hours - inputs.run_hours
        return (once + inputs.run_hours / self.machines_used(inputs.run_hours)) / (
            self.machine_hours_per_day
        )


def tier_terms(
    shop: ShopConfig, material_category: str, machine_class: str
) -> tuple[TierTerms, ...]:
    """The lead-time figures of every tier, fastest first, for one material and machine.

    Parameters
    ----------
    shop
        ``lead_times`` terms per tier [working days, h/day, unitless] and ``capacity``.
    material_category
        ``category`` of the material in ``materials.csv``.
    machine_class
        The route's machine class.
    """
    return tuple(_tier_terms(shop, tier, material_category, machine_class) for tier in LeadTimeTier)


def _tier_terms(
    shop: ShopConfig, tier: LeadTimeTier, material_category: str, machine_class: str
) -> TierTerms:
    t = tier.value
    shift_hours = shop.capacity["shifts_per_day"] * shop.capacity["hours_per_shift"]
    return TierTerms(
        tier=tier,
        material_days=shop.lead(f"material_days_{material_category}", t),
        additive_hours_per_day=shop.lead("additive_hours_per_day", t),
        additive_post_days=shop.lead("additive_post_days", t),
        queue_days=shop.lead("queue_days", t),
        programming_hours_per_day=shop.lead("programming_hours_per_day", t),
        validation_run_days=shop.lead("validation_run_days", t),
        machine_hours_per_day=min(HOURS_PER_DAY, shift_hours * shop.lead("capacity_share", t)),
        machines=shop.machines_of(machine_class),
        fai_days=shop.lead("fai_days", t),
        shipping_days=shop.lead("shipping_days", t),
        price_factor=shop.lead("price_factor", t),
    )


def lead_time(inputs: LeadTimeInputs, tier: LeadTimeTier, shop: ShopConfig) -> LeadTime:
    """Working days from order to delivery for one tier.

    Parameters
    ----------
    inputs
        The work: programming [h], machine [h], run [h], additive [h], finish, stage.
    tier
        Delivery tier.
    shop
        ``lead_times`` terms per tier [working days, h/day] and ``capacity``.

    Returns
    -------
    LeadTime
        The path and its total, rounded up to whole working days (at least 1).

    References
    ----------
    .. [1] research/quoting.md §2.9; seed 003 (validation run).
    """
    terms = _tier_terms(shop, tier, inputs.material_category, inputs.machine_class)
    first, days = _path_days(inputs, terms)
    machines = terms.machines_used(inputs.run_hours)
    labels = (
        first,
        "validation run",
        f"machining on {machines} machines" if machines > 1 else "machining",
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
        The work: programming [h], machine [h], run [h], additive [h], finish, stage.
    terms
        The tiers' figures for ``inputs.material_category`` and ``inputs.machine_class``
        (:func:`tier_terms`).
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
        terms.machining_days(inputs),
        inputs.finish_days,
        terms.fai_days if validated and inputs.first_article else 0.0,
        terms.shipping_days,
    )


def _whole_days(days: tuple[float, ...]) -> int:
    """A path's total rounded up to whole working days, at least 1."""
    return max(1, math.ceil(math.fsum(days) - 1e-9))


class Capacity(BaseModel):
    """What the shop's machines of one class make in a month at the standard tier.

    Attributes
    ----------
    machine_class
        The route's machine class.
    machines
        Machines of the class that can run the order [machines].
    shifts_per_day
        Shifts a working day [shifts].
    hours_per_shift
        Hours of a shift [h].
    working_days_per_month
        Working days of a month [working days].
    minutes_per_part
        Machine time per good part, batch average: learning and scrap included [min].
    pieces_per_month
        Good parts a month on every machine of the class:
        machines × shifts × hours × 60 × working days ÷ ``minutes_per_part`` [pieces/month].
    """

    model_config = ConfigDict(frozen=True)

    machine_class: str
    machines: int
    shifts_per_day: int
    hours_per_shift: float
    working_days_per_month: float
    minutes_per_part: float
    pieces_per_month: float

    def describe(self) -> str:
        """``"1,234 pcs a month on 3 mill_3axis × 2 shifts × 7.5 h (46.3 min a part)"``."""
        return (
            f"{self.pieces_per_month:,.0f} pcs a month on {self.machines} {self.machine_class} "
            f"× {self.shifts_per_day} shifts × {self.hours_per_shift:g} h × "
            f"{self.working_days_per_month:g} days ({self.minutes_per_part:.1f} min of machine "
            "time a good part)"
        )


class Delivery(BaseModel):
    """One scheduled delivery: ``pieces`` shipped on working day ``day`` after the order."""

    model_config = ConfigDict(frozen=True)

    pieces: int
    day: int


class DeliverySchedule(BaseModel):
    """An order shipped in deliveries of one month's demand each, against the capacity.

    Attributes
    ----------
    tier
        The delivery tier of the days.
    demand_per_month
        The demand rate the deliveries follow [pieces/month].
    demand_basis
        Where the rate comes from, in words (``"mean of 8 monthly periods"``).
    capacity
        What the class's machines make in a month at the standard tier.
    meets_demand
        Whether that capacity is at least the demand rate (Ford phased PPAP phase 3:
        demonstrated capacity ≥ planned volume).
    deliveries
        The deliveries in order; their pieces sum to the order quantity.
    """

    model_config = ConfigDict(frozen=True)

    tier: LeadTimeTier
    demand_per_month: float
    demand_basis: str
    capacity: Capacity
    meets_demand: bool
    deliveries: tuple[Delivery, ...]

    def describe(self) -> str:
        """The deliveries and the capacity against the demand, in words."""
        first, last = self.deliveries[0], self.deliveries[-1]
        if len(self.deliveries) == 1:
            shipped = f"one delivery of {first.pieces:,} pcs on day {first.day}"
        else:
            shipped = (
                f"{len(self.deliveries)} deliveries of up to {first.pieces:,} pcs following the "
                f"demand, the first on day {first.day}, the last on day {last.day}"
            )
        verdict = "meets" if self.meets_demand else "falls short of"
        return (
            f"demand {self.demand_per_month:,.0f} pcs a month ({self.demand_basis}); capacity "
            f"{self.capacity.describe()} {verdict} it; {shipped} ({self.tier.value})"
        )


def capacity(inputs: LeadTimeInputs, quantity: int, shop: ShopConfig) -> Capacity:
    """Good parts a month on all the shop's machines of the route's class, standard tier.

    Parameters
    ----------
    inputs
        The work of a batch of ``quantity``: its ``run_hours`` [h] give the machine time
        per good part (learning and scrap included).
    quantity
        Good parts of that batch [pieces].
    shop
        ``capacity`` (machines, shifts, hours, working days) and the standard tier's
        ``capacity_share``.

    Returns
    -------
    Capacity
        ``pieces_per_month`` = machines × machine hours a day × 60 × working days ÷ minutes
        per part.

    References
    ----------
    .. [1] Ford Phased PPAP phase 3, capacity verification (research/readiness.md §6).
    """
    terms = _tier_terms(shop, LeadTimeTier.STANDARD, inputs.material_category, inputs.machine_class)
    minutes = inputs.run_hours * MINUTES_PER_HOUR / quantity
    days = shop.capacity["working_days_per_month"]
    hours = terms.machines * terms.machine_hours_per_day * days
    return Capacity(
        machine_class=inputs.machine_class,
        machines=terms.machines,
        shifts_per_day=int(shop.capacity["shifts_per_day"]),
        hours_per_shift=shop.capacity["hours_per_shift"],
        working_days_per_month=days,
        minutes_per_part=minutes,
        pieces_per_month=hours * MINUTES_PER_HOUR / minutes if minutes > 0 else math.inf,
    )


def delivery_schedule(
    inputs: LeadTimeInputs,
    quantity: int,
    demand: tuple[float, str],
    tier: LeadTimeTier,
    shop: ShopConfig,
) -> DeliverySchedule:
    """The order shipped in deliveries of a month's demand, each when made and due.

    Lot *k* (one month's demand, the last one the rest) is ready when the batch has been
    machined up to it — the order's start, validation run, setup, the run of the pieces up
    to lot *k* on :meth:`TierTerms.machines_used` machines, finishing, first-article report
    and shipping — and due a month after lot *k − 1* (the first is due when ready). It
    ships on the later of the two, rounded up to whole working days.

    Parameters
    ----------
    inputs
        The work of the whole order.
    quantity
        The order [pieces].
    demand
        The demand rate [pieces/month] and its basis in words
        (:meth:`rampwise.core.model.Demand.per_month`).
    tier
        Delivery tier.
    shop
        ``lead_times`` terms and ``capacity``.

    Returns
    -------
    DeliverySchedule
        One delivery when the order is at most a month's demand.
    """
    rate, basis = demand
    terms = _tier_terms(shop, tier, inputs.material_category, inputs.machine_class)
    _, path = _path_days(inputs, terms)
    start, validation, _, finish, fai, shipping = path
    machines = terms.machines_used(inputs.run_hours)
    once = inputs.machine_hours - inputs.run_hours
    lot = max(1, math.ceil(rate))
    month = shop.capacity["working_days_per_month"]
    deliveries: list[Delivery] = []
    made = 0
    while made < quantity:
        pieces = min(lot, quantity - made)
        made += pieces
        run = inputs.run_hours * made / quantity / machines
        machining = (once + run) / terms.machine_hours_per_day
        ready = _whole_days((start, validation, machining, finish, fai, shipping))
        due = deliveries[-1].day + month if deliveries else ready
        deliveries.append(Delivery(pieces=pieces, day=max(ready, math.ceil(due - 1e-9))))
    made_in_month = capacity(inputs, quantity, shop)
    return DeliverySchedule(
        tier=tier,
        demand_per_month=rate,
        demand_basis=basis,
        capacity=made_in_month,
        meets_demand=made_in_month.pieces_per_month >= rate,
        deliveries=tuple(deliveries),
    )
