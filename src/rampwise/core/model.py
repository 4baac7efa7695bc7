"""Domain types: the project a user describes and the decisions rampwise returns.

Inputs (:class:`Project` and its parts) are validated pydantic models built from the
project file; results (:class:`StageDecision`, :class:`Readiness`, …) are frozen models
whose ``model_dump_json()`` is the JSON contract (DESIGN.md, STYLE.md point 8).

Lengths are millimetres inside. A project file that says ``unit: in`` is converted on
load by :mod:`rampwise.io.project_file`; nothing here knows about inches.
"""

from __future__ import annotations

from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    field_validator,
    model_validator,
)

from rampwise.catalog import load_table
from rampwise.core.checks import require_whole
from rampwise.core.errors import InputError
from rampwise.core.vocabulary import Vocabulary
from rampwise.tolerance.spec import parse_tolerance

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

    Size kinds (``length``, ``diameter``, ``radius``) carry a nominal and deviations [mm];
    ``angle`` carries them in degrees; ``roughness`` carries an Ra limit [µm]; the
    geometric kinds (ISO 1101 / ASME Y14.5 symbols) carry a tolerance-zone width [mm].
    """

    LENGTH = "length", "Length", "A linear size, with a nominal and deviations [mm]."
    DIAMETER = (
        "diameter",
        "Diameter",
        "The size of a hole or shaft, with a nominal and deviations or an ISO 286 class [mm].",
    )
    RADIUS = "radius", "Radius", "A radius, with a nominal and deviations [mm]."
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
        return self in {self.LENGTH, self.DIAMETER, self.RADIUS, self.ANGLE}

    @property
    def is_geometric(self) -> bool:
        """True for form, orientation, location and runout tolerances (a zone width)."""
        return not self.is_size and self not in {self.ROUGHNESS, self.THREAD}


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
    one has ``max`` as its zone width [mm].
    """

    id: int | str
    name: str
    kind: CharacteristicKind = CharacteristicKind.LENGTH
    nominal: float | None = None
    tolerance: ToleranceInput | None = None
    upper_deviation: float | None = None
    lower_deviation: float | None = None
    designation: str | None = None
    min: float | None = None
    max: float | None = None
    critical: bool = False
    datum: str | None = None
    note: str | None = None

    @model_validator(mode="after")
    def _resolve_tolerance(self) -> Characteristic:
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

    @property
    def keys(self) -> tuple[str, str]:
        """How files refer to it: its id as text, then its name."""
        return str(self.id), self.name

    @property
    def toleranced(self) -> bool:
        """True when the drawing gives this characteristic a limit."""
        return self.upper_deviation is not None or self.max is not None or self.min is not None

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


class FeatureCounts(_Input):
    """Hand-entered machining features, used for cycle time when there is no CAD model."""

    holes: int = Field(0, ge=0)
    tapped_holes: int = Field(0, ge=0)
    pockets: int = Field(0, ge=0)
    slots: int = Field(0, ge=0)
    bores: int = Field(0, ge=0)
    setups: int | None = Field(None, ge=1)
    thin_wall_mm: float | None = Field(None, gt=0)


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


class Demand(_Input):
    """Repeat demand history or forecast [pieces per period] (seed 004, 'Quantity demand')."""

    monthly: tuple[float, ...] | None = None
    quarterly: tuple[float, ...] | None = None
    annual: float | None = Field(None, ge=0)

    @field_validator("monthly", "quarterly")
    @classmethod
    def _non_negative(cls, value: tuple[float, ...] | None) -> tuple[float, ...] | None:
        if value is not None and any(not (v >= 0) or v == float("inf") for v in value):
            raise InputError("demand", f"periods must be finite and ≥ 0; got {list(value)}")
        return value


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
    measurements: Path | None = None
    gauge_studies: dict[str, Path] = Field(default_factory=dict)

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
