"""Explained unit price per quantity break: nine buckets that sum exactly to the price.

For one strategy (:mod:`rampwise.rules.strategies`) and a quantity ``q``, per unit [currency]:

- one-time costs over ``q``: ``programming`` (CAM), ``setup`` (setups, added operations'
  tools, thin-wall potting, making the sacrificial validation part, an additive build
  set-up) and ``fixture`` (soft jaws, fixture plate or adapter);
- ``material``: the standard stock piece (not the part volume) plus saw kerf × density ×
  $/kg, plus the saw cut — or the printed blank of the hybrid strategy with its share of
  the build plate (:mod:`rampwise.rules.additive`);
- ``machining``: batch-average cycle time (Wright learning curve with a floor) × machine
  rate, plus deburring;
- ``finishing``: price per part, or the lot minimum over ``q`` when that is larger;
- ``inspection``: the inspection plan's cost at ``q`` over ``q``
  (:meth:`rampwise.rules.inspection.InspectionSchedule.cost`): its validation run, first
  article with its report, and the stage's full, tiered, SPC and outgoing steps, each
  counted once, so the bucket × ``q`` is the plan's ``total_cost`` at the order quantity;
- ``scrap``: (material + machining) × s / (1 − s), the value of the parts made to be
  thrown away so that ``q`` good ones ship;
- ``overhead_margin``: the sum of the above × ((1 + overhead)(1 + margin) − 1).

The unit price is the sum of the nine; the top three drivers are named in plain words
with their share of the price ("setup is 62% of the price at 5 pcs"), each bucket's share
being taken before the proportional overhead-and-margin uplift.

References
----------
.. [1] research/quoting.md §1.3 (consensus formula), §6 items 1–2 (buckets, ladder,
   learning, cross-over), §2.2 (setup, tool, deburr times), §2.6 (FAI cost model),
   §2.7 (amortisation examples, Wright learning 90–95 %, plateau, cross-over).
.. [2] T. P. Wright, "Factors affecting the cost of airplanes", J. Aeronaut. Sci. 3(4),
   1936 (unit time ∝ x^b, b = log₂ learning rate).
.. [3] aPriori Cost Model Guide 2019 R2: amortised setup = setup time × (labour rate +
   direct overhead rate) / batch size (research/quoting.md §1.1).
.. [4] Seed 003 (tiered inspection, validation run, fixture plate, thin-wall potting).
.. [5] ANSI/ASQ Z1.4-2003 (outgoing lot sampling), AS9102 Rev C (first article), AIAG
   PPAP 4th ed. (significant production run): the steps of the inspection plan priced.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from functools import cache, cached_property
from operator import itemgetter
from typing import NamedTuple

from pydantic import BaseModel, ConfigDict

from rampwise.core.checks import require_whole
from rampwise.core.errors import InputError
from rampwise.core.model import Project, Stage
from rampwise.core.shop import Finish, MachineClass, ShopConfig
from rampwise.core.stock import Stock, select_stock
from rampwise.rules.cycle_time import (
    CycleTime,
    GeometryFacts,
    OperationAdder,
    estimate_cycle_time,
    operation_adders,
    require_envelope,
    thread_adders,
)
from rampwise.rules.inspection import InspectionPlan, InspectionSchedule
from rampwise.rules.leadtime import LeadTimeInputs
from rampwise.rules.process import Route
from rampwise.rules.scrap import CapabilityEvidence, ScrapEstimate, expected_scrap
from rampwise.rules.strategies import StrategyName, StrategySpec, strategy_specs

DEFAULT_BREAKS = (1, 5, 10, 25, 50, 100, 250, 500, 1000)
"""Default quantity ladder [pieces] (research/quoting.md §6 item 2)."""

MAX_QUANTITY = 10_000_000
"""Largest quantity quoted [pieces]."""

MINUTES_PER_HOUR = 60.0
MM3_PER_CM3 = 1000.0
G_PER_KG = 1000.0

DRIVER_WORDS = {
    "programming": "CAM programming",
    "setup": "setup",
    "fixture": "fixture / workholding",
    "material": "material",
    "machining": "machining time",
    "finishing": "finishing",
    "inspection": "inspection",
    "scrap": "expected scrap",
    "overhead_margin": "overhead and margin",
}
"""Plain words for each price bucket."""


class _Result(BaseModel):
    model_config = ConfigDict(frozen=True)


# --------------------------------------------------------------------------------------
# Result models (the JSON contract)
# --------------------------------------------------------------------------------------


COST_BUCKETS = (
    "programming",
    "setup",
    "fixture",
    "material",
    "machining",
    "finishing",
    "inspection",
    "scrap",
)
"""The eight cost buckets of :class:`Drivers`, before overhead and margin."""


class Drivers(_Result):
    """The nine price buckets of one unit [currency/piece]; they sum to the unit price."""

    programming: float
    setup: float
    fixture: float
    material: float
    machining: float
    finishing: float
    inspection: float
    scrap: float
    overhead_margin: float

    def costs(self) -> dict[str, float]:
        """The eight cost buckets, without overhead and margin [currency/piece]."""
        return {name: getattr(self, name) for name in COST_BUCKETS}

    def total(self) -> float:
        """The unit price: the sum of the nine buckets [currency/piece]."""
        return math.fsum([*self.costs().values(), self.overhead_margin])


# --------------------------------------------------------------------------------------
# Pure pieces: learning, material
# --------------------------------------------------------------------------------------

_EXACT_TERMS = 64
"""Units summed exactly before the Euler–Maclaurin tail of the learning sum (the first
omitted correction term at 64 units is below 1e-9 of the sum for b ∈ [−1, 0])."""


def _power_sum(n: int, b: float) -> float:
    """Σ_{x=1}^{n} x^b for b ≤ 0: exact to 64 terms, then Euler–Maclaurin."""
    m = min(n, _EXACT_TERMS)
    head = math.fsum(math.pow(x, b) for x in range(1, m + 1))
    if n <= m:
        return head

    def integral(x: float) -> float:
        return math.log(x) if b == -1 else math.pow(x, b + 1) / (b + 1)

    def derivative(x: float) -> float:
        return b * math.pow(x, b - 1)

    tail = (
        integral(n)
        - integral(m)
        + (math.pow(n, b) - math.pow(m, b)) / 2
        + (derivative(n) - derivative(m)) / 12
    )
    return head + tail


@cache
def wright_mean_factor(quantity: int, learning_rate: float, floor: float) -> float:
    """Mean time factor of units 1…q on a Wright learning curve with a floor.

    Unit x takes max(floor, x^b) of the first unit's time, b = log₂(learning rate).

    Parameters
    ----------
    quantity
        Units made [pieces], ≥ 1.
    learning_rate
        Time ratio per doubling of cumulative quantity, (0, 1]; 1 = no learning [unitless].
    floor
        Smallest time as a fraction of the first unit's, (0, 1] [unitless].

    Returns
    -------
    float
        The batch-average factor [unitless], 1 at one piece, never rising with quantity.

    References
    ----------
    .. [1] Wright (1936); learning rates 90–95 % for repetitive machining (NASA JSC after
       Stewart, research/quoting.md §2.7); plateau: Wong 2013, doi 10.1155/2013/584762.
    """
    if learning_rate >= 1 or floor >= 1:
        return 1.0
    b = math.log2(learning_rate)
    log_floor_unit = math.log(floor) / b  # ln of the unit at which x^b reaches the floor
    on_curve = (
        quantity if log_floor_unit >= math.log(quantity) else math.floor(math.exp(log_floor_unit))
    )
    total = _power_sum(on_curve, b) + (quantity - on_curve) * floor
    return total / quantity


def material_cost(
    stock: Stock, density_g_cm3: float, price_per_kg: float, shop: ShopConfig
) -> float:
    """Stock cost of one part: piece plus saw kerf × density × price, plus the saw cut.

    In the shop's currency, as its prices are [shop currency].

    Parameters
    ----------
    stock
        The stock piece (cross-section [mm²], length [mm]).
    density_g_cm3
        Density [g/cm³].
    price_per_kg
        Stock price [shop currency/kg].
    shop
        Saw kerf [mm], saw minutes per cut [min], operator rate [shop currency/h].
    """
    consumed_mm3 = stock.cross_section_mm2 * (stock.length_mm + shop.default("saw_kerf_mm"))
    mass_kg = consumed_mm3 / MM3_PER_CM3 * density_g_cm3 / G_PER_KG
    saw = shop.default("saw_cut_minutes") / MINUTES_PER_HOUR * shop.labour("operator")
    return mass_kg * price_per_kg + saw


# --------------------------------------------------------------------------------------
# The cost basis of one strategy and its price at a quantity
# --------------------------------------------------------------------------------------


class CostBasis(_Result):
    """Everything needed to price any quantity with one strategy (quantity-independent).

    Money is in the shop's currency (:attr:`rampwise.core.shop.ShopConfig.currency`).
    One-time amounts [shop currency]: ``programming_cost``, ``setup_cost``,
    ``fixture_cost``. Per part: ``material_cost`` [shop currency], ``cycle_min``
    first-unit machine time [min] at ``machine_rate_per_h`` [shop currency/h],
    ``deburr_cost`` [shop currency], ``finish_price`` and ``finish_lot_minimum`` [shop
    currency]. ``inspection``: the inspection plan's schedule, whose cost at a quantity
    [shop currency] is the inspection bucket × that quantity. Rates: ``scrap_rate``,
    ``learning_rate``, ``learning_floor``, ``overhead_rate``, ``margin_rate`` [unitless].
    For the lead time: ``programming_hours``, ``setup_hours``, ``fixture_machine_hours``
    [h]; a printed blank's builds are ``spec.blank``'s.

    The process validation run (:class:`rampwise.rules.validation_run.ValidationRun`, one size
    everywhere): ``validation_sacrificial_parts`` made on top of the order [pieces], whose
    material and machining are inside ``setup_cost``; every run's inspection, sacrificial
    or the order's own first parts, is the schedule's.
    """

    spec: StrategySpec
    stage: Stage
    programming_cost: float
    setup_cost: float
    fixture_cost: float
    material_cost: float
    cycle_min: float
    machine_rate_per_h: float
    deburr_cost: float
    finish_price: float
    finish_lot_minimum: float
    inspection: InspectionSchedule
    scrap_rate: float
    learning_rate: float
    learning_floor: float
    overhead_rate: float
    margin_rate: float
    programming_hours: float
    setup_hours: float
    fixture_machine_hours: float
    validation_sacrificial_parts: int

    @property
    def uplift(self) -> float:
        """Price per unit of cost: (1 + overhead)(1 + margin) [unitless]."""
        return (1 + self.overhead_rate) * (1 + self.margin_rate)

    @cached_property
    def one_time_cost(self) -> float:
        """Programming, setup, fixture and first article, before uplift [shop currency].

        With the first article come the other inspection steps that do not grow with
        quantity, a sacrificial validation run's check
        (:attr:`rampwise.rules.inspection.InspectionSchedule.one_time_cost`).
        """
        return (
            self.programming_cost
            + self.setup_cost
            + self.fixture_cost
            + self.inspection.one_time_cost
        )


class PricedUnit(NamedTuple):
    """One unit priced with one strategy at one quantity, before it becomes :class:`Drivers`.

    Attributes
    ----------
    costs
        The eight cost buckets, in :data:`COST_BUCKETS` order [currency/piece].
    cost
        Their sum, before overhead and margin [currency/piece].
    overhead_margin
        ``cost`` × ((1 + overhead)(1 + margin) − 1) [currency/piece].
    price
        The unit price: the sum of the nine buckets [currency/piece]; bit for bit the
        ``total()`` of :meth:`drivers`.
    """

    costs: tuple[float, ...]
    cost: float
    overhead_margin: float
    price: float

    def drivers(self) -> Drivers:
        """The nine buckets as the quote's model [currency/piece]."""
        buckets = dict(zip(COST_BUCKETS, self.costs, strict=True))
        return Drivers(**buckets, overhead_margin=self.overhead_margin)


