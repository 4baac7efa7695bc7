"""Domain types: the project a user describes and the decisions rampwise returns.

Inputs (:class:`Project` and its parts) are validated pydantic models built from the
project file; results (:class:`StageDecision`, :class:`Readiness`, …) are frozen models
whose ``model_dump_json()`` is the JSON contract (DESIGN.md, STYLE.md point 8).

Lengths are millimetres inside. A project file that says ``unit: in`` is converted on
load by :mod:`rampwise.io.project_file`, which keeps the file's unit as
:attr:`Project.unit`: the unit results are shown in, never computed in.
"""

from __future__ import annotations

import math
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    field_validator,
    model_validator,
)

from rampwise.catalog import load_table
from rampwise.core.checks import require_whole
from rampwise.core.errors import InputError
from rampwise.core.repeat_order import PreviousOrder
from rampwise.core.units import LengthUnit
from rampwise.core.vocabulary import Vocabulary
from rampwise.tolerance.iso286 import FeatureType, tolerance_class
from rampwise.tolerance.spec import parse_tolerance
from rampwise.tolerance.thread import ThreadSpec, looks_like_thread, parse_thread

# --------------------------------------------------------------------------------------
# Closed vocabularies
# --------------------------------------------------------------------------------------


class Stage(Vocabulary):
    """Manufacturing stage of an order (seeds 000–002, 004).

    ``label`` heads a column (``"Low volume"``); ``adjective`` goes before a noun (``"the
    low-volume band"``, ``"a mass-production plan"``).
    """

    PROTOTYPE = (
        "prototype",
        "Prototype",
        "A few parts to review the design (fit, form, early function): minimal setup, "
        "every part inspected in full.",
    )
    LOW_VOLUME = (
        "low_volume",
        "Low volume",
        "Dozens to hundreds of parts (pilot run, customer testing, bridge production) "
        "that must show batch consistency.",
    )
    MASS_PRODUCTION = (
        "mass_production",
        "Mass production",
        "Series production at planned volumes on a validated process, with in-process SPC "
        "and outgoing lot sampling.",
    )


def parse_stage(value: Stage | str) -> Stage:
    """A stage from its name, forgiving case, spaces and hyphens (``"Low volume"``).

    Raises
    ------
    InputError
        Naming ``stage`` when the name is not one of the three.
    """
    if isinstance(value, Stage):
        return value
    text = str(value).strip().lower().replace("-", "_").replace(" ", "_")
    for stage in Stage:
        if stage.value == text:
            return stage
    listed = ", ".join(s.value for s in Stage)
    raise InputError("stage", f"must be one of {listed}; got {value!r}")


class PurposeGroup(Vocabulary):
    """What an order must prove: the design, the batch, or the production supply."""

    LEARNING = (
        "learning",
        "Learning",
        "The order proves the design: design review, fit check, function test, proof of concept.",
    )
    BATCH_VALIDATION = (
        "batch_validation",
        "Batch validation",
        "The order proves a batch: pilot run, customer or market testing, bridge "
        "production, clinical trial.",
    )
    PRODUCTION = (
        "production",
        "Production",
        "The order supplies production: market release, series production, inventory, "
        "commercial deployment.",
    )


class AreaStatus(Vocabulary):
    """Verdict of one readiness area; missing information is ``unknown``, never ``pass``."""

    PASS = "pass", "Pass", "The evidence given meets the area's condition."
    FAIL = "fail", "Fail", "The evidence shows the area's condition is not met; an action says why."
    UNKNOWN = (
        "unknown",
        "Unknown",
        "The evidence to judge the area is missing; never counted as a pass.",
    )


class ReadinessArea(Vocabulary):
    """The seven decision areas of seed 004's table, in its order.

    ``phrase`` is the area as the table names it in a sentence (``"design status"``).
    """

    DESIGN_STATUS = (
        "design_status",
        "Design status",
        "The design has stopped changing: revision frozen, material and finish locked, no "
        "critical DFM finding.",
    )
    PROTOTYPE_VALIDATION = (
        "prototype_validation",
        "Prototype validation",
        "Function, assembly, material and surface finish are verified on prototypes.",
    )
    QUANTITY_DEMAND = (
        "quantity_demand",
        "Quantity demand",
        "Monthly, quarterly or annual demand is known and stable.",
    )
    TOLERANCE_REVIEW = (
        "tolerance_review",
        "Tolerance review",
        "Every characteristic is toleranced, critical ones are marked, the review is done.",
    )
    SUPPLIER_CAPABILITY = (
        "supplier_capability",
        "Supplier capability",
        "Every critical characteristic is held capably (Cpk at or above the AIAG figure).",
    )
    INSPECTION_PLAN = (
        "inspection_plan",
        "Inspection plan",
        "First-article, in-process and outgoing inspection are defined for every critical "
        "characteristic.",
    )
    COST_TARGET = (
        "cost_target",
        "Cost target",
        "The piece price at the planned volume is known and at or under the target.",
    )


