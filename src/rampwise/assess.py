"""The one pipeline: a :class:`Project` in, an :class:`Assessment` out.

The CLI, the API and the web pages all call :func:`assess`; none re-implements a rule
(DESIGN.md). The order of the steps matters because the stage depends on the readiness
gate, and the gate reads facts that other steps compute:

1. geometry of the CAD model, when the part names one (features, DFM findings, and the
   envelope when the project file gives none);
2. batch consistency of the measurements file, when the project names one (measured
   capability then overrides the supplier's stated figures in the gate), and the gauge
   R&R of each gauge study it names (a gauge above 30 %GRR voids a Cpk);
3. the gate's evidence for *mass production*, the stage the gate is about (seed 004): the
   production inspection plan's verdict and the quoted unit price at the cost target's
   quantity, priced on the production route;
4. readiness gate, then the stage decision from quantity, purpose and the gate;
5. for the decided stage: the route, the inspection plan and the price ladder
   (:func:`price_ladder`, which ``rampwise quote`` calls with its own ladder).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from functools import cache

from pydantic import BaseModel, ConfigDict

from rampwise import __version__
from rampwise.cost import QuotePlan, plan_quote
from rampwise.cycle_time import GeometryFacts
from rampwise.errors import InputError
from rampwise.geometry import analyze as analyze_geometry
from rampwise.geometry.models import PartGeometry
from rampwise.inspection import (
    GaugeChoice,
    InspectionPlan,
    gauge_choices,
    inspection_plan,
    inspection_verdict,
)
from rampwise.leadtime import LeadTimeTier
from rampwise.model import Project, Readiness, Stage, StageDecision, StageProfile
from rampwise.process import Route, plan_route
from rampwise.quality.batch import BatchResult, analyze_batch
from rampwise.quality.measurements import load_measurements
from rampwise.quality.msa import GaugeRRResult, gauge_rr, load_gauge_study
from rampwise.quality.specs import specs_for_characteristics
from rampwise.quote import DEFAULT_BREAKS, Quote, quote_project, unit_price_at
from rampwise.readiness import GateEvidence, MeasuredCapability, evaluate_readiness
from rampwise.shop import ShopConfig, resolve_shop
from rampwise.stage import decide_stage, stage_profiles


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
    gauge_studies
        Gauge R&R of each gauge study the project names, per characteristic key, judged
        against the characteristic's tolerance (AIAG MSA).
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
    gauge_studies: dict[str, GaugeRRResult]
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
    geometry = _analysed(project, geometry)
    project = _with_geometry(project, geometry)
    batch = _batch(project)
    gauges = _gauge_studies(project)

    # Each stage's route, inspection plan and quote plan are made once: the gate's
    # production ones serve again when production is the decided stage. Every one of
    # them measures each characteristic with the same gauge, chosen once.
    gauge_of = gauge_choices(project.part.characteristics)

    @cache
    def route(stage: Stage) -> Route:
        return route_at(project, stage, geometry=geometry, gauges=gauge_of)

    @cache
    def plan(stage: Stage) -> InspectionPlan:
        return inspection_plan(project, stage, choices=gauge_of, shop=shop)

    @cache
    def quote_plan(stage: Stage) -> QuotePlan:
        return plan_quote(
            project,
            stage=stage,
            shop=shop,
            geometry=_geometry_facts(geometry),
            route=route(stage),
            inspection=plan(stage),
        )

    priceable = project.part.envelope_mm is not None
    notes = (
        ()
        if priceable
        else ("No quote: the part has neither envelope_mm nor a CAD model to size the stock.",)
    )
    quoted_at_target = None
    if project.cost_target is not None and priceable:
        quoted_at_target = unit_price_at(
            project,
            project.cost_target.at_quantity,
            stage=Stage.MASS_PRODUCTION,
            quote_plan=quote_plan(Stage.MASS_PRODUCTION),
        )
    evidence = GateEvidence(
        quoted_unit_price=quoted_at_target,
        measured=_measured(batch),
        inspection=inspection_verdict(plan(Stage.MASS_PRODUCTION), currency=shop.currency),
        gauges=gauges,
        today=today,
    )
    readiness = evaluate_readiness(project, evidence)
    decision = decide_stage(project, readiness)

    ladder = tuple(sorted({*DEFAULT_BREAKS, project.quantity}))
    quote = (
        price_ladder(
            project,
            decision.stage,
            ladder,
            shop=shop,
            geometry=geometry,
            quote_plan=quote_plan(decision.stage),
        )
        if priceable
        else None
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
        route=route(decision.stage),
        inspection=plan(decision.stage),
        quote=quote,
        geometry=geometry,
        batch=batch,
        gauge_studies=gauges,
        notes=notes,
        assessed_on=today,
        rampwise_version=__version__,
    )


def _analysed(project: Project, geometry: PartGeometry | None) -> PartGeometry | None:
    """The analysis given, else that of the CAD model the part names (``None`` without one)."""
    if geometry is None and project.part.cad is not None:
        return analyze_geometry(project.part.cad, metal=project.part.material.metal)
    return geometry


def as_assessed(project: Project, *, geometry: PartGeometry | None = None) -> Project:
    """The project as :func:`assess` sees it: what the CAD model tells filled in.

    Parameters
    ----------
    project
        The project.
    geometry
        An analysis of ``project.part.cad``; ``None`` analyses the file when the part
        names one.

    Raises
    ------
    InputError
        If the CAD model cannot be read.
    """
    return _with_geometry(project, _analysed(project, geometry))


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


def _gauge_studies(project: Project) -> dict[str, GaugeRRResult]:
    """Gauge R&R of each study the project names, against its characteristic's tolerance.

    The project is the one assessed, so a characteristic may come from the CAD model's PMI.

    Raises
    ------
    InputError
        Naming ``gauge_studies.<key>`` when the key names no characteristic or the study
        cannot be read or analysed.
    """
    results = {}
    for key, path in project.gauge_studies.items():
        field = f"gauge_studies.{key}"
        characteristic = project.part.characteristic(key)
        if characteristic is None:
            known = ", ".join(str(c.id) for c in project.part.characteristics) or "none"
            raise InputError(field, f"names no characteristic (ids: {known})")
        try:
            study = load_gauge_study(path)
            results[key] = gauge_rr(study, tolerance=characteristic.tolerance_width)
        except InputError as err:  # name the project's field; keep the study's row
            raise InputError(field, err.message if err.field == "study" else str(err)) from None
    return results


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


def route_at(
    project: Project,
    stage: Stage,
    *,
    geometry: PartGeometry | None = None,
    gauges: Sequence[GaugeChoice] | None = None,
) -> Route:
    """The route of a project at a stage, as :func:`assess` plans it.

    The CAD model fills what the project file leaves out (envelope, PMI tolerances) and
    tells the part's turnability and setups; the project's repeat-order flag picks the
    workholding. ``rampwise route`` calls it for a ``--stage`` of the user's.

    Parameters
    ----------
    project
        The project.
    stage
        Stage to plan at.
    geometry
        An analysis of ``project.part.cad``; ``None`` analyses the file when the part
        names one.
    gauges
        The inspection gauge of every characteristic of the project as assessed, in
        drawing order (:func:`rampwise.inspection.gauge_choices`); ``None`` chooses them.

    Raises
    ------
    InputError
        If the CAD model cannot be read.
    """
    geometry = _analysed(project, geometry)
    project = _with_geometry(project, geometry)
    if geometry is None:
        return plan_route(project, stage, gauges=gauges)
    return plan_route(
        project,
        stage,
        turnable=geometry.turnable,
        setups=geometry.setups or None,
        gauges=gauges,
    )


def price_ladder(
    project: Project,
    stage: Stage,
    quantities: Sequence[int],
    *,
    shop: ShopConfig,
    geometry: PartGeometry | None = None,
    tier: LeadTimeTier = LeadTimeTier.STANDARD,
    machine: str | None = None,
    route: Route | None = None,
    plan: InspectionPlan | None = None,
    quote_plan: QuotePlan | None = None,
) -> Quote:
    """The price ladder of a project at a stage, priced as :func:`assess` prices it.

    The one pricing call of the pipeline: the stage's route (its whole-part machine and
    extra finishing operations, turnability and setups from the CAD model) and its
    inspection plan (minutes per fully inspected part, first-article cost) go into
    :func:`rampwise.quote.quote_project`. ``rampwise quote`` calls it with the user's
    ladder, shop and tier at the stage :func:`assess` decides.

    Parameters
    ----------
    project
        The project.
    stage
        Stage to price at (the decided stage of :func:`assess`).
    quantities
        Quantity breaks [pieces].
    shop
        Shop rates and limits.
    geometry
        An analysis of ``project.part.cad``; ``None`` analyses the file when the part
        names one.
    tier
        Lead-time tier of each break's ``lead_time_days``.
    machine
        Machine class to price on instead of the route's (a what-if); ``None``: the
        route's.
    route, plan
        The route and inspection plan already made at ``stage`` for this project;
        ``None`` plans them (the route with the CAD model's turnability and setups).
    quote_plan
        The quote's plan already made at ``stage`` for this project with ``shop``
        (:func:`rampwise.cost.plan_quote`; :func:`assess` makes the production one for
        the cost target); ``None`` makes it from the route and inspection plan.

    Returns
    -------
    Quote
        Breaks, strategies, assumptions and notes.

    Raises
    ------
    InputError
        If the part has neither an envelope nor a CAD model, or a quantity, machine
        class or finish is not valid.
    """
    geometry = _analysed(project, geometry)
    return quote_project(
        _with_geometry(project, geometry),
        stage=stage,
        quantities=quantities,
        shop=shop,
        geometry=_geometry_facts(geometry),
        route=route,
        inspection=plan,
        machine=machine,
        tier=tier,
        quote_plan=quote_plan,
    )