def price_units(
    basis: CostBasis, quantities: Sequence[int], inspection_costs: Sequence[float] | None = None
) -> list[PricedUnit]:
    """The buckets and the unit price at each quantity [currency/piece].

    The quote compares strategies at every break and searches break-even quantities with
    the prices, a few dozen per quote, and builds :class:`Drivers` only for each break's
    cheapest strategy; the basis' figures are read once for all the quantities.

    Parameters
    ----------
    basis
        The strategy's cost basis.
    quantities
        Pieces ordered, each ≥ 1.
    inspection_costs
        ``basis.inspection.cost`` at each quantity [currency], when the caller already has
        them (every strategy of a plan shares one inspection schedule); ``None`` works
        them out.

    Returns
    -------
    list of PricedUnit
        One per quantity, in the order given.

    References
    ----------
    .. [1] research/quoting.md §1.3 and §6 item 1; aPriori (amortised setup); Wright (1936).
    .. [2] The inspection plan's schedule (:mod:`rampwise.rules.inspection`): seed 003,
       AS9102, AIAG PPAP, ANSI/ASQ Z1.4.
    """
    learning_rate, floor = basis.learning_rate, basis.learning_floor
    cycle_min, rate = basis.cycle_min, basis.machine_rate_per_h
    material, scrap_rate, inspection = basis.material_cost, basis.scrap_rate, basis.inspection
    blank = basis.spec.blank
    uplift = basis.uplift - 1
    if inspection_costs is None:
        inspection_costs = [inspection.cost(q) for q in quantities]
    priced = []
    for q, inspected in zip(quantities, inspection_costs, strict=True):
        machining = (
            cycle_min * wright_mean_factor(q, learning_rate, floor) / MINUTES_PER_HOUR * rate
        )
        machining += basis.deburr_cost
        if blank is not None:  # the blank's share of its build (additive.AdditiveBlank)
            material = basis.material_cost + blank.build_share(q)
        costs = (  # in the order of COST_BUCKETS
            basis.programming_cost / q,
            basis.setup_cost / q,
            basis.fixture_cost / q,
            material,
            machining,
            max(basis.finish_price, basis.finish_lot_minimum / q),
            inspected / q,
            (material + machining) * scrap_rate / (1 - scrap_rate),
        )
        cost = math.fsum(costs)
        overhead_margin = cost * uplift
        priced.append(
            PricedUnit(costs, cost, overhead_margin, math.fsum((*costs, overhead_margin)))
        )
    return priced


