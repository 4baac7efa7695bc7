"""The quote of a project: price ladder, lead times, strategies and their break-even.

:func:`quote_project` prices every quantity break on the plan that quantity would run
under (a :class:`rampwise.rules.cost.QuotePlan` per stage, made once by
:class:`rampwise.pipeline.Plan`) with the cheapest strategy that plan's route allows,
explains each price in nine buckets (:mod:`rampwise.rules.cost`), gives the price and lead
time per tier (:mod:`rampwise.rules.leadtime`; the expedite premium and economy discount of
``catalog/lead_times.csv``) and the deliveries that follow the demand rate, compares the
strategies with soft jaws (:mod:`rampwise.rules.strategies`) and lists the assumptions it
made.

References
----------
.. [1] research/quoting.md §6 (what a best-in-class open quote should show).
.. [2] Seed 003 (fixture, tooling library, hybrid additive, validation run, inspection).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from pydantic import BaseModel, ConfigDict

from rampwise.core.errors import InputError
from rampwise.core.model import Project, Stage
from rampwise.core.shop import CATALOG_CURRENCY, ShopConfig
from rampwise.core.stock import Stock
from rampwise.rules.cost import (
    DEFAULT_BREAKS,
    DRIVER_WORDS,
    CostBasis,
    Drivers,
    PricedUnit,
    QuotePlan,
    batch_work,
    check_quantities,
    price_units,
    top_drivers,
    wright_mean_factor,
)
from rampwise.rules.cycle_time import CycleTime
from rampwise.rules.leadtime import (
    DeliverySchedule,
    LeadTime,
    LeadTimeInputs,
    LeadTimeTier,
    TierTerms,
    delivery_schedule,
    lead_time,
    lead_time_days,
    tier_terms,
)
from rampwise.rules.process_capability import in_words
from rampwise.rules.scrap import ScrapBasis
from rampwise.rules.strategies import (
    DEFAULT_STRATEGY,
    StrategyName,
    break_even_quantity,
    cheapest,
)

__all__ = [
    "DEFAULT_BREAKS",
    "DRIVER_WORDS",
    "Drivers",
    "PriceBook",
    "QuantityBreak",
    "Quote",
    "StrategyOption",
    "Uncertainty",
    "order_deliveries",
    "quote_project",
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
    stage
        The stage whose plan (route, inspection, validation run) this quantity runs under
        and is priced on: the order's stage at the order quantity.
    unit_price, total_price
        In the quote's tier: the standard price × the tier's ``price_factor``
        [currency/piece], [currency].
    lead_time_days
        Working days in the quote's tier.
    strategy
        The cheapest strategy the stage's route allows at this quantity, used for the
        price; at the order quantity, the route's workholding.
    drivers
        The nine buckets per unit at the standard price [currency/piece]; with
        ``tier_premium`` they sum to ``unit_price``.
    unit_price_low, unit_price_high
        The uncertainty band [currency/piece].
    top_drivers
        The three largest buckets in plain words.
    lead_time_tiers
        Working days per tier.
    unit_price_tiers
        Unit price per tier [currency/piece].
    tier_premium
        The quote's tier's premium (expedite, > 0) or discount (economy, < 0) on the
        standard unit price [currency/piece].
    cycle_time_min
        Batch-average machine time per part after learning [min].
    one_time_cost
        Programming, setup, fixture and first-article costs of the batch (a sacrificial
        validation part's inspection with the first article), with overhead and margin
        [currency]; the same at every quantity for one strategy.
    above_cnc_crossover
        At or above the quantity where moulding or casting may be cheaper.
    """

    quantity: int
    stage: Stage
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
    unit_price_tiers: dict[LeadTimeTier, float] = {}
    tier_premium: float = 0.0


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
        ``None`` for the default itself, for a strategy the route does not allow here, or
        when it never pays within 1,000,000 pcs.
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
        Process, stock piece and the first-part cycle time with the workholding that
        holds the order (the cheapest allowed strategy at ``order_quantity``).
    lead_time
        The critical path at ``order_quantity``.
    uncertainty
        The band around every price.
    notes
        Warnings to read next to the ladder (e.g. the moulding / casting cross-over).
    deliveries
        The order in deliveries that follow the demand rate, with the capacity they are
        made on; ``None`` when the project gives no demand.
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
    deliveries: DeliverySchedule | None = None

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
    book_at: Callable[[int], PriceBook],
    quantities: Sequence[int] = DEFAULT_BREAKS,
    shop: ShopConfig,
    tier: LeadTimeTier = LeadTimeTier.STANDARD,
) -> Quote:
    """Quote a project at every quantity break: explained price, lead time, strategies.

    Parameters
    ----------
    project
        The order.
    book_at
        The prices of the quote plan a quantity [pieces] runs under
        (:meth:`rampwise.pipeline.Plan.prices`): its stage's route, inspection plan and
        validation run, planned once per stage.
    quantities
        Quantity breaks [pieces], whole and ≥ 1; sorted, repeats dropped.
    shop
        Rates and defaults (the same shop that made the plans).
    tier
        Lead-time tier of ``lead_time_days`` and ``unit_price``.

    Returns
    -------
    Quote
        Breaks priced with the cheapest allowed strategy at each quantity, each on its
        stage's plan, in every tier; the strategies with break-even quantities, assumptions
        and notes of the order's own plan, and its deliveries when the demand is given.

    Raises
    ------
    InputError
        Bad quantity.

    References
    ----------
    .. [1] research/quoting.md §6 items 1, 2, 7, 9; seed 003.
    """
    breaks_q = check_quantities(quantities)
    order_prices = book_at(project.quantity)
    order = order_prices.plan
    category = project.part.material.category
    crossover = shop.default("cnc_crossover_min_pcs")
    band = shop.default("uncertainty_fraction")
    terms: dict[str, tuple[TierTerms, ...]] = {}

    def work(plan: QuotePlan, basis: CostBasis, quantity: int) -> LeadTimeInputs:
        return batch_work(
            basis,
            quantity,
            material_category=category,
            machine_class=plan.machine.name,
            finish=plan.finish,
        )

    books = {q: book_at(q) for q in breaks_q}
    for book in {id(b): b for b in books.values()}.values():
        book.prime([q for q in breaks_q if books[q] is book])
    breaks = []
    for q in breaks_q:
        book = books[q]
        plan = book.plan
        basis, priced = book.cheapest(q)
        machine_terms = terms.get(plan.machine.name)
        if machine_terms is None:
            machine_terms = terms[plan.machine.name] = tier_terms(shop, category, plan.machine.name)
        prices = {t.tier: priced.price * t.price_factor for t in machine_terms}
        unit = prices[tier]
        tiers = lead_time_days(work(plan, basis, q), machine_terms)
        breaks.append(
            QuantityBreak(
                quantity=q,
                stage=plan.stage,
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
                one_time_cost=basis.one_time_cost * basis.uplift,
                above_cnc_crossover=q >= crossover,
                unit_price_tiers=prices,
                tier_premium=unit - priced.price,
            )
        )
    order_basis, _ = order_prices.cheapest(project.quantity)
    order_lead = lead_time(work(order, order_basis, project.quantity), tier, shop)
    deliveries = order_deliveries(project, order_prices, shop, tier)
    return Quote(
        currency=shop.currency,
        breaks=tuple(breaks),
        strategies=_strategy_options(order_prices, project.quantity),
        assumptions=_assumptions(
            project, shop, order, order_lead, tier, deliveries, held=order_basis.spec.name
        ),
        stage=order.stage,
        tier=tier,
        order_quantity=project.quantity,
        machine_class=order.machine.name,
        stock=order.stock,
        cycle_time=order.cycle_times[order_basis.spec.name],
        lead_time=order_lead,
        uncertainty=Uncertainty(fraction=band, source=UNCERTAINTY_SOURCE),
        notes=_notes(shop, order, breaks_q),
        deliveries=deliveries,
    )