class CharacteristicKind(Vocabulary):
    """What a controlled characteristic constrains.

    Size kinds (``length``, ``diameter``, ``radius``, ``depth``, ``step``, ``spacing``)
    carry a nominal and deviations [mm]; ``angle`` carries them in degrees; ``roughness``
    carries an Ra limit [µm]; the geometric kinds (ISO 1101 / ASME Y14.5 symbols) carry a
    tolerance-zone width [mm]; a ``thread`` carries its designation (ISO 965-1, ASME B1.1).
    The kind, with the :class:`Feature` it sits on, decides the gauge.
    """

    LENGTH = (
        "length",
        "Length",
        "A linear size between two opposite faces (thickness, overall length, slot width) [mm].",
    )
    DIAMETER = (
        "diameter",
        "Diameter",
        "The size of a hole or shaft, with a nominal and deviations or an ISO 286 class [mm].",
    )
    RADIUS = "radius", "Radius", "A radius, with a nominal and deviations [mm]."
    DEPTH = (
        "depth",
        "Depth",
        "The depth of a hole, pocket or groove below the face it opens on [mm].",
    )
    STEP = (
        "step",
        "Step",
        "The height between two parallel faces facing the same way (a shoulder) [mm].",
    )
    SPACING = (
        "spacing",
        "Spacing",
        "The distance between the centres or axes of two features (a hole pitch) [mm].",
    )
    ANGLE = "angle", "Angle", "An angle between features, with a nominal and deviations [deg]."
    ROUGHNESS = "roughness", "Roughness", "Surface roughness: an upper limit of Ra [µm]."
    FLATNESS = (
        "flatness",
        "Flatness",
        "Form: the surface lies between two parallel planes a zone width apart [mm].",
    )
    STRAIGHTNESS = (
        "straightness",
        "Straightness",
        "Form: a line element lies within a zone of the given width [mm].",
    )
    ROUNDNESS = (
        "roundness",
        "Roundness",
        "Form: each cross-section lies between two concentric circles a zone width apart [mm].",
    )
    CYLINDRICITY = (
        "cylindricity",
        "Cylindricity",
        "Form: the surface lies between two coaxial cylinders a zone width apart [mm].",
    )
    PERPENDICULARITY = (
        "perpendicularity",
        "Perpendicularity",
        "Orientation: the feature lies within a zone at 90° to a datum [mm].",
    )
    PARALLELISM = (
        "parallelism",
        "Parallelism",
        "Orientation: the feature lies within a zone parallel to a datum [mm].",
    )
    ANGULARITY = (
        "angularity",
        "Angularity",
        "Orientation: the feature lies within a zone at a basic angle to a datum [mm].",
    )
    POSITION = (
        "position",
        "Position",
        "Location: the feature's axis or centre lies within a zone about its true position [mm].",
    )
    PROFILE = (
        "profile",
        "Profile",
        "A line or surface lies within a zone about its true profile [mm].",
    )
    RUNOUT = (
        "runout",
        "Runout",
        "The surface's variation as the part turns about a datum axis stays within the zone [mm].",
    )
    CONCENTRICITY = (
        "concentricity",
        "Concentricity",
        "Location: the feature's median points lie within a zone about a datum axis [mm].",
    )
    THREAD = (
        "thread",
        "Thread",
        "A screw thread, judged by its designation and checked with a GO/NO-GO thread gauge.",
    )

    @property
    def is_size(self) -> bool:
        """True for kinds measured as a size with nominal and deviations."""
        return self in {
            self.LENGTH,
            self.DIAMETER,
            self.RADIUS,
            self.DEPTH,
            self.STEP,
            self.SPACING,
            self.ANGLE,
        }

    @property
    def is_geometric(self) -> bool:
        """True for form, orientation, location and runout tolerances (a zone width)."""
        return not self.is_size and self not in {self.ROUGHNESS, self.THREAD}