def price_unit(basis: CostBasis, quantity: int) -> PricedUnit:
    """The buckets and the unit price at one quantity [currency/piece] (:func:`price_units`)."""
    (priced,) = price_units(basis, (quantity,))
    return priced


def price_drivers(basis: CostBasis, quantity: int) -> Drivers:
    """The nine buckets per unit at a quantity [currency/piece]: ``price_unit(...).drivers()``.

    Parameters
    ----------
    basis
        The strategy's cost basis.
    quantity
        Pieces ordered, ≥ 1.

    Returns
    -------
    Drivers
        Buckets whose sum is the unit price.
    """
    return price_unit(basis, quantity).drivers()


def _ranked_shares(
    costs: Iterable[tuple[str, float]], total: float, count: int | None = None
) -> tuple[tuple[str, float], ...]:
    """Cost buckets ``(name, cost)`` with their share of ``total`` [unitless], largest first.

    ``count`` keeps the largest few (all when ``None``); buckets of no cost are left out.
    """
    if total <= 0:
        return ()
    ranked = sorted(costs, key=itemgetter(1), reverse=True)[:count]
    return tuple((name, value / total) for name, value in ranked if value > 0)


def driver_shares(drivers: Drivers) -> tuple[tuple[str, float], ...]:
    """Buckets with their share of the price, largest first [unitless].

    A bucket's share is taken of the cost before overhead and margin, which the uplift
    spreads in proportion; the overhead-and-margin bucket itself is not ranked.
    """
    costs = drivers.costs()
    return _ranked_shares(costs.items(), math.fsum(costs.values()))