def order_deliveries(
    project: Project,
    book: PriceBook,
    shop: ShopConfig,
    tier: LeadTimeTier = LeadTimeTier.STANDARD,
) -> DeliverySchedule | None:
    """The order in deliveries that follow the project's demand rate, on ``book``'s plan.

    The work is the batch of the order quantity priced with the cheapest strategy the
    plan allows (the route's workholding); the quote shows it for the order's plan and
    the readiness gate judges it on the mass-production plan.

    Parameters
    ----------
    project
        The order and its demand (monthly, quarterly or annual).
    book
        The prices of the plan the order runs under.
    shop
        ``lead_times`` and ``capacity``.
    tier
        Delivery tier of the days.

    Returns
    -------
    DeliverySchedule or None
        ``None`` when the project gives no demand.
    """
    demand = project.demand.per_month()
    if demand is None:
        return None
    basis, _ = book.cheapest(project.quantity)
    work = batch_work(
        basis,
        project.quantity,
        material_category=project.part.material.category,
        machine_class=book.plan.machine.name,
        finish=book.plan.finish,
    )
    return delivery_schedule(work, project.quantity, demand, tier, shop)


class PriceBook:
    """The strategies of one quote plan priced on demand, each quantity once per strategy.

    One book per plan serves the whole assessment: the route's workholding (the cheapest
    allowed strategy at the order quantity), the gate's price at the cost target, every
    break of the ladder and both ends of each break-even search ask it the same prices.
    """

    def __init__(self, plan: QuotePlan) -> None:
        self.plan = plan
        self.applicable = tuple(b for b in plan.bases.values() if b.spec.applies)
        self._priced: dict[tuple[StrategyName, int], PricedUnit] = {}
        self._inspection: dict[int, float] = {}

    def at(self, basis: CostBasis, quantity: int) -> PricedUnit:
        """``basis`` priced at ``quantity`` (:func:`rampwise.rules.cost.price_units`)."""
        key = (basis.spec.name, quantity)
        priced = self._priced.get(key)
        if priced is None:
            (priced,) = price_units(basis, (quantity,), (self._inspection_cost(quantity),))
            self._priced[key] = priced
        return priced

    def prime(self, quantities: Sequence[int]) -> None:
        """Price every allowed strategy at ``quantities`` [pieces], one pass per strategy.

        A ladder asks every strategy at each of its breaks; priced together, each basis'
        figures are read once for all of them.
        """
        for basis in self.applicable:
            name = basis.spec.name
            missing = [q for q in quantities if (name, q) not in self._priced]
            inspected = [self._inspection_cost(q) for q in missing]
            for q, priced in zip(missing, price_units(basis, missing, inspected), strict=True):
                self._priced[(name, q)] = priced

    def _inspection_cost(self, quantity: int) -> float:
        """The plan's inspection cost at ``quantity`` [currency]; its strategies share it."""
        cost = self._inspection.get(quantity)
        if cost is None:
            schedule = self.plan.bases[DEFAULT_STRATEGY].inspection
            cost = self._inspection[quantity] = schedule.cost(quantity)
        return cost

    def total(self, basis: CostBasis) -> Callable[[int], float]:
        """Total price of ``basis`` as a function of quantity [currency]."""
        return lambda quantity: self.at(basis, quantity).price * quantity

    def cheapest(self, quantity: int) -> tuple[CostBasis, PricedUnit]:
        """The allowed strategy with the lowest unit price, priced (one rule: ``cheapest``)."""
        name = cheapest(self.unit_prices(quantity))
        basis = self.plan.bases[name]
        return basis, self.at(basis, quantity)

    def unit_prices(self, quantity: int) -> dict[StrategyName, float]:
        """Unit price of every strategy the plan's route allows [currency/piece]."""
        return {b.spec.name: self.at(b, quantity).price for b in self.applicable}


