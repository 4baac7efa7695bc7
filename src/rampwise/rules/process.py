"""Route: how each characteristic will be made, how the part is held, how it is proven.

For every controlled characteristic the route picks the cheapest process chain that holds
its tolerance and finish with the stage's margin (:mod:`rampwise.rules.process_capability`:
IT(it_min, size) · Cp_target ≤ tolerance, Cp_target 1.33 for batches, 1.0 for fully
inspected prototypes). Steps beyond the route's base operation (reaming after drilling,
grinding after turning) are the *extra operations* the quote prices, with the added
inspection minutes of the gauge their tolerance needs — seed 003's "tolerance paradox" in
numbers. Only chains whose every process applies to the part's material are offered
(``catalog/process_materials.csv``: aluminium and plastics are never ground; their fine
faces, bores and diameters are fly-cut, diamond-bored or diamond-turned). A geometric zone
is graded at its feature's size (``feature_size``), at the part's largest dimension when
the drawing gives none (the note says so). An internal corner radius below what the
smallest end mill leaves adds an EDM operation (:func:`edm_corners`). The whole-part route
(turning, 3-axis or 5-axis milling), which set-up strategies may hold the part
(:func:`workholding_options`; the quote prices them and the cheapest holds it,
:func:`choose_workholding`), seed 003's hybrid additive near-net + CNC finish offer and the
process validation run (:mod:`rampwise.rules.validation_run`) complete the plan;
:func:`plan_route` returns it all.

References
----------
.. [1] ``catalog/process_capability.csv`` (ANSI B4.2-1978 process chart; Machinery's
   Handbook Ra chart) and ``catalog/README-tolerance.md``.
.. [2] AIAG, *Production Part Approval Process*, 4th ed. 2006, §2.2.11.3; AIAG *SPC*
   2nd ed. 2005 (Cpk ≥ 1.33, ≥ 100 readings).
.. [3] Seed 003 (hybrid AM near-net + CNC finish, 0.5–0.8 mm stock; fixture plate;
   conformal support below 1.5 mm walls; "never skip the process validation run").
.. [4] Seed 002 (prototype: temporary fixturing; production: full tooling and jigs).
.. [5] ``catalog/process_materials.csv`` (which processes apply to which material) and
   ``catalog/process_route_rules.csv`` (``form_spread_fraction``,
   ``min_milled_corner_radius_mm``: R 0.25 mm, Hubs design guide via zekes3d.com).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict

from rampwise.core.errors import InputError
from rampwise.core.model import Characteristic, CharacteristicKind, Part, Project, Stage
from rampwise.core.shop import ShopConfig, default_shop
from rampwise.core.vocabulary import Vocabulary
from rampwise.rules.additive import why_not_printed
from rampwise.rules.inspection import GaugeChoice
from rampwise.rules.process_capability import (
    EDM,
    SPINDLE,
    ChainChoice,
    SurfaceClass,
    capability_target,
    choose_chain,
    excluded_processes,
    in_words,
    process_capabilities,
    process_holds,
    route_rule,
)
from rampwise.rules.strategies import StrategyName, WorkholdingOption, cheapest
from rampwise.rules.threading import ThreadOperation, thread_operation, thread_operations
from rampwise.rules.validation_run import ValidationRun
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


class SizeSource(Vocabulary):
    """Which size a characteristic's capability is judged at."""

    FEATURE = (
        "feature",
        "Feature size",
        "The size of the feature a geometric zone applies to, as the drawing gives it.",
    )
    NOMINAL = "nominal", "Nominal", "The characteristic's nominal size."
    ENVELOPE = (
        "envelope",
        "Part envelope",
        "The part's largest dimension: a geometric zone whose feature size is not given.",
    )

    @property
    def phrase(self) -> str:
        """The size inside a sentence: ``"the feature's size"``, ``"its nominal"``…."""
        if self is SizeSource.ENVELOPE:
            return "the part's largest dimension: no feature_size given"
        return "the feature's size" if self is SizeSource.FEATURE else "its nominal"


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
        Size the capability is judged at [mm]; ``size_source`` says which: ``feature``
        (a geometric zone's ``feature_size``), ``nominal``, or ``envelope`` (the part's
        largest dimension, for a geometric zone whose feature size the drawing omits).
    tolerance_mm
        Total tolerance or zone width [mm]; ``tolerance_source`` says where it came from.
    nominal_mm, upper_deviation_mm, lower_deviation_mm
        The drawing's nominal size and deviations [mm] when it gives them (an ISO 286
        class resolved), for the faces to print the size as drawn; ``None`` otherwise.
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
    size_source: SizeSource | None = None
    tolerance_mm: float | None
    tolerance_source: str | None
    nominal_mm: float | None = None
    upper_deviation_mm: float | None = None
    lower_deviation_mm: float | None = None
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
    threads
        How each thread characteristic is made (tapping, thread milling, thread
        turning, :mod:`rampwise.rules.threading`); the cycle time times them.
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
    threads: tuple[ThreadOperation, ...] = ()

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
    CharacteristicKind.SPACING,
    CharacteristicKind.POSITION,
    CharacteristicKind.PROFILE,
    CharacteristicKind.ANGULARITY,
    CharacteristicKind.CONCENTRICITY,
}
_FORM_ZONE = {
    CharacteristicKind.FLATNESS,
    CharacteristicKind.STRAIGHTNESS,
    CharacteristicKind.ROUNDNESS,
    CharacteristicKind.CYLINDRICITY,
    CharacteristicKind.PARALLELISM,
    CharacteristicKind.PERPENDICULARITY,
    CharacteristicKind.RUNOUT,
}
"""Form, orientation and run-out zones: graded against ``form_spread_fraction`` of a
process's size spread (:func:`rampwise.rules.process_capability.process_spread`)."""
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