def top_drivers(priced: PricedUnit, quantity: int, count: int = 3) -> tuple[str, ...]:
    """The largest buckets in plain words: ``"setup is 62% of the price at 5 pcs"``.

    The shares are those of :func:`driver_shares`, taken of ``priced.cost``.
    """
    return tuple(
        f"{DRIVER_WORDS[name]} is {share:.0%} of the price at {quantity} pcs"
        for name, share in _ranked_shares(
            zip(COST_BUCKETS, priced.costs, strict=True), priced.cost, count
        )
    )


def check_quantities(quantities: Sequence[int]) -> tuple[int, ...]:
    """Whole quantities ≥ 1 (and ≤ 10,000,000), sorted and without repeats.

    Raises
    ------
    InputError
        If the list is empty or a quantity is 0, negative, fractional, not a number, or
        too large.
    """
    if not quantities:
        raise InputError("quantities", "must list at least one quantity")
    checked = {require_whole("quantities", q) for q in quantities}
    if max(checked) > MAX_QUANTITY:
        raise InputError("quantities", f"must be ≤ {MAX_QUANTITY:,}; got {max(checked)}")
    return tuple(sorted(checked))


# --------------------------------------------------------------------------------------
# Assembling the quote
# --------------------------------------------------------------------------------------


class QuotePlan(_Result):
    """The quantity-independent part of a quote at one stage: process, stock, times, bases.

    Attributes
    ----------
    stage
        The stage planned: its route, inspection plan and validation run are priced.
    machine, stock, operations, finish
        The process chosen, the stock piece, the added operations and the finish.
    tight_tolerance
        The route's base processes do not hold a tolerance (it needs a finishing
        operation, :attr:`rampwise.rules.process.Route.tight_characteristics`).
    thin_wall
        A wall under seed 003's 1.5 mm: only conformal support or a printed blank may
        hold the part.
    scrap
        The scrap rate priced and why: from capability where a Cpk is measured or
        stated, else the catalog's (:func:`rampwise.rules.scrap.expected_scrap`).
    inspection
        The inspection plan priced: its gauges and its schedule, each basis' inspection.
    inspection_minutes
        Minutes to inspect one part fully, by the plan's gauges [min].
    cycle_times, bases
        Per strategy.
    """

    stage: Stage
    machine: MachineClass
    stock: Stock
    operations: tuple[OperationAdder, ...]
    finish: Finish | None
    tight_tolerance: bool
    thin_wall: bool
    scrap: ScrapEstimate
    inspection: InspectionPlan
    inspection_minutes: float
    cycle_times: dict[StrategyName, CycleTime]
    bases: dict[StrategyName, CostBasis]


