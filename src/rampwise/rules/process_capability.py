"""Process capability: what each machining process holds, the chains that combine them.

A process holds, in normal production, the ISO tolerance grades ``it_min``–``it_max`` and
an average-application Ra band (``catalog/process_capability.csv``). Its natural spread at
a size is taken as IT(it_min, size); a finishing process holds a tolerance with margin when

    IT(it_min, size) · Cp_target ≤ tolerance

with Cp_target = 1.33 for low-volume and production routes (the spread within 75 % of the
tolerance, AIAG) and 1.0 for prototypes, which are inspected in full. A roughness limit is
held when it lies at or above the geometric centre of the process's Ra band (the band is
read on the chart's log scale; prototypes: anywhere in the band). ``process_chains`` lists
how processes combine per surface, cheapest first; a chain is offered only for a material
every one of its steps applies to (``catalog/process_materials.csv``: no grinding of
aluminium, brass or plastics; diamond turning, boring and fly-cutting only on non-ferrous
metals and plastics). A form, orientation or run-out zone is graded at the feature's size
against a fraction of the process's size spread (``form_spread_fraction`` of
``catalog/process_route_rules.csv``).

References
----------
.. [1] ANSI B4.2-1978 process chart and Machinery's Handbook Ra chart, via
   ``catalog/process_capability.csv`` and ``catalog/README-tolerance.md``.
.. [2] AIAG *SPC* 2nd ed. 2005 / customer requirements: Cpk ≥ 1.33
   (``catalog/capability_thresholds.csv``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache

from rampwise.catalog import load_table
from rampwise.core.errors import CatalogError
from rampwise.core.model import Stage
from rampwise.core.vocabulary import Vocabulary
from rampwise.quality.capability import capability_thresholds
from rampwise.tolerance.iso286 import standard_tolerance

SPINDLE = "spindle"
"""Machine class of processes that run on whichever mill or lathe holds the part."""

EDM = "edm"
"""Process name of electrical discharge machining: timed per sharp corner, not per feature."""


_WORDS = {
    "grinding_cylindrical": "cylindrical grinding",
    "grinding_surface": "surface grinding",
    "planing_shaping": "planing / shaping",
    "grinding_internal": "internal grinding",
    "fly_cutting": "diamond fly-cutting",
    "edm": "EDM",
    "wire_edm": "wire EDM",
    "lpbf_as_built": "laser powder-bed fusion (as built)",
}
"""Process and machine keys whose words are not the key with spaces."""


def in_words(key: str) -> str:
    """A process or machine key of the catalog as a reader says it.

    ``grinding_cylindrical`` → ``cylindrical grinding``, ``surface_grinder`` → ``surface
    grinder``, ``edm`` → ``EDM``; the key is what the JSON and the catalog keep.
    """
    return _WORDS.get(key, key.replace("_", " "))


class SurfaceClass(Vocabulary):
    """What kind of surface a characteristic sits on, which decides its process chains."""

    HOLE = (
        "hole",
        "Hole",
        "An internal diameter: drilled, then reamed, or bored and diamond-bored, ground or honed.",
    )
    EXTERNAL = (
        "external",
        "External",
        "An external diameter: turned, then finish- or diamond-turned, ground or superfinished.",
    )
    PLANE = (
        "plane",
        "Plane",
        "A flat face: milled or faced, then finished, fly-cut, ground or lapped.",
    )
    LOCATION = (
        "location",
        "Location",
        "A feature's position or distance from a datum: held by the machine and the setup.",
    )
    ANGLE = "angle", "Angle", "An angle between faces: held by the machine and the setup."
    THREAD = "thread", "Thread", "A screw thread: tapped or thread-milled after drilling."


@dataclass(frozen=True)
class ProcessCapability:
    """One row of ``catalog/process_capability.csv``.

    Attributes
    ----------
    it_min
        Finest ISO tolerance grade held in normal production [grade], ``None`` if unknown.
    ra_min_um, ra_max_um
        Average-application roughness band [µm].
    machine
        Machine tool class (``spindle``: the part's own mill or lathe).
    rate_class
        Class of ``catalog/machines.csv`` whose rate prices the process when it runs off
        the route's machine; ``None``: the route machine's rate.
    materials
        Material categories (``catalog/materials.csv``) the process applies to; ``None``:
        every one (``catalog/process_materials.csv``).
    """

    name: str
    it_min: int | None
    ra_min_um: float
    ra_max_um: float
    machine: str
    rate_class: str | None
    materials: frozenset[str] | None
    source: str

    def applies_to(self, material_category: str) -> bool:
        """True when the process can make a part of ``material_category``."""
        return self.materials is None or material_category in self.materials

    def holds_ra(self, ra_max_um: float, stage: Stage) -> bool:
        """True when the process gives Ra ≤ ``ra_max_um`` [µm] with the stage's margin."""
        if stage is Stage.PROTOTYPE:
            return self.ra_min_um <= ra_max_um
        return math.sqrt(self.ra_min_um * self.ra_max_um) <= ra_max_um


@dataclass(frozen=True)
class ProcessChain:
    """One row of ``catalog/process_chains.csv``."""

    surface: SurfaceClass
    rank: int
    steps: tuple[str, ...]
    route: str
    source: str


@cache
def process_capabilities() -> dict[str, ProcessCapability]:
    """The processes of ``catalog/process_capability.csv`` by name.

    Each carries its material categories from ``catalog/process_materials.csv``.

    Raises
    ------
    CatalogError
        If a process has no row in ``process_materials``.
    """
    applies = {
        row["process"]: None
        if row["materials"] == "any"
        else frozenset(row["materials"].split(";"))
        for row in load_table("process_materials")
    }
    missing = [
        row["process"] for row in load_table("process_capability") if row["process"] not in applies
    ]
    if missing:
        raise CatalogError(f"process_materials has no row for {missing}")
    return {
        row["process"]: ProcessCapability(
            name=row["process"],
            it_min=int(row["it_min"]) if row["it_min"] else None,
            ra_min_um=float(row["ra_avg_min_um"]),
            ra_max_um=float(row["ra_avg_max_um"]),
            machine=row["machine"],
            rate_class=row["rate_class"] or None,
            materials=applies[row["process"]],
            source=row["source"],
        )
        for row in load_table("process_capability")
    }


@cache
def process_chains() -> tuple[ProcessChain, ...]:
    """The chains of ``catalog/process_chains.csv``, cheapest first within each surface."""
    known = process_capabilities()
    chains = []
    for row in load_table("process_chains"):
        steps = tuple(row["steps"].split(">"))
        unknown = [s for s in steps if s not in known]
        if unknown:
            raise CatalogError(f"process_chains names unknown processes {unknown}")
        chains.append(
            ProcessChain(
                surface=SurfaceClass(row["surface"]),
                rank=int(row["rank"]),
                steps=steps,
                route=row["route"],
                source=row["source"],
            )
        )
    return tuple(sorted(chains, key=lambda c: (c.surface, c.rank)))


@cache
def _chains(
    surface: SurfaceClass, route_machine: str, material_category: str
) -> tuple[ProcessChain, ...]:
    """The chains of ``surface`` for a ``route_machine`` or any machine, cheapest first.

    Only chains whose every step applies to ``material_category`` are kept.
    """
    known = process_capabilities()
    return tuple(
        c
        for c in process_chains()
        if c.surface is surface
        and c.route in (route_machine, "any")
        and all(known[step].applies_to(material_category) for step in c.steps)
    )


@cache
def excluded_processes(
    surface: SurfaceClass, route_machine: str, material_category: str
) -> tuple[str, ...]:
    """Processes of a surface's chains that do not apply to a material, in chain order.

    Chains of ``surface`` on ``route_machine`` (or any machine) are read; a process is
    excluded when ``catalog/process_materials.csv`` does not list ``material_category``.
    """
    known = process_capabilities()
    steps = (
        step
        for chain in process_chains()
        if chain.surface is surface and chain.route in (route_machine, "any")
        for step in chain.steps
    )
    return tuple(dict.fromkeys(s for s in steps if not known[s].applies_to(material_category)))


@cache
def route_rules() -> dict[str, float]:
    """The constants of ``catalog/process_route_rules.csv`` by key."""
    return {row["key"]: float(row["value"]) for row in load_table("process_route_rules")}


def route_rule(key: str) -> float:
    """One constant of ``catalog/process_route_rules.csv`` (its unit is in the table)."""
    rules = route_rules()
    if key not in rules:
        raise CatalogError(f"no route rule {key!r}; valid: {', '.join(rules)}")
    return rules[key]


def capability_target(stage: Stage) -> float:
    """Cp a route must reach at ``stage`` [unitless]: 1.0 for prototypes, else AIAG 1.33."""
    if stage is Stage.PROTOTYPE:
        return route_rule("cp_target_prototype")
    return capability_thresholds().cpk_min


@dataclass(frozen=True)
class ChainChoice:
    """The chain chosen for one surface, the route's base chain and the verdict."""

    chain: ProcessChain
    base: ProcessChain
    capable: bool | None
    spread: float | None
    expected_cp: float | None


def process_spread(process: str, size_mm: float, *, form: bool = False) -> float | None:
    """Natural spread of a process at a size: IT of its finest production grade [mm].

    Parameters
    ----------
    process
        Name in ``catalog/process_capability.csv``.
    size_mm
        Size of the feature [mm].
    form
        True for a form, orientation or run-out zone: the spread is
        ``form_spread_fraction`` [unitless] of the size spread.

    Returns
    -------
    float or None
        IT(it_min, size) [mm], times ``form_spread_fraction`` for a form zone; ``None``
        when the catalog gives the process no grade.

    References
    ----------
    .. [1] ISO 286-1:2010 Table 1; ANSI B4.2-1978 process chart (process_capability).
    .. [2] ``catalog/process_route_rules.csv`` ``form_spread_fraction`` (an assumption
       bracketed by published figures; its source cell gives them).
    """
    capability = process_capabilities()[process]
    if capability.it_min is None:
        return None
    spread = standard_tolerance(size_mm, capability.it_min)
    return spread * route_rule("form_spread_fraction") if form else spread


def process_holds(
    process: str,
    size: float | None,
    tolerance: float | None,
    ra_max: float | None,
    stage: Stage,
    *,
    form: bool = False,
) -> tuple[bool | None, float | None, float | None]:
    """Whether a finishing process holds a tolerance and/or Ra at a stage.

    Parameters
    ----------
    process
        Name in ``catalog/process_capability.csv``.
    size
        Size of the feature [mm], ``None`` if unknown.
    tolerance
        Total tolerance or zone width [mm], ``None`` if none applies.
    ra_max
        Roughness limit Ra [µm], ``None`` if none applies.
    stage
        Sets the capability target.
    form
        True when ``tolerance`` is a form, orientation or run-out zone
        (:func:`process_spread`).

    Returns
    -------
    tuple
        (holds, spread [mm], expected Cp [unitless]); ``holds`` is ``None`` when there is
        nothing the chart can rate.
    """
    capability = process_capabilities()[process]
    verdicts: list[bool] = []
    spread = cp = None
    if tolerance is not None and size is not None:
        spread = process_spread(process, size, form=form)
        if spread is not None:
            cp = tolerance / spread
            verdicts.append(cp >= capability_target(stage) * (1 - 1e-9))
    if ra_max is not None:
        verdicts.append(capability.holds_ra(ra_max, stage))
    return (all(verdicts) if verdicts else None), spread, cp


def choose_chain(
    surface: SurfaceClass,
    route_machine: str,
    size: float | None,
    tolerance: float | None,
    ra_max: float | None,
    stage: Stage,
    *,
    material_category: str,
    form: bool = False,
) -> ChainChoice:
    """The cheapest chain of ``surface`` whose finishing process holds the limits.

    Chains of the ``route_machine`` (``"mill"`` or ``"lathe"``) and of ``"any"`` whose
    every step applies to ``material_category`` (``catalog/process_materials.csv``) are
    tried cheapest first; when none holds, the finest of them is returned with
    ``capable=False``. ``form`` grades a form, orientation or run-out zone
    (:func:`process_spread`).

    Raises
    ------
    CatalogError
        If no chain of the surface applies to the route machine and material.
    """
    candidates = _chains(surface, route_machine, material_category)
    if not candidates:
        raise CatalogError(
            f"process_chains has no {surface.value} chain for a {route_machine} "
            f"that applies to {material_category}"
        )
    base = candidates[0]
    for chain in candidates:
        verdict, spread, cp = process_holds(
            chain.steps[-1], size, tolerance, ra_max, stage, form=form
        )
        choice = ChainChoice(chain, base, verdict, spread, cp)
        if verdict is not False:
            break
    return choice
