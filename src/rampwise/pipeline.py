"""One plan: each step planned once, read by every face, so one answer agrees with itself.

:class:`Plan` is built once from what is known about an order — the project, the shop, the
evidence measured so far and the CAD analysis — and plans each step at most once per
stage: the gauges (once), the route, the inspection plan (which inspects the route's
validation run), the quote's quantity-independent plan, the readiness gate and the stage.
Every face reads the same objects: :meth:`Plan.assess` for the whole answer,
:meth:`Plan.quote` for a ladder of the user's (``rampwise quote``), :meth:`Plan.route`
and :meth:`Plan.inspection` for one section. No rule plans its own inputs.

What agrees, by construction:

- the route's workholding is the strategy the quote prices at the order quantity (the
  cheapest the route allows, :func:`rampwise.rules.strategies.cheapest`);
- the validation run has one size: planned once per stage (:meth:`Plan.validation_run`),
  carried by the route, inspected by the inspection plan's ``validation_run`` step,
  priced and scheduled by the quote;
- inspection has one cost: the quote prices its ``inspection`` bucket with the schedule
  the inspection plan is made of
  (:attr:`rampwise.rules.inspection.InspectionPlan.by_quantity`), so at the order
  quantity the bucket × quantity is the plan's total cost, and at any other it is that
  plan's steps counted at that quantity;
- each quantity has one price: every break is priced on the plan of the stage that
  quantity runs under (:meth:`Plan.stage_at`), and the readiness gate's ``cost_target``
  quotes the ladder's break at its quantity;
- money has one currency, the shop's: a cost target in another is converted at the
  shop file's ``exchange_rates`` before the gate compares it, or refused;
- each stage's inspection plan is judged against that stage's needs;
- the first article is decided once (:attr:`Plan.first_article`, AS9102B §4.6): the
  inspection plan's first-article step, its cost in the quote, its days in the lead time
  and the gate's ``inspection_plan`` evidence all follow that one decision;
- the gate's ``supplier_capability`` judges the deliveries the mass-production plan's
  lead time gives against the demand rate (:func:`rampwise.rules.quote.order_deliveries`),
  the same schedule the quote shows when the order runs under that plan.

References
----------
.. [1] Seeds 002–004 (stage, route, inspection, readiness gate).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cached_property

from pydantic import BaseModel, ConfigDict

from rampwise import __version__
from rampwise.core.model import (
    FeatureCounts,
    Project,
    Readiness,
    Stage,
    StageDecision,
    StageProfile,
)
from rampwise.core.shop import ShopConfig, no_target_rate
from rampwise.core.units import LengthUnit
from rampwise.geometry.models import PartGeometry, Severity
from rampwise.quality.batch import BatchResult
from rampwise.quality.msa import GaugeRRResult
from rampwise.rules.cost import DEFAULT_BREAKS, QuotePlan, plan_quote
from rampwise.rules.cycle_time import GeometryFacts
from rampwise.rules.first_article import FirstArticleNeed, first_article_need
from rampwise.rules.inspection import (
    InspectionPlan,
    gauge_choices,
    inspection_plan,
    inspection_verdict,
)
from rampwise.rules.leadtime import LeadTimeTier
from rampwise.rules.process import Route, choose_workholding, plan_route
from rampwise.rules.quote import PriceBook, Quote, order_deliveries, quote_project
from rampwise.rules.readiness import (
    GateEvidence,
    MeasuredCapability,
    cpk_for,
    evaluate_readiness,
)
from rampwise.rules.scrap import CapabilityEvidence
from rampwise.rules.stage import decide_stage, stage_for, stage_profiles
from rampwise.rules.tolerance_opening import ToleranceOpening, open_tolerance, openable
from rampwise.rules.validation_run import ValidationRun, plan_validation_run

__all__ = ["Assessment", "Evidence", "Plan"]


@dataclass(frozen=True)
class Evidence:
    """What has been measured on the project, as values (the readiness gate reads it).

    Attributes
    ----------
    batch
        Batch consistency of a measured batch: its Cpk replaces the supplier's stated
        figures and its control charts must show a stable process.
    gauge_studies
        Gauge R&R of the gauge measuring a characteristic, per characteristic key.
    """

    batch: BatchResult | None = None
    gauge_studies: Mapping[str, GaugeRRResult] = field(default_factory=dict)


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
        Batch consistency of the project's measured batch, when there is one.
    gauge_studies
        Gauge R&R of each gauge study, per characteristic key, judged against the
        characteristic's tolerance (AIAG MSA).
    notes
        What could not be computed and why (e.g. no envelope to quote from).
    unit
        The project's display unit (``mm`` or ``in``): every length above stays in mm
        (the machine-readable contract); the faces print them in this unit.
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
    unit: LengthUnit = LengthUnit.MM


def with_geometry(project: Project, geometry: PartGeometry | None) -> Project:
    """Fill what the project file left out from the CAD model.

    The envelope, PMI tolerances, and the sharpest internal corner with how many corners
    share that radius (``features.internal_corner_radius_mm`` / ``internal_corners``: the
    route sends corners an end mill cannot cut to EDM).
    """
    if geometry is None:
        return project
    part = project.part
    update: dict[str, object] = {}
    if part.envelope_mm is None:
        update["envelope_mm"] = tuple(geometry.bbox_mm)
    if not part.characteristics and geometry.characteristics:
        update["characteristics"] = tuple(geometry.characteristics)
    features = part.features or FeatureCounts()
    if features.internal_corner_radius_mm is None and geometry.internal_corners:
        sharpest = min(c.radius_mm for c in geometry.internal_corners)
        count = sum(1 for c in geometry.internal_corners if c.radius_mm <= sharpest + 1e-6)
        update["features"] = features.model_copy(
            update={"internal_corner_radius_mm": sharpest, "internal_corners": count}
        )
    if not update:
        return project
    return project.model_copy(update={"part": part.model_copy(update=update)})


def geometry_facts(geometry: PartGeometry | None) -> GeometryFacts | None:
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


def _critical_findings(geometry: PartGeometry | None) -> tuple[str, ...]:
    """The CAD model's violated critical DFM rules, in words, for the gate."""
    if geometry is None:
        return ()
    return tuple(
        f"{f.where}: {f.actual} (expected {f.expected})"
        for f in geometry.violations
        if f.severity is Severity.CRITICAL
    )