def plan_quote(
    project: Project,
    *,
    route: Route,
    inspection: InspectionPlan,
    shop: ShopConfig,
    geometry: GeometryFacts | None = None,
    extra_operations: Sequence[OperationAdder] | None = None,
    machine: str | None = None,
    capability: Mapping[str, CapabilityEvidence] | None = None,
) -> QuotePlan:
    """Everything about the order that does not depend on quantity, per strategy.

    Prices what it is given: the route and the inspection plan of one stage (the stage
    is the route's), made once by :class:`rampwise.pipeline.Plan`.

    Parameters
    ----------
    project
        The order: part (envelope [mm], material, characteristics, features, finish),
        ``repeat_order``.
    route
        The route to price: machine, added operations, which strategies may hold the
        part, the validation run.
    inspection
        The inspection plan to price, at the route's stage: its schedule
        (:attr:`rampwise.rules.inspection.InspectionPlan.by_quantity`) prices the
        inspection bucket at every quantity.
    shop
        Rates and defaults.
    geometry
        CAD facts replacing the envelope estimates.
    extra_operations
        Operations to add; ``None`` times the route's extra finishing processes
        (:func:`rampwise.rules.cycle_time.operation_adders`) and its thread operations
        (:func:`rampwise.rules.cycle_time.thread_adders`).
    machine
        Machine class to use; ``None`` takes the machine of the route's whole-part
        strategy (lathe, 3-axis or 5-axis mill).
    capability
        Cpk measured (a batch) or stated by the supplier, by characteristic id: the scrap
        rate follows from it (:func:`rampwise.rules.scrap.expected_scrap`); ``None`` or
        empty: the catalog's rate.

    Raises
    ------
    InputError
        Unknown machine class or finish, no envelope.
    ValueError
        If the inspection plan carries no schedule (one read back from JSON stored before
        plans recorded it).
    """
    schedule = inspection.by_quantity
    if schedule is None:
        raise ValueError("the inspection plan has no schedule to price: plan it again")
    part = project.part
    envelope = require_envelope(part)
    machine_class = shop.machine(machine or route.strategy.machine_class)
    turned = machine_class.turning
    stock = select_stock(
        envelope, allowance_mm=shop.default("stock_allowance_mm"), round_bar=turned
    )
    operations = (
        tuple(extra_operations)
        if extra_operations is not None
        else operation_adders(route.extra_operations, part, shop, route_machine=machine_class)
        + thread_adders(route.threads, part, shop)
    )
    finish = shop.finish(part.finish) if part.finish else None
    tight = bool(route.tight_characteristics)
    scrap = expected_scrap(
        {r.id: r.expected_cp for r in route.characteristics if r.tolerance_mm is not None},
        capability or {},
        default_rate=shop.default("scrap_rate_tight" if tight else "scrap_rate"),
        floor=shop.default("scrap_rate_floor"),
    )
    options = {option.kind: option for option in route.workholding.options}
    thin = options[StrategyName.CONFORMAL_SUPPORT].applies

    bare = estimate_cycle_time(
        part,
        shop=shop,
        stock=stock,
        operations=operations,
        load_minutes_per_setup=0.0,
        turned=turned,
        geometry=geometry,
    )
    specs = strategy_specs(
        part.material,
        shop=shop,
        options=options,
        envelope_mm=envelope,
        part_volume_mm3=bare.part_volume_mm3,
        machined_area_mm2=bare.machined_area_mm2,
    )
    cycles = {spec.name: bare.with_load(spec.load_minutes_per_setup) for spec in specs}
    return QuotePlan(
        stage=route.stage,
        machine=machine_class,
        stock=stock,
        operations=operations,
        finish=finish,
        tight_tolerance=tight,
        thin_wall=thin,
        scrap=scrap,
        inspection=inspection,
        inspection_minutes=inspection.part_minutes,
        cycle_times=cycles,
        bases=_bases(
            specs,
            cycles,
            repeat_order=project.repeat_order,
            route=route,
            shop=shop,
            rate=machine_class.rate_per_h,
            stock_cost=material_cost(
                stock, part.material.density_g_cm3, shop.material_price(part.material), shop
            ),
            finish=finish,
            scrap_rate=scrap.rate,
            inspection=schedule,
        ),
    )