class Feature(Vocabulary):
    """Which side of the material a size or thread is measured from: it decides the gauge."""

    HOLE = (
        "hole",
        "Hole",
        "An internal feature (hole, bore, slot, tapped hole): measured from inside it.",
    )
    SHAFT = (
        "shaft",
        "Shaft",
        "An external feature (shaft, pin, boss, threaded stud): measured across its outside.",
    )


# --------------------------------------------------------------------------------------
# Catalog-backed vocabularies
# --------------------------------------------------------------------------------------


class Material(BaseModel):
    """A stock material from ``catalog/materials.csv``.

    Attributes
    ----------
    density_g_cm3
        Density [g/cm³].
    price_usd_per_kg
        Stock price [USD/kg] as of ``price_date``.
    machinability_pct
        AISI machinability rating [%] (B1112 = 100), ``None`` where not rated.
    """

    model_config = ConfigDict(frozen=True)

    name: str
    aliases: tuple[str, ...] = ()
    category: str
    metal: bool
    density_g_cm3: float
    price_usd_per_kg: float
    price_date: str
    machinability_pct: float | None
    removal_rate_class: str
    source: str


@cache
def materials() -> dict[str, Material]:
    """All catalog materials keyed by canonical name."""
    out: dict[str, Material] = {}
    for row in load_table("materials"):
        out[row["name"]] = Material(
            name=row["name"],
            aliases=tuple(a.strip() for a in row["aliases"].split(";") if a.strip()),
            category=row["category"],
            metal=row["metal"] == "true",
            density_g_cm3=float(row["density_g_cm3"]),
            price_usd_per_kg=float(row["price_usd_per_kg"]),
            price_date=row["price_date"],
            machinability_pct=float(row["machinability_pct"]) if row["machinability_pct"] else None,
            removal_rate_class=row["removal_rate_class"],
            source=row["source"],
        )
    return out


def _normalise(name: str) -> str:
    return " ".join(name.lower().replace("_", " ").split())


def find_material(name: str, *, field: str = "material") -> Material:
    """Return the catalog material called ``name`` or one of its aliases (case-insensitive).

    Raises
    ------
    InputError
        If no material matches; the message lists the valid names.
    """
    wanted = _normalise(name)
    for material in materials().values():
        if wanted in {_normalise(material.name), *(_normalise(a) for a in material.aliases)}:
            return material
    raise InputError(field, f"unknown material {name!r}; valid: {', '.join(materials())}")


@cache
def purpose_groups() -> dict[str, PurposeGroup]:
    """Purpose word → group, from ``catalog/purposes.csv`` (in the file's order)."""
    return {row["purpose"]: PurposeGroup(row["group"]) for row in load_table("purposes")}


# --------------------------------------------------------------------------------------
# Inputs: the project document
# --------------------------------------------------------------------------------------


class _Input(BaseModel):
    """Base of input documents: unknown keys are errors, so typos never pass silently."""

    model_config = ConfigDict(extra="forbid", frozen=True)


ToleranceInput = str | float | list[float] | dict[str, float]


