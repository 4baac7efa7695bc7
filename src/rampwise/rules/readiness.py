"""The seven-area mass-production readiness gate of seed 004.

Each area is ``pass``, ``fail`` or ``unknown`` with the evidence used and the action that
closes it. Missing information is ``unknown``, never assumed to pass; the gate is ready
only when all seven pass. Thresholds live in ``catalog/readiness_thresholds.csv`` with
their sources (XYZ analysis for demand variation, a documented rampwise default for the
design-freeze window); the capability figure (AIAG Cpk ≥ 1.33) is the one the quality
module and the route use, ``catalog/capability_thresholds.csv``.

Measured facts from other modules arrive through :class:`GateEvidence`: a quoted unit
price at the target quantity (``cost``), measured capability (``quality``), the inspection
plan's verdict (``inspection``) and the production plan's deliveries against the demand
rate (``leadtime``), so this module stays free of their details.

References
----------
.. [1] Seed 004 (decision-area table and "you should not move to mass production if …").
.. [2] AIAG, *Production Part Approval Process*, 4th ed., 2006 (Cpk ≥ 1.33, Ppk > 1.67).
.. [3] research/readiness.md §5–6 (anchors and thresholds per area; capacity: Ford
   Phased PPAP phase 3, demonstrated capacity ≥ planned volume).
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from typing import TypeVar

from rampwise.catalog import load_table
from rampwise.core.errors import CatalogError
from rampwise.core.model import (
    AreaResult,
    AreaStatus,
    Characteristic,
    Project,
    Readiness,
    ReadinessArea,
    Stage,
)
from rampwise.core.shop import no_target_rate
from rampwise.quality.capability import capability_thresholds
from rampwise.quality.msa import GaugeRRResult, gauge_criteria
from rampwise.rules.leadtime import DeliverySchedule
from rampwise.rules.tolerance_opening import ToleranceOpening

SEED_004 = "seed 004"


@cache
def thresholds() -> dict[str, float]:
    """All gate thresholds from ``catalog/readiness_thresholds.csv`` [units per row]."""
    return {row["key"]: float(row["value"]) for row in load_table("readiness_thresholds")}


def threshold(key: str) -> float:
    """One gate threshold by key.

    Raises
    ------
    CatalogError
        If the key is not in the table; the message lists the valid keys.
    """
    table = thresholds()
    if key not in table:
        raise CatalogError(f"no readiness threshold {key!r}; valid: {', '.join(table)}")
    return table[key]


@dataclass(frozen=True)
class MeasuredCapability:
    """Capability measured from a real batch, per characteristic id or name.

    Attributes
    ----------
    cpk
        Within-subgroup Cpk [unitless] per characteristic key.
    first_pass_yield
        Fraction of measured parts inside every limit [unitless], ``None`` if unknown.
    unstable
        Keys of characteristics whose control charts show run-rule violations: their
        capability index does not describe a predictable process (AIAG SPC manual).
    source
        Where the measurements came from (file name), quoted as evidence.
    """

    cpk: Mapping[str, float]
    first_pass_yield: float | None
    source: str
    unstable: frozenset[str] = frozenset()


@dataclass(frozen=True)
class InspectionVerdict:
    """The inspection plan's own verdict for the gate (from ``rampwise.rules.inspection``)."""

    complete: bool
    evidence: tuple[str, ...]
    action: str | None


@dataclass(frozen=True)
class GateEvidence:
    """Facts computed elsewhere that the gate reads.

    Attributes
    ----------
    quoted_unit_price
        Unit price quoted at the cost target's quantity [currency/piece]: the price of
        the ladder's break at that quantity.
    quoted_stage
        The stage whose plan that break is priced on.
    production_unit_price
        The mass-production plan's unit price at that quantity [currency/piece], when the
        break is priced on another plan only because the gate does not pass.
    currency
        Currency of the quoted prices (the shop's) [ISO 4217 code]; ``None``: the cost
        target's.
    target_rate
        Units of ``currency`` that one unit of the cost target's currency is worth (the
        shop file's ``exchange_rates``), when the two differ [currency per target
        currency]; the target is compared after conversion at this rate.
    critical_findings
        Critical DFM findings of the CAD model, in words: each asks for a design change.
    measured
        Capability measured from a batch, overriding the stated supplier figures.
    inspection
        Verdict of the generated inspection plan.
    gauges
        Gauge R&R of the gauge measuring a characteristic, per characteristic id or name.
    deliveries
        The mass-production plan's deliveries of the order against the project's demand
        rate, with the capacity of the route's machine class, when the demand is given.
    tolerance_openings
        Non-critical tolerances the production route's base processes do not hold, each
        with the saving of opening it to the general tolerance.
    today
        Date of the assessment [date].
    """

    quoted_unit_price: float | None = None
    quoted_stage: Stage | None = None
    production_unit_price: float | None = None
    currency: str | None = None
    target_rate: float | None = None
    critical_findings: tuple[str, ...] = ()
    measured: MeasuredCapability | None = None
    inspection: InspectionVerdict | None = None
    gauges: Mapping[str, GaugeRRResult] = field(default_factory=dict)
    deliveries: DeliverySchedule | None = None
    tolerance_openings: tuple[ToleranceOpening, ...] = ()
    today: date = field(default_factory=date.today)


