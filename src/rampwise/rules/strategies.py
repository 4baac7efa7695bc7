"""Set-up strategies compared at every quantity break, with their break-even quantity.

One vocabulary for how the part is held and made: the route's workholding *is* the
strategy the quote prices at the order quantity. Six ways, each a trade of one-time cost
against per-part cost:

- ``vise`` — a plain machine vise: no workholding to make, for a few prototypes (seed
  002: "minimal setup, may use soft tooling or temporary fixturing");
- ``soft_jaws`` — vise with soft jaws cut to the part: a repeatable location for a batch,
  and the reference every other strategy is compared with;
- ``conformal_support`` — seed 003's potting of a thin-walled part in low-melting alloy
  held in the vise: +30 min setup;
- ``dedicated_fixture`` — seed 003's aluminium fixture plate: about $250 of material and
  4 h of machine time, with a shorter load time per part;
- ``tooling_library`` — seed 003's standard fixture plates with a simple adapter for
  repeat orders: setup 2 h → 15 min (offered only when the project is a repeat order);
- ``hybrid_am`` — seed 003's additive near-net blank with 0.5–0.8 mm stock, finished by
  CNC in a dedicated fixture: cycle 18 → 11 min and scrap 12 % → 2 % in the seed's
  example, used here as the strategy's documented defaults; the blank and its builds are
  priced by :mod:`rampwise.rules.additive` (printer, powder, nesting on the build plate).
  Only where the part's alloy is printed and the blank fits the build volume.

Every number is in ``catalog/strategies.csv`` with its source; ratios (15/120, 11/18) are
computed from the seed's before/after pairs. Which strategies may hold a part at a stage
is the route's call (:func:`rampwise.rules.process.workholding_options`); the quote prices those
and takes the cheapest.

References
----------
.. [1] Seed 003 (fixture plate, tooling library, hybrid approach and its comparison table).
.. [2] :mod:`rampwise.rules.additive` and its references (the printed blank).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping

from pydantic import BaseModel, ConfigDict

from rampwise.core.model import Material
from rampwise.core.shop import ShopConfig
from rampwise.core.vocabulary import Vocabulary
from rampwise.rules.additive import AdditiveBlank, printed_blank

BREAK_EVEN_LIMIT = 1_000_000
"""Largest quantity searched for a break-even [pieces]."""


class StrategyName(Vocabulary):
    """How the part is held and its blank made: the route's workholding, the quote's strategy.

    Labels are seed 003's terms (AM = additive manufacturing); ``phrase`` is the name
    inside a sentence (``"dedicated fixture"``, ``"hybrid AM"``).
    """

    VISE = "vise", "Vise", "A plain machine vise: nothing to make, for a few prototypes."
    SOFT_JAWS = (
        "soft_jaws",
        "Soft jaws",
        "Vise jaws cut to the part: a repeatable location for a batch, and the reference strategy.",
    )
    CONFORMAL_SUPPORT = (
        "conformal_support",
        "Conformal support",
        "A thin-walled part potted in low-melting alloy and held in the vise.",
    )
    DEDICATED_FIXTURE = (
        "dedicated_fixture",
        "Dedicated fixture",
        "An aluminium fixture plate made for the part: a one-time cost, a shorter load per part.",
    )
    TOOLING_LIBRARY = (
        "tooling_library",
        "Tooling library",
        "Standard fixture plates with a simple adapter, for repeat orders: a short setup.",
    )
    HYBRID_AM = (
        "hybrid_am",
        "Hybrid AM",
        "An additive near-net blank finished by CNC in a dedicated fixture (printable "
        "metals only).",
    )


class WorkholdingOption(BaseModel):
    """Whether one strategy may hold the part at a stage, and why (the route's rule).

    Attributes
    ----------
    kind
        The strategy.
    applies
        Whether the route allows it for this part at this stage.
    reason
        Why it applies or not, in words.
    source
        The seed or standard the rule comes from.
    """

    model_config = ConfigDict(frozen=True)

    kind: StrategyName
    applies: bool
    reason: str
    source: str


DEFAULT_STRATEGY = StrategyName.SOFT_JAWS
"""The strategy every other is compared with (priced even where the route rules it out)."""


class StrategySpec(BaseModel):
    """What a strategy changes in the cost model (independent of quantity).

    Attributes
    ----------
    name
        The strategy.
    fixture_cost
        One-time workholding cost: jaws, fixture plate or adapter [shop currency].
    fixture_machine_hours
        Machine time to make that workholding [h] (also on the lead time).
    build_setup_cost
        One-time additive build preparation of the order [shop currency]; 0 without a
        printed blank.
    extra_setup_minutes
        Setup time the strategy adds once per batch [min] (potting a thin-walled part).
    load_minutes_per_setup
        Load and unload time per setup [min].
    setup_time_factor
        Multiplier of the batch setup time [unitless].
    cycle_time_factor
        Multiplier of the cycle time [unitless].
    scrap_rate
        Scrap rate of the strategy, or ``None`` to keep the part's own [unitless].
    blank
        The printed blank replacing bar stock and its build, or ``None`` when it cannot
        be printed.
    applies
        Whether the strategy can be used for this order at the plan's stage.
    note
        Plain words: what it is and why it does or does not apply.
    """

    model_config = ConfigDict(frozen=True)

    name: StrategyName
    fixture_cost: float
    fixture_machine_hours: float
    build_setup_cost: float = 0.0
    extra_setup_minutes: float = 0.0
    load_minutes_per_setup: float
    setup_time_factor: float = 1.0
    cycle_time_factor: float = 1.0
    scrap_rate: float | None = None
    blank: AdditiveBlank | None = None
    applies: bool = True
    note: str


def strategy_specs(
    material: Material,
    *,
    shop: ShopConfig,
    options: Mapping[StrategyName, WorkholdingOption],
    envelope_mm: tuple[float, float, float],
    part_volume_mm3: float,
    machined_area_mm2: float,
) -> tuple[StrategySpec, ...]:
    """The six strategies for this part, each with its documented defaults.

    Parameters
    ----------
    material
        The part's material (decides whether a blank can be printed).
    shop
        ``strategies`` parameters, the 3-axis rate that makes jaws and fixtures [shop
        currency/h]; its currency names the fixture plate's material cost in words.
    options
        The route's verdict per strategy at the plan's stage
        (:func:`rampwise.rules.process.workholding_options`): a strategy applies only where
        the route allows it (the route offers hybrid AM only where the blank can be
        printed, :func:`rampwise.rules.additive.why_not_printed`).
    envelope_mm
        Part envelope [mm], nested on the printer's build plate.
    part_volume_mm3
        Part volume [mm³] for the printed blank.
    machined_area_mm2
        Machined area [mm²] carrying the blank's finishing stock.

    Returns
    -------
    tuple of StrategySpec
        In :class:`StrategyName` order; ``soft_jaws`` is the reference.

    References
    ----------
    .. [1] Seeds 002 and 003; ``catalog/strategies.csv``.
    """
    s = shop.strategies
    mill_rate = shop.machine("mill_3axis").rate_per_h
    jaws, fixture = s[StrategyName.SOFT_JAWS], s[StrategyName.DEDICATED_FIXTURE]
    library, am = s[StrategyName.TOOLING_LIBRARY], s[StrategyName.HYBRID_AM]
    potting = s[StrategyName.CONFORMAL_SUPPORT]
    jaws_cost = jaws["jaw_material_cost"] + jaws["jaw_machine_hours"] * mill_rate
    fixture_cost = fixture["fixture_material_cost"] + fixture["fixture_machine_hours"] * mill_rate
    blank = printed_blank(
        material,
        envelope_mm,
        part_volume_mm3=part_volume_mm3,
        machined_area_mm2=machined_area_mm2,
        shop=shop,
    )

    def note(kind: StrategyName, what: str) -> str:
        option = options[kind]
        return what if option.applies else f"{what}; not here: {option.reason}"

    hybrid_applies = options[StrategyName.HYBRID_AM].applies and blank is not None
    return (
        StrategySpec(
            name=StrategyName.VISE,
            fixture_cost=0.0,
            fixture_machine_hours=0.0,
            load_minutes_per_setup=s[StrategyName.VISE]["load_minutes_per_setup"],
            applies=options[StrategyName.VISE].applies,
            note=note(StrategyName.VISE, "plain machine vise, nothing to make (seed 002)"),
        ),
        StrategySpec(
            name=StrategyName.SOFT_JAWS,
            fixture_cost=jaws_cost,
            fixture_machine_hours=jaws["jaw_machine_hours"],
            load_minutes_per_setup=jaws["load_minutes_per_setup"],
            applies=options[StrategyName.SOFT_JAWS].applies,
            note=note(StrategyName.SOFT_JAWS, "vise with soft jaws cut to the part (reference)"),
        ),
        StrategySpec(
            name=StrategyName.CONFORMAL_SUPPORT,
            fixture_cost=jaws_cost,
            fixture_machine_hours=jaws["jaw_machine_hours"],
            extra_setup_minutes=potting["potting_setup_minutes"],
            load_minutes_per_setup=potting["load_minutes_per_setup"],
            applies=options[StrategyName.CONFORMAL_SUPPORT].applies,
            note=note(
                StrategyName.CONFORMAL_SUPPORT,
                f"part potted in low-melting alloy, +{potting['potting_setup_minutes']:g} min "
                "setup (seed 003)",
            ),
        ),
        StrategySpec(
            name=StrategyName.DEDICATED_FIXTURE,
            fixture_cost=fixture_cost,
            fixture_machine_hours=fixture["fixture_machine_hours"],
            load_minutes_per_setup=fixture["load_minutes_per_setup"],
            applies=options[StrategyName.DEDICATED_FIXTURE].applies,
            note=note(
                StrategyName.DEDICATED_FIXTURE,
                f"dedicated fixture plate: {fixture['fixture_material_cost']:g} "
                f"{shop.currency} material + "
                f"{fixture['fixture_machine_hours']:g} h machining, shorter loading (seed 003)",
            ),
        ),
        StrategySpec(
            name=StrategyName.TOOLING_LIBRARY,
            fixture_cost=library["adapter_material_cost"]
            + library["adapter_machine_hours"] * mill_rate,
            fixture_machine_hours=library["adapter_machine_hours"],
            load_minutes_per_setup=library["load_minutes_per_setup"],
            setup_time_factor=library["setup_minutes_after"] / library["setup_minutes_before"],
            applies=options[StrategyName.TOOLING_LIBRARY].applies,
            note=note(
                StrategyName.TOOLING_LIBRARY,
                f"standard fixture plate + adapter for repeat orders: setup "
                f"{library['setup_minutes_before']:g} → {library['setup_minutes_after']:g} min "
                "(seed 003)",
            ),
        ),
        StrategySpec(
            name=StrategyName.HYBRID_AM,
            fixture_cost=fixture_cost,
            fixture_machine_hours=fixture["fixture_machine_hours"],
            build_setup_cost=am["build_setup_cost"],
            load_minutes_per_setup=am["load_minutes_per_setup"],
            cycle_time_factor=am["cycle_minutes_after"] / am["cycle_minutes_before"],
            scrap_rate=am["scrap_rate"],
            blank=blank,
            applies=hybrid_applies,
            note=note(
                StrategyName.HYBRID_AM,
                f"printed near-net blank ({blank.alloy}, {am['stock_mm']:g} mm stock; "
                f"{blank.describe()}) + CNC finish in a fixture: cycle × "
                f"{am['cycle_minutes_after']:g}/{am['cycle_minutes_before']:g}, scrap "
                f"{am['scrap_rate']:.0%} (seed 003)",
            )
            if blank is not None
            else f"printed near-net blank + CNC finish; not here: "
            f"{options[StrategyName.HYBRID_AM].reason}",
        ),
    )


def cheapest(unit_prices: Mapping[StrategyName, float]) -> StrategyName:
    """The strategy with the lowest unit price; on a tie, the first in ``unit_prices``.

    The one choice of the pipeline: the quote's break and the route's workholding both
    take it, so the priced strategy is the routed one.
    """
    return min(unit_prices, key=lambda name: unit_prices[name])


def break_even_quantity(
    total_price: Callable[[int], float],
    default_total_price: Callable[[int], float],
    *,
    limit: int = BREAK_EVEN_LIMIT,
) -> int | None:
    """Smallest quantity at which a strategy's total price is no higher than the default's.

    The difference of the totals is taken to fall with quantity (a strategy trades a
    higher one-time cost for a lower per-part cost), so the answer is bracketed by 1 and
    ``limit``. The bracket closes by linear interpolation of the difference (nearly
    affine in quantity: one-time cost minus a per-part saving, so two or three prices
    find it) with a bisection step whenever an interpolation fails to halve the bracket,
    which bounds the search at twice a bisection's count.

    Parameters
    ----------
    total_price
        Total price of the strategy at a quantity [currency].
    default_total_price
        Total price of the default strategy at a quantity [currency].
    limit
        Largest quantity searched [pieces].

    Returns
    -------
    int or None
        The break-even quantity [pieces]; 1 when the strategy is never dearer at 1 pc;
        ``None`` when it stays dearer up to ``limit``.
    """

    def excess(quantity: int) -> float:
        """How much dearer the strategy is, less a rounding allowance [currency]."""
        strategy, default = total_price(quantity), default_total_price(quantity)
        return strategy - default - 1e-9 * max(1.0, abs(default))

    low, excess_low = 1, excess(1)
    if excess_low <= 0:
        return 1
    high, excess_high = limit, excess(limit)
    if excess_high > 0:
        return None
    bisect = False
    while high - low > 1:
        width = high - low
        if bisect:
            probe = (low + high) // 2
        else:
            root = low + excess_low * width / (excess_low - excess_high)
            probe = min(max(math.ceil(root), low + 1), high - 1)
        excess_probe = excess(probe)
        if excess_probe <= 0:
            high, excess_high = probe, excess_probe
        else:
            low, excess_low = probe, excess_probe
        bisect = high - low > width / 2
    return high