class Characteristic(_Input):
    """One controlled characteristic of the drawing.

    A size characteristic has a ``nominal`` [mm] and ``upper_deviation`` /
    ``lower_deviation`` [mm], given directly or through ``tolerance`` (``"±0.005"``,
    ``"[-0.005, +0.010]"``, ``{min, max}`` limits, or an ISO 286 designation such as
    ``"H7"`` on a diameter). A roughness characteristic has ``max`` (Ra [µm]); a geometric
    one has ``max`` as its zone width [mm] and may give ``feature_size`` [mm], the size of
    the feature the zone applies to (the diameter of a run-out or cylindricity seat, the
    length of a flat face, the distance of a located feature from its datum): the route
    grades the zone at that size, and at the part's largest dimension when it is absent.
    A thread (``kind: thread``) has its ``designation`` (``"M3x0.5-6H"``,
    ``"1/4-20 UNC-2B"``), whose class is its tolerance; its nominal diameter [mm] and
    internal/external side come from the designation.

    ``kind`` and ``feature`` (hole or shaft) decide the gauge. A file that leaves ``kind``
    out gets it from the name as a fallback for files written before kinds were known
    ("Thread depth" → depth, "Hole pitch" → spacing, "Bore" → a diameter of a hole), and
    ``feature`` from an ISO 286 or thread class, else from the name; :attr:`inferred`
    says what was guessed so the plan can ask for it to be written.

    Attributes
    ----------
    feature
        ``hole`` (measured from inside) or ``shaft`` (from outside); ``None`` when neither
        the file, a class nor the name says.
    count
        How many features the characteristic applies to (4 for "4× M3x0.5-6H") [count]:
        each is made and measured.
    """

    id: int | str
    name: str
    kind: CharacteristicKind = CharacteristicKind.LENGTH
    feature: Feature | None = None
    nominal: float | None = None
    feature_size: float | None = Field(None, gt=0, allow_inf_nan=False)
    tolerance: ToleranceInput | None = None
    upper_deviation: float | None = None
    lower_deviation: float | None = None
    designation: str | None = None
    min: float | None = None
    max: float | None = None
    count: int = Field(1, ge=1)
    critical: bool = False
    datum: str | None = None
    note: str | None = None
    _inferred: tuple[str, ...] = PrivateAttr(default=())

    @model_validator(mode="after")
    def _resolve_tolerance(self) -> Characteristic:
        if self.kind is CharacteristicKind.THREAD and self.tolerance is not None:
            raise InputError(
                "tolerance",
                "a thread is toleranced by the class of its designation "
                "(designation: M3x0.5-6H); remove tolerance",
            )
        if looks_like_thread(self.tolerance):
            raise InputError(
                "tolerance",
                f"{self.tolerance!r} is a thread designation: write kind: thread, "
                f"designation: {self.tolerance}",
            )
        if self.tolerance is not None:
            if self.nominal is None:
                raise InputError("nominal", "is needed to apply a tolerance")
            spec = parse_tolerance(self.tolerance, nominal=self.nominal, field="tolerance")
            object.__setattr__(self, "upper_deviation", spec.upper_deviation)
            object.__setattr__(self, "lower_deviation", spec.lower_deviation)
            if spec.designation:
                object.__setattr__(self, "designation", spec.designation)
                if self.kind is CharacteristicKind.LENGTH:
                    object.__setattr__(self, "kind", CharacteristicKind.DIAMETER)
        if (self.upper_deviation is None) != (self.lower_deviation is None):
            raise InputError("tolerance", "give both upper_deviation and lower_deviation")
        if (
            self.upper_deviation is not None
            and self.lower_deviation is not None
            and self.lower_deviation > self.upper_deviation
        ):
            raise InputError(
                "tolerance",
                f"lower deviation {self.lower_deviation} exceeds upper {self.upper_deviation}",
            )
        if self.min is not None and self.max is not None and self.min > self.max:
            raise InputError("min", f"{self.min} exceeds max {self.max}")
        if self.kind is CharacteristicKind.ROUGHNESS and self.max is None:
            raise InputError("max", "a roughness characteristic needs max (Ra [µm])")
        return self

    @model_validator(mode="after")
    def _resolve_kind_and_feature(self) -> Characteristic:
        inferred: list[str] = []
        if self.kind is CharacteristicKind.THREAD:
            spec = self._thread_spec()
            object.__setattr__(self, "designation", spec.designation)
            if self.nominal is None:
                object.__setattr__(self, "nominal", spec.nominal_mm)
            elif abs(self.nominal - spec.nominal_mm) > 1e-6 * spec.nominal_mm:
                raise InputError(
                    "nominal",
                    f"{self.nominal:g} mm differs from the thread's {spec.nominal_mm:g} mm "
                    f"({spec.designation}); leave nominal out",
                )
            self._set_feature(
                Feature.HOLE if spec.internal else Feature.SHAFT,
                f"its class {spec.tolerance_class}",
            )
        else:
            if "kind" not in self.model_fields_set and self.kind is CharacteristicKind.LENGTH:
                guessed = _kind_from_name(self.name)
                if guessed is not None:
                    object.__setattr__(self, "kind", guessed)
                    inferred.append(f"kind {guessed.value!r}")
            from_class = self._feature_from_class()
            if from_class is not None:
                self._set_feature(from_class, f"the ISO 286 class {self.designation}")
            elif self.feature is None and self.kind in _SIDED_KINDS:
                guessed_feature = _feature_from_name(self.name, self.kind)
                if guessed_feature is not None:
                    object.__setattr__(self, "feature", guessed_feature)
                    inferred.append(f"feature {guessed_feature.value!r}")
        self._inferred = tuple(inferred)
        return self

    def _thread_spec(self) -> ThreadSpec:
        if not self.designation:
            raise InputError(
                "designation",
                "a thread needs its designation, e.g. M3x0.5-6H, M8-6H or 1/4-20 UNC-2B",
            )
        return parse_thread(self.designation, field="designation")

    def _feature_from_class(self) -> Feature | None:
        """Hole or shaft from an ISO 286 class (upper case: hole), ``None`` without one."""
        if not self.designation:
            return None
        try:
            feature = tolerance_class(self.designation).feature
        except InputError:
            return None
        return Feature.HOLE if feature is FeatureType.HOLE else Feature.SHAFT

    def _set_feature(self, feature: Feature, why: str) -> None:
        if self.feature is not None and self.feature is not feature:
            raise InputError(
                "feature",
                f"is {self.feature.value} but {why} makes it a {feature.value}",
            )
        object.__setattr__(self, "feature", feature)

    @property
    def thread(self) -> ThreadSpec | None:
        """The parsed thread designation of a thread, ``None`` for other kinds."""
        if self.kind is not CharacteristicKind.THREAD or not self.designation:
            return None
        return parse_thread(self.designation, field="designation")

    @property
    def inferred(self) -> tuple[str, ...]:
        """What was guessed from the name because the file did not say it (kind, feature)."""
        return self._inferred

    @property
    def keys(self) -> tuple[str, str]:
        """How files refer to it: its id as text, then its name."""
        return str(self.id), self.name

    @property
    def toleranced(self) -> bool:
        """True when the drawing gives this characteristic a limit (a thread: its class)."""
        return (
            self.upper_deviation is not None
            or self.max is not None
            or self.min is not None
            or self.thread is not None
        )

    @property
    def tolerance_width(self) -> float | None:
        """Total tolerance [mm] (upper − lower) of a size, or the zone width of a geometric one."""
        if self.upper_deviation is not None and self.lower_deviation is not None:
            return self.upper_deviation - self.lower_deviation
        if self.kind.is_geometric and self.max is not None:
            return self.max - (self.min or 0.0)
        if self.kind.is_size and self.max is not None and self.min is not None:
            return self.max - self.min
        return None

    @property
    def lower_limit(self) -> float | None:
        """Lowest acceptable value in the characteristic's unit."""
        if self.nominal is not None and self.lower_deviation is not None:
            return self.nominal + self.lower_deviation
        return self.min

    @property
    def upper_limit(self) -> float | None:
        """Highest acceptable value in the characteristic's unit."""
        if self.nominal is not None and self.upper_deviation is not None:
            return self.nominal + self.upper_deviation
        return self.max