def area_name(area: ReadinessArea) -> str:
    """The area as seed 004's decision table names it, in lower case (``"design status"``)."""
    return area.phrase


def evaluate_readiness(project: Project, evidence: GateEvidence | None = None) -> Readiness:
    """Run the seven-area gate on a project.

    Parameters
    ----------
    project
        The order and what is known about it.
    evidence
        Facts from the quote, measurements and inspection plan, when available.

    Returns
    -------
    Readiness
        ``ready`` is true only when every area passes; ``blockers`` lists seed 004's
        "do not move to mass production if …" conditions that apply.
    """
    evidence = evidence or GateEvidence()
    checks: tuple[Callable[[Project, GateEvidence], AreaResult], ...] = (
        design_status,
        prototype_validation,
        quantity_demand,
        tolerance_review,
        supplier_capability,
        inspection_plan,
        cost_target,
    )
    areas = tuple(check(project, evidence) for check in checks)
    blockers = tuple(
        f"{area_name(a.area)}: {a.action}"
        for a in areas
        if a.status is not AreaStatus.PASS and a.action
    )
    return Readiness(
        ready=all(a.status is AreaStatus.PASS for a in areas), areas=areas, blockers=blockers
    )


def _result(
    area: ReadinessArea,
    status: AreaStatus,
    evidence: list[str],
    action: str | None,
    source: str,
) -> AreaResult:
    return AreaResult(
        area=area,
        status=status,
        evidence=tuple(evidence),
        action=None if status is AreaStatus.PASS else action,
        source=source,
    )


def design_status(project: Project, evidence: GateEvidence) -> AreaResult:
    """Design frozen: the flag set, no recent revision, no critical DFM finding.

    Seed 004: "If the CAD or drawing is still changing, it is usually too early to scale."
    A critical manufacturability finding asks for a design change, so a design carrying
    one is not final, whatever its flag says.
    """
    design = project.design
    window = int(threshold("design_freeze_window_days"))
    facts: list[str] = []
    source = f"{SEED_004} 'CAD model and 2D drawing revision are frozen'; window: catalog"
    if evidence.critical_findings:
        return _result(
            ReadinessArea.DESIGN_STATUS,
            AreaStatus.FAIL,
            [f"critical DFM finding: {finding}" for finding in evidence.critical_findings],
            "Change the design to clear the critical DFM findings, then freeze that revision "
            "(seed 004: the design must stop changing before mass production).",
            source,
        )
    recent = [r for r in design.revisions if r.date > evidence.today - timedelta(days=window)]
    if design.revisions:
        latest = max(design.revisions, key=lambda r: r.date)
        facts.append(f"latest revision {latest.rev} on {latest.date.isoformat()}")
    unlocked = [
        what
        for what, locked in (
            ("final material", design.material_locked),
            ("surface treatment", design.finish_locked),
        )
        if locked is False
    ]
    if unlocked:
        return _result(
            ReadinessArea.DESIGN_STATUS,
            AreaStatus.FAIL,
            [*facts, f"{' and '.join(unlocked)} still under evaluation"],
            f"Lock the {' and '.join(unlocked)} (seed 004: do not move to mass production while "
            "the final material is not locked or surface treatment is under evaluation).",
            source,
        )
    if design.frozen is None:
        return _result(
            ReadinessArea.DESIGN_STATUS,
            AreaStatus.UNKNOWN,
            [*facts, "design freeze not stated"],
            "State whether the CAD model and drawing revision are frozen.",
            source,
        )
    if not design.frozen:
        return _result(
            ReadinessArea.DESIGN_STATUS,
            AreaStatus.FAIL,
            [*facts, "design marked not frozen"],
            "Freeze the CAD model and drawing revision (seed 004: a controlled revision "
            "baseline comes before mass production).",
            source,
        )
    if recent:
        revs = ", ".join(f"{r.rev} ({r.date.isoformat()})" for r in recent)
        return _result(
            ReadinessArea.DESIGN_STATUS,
            AreaStatus.FAIL,
            [*facts, f"revised within the last {window} days: {revs}"],
            f"Hold the revision for {window} days without change before release (the design "
            "is still being revised — seed 004).",
            source,
        )
    return _result(
        ReadinessArea.DESIGN_STATUS,
        AreaStatus.PASS,
        [*facts, f"frozen, no revision in the last {window} days"],
        None,
        source,
    )