def _judged_size(
    characteristic: Characteristic, part: Part
) -> tuple[float | None, SizeSource | None]:
    """Size at which capability is judged [mm] and which size it is.

    A geometric zone is graded at its ``feature_size``, else its nominal, else the part's
    largest dimension; a size at its nominal. ``None`` outside ISO 286 or unknown.
    """
    if characteristic.kind in (CharacteristicKind.ROUGHNESS, CharacteristicKind.ANGLE):
        return None, None
    size, source = characteristic.nominal, SizeSource.NOMINAL
    if characteristic.kind.is_geometric:
        if characteristic.feature_size is not None:
            size, source = characteristic.feature_size, SizeSource.FEATURE
        elif size is None:
            size, source = _largest_dimension(part), SizeSource.ENVELOPE
    if size is None or not 0 < abs(size) <= MAX_SIZE_MM:
        return None, None
    return abs(size), source


def _tolerance(
    characteristic: Characteristic, part: Part, size: float | None
) -> tuple[float | None, str | None]:
    """Total tolerance or zone width [mm] and where it comes from.

    An untoleranced geometric characteristic takes the ISO 2768-2 zone of the part's
    general tolerance at ``size`` [mm], the size it is judged at.
    """
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
            zone = geometric_tolerance(_GENERAL_GEOMETRIC[kind], size, general.geometric_class)
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
    size, size_source = _judged_size(characteristic, part)
    tolerance, tolerance_source = _tolerance(characteristic, part, size)
    material = part.material.category
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
        "size_source": size_source,
        "tolerance_mm": tolerance,
        "tolerance_source": tolerance_source,
        "nominal_mm": characteristic.nominal,
        "upper_deviation_mm": characteristic.upper_deviation,
        "lower_deviation_mm": characteristic.lower_deviation,
        "required_it_grade": grade,
        "ra_max_um": ra_max,
        "inspection": method,
        "inspection_minutes": minutes,
    }
    if surface is SurfaceClass.THREAD:
        threading = thread_operation(characteristic, part, turned=route_machine == "lathe")
        return CharacteristicRoute(
            **common,
            chain=(threading.process.value,),
            extra_operations=(),
            process_spread_mm=None,
            expected_cp=None,
            capable=None,
            added_inspection_minutes=0.0,
            note=f"{_label(characteristic)}: {threading.reason}; checked with a {method}.",
        )
    unrated = surface is SurfaceClass.ANGLE or (
        surface is SurfaceClass.LOCATION and (size is None or tolerance is None)
    )
    if unrated:
        base = choose_chain(
            SurfaceClass.PLANE, route_machine, None, None, None, stage, material_category=material
        ).base
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
    form = characteristic.kind in _FORM_ZONE
    choice = choose_chain(
        surface,
        route_machine,
        size,
        tolerance,
        ra_max,
        stage,
        material_category=material,
        form=form,
    )
    extra = tuple(s for s in choice.chain.steps if s not in choice.base.steps)
    return CharacteristicRoute(
        **common,
        chain=choice.chain.steps,
        extra_operations=extra,
        process_spread_mm=choice.spread,
        expected_cp=choice.expected_cp,
        capable=choice.capable,
        added_inspection_minutes=minutes if extra else 0.0,
        note=_explain(
            characteristic,
            surface,
            choice,
            _Judged(size, size_source, tolerance, grade, ra_max, form),
            stage,
            excluded=excluded_processes(surface, route_machine, material),
            material=part.material.name,
        ),
    )