_SIDED_KINDS = frozenset(
    {CharacteristicKind.DIAMETER, CharacteristicKind.RADIUS, CharacteristicKind.LENGTH}
)
"""Kinds whose gauge depends on measuring from inside or outside (:class:`Feature`)."""

_KIND_WORDS: tuple[tuple[CharacteristicKind, frozenset[str]], ...] = (
    (CharacteristicKind.DEPTH, frozenset({"depth", "deep"})),
    (
        CharacteristicKind.SPACING,
        frozenset({"pitch", "spacing", "centre", "center", "centres", "centers"}),
    ),
    (CharacteristicKind.STEP, frozenset({"step", "shoulder"})),
    (CharacteristicKind.DIAMETER, frozenset({"bore", "hole", "diameter", "dia", "id", "od"})),
)
"""Fallback for files without ``kind``: words of the name, first match wins (a "Hole
depth" is a depth, a "Hole pitch" a spacing, a "Bore" a diameter)."""

_HOLE_WORDS = frozenset(
    {"bore", "hole", "holes", "id", "inner", "inside", "internal", "counterbore"}
)
_INTERNAL_LENGTH_WORDS = frozenset({"slot", "groove", "gap", "opening"})
_SHAFT_WORDS = frozenset(
    {"shaft", "pin", "journal", "spigot", "boss", "stud", "od", "outer", "outside", "external"}
)


def _name_words(name: str) -> set[str]:
    return set(name.lower().replace("-", " ").replace("_", " ").replace("/", " ").split())


def _kind_from_name(name: str) -> CharacteristicKind | None:
    """The kind a name implies (fallback for files without ``kind``), ``None`` if none."""
    words = _name_words(name)
    return next((kind for kind, keys in _KIND_WORDS if words & keys), None)


def _feature_from_name(name: str, kind: CharacteristicKind) -> Feature | None:
    """Hole or shaft from the name's words (fallback for files without ``feature``).

    A diameter or radius is either; a length is a hole only when named like a slot or
    groove (its width is measured from inside), otherwise left undecided.
    """
    words = _name_words(name)
    if kind is CharacteristicKind.LENGTH:
        return Feature.HOLE if words & _INTERNAL_LENGTH_WORDS else None
    if words & _HOLE_WORDS:
        return Feature.HOLE
    if words & _SHAFT_WORDS:
        return Feature.SHAFT
    return None