_VALIDATIONS = ("function", "assembly", "material", "surface_finish")


def prototype_validation(project: Project, evidence: GateEvidence) -> AreaResult:
    """Prototype validated: function, assembly, material and surface finish all verified.

    Seed 004: "Function, assembly, material, and surface finish are verified."
    A measured batch adds its first-pass yield as evidence; a yield below 100 % of first
    articles inside the limits fails the area.
    """
    source = f"{SEED_004} 'Function, assembly, material, and surface finish are verified'"
    stated = {name: getattr(project.validation, name) for name in _VALIDATIONS}
    facts = [f"{name.replace('_', ' ')}: {_yes_no(value)}" for name, value in stated.items()]
    failed = [n.replace("_", " ") for n, v in stated.items() if v is False]
    missing = [n.replace("_", " ") for n, v in stated.items() if v is None]
    measured = evidence.measured
    if measured is not None and measured.first_pass_yield is not None:
        facts.append(f"first-pass yield of {measured.source}: {measured.first_pass_yield:.0%}")
        if measured.first_pass_yield < 1.0:
            failed.append("measured parts out of tolerance")
    if failed:
        return _result(
            ReadinessArea.PROTOTYPE_VALIDATION,
            AreaStatus.FAIL,
            facts,
            f"Complete validation of {', '.join(failed)} in low volume first (seed 004: if "
            "sealing, load, wear or appearance is still under review, stay in low volume).",
            source,
        )
    if missing:
        return _result(
            ReadinessArea.PROTOTYPE_VALIDATION,
            AreaStatus.UNKNOWN,
            facts,
            f"Record whether {', '.join(missing)} are verified.",
            source,
        )
    return _result(ReadinessArea.PROTOTYPE_VALIDATION, AreaStatus.PASS, facts, None, source)


def quantity_demand(project: Project, evidence: GateEvidence) -> AreaResult:
    """Demand stable: at least N periods and a coefficient of variation below the bound.

    Seed 004: "Monthly, quarterly, or annual demand is stable." The periods are the
    finest the project gives (monthly, else quarterly, else annual figures); one annual
    forecast is evidence of volume, not of stability, and leaves the area unknown. The CV
    bound is the XYZ class-X limit (research/readiness.md §6); there is no
    manufacturing-readiness source.
    """
    min_periods = int(threshold("demand_min_periods"))
    cv_max = threshold("demand_cv_max")
    source = f"{SEED_004} 'demand is stable'; CV < {cv_max} (XYZ class X), ≥ {min_periods} periods"
    demand = project.demand
    history = demand.series
    if history is None:
        facts = []
        if demand.forecast is not None:
            facts.append(
                f"annual forecast {demand.forecast:,.0f} pcs (≈ {demand.forecast / 12:,.0f} a "
                "month): evidence of volume, not of stability"
            )
        return _result(
            ReadinessArea.QUANTITY_DEMAND,
            AreaStatus.UNKNOWN,
            [*facts, "no demand history by period"],
            f"Provide at least {min_periods} periods of monthly, quarterly or annual demand: "
            "a forecast alone does not show that demand is stable.",
            source,
        )
    label, series = history
    mean = statistics.fmean(series)
    if len(series) < min_periods:
        return _result(
            ReadinessArea.QUANTITY_DEMAND,
            AreaStatus.UNKNOWN,
            [f"{len(series)} {label} periods, mean {mean:g} pcs"],
            f"Collect at least {min_periods} periods of {label} demand to judge stability.",
            source,
        )
    cv = statistics.stdev(series) / mean if mean > 0 else float("inf")
    facts = [f"{len(series)} {label} periods, mean {mean:.1f} pcs, CV {cv:.2f}"]
    if cv >= cv_max:
        return _result(
            ReadinessArea.QUANTITY_DEMAND,
            AreaStatus.FAIL,
            facts,
            f"Demand varies too much (CV {cv:.2f} ≥ {cv_max}): keep low-volume batches until "
            "repeat demand is stable (seed 004).",
            source,
        )
    return _result(ReadinessArea.QUANTITY_DEMAND, AreaStatus.PASS, facts, None, source)