class Plan:
    """Every step of one order, planned once per stage and read by every face.

    Parameters
    ----------
    project
        The validated project document.
    shop
        Shop rates and limits (resolved by the caller: a shop file or the catalog).
    today
        Date of the assessment [date]; revision ages, and the lapse since a repeat
        order's previous order (AS9102's two years), are counted to it.
    evidence
        Measured batches and gauge studies, as values.
    geometry
        The analysis of the part's CAD model, when it names one: it fills the envelope
        and PMI tolerances the project leaves out and tells turnability and setups.
    """

    def __init__(
        self,
        project: Project,
        *,
        shop: ShopConfig,
        today: date,
        evidence: Evidence | None = None,
        geometry: PartGeometry | None = None,
    ) -> None:
        self.project = with_geometry(project, geometry)
        self.shop = shop
        self.today = today
        self.evidence = evidence or Evidence()
        self.geometry = geometry
        self.gauges = gauge_choices(
            self.project.part.characteristics, studies=self.evidence.gauge_studies
        )
        self._facts = geometry_facts(geometry)
        self._validation_runs: dict[Stage, ValidationRun | None] = {}
        self._routes: dict[Stage, Route] = {}
        self._held: dict[Stage, Route] = {}
        self._inspections: dict[Stage, InspectionPlan] = {}
        self._books: dict[tuple[Stage, str | None], PriceBook] = {}

    @property
    def priceable(self) -> bool:
        """Whether the part can be priced: it has an envelope (stated or from the model)."""
        return self.project.part.envelope_mm is not None

    # ----------------------------------------------------------------------------------
    # Per stage, each made once
    # ----------------------------------------------------------------------------------

    def validation_run(self, stage: Stage) -> ValidationRun | None:
        """The process validation run ``stage`` needs; route and inspection plan share it."""
        if stage not in self._validation_runs:
            self._validation_runs[stage] = plan_validation_run(
                self.project.part, stage, self.project.quantity, shop=self.shop
            )
        return self._validation_runs[stage]

    def _route_unpriced(self, stage: Stage) -> Route:
        """The route at ``stage`` with the least workholding its rules allow."""
        if stage not in self._routes:
            facts = self._facts or GeometryFacts()
            self._routes[stage] = plan_route(
                self.project,
                stage,
                gauges=self.gauges,
                validation_run=self.validation_run(stage),
                shop=self.shop,
                turnable=facts.turnable,
                setups=facts.setups,
            )
        return self._routes[stage]

    @cached_property
    def first_article(self) -> FirstArticleNeed:
        """The first article the order needs (AS9102B §4.6), decided once for every stage.

        Raises
        ------
        InputError
            If the previous order's date is after :attr:`today`.
        """
        return first_article_need(self.project, today=self.today)

    def inspection(
        self,
        stage: Stage | None = None,
        *,
        tool_changes: Sequence[int] = (),
        lot_size: int | None = None,
    ) -> InspectionPlan:
        """The inspection plan at ``stage`` (default: the decided stage).

        ``tool_changes`` (parts after which a tool is changed) and ``lot_size`` (parts per
        outgoing lot) re-plan it for ``rampwise inspect``; the plan's own is made once.

        Raises
        ------
        InputError
            For a bad tool change or lot size.
        """
        stage = self.stage if stage is None else stage
        custom = bool(tool_changes) or lot_size is not None
        if custom or stage not in self._inspections:
            plan = inspection_plan(
                self.project,
                stage,
                choices=self.gauges,
                shop=self.shop,
                first_article=self.first_article,
                validation_run=self.validation_run(stage),
                tool_changes=tool_changes,
                lot_size=lot_size,
            )
            if custom:
                return plan
            self._inspections[stage] = plan
        return self._inspections[stage]

    def quote_plan(self, stage: Stage, machine: str | None = None) -> QuotePlan:
        """The quantity-independent quote plan at ``stage`` (on ``machine`` if given).

        Raises
        ------
        InputError
            If the part has no envelope, or the machine class or finish is unknown.
        """
        return self.prices(stage, machine).plan

    def prices(self, stage: Stage, machine: str | None = None) -> PriceBook:
        """The prices of :meth:`quote_plan`, each strategy and quantity priced once.

        Raises
        ------
        InputError
            If the part has no envelope, or the machine class or finish is unknown.
        """
        key = (stage, machine)
        if key not in self._books:
            self._books[key] = PriceBook(
                plan_quote(
                    self.project,
                    route=self._route_unpriced(stage),
                    inspection=self.inspection(stage),
                    shop=self.shop,
                    geometry=self._facts,
                    machine=machine,
                    capability=self.capability,
                )
            )
        return self._books[key]

    def route(self, stage: Stage | None = None) -> Route:
        """The route at ``stage`` (default: the decided stage), held as the quote prices it.

        The workholding is the cheapest strategy the route allows at the order quantity,
        priced on this stage's plan; without an envelope, the least the rules allow.
        """
        stage = self.stage if stage is None else stage
        if stage in self._held:
            return self._held[stage]
        route = self._route_unpriced(stage)
        if not self.priceable:
            return route
        prices = self.prices(stage).unit_prices(self.project.quantity)
        workholding = choose_workholding(
            route.workholding.options,
            unit_prices=prices,
            quantity=self.project.quantity,
            currency=self.shop.currency,
        )
        self._held[stage] = route.model_copy(update={"workholding": workholding})
        return self._held[stage]

    # ----------------------------------------------------------------------------------
    # The gate and the stage, decided once
    # ----------------------------------------------------------------------------------

    def stage_at(self, quantity: int) -> Stage:
        """The stage an order of ``quantity`` pcs of this project runs under [pieces].

        Same purpose, same readiness gate: the stage rule of :func:`rampwise.rules.stage.
        decide_stage` at another quantity (only a project without a purpose changes
        stage with quantity).
        """
        return stage_for(self.project.purpose_group, quantity, ready=self.readiness.ready)

    @cached_property
    def measured(self) -> MeasuredCapability | None:
        """What the measured batch shows, as the gate and the scrap rate read it."""
        return _measured(self.evidence.batch)

    @cached_property
    def capability(self) -> dict[str, CapabilityEvidence]:
        """Cpk measured or stated per characteristic id: the quote's scrap rate follows it."""
        shown = {}
        for characteristic in self.project.part.characteristics:
            cpk, source = cpk_for(characteristic, self.project, self.measured)
            if cpk is not None:
                shown[str(characteristic.id)] = CapabilityEvidence(cpk=cpk, source=source)
        return shown

    @cached_property
    def readiness(self) -> Readiness:
        """The seven-area gate, its cost target quoting the ladder's break at its quantity.

        The ``cost_target`` area asks about production volumes, so it judges the
        mass-production plan's price; when the break at the target quantity runs under
        another plan (the gate does not pass, or the purpose keeps the order in low
        volume), the evidence quotes the ladder's price and names the production one.
        The prices are in the shop's currency; a target in another is handed to the gate
        with the shop file's rate for it (:meth:`target_rate`).

        Raises
        ------
        InputError
            If the part can be priced, its cost target is in another currency than the
            shop's, and the shop file gives no exchange rate for it.
        """
        base = GateEvidence(
            measured=self.measured,
            inspection=inspection_verdict(self.inspection(Stage.MASS_PRODUCTION)),
            gauges=self.evidence.gauge_studies,
            today=self.today,
            critical_findings=_critical_findings(self.geometry),
            deliveries=order_deliveries(self.project, self.prices(Stage.MASS_PRODUCTION), self.shop)
            if self.priceable and self.project.demand.per_month() is not None
            else None,
            tolerance_openings=self.tolerance_openings,
        )
        target = self.project.cost_target
        if target is None or not self.priceable:
            return evaluate_readiness(self.project, base)
        base = replace(
            base, currency=self.shop.currency, target_rate=self.target_rate(target.currency)
        )
        quantity = target.at_quantity
        production = self._unit_price(quantity, Stage.MASS_PRODUCTION)
        judged = evaluate_readiness(
            self.project,
            replace(base, quoted_unit_price=production, quoted_stage=Stage.MASS_PRODUCTION),
        )
        runs_under = stage_for(self.project.purpose_group, quantity, ready=judged.ready)
        if runs_under is Stage.MASS_PRODUCTION:
            return judged
        return evaluate_readiness(
            self.project,
            replace(
                base,
                quoted_unit_price=self._unit_price(quantity, runs_under),
                quoted_stage=runs_under,
                production_unit_price=production,
            ),
        )

    def target_rate(self, currency: str) -> float:
        """Units of the shop's currency one unit of ``currency`` is worth (1 for its own).

        Raises
        ------
        InputError
            If the shop file gives no ``exchange_rates`` entry for ``currency``: the
            one-line refusal names both currencies and the key to set.
        """
        rate = self.shop.exchange_rate(currency)
        if rate is None:
            raise no_target_rate(currency, self.shop.currency)
        return rate

    @cached_property
    def tolerance_openings(self) -> tuple[ToleranceOpening, ...]:
        """Non-critical tolerances the production route's base processes do not hold.

        Each is priced on the mass-production plan at the cost target's quantity (else the
        order's) with its drawing limit opened to the general tolerance
        (:func:`rampwise.rules.tolerance_opening.open_tolerance`): a what-if plan of its
        own, made only for such a tolerance.
        """
        candidates = {str(c.id) for c in self.project.part.characteristics if openable(c)}
        if not candidates:  # nothing to open: no production route is planned for it
            return ()
        stage = Stage.MASS_PRODUCTION
        route = self._route_unpriced(stage)
        tight = [
            r
            for r in route.characteristics
            if r.id in route.tight_characteristics and r.id in candidates
        ]
        target = self.project.cost_target
        quantity = target.at_quantity if target is not None else self.project.quantity
        price = self._unit_price(quantity, stage) if tight and self.priceable else None
        openings = []
        for row in tight:
            what_if = Plan(
                open_tolerance(self.project, row.id),
                shop=self.shop,
                today=self.today,
                evidence=self.evidence,
                geometry=self.geometry,
            )
            opened = next(
                r for r in what_if._route_unpriced(stage).characteristics if r.id == row.id
            )
            if opened.tolerance_mm is None or row.tolerance_mm is None:
                continue  # no general tolerance to open to
            saving = None if price is None else price - what_if._unit_price(quantity, stage)
            openings.append(
                ToleranceOpening(
                    id=row.id,
                    name=row.name,
                    tolerance_mm=row.tolerance_mm,
                    operations=row.extra_operations,
                    opened_mm=opened.tolerance_mm,
                    opened_source=opened.tolerance_source or "the general tolerance",
                    still_needs=opened.extra_operations,
                    quantity=quantity,
                    saving_per_part=saving,
                    currency=self.shop.currency,
                )
            )
        return tuple(openings)

    def _unit_price(self, quantity: int, stage: Stage) -> float:
        """Unit price at ``quantity`` on ``stage``'s plan, as the ladder's break has it."""
        _, priced = self.prices(stage).cheapest(quantity)
        return priced.price

    @cached_property
    def decision(self) -> StageDecision:
        """The stage decision: quantity and purpose together, gated by readiness."""
        return decide_stage(self.project, self.readiness)

    @property
    def stage(self) -> Stage:
        """The decided stage of the order."""
        return self.decision.stage

    # ----------------------------------------------------------------------------------
    # What the faces ask for
    # ----------------------------------------------------------------------------------

    def ladder(self) -> tuple[int, ...]:
        """The assessment's quantities: the default ladder, the order's and the cost target's."""
        extra = {self.project.quantity}
        if self.project.cost_target is not None:
            extra.add(self.project.cost_target.at_quantity)
        return tuple(sorted({*DEFAULT_BREAKS, *extra}))

    def quote(
        self,
        quantities: Sequence[int] | None = None,
        *,
        tier: LeadTimeTier = LeadTimeTier.STANDARD,
        machine: str | None = None,
        stage: Stage | None = None,
    ) -> Quote:
        """The price ladder: each break on the plan its quantity runs under.

        Parameters
        ----------
        quantities
            Quantity breaks [pieces]; ``None``: :meth:`ladder`.
        tier
            Lead-time tier of each break's ``lead_time_days``.
        machine
            Machine class to price on instead of the route's (a what-if).
        stage
            Price every break on this stage's plan instead (a what-if); ``None``: each
            on the stage its quantity runs under (:meth:`stage_at`).

        Raises
        ------
        InputError
            If the part has no envelope, a quantity is not valid, or the machine class or
            finish is unknown.
        """

        def book_at(quantity: int) -> PriceBook:
            return self.prices(self.stage_at(quantity) if stage is None else stage, machine)

        return quote_project(
            self.project,
            book_at=book_at,
            quantities=self.ladder() if quantities is None else quantities,
            shop=self.shop,
            tier=tier,
        )

    def assess(self) -> Assessment:
        """The whole answer: stage and why, readiness, route, inspection, price ladder."""
        notes = (
            ()
            if self.priceable
            else ("No quote: the part has neither envelope_mm nor a CAD model to size the stock.",)
        )
        return Assessment(
            project=self.project.project,
            part_number=self.project.part.number,
            part_revision=self.project.part.revision,
            quantity=self.project.quantity,
            stage=self.stage,
            readiness=self.readiness,
            stage_decision=self.decision,
            profile=stage_profiles()[self.stage],
            route=self.route(),
            inspection=self.inspection(),
            quote=self.quote() if self.priceable else None,
            geometry=self.geometry,
            batch=self.evidence.batch,
            gauge_studies=dict(self.evidence.gauge_studies),
            notes=notes,
            assessed_on=self.today,
            rampwise_version=__version__,
            unit=self.project.unit,
        )