class FeatureCounts(_Input):
    """Hand-entered machining features, used for cycle time when there is no CAD model.

    ``internal_corner_radius_mm`` is the smallest internal vertical corner radius the
    drawing allows [mm] (0: a sharp corner) and ``internal_corners`` how many corners ask
    for it [count] (default: four per pocket, the corners of a rectangular pocket); a
    radius below what the smallest end mill leaves routes those corners to EDM.
    ``internal_channels`` counts internal passages a drill cannot reach (seed 003's
    cooling channel, "impossible to drill conventionally") [count]: they are printed, so
    they make the part a candidate for the hybrid route, and add no machining time.
    """

    holes: int = Field(0, ge=0)
    tapped_holes: int = Field(0, ge=0)
    pockets: int = Field(0, ge=0)
    slots: int = Field(0, ge=0)
    bores: int = Field(0, ge=0)
    setups: int | None = Field(None, ge=1)
    thin_wall_mm: float | None = Field(None, gt=0)
    internal_corner_radius_mm: float | None = Field(None, ge=0, allow_inf_nan=False)
    internal_corners: int | None = Field(None, ge=1)
    internal_channels: int = Field(0, ge=0)

    @property
    def corner_count(self) -> int:
        """Corners at ``internal_corner_radius_mm`` [count]: as stated, else four per pocket."""
        return self.internal_corners or 4 * self.pockets or 1


class Part(_Input):
    """The part: identity, material, size, drawing requirements and optional CAD model."""

    number: str
    revision: str | None = None
    name: str | None = None
    material: Material
    envelope_mm: tuple[float, float, float] | None = None
    characteristics: tuple[Characteristic, ...] = ()
    features: FeatureCounts | None = None
    finish: str | None = None
    general_tolerance: str = "ISO 2768-m"
    cad: Path | None = None

    @field_validator("material", mode="before")
    @classmethod
    def _material_by_name(cls, value: Any) -> Any:
        if isinstance(value, str | int | float) and not isinstance(value, bool):
            return find_material(str(value))  # YAML reads `material: 6061` as a number
        return value

    @field_validator("envelope_mm")
    @classmethod
    def _positive_envelope(
        cls, value: tuple[float, float, float] | None
    ) -> tuple[float, float, float] | None:
        if value is not None and any(not (v > 0) or v == float("inf") for v in value):
            raise InputError("envelope_mm", f"must be three finite lengths > 0; got {list(value)}")
        return value

    @model_validator(mode="after")
    def _unique_ids(self) -> Part:
        seen: set[str] = set()
        for ch in self.characteristics:
            if str(ch.id) in seen:
                raise InputError("characteristics", f"duplicate id {ch.id!r}")
            seen.add(str(ch.id))
        return self

    @property
    def critical_characteristics(self) -> tuple[Characteristic, ...]:
        """The characteristics the drawing marks as critical."""
        return tuple(c for c in self.characteristics if c.critical)

    def characteristic(self, key: str) -> Characteristic | None:
        """The characteristic with this id or name, ``None`` when there is none."""
        return next((c for c in self.characteristics if key in c.keys), None)


class Revision(_Input):
    """One released revision of the CAD model or drawing."""

    rev: str
    date: date


class DesignStatus(_Input):
    """What is known about the design baseline (seed 004, 'Design status')."""

    frozen: bool | None = None
    revisions: tuple[Revision, ...] = ()
    material_locked: bool | None = None
    finish_locked: bool | None = None


class Validation(_Input):
    """Which prototype validations are verified (seed 004, 'Prototype validation')."""

    function: bool | None = None
    assembly: bool | None = None
    material: bool | None = None
    surface_finish: bool | None = None


MONTHS_PER_PERIOD = {"monthly": 1, "quarterly": 3, "annual": 12}
"""Months in each demand period [months]."""