def tolerance_review(project: Project, evidence: GateEvidence) -> AreaResult:
    """Tolerances reviewed: review done, every characteristic toleranced, critical ones marked.

    Seed 004: "Critical dimensions are defined and non-critical tolerances are optimized."
    A non-critical tolerance the production route's base processes do not hold is not
    optimised, whatever the review says: the area fails and names the saving of opening
    it (``evidence.tolerance_openings``).
    """
    source = f"{SEED_004} 'Critical dimensions are defined and non-critical tolerances optimized'"
    chars = project.part.characteristics
    untoleranced = [_label(c) for c in chars if not c.toleranced]
    critical = [c for c in chars if c.critical]
    facts = [
        f"{len(chars)} characteristics, {len(critical)} critical, {len(untoleranced)} without a "
        f"limit; general tolerance {project.part.general_tolerance}",
    ]
    done = project.tolerance_review.done
    facts.append(f"review done: {_yes_no(done)}")
    if untoleranced:
        return _result(
            ReadinessArea.TOLERANCE_REVIEW,
            AreaStatus.FAIL,
            facts,
            f"Define tolerances for {', '.join(untoleranced)} (seed 004: key tolerances must be "
            "fully defined).",
            source,
        )
    if chars and not critical:
        return _result(
            ReadinessArea.TOLERANCE_REVIEW,
            AreaStatus.FAIL,
            facts,
            "Mark which characteristics are critical, so the rest can be opened for cost.",
            source,
        )
    if evidence.tolerance_openings:
        return _result(
            ReadinessArea.TOLERANCE_REVIEW,
            AreaStatus.FAIL,
            [*facts, *(o.describe() for o in evidence.tolerance_openings)],
            "Open the non-critical tolerances the base process does not hold to the general "
            f"tolerance, or mark them critical: "
            f"{', '.join(f'#{o.id} {o.name}' for o in evidence.tolerance_openings)} (seed 004).",
            source,
        )
    if done is False:
        return _result(
            ReadinessArea.TOLERANCE_REVIEW,
            AreaStatus.FAIL,
            facts,
            "Review the tolerances for production: keep the critical ones, open the rest.",
            source,
        )
    if done is None or not chars:
        return _result(
            ReadinessArea.TOLERANCE_REVIEW,
            AreaStatus.UNKNOWN,
            facts if chars else [*facts, "no characteristics listed"],
            "List the drawing's characteristics and record the tolerance review.",
            source,
        )
    return _result(ReadinessArea.TOLERANCE_REVIEW, AreaStatus.PASS, facts, None, source)


