"""The quote of a project: price ladder, lead times, strategies and their break-even.

:func:`quote_project` prices every quantity break with the cheapest applicable set-up
strategy, explains each price in nine buckets (:mod:`rampwise.cost`), gives the lead time
per tier (:mod:`rampwise.leadtime`), compares the strategies with the default soft jaws
(:mod:`rampwise.strategies`) and lists the assumptions it made. :func:`unit_price_at` is
the readiness gate's cost-target check.

References
----------
.. [1] research/quoting.md §6 (what a best-in-class open quote should show).
.. [2] Seed 003 (fixture, tooling library, hybrid additive, validation run, inspection).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import cache

from pydantic import BaseModel, ConfigDict

from rampwise.cost import (
    DEFAULT_BREAKS,
    DRIVER_WORDS,
    CostBasis,
    Drivers,
    PricedUnit,
    QuotePlan,
    batch_work,
    check_quantities,
    inspection_schedule,
    plan_quote,
    price_unit,
    price_units,
    top_drivers,
    wright_mean_factor,
)
from rampwise.cycle_time import CycleTime, GeometryFacts, OperationAdder
from rampwise.errors import InputError
from rampwise.inspection import InspectionPlan
from rampwise.leadtime import (
    LeadTime,
    LeadTimeInputs,
    LeadTimeTier,
    lead_time,
    lead_time_days,
    tier_terms,
)
from rampwise.model import Project, Stage
from rampwise.process import Route
from rampwise.process_capability import in_words, route_rule
from rampwise.shop import ShopConfig, resolve_shop
from rampwise.stage import STAGE_ADJECTIVES
from rampwise.stock import Stock
from rampwise.strategies import DEFAULT_STRATEGY, StrategyName, break_even_quantity

__all__ = [
    "DEFAULT_BREAKS",
    "DRIVER_WORDS",
    "Drivers",
    "QuantityBreak",
    "Quote",
    "StrategyOption",
    "Uncertainty",
    "quote_project",
    "unit_price_at",
]

UNCERTAINTY_SOURCE = (
    "parametric cost estimators run at about ±25 % mean error: J. Intell. Manuf. (2021), "
    "doi 10.1007/s10845-021-01741-y"
)


class _Result(BaseModel):
    model_config = ConfigDict(frozen=True)


class QuantityBreak(_Result):
    """Price and lead time at one quantity.

    Attributes
    ----------
    quantity
        Pieces ordered.
    unit_price, total_price
        [currency/piece], [currency].
    lead_time_days
        Working days in the quote's tier.
    strategy
        The cheapest applicable strategy at this quantity, used for the price.
    drivers
        The nine buckets per unit [currency/piece].
    unit_price_low, unit_price_high
        The uncertainty band [currency/piece].
    top_drivers
        The three largest buckets in plain words.
    lead_time_tiers
        Working days per tier.
    cycle_time_min
        Batch-average machine time per part after learning [min].
    one_time_cost
        Programming, setup, fixture and first-article costs of the batch, with overhead
        and margin [currency]; the same at every quantity for one strategy.
    above_cnc_crossover
        At or above the quantity where moulding or casting may be cheaper.
    """

    quantity: int
    unit_price: float
    total_price: float
    lead_time_days: int
    strategy: StrategyName
    drivers: Drivers
    unit_price_low: float
    unit_price_high: float
    top_drivers: tuple[str, ...]
    lead_time_tiers: dict[LeadTimeTier, int]
    cycle_time_min: float
    one_time_cost: float
    above_cnc_crossover: bool


class StrategyOption(_Result):
    """One strategy against the default.

    Attributes
    ----------
    name
        The strategy.
    one_time_cost
        Its one-time costs with overhead and margin [currency]; ``None`` when it cannot
        be priced (no printable alloy for the hybrid route).
    per_part_cost
        Its unit price less the one-time share, at the order's quantity [currency/piece].
    break_even_quantity
        Smallest quantity at which its total price is no higher than soft jaws' [pieces];
        ``None`` for the default itself or when it never pays within 1,000,000 pcs.
    applies
        Whether it can be used for this order (the tooling library needs a repeat order,
        the hybrid route a printable metal).
    note
        What it is.
    """

    name: StrategyName
    one_time_cost: float | None
    per_part_cost: float | None
    break_even_quantity: int | None
    applies: bool
    note: str


class Uncertainty(_Result):
    """The band stated around every price [unitless fraction] and why."""

    fraction: float
    source: str


class Quote(_Result):
    """The explained quote of one project.

    ``model_dump_json()`` starts with the contract fields ``currency``, ``breaks``,
    ``strategies`` and ``assumptions``; the rest explains them.

    Attributes
    ----------
    currency
        Currency of every money figure.
    breaks
        One per quantity, ascending.
    strategies
        Every strategy against soft jaws (per-part cost at ``order_quantity``).
    assumptions
        What the price rests on, one sentence each.
    stage, tier
        The order's stage and the lead-time tier of ``lead_time_days``.
    order_quantity
        The project's own quantity [pieces].
    machine_class, stock, cycle_time
        Process, stock piece and the first-part cycle time in soft jaws.
    lead_time
        The critical path at ``order_quantity``.
    uncertainty
        The band around every price.
    notes
        Warnings to read next to the ladder (e.g. the moulding / casting cross-over).
    """

    currency: str
    breaks: tuple[QuantityBreak, ...]
    strategies: tuple[StrategyOption, ...]
    assumptions: tuple[str, ...]
    stage: Stage
    tier: LeadTimeTier
    order_quantity: int
    machine_class: str
    stock: Stock
    cycle_time: CycleTime
    lead_time: LeadTime
    uncertainty: Uncertainty
    notes: tuple[str, ...]

    def at(self, quantity: int) -> QuantityBreak:
        """The break for ``quantity``.

        Raises
        ------
        InputError
            If the quote has no such break.
        """
        for item in self.breaks:
            if item.quantity == quantity:
                return item
        quoted = ", ".join(str(b.quantity) for b in self.breaks)
        raise InputError("quantity", f"no break at {quantity}; quoted: {quoted}")


def quote_project(
    project: Project,
    *,
    stage: Stage,
    quantities: Sequence[int] = DEFAULT_BREAKS,
    shop: ShopConfig | None = None,
    geometry: GeometryFacts | None = None,
    route: Route | None = None,
    inspection: InspectionPlan | None = None,
    extra_operations: Sequence[OperationAdder] | None = None,
    machine: str | None = None,
    tier: LeadTimeTier = LeadTimeTier.STANDARD,
    quote_plan: QuotePlan | None = None,
) -> Quote:
    """Quote a project at every quantity break: explained price, lead time, strategies.

    Parameters
    ----------
    project
        The order.
    stage
        Its stage (from :func:`rampwise.assess.assess`).
    quantities
        Quantity breaks [pieces], whole and ≥ 1; sorted, repeats dropped.
    shop
        Rates and defaults; ``None`` reads ``RAMPWISE_SHOP`` or uses the catalog.
    geometry
        CAD facts replacing the envelope estimates.
    route
        The route to price; ``None`` plans it at ``stage``
        (:func:`rampwise.process.plan_route`, with the turnability and setups of
        ``geometry``).
    inspection
        The inspection plan to price (minutes per fully inspected part, first-article
        cost); ``None`` makes it at ``stage``
        (:func:`rampwise.inspection.inspection_plan`).
    extra_operations
        Operations to add; ``None`` times the route's extra finishing processes.
    machine
        Machine class (``mill_3axis``, ``mill_5axis``, ``lathe``, ``swiss``, ``grinder``,
        ``edm`` or a shop's); ``None`` takes the machine of the route's strategy.
    tier
        Lead-time tier of ``lead_time_days``.
    quote_plan
        The quantity-independent plan already made for this order at ``stage`` with
        ``shop`` (:func:`rampwise.cost.plan_quote`); ``None`` makes it from ``geometry``,
        ``route``, ``inspection``, ``extra_operations`` and ``machine``.

    Returns
    -------
    Quote
        Breaks priced with the cheapest applicable strategy at each quantity, the
        strategies with break-even quantities, assumptions and notes.

    Raises
    ------
    InputError
        Bad quantity, unknown machine class or finish, missing envelope, bad inputs.

    References
    ----------
    .. [1] research/quoting.md §6 items 1, 2, 7, 9; seed 003.
    """
    breaks_q = check_quantities(quantities)
    shop = shop or resolve_shop()
    plan = _given_or_planned(
        quote_plan,
        project,
        stage=stage,
        shop=shop,
        geometry=geometry,
        route=route,
        inspection=inspection,
        extra_operations=extra_operations,
        machine=machine,
    )
    category = project.part.material.category
    crossover = shop.default("cnc_crossover_min_pcs")
    band = shop.default("uncertainty_fraction")
    prices = _Prices(plan, breaks_q)
    terms = tier_terms(shop, category)

    def work(basis: CostBasis, quantity: int) -> LeadTimeInputs:
        return batch_work(
            basis, quantity, shop=shop, material_category=category, finish=plan.finish
        )

    breaks = []
    for q in breaks_q:
        basis, priced = prices.cheapest(q)
        unit = priced.price
        tiers = lead_time_days(work(basis, q), terms)
        breaks.append(
            QuantityBreak(
                quantity=q,
                unit_price=unit,
                total_price=unit * q,
                lead_time_days=tiers[tier],
                strategy=basis.spec.name,
                drivers=priced.drivers(),
                unit_price_low=unit * (1 - band),
                unit_price_high=unit * (1 + band),
                top_drivers=top_drivers(priced, q),
                lead_time_tiers=tiers,
                cycle_time_min=basis.cycle_min
                * wright_mean_factor(q, basis.learning_rate, basis.learning_floor),
                one_time_cost=basis.one_time_usd * basis.uplift,
                above_cnc_crossover=q >= crossover,
            )
        )
    order_basis, _ = prices.cheapest(project.quantity)
    order_lead = lead_time(work(order_basis, project.quantity), tier, shop)
    return Quote(
        currency=shop.currency,
        breaks=tuple(breaks),
        strategies=_strategy_options(prices, project.quantity),
        assumptions=_assumptions(project, stage, shop, plan, order_lead),
        stage=stage,
        tier=tier,
        order_quantity=project.quantity,
        machine_class=plan.machine.name,
        stock=plan.stock,
        cycle_time=plan.cycle_times[DEFAULT_STRATEGY],
        lead_time=order_lead,
        uncertainty=Uncertainty(fraction=band, source=UNCERTAINTY_SOURCE),
        notes=_notes(shop, plan, breaks_q),
    )


def _given_or_planned(
    quote_plan: QuotePlan | None,
    project: Project,
    *,
    stage: Stage,
    shop: ShopConfig | None,
    geometry: GeometryFacts | None,
    route: Route | None,
    inspection: InspectionPlan | None,
    extra_operations: Sequence[OperationAdder] | None = None,
    machine: str | None = None,
) -> QuotePlan:
    """``quote_plan`` when given, else :func:`rampwise.cost.plan_quote` of the rest.

    ``shop`` ``None`` reads ``RAMPWISE_SHOP`` or uses the catalog, and only when a plan
    has to be made.
    """
    if quote_plan is not None:
        return quote_plan
    return plan_quote(
        project,
        stage=stage,
        shop=shop or resolve_shop(),
        geometry=geometry,
        route=route,
        inspection=inspection,
        extra_operations=extra_operations,
        machine=machine,
    )


class _Prices:
    """The strategies of one plan priced on demand, each quantity once per strategy.

    A quote asks for the same prices several times: every applicable strategy at every
    break, again at the order's quantity (one of the breaks in the ladder of
    :func:`rampwise.assess.assess`) and at both ends of each break-even search. It lives
    for one quote.
    """

    def __init__(self, plan: QuotePlan, breaks: Sequence[int] = ()) -> None:
        """Price every applicable strategy at every quantity of ``breaks`` [pieces]."""
        self.plan = plan
        self.applicable = tuple(b for b in plan.bases.values() if b.spec.applies)
        self._priced: dict[tuple[StrategyName, int], PricedUnit] = {}
        for basis in self.applicable:
            name = basis.spec.name
            for q, priced in zip(breaks, price_units(basis, breaks), strict=True):
                self._priced[name, q] = priced

    def at(self, basis: CostBasis, quantity: int) -> PricedUnit:
        """``basis`` priced at ``quantity`` (:func:`rampwise.cost.price_unit`)."""
        key = (basis.spec.name, quantity)
        priced = self._priced.get(key)
        if priced is None:
            priced = self._priced[key] = price_unit(basis, quantity)
        return priced

    def total(self, basis: CostBasis) -> Callable[[int], float]:
        """Total price of ``basis`` as a function of quantity [currency]."""
        return lambda quantity: self.at(basis, quantity).price * quantity

    def cheapest(self, quantity: int) -> tuple[CostBasis, PricedUnit]:
        """The applicable strategy with the lowest unit price (soft jaws on a tie), priced."""
        priced = ((basis, self.at(basis, quantity)) for basis in self.applicable)
        return min(priced, key=lambda pair: pair[1].price)


def _strategy_options(prices: _Prices, order_quantity: int) -> tuple[StrategyOption, ...]:
    default = prices.plan.bases[DEFAULT_STRATEGY]
    options = []
    for name, basis in prices.plan.bases.items():
        priced = name is not StrategyName.HYBRID_AM or basis.spec.blank is not None
        one_time = basis.one_time_usd * basis.uplift
        unit = prices.at(basis, order_quantity).price
        options.append(
            StrategyOption(
                name=name,
                one_time_cost=one_time if priced else None,
                per_part_cost=unit - one_time / order_quantity if priced else None,
                break_even_quantity=None
                if name is DEFAULT_STRATEGY or not priced
                else break_even_quantity(prices.total(basis), prices.total(default)),
                applies=basis.spec.applies,
                note=basis.spec.note,
            )
        )
    return tuple(options)


def _money(value: float, currency: str) -> str:
    return f"{value:,.2f} {currency}"


@cache
def _schedule_words(stage: Stage) -> str:
    """The stage's inspection schedule in words (catalog tables only, so made once)."""
    bands = []
    for start, end, fraction in inspection_schedule()[stage]:
        parts = f"parts {start}–{end:.0f}" if end != float("inf") else f"parts {start}+"
        bands.append(f"{parts} {fraction:.0%}")
    return ", ".join(bands)