class Demand(_Input):
    """Repeat demand history or forecast [pieces per period] (seed 004, 'Quantity demand').

    Seed 004 asks whether "monthly, quarterly, or annual demand is stable": any of the
    three may be given as figures per period. ``annual`` may also be one number, a
    forecast: evidence of volume, not of stability.

    Attributes
    ----------
    monthly, quarterly
        Demand per month or per quarter, oldest first [pieces per period].
    annual
        Demand per year, oldest first, or one annual forecast [pieces per year].
    """

    monthly: tuple[float, ...] | None = None
    quarterly: tuple[float, ...] | None = None
    annual: float | tuple[float, ...] | None = None

    @field_validator("monthly", "quarterly", "annual")
    @classmethod
    def _non_negative(
        cls, value: float | tuple[float, ...] | None
    ) -> float | tuple[float, ...] | None:
        values = (value,) if isinstance(value, int | float) else value
        if values is not None and any(not (v >= 0) or v == float("inf") for v in values):
            shown = list(values) if isinstance(value, tuple) else value
            raise InputError("demand", f"periods must be finite and ≥ 0; got {shown}")
        return value

    @property
    def series(self) -> tuple[str, tuple[float, ...]] | None:
        """The finest period history given, as ``(period, figures)`` [pieces per period].

        Monthly figures, else quarterly, else annual ones (two or more); ``None`` when
        there is none.
        """
        annual = self.annual if isinstance(self.annual, tuple) and len(self.annual) > 1 else None
        for label, figures in (
            ("monthly", self.monthly),
            ("quarterly", self.quarterly),
            ("annual", annual),
        ):
            if figures:
                return label, figures
        return None

    @property
    def forecast(self) -> float | None:
        """The one annual figure when that is all the annual demand says [pieces/year]."""
        if isinstance(self.annual, tuple):
            return self.annual[0] if len(self.annual) == 1 else None
        return self.annual

    def per_month(self) -> tuple[float, str] | None:
        """The demand rate [pieces/month] and its basis in words, from any period.

        The mean of the finest history (:attr:`series`) over its months per period, else
        the annual forecast ÷ 12; ``None`` when no demand is given.
        """
        history = self.series
        if history is not None:
            label, figures = history
            months = MONTHS_PER_PERIOD[label]
            mean = math.fsum(figures) / len(figures)
            per = "" if months == 1 else f" ÷ {months}"
            return mean / months, f"mean of {len(figures)} {label} periods{per}"
        if self.forecast is not None:
            return self.forecast / 12, f"annual forecast {self.forecast:,.0f} pcs ÷ 12"
        return None


class ToleranceReview(_Input):
    """Whether the drawing's tolerances were reviewed for production (seed 004)."""

    done: bool | None = None


class SupplierCapability(_Input):
    """Capability indices the supplier has shown, per characteristic id [unitless]."""

    cpk: dict[str, float] = Field(default_factory=dict)
    ppk: dict[str, float] = Field(default_factory=dict)

    @field_validator("cpk", "ppk", mode="before")
    @classmethod
    def _keys_as_text(cls, value: Any) -> Any:
        return _text_keys(value)


def _text_keys(value: Any) -> Any:
    """A mapping keyed by characteristic id written as a number in YAML, keyed as text."""
    if isinstance(value, dict):
        return {str(k): v for k, v in value.items()}
    return value


class InspectionPlanStatus(_Input):
    """Which inspection steps are defined (seed 004, 'Inspection plan')."""

    fai: bool | None = None
    in_process: bool | None = None
    outgoing: bool | None = None


class CostTarget(_Input):
    """Target piece price at a planned volume (seed 004, 'Cost target').

    Attributes
    ----------
    unit_price
        Target price of one piece [``currency``/piece].
    at_quantity
        Planned production volume the target is for [pieces].
    currency
        Currency of ``unit_price`` [ISO 4217 code, upper case]. Compared with quotes in
        another currency only through the shop file's ``exchange_rates``.
    """

    unit_price: float = Field(gt=0)
    at_quantity: int = Field(gt=0)
    currency: str = "USD"

    @field_validator("currency")
    @classmethod
    def _currency_code(cls, value: str) -> str:
        code = value.strip().upper()
        if len(code) != 3 or not code.isascii() or not code.isalpha():
            raise InputError(
                "cost_target.currency",
                f"must be a three-letter ISO 4217 currency code (USD, EUR …); got {value!r}",
            )
        return code