def supplier_capability(project: Project, evidence: GateEvidence) -> AreaResult:
    """Supplier capable: every critical characteristic has Cpk ≥ the AIAG figure (1.33).

    Measured capability (from a batch file) takes precedence over stated figures. A Cpk
    is evidence only of a stable process measured with an acceptable gauge: run-rule
    violations (AIAG SPC) or a gauge study of the characteristic's gauge above 30 %GRR
    (AIAG MSA) fail the area whatever the index says.
    Seed 004: "Quality, lead time, and batch consistency can be controlled repeatably":
    the production plan's capacity must deliver the demand rate (Ford Phased PPAP phase
    3), else the area fails whatever the capability.
    """
    cpk_min = capability_thresholds().cpk_min
    source = (
        f"{SEED_004} 'quality, lead time, and batch consistency can be controlled "
        f"repeatably'; Cpk ≥ {cpk_min} (AIAG); capacity ≥ demand rate (Ford phased PPAP)"
    )
    deliveries = evidence.deliveries
    short = deliveries is not None and not deliveries.meets_demand
    capacity_facts = [] if deliveries is None else [f"production plan: {deliveries.describe()}"]
    critical = project.part.critical_characteristics
    if not critical and not short:
        return _result(
            ReadinessArea.SUPPLIER_CAPABILITY,
            AreaStatus.UNKNOWN,
            [*capacity_facts, "no critical characteristics marked"],
            "Mark the critical characteristics and measure their capability.",
            source,
        )
    measured = evidence.measured
    facts: list[str] = list(capacity_facts)
    low: list[str] = []
    missing: list[str] = []
    unstable: list[str] = []
    unjudgeable: list[str] = []
    for ch in critical:
        value, where = cpk_for(ch, project, measured)
        if value is None:
            missing.append(_label(ch))
            continue
        facts.append(f"{_label(ch)}: Cpk {value:.2f} ({where})")
        if value < cpk_min:
            low.append(f"{_label(ch)} (Cpk {value:.2f})")
        if measured is not None and measured.unstable.intersection(ch.keys):
            unstable.append(_label(ch))
        study = _of(ch, evidence.gauges)
        if study is not None:
            facts.append(
                f"{_label(ch)}: gauge %GRR {study.pct_grr_judged:.1f} % "
                f"({study.acceptability.value}, AIAG MSA)"
            )
            if not study.capability_claim_supported:
                unjudgeable.append(f"{_label(ch)} (%GRR {study.pct_grr_judged:.1f} %)")
    if unstable:
        return _result(
            ReadinessArea.SUPPLIER_CAPABILITY,
            AreaStatus.FAIL,
            [*facts, f"out of statistical control: {', '.join(unstable)}"],
            f"Bring {', '.join(unstable)} into statistical control (remove the assignable "
            "causes the control chart flags); a capability index of an unstable process "
            "does not predict the next batch.",
            source,
        )
    if unjudgeable:
        limit = gauge_criteria().unacceptable_above
        return _result(
            ReadinessArea.SUPPLIER_CAPABILITY,
            AreaStatus.FAIL,
            [*facts, f"gauge above {limit:g} %GRR: {', '.join(unjudgeable)}"],
            f"Improve the gauge of {', '.join(unjudgeable)} to at most {limit:g} %GRR and "
            "repeat the gauge study; a Cpk measured with it is not evidence (AIAG MSA).",
            source,
        )
    if low:
        return _result(
            ReadinessArea.SUPPLIER_CAPABILITY,
            AreaStatus.FAIL,
            facts,
            f"Improve the process for {', '.join(low)} to Cpk ≥ {cpk_min} before scaling.",
            source,
        )
    if deliveries is not None and short:
        return _result(
            ReadinessArea.SUPPLIER_CAPABILITY,
            AreaStatus.FAIL,
            facts,
            _capacity_action(deliveries),
            source,
        )
    if missing:
        return _result(
            ReadinessArea.SUPPLIER_CAPABILITY,
            AreaStatus.UNKNOWN,
            [*facts, f"no capability data for {', '.join(missing)}"],
            f"Run a process validation batch and measure Cpk of {', '.join(missing)}.",
            source,
        )
    return _result(ReadinessArea.SUPPLIER_CAPABILITY, AreaStatus.PASS, facts, None, source)


def _capacity_action(deliveries: DeliverySchedule) -> str:
    """What closes a capacity shortfall: the machines (or shifts) the demand rate needs."""
    have = deliveries.capacity
    need = deliveries.demand_per_month / have.pieces_per_month  # [unitless] ≥ 1
    machines = math.ceil(have.machines * need - 1e-9)
    return (
        f"The plan makes {have.pieces_per_month:,.0f} pcs a month against a demand of "
        f"{deliveries.demand_per_month:,.0f}: run it on {machines} {have.machine_class} "
        f"machines at {have.shifts_per_day} shifts (shop file capacity.machines_"
        f"{have.machine_class}), add shifts, or cut the cycle time by "
        f"{1 - 1 / need:.0%} before mass production (Ford phased PPAP: capacity ≥ planned "
        "volume)."
    )


_T = TypeVar("_T")


def _of(ch: Characteristic, by_key: Mapping[str, _T]) -> _T | None:
    """The entry for a characteristic in a mapping keyed by its id or its name."""
    return next((by_key[key] for key in ch.keys if key in by_key), None)


def cpk_for(
    ch: Characteristic, project: Project, measured: MeasuredCapability | None
) -> tuple[float | None, str]:
    """A characteristic's Cpk [unitless] and where it comes from; ``None`` when not shown.

    Measured (a batch file) takes precedence over the supplier's statement.
    """
    if measured is not None and (found := _of(ch, measured.cpk)) is not None:
        return found, f"measured, {measured.source}"
    stated = project.supplier.cpk.get(str(ch.id))
    return stated, "stated by supplier"