def _assumptions(
    project: Project, stage: Stage, shop: ShopConfig, plan: QuotePlan, order_lead: LeadTime
) -> tuple[str, ...]:
    """The assumptions behind the quote, one plain sentence each."""
    cur, part, m = shop.currency, project.part, plan.machine
    cycle = plan.cycle_times[DEFAULT_STRATEGY]
    default = plan.bases[DEFAULT_STRATEGY]
    shop_words = (
        f"overrides {', '.join(shop.overrides)}"
        if shop.overrides
        else "no shop file; --shop or RAMPWISE_SHOP overrides any figure"
    )
    validation = (
        "no first-article report or validation run"
        if stage is Stage.PROTOTYPE
        else f"first-article report {_money(plan.fai_usd, cur)}, "
        f"{shop.default('validation_run_parts'):g} validation part before the batch (seed 003)"
    )
    estimated = ", ".join(cycle.from_geometry) or "nothing"
    gauges = "; ".join(f"{g.characteristic}: {g.gauge}" for g in plan.inspection.gauges)
    finish = (
        f"{plan.finish.name} at {_money(plan.finish.price_usd_per_part, cur)}/part, lot minimum "
        f"{_money(plan.finish.lot_minimum_usd, cur)}, +{plan.finish.days:g} days"
        if plan.finish
        else "none (as machined)"
    )
    operations = "; ".join(in_words(op.name) for op in plan.operations) or (
        "none: the route's base processes hold every tolerance and roughness"
    )
    scrap_why = (
        " (seed 003: 12 % with the standard approach when a tolerance is finer than the "
        "route's base process holds)"
        if plan.tight_tolerance
        else ""
    )
    programming = (
        "reused from the earlier order (repeat order)"
        if project.repeat_order
        else f"{default.programming_hours:.1f} h of CAM programming"
    )
    return (
        f"Shop: {shop.name} ({shop_words}).",
        f"{STAGE_ADJECTIVES[stage].capitalize()} stage: inspection of {_schedule_words(stage)} "
        f"of the batch; {validation}.",
        f"Machine: {m.description} ({m.name}) at {_money(m.rate_usd_per_h, cur)}/h; setup at "
        f"{_money(shop.labour('setup'), cur)}/h plus the machine; programming "
        f"{_money(shop.labour('programming'), cur)}/h; operator "
        f"{_money(shop.labour('operator'), cur)}/h; inspection "
        f"{_money(shop.labour('inspection'), cur)}/h.",
        f"Stock: {plan.stock.designation} of {part.material.name} at "
        f"{_money(shop.material_price(part.material), cur)}/kg (price of "
        f"{part.material.price_date}), + {shop.default('saw_kerf_mm'):g} mm saw kerf and a "
        f"{shop.default('saw_cut_minutes'):g} min saw cut.",
        f"Cycle time {cycle.total_min:.1f} min for the first part in soft jaws (roughing "
        f"{cycle.roughing_min:.1f}, finishing {cycle.finishing_min:.1f}, features "
        f"{cycle.features_min:.1f}, tool changes {cycle.tool_changes_min:.1f}, added operations "
        f"{cycle.operations_min:.1f}, handling {cycle.handling_min:.1f}); {cycle.setups} "
        f"setups, {cycle.feature_count} features; from a CAD model: {estimated}.",
        f"Added operations: {operations}.",
        f"Learning: Wright {default.learning_rate:.0%} per doubling of quantity with a floor "
        f"at {default.learning_floor:.0%} of the first part's time (NASA/Stewart: 90–95 % for "
        "repetitive machining; plateau after Wong 2013).",
        f"Scrap: {default.scrap_rate:.0%} of parts made{scrap_why}.",
        f"Finish: {finish}.",
        f"Inspection: {plan.inspection_minutes:.1f} min per fully inspected part ({gauges}).",
        f"Programming: {programming}.",
        f"Overhead {default.overhead_rate:.0%} and margin {default.margin_rate:.0%} on every "
        f"cost; every price ±{shop.default('uncertainty_fraction'):.0%} ({UNCERTAINTY_SOURCE}).",
        f"Lead time at {project.quantity} pcs: {order_lead.describe()}.",
    )