def _strategy_options(prices: PriceBook, order_quantity: int) -> tuple[StrategyOption, ...]:
    default = prices.plan.bases[DEFAULT_STRATEGY]
    options = []
    for name, basis in prices.plan.bases.items():
        priced = name is not StrategyName.HYBRID_AM or basis.spec.blank is not None
        one_time = basis.one_time_cost * basis.uplift
        unit = prices.at(basis, order_quantity).price
        options.append(
            StrategyOption(
                name=name,
                one_time_cost=one_time if priced else None,
                per_part_cost=unit - one_time / order_quantity if priced else None,
                break_even_quantity=None
                if name is DEFAULT_STRATEGY or not priced or not basis.spec.applies
                else break_even_quantity(prices.total(basis), prices.total(default)),
                applies=basis.spec.applies,
                note=basis.spec.note,
            )
        )
    return tuple(options)


def _money(value: float, currency: str) -> str:
    return f"{value:,.2f} {currency}"


def _inspection_words(plan: QuotePlan, quantity: int, currency: str) -> str:
    """The inspection the plan prices, in words: its inspection plan's steps at ``quantity``.

    A repeat order's first article is said with why it is full, delta or not made.
    """
    schedule = plan.bases[DEFAULT_STRATEGY].inspection
    steps = "; ".join(schedule.describe(quantity))
    absent = "; no first-article report or validation run" if plan.stage is Stage.PROTOTYPE else ""
    need = plan.inspection.first_article
    if need is not None and (need.triggers or not need.made):
        absent = f"; {need.kind.phrase}: {need.says}"
    return (
        f"{plan.stage.adjective.capitalize()} stage: inspection priced at every quantity as "
        f"the inspection plan ({schedule.minutes(quantity):,.0f} min, "
        f"{_money(schedule.cost(quantity), currency)} at {quantity} pcs): {steps}{absent}."
    )