@dataclass(frozen=True)
class _Judged:
    """What a characteristic's chain was judged on.

    Size [mm] and its source, tolerance [mm], required IT grade, Ra limit [µm], and
    whether the zone is a form zone.
    """

    size: float | None
    size_source: SizeSource | None
    tolerance: float | None
    grade: int | None
    ra_max: float | None
    form: bool


def _explain(
    characteristic: Characteristic,
    surface: SurfaceClass,
    choice: ChainChoice,
    judged: _Judged,
    stage: Stage,
    *,
    excluded: tuple[str, ...],
    material: str,
) -> str:
    target = capability_target(stage)
    steps = " → ".join(in_words(step) for step in choice.chain.steps)
    final = process_capabilities()[choice.chain.steps[-1]]
    final_words = in_words(final.name)
    size, tolerance, grade, ra_max = judged.size, judged.tolerance, judged.grade, judged.ra_max
    finished = choice.chain != choice.base or choice.capable is False
    not_for = (
        f"; not for {material}: {', '.join(map(in_words, excluded))}"
        if excluded and finished
        else ""
    )
    datum = (
        "; machine it in the same setup as its datum features"
        if surface is SurfaceClass.LOCATION
        else ""
    )
    if ra_max is not None:
        article = "an" if surface.value[0] in "aeiou" else "a"
        need = f"Ra ≤ {ra_max:g} µm on {article} {surface.value} surface"
        got = f"{final_words} gives Ra {final.ra_min_um:g}–{final.ra_max_um:g} µm"
    elif tolerance is not None and size is not None:
        it = f"IT{grade}" if grade is not None else "finer than IT1"
        basis = f" ({judged.size_source.phrase})" if judged.size_source else ""
        need = (
            f"{tolerance:.4g} mm wide at {size:g} mm{basis} ({it}); Cp ≥ {target:g} needs a "
            f"spread ≤ {tolerance / target:.4g} mm"
        )
        share = f" × {route_rule('form_spread_fraction'):g} (form)" if judged.form else ""
        got = f"{final_words} holds IT{final.it_min}{share} = {choice.spread:.4g} mm" + (
            f", Cp {choice.expected_cp:.2f}" if choice.expected_cp is not None else ""
        )
    else:
        return f"{_label(characteristic)}: no limit to judge; made by {steps}."
    if choice.capable is False:
        return (
            f"{_label(characteristic)}: {need}. No chain in the catalog holds it "
            f"(finest: {steps}, {got}{not_for}): open the tolerance in the review or plan a "
            "special process and measure its Cpk."
        )
    return f"{_label(characteristic)}: {need} → {steps} ({got}{not_for}){datum}."


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
    StrategyName.HYBRID_AM,
)
"""Choice among the allowed strategies when the part cannot be priced (no envelope): the
least workholding the rules allow, as a shop would start (the printed blank only where
nothing else may make the part)."""