def _bases(
    specs: Sequence[StrategySpec],
    cycles: dict[StrategyName, CycleTime],
    *,
    repeat_order: bool,
    route: Route,
    shop: ShopConfig,
    rate: float,
    stock_cost: float,
    finish: Finish | None,
    scrap_rate: float,
    inspection: InspectionSchedule,
) -> dict[StrategyName, CostBasis]:
    """Each strategy's cost basis; what they share is worked out once.

    The strategies' cycle times differ only in handling, so the feature count, setups
    and added operations that programming and setup time are made of are theirs all.

    Parameters
    ----------
    specs, cycles
        The strategies and their first-part cycle times [min].
    route
        The route priced: its stage and validation run.
    rate
        Machine rate [shop currency/h].
    stock_cost
        Bar stock of one part, saw cut included [shop currency].
    finish, scrap_rate, inspection
        The finish, the scrap rate of bar-stock strategies [unitless] (a printed blank
        has its own), and the inspection plan's schedule (its cost at a quantity [shop
        currency]).
    """
    cycle = cycles[specs[0].name]
    programming_min = (
        0.0
        if repeat_order
        else (
            shop.default("programming_base_minutes")
            + shop.default("programming_minutes_per_feature") * cycle.feature_count
            + shop.default("programming_minutes_per_setup") * cycle.setups
            + shop.default("programming_minutes_per_operation") * len(cycle.operations)
        )
    )
    setup_min = cycle.setups * shop.default("setup_minutes_per_setup") + cycle.operations_setup_min
    deburr = shop.default("deburr_minutes") / MINUTES_PER_HOUR * shop.labour("operator")
    run = route.validation_run
    sacrificial = run.quantity if run is not None and run.sacrificial else 0
    shared = {
        "stage": route.stage,
        "programming_cost": programming_min / MINUTES_PER_HOUR * shop.labour("programming"),
        "machine_rate_per_h": rate,
        "deburr_cost": deburr,
        "finish_price": finish.price_per_part if finish else 0.0,
        "finish_lot_minimum": finish.lot_minimum if finish else 0.0,
        "inspection": inspection,
        "learning_rate": shop.default("learning_rate"),
        "learning_floor": shop.default("learning_floor"),
        "overhead_rate": shop.default("overhead_rate"),
        "margin_rate": shop.default("margin_rate"),
        "programming_hours": programming_min / MINUTES_PER_HOUR,
        "validation_sacrificial_parts": sacrificial,
    }
    setup_rate = shop.labour("setup") + rate
    bases = {}
    for spec in specs:
        strategy_setup_min = setup_min * spec.setup_time_factor + spec.extra_setup_minutes
        cycle_min = cycles[spec.name].total_min * spec.cycle_time_factor
        material = spec.blank.cost if spec.blank is not None else stock_cost
        # making the sacrificial parts; measuring them is the inspection schedule's
        sacrificed_cost = sacrificial * (material + cycle_min / MINUTES_PER_HOUR * rate + deburr)
        bases[spec.name] = CostBasis(
            **shared,
            spec=spec,
            setup_cost=strategy_setup_min / MINUTES_PER_HOUR * setup_rate
            + sacrificed_cost
            + spec.build_setup_cost,
            fixture_cost=spec.fixture_cost,
            material_cost=material,
            cycle_min=cycle_min,
            scrap_rate=scrap_rate if spec.scrap_rate is None else spec.scrap_rate,
            setup_hours=strategy_setup_min / MINUTES_PER_HOUR,
            fixture_machine_hours=spec.fixture_machine_hours,
        )
    return bases