def _assumptions(
    project: Project,
    shop: ShopConfig,
    plan: QuotePlan,
    order_lead: LeadTime,
    tier: LeadTimeTier,
    deliveries: DeliverySchedule | None,
    *,
    held: StrategyName,
) -> tuple[str, ...]:
    """The assumptions behind the quote, one plain sentence each.

    ``held`` is the order's workholding: the cycle time given is the first part's in it.
    """
    cur, part, m = shop.currency, project.part, plan.machine
    cycle = plan.cycle_times[held]
    default = plan.bases[DEFAULT_STRATEGY]
    shop_words = (
        f"overrides {', '.join(shop.overrides)}"
        if shop.overrides
        else "no shop file; --shop or RAMPWISE_SHOP overrides any figure"
    )
    if cur != CATALOG_CURRENCY:
        usd = CATALOG_CURRENCY
        shop_words += (
            f"; the catalog's {usd} figures converted at {shop.catalog_rate:g} {cur} per "
            f"{usd} (exchange_rates.{usd})"
        )
    estimated = ", ".join(cycle.from_geometry) or "nothing"
    gauges = "; ".join(f"{g.characteristic}: {g.gauge}" for g in plan.inspection.gauges)
    finish = (
        f"{plan.finish.name} at {_money(plan.finish.price_per_part, cur)}/part, lot minimum "
        f"{_money(plan.finish.lot_minimum, cur)}, +{plan.finish.days:g} days"
        if plan.finish
        else "none (as machined)"
    )
    operations = "; ".join(in_words(op.name) for op in plan.operations) or (
        "none: the route's base processes hold every tolerance and roughness"
    )
    scrap_why = (
        " (seed 003: 12 % with the standard approach when a tolerance is finer than the "
        "route's base process holds)"
        if plan.tight_tolerance and plan.scrap.basis is ScrapBasis.DEFAULT
        else ""
    )
    programming = (
        "reused from the earlier order (repeat order)"
        if project.repeat_order
        else f"{default.programming_hours:.1f} h of CAM programming"
    )
    return (
        f"Shop: {shop.name} ({shop_words}).",
        _inspection_words(plan, project.quantity, cur),
        f"Machine: {m.description} ({m.name}) at {_money(m.rate_per_h, cur)}/h; setup at "
        f"{_money(shop.labour('setup'), cur)}/h plus the machine; programming "
        f"{_money(shop.labour('programming'), cur)}/h; operator "
        f"{_money(shop.labour('operator'), cur)}/h; inspection "
        f"{_money(shop.labour('inspection'), cur)}/h.",
        f"Stock: {plan.stock.designation} of {part.material.name} at "
        f"{_money(shop.material_price(part.material), cur)}/kg (price of "
        f"{part.material.price_date}), + {shop.default('saw_kerf_mm'):g} mm saw kerf and a "
        f"{shop.default('saw_cut_minutes'):g} min saw cut.",
        f"Cycle time {cycle.total_min:.1f} min for the first part held by {held.phrase} (roughing "
        f"{cycle.roughing_min:.1f}, finishing {cycle.finishing_min:.1f}, features "
        f"{cycle.features_min:.1f}, tool changes {cycle.tool_changes_min:.1f}, added operations "
        f"{cycle.operations_min:.1f}, handling {cycle.handling_min:.1f}); {cycle.setups} "
        f"setups, {cycle.feature_count} features; from a CAD model: {estimated}.",
        f"Added operations: {operations}.",
        f"Learning: Wright {default.learning_rate:.0%} per doubling of quantity with a floor "
        f"at {default.learning_floor:.0%} of the first part's time (NASA/Stewart: 90–95 % for "
        "repetitive machining; plateau after Wong 2013).",
        f"Scrap: {plan.scrap.describe()}{scrap_why}.",
        f"Finish: {finish}.",
        f"Inspection: {plan.inspection_minutes:.1f} min per fully inspected part ({gauges}).",
        f"Programming: {programming}.",
        f"Overhead {default.overhead_rate:.0%} and margin {default.margin_rate:.0%} on every "
        f"cost; every price ±{shop.default('uncertainty_fraction'):.0%} ({UNCERTAINTY_SOURCE}).",
        f"Lead time at {project.quantity} pcs: {order_lead.describe()}; "
        + (
            f"deliveries: {deliveries.describe()}."
            if deliveries is not None
            else "no demand rate given, so no scheduled deliveries."
        ),
        _tier_words(shop, tier),
    )


def _tier_words(shop: ShopConfig, tier: LeadTimeTier) -> str:
    """The tiers' prices against the standard one, in words, with the quote's tier named."""
    factors = ", ".join(
        f"{t.value} {shop.lead('price_factor', t.value) - 1:+.0%}"
        for t in LeadTimeTier
        if t is not LeadTimeTier.STANDARD
    )
    source = (
        "shop file"
        if any(key.startswith("lead_times.price_factor") for key in shop.overrides)
        else "catalog lead_times.price_factor: expedite at the low end of the published "
        "50–100 % rush markups, economy an unverified discount"
    )
    return (
        f"Tiers: prices {factors} on the standard price ({source}); this quote is priced in "
        f"the {tier.value} tier."
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
        potting = plan.bases[StrategyName.CONFORMAL_SUPPORT].spec
        notes.append(f"Thin walls: {potting.note}.")
    if plan.tight_tolerance:
        notes.append(
            "A tolerance finer than the route's base process holds adds an operation, "
            "inspection time and scrap; ask whether it can open up (tolerance review, seed 004)."
        )
    return tuple(notes)
