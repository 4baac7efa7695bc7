"""The one pipeline: a :class:`Project` in, an :class:`Assessment` out.

The CLI, the API and the web pages all call :func:`assess`; none re-implements a rule
(DESIGN.md). The order of the steps matters because the stage depends on the readiness
gate, and the gate reads facts that other steps compute:

1. geometry of the CAD model, when the part names one (features, DFM findings, and the
   envelope when the project file gives none);
2. batch consistency of the measurements file, when the project names one (measured
   capability then overrides the supplier's stated figures in the gate);
3. the gate's evidence for *mass production*, the stage the gate is about (seed 004): the
   production inspection plan's verdict and the quoted unit price at the cost target's
   quantity, priced on the production route;
4. readiness gate, then the stage decision from quantity, purpose and the gate;
5. for the decided stage: the route, the inspection plan and the price ladder.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from pydantic import BaseModel, ConfigDict

from rampwise import __version__
from rampwise.cycle_time import GeometryFacts, operation_adders
from rampwise.geometry import analyze as analyze_geometry
from rampwise.geometry.models import PartGeometry
from rampwise.inspection import InspectionPlan, StepKind, inspection_plan, inspection_verdict
from rampwise.model import Project, Readiness, Stage, StageDecision, StageProfile
from rampwise.process import MachiningStrategy, Route, plan_route
from rampwise.quality.batch import BatchResult, analyze_batch
from rampwise.quality.measurements import load_measurements
from rampwise.quality.specs import specs_for_characteristics
from rampwise.quote import DEFAULT_BREAKS, Quote, quote_project
from rampwise.readiness import GateEvidence, MeasuredCapability, evaluate_readiness
from rampwise.shop import ShopConfig, resolve_shop
from rampwise.stage import decide_stage, stage_profiles

MACHINE_OF_STRATEGY = {
    MachiningStrategy.TURNING: "lathe",
    MachiningStrategy.MILLING_3AXIS: "mill_3axis",
    MachiningStrategy.MILLING_5AXIS: "mill_5axis",
}
"""Machine class of ``catalog/machines.csv`` that prices each whole-part route."""


class Assessment(BaseModel):
    """The whole answer for one project; ``model_dump_json()`` is the JSON contract.

    Attributes
    ----------
    stage
        The decided stage (``prototype``, ``low_volume`` or ``mass_production``).
    readiness
        The seven-area gate with ``ready`` and ``areas``.
    stage_decision
        Why: the rules that fired, warnings, blockers and the next stage.
    profile
        The seeds' comparison row for the chosen stage.
    route, inspection, quote
        How the parts are made, how quality is proven and what they cost at the stage.
    geometry
        Facts, features and DFM findings of the CAD model, when the part names one.
    batch
        Batch consistency of the project's measurements file, when it names one.
    notes
        What could not be computed and why (e.g. no envelope to quote from).
    """

    model_config = ConfigDict(frozen=True)

    project: str
    part_number: str
    part_revision: str | None
    quantity: int
    stage: Stage
    readiness: Readiness
    stage_decision: StageDecision
    profile: StageProfile
    route: Route
    inspection: InspectionPlan
    quote: Quote | None
    geometry: PartGeometry | None
    batch: BatchResult | None
    notes: tuple[str, ...]
    assessed_on: date
    rampwise_version: str


def assess(
    project: Project,
    *,
    today: date | None = None,
    shop: ShopConfig | None = None,
    geometry: PartGeometry | None = None,
) -> Assessment:
    """Assess one project end to end.

    Parameters
    ----------
    project
        The validated project document.
    today
        Date of the assessment [date]; revision ages are counted to it.
    shop
        Shop rates and limits; ``None`` reads ``RAMPWISE_SHOP`` or the catalog defaults.
    geometry
        An analysis already made of ``project.part.cad`` (the web job passes it); ``None``
        analyses the file when the part names one.

    Returns
    -------
    Assessment
        Stage and why, readiness, route, inspection plan, price ladder and geometry.

    Raises
    ------
    InputError
        If the CAD model cannot be read or a catalog name in the project is unknown.
    """
    today = today or date.today()
    shop = shop or resolve_shop()
    notes: list[str] = []
    if geometry is None and project.part.cad is not None:
        geometry = analyze_geometry(project.part.cad, metal=project.part.material.metal)
    project = _with_geometry(project, geometry)
    facts = _geometry_facts(geometry)
    batch = _batch(project)

    production_route = _route(project, Stage.MASS_PRODUCTION, geometry)
    production_inspection = inspection_plan(project, Stage.MASS_PRODUCTION)
    quoted_at_target = None
    if project.cost_target is not None:
        target_quote = _quote(
            project,
            Stage.MASS_PRODUCTION,
            (project.cost_target.at_quantity,),
            shop=shop,
            facts=facts,
            route=production_route,
            plan=production_inspection,
            notes=notes,
        )
        quoted_at_target = target_quote.breaks[0].unit_price if target_quote else None
    evidence = GateEvidence(
        quoted_unit_price=quoted_at_target,
        measured=_measured(batch),
        inspection=inspection_verdict(production_inspection),
        today=today,
    )
    readiness = evaluate_readiness(project, evidence)
    decision = decide_stage(project, readiness)

    route = (
        production_route
        if decision.stage is Stage.MASS_PRODUCTION
        else _route(project, decision.stage, geometry)
    )
    plan = (
        production_inspection
        if decision.stage is Stage.MASS_PRODUCTION
        else inspection_plan(project, decision.stage)
    )
    ladder = tuple(sorted({*DEFAULT_BREAKS, project.quantity}))
    quote = _quote(
        project, decision.stage, ladder, shop=shop, facts=facts, route=route, plan=plan, notes=notes
    )
    return Assessment(
        project=project.project,
        part_number=project.part.number,
        part_revision=project.part.revision,
        quantity=project.quantity,
        stage=decision.stage,
        readiness=readiness,
        stage_decision=decision,
        profile=stage_profiles()[decision.stage],
        route=route,
        inspection=plan,
        quote=quote,
        geometry=geometry,
        batch=batch,
        notes=tuple(dict.fromkeys(notes)),
        assessed_on=today,
        rampwise_version=__version__,
    )


def _with_geometry(project: Project, geometry: PartGeometry | None) -> Project:
    """Fill what the project file left out from the CAD model: envelope and PMI tolerances."""
    if geometry is None:
        return project
    part = project.part
    update: dict[str, object] = {}
    if part.envelope_mm is None:
        update["envelope_mm"] = tuple(geometry.bbox_mm)
    if not part.characteristics and geometry.characteristics:
        update["characteristics"] = tuple(geometry.characteristics)
    if not update:
        return project
    return project.model_copy(update={"part": part.model_copy(update=update)})


def _batch(project: Project) -> BatchResult | None:
    """Batch consistency of the measurements file the project names (seed 002)."""
    if project.measurements is None:
        return None
    specs = specs_for_characteristics(project.part.characteristics)
    return analyze_batch(load_measurements(project.measurements, specs=specs))


def _measured(batch: BatchResult | None) -> MeasuredCapability | None:
    """What the readiness gate reads off a measured batch."""
    if batch is None:
        return None
    return MeasuredCapability(
        cpk=batch.cpk_by_characteristic(),
        first_pass_yield=batch.first_pass_yield,
        source=batch.source,
        unstable=frozenset(c.name for c in batch.characteristics if not c.stable),
    )


def _geometry_facts(geometry: PartGeometry | None) -> GeometryFacts | None:
    """What the quote's cycle-time model reads off a CAD analysis."""
    if geometry is None:
        return None
    return GeometryFacts(
        removed_volume_mm3=geometry.removed_volume_mm3,
        machined_area_mm2=geometry.machined_area_mm2,
        volume_mm3=geometry.volume_mm3 if geometry.volume_mm3 and geometry.volume_mm3 > 0 else None,
        feature_count=geometry.feature_count,
        features=geometry.feature_counts(),
        setups=geometry.setups or None,
        turnable=geometry.turnable,
    )