def batch_work(
    basis: CostBasis,
    quantity: int,
    *,
    material_category: str,
    machine_class: str,
    finish: Finish | None,
) -> LeadTimeInputs:
    """The work of a batch priced with ``basis``, as the lead-time model reads it.

    Machine hours are setup, fixture making, the sacrificial validation parts (a
    production run's parts are the order's own) and the batch-average cycle time of every
    part made (good parts / (1 − scrap)), the run hours, which may divide among the
    class's machines; a printed blank adds the printer hours of its builds for every part
    made (:meth:`rampwise.rules.additive.AdditiveBlank.build_hours`). The first-article
    report's days come only when the inspection plan makes a first article.
    :func:`rampwise.rules.leadtime.lead_time` turns it into working days per tier.
    """
    made = quantity / (1 - basis.scrap_rate)
    validation = basis.validation_sacrificial_parts
    blank = basis.spec.blank
    learning = wright_mean_factor(quantity, basis.learning_rate, basis.learning_floor)
    run_hours = made * learning * basis.cycle_min / MINUTES_PER_HOUR
    machine_hours = (
        basis.setup_hours
        + basis.fixture_machine_hours
        + validation * basis.cycle_min / MINUTES_PER_HOUR
        + run_hours
    )
    return LeadTimeInputs(
        material_category=material_category,
        machine_class=machine_class,
        programming_hours=basis.programming_hours,
        machine_hours=machine_hours,
        run_hours=run_hours,
        finish_name=finish.name if finish else None,
        finish_days=finish.days if finish else 0.0,
        stage=basis.stage,
        additive_hours=0.0 if blank is None else blank.build_hours(made + validation),
        first_article=basis.inspection.makes_first_article,
    )
