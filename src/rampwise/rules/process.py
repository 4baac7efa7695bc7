"""Route: how each characteristic will be made, how the part is held, how it is proven.

For every controlled characteristic the route picks the cheapest process chain that holds
its tolerance and finish with the stage's margin (:mod:`rampwise.rules.process_capability`:
IT(it_min, size) · Cp_target ≤ tolerance, Cp_target 1.33 for batches, 1.0 for fully
inspected prototypes). Steps beyond the route's base operation (reaming after drilling,
grinding after turning) are the *extra operations* the quote prices, with the added
inspection minutes of the gauge their tolerance needs — seed 003's "tolerance paradox" in
numbers. The whole-part route (turning, 3-axis or 5-axis milling), which set-up
strategies may hold the part (:func:`workholding_options`; the quote prices them and the
cheapest holds it, :func:`choose_workholding`), seed 003's hybrid additive near-net + CNC
finish offer and the process validation run (:mod:`rampwise.rules.validation_run`) complete the
plan; :func:`plan_route` returns it all.

References
----------
.. [1] ``catalog/process_capability.csv`` (ANSI B4.2-1978 process chart; Machinery's
   Handbook Ra chart) and ``catalog/README-tolerance.md``.
.. [2] AIAG, *Production Part Approval Process*, 4th ed. 2006, §2.2.11.3; AIAG *SPC*
   2nd ed. 2005 (Cpk ≥ 1.33, ≥ 100 readings).
.. [3] Seed 003 (hybrid AM near-net + CNC finish, 0.5–0.8 mm stock; fixture plate;
   conformal support below 1.5 mm walls; "never skip the process validation run").
.. [4] Seed 002 (prototype: temporary fixturing; production: full tooling and jigs).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from pydantic import BaseModel, ConfigDict

from rampwise.core.errors import InputError
from rampwise.core.model import Characteristic, CharacteristicKind, Part, Project, Stage
from rampwise.core.shop import ShopConfig, default_shop
from rampwise.core.vocabulary import Vocabulary
from rampwise.rules.inspection import GaugeChoice
from rampwise.rules.process_capability import (
    SPINDLE,
    ChainChoice,
    SurfaceClass,
    capability_target,
    choose_chain,
    in_words,
    process_capabilities,
    process_holds,
    route_rule,
)
from rampwise.rules.strategies import StrategyName, WorkholdingOption, cheapest
from rampwise.rules.validation_run import ValidationRun, plan_validation_run
from rampwise.tolerance.iso286 import (
    MAX_SIZE_MM,
    FeatureType,
    grade_for_tolerance,
    limits,
    tolerance_class,
)
from rampwise.tolerance.iso2768 import (
    GeometricCharacteristic,
    geometric_tolerance,
    linear_deviation,
    parse_general_tolerance,
    radius_chamfer_deviation,
)

SEED_002 = "seed 002"
SEED_003 = "seed 003"
AS_BUILT = "lpbf_as_built"
"""Process name of metal laser powder-bed fusion without machining."""


class MachiningStrategy(Vocabulary):
    """Whole-part route; ``phrase`` names it in a sentence (``"turning"``, ``"3-axis milling"``)."""

    TURNING = "turning", "Turning", "The part turned on a CNC lathe (a turning centre)."
    MILLING_3AXIS = (
        "milling_3axis",
        "3-axis milling",
        "The part milled on a 3-axis machining centre, one side per setup.",
    )
    MILLING_5AXIS = (
        "milling_5axis",
        "5-axis milling",
        "The part milled on a 5-axis machining centre, several sides per setup.",
    )

    @property
    def machine_class(self) -> str:
        """Machine class of ``catalog/machines.csv`` that makes and prices this route."""
        return MACHINE_OF_STRATEGY[self]


MACHINE_OF_STRATEGY = {
    MachiningStrategy.TURNING: "lathe",
    MachiningStrategy.MILLING_3AXIS: "mill_3axis",
    MachiningStrategy.MILLING_5AXIS: "mill_5axis",
}
"""Machine class of ``catalog/machines.csv`` for each whole-part route."""


def strategy_text(route: str, setups: int, added_setups: int = 0) -> str:
    """The whole-part route in one phrase: ``"5-axis milling in 2 setups (+1 for finishing)"``.

    Parameters
    ----------
    route
        The route in words, inside a sentence (:attr:`MachiningStrategy.phrase`).
    setups
        Setups of the whole part, ``added_setups`` included [count].
    added_setups
        Setups on machines other than the route's, for finishing operations [count].
    """
    plural = "" if setups == 1 else "s"
    added = f" (+{added_setups} for finishing)" if added_setups else ""
    return f"{route} in {setups} setup{plural}{added}"


# --------------------------------------------------------------------------------------
# Result models
# --------------------------------------------------------------------------------------


class _Result(BaseModel):
    model_config = ConfigDict(frozen=True)


class CharacteristicRoute(_Result):
    """How one characteristic is made and checked.

    Attributes
    ----------
    size_mm
        Size the capability is judged at [mm] (nominal, or the part's largest dimension
        for a form tolerance without one).
    tolerance_mm
        Total tolerance or zone width [mm]; ``tolerance_source`` says where it came from.
    required_it_grade
        Coarsest ISO grade whose IT fits in the tolerance.
    ra_max_um
        Roughness limit [µm] of a roughness characteristic.
    chain
        The processes in order; ``extra_operations`` are those beyond the base operation.
    process_spread_mm
        IT of the finishing process's finest production grade at the size [mm].
    expected_cp
        tolerance / spread [unitless]; ``capable`` compares it with the stage's target
        (``None`` where the process chart does not rate the characteristic).
    inspection
        Gauge that measures it, by the 10:1 rule of the inspection plan
        (:func:`rampwise.rules.inspection.choose_gauge`, ``catalog/gauges.csv``).
    inspection_minutes
        Minutes to measure it once with that gauge [min]; ``added_inspection_minutes``
        counts them when an extra operation is needed (the tolerance cost of seed 003's
        "tolerance paradox").
    """

    id: str
    name: str
    kind: CharacteristicKind
    critical: bool
    surface: SurfaceClass
    size_mm: float | None
    tolerance_mm: float | None
    tolerance_source: str | None
    required_it_grade: int | None
    ra_max_um: float | None
    chain: tuple[str, ...]
    extra_operations: tuple[str, ...]
    process_spread_mm: float | None
    expected_cp: float | None
    capable: bool | None
    inspection: str
    inspection_minutes: float
    added_inspection_minutes: float
    note: str


class Operation(_Result):
    """One process step of the route and the characteristics it makes.

    Attributes
    ----------
    machine
        Machine tool class that runs it.
    extra
        True when no characteristic needs it as a base operation (priced as a finishing op).
    new_setup
        True when it needs a machine other than the route's mill or lathe.
    """

    process: str
    machine: str
    characteristic_ids: tuple[str, ...]
    extra: bool
    new_setup: bool


class Workholding(_Result):
    """The chosen workholding and why: the strategy the quote prices at the order quantity.

    The route says which strategies may hold the part at its stage
    (:func:`workholding_options`); the quote prices those and the cheapest at the order
    quantity holds the part (:func:`choose_workholding`). What each costs (jaws, fixture
    plate, adapter, potting setup, printed blank) is the quote's: one set of figures in
    ``catalog/strategies.csv`` that a shop file overrides.

    Attributes
    ----------
    kind
        The strategy, named as the quote names it.
    reason
        Why it was chosen, in words (with its price when the part was priced).
    source
        The seed or standard behind the rule that allows it.
    alternatives
        The other strategies the route allows at this stage.
    options
        Every strategy with whether it applies here and why.
    """

    kind: StrategyName
    reason: str
    source: str
    alternatives: tuple[StrategyName, ...]
    options: tuple[WorkholdingOption, ...]


class HybridOffer(_Result):
    """Seed 003's hybrid route: metal AM near-net blank, CNC finish on the critical faces.

    Attributes
    ----------
    stock_min_mm, stock_max_mm
        Finishing stock left on machined faces [mm].
    as_built
        Characteristics the printed surface holds as they are.
    finish_machined
        Characteristics machined from the near-net blank.
    """

    stock_min_mm: float
    stock_max_mm: float
    as_built: tuple[str, ...]
    finish_machined: tuple[str, ...]
    reason: str
    source: str


class Route(_Result):
    """The route of one part at one stage; ``model_dump_json()`` is the JSON contract.

    Attributes
    ----------
    cp_target
        Capability every chain was chosen to reach [unitless].
    setups
        Setups of the whole part, including ``added_setups`` for extra machines.
    extra_operations
        Finishing processes beyond the base operations, in order of first need.
    added_inspection_minutes
        Minutes per inspected part added by characteristics needing extra operations [min].
    workholding
        How the part is held: the strategy the quote prices at the order quantity, with
        every strategy's verdict at this stage.
    validation_run
        The process validation run before the batch (``None`` for prototypes): the one
        the inspection plan inspects and the quote prices.
    """

    part_number: str
    stage: Stage
    cp_target: float
    strategy: MachiningStrategy
    turnable: bool
    setups: int
    added_setups: int
    operations: tuple[Operation, ...]
    characteristics: tuple[CharacteristicRoute, ...]
    extra_operations: tuple[str, ...]
    added_inspection_minutes: float
    workholding: Workholding
    hybrid: HybridOffer | None
    validation_run: ValidationRun | None
    notes: tuple[str, ...]

    @property
    def strategy_text(self) -> str:
        """The whole-part route, its setups and the added ones, in words."""
        return strategy_text(self.strategy.phrase, self.setups, self.added_setups)

    @property
    def tight_characteristics(self) -> tuple[str, ...]:
        """Ids of the tolerances the route's base processes do not hold.

        A size or geometric tolerance is tight when its chain needs a finishing process
        beyond the base operation, or when no chain in the catalog holds it (seed 003's
        12 % scrap of the standard approach on such parts; ``scrap_rate_tight``).
        """
        return tuple(
            r.id
            for r in self.characteristics
            if r.tolerance_mm is not None and (r.extra_operations or r.capable is False)
        )


# --------------------------------------------------------------------------------------
# Characteristics: surface, size, tolerance
# --------------------------------------------------------------------------------------

_FORM_OF_PLANE = {
    CharacteristicKind.FLATNESS,
    CharacteristicKind.STRAIGHTNESS,
    CharacteristicKind.PARALLELISM,
    CharacteristicKind.PERPENDICULARITY,
}
_FORM_OF_CYLINDER = {
    CharacteristicKind.DIAMETER,
    CharacteristicKind.ROUNDNESS,
    CharacteristicKind.CYLINDRICITY,
    CharacteristicKind.RUNOUT,
}
_LOCATED = {
    CharacteristicKind.POSITION,
    CharacteristicKind.PROFILE,
    CharacteristicKind.ANGULARITY,
    CharacteristicKind.CONCENTRICITY,
}
_GENERAL_GEOMETRIC = {
    CharacteristicKind.FLATNESS: GeometricCharacteristic.FLATNESS,
    CharacteristicKind.STRAIGHTNESS: GeometricCharacteristic.STRAIGHTNESS,
    CharacteristicKind.PERPENDICULARITY: GeometricCharacteristic.PERPENDICULARITY,
    CharacteristicKind.RUNOUT: GeometricCharacteristic.CIRCULAR_RUNOUT,
}
# Words of a characteristic's name that tell the surface when the kind does not.
_LOCATION_WORDS = ("pitch", "spacing", "centre", "center", "position", "distance")
_HOLE_WORDS = ("hole", "bore", "bush", "thread", "tapped", "counterbore")
_EXTERNAL_WORDS = ("shaft", "pin", "journal", "spigot", "boss", "stud", "seat")


def _words(name: str) -> set[str]:
    return set(name.lower().replace("-", " ").replace("_", " ").split())


def surface_class(characteristic: Characteristic, *, turnable: bool) -> SurfaceClass:
    """The surface a characteristic sits on.

    The kind decides first (a thread, an angle, a located feature, the form of a plane);
    then an ISO 286 designation (upper case: hole; lower case: shaft); then words of the
    name ("bore", "hole" … / "shaft", "pin", "seat" …); a diameter left undecided is
    external on a turned part and a hole on a milled one.
    """
    kind = characteristic.kind
    if kind is CharacteristicKind.THREAD:
        return SurfaceClass.THREAD
    if kind is CharacteristicKind.ANGLE:
        return SurfaceClass.ANGLE
    if kind in _LOCATED:
        return SurfaceClass.LOCATION
    if kind in _FORM_OF_PLANE:
        return SurfaceClass.PLANE
    if characteristic.designation:
        try:
            feature = tolerance_class(characteristic.designation).feature
        except InputError:
            feature = None
        if feature is not None:
            return SurfaceClass.HOLE if feature is FeatureType.HOLE else SurfaceClass.EXTERNAL
    words = _words(characteristic.name)
    if kind is CharacteristicKind.LENGTH and words & set(_LOCATION_WORDS):
        return SurfaceClass.LOCATION
    if words & set(_HOLE_WORDS):
        return SurfaceClass.HOLE
    if turnable and words & set(_EXTERNAL_WORDS):
        return SurfaceClass.EXTERNAL
    if kind in _FORM_OF_CYLINDER:
        return SurfaceClass.EXTERNAL if turnable else SurfaceClass.HOLE
    if kind is CharacteristicKind.ROUGHNESS and turnable:
        return SurfaceClass.EXTERNAL
    return SurfaceClass.PLANE


def _largest_dimension(part: Part) -> float | None:
    return max(part.envelope_mm) if part.envelope_mm else None


def _judged_size(characteristic: Characteristic, part: Part) -> float | None:
    """Size at which capability is judged [mm]; ``None`` outside ISO 286 or unknown."""
    if characteristic.kind in (CharacteristicKind.ROUGHNESS, CharacteristicKind.ANGLE):
        return None
    size = characteristic.nominal
    if size is None and characteristic.kind.is_geometric:
        size = _largest_dimension(part)
    if size is None or not 0 < abs(size) <= MAX_SIZE_MM:
        return None
    return abs(size)


def _tolerance(characteristic: Characteristic, part: Part) -> tuple[float | None, str | None]:
    """Total tolerance or zone width [mm] and where it comes from."""
    kind = characteristic.kind
    if kind in (CharacteristicKind.ROUGHNESS, CharacteristicKind.ANGLE, CharacteristicKind.THREAD):
        return None, None
    width = characteristic.tolerance_width
    if width is not None and width > 0:
        return width, characteristic.designation or "drawing"
    nominal = characteristic.nominal
    if characteristic.designation and nominal is not None:
        try:
            result = limits(abs(nominal), characteristic.designation)
        except InputError:
            return None, None
        return result.upper_deviation - result.lower_deviation, result.designation
    general = parse_general_tolerance(part.general_tolerance, field="part.general_tolerance")
    try:
        if kind in _GENERAL_GEOMETRIC and general.geometric_class is not None:
            length = nominal if nominal is not None else _largest_dimension(part)
            zone = geometric_tolerance(_GENERAL_GEOMETRIC[kind], length, general.geometric_class)
            return zone, general.designation
        if nominal is not None and kind is CharacteristicKind.RADIUS:
            return 2 * radius_chamfer_deviation(
                abs(nominal), general.linear_class
            ), general.designation
        if nominal is not None and kind.is_size:
            return 2 * linear_deviation(abs(nominal), general.linear_class), general.designation
    except InputError:
        return None, None
    return None, None


def _label(characteristic: Characteristic) -> str:
    return f"#{characteristic.id} {characteristic.name}"


# --------------------------------------------------------------------------------------
# One characteristic
# --------------------------------------------------------------------------------------


def route_characteristic(
    characteristic: Characteristic,
    part: Part,
    stage: Stage,
    *,
    turnable: bool,
    route_machine: str,
    gauge: GaugeChoice,
) -> CharacteristicRoute:
    """How one characteristic is made at ``stage`` on a ``route_machine`` (mill or lathe).

    Parameters
    ----------
    characteristic
        The drawing requirement.
    part
        The part it belongs to (general tolerance, envelope).
    stage
        Manufacturing stage; sets the capability target.
    turnable
        Whether the part is turned (decides the surface of an undecided diameter).
    route_machine
        ``"mill"`` or ``"lathe"``.
    gauge
        The inspection plan's gauge for it (:func:`rampwise.rules.inspection.choose_gauge`).
    """
    surface = surface_class(characteristic, turnable=turnable)
    size = _judged_size(characteristic, part)
    tolerance, tolerance_source = _tolerance(characteristic, part)
    ra_max = characteristic.max if characteristic.kind is CharacteristicKind.ROUGHNESS else None
    grade = grade_for_tolerance(size, tolerance) if size and tolerance else None
    method, minutes = gauge.gauge, gauge.minutes
    common = {
        "id": str(characteristic.id),
        "name": characteristic.name,
        "kind": characteristic.kind,
        "critical": characteristic.critical,
        "surface": surface,
        "size_mm": size,
        "tolerance_mm": tolerance,
        "tolerance_source": tolerance_source,
        "required_it_grade": grade,
        "ra_max_um": ra_max,
        "inspection": method,
        "inspection_minutes": minutes,
    }
    if surface is SurfaceClass.THREAD:
        return CharacteristicRoute(
            **common,
            chain=(),
            extra_operations=(),
            process_spread_mm=None,
            expected_cp=None,
            capable=None,
            added_inspection_minutes=0.0,
            note=f"{_label(characteristic)}: tapped or thread-milled after drilling; "
            f"checked with a {method}.",
        )
    if surface in (SurfaceClass.LOCATION, SurfaceClass.ANGLE):
        base = choose_chain(SurfaceClass.PLANE, route_machine, None, None, None, stage).base
        return CharacteristicRoute(
            **common,
            chain=base.steps,
            extra_operations=(),
            process_spread_mm=None,
            expected_cp=None,
            capable=None,
            added_inspection_minutes=0.0,
            note=f"{_label(characteristic)}: a location is held by the machine's positioning, "
            "which the process chart does not rate; machine it in the same setup as its "
            f"datum features and check it on a {method}.",
        )
    choice = choose_chain(surface, route_machine, size, tolerance, ra_max, stage)
    extra = tuple(s for s in choice.chain.steps if s not in choice.base.steps)
    return CharacteristicRoute(
        **common,
        chain=choice.chain.steps,
        extra_operations=extra,
        process_spread_mm=choice.spread,
        expected_cp=choice.expected_cp,
        capable=choice.capable,
        added_inspection_minutes=minutes if extra else 0.0,
        note=_explain(characteristic, surface, choice, size, tolerance, grade, ra_max, stage),
    )


def _explain(
    characteristic: Characteristic,
    surface: SurfaceClass,
    choice: ChainChoice,
    size: float | None,
    tolerance: float | None,
    grade: int | None,
    ra_max: float | None,
    stage: Stage,
) -> str:
    target = capability_target(stage)
    steps = " → ".join(in_words(step) for step in choice.chain.steps)
    final = process_capabilities()[choice.chain.steps[-1]]
    final_words = in_words(final.name)
    if ra_max is not None:
        article = "an" if surface.value[0] in "aeiou" else "a"
        need = f"Ra ≤ {ra_max:g} µm on {article} {surface.value} surface"
        got = f"{final_words} gives Ra {final.ra_min_um:g}–{final.ra_max_um:g} µm"
    elif tolerance is not None and size is not None:
        it = f"IT{grade}" if grade is not None else "finer than IT1"
        need = (
            f"{tolerance:.4g} mm wide at {size:g} mm ({it}); Cp ≥ {target:g} needs a spread "
            f"≤ {tolerance / target:.4g} mm"
        )
        got = f"{final_words} holds IT{final.it_min} = {choice.spread:.4g} mm" + (
            f", Cp {choice.expected_cp:.2f}" if choice.expected_cp is not None else ""
        )
    else:
        return f"{_label(characteristic)}: no limit to judge; made by {steps}."
    if choice.capable is False:
        return (
            f"{_label(characteristic)}: {need}. No chain in the catalog holds it "
            f"(finest: {steps}, {got}): open the tolerance in the review or plan a special "
            "process and measure its Cpk."
        )
    return f"{_label(characteristic)}: {need} → {steps} ({got})."


# --------------------------------------------------------------------------------------
# Whole part
# --------------------------------------------------------------------------------------


def is_turnable(part: Part) -> bool:
    """Whether the part is made on a lathe: a round section and no prismatic features.

    Without geometry the envelope must have two equal sides (within 1 %, a round bar) and
    the stated features no pockets, slots or tapped holes; pass ``turnable`` to
    :func:`plan_route` when the CAD analysis knows better (research/cad.md §5 row 10: ≥ 90 %
    of the area revolved about one axis).
    """
    if part.envelope_mm is None:
        return False
    a, b, c = sorted(part.envelope_mm)
    round_section = abs(a - b) <= 0.01 * b or abs(b - c) <= 0.01 * c
    features = part.features
    prismatic = features is not None and (
        features.pockets or features.slots or features.tapped_holes
    )
    return round_section and not prismatic


def _thin_wall(part: Part) -> float | None:
    """The thinnest wall under the seed 003 limit [mm], from the features or a 'wall' size."""
    limit = route_rule("thin_wall_mm")
    walls = [part.features.thin_wall_mm] if part.features and part.features.thin_wall_mm else []
    walls += [
        c.nominal
        for c in part.characteristics
        if c.kind is CharacteristicKind.LENGTH and c.nominal and "wall" in _words(c.name)
    ]
    thin = [w for w in walls if w < limit]
    return min(thin) if thin else None


_SOURCE_POTTING = f"{SEED_003} 'Use soft workholding for thin-walled parts'"
_SOURCE_PRODUCTION = f"{SEED_002} 'Full production tooling and jigs; automated workholding'"
_SOURCE_PLATE = f"{SEED_003} Step 2 'the Zero-Compromise Jig'"
_SOURCE_LIBRARY = f"{SEED_003} strategy 4 'Tooling Library'"
_SOURCE_PROTOTYPE = f"{SEED_002} 'Minimal setup, may use soft tooling or temporary fixturing'"
_SOURCE_HYBRID = f"{SEED_003} 'The Hybrid Machining Solution'"

_UNPRICED_PREFERENCE = (
    StrategyName.CONFORMAL_SUPPORT,
    StrategyName.TOOLING_LIBRARY,
    StrategyName.VISE,
    StrategyName.SOFT_JAWS,
    StrategyName.DEDICATED_FIXTURE,
)
"""Choice among the allowed strategies when the part cannot be priced (no envelope): the
least workholding the rules allow, as a shop would start."""


def workholding_options(
    part: Part,
    stage: Stage,
    strategy: MachiningStrategy,
    characteristics: Iterable[CharacteristicRoute],
    *,
    repeat_order: bool,
    hybrid: HybridOffer | None,
) -> tuple[WorkholdingOption, ...]:
    """Which strategies may hold the part at a stage, each with its reason and source.

    - walls under 1.5 mm: only conformal support (potting in low-melting alloy) or a
      printed blank — a vise, jaws or plate would distort the wall (seed 003);
    - a vise: prototypes only, and not on the lathe (seed 002: temporary fixturing);
    - soft jaws: prototypes, and low-volume batches whose critical characteristics need
      no finishing operation (seed 003: jaws and modular vises "introduce deflection");
      never in mass production (seed 002: "full production tooling and jigs");
    - a dedicated fixture plate: always allowed (seed 003);
    - the tooling library: repeat orders only (seed 003 strategy 4);
    - hybrid AM: where the route offers it (:func:`offer_hybrid`).

    Returns
    -------
    tuple of WorkholdingOption
        One per :class:`StrategyName`, in its order.
    """
    routes = tuple(characteristics)
    wall = _thin_wall(part)
    critical_finish = [f"#{r.id}" for r in routes if r.critical and r.extra_operations]
    limit = route_rule("thin_wall_mm")
    thin = f"a {wall:g} mm wall is under {limit:g} mm and would distort" if wall else ""

    def option(kind: StrategyName, applies: bool, reason: str, source: str) -> WorkholdingOption:
        return WorkholdingOption(kind=kind, applies=applies, reason=reason, source=source)

    turned = strategy is MachiningStrategy.TURNING
    if thin:
        vise = option(StrategyName.VISE, False, thin, _SOURCE_POTTING)
    elif stage is not Stage.PROTOTYPE:
        vise = option(
            StrategyName.VISE,
            False,
            "a batch needs a location that repeats part to part",
            _SOURCE_PROTOTYPE,
        )
    elif turned:
        vise = option(StrategyName.VISE, False, "a turned part is held in a chuck", SEED_002)
    else:
        vise = option(
            StrategyName.VISE, True, "a few prototypes need no more than a vise", _SOURCE_PROTOTYPE
        )
    if thin:
        jaws = option(StrategyName.SOFT_JAWS, False, thin, _SOURCE_POTTING)
    elif stage is Stage.MASS_PRODUCTION:
        jaws = option(
            StrategyName.SOFT_JAWS,
            False,
            "production runs on dedicated fixtures that locate every part the same way",
            _SOURCE_PRODUCTION,
        )
    elif stage is Stage.LOW_VOLUME and critical_finish:
        jaws = option(
            StrategyName.SOFT_JAWS,
            False,
            f"critical characteristics {', '.join(critical_finish)} need finishing to tight "
            "limits on every part of the batch, and jaws deflect",
            _SOURCE_PLATE,
        )
    else:
        jaws = option(
            StrategyName.SOFT_JAWS,
            True,
            "soft jaws bored or milled to the part repeat its location across the batch",
            f"{SEED_002} / {SEED_003}",
        )
    potting = option(
        StrategyName.CONFORMAL_SUPPORT,
        bool(thin),
        f"{thin}: the part is potted in low-melting-point alloy"
        if thin
        else f"no wall under {limit:g} mm",
        _SOURCE_POTTING,
    )
    plate = option(
        StrategyName.DEDICATED_FIXTURE,
        not thin,
        thin
        if thin
        else "a dedicated plate with locators holds every part the same way without deflection",
        _SOURCE_PRODUCTION if stage is Stage.MASS_PRODUCTION else _SOURCE_PLATE,
    )
    library = option(
        StrategyName.TOOLING_LIBRARY,
        repeat_order and not thin,
        thin
        if thin and repeat_order
        else (
            "a repeat order reuses a plate from the tooling library"
            if repeat_order
            else "not a repeat order"
        ),
        _SOURCE_LIBRARY,
    )
    printed = option(
        StrategyName.HYBRID_AM,
        hybrid is not None,
        hybrid.reason if hybrid is not None else _why_no_hybrid(part, stage, strategy),
        _SOURCE_HYBRID,
    )
    return (vise, jaws, potting, plate, library, printed)


def choose_workholding(
    options: Sequence[WorkholdingOption],
    *,
    unit_prices: Mapping[StrategyName, float] | None = None,
    quantity: int | None = None,
    currency: str = "USD",
) -> Workholding:
    """The strategy that holds the part: the cheapest the route allows at the order quantity.

    Parameters
    ----------
    options
        :func:`workholding_options` at the stage.
    unit_prices
        Unit price of each allowed strategy at the order quantity [currency/piece], from
        the quote; ``None`` when the part cannot be priced (the least workholding the
        rules allow is chosen).
    quantity
        The order quantity [pieces], for the reason's words.
    currency
        Currency of ``unit_prices``.
    """
    allowed = [o for o in options if o.applies]
    priced = {o.kind: unit_prices[o.kind] for o in allowed if unit_prices and o.kind in unit_prices}
    if priced:
        kind = cheapest(priced)
        others = sorted((p, k) for k, p in priced.items() if k is not kind)
        runner_up = f"; next {others[0][1].phrase} at {others[0][0]:,.2f}" if others else ""
        chosen = next(o for o in allowed if o.kind is kind)
        reason = (
            f"{chosen.reason}; the cheapest allowed at {quantity:,} pcs: "
            f"{priced[kind]:,.2f} {currency}/pc{runner_up}"
        )
    else:
        kind = next(k for k in _UNPRICED_PREFERENCE if any(o.kind is k for o in allowed))
        chosen = next(o for o in allowed if o.kind is kind)
        reason = chosen.reason
    return Workholding(
        kind=kind,
        reason=reason,
        source=chosen.source,
        alternatives=tuple(o.kind for o in allowed if o.kind is not kind),
        options=tuple(options),
    )


def _why_no_hybrid(part: Part, stage: Stage, strategy: MachiningStrategy) -> str:
    """Why :func:`offer_hybrid` made no offer, in words."""
    if stage is Stage.MASS_PRODUCTION:
        return "production volumes are machined from bar stock"
    if not part.material.metal:
        return f"{part.material.name} is not printed in metal powder"
    return "neither five-axis work nor thin walls: bar stock is simpler"


def offer_hybrid(
    part: Part,
    stage: Stage,
    strategy: MachiningStrategy,
    characteristics: Iterable[CharacteristicRoute],
) -> HybridOffer | None:
    """Seed 003's hybrid route when the part is complex, metal and the batch small.

    Complex means a five-axis route or walls under 1.5 mm; small means a prototype or
    low-volume stage. Non-critical characteristics the as-built printed surface holds at
    the stage (``lpbf_as_built`` in the process table) stay as printed; critical ones and
    the rest are finish-machined from 0.5–0.8 mm of stock. The reason quotes what the
    printed surface holds, in figures (finest IT grade, Ra band [µm]), from the same row
    (Brenner & Nedeljkovic-Groha, Appl. Sci. 2025, 15(17), 9756; Ra from an MDPI review,
    ``catalog/README-tolerance.md``).
    """
    complex_part = strategy is MachiningStrategy.MILLING_5AXIS or _thin_wall(part) is not None
    if stage is Stage.MASS_PRODUCTION or not complex_part or not part.material.metal:
        return None
    as_built: list[str] = []
    machined: list[str] = []
    for route in characteristics:
        if route.critical:  # seed 003: CNC finish on every critical feature
            machined.append(route.id)
            continue
        printed, _, _ = process_holds(
            AS_BUILT, route.size_mm, route.tolerance_mm, route.ra_max_um, stage
        )
        (as_built if printed else machined).append(route.id)
    low, high = route_rule("hybrid_stock_min_mm"), route_rule("hybrid_stock_max_mm")
    lpbf = process_capabilities()[AS_BUILT]
    grade = f"IT{lpbf.it_min} at best, " if lpbf.it_min is not None else ""
    return HybridOffer(
        stock_min_mm=low,
        stock_max_mm=high,
        as_built=tuple(as_built),
        finish_machined=tuple(machined),
        reason=(
            "a complex part in a small batch: print the blank near net in metal (as printed "
            f"it holds {grade}Ra {lpbf.ra_min_um:g}–{lpbf.ra_max_um:g} µm), leave "
            f"{low:g}–{high:g} mm of stock on the machined faces and finish only those on the "
            "CNC; in seed 003's case this cut lead time 40 % and cost 22 %"
        ),
        source=f"{SEED_003} 'The Hybrid Machining Solution'",
    )


def _operations(
    routes: tuple[CharacteristicRoute, ...], strategy: MachiningStrategy
) -> tuple[tuple[Operation, ...], int]:
    """Operations in order of first need and the number of machines beyond the route's."""
    route_machine = "lathe" if strategy is MachiningStrategy.TURNING else "mill"
    main = "turning" if strategy is MachiningStrategy.TURNING else "milling"
    base_steps = {main} | {s for r in routes for s in r.chain if s not in r.extra_operations}
    order: dict[str, list[str]] = {main: []}
    for route in routes:
        for step in route.chain:
            order.setdefault(step, []).append(route.id)
    operations = []
    new_machines: set[str] = set()
    for process, ids in order.items():
        machine = process_capabilities()[process].machine
        machine = route_machine if machine == SPINDLE else machine
        if machine != route_machine:
            new_machines.add(machine)
        operations.append(
            Operation(
                process=process,
                machine=machine,
                characteristic_ids=tuple(ids),
                extra=process not in base_steps,
                new_setup=machine != route_machine,
            )
        )
    return tuple(operations), len(new_machines)


