"""Cycle time of one part without CAD, refined by geometry facts when a model exists.

The estimate adds up, per part [min]:

- roughing: removed volume (stock − part) over the material class's roughing rate;
- finishing: machined area over the class's finishing area rate;
- features: holes, tapped holes, pockets, slots and bores from the project's
  ``features:`` (or the CAD model) × minutes per feature × the class's time factor;
- tool changes: roughing and finishing tools per setup, one tool per feature kind and
  per added operation, each ``tool_change_seconds``;
- added operations: the finishing processes the route adds beyond its base operations
  for tolerance and roughness (ream, hone, grind…, :func:`rampwise.rules.process.plan_route`)
  and EDM of corners sharper than an end mill leaves, each timed by
  :func:`operation_adders` (:class:`OperationAdder`), counted at the route machine's rate
  (an operation on a dearer machine weighs its minutes by the rates' ratio);
- handling: loading and unloading in every setup (set by the workholding strategy).

Removed volume, machined area, feature count and setups from a CAD model
(:class:`GeometryFacts`) replace the envelope estimates. Parametric estimates like this
one run at about ±25 % (J. Intell. Manuf. 2021); the quote states that band.

References
----------
.. [1] research/quoting.md §6 item 7 (physics-bounded time model: stock = box + allowance,
   roughing = removed volume / MRR, finishing by area, setups by directions, tool changes
   3–30 s), §2.4 (removal rates), §2.2 (tool setup 5–15 min per tool).
.. [2] J. Intell. Manuf. (2021), doi 10.1007/s10845-021-01741-y (≈25 % mean error of
   parametric estimators), via research/quoting.md §1.3.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from pydantic import BaseModel, ConfigDict, Field

from rampwise.core.errors import InputError
from rampwise.core.model import FeatureCounts, Part
from rampwise.core.shop import MachineClass, ShopConfig
from rampwise.core.stock import Stock, round_axis
from rampwise.rules.process_capability import EDM, SPINDLE, process_capabilities
from rampwise.rules.threading import ThreadOperation

MM3_PER_CM3 = 1000.0
"""Volume conversion [mm³/cm³]."""

MM2_PER_CM2 = 100.0
"""Area conversion [mm²/cm²]."""

SECONDS_PER_MINUTE = 60.0


class OperationAdder(BaseModel):
    """An operation added to the part's route: time per part and one-time setup time.

    Attributes
    ----------
    name
        What it is, in plain words ("ream Ø6 H7 mounting hole").
    minutes_per_part
        Machine time added to every part [min], in minutes of the route's machine: an
        operation on a machine with another rate counts its minutes × its rate / the
        route machine's rate, so the quote prices it at its own machine's rate.
    setup_minutes
        Setup time added once per batch [min], weighed the same way.
    replaces_tapped_holes
        Tapped holes of the part's ``features`` this operation times itself (an internal
        thread characteristic, :func:`thread_adders`), so the per-hole estimate drops
        them [count].
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str
    minutes_per_part: float = Field(ge=0, allow_inf_nan=False)
    setup_minutes: float = Field(0.0, ge=0, allow_inf_nan=False)
    replaces_tapped_holes: int = Field(0, ge=0)