def _route(project: Project, stage: Stage, geometry: PartGeometry | None) -> Route:
    if geometry is None:
        return plan_route(project.part, stage)
    return plan_route(
        project.part, stage, turnable=geometry.turnable, setups=geometry.setups or None
    )


def _quote(
    project: Project,
    stage: Stage,
    quantities: Sequence[int],
    *,
    shop: ShopConfig,
    facts: GeometryFacts | None,
    route: Route,
    plan: InspectionPlan,
    notes: list[str],
) -> Quote | None:
    """The price ladder at ``stage``, priced on its route and inspection plan.

    Returns ``None`` (with a note) when the part has neither an envelope nor a CAD model:
    without a size there is no stock to price.
    """
    if project.part.envelope_mm is None:
        notes.append(
            "No quote: the part has neither envelope_mm nor a CAD model to size the stock."
        )
        return None
    first_article = next((s for s in plan.steps if s.kind is StepKind.FIRST_ARTICLE), None)
    return quote_project(
        project,
        stage=stage,
        quantities=quantities,
        shop=shop,
        geometry=facts,
        extra_operations=operation_adders(route.extra_operations, project.part, shop),
        inspection_minutes_per_part=sum(g.minutes for g in plan.gauges) or None,
        fai_cost=first_article.cost if first_article is not None else None,
        machine=MACHINE_OF_STRATEGY[route.strategy],
    )