def inspection_plan(project: Project, evidence: GateEvidence) -> AreaResult:
    """Inspection plan clear: FAI, in-process and outgoing inspection all defined.

    Seed 004: "FAI, in-process inspection, and outgoing quality standards are clear."
    When the generated plan is available its verdict is used as well.
    """
    source = f"{SEED_004} 'FAI, in-process inspection, and outgoing quality standards are clear'"
    plan = project.inspection_plan
    stated = {"FAI": plan.fai, "in-process": plan.in_process, "outgoing": plan.outgoing}
    facts = [f"{name}: {_yes_no(value)}" for name, value in stated.items()]
    generated = evidence.inspection
    if generated is not None:
        facts.extend(generated.evidence)
        if not generated.complete:
            return _result(
                ReadinessArea.INSPECTION_PLAN,
                AreaStatus.FAIL,
                facts,
                generated.action or "Complete the inspection plan.",
                source,
            )
    undefined = [n for n, v in stated.items() if v is False]
    unknown = [n for n, v in stated.items() if v is None]
    if undefined:
        return _result(
            ReadinessArea.INSPECTION_PLAN,
            AreaStatus.FAIL,
            facts,
            f"Define the {', '.join(undefined)} inspection standard.",
            source,
        )
    if unknown:
        return _result(
            ReadinessArea.INSPECTION_PLAN,
            AreaStatus.UNKNOWN,
            facts,
            f"State whether {', '.join(unknown)} inspection is defined.",
            source,
        )
    return _result(ReadinessArea.INSPECTION_PLAN, AreaStatus.PASS, facts, None, source)


def cost_target(project: Project, evidence: GateEvidence) -> AreaResult:
    """Cost target understood: a target price and volume, and the quote at or under it.

    Seed 004: "Piece price at planned production volumes is understood." A target in
    another currency than the quote's is converted at ``evidence.target_rate`` and the
    evidence shows it in both; money is never compared across currencies as numbers.

    Raises
    ------
    InputError
        If the target's currency is not the quote's and ``evidence.target_rate`` is not
        given (naming both currencies and the shop-file key that gives the rate).
    """
    source = f"{SEED_004} 'Piece price at planned production volumes is understood'"
    target = project.cost_target
    if target is None:
        return _result(
            ReadinessArea.COST_TARGET,
            AreaStatus.UNKNOWN,
            ["no cost target given"],
            "State the target unit price and the planned production volume.",
            source,
        )
    facts = [f"target {target.unit_price:.2f} {target.currency} at {target.at_quantity} pcs"]
    quoted = evidence.quoted_unit_price
    if quoted is None:
        return _result(
            ReadinessArea.COST_TARGET,
            AreaStatus.UNKNOWN,
            [*facts, "no quote at the target quantity"],
            f"Quote the part at {target.at_quantity} pcs.",
            source,
        )
    currency = evidence.currency or target.currency
    limit = target.unit_price  # [currency/piece]
    if currency != target.currency:
        if evidence.target_rate is None:
            raise no_target_rate(target.currency, currency)
        limit = target.unit_price * evidence.target_rate
        facts[0] += (
            f" = {limit:.2f} {currency} at {evidence.target_rate:g} {currency} per "
            f"{target.currency} (shop file exchange_rates.{target.currency})"
        )
    plan = f" on the {evidence.quoted_stage.adjective} plan" if evidence.quoted_stage else ""
    facts.append(f"quoted {quoted:.2f} {currency} at {target.at_quantity} pcs{plan}")
    production = evidence.production_unit_price
    if production is not None:
        # The area asks about production volumes: the production plan's price decides.
        facts.append(
            f"{production:.2f} {currency} on the mass-production plan, which this "
            "area judges (seed 004: piece price at planned production volumes)"
        )
        quoted = production
    if quoted > limit:
        gap = quoted / limit - 1
        opened = [
            f"#{o.id} {o.name}"
            + ("" if o.saving_per_part is None else f" (−{o.saving_per_part:.2f} {currency})")
            for o in evidence.tolerance_openings
        ]
        first = f"open {', '.join(opened)} to the general tolerance, change" if opened else "change"
        return _result(
            ReadinessArea.COST_TARGET,
            AreaStatus.FAIL,
            facts,
            f"The quote is {gap:.0%} over target: {first} the route or material, or revise "
            "the target.",
            source,
        )
    return _result(ReadinessArea.COST_TARGET, AreaStatus.PASS, facts, None, source)


def _label(ch: Characteristic) -> str:
    return f"#{ch.id} {ch.name}"


def _yes_no(value: bool | None) -> str:
    return "unknown" if value is None else ("yes" if value else "no")