def workholding_options(
    part: Part,
    stage: Stage,
    strategy: MachiningStrategy,
    characteristics: Iterable[CharacteristicRoute],
    *,
    repeat_order: bool,
    hybrid: HybridOffer | None,
    quantity: int,
    shop: ShopConfig,
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
    - hybrid AM: where the route offers it (:func:`offer_hybrid`); ``quantity`` [pieces]
      and ``shop`` (printer, powders) say why it does not. Where it is offered for
      internal channels a drill cannot reach, no bar-stock strategy applies (seed 003).

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
        hybrid.reason
        if hybrid is not None
        else _why_no_hybrid(part, stage, strategy, quantity, shop),
        _SOURCE_HYBRID,
    )
    bar: tuple[WorkholdingOption, ...] = (vise, jaws, potting, plate, library)
    channels = part.features.internal_channels if part.features else 0
    if channels and hybrid is not None:  # seed 003: "impossible to drill conventionally"
        drilled = (
            f"{channels} internal channel(s) cannot be drilled in bar stock: only the printed "
            "blank makes them"
        )
        bar = tuple(
            o.model_copy(update={"applies": False, "reason": drilled, "source": _SOURCE_HYBRID})
            if o.applies
            else o
            for o in bar
        )
    return (*bar, printed)


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


def _hybrid_candidate(part: Part, strategy: MachiningStrategy) -> str | None:
    """What makes the part a candidate for a printed blank, in words, or ``None``."""
    channels = part.features.internal_channels if part.features else 0
    if channels:
        return f"{channels} internal channel(s) a drill cannot reach"
    if strategy is MachiningStrategy.MILLING_5AXIS:
        return "five-axis work"
    wall = _thin_wall(part)
    return f"a {wall:g} mm wall" if wall is not None else None


def _why_no_hybrid(
    part: Part, stage: Stage, strategy: MachiningStrategy, quantity: int, shop: ShopConfig
) -> str:
    """Why :func:`offer_hybrid` made no offer, in words."""
    if stage is Stage.MASS_PRODUCTION:
        return "production volumes are machined from bar stock"
    unprintable = why_not_printed(part, quantity, shop)
    if unprintable is not None:
        return unprintable
    return (
        "no internal channel a drill cannot reach, no five-axis work, no thin wall: bar "
        "stock is simpler"
    )


def offer_hybrid(
    part: Part,
    stage: Stage,
    strategy: MachiningStrategy,
    characteristics: Iterable[CharacteristicRoute],
    *,
    quantity: int,
    shop: ShopConfig,
) -> HybridOffer | None:
    """Seed 003's hybrid route when the part is complex, printable and the lot small.

    Complex means internal channels a drill cannot reach, a five-axis route or walls
    under 1.5 mm; printable means the part's alloy has a powder and the blank fits the
    printer's build volume, and small a lot within the low-volume band at a prototype or
    low-volume stage (:func:`rampwise.rules.additive.why_not_printed`, with ``quantity``
    [pieces] and the ``shop``'s printer and powders). Non-critical characteristics the
    as-built printed surface holds at the stage (``lpbf_as_built`` in the process table)
    stay as printed; critical ones and the rest are finish-machined from 0.5–0.8 mm of
    stock. The reason quotes what the
    printed surface holds, in figures (finest IT grade, Ra band [µm]), from the same row
    (Brenner & Nedeljkovic-Groha, Appl. Sci. 2025, 15(17), 9756; Ra from an MDPI review,
    ``catalog/README-tolerance.md``).
    """
    candidate = _hybrid_candidate(part, strategy)
    if (
        stage is Stage.MASS_PRODUCTION
        or candidate is None
        or why_not_printed(part, quantity, shop) is not None
    ):
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
            f"a complex part ({candidate}) in a small batch: print the blank near net in "
            "metal (as printed "
            f"it holds {grade}Ra {lpbf.ra_min_um:g}–{lpbf.ra_max_um:g} µm), leave "
            f"{low:g}–{high:g} mm of stock on the machined faces and finish only those on the "
            "CNC; the quote prices the printer's builds"
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


class EdmCorners(_Result):
    """Internal corners sharper than an end mill leaves, and what makes them.

    Attributes
    ----------
    radius_mm
        Smallest internal corner radius the drawing allows [mm].
    limit_mm
        Smallest radius an end mill leaves (``min_milled_corner_radius_mm``) [mm].
    corners
        How many corners ask for it [count].
    operation
        The EDM operation, or ``None`` when the material cannot be eroded.
    note
        The verdict in words.
    """

    radius_mm: float
    limit_mm: float
    corners: int
    operation: Operation | None
    note: str