def _notes(shop: ShopConfig, plan: QuotePlan, quantities: Sequence[int]) -> tuple[str, ...]:
    """Warnings a buyer should read next to the ladder."""
    notes = []
    low, high = shop.default("cnc_crossover_min_pcs"), shop.default("cnc_crossover_max_pcs")
    if max(quantities) >= low:
        notes.append(
            f"At {low:,.0f} pcs and above, injection moulding (plastics) or casting / forging "
            f"near-net blanks (metals) may be cheaper than CNC: the cross-over lies at "
            f"{low:,.0f}–{high:,.0f} pcs (makerverse.com via research/quoting.md §2.7). "
            "Not priced here."
        )
    if plan.thin_wall:
        notes.append(
            f"Walls under {route_rule('thin_wall_mm'):g} mm: potted in low-melting "
            f"alloy, +{shop.default('thin_wall_setup_minutes'):g} min setup (seed 003)."
        )
    if plan.tight_tolerance:
        notes.append(
            "A tolerance finer than the route's base process holds adds an operation, "
            "inspection time and scrap; ask whether it can open up (tolerance review, seed 004)."
        )
    return tuple(notes)


def unit_price_at(
    project: Project,
    quantity: int,
    *,
    stage: Stage,
    shop: ShopConfig | None = None,
    geometry: GeometryFacts | None = None,
    route: Route | None = None,
    inspection: InspectionPlan | None = None,
    quote_plan: QuotePlan | None = None,
) -> float:
    """Quoted unit price at one quantity [currency/piece] (the readiness gate's cost target).

    The price :func:`quote_project` gives that quantity, without the ladder's lead times,
    strategy comparison and assumptions.

    Parameters
    ----------
    project
        The order.
    quantity
        Pieces [pieces], whole and ≥ 1.
    stage
        The stage to price at.
    shop
        Rates and defaults; ``None`` reads ``RAMPWISE_SHOP`` or uses the catalog.
    geometry, route, inspection, quote_plan
        As for :func:`quote_project`.
    """
    (quantity,) = check_quantities((quantity,))
    plan = _given_or_planned(
        quote_plan,
        project,
        stage=stage,
        shop=shop,
        geometry=geometry,
        route=route,
        inspection=inspection,
    )
    _, priced = _Prices(plan).cheapest(quantity)
    return priced.price