class GeometryFacts(BaseModel):
    """Facts a CAD model gives; each replaces the matching envelope estimate when set.

    Attributes
    ----------
    removed_volume_mm3
        Stock volume minus part volume [mm³].
    machined_area_mm2
        Area of machined faces [mm²].
    volume_mm3
        Part volume [mm³].
    feature_count
        Number of machining features (holes, pockets, slots, bosses…) [unitless].
    features
        Features by kind, when the model recognised them.
    setups
        Setup directions needed [unitless].
    turnable
        Whether the part is a lathe part.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    removed_volume_mm3: float | None = Field(None, ge=0, allow_inf_nan=False)
    machined_area_mm2: float | None = Field(None, ge=0, allow_inf_nan=False)
    volume_mm3: float | None = Field(None, gt=0, allow_inf_nan=False)
    feature_count: int | None = Field(None, ge=0)
    features: FeatureCounts | None = None
    setups: int | None = Field(None, ge=1)
    turnable: bool | None = None


class CycleTime(BaseModel):
    """First-unit cycle time of one part and what it is made of.

    Attributes
    ----------
    roughing_min, finishing_min, features_min, tool_changes_min, operations_min, handling_min
        The terms [min].
    total_min
        Their sum: machine time per part before learning [min].
    removed_volume_mm3
        Volume removed [mm³].
    machined_area_mm2
        Area finished [mm²].
    part_volume_mm3
        Volume of the part [mm³].
    feature_count
        Features counted [unitless].
    setups
        Setups per part [unitless].
    operations
        Operations added for tolerance and finish.
    from_geometry
        Names of the facts that came from a CAD model rather than estimates.
    """

    model_config = ConfigDict(frozen=True)

    roughing_min: float
    finishing_min: float
    features_min: float
    tool_changes_min: float
    operations_min: float
    handling_min: float
    total_min: float
    removed_volume_mm3: float
    machined_area_mm2: float
    part_volume_mm3: float
    feature_count: int
    setups: int
    operations: tuple[OperationAdder, ...]
    from_geometry: tuple[str, ...]

    @property
    def operations_setup_min(self) -> float:
        """Setup time the added operations need once per batch [min]."""
        return sum(op.setup_minutes for op in self.operations)

    def with_load(self, load_minutes_per_setup: float) -> CycleTime:
        """The same part held by another workholding: its handling and total [min].

        Only handling depends on the load time per setup, so the other terms stay as
        :func:`estimate_cycle_time` made them. Handling and the total are worked out here
        alone: :func:`estimate_cycle_time` finishes through this method too.

        Parameters
        ----------
        load_minutes_per_setup
            Load and unload time per setup, from the workholding strategy [min].
        """
        handling = self.setups * load_minutes_per_setup
        terms = (
            self.roughing_min,
            self.finishing_min,
            self.features_min,
            self.tool_changes_min,
            self.operations_min,
            handling,
        )
        # Both values are floats computed here from validated fields: no re-validation.
        return self.model_copy(update={"handling_min": handling, "total_min": sum(terms)})


def require_envelope(part: Part) -> tuple[float, float, float]:
    """The part's envelope [mm].

    Raises
    ------
    InputError
        If the project gives no ``part.envelope_mm``.
    """
    if part.envelope_mm is None:
        raise InputError("part.envelope_mm", "is needed to quote (three lengths [mm])")
    return part.envelope_mm


def operation_adders(
    names: Sequence[str], part: Part, shop: ShopConfig, *, route_machine: MachineClass
) -> tuple[OperationAdder, ...]:
    """Operations named by the route, each timed and weighed by its machine's rate.

    A finishing operation takes ``finishing_op_minutes`` × the material's feature time
    factor per part, and one tool setup (``finishing_op_setup_minutes``) on the route's
    machine or a machine setup (``setup_minutes_per_setup``) on a machine beyond it
    (grinder, hone, lapping machine: the part is set up again); EDM takes
    ``edm_minutes_per_corner`` × the sharp corners (``part.features.corner_count``) and
    ``edm_setup_minutes``. An operation whose process runs on a machine class of its own
    (``rate_class`` of ``catalog/process_capability.csv``: grinder, EDM) has its minutes
    weighed by that class's rate over the route machine's, so that the quote, which
    charges the route machine's rate, prices it at its own.

    Parameters
    ----------
    names
        The route's extra processes in order ("reaming", "grinding_cylindrical", "edm"…).
    part
        The part (its material's feature time factor; its sharp corners).
    shop
        ``finishing_op_minutes`` [min], ``finishing_op_setup_minutes`` [min],
        ``setup_minutes_per_setup`` [min], ``edm_minutes_per_corner`` [min],
        ``edm_setup_minutes`` [min] and machine rates
        [shop currency/h].
    route_machine
        The machine class that makes the part (its rate [shop currency/h]).

    Returns
    -------
    tuple of OperationAdder
        One per name.
    """
    factor = shop.removal_rates[part.material.removal_rate_class].feature_time_factor
    processes = process_capabilities()
    own_machine = (SPINDLE, "lathe" if route_machine.turning else "mill")
    adders = []
    for name in names:
        rate_class = processes[name].rate_class
        weight = (
            shop.machine(rate_class).rate_per_h / route_machine.rate_per_h
            if rate_class and rate_class != route_machine.name
            else 1.0
        )
        if name == EDM:
            corners = part.features.corner_count if part.features else 1
            minutes = shop.default("edm_minutes_per_corner") * corners
            setup = shop.default("edm_setup_minutes")
        else:
            minutes = shop.default("finishing_op_minutes") * factor
            on_route = processes[name].machine in own_machine
            setup = shop.default(
                "finishing_op_setup_minutes" if on_route else "setup_minutes_per_setup"
            )
        adders.append(
            OperationAdder(
                name=name, minutes_per_part=minutes * weight, setup_minutes=setup * weight
            )
        )
    return tuple(adders)


def _feature_minutes(features: FeatureCounts, shop: ShopConfig) -> float:
    return (
        features.holes * shop.default("minutes_per_hole")
        + features.tapped_holes * shop.default("minutes_per_tapped_hole")
        + features.pockets * shop.default("minutes_per_pocket")
        + features.slots * shop.default("minutes_per_slot")
        + features.bores * shop.default("minutes_per_bore")
    )


def _kinds(features: FeatureCounts) -> int:
    counts = (features.holes, features.tapped_holes, features.pockets, features.slots)
    return sum(1 for n in (*counts, features.bores) if n > 0)


def _envelope_shape(envelope: tuple[float, float, float], turned: bool) -> tuple[float, float]:
    """Envelope volume [mm³] and surface area [mm²]: a cylinder when turned, else a box."""
    if turned:
        axis = round_axis(envelope)
        diameter = max(v for i, v in enumerate(envelope) if i != axis)
        length = envelope[axis]
        return math.pi / 4 * diameter**2 * length, math.pi * diameter * (length + diameter / 2)
    a, b, c = envelope
    return a * b * c, 2 * (a * b + b * c + a * c)


def estimate_cycle_time(
    part: Part,
    *,
    shop: ShopConfig,
    stock: Stock,
    operations: Sequence[OperationAdder],
    load_minutes_per_setup: float,
    turned: bool,
    geometry: GeometryFacts | None = None,
) -> CycleTime:
    """First-unit cycle time of one part [min], with its terms.

    Parameters
    ----------
    part
        Envelope [mm], material (removal-rate class) and ``features``.
    shop
        Removal rates [cm³/min, cm²/min], feature minutes [min], tool-change time [s],
        fill fraction [unitless], default setups.
    stock
        The stock the part is cut from (its volume [mm³]).
    operations
        Finishing operations added for tolerance and roughness (or the route's).
    load_minutes_per_setup
        Load and unload time per setup, from the workholding strategy [min].
    turned
        Whether the envelope is a turned cylinder (for area and volume estimates).
    geometry
        CAD facts replacing the estimates when given.

    Returns
    -------
    CycleTime
        The terms and their sum.

    References
    ----------
    .. [1] research/quoting.md §6 item 7 and §2.2 (tool change 3–8 s), §2.4 (roughing
       rates by material class).
    """
    envelope = require_envelope(part)
    facts = geometry or GeometryFacts()
    rates = shop.removal_rates[part.material.removal_rate_class]
    envelope_volume, envelope_area = _envelope_shape(envelope, turned)
    from_geometry = tuple(
        name
        for name in (
            "removed_volume_mm3",
            "machined_area_mm2",
            "volume_mm3",
            "feature_count",
            "features",
            "setups",
        )
        if getattr(facts, name) is not None
    )
    if facts.volume_mm3 is not None:
        part_volume = facts.volume_mm3
    elif facts.removed_volume_mm3 is not None:
        part_volume = max(stock.volume_mm3 - facts.removed_volume_mm3, 0.0)
    else:
        part_volume = envelope_volume * shop.default("part_fill_fraction")
    removed = (
        facts.removed_volume_mm3
        if facts.removed_volume_mm3 is not None
        else max(stock.volume_mm3 - part_volume, 0.0)
    )
    area = facts.machined_area_mm2 if facts.machined_area_mm2 is not None else envelope_area
    features = facts.features or part.features or FeatureCounts()
    hand_count = (
        features.holes + features.tapped_holes + features.pockets + features.slots + features.bores
    )
    feature_count = facts.feature_count if facts.feature_count is not None else hand_count
    # Tapped holes a thread operation times are not timed again per hole.
    described = sum(op.replaces_tapped_holes for op in operations)
    timed = features.model_copy(update={"tapped_holes": max(features.tapped_holes - described, 0)})
    feature_min = _feature_minutes(timed, shop)
    if facts.features is None and part.features is None and feature_count:
        feature_min = feature_count * shop.default("minutes_per_hole")
    setups = facts.setups or features.setups or int(shop.default("default_setups"))
    tool_changes = 2 * setups + max(_kinds(timed), 1 if feature_count else 0) + len(operations)
    terms = {
        "roughing_min": removed / MM3_PER_CM3 / rates.roughing_cm3_per_min,
        "finishing_min": area / MM2_PER_CM2 / rates.finishing_cm2_per_min,
        "features_min": feature_min * rates.feature_time_factor,
        "tool_changes_min": tool_changes * shop.default("tool_change_seconds") / SECONDS_PER_MINUTE,
        "operations_min": sum(op.minutes_per_part for op in operations),
    }
    unloaded = CycleTime(
        **terms,
        handling_min=0.0,
        total_min=sum(terms.values()),
        removed_volume_mm3=removed,
        machined_area_mm2=area,
        part_volume_mm3=part_volume,
        feature_count=feature_count,
        setups=setups,
        operations=tuple(operations),
        from_geometry=from_geometry,
    )
    return unloaded.with_load(load_minutes_per_setup)


def thread_adders(
    threads: Sequence[ThreadOperation], part: Part, shop: ShopConfig
) -> tuple[OperationAdder, ...]:
    """The route's thread operations timed: tapping, thread milling, thread turning.

    Parameters
    ----------
    threads
        The route's thread operations (:attr:`rampwise.rules.process.Route.threads`).
    part
        The part (its material's feature time factor [unitless]).
    shop
        Removal-rate classes (the feature time factor).

    Returns
    -------
    tuple of OperationAdder
        One per thread characteristic: count × ``minutes_per_thread`` × the material's
        feature time factor per part [min], the tool's setup once per batch [min]; an
        internal thread replaces as many of the features' tapped holes, which are
        otherwise timed at ``minutes_per_tapped_hole``.

    References
    ----------
    ``catalog/threading.csv`` (minutes per thread and tool setup, with sources).
    """
    factor = shop.removal_rates[part.material.removal_rate_class].feature_time_factor
    return tuple(
        OperationAdder(
            name=f"{t.process.value} {t.count}× {t.designation}",
            minutes_per_part=t.count * t.minutes_per_thread * factor,
            setup_minutes=t.setup_minutes,
            replaces_tapped_holes=t.count if t.internal else 0,
        )
        for t in threads
    )