class Project(_Input):
    """Everything a user states about one order.

    Every section but ``part``, ``quantity`` and ``purpose`` is optional; what is missing
    is *unknown* to the readiness gate, never assumed to pass.

    ``repeat_order``: the part was made before, so its CAM programs and the tooling
    library are reused. ``previous_order`` (:class:`~rampwise.core.repeat_order.
    PreviousOrder`) says what that order was — revision, date, what changed since — and
    so whether a new first article is needed (AS9102B §4.6); it makes the project a
    repeat order.
    """

    project: str
    part: Part
    quantity: int = Field(gt=0)
    purpose: str | None = None
    design: DesignStatus = DesignStatus()
    validation: Validation = Validation()
    demand: Demand = Demand()
    tolerance_review: ToleranceReview = ToleranceReview()
    supplier: SupplierCapability = SupplierCapability()
    inspection_plan: InspectionPlanStatus = InspectionPlanStatus()
    cost_target: CostTarget | None = None
    repeat_order: bool = False
    previous_order: PreviousOrder | None = None
    measurements: Path | None = None
    gauge_studies: dict[str, Path] = Field(default_factory=dict)
    unit: LengthUnit = LengthUnit.MM
    """Display unit of the results: the unit the file was written in (the lengths above
    are mm whatever it says; :mod:`rampwise.io.project_file` converted them)."""

    @model_validator(mode="before")
    @classmethod
    def _previous_order_repeats(cls, data: Any) -> Any:
        """A project with a previous order is a repeat order (tooling library, programs)."""
        if not isinstance(data, dict) or data.get("previous_order") is None:
            return data
        if data.get("repeat_order", True) is False:
            raise InputError(
                "repeat_order", "must not be false with a previous_order: the part was made before"
            )
        return {**data, "repeat_order": True}

    @model_validator(mode="after")
    def _previous_order_of_this_part(self) -> Project:
        previous = self.previous_order
        if previous is None:
            return self
        if self.part.revision is None:
            raise InputError(
                "part.revision",
                "is required with previous_order: AS9102 keeps a first article only for the "
                "same revision",
            )
        ids = {str(c.id) for c in self.part.characteristics}
        unknown = [key for key in previous.affected if key not in ids]
        if unknown:
            raise InputError(
                "previous_order.affected", f"no characteristic with id {', '.join(unknown)}"
            )
        return self

    @field_validator("gauge_studies", mode="before")
    @classmethod
    def _study_keys_as_text(cls, value: Any) -> Any:
        return _text_keys(value)

    @field_validator("quantity", mode="before")
    @classmethod
    def _whole_quantity(cls, value: Any) -> Any:
        if isinstance(value, str):
            raise InputError("quantity", f"must be a whole number ≥ 1; got {value!r}")
        return require_whole("quantity", value)

    @field_validator("purpose")
    @classmethod
    def _known_purpose(cls, value: str | None) -> str | None:
        if value is not None and value not in purpose_groups():
            raise InputError(
                "purpose", f"unknown purpose {value!r}; valid: {', '.join(purpose_groups())}"
            )
        return value

    @property
    def purpose_group(self) -> PurposeGroup | None:
        """The group of the stated purpose, or ``None`` when no purpose is given."""
        return purpose_groups()[self.purpose] if self.purpose else None


# --------------------------------------------------------------------------------------
# Results
# --------------------------------------------------------------------------------------


class _Result(BaseModel):
    """Base of results: frozen, so a result never changes after it is returned."""

    model_config = ConfigDict(frozen=True)


class RuleFired(_Result):
    """One rule of the stage decision that applied, with the seed it implements."""

    rule: str
    says: str
    source: str


class StageDecision(_Result):
    """Which stage the order belongs to and why."""

    stage: Stage
    purpose: str | None
    purpose_group: PurposeGroup | None
    quantity: int
    borderline: bool
    rules: tuple[RuleFired, ...]
    warnings: tuple[str, ...]
    blockers: tuple[str, ...]
    next_stage: Stage | None
    next_steps: tuple[str, ...]


class AreaResult(_Result):
    """One readiness area: verdict, the evidence used, and the action that closes it."""

    area: ReadinessArea
    status: AreaStatus
    evidence: tuple[str, ...]
    action: str | None
    source: str


class Readiness(_Result):
    """The seven-area mass-production readiness gate (seed 004)."""

    ready: bool
    areas: tuple[AreaResult, ...]
    blockers: tuple[str, ...]

    def area(self, name: ReadinessArea) -> AreaResult:
        """The result of one area."""
        return next(a for a in self.areas if a.area is name)


class StageProfile(_Result):
    """The comparison row of the seeds for one stage."""

    stage: Stage
    main_purpose: str
    typical_quantity: str
    quality_focus: str
    delivery_focus: str
    setup: str
    flexibility: str
    inspection: str
    cost_per_part: str
    ideal_for: str
    source: str


PROFILE_ASPECTS: tuple[str, ...] = tuple(
    name for name in StageProfile.model_fields if name not in {"stage", "source"}
)
"""The comparison aspects of a stage profile, in the seeds' row order."""