def edm_corners(part: Part) -> EdmCorners | None:
    """The EDM operation sharp internal corners need, when the drawing asks for them.

    A corner radius below ``min_milled_corner_radius_mm`` (R 0.25 mm: the smallest end
    mill, Hubs design guide via zekes3d.com) cannot be milled: wire EDM (through) or sinker
    EDM (blind) finishes it after milling, on a machine beyond the mill, priced at the
    EDM rate of ``catalog/machines.csv``. EDM erodes conductive metals only
    (``catalog/process_materials.csv``); on a plastic part the note asks for a radius or
    a dog-bone relief instead.

    Parameters
    ----------
    part
        ``features.internal_corner_radius_mm`` [mm] and ``internal_corners`` [count].

    Returns
    -------
    EdmCorners or None
        ``None`` when no corner is sharper than an end mill leaves.
    """
    features = part.features
    radius = features.internal_corner_radius_mm if features else None
    limit = route_rule("min_milled_corner_radius_mm")
    if features is None or radius is None or radius >= limit:
        return None
    corners = features.corner_count
    sharp = f"{corners} internal corner(s) at R{radius:g} mm, below the R{limit:g} mm"
    edm = process_capabilities()[EDM]
    if not edm.applies_to(part.material.category):
        return EdmCorners(
            radius_mm=radius,
            limit_mm=limit,
            corners=corners,
            operation=None,
            note=f"{sharp} the smallest end mill leaves, and {part.material.name} cannot "
            "be eroded (EDM cuts conductive metals): ask for a larger radius or dog-bone "
            "reliefs (DFM rule corner.sharp)",
        )
    return EdmCorners(
        radius_mm=radius,
        limit_mm=limit,
        corners=corners,
        operation=Operation(
            process=EDM,
            machine=edm.machine,
            characteristic_ids=(),
            extra=True,
            new_setup=True,
        ),
        note=f"{sharp} the smallest end mill leaves: EDM after milling (wire through, "
        "sinker blind), priced at the EDM rate",
    )


# --------------------------------------------------------------------------------------
# The route
# --------------------------------------------------------------------------------------


def plan_route(
    project: Project,
    stage: Stage | str,
    *,
    gauges: Sequence[GaugeChoice],
    validation_run: ValidationRun | None,
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
    validation_run
        The stage's process validation run
        (:func:`rampwise.rules.validation_run.plan_validation_run`), planned once by
        :class:`rampwise.pipeline.Plan` and shared with the inspection plan; ``None`` at
        the prototype stage.
    shop
        Shop defaults (the printer and powders of the hybrid offer); ``None``: the
        catalog's.
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
    operations, added_setups = _operations(
        tuple(r for r in routes if r.surface is not SurfaceClass.THREAD), strategy
    )
    threads = thread_operations(part, turned=turned)
    operations += _thread_steps(threads, route_machine)
    corners = edm_corners(part)
    if corners is not None:
        notes.append(corners.note)
        if corners.operation is not None:
            operations += (corners.operation,)
            added_setups += 1
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
    shop = shop or default_shop()
    hybrid = offer_hybrid(part, stage, strategy, routes, quantity=project.quantity, shop=shop)
    options = workholding_options(
        part,
        stage,
        strategy,
        routes,
        repeat_order=project.repeat_order,
        hybrid=hybrid,
        quantity=project.quantity,
        shop=shop,
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
        validation_run=validation_run,
        notes=tuple(notes),
        threads=threads,
    )


def _thread_steps(threads: Sequence[ThreadOperation], route_machine: str) -> tuple[Operation, ...]:
    """The thread operations as steps on the route's mill or lathe, one per process."""
    ids: dict[str, list[str]] = {}
    for thread in threads:
        ids.setdefault(thread.process.value, []).append(thread.characteristic_id)
    return tuple(
        Operation(
            process=process,
            machine=route_machine,
            characteristic_ids=tuple(found),
            extra=False,
            new_setup=False,
        )
        for process, found in ids.items()
    )