def _strategy(turnable: bool, setups: int) -> tuple[MachiningStrategy, int, str]:
    if turnable:
        return (
            MachiningStrategy.TURNING,
            setups,
            "turned: a round section without prismatic features",
        )
    if setups >= route_rule("five_axis_min_setups"):
        five = int(route_rule("five_axis_setups"))
        return (
            MachiningStrategy.MILLING_5AXIS,
            five,
            f"{setups} three-axis setups → a 3+2 five-axis machine in {five} setups (fewer "
            "datum transfers; seed 003 moved a flatness-critical bracket to 5-axis)",
        )
    return MachiningStrategy.MILLING_3AXIS, setups, f"milled on three axes in {setups} setups"


# --------------------------------------------------------------------------------------
# The route
# --------------------------------------------------------------------------------------


def plan_route(
    project: Project,
    stage: Stage | str,
    *,
    gauges: Sequence[GaugeChoice],
    shop: ShopConfig | None = None,
    turnable: bool | None = None,
    setups: int | None = None,
) -> Route:
    """How the part will be made at a stage: per-characteristic chains and the whole route.

    The workholding is the least the rules allow (:func:`choose_workholding` without
    prices); :class:`rampwise.pipeline.Plan` replaces it with the cheapest allowed
    strategy once the quote has priced them, so route and quote name one strategy.

    Parameters
    ----------
    project
        The order: its part, quantity [pieces] and repeat-order flag.
    stage
        ``prototype``, ``low_volume`` or ``mass_production``. The stage a project belongs
        to depends on the readiness gate's evidence, so only
        :class:`rampwise.pipeline.Plan` decides it.
    gauges
        The gauge of every characteristic, in drawing order, as the inspection plan
        chose them (:func:`rampwise.rules.inspection.gauge_choices`).
    shop
        Shop defaults (the low-volume validation run's parts); ``None``: the catalog's.
    turnable
        Whether the part is turned, from the geometry analysis; default inferred from the
        envelope and features (:func:`is_turnable`).
    setups
        Three-axis setups the part needs [count], from the geometry; default
        ``part.features.setups`` or 2.

    Returns
    -------
    Route
        Chains per characteristic with their extra operations and added inspection
        minutes (for the quote), the whole-part strategy, setups, workholding, the hybrid
        offer and the process validation run.

    Raises
    ------
    InputError
        If ``stage`` is unknown or ``setups`` is not ≥ 1.
    """
    part = project.part
    try:
        stage = Stage(stage)
    except ValueError:
        valid = ", ".join(s.value for s in Stage)
        raise InputError("stage", f"must be one of {valid}; got {stage!r}") from None
    notes: list[str] = []
    if setups is None:
        setups = part.features.setups if part.features and part.features.setups else None
    if setups is None:
        setups = int(route_rule("default_setups"))
        notes.append(f"setups not stated: {setups} assumed (op 1, flip, op 2)")
    elif isinstance(setups, bool) or not isinstance(setups, int) or setups < 1:
        raise InputError("setups", f"must be a whole number ≥ 1; got {setups!r}")
    turned = is_turnable(part) if turnable is None else turnable
    strategy, base_setups, why = _strategy(turned, setups)
    notes.insert(0, f"whole part: {why}")
    route_machine = "lathe" if strategy is MachiningStrategy.TURNING else "mill"
    routes = tuple(
        route_characteristic(
            c, part, stage, turnable=turned, route_machine=route_machine, gauge=gauge
        )
        for c, gauge in zip(part.characteristics, gauges, strict=True)
    )
    operations, added_setups = _operations(routes, strategy)
    extra = tuple(op.process for op in operations if op.extra)
    not_capable = [f"#{r.id}" for r in routes if r.capable is False]
    if not_capable:
        notes.append(
            f"{', '.join(not_capable)}: no process in the catalog holds the limit with "
            f"Cp ≥ {capability_target(stage):g}; review these tolerances (seed 004)"
        )
    if added_setups:
        machines = sorted({op.machine for op in operations if op.new_setup})
        notes.append(
            f"extra machines add {added_setups} setup(s): {', '.join(map(in_words, machines))}"
        )
    hybrid = offer_hybrid(part, stage, strategy, routes)
    options = workholding_options(
        part, stage, strategy, routes, repeat_order=project.repeat_order, hybrid=hybrid
    )
    return Route(
        part_number=part.number,
        stage=stage,
        cp_target=capability_target(stage),
        strategy=strategy,
        turnable=turned,
        setups=base_setups + added_setups,
        added_setups=added_setups,
        operations=operations,
        characteristics=routes,
        extra_operations=extra,
        added_inspection_minutes=sum(r.added_inspection_minutes for r in routes),
        workholding=choose_workholding(options),
        hybrid=hybrid,
        validation_run=plan_validation_run(
            part, stage, project.quantity, shop=shop or default_shop()
        ),
        notes=tuple(notes),
    )
