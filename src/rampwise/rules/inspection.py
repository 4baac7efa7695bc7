"""Inspection plan per stage: what is measured, on which parts, with which gauge, how long.

* **Prototype** — full dimensional inspection of every part, critical characteristics
  first (seeds 001/002: "full dimensional reports or CMM checks").
* **Low volume** — the process validation run (one sacrificial part, every critical
  feature), the first article (FAI, AS9102), then seed 003's tiered schedule written out
  part by part: parts 1–3 100 %, 4–10 every 2nd, 11–50 every 5th and the first part after
  every tool change, then the steady rate.
* **Mass production** — the significant production run (the order's first 300 parts
  checked on the critical characteristics, AIAG PPAP), FAI, in-process SPC on the critical
  characteristics (subgroup size and frequency), outgoing lot sampling by ANSI/ASQ Z1.4 =
  ISO 2859-1, and seed 003's optional in-process probing every 5th part.

The first article is the one the order needs (:mod:`rampwise.rules.first_article`,
AS9102B §4.6): a full FAI for a new part, a new revision or a lapse of two years; a delta
FAI of the affected characteristics when the process, material source or location of a
repeat order changed; none when nothing did (the earlier one stands, and seed 003's
schedule still measures part 1 in full at low volume).

The validation run step inspects exactly the route's run
(:attr:`rampwise.rules.process.Route.validation_run`): one size everywhere. Each plan is judged
against what its own stage needs (a prototype's full inspection of every part is
complete); the readiness gate reads the production plan's verdict.

Each characteristic gets a gauge from ``catalog/gauges.csv`` by its kind and feature (a
hole's diameter → bore gauge, a shaft's → micrometer, a depth → depth micrometer, a
spacing → height gauge or CMM, a thread → GO/NO-GO thread plug or ring gauge), then by
the 10:1 rule on the gauge's measurement uncertainty (uncertainty ≤ tolerance / 10; a
gauge between 4:1 and 10:1 is usable pending a gauge R&R study), or on the measured
%GRR when a gauge study of the characteristic exists; the plan judges
itself for the readiness area ``inspection_plan``.

Its counts, minutes and cost come from one :class:`InspectionSchedule` per plan: the
steps as closed-form functions of quantity. The plan's steps and totals are the schedule
at the order quantity, and the quote's ``inspection`` bucket is the same schedule at every
quantity break (``cost(q) / q``), so the plan and the price never tell two stories.

Reading of seed 003's "every 2nd" and "every 5th": part numbers that are multiples of 2
(4, 6, 8, 10) and of 5 (15, 20, …, 50) — so a 40-part batch inspects parts 1, 2, 3, 4, 6,
8, 10, 15, 20, 25, 30, 35, 40.

References
----------
.. [1] Seed 003 (bespoke low-volume production): "Over-inspect the first article, then
   sample"; "Never skip the process validation run"; "probing every 5th part".
.. [2] Seeds 001/002: inspection per stage (full dimensional for prototypes; sampling-based
   QC, SPC, in-line for production).
.. [3] ANSI/ASQ Z1.4-2003 = ISO 2859-1:1999 (outgoing lot sampling, see
   :mod:`rampwise.quality.sampling`); AS9102 Rev C (first article inspection).
.. [4] Gauge 10:1 rule ("gage maker's rule"): research/quoting.md §2.6.
.. [5] AIAG, *Measurement Systems Analysis*, 4th ed. 2010: %GRR under 10 % acceptable,
   10–30 % may be acceptable, over 30 % unacceptable (``catalog/msa_criteria.csv``).
.. [6] ISO 1502:1996 (GO/NO-GO gauges for ISO metric threads); ASME B1.2-1983 (gauges
   for unified threads).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from functools import cache, cached_property
from itertools import pairwise

from pydantic import BaseModel, ConfigDict, Field

from rampwise.catalog import load_table
from rampwise.core.checks import require_whole
from rampwise.core.errors import CatalogError, InputError
from rampwise.core.model import (
    Characteristic,
    CharacteristicKind,
    Feature,
    Project,
    Stage,
    parse_stage,
)
from rampwise.core.shop import ShopConfig
from rampwise.core.units import unit_symbol
from rampwise.core.vocabulary import Vocabulary
from rampwise.quality.msa import GaugeAcceptability, GaugeRRResult, gauge_criteria
from rampwise.quality.sampling import (
    InspectionLevel,
    SamplingPlan,
    parse_aql,
    parse_level,
    sampling_plan,
)
from rampwise.rules.first_article import FirstArticleKind, FirstArticleNeed
from rampwise.rules.readiness import InspectionVerdict
from rampwise.rules.validation_run import ValidationRun

__all__ = [
    "GaugeChoice",
    "InspectionPlan",
    "InspectionRole",
    "InspectionSchedule",
    "InspectionStep",
    "ScheduledPart",
    "StepKind",
    "choose_gauge",
    "gauge_choices",
    "inspection_plan",
    "inspection_verdict",
    "tiered_schedule",
]

MINUTES_PER_HOUR = 60.0


class InspectionRole(Vocabulary):
    """Seed 004's three inspection standards, in the order the steps happen.

    ``adjective`` names a role before "step" (``"first-article"``, ``"in-process"``).
    """

    FAI = (
        "fai",
        "First article",
        "Steps that prove the first parts off the process: the validation run and the FAI.",
    )
    IN_PROCESS = (
        "in_process",
        "In process",
        "Steps that watch the parts as they are made: full, tiered, SPC and probing.",
    )
    OUTGOING = "outgoing", "Outgoing", "Steps that judge a lot before it ships: lot sampling."


class StepKind(Vocabulary):
    """Kinds of inspection step; ``role`` groups them for the readiness verdict.

    The label heads the step's row in the plan's table.
    """

    VALIDATION_RUN = (
        "validation_run",
        "Process validation run",
        "The route's validation run: sacrificial parts, or the significant production run.",
    )
    FIRST_ARTICLE = (
        "first_article",
        "First article inspection",
        "The first production part measured and recorded (AS9102): every characteristic, or "
        "a delta of those a change affects.",
    )
    FULL_DIMENSIONAL = (
        "full_dimensional",
        "Full dimensional inspection",
        "Every characteristic of every part measured: a prototype's whole plan.",
    )
    TIERED_SAMPLING = (
        "tiered_sampling",
        "Tiered sampling",
        "Seed 003's schedule: parts 1–3 in full, then every 2nd, every 5th, after tool changes.",
    )
    IN_PROCESS_SPC = (
        "in_process_spc",
        "In-process SPC",
        "Subgroups of the critical characteristics charted while the order runs.",
    )
    IN_PROCESS_PROBING = (
        "in_process_probing",
        "In-process probing",
        "On-machine probing of every 5th part (optional, seed 003).",
    )
    OUTGOING_SAMPLING = (
        "outgoing_sampling",
        "Outgoing sampling",
        "Lot sampling before shipment by ANSI/ASQ Z1.4 = ISO 2859-1.",
    )

    @property
    def role(self) -> InspectionRole:
        """First article, in process or outgoing (seed 004's three inspection standards)."""
        if self in (StepKind.FIRST_ARTICLE, StepKind.VALIDATION_RUN):
            return InspectionRole.FAI
        if self is StepKind.OUTGOING_SAMPLING:
            return InspectionRole.OUTGOING
        return InspectionRole.IN_PROCESS


class GaugeChoice(BaseModel):
    """The gauge for one characteristic and whether it meets the 10:1 rule.

    The rule is judged on the gauge's measurement uncertainty at the characteristic's
    size (``catalog/gauges.csv``), or on the measured %GRR when a gauge study of the
    characteristic exists.

    Parameters
    ----------
    characteristic_id, characteristic
        Id and name from the drawing.
    critical
        Whether the drawing marks it critical.
    gauge
        Gauge name from ``catalog/gauges.csv``.
    resolution
        Gauge resolution [``unit``]; ``None`` for an attribute gauge (GO/NO-GO).
    unit
        ``mm``, ``um`` (Ra) or ``deg``.
    tolerance
        Tolerance width (or Ra limit) the rule is applied to [``unit``]; ``None`` when the
        drawing gives none.
    capable
        Uncertainty ≤ tolerance / 4 (the 10:1 rule's minimum; the note says when it is
        under 10:1), or the gauge study's %GRR at most the AIAG limit of 30 % (``None``
        when it cannot be judged: an attribute gauge, no tolerance).
    minutes
        Time to measure and record it on one part, every feature it applies to [min].
    note
        Why this gauge, or what is wrong.
    uncertainty
        The gauge's maximum permissible error at the characteristic's nominal size,
        ± [``unit``]; ``None`` for an attribute gauge or one without a published figure.
    pct_grr
        %GRR of the characteristic's gauge study (the worse of study variation and
        tolerance) [%], when one exists: it judges the gauge instead of the catalog.
    """

    model_config = ConfigDict(frozen=True)

    characteristic_id: str
    characteristic: str
    critical: bool
    gauge: str
    resolution: float | None
    unit: str
    tolerance: float | None
    capable: bool | None
    minutes: float
    note: str = ""
    uncertainty: float | None = None
    pct_grr: float | None = None

    @property
    def verdict(self) -> str:
        """The gauge's judgement in a few words: its ratio or %GRR and what it means.

        ``"10.7:1 ok"``; ``"6.0:1, prove by gauge R&R"`` between the catalog's minimum and
        10:1; ``"1.7:1, not capable"`` below the minimum; ``"27.9 %GRR"`` when a study
        judges it; the note for an attribute gauge.
        """
        if self.capable is None:
            return self.note
        if self.pct_grr is not None:
            return f"{self.pct_grr:.1f} %GRR{'' if self.capable else ', not capable'}"
        figure = self.uncertainty if self.uncertainty is not None else self.resolution
        if not figure or self.tolerance is None:
            return "ok" if self.capable else "not capable"
        ratio = self.tolerance / figure
        if not self.capable:
            return f"{ratio:.1f}:1, not capable"
        return f"{ratio:.1f}:1 ok" if ratio >= 10 else f"{ratio:.1f}:1, prove by gauge R&R"


class ScheduledPart(BaseModel):
    """One part of the batch that is inspected, with the rules that select it."""

    model_config = ConfigDict(frozen=True)

    part: int
    reasons: tuple[str, ...]


class InspectionStep(BaseModel):
    """One step of the plan.

    Parameters
    ----------
    kind
        Step kind (see :class:`StepKind`).
    description
        What is done, in one line.
    characteristics
        Ids of the characteristics measured, critical first.
    parts
        Part numbers inspected, when listed part by part.
    frequency
        How often, in words (``"every part"``, ``"5 parts every 50"``).
    inspected_parts
        Parts measured in this step over the whole order [parts].
    minutes
        Inspector time of the step over the whole order [min].
    cost
        Inspector time at the rate plus fixed costs (FAI program and report) [plan
        currency].
    optional
        Proposed but not required (seed 003's probing).
    sampling
        The Z1.4 plan of an outgoing-sampling step.
    source
        Seed or standard the step comes from.
    """

    model_config = ConfigDict(frozen=True)

    kind: StepKind
    description: str
    characteristics: tuple[str, ...]
    parts: tuple[int, ...] = ()
    frequency: str
    inspected_parts: int
    minutes: float
    cost: float
    optional: bool = False
    sampling: SamplingPlan | None = None
    source: str


class InspectionTier(BaseModel):
    """One band of seed 003's schedule.

    Part numbers ``first``…``last`` that are multiples of ``every`` are inspected
    (``last`` ``None``: no upper end).
    """

    model_config = ConfigDict(frozen=True)

    first: int
    last: int | None
    every: int
    rule: str

    def count(self, quantity: int) -> int:
        """Parts of a batch of ``quantity`` this band inspects, in closed form [parts].

        The multiples of ``every`` in ``first``…min(``last``, ``quantity``):
        ⌊end / every⌋ − ⌊(first − 1) / every⌋, none when the band starts after the batch.
        """
        end = quantity if self.last is None else min(self.last, quantity)
        return max(0, end // self.every - (self.first - 1) // self.every)

    def selects(self, part: int) -> bool:
        """Whether this band inspects part number ``part``."""
        upper = part if self.last is None else self.last
        return self.first <= part <= upper and part % self.every == 0


class InspectionSchedule(BaseModel):
    """The steps of one inspection plan as functions of quantity: parts, minutes, cost.

    Built once per plan by :func:`inspection_plan` from its gauges, the shop's inspector
    rate, the route's validation run and the catalog's parameters. The plan's steps and
    totals are this schedule at the order quantity; the quote prices its ``inspection``
    bucket as :meth:`cost` at each quantity break over that quantity. Every count is in
    closed form (no part is listed), so a ladder up to 10,000,000 pcs costs a few
    arithmetic steps per quantity.

    Parameters
    ----------
    stage
        Stage of the plan.
    steps
        The required steps, in the order they happen (the optional probing is not
        costed: it is machine time).
    currency
        Currency of every cost [ISO 4217 code]: the shop's.
    rate
        Inspector rate [currency/h] (``labour_rates.csv``, role ``inspection``).
    part_minutes
        Every characteristic of one part with its gauge [min]: the full dimensional,
        tiered and outgoing steps measure this.
    critical_minutes
        The critical characteristics of one part [min]: what SPC charts.
    validation_minutes
        The validation run's characteristics on one part [min].
    validation_parts
        Parts of the route's validation run [parts]; 0 without one.
    validation_sacrificial
        The run's parts are made on top of the order (seed 003's sacrificial part), so
        their count does not depend on quantity; otherwise they are the order's first
        parts (PPAP's significant production run), never more than the order.
    first_article_fixed_cost
        FAI program and report on top of the inspector's time [currency]
        (``inspection_parameters.csv``), for a full or a delta FAI alike.
    first_article
        Which first article the order makes (:class:`~rampwise.rules.first_article.
        FirstArticleKind`); ``None`` at the prototype stage, which has none. A full FAI
        measures part 1 in full, so the tiered schedule leaves part 1 to it; a delta or
        a kept FAI leaves part 1 to the schedule.
    first_article_minutes
        The characteristics the first article measures on part 1 [min]: all of them for a
        full FAI, the affected ones for a delta, 0 when none is made.
    tiers
        Low volume: seed 003's bands (``inspection_tiers.csv``), which never overlap.
    tool_change_parts
        Low volume: first parts after a tool change that no band selects [part numbers].
    spc_subgroup, spc_every
        Mass production: SPC subgroups of ``spc_subgroup`` consecutive parts every
        ``spc_every`` parts [parts].
    probing_every
        Mass production: optional probing of every ``probing_every``-th part [parts].
    lot_size
        Mass production: parts per outgoing lot [parts]; ``None``: the whole quantity is
        one lot.
    aql, level
        Mass production: AQL [%] and Z1.4 inspection level of outgoing sampling.

    References
    ----------
    .. [1] Seed 003 (tiers, validation run, probing); seeds 001/002 (full dimensional,
       SPC); AS9102 Rev C; ANSI/ASQ Z1.4-2003 = ISO 2859-1:1999; AIAG PPAP 4th ed.
    """

    model_config = ConfigDict(frozen=True)

    stage: Stage
    steps: tuple[StepKind, ...]
    currency: str
    rate: float
    part_minutes: float
    critical_minutes: float
    validation_minutes: float
    validation_parts: int
    validation_sacrificial: bool
    first_article_fixed_cost: float
    first_article: FirstArticleKind | None
    first_article_minutes: float
    tiers: tuple[InspectionTier, ...] = ()
    tool_change_parts: tuple[int, ...] = ()
    spc_subgroup: int
    spc_every: int
    probing_every: int
    lot_size: int | None
    aql: float
    level: InspectionLevel

    def scheduled_parts(self, quantity: int) -> int:
        """Parts seed 003's tiered schedule selects in a batch of ``quantity`` [parts].

        Σ over the bands of :meth:`InspectionTier.count`, plus the tool-change parts
        within the batch; part 1 (the first article) included.
        """
        tiered = sum(tier.count(quantity) for tier in self.tiers)
        return tiered + sum(1 for part in self.tool_change_parts if part <= quantity)

    def lot(self, quantity: int) -> int:
        """Parts per outgoing lot in an order of ``quantity`` [parts]."""
        return quantity if self.lot_size is None else self.lot_size

    def sampling(self, quantity: int) -> SamplingPlan:
        """The Z1.4 plan of one outgoing lot of an order of ``quantity`` (:meth:`lot`)."""
        return sampling_plan(self.lot(quantity), self.aql, self.level)

    def lots(self, quantity: int) -> int:
        """Outgoing lots in an order of ``quantity``: ⌈quantity / lot⌉."""
        return -(-quantity // self.lot(quantity))

    def parts(self, kind: StepKind, quantity: int) -> int:
        """Parts the step of ``kind`` inspects in an order of ``quantity`` [parts].

        - validation run: the run's parts (a production run never more than the order);
        - first article: part 1;
        - full dimensional: every part;
        - tiered sampling: :meth:`scheduled_parts`, less part 1 when a full first article
          measures it;
        - in-process SPC: ⌈quantity / ``spc_every``⌉ subgroups of ``spc_subgroup``,
          never more than the order;
        - outgoing sampling: :meth:`lots` × the Z1.4 sample size of one lot;
        - probing: every ``probing_every``-th part.
        """
        if kind is StepKind.VALIDATION_RUN:
            run = self.validation_parts
            return run if self.validation_sacrificial else min(run, quantity)
        if kind is StepKind.FIRST_ARTICLE:
            return 1
        if kind is StepKind.FULL_DIMENSIONAL:
            return quantity
        if kind is StepKind.TIERED_SAMPLING:
            first = self.scheduled_parts(1) if self.first_article is FirstArticleKind.FULL else 0
            return self.scheduled_parts(quantity) - first
        if kind is StepKind.IN_PROCESS_SPC:
            return min(-(-quantity // self.spc_every) * self.spc_subgroup, quantity)
        if kind is StepKind.OUTGOING_SAMPLING:
            return self.lots(quantity) * self.sampling(quantity).sample_size
        return quantity // self.probing_every

    def part_minutes_of(self, kind: StepKind) -> float:
        """Minutes to measure one part in the step of ``kind`` [min]; 0 for probing."""
        if kind is StepKind.VALIDATION_RUN:
            return self.validation_minutes
        if kind is StepKind.FIRST_ARTICLE:
            return self.first_article_minutes
        if kind is StepKind.IN_PROCESS_SPC:
            return self.critical_minutes
        if kind is StepKind.IN_PROCESS_PROBING:
            return 0.0  # machine cycle time, not inspector time
        return self.part_minutes

    def step_minutes(self, kind: StepKind, quantity: int) -> float:
        """Inspector time of the step of ``kind`` in an order of ``quantity`` [min]."""
        return self.parts(kind, quantity) * self.part_minutes_of(kind)

    def step_cost(self, kind: StepKind, quantity: int) -> float:
        """Cost of the step of ``kind`` in an order of ``quantity`` [currency].

        Inspector time at :attr:`rate`, plus the FAI program and report for the first
        article.
        """
        cost = self.step_minutes(kind, quantity) / MINUTES_PER_HOUR * self.rate
        if kind is StepKind.FIRST_ARTICLE:
            cost += self.first_article_fixed_cost
        return cost

    def minutes(self, quantity: int) -> float:
        """Inspector time of the required steps in an order of ``quantity`` [min]."""
        return math.fsum(self.step_minutes(kind, quantity) for kind in self.steps)

    def cost(self, quantity: int) -> float:
        """Cost of the required steps in an order of ``quantity`` [currency].

        The plan's ``total_cost`` at its own quantity; the quote's ``inspection`` bucket ×
        quantity at every break.
        """
        return math.fsum(self.step_cost(kind, quantity) for kind in self.steps)

    @property
    def makes_first_article(self) -> bool:
        """Whether the plan makes a first article (full or delta): the lead time's FAI days."""
        return StepKind.FIRST_ARTICLE in self.steps

    @cached_property
    def one_time_cost(self) -> float:
        """Cost of the steps that do not grow with quantity [currency].

        The first article, and a sacrificial validation run (made on top of the order):
        the quote counts them with the batch's one-time costs.
        """
        return math.fsum(
            self.step_cost(kind, 1)
            for kind in self.steps
            if kind is StepKind.FIRST_ARTICLE
            or (kind is StepKind.VALIDATION_RUN and self.validation_sacrificial)
        )

    def describe(self, quantity: int) -> tuple[str, ...]:
        """Each required step at ``quantity`` in plain words, one phrase each."""
        return tuple(self._words(kind, quantity) for kind in self.steps)

    def _words(self, kind: StepKind, quantity: int) -> str:
        count = self.parts(kind, quantity)
        plural = "" if count == 1 else "s"
        if kind is StepKind.VALIDATION_RUN and self.validation_sacrificial:
            return (
                f"a process validation run of {count} sacrificial part{plural} made before "
                "the batch and measured on its critical characteristics (seed 003)"
            )
        if kind is StepKind.VALIDATION_RUN:
            return (
                f"a significant production run of the first {count} part{plural}, checked on "
                "the critical characteristics (AIAG PPAP)"
            )
        if kind is StepKind.FIRST_ARTICLE:
            cost = self.step_cost(kind, quantity)
            scope = (
                "on every characteristic"
                if self.first_article is FirstArticleKind.FULL
                else "on the characteristics a change affects (delta)"
            )
            return (
                f"the first article: part 1 {scope} with its AS9102 report, "
                f"{cost:,.2f} {self.currency}"
            )
        if kind is StepKind.FULL_DIMENSIONAL:
            return f"every part on every characteristic ({count} part{plural})"
        if kind is StepKind.TIERED_SAMPLING:
            rules = ", ".join(tier.rule for tier in self.tiers)
            changes = (
                ", and the first part after each tool change" if self.tool_change_parts else ""
            )
            besides = (
                " besides the first article" if self.first_article is FirstArticleKind.FULL else ""
            )
            return (
                f"seed 003's tiered sampling on every characteristic ({rules}{changes}), "
                f"{count} part{plural}{besides}"
            )
        if kind is StepKind.IN_PROCESS_SPC:
            return (
                f"in-process SPC on the critical characteristics, {self.spc_subgroup} parts "
                f"every {self.spc_every} ({count} part{plural})"
            )
        plan, lots = self.sampling(quantity), self.lots(quantity)
        return (
            f"outgoing ANSI/ASQ Z1.4 lot sampling on every characteristic, {plan.sample_size} "
            f"parts per lot of {self.lot(quantity)} (level {plan.level.value}, AQL "
            f"{plan.aql:g}; {lots} lot{'' if lots == 1 else 's'}, {count} part{plural})"
        )


class InspectionPlan(BaseModel):
    """The inspection plan of one project at one stage.

    Parameters
    ----------
    stage
        Stage the plan is for.
    quantity
        Parts in the order [parts].
    gauges
        Gauge per characteristic, in drawing order.
    steps
        Steps in the order they happen.
    schedule
        Low volume: the batch part by part (empty for other stages).
    total_minutes
        Inspector time of the required steps [min].
    total_cost
        Cost of the required steps for the quote [plan currency].
    minutes_per_part, cost_per_part
        The totals divided by the quantity [min/part], [plan currency/part].
    currency
        Currency of every cost of the plan: the shop's, whose rates priced it [ISO 4217
        code].
    complete
        Readiness verdict: FAI, in-process and outgoing steps cover every critical
        characteristic and every gauge meets the 10:1 rule.
    findings
        What keeps the plan from being complete.
    first_article
        The first article the order needs and why (AS9102B §4.6,
        :func:`rampwise.rules.first_article.first_article_need`): the plan's
        first-article step follows it; ``None`` for a prototype plan, which has none.
    by_quantity
        The steps as functions of quantity (:class:`InspectionSchedule`), whose value at
        ``quantity`` the steps and totals are; the quote prices its inspection bucket with
        it at every quantity. ``None`` only in JSON stored before it was recorded: such a
        plan reads back but cannot be priced again.
    """

    model_config = ConfigDict(frozen=True)

    stage: Stage
    quantity: int
    gauges: tuple[GaugeChoice, ...]
    steps: tuple[InspectionStep, ...]
    schedule: tuple[ScheduledPart, ...]
    total_minutes: float
    total_cost: float
    minutes_per_part: float
    cost_per_part: float
    currency: str
    complete: bool
    findings: tuple[str, ...]
    first_article: FirstArticleNeed | None
    by_quantity: InspectionSchedule | None = Field(default=None, repr=False)

    @property
    def part_minutes(self) -> float:
        """Minutes to inspect one part fully: every characteristic with its gauge [min]."""
        return sum(g.minutes for g in self.gauges)


# --------------------------------------------------------------------------------------
# Catalog
# --------------------------------------------------------------------------------------


class _Gauge(BaseModel):
    model_config = ConfigDict(frozen=True)

    name: str
    kinds: frozenset[CharacteristicKind]
    side: str
    resolution: float | None
    uncertainty: float | None
    uncertainty_per_m: float
    unit: str
    minutes: float

    @property
    def attribute(self) -> bool:
        """A GO/NO-GO gauge: no reading, so no 10:1 rule."""
        return self.resolution is None and self.uncertainty is None

    def uncertainty_at(self, length_mm: float) -> float | None:
        """Maximum permissible error measuring a length of ``length_mm`` [``unit``].

        ``uncertainty`` + ``uncertainty_per_m`` × L / 1000 (the A + L/K form of a CMM's
        MPE_E, ISO 10360-2); ``None`` without a published figure.
        """
        if self.uncertainty is None:
            return None
        return self.uncertainty + self.uncertainty_per_m * abs(length_mm) / 1000.0

    def figure(self, length_mm: float) -> tuple[float | None, str]:
        """What the 10:1 rule reads: the uncertainty, else the resolution, and its name."""
        uncertainty = self.uncertainty_at(length_mm)
        if uncertainty is not None:
            return uncertainty, "uncertainty"
        return self.resolution, "resolution"


@cache
def _gauges() -> tuple[_Gauge, ...]:
    return tuple(
        _Gauge(
            name=row["name"],
            kinds=frozenset(CharacteristicKind(k) for k in row["kinds"].split(";")),
            side=row["side"],
            resolution=float(row["resolution"]) if row["resolution"] else None,
            uncertainty=float(row["uncertainty"]) if row["uncertainty"] else None,
            uncertainty_per_m=float(row["uncertainty_per_m"] or 0.0),
            unit=row["unit"],
            minutes=float(row["minutes"]),
        )
        for row in load_table("gauges")
    )


@cache
def _parameters() -> dict[str, str]:
    return {row["name"]: row["value"] for row in load_table("inspection_parameters")}


def _number(name: str) -> float:
    return float(_parameters()[name])


@cache
def _outgoing_aql() -> float:
    """The catalog's AQL of outgoing sampling [%]."""
    return parse_aql(_parameters()["outgoing_aql"])


@cache
def _outgoing_level() -> InspectionLevel:
    """The catalog's Z1.4 inspection level of outgoing sampling."""
    return parse_level(_parameters()["outgoing_level"])


@cache
def inspection_tiers() -> tuple[InspectionTier, ...]:
    """Seed 003's "inspect the first article, then sample" schedule (``inspection_tiers.csv``).

    Raises
    ------
    CatalogError
        If the bands overlap or are out of order (only the last may be open): the
        closed-form count (:meth:`InspectionTier.count`) adds the bands up.
    """
    tiers = tuple(
        InspectionTier(
            first=int(row["first_part"]),
            last=int(row["last_part"]) if row["last_part"] else None,
            every=int(row["every"]),
            rule=row["rule"],
        )
        for row in load_table("inspection_tiers")
    )
    for before, after in pairwise(tiers):
        if before.last is None or before.last >= after.first:
            raise CatalogError(
                f"inspection_tiers: band {before.first}-{before.last or ''} overlaps the "
                f"band from part {after.first}"
            )
    return tiers


# --------------------------------------------------------------------------------------
# Gauges by the 10:1 rule
# --------------------------------------------------------------------------------------

_SIDED = frozenset({CharacteristicKind.DIAMETER, CharacteristicKind.RADIUS})
"""Kinds that are either a hole or a shaft: without a ``feature`` only gauges for any side."""


def _unit(characteristic: Characteristic) -> str:
    if characteristic.kind is CharacteristicKind.ROUGHNESS:
        return "um"
    if characteristic.kind is CharacteristicKind.ANGLE:
        return "deg"
    return "mm"


def _side(characteristic: Characteristic) -> str:
    """Which gauges may measure it: ``internal``, ``external``, ``any`` or ``unknown``.

    A hole is internal, a shaft external; ``unknown`` is a diameter or radius whose
    feature no file, class or name states (only gauges for either side). A length
    without a feature is measured across the outside (thickness, overall length);
    kinds that are neither (depth, step, spacing, form) take any gauge.
    """
    if characteristic.feature is Feature.HOLE:
        return "internal"
    if characteristic.feature is Feature.SHAFT:
        return "external"
    if characteristic.kind is CharacteristicKind.LENGTH:
        return "external"
    return "unknown" if characteristic.kind in _SIDED else "any"


def _limit(characteristic: Characteristic) -> float | None:
    """The width the 10:1 rule divides: tolerance width, or the Ra limit for roughness."""
    if characteristic.kind is CharacteristicKind.ROUGHNESS:
        return characteristic.max
    width = characteristic.tolerance_width
    return width if width is not None and width > 0 else None


def _length(characteristic: Characteristic) -> float:
    """Length the gauge measures, for a length-dependent uncertainty [mm] (0 if none)."""
    if characteristic.kind in (CharacteristicKind.ROUGHNESS, CharacteristicKind.ANGLE):
        return 0.0
    return abs(characteristic.nominal or 0.0)


def _study_of(
    characteristic: Characteristic, studies: Mapping[str, GaugeRRResult]
) -> GaugeRRResult | None:
    """The gauge study of a characteristic, keyed by its id or its name."""
    return next((studies[k] for k in characteristic.keys if k in studies), None)


def choose_gauge(
    characteristic: Characteristic,
    *,
    gauge: str | None = None,
    study: GaugeRRResult | None = None,
) -> GaugeChoice:
    """Gauge for one characteristic by its kind and feature, then the 10:1 rule.

    The gauges of ``catalog/gauges.csv`` that measure the characteristic's kind from its
    side (a hole from inside, a shaft from outside) are tried quickest first; the first
    whose measurement uncertainty at the characteristic's nominal size is at most a
    tenth of its tolerance is chosen (GO/NO-GO thread gauges are attribute gauges and
    always qualify); failing that, the first within the catalog's 4:1 minimum (capable,
    with the advice of a gauge R&R study); failing that, the one with the smallest
    uncertainty, marked not capable. A gauge without a published uncertainty is judged
    on its resolution. A gauge study of the characteristic, when there is one, judges
    the measurement system instead: capable when its %GRR is at most AIAG's 30 %.

    Parameters
    ----------
    characteristic
        The drawing characteristic (lengths [mm], Ra [µm], angles [deg]).
    gauge
        Force this gauge (e.g. the one the shop has); it is still judged by the rule.
    study
        The gauge R&R study of the characteristic's gauge (AIAG MSA), if one was made.

    Returns
    -------
    GaugeChoice
        Gauge, its uncertainty and resolution, tolerance, verdict and time (× the
        characteristic's ``count``).

    Raises
    ------
    InputError
        If ``gauge`` is not in the catalog or cannot measure this kind.

    References
    ----------
    10:1 rule: research/quoting.md §2.6 (±0.1 mm calipers … ±0.005 mm CMM); gauge
    figures and their sources: ``catalog/gauges.csv``; %GRR bands: AIAG MSA 4th ed.
    """
    unit, side, limit = _unit(characteristic), _side(characteristic), _limit(characteristic)
    length = _length(characteristic)
    candidates = _candidates(characteristic.kind, side, unit)
    if gauge is not None:
        named = [g for g in _gauges() if g.name.lower() == gauge.strip().lower()]
        if not named:
            listed = ", ".join(g.name for g in _gauges())
            raise InputError("gauge", f"must be one of {listed}; got {gauge!r}")
        if named[0] not in candidates:
            what = f"{characteristic.name} ({characteristic.kind.value}, {side})"
            raise InputError("gauge", f"{named[0].name} cannot measure {what}")
        candidates = tuple(named)
    if not candidates:
        raise CatalogError(f"gauges.csv: no gauge measures kind {characteristic.kind.value!r}")
    chosen, note = _first_capable(candidates, limit, length)
    figure, what = chosen.figure(length)
    capable = None
    if chosen.attribute:
        note = _attribute_note(characteristic, chosen)
    elif study is not None:
        capable, note = _study_verdict(study)
    elif figure is not None and limit is not None:
        capable, note = _ratio_verdict(figure, what, limit, unit)
    if side == "unknown" and not chosen.attribute:
        note += "; state feature: hole or shaft to allow a bore gauge or micrometer"
    if characteristic.inferred:
        note += (
            f"; {' and '.join(characteristic.inferred)} guessed from the name "
            f"{characteristic.name!r}: write it in the project file"
        )
    return GaugeChoice(
        characteristic_id=str(characteristic.id),
        characteristic=characteristic.name,
        critical=characteristic.critical,
        gauge=chosen.name,
        resolution=chosen.resolution,
        unit=unit,
        tolerance=limit,
        capable=capable,
        minutes=chosen.minutes * characteristic.count,
        note=note,
        uncertainty=chosen.uncertainty_at(length),
        pct_grr=study.pct_grr_judged if study is not None else None,
    )


def _ratio_verdict(figure: float, what: str, limit: float, unit: str) -> tuple[bool, str]:
    """The 10:1 rule on a gauge's uncertainty (or resolution) and the words for it.

    Capable at 10:1 or better; still capable between the catalog's minimum (4:1) and
    10:1, with the advice to prove it by a gauge R&R study; not capable below 4:1.
    """
    target, minimum = _number("gauge_ratio_target"), _number("gauge_ratio_min")
    unit = unit_symbol(unit)
    ratio = f"{limit / figure:.1f}:1" if figure > 0 else "exact"
    reading = f"{what} {'±' if what == 'uncertainty' else ''}{figure:.4g} {unit}"
    if _meets(figure, limit, target):
        return True, f"{target:g}:1 rule on the gauge's {reading} ({ratio})"
    if _meets(figure, limit, minimum):
        return True, (
            f"tolerance {limit:g} {unit} to the gauge's {reading} is {ratio}: under "
            f"{target:g}:1 but within the {minimum:g}:1 minimum; prove it by a gauge R&R "
            "study (AIAG MSA)"
        )
    return False, (
        f"{reading} is more than 1/{minimum:g} of the tolerance {limit:g} {unit} ({ratio}), "
        f"below the {minimum:g}:1 minimum: use a finer method and prove it by a gauge R&R "
        "study (AIAG MSA), or open the tolerance"
    )


def _attribute_note(characteristic: Characteristic, gauge: _Gauge) -> str:
    """Why an attribute gauge: what it checks."""
    thread = characteristic.thread
    if thread is not None:
        return (
            f"GO/NO-GO {gauge.name} for {thread.designation}: checks class "
            f"{thread.tolerance_class} (ISO 1502 / ASME B1.2); 10:1 rule not applicable"
        )
    return "attribute gauge (GO/NO-GO): 10:1 rule not applicable"


def _study_verdict(study: GaugeRRResult) -> tuple[bool, str]:
    """Capable when the study's %GRR is at most AIAG's limit, and the words for it."""
    criteria = gauge_criteria()
    pct = study.pct_grr_judged
    capable = study.acceptability is not GaugeAcceptability.UNACCEPTABLE
    bands = (
        f"under {criteria.acceptable_below:g} % acceptable, "
        f"{criteria.acceptable_below:g}–{criteria.unacceptable_above:g} % conditionally, "
        "AIAG MSA"
    )
    return capable, (
        f"gauge study: %GRR {pct:.1f} % ({study.acceptability.value}; {bands}) judges the "
        "measurement system in place of the catalog's 10:1 rule"
    )


@cache
def _candidates(kind: CharacteristicKind, side: str, unit: str) -> tuple[_Gauge, ...]:
    """Gauges that measure ``kind`` from ``side`` in ``unit`` or by attribute, catalog order.

    A gauge for ``any`` side fits every characteristic; one for a side fits that side,
    and a characteristic of ``any`` side (depth, step, spacing, form); an ``unknown``
    side (a diameter neither hole nor shaft) takes only gauges for any side.
    """
    return tuple(
        g
        for g in _gauges()
        if kind in g.kinds
        and (g.side == "any" or g.side == side or side == "any")
        and (g.unit == unit or g.attribute)
    )


def gauge_choices(
    characteristics: Sequence[Characteristic],
    *,
    gauges: Mapping[str, str] | None = None,
    studies: Mapping[str, GaugeRRResult] | None = None,
) -> tuple[GaugeChoice, ...]:
    """The gauge of every characteristic, in drawing order (:func:`choose_gauge`).

    Parameters
    ----------
    characteristics
        The drawing characteristics (lengths [mm], Ra [µm], angles [deg]).
    gauges
        Gauge to use per characteristic id (e.g. what the shop owns); others by the
        10:1 rule.
    studies
        Gauge R&R studies per characteristic id or name (the project's evidence): a
        study's %GRR judges that characteristic's gauge.

    Raises
    ------
    InputError
        If ``gauges`` names an id no characteristic has, or a gauge that is not in the
        catalog or cannot measure its characteristic.
    """
    forced = {str(k): v for k, v in (gauges or {}).items()}
    unknown = sorted(set(forced) - {str(c.id) for c in characteristics})
    if unknown:
        raise InputError("gauges", f"no characteristic with id {', '.join(unknown)}")
    found = studies or {}
    return tuple(
        choose_gauge(c, gauge=forced.get(str(c.id)), study=_study_of(c, found))
        for c in characteristics
    )


def _meets(figure: float | None, limit: float, ratio: float) -> bool:
    """Whether a gauge reading ``figure`` [unit] is at most ``limit`` / ``ratio``."""
    return figure is not None and figure <= limit / ratio * (1 + 1e-9)


def _first_capable(
    candidates: Sequence[_Gauge], limit: float | None, length: float
) -> tuple[_Gauge, str]:
    """The quickest gauge meeting 10:1, else the quickest meeting 4:1, else the finest."""
    if limit is None:
        return candidates[0], "no tolerance on the drawing: general tolerance applies"
    for ratio in (_number("gauge_ratio_target"), _number("gauge_ratio_min")):
        for candidate in candidates:
            if candidate.attribute or _meets(candidate.figure(length)[0], limit, ratio):
                return candidate, ""
    finest = min(candidates, key=lambda g: g.figure(length)[0] or math.inf)
    return finest, ""


# --------------------------------------------------------------------------------------
# Low-volume schedule
# --------------------------------------------------------------------------------------


def tiered_schedule(
    quantity: int, *, tool_changes: Sequence[int] = ()
) -> tuple[ScheduledPart, ...]:
    """Seed 003's tiered schedule written out part by part.

    Parameters
    ----------
    quantity
        Parts in the batch [parts].
    tool_changes
        Part numbers after which a tool is changed; the next part is inspected [parts].

    Returns
    -------
    tuple of ScheduledPart
        The inspected parts in order, each with the rules that select it.

    Raises
    ------
    InputError
        If the quantity is not ≥ 1 or a tool change is outside the batch.

    References
    ----------
    Seed 003: "First 3 parts: 100% inspection; Parts 4-10: Inspect every 2nd part;
    Parts 11-50: Inspect every 5th part, plus any after tool change".
    """
    count = require_whole("quantity", quantity, minimum=1)
    after_change: set[int] = set()
    for index, part in enumerate(tool_changes):
        number = require_whole(f"tool_changes[{index}]", part, minimum=1)
        if number >= count:
            raise InputError(
                f"tool_changes[{index}]", f"must be a part before the last ({count}); got {part}"
            )
        after_change.add(number + 1)
    # Each tier's parts are its multiples of `every` within its band (the batch's end for
    # an open band), so only the inspected parts are visited, not every part of the batch.
    reasons: dict[int, list[str]] = {}
    for tier in inspection_tiers():
        first_multiple = -(-tier.first // tier.every) * tier.every
        last = min(tier.last or count, count)
        for part in range(first_multiple, last + 1, tier.every):
            reasons.setdefault(part, []).append(tier.rule)
    for part in after_change:
        reasons.setdefault(part, []).append("first part after a tool change")
    return tuple(ScheduledPart(part=part, reasons=tuple(reasons[part])) for part in sorted(reasons))


# --------------------------------------------------------------------------------------
# The schedule and the plans per stage
# --------------------------------------------------------------------------------------

_SEED_003 = "seed 003 (bespoke low-volume production)"


def _ordered(gauges: Sequence[GaugeChoice]) -> tuple[GaugeChoice, ...]:
    """Critical characteristics first, then drawing order."""
    return tuple(sorted(gauges, key=lambda g: not g.critical))


def _validation_gauges(run: ValidationRun, gauges: Sequence[GaugeChoice]) -> list[GaugeChoice]:
    """The gauges of the run's characteristics (all of them when the run names none)."""
    return [g for g in gauges if g.characteristic_id in run.characteristics] or list(gauges)


def _minutes(gauges: Sequence[GaugeChoice]) -> float:
    """Minutes to measure these characteristics of one part [min]."""
    return math.fsum(g.minutes for g in gauges)


def _schedule(
    stage: Stage,
    gauges: Sequence[GaugeChoice],
    *,
    shop: ShopConfig,
    validation_run: ValidationRun | None,
    first_article: FirstArticleNeed,
    tool_changes: Sequence[int],
    lot_size: int | None,
    aql: float,
    level: InspectionLevel,
) -> InspectionSchedule:
    """The schedule of a plan at ``stage``: its required steps and what each measures.

    ``tool_changes`` (low volume) are whole part numbers already checked by
    :func:`tiered_schedule`; ``lot_size``, ``aql`` and ``level`` are parsed. The
    first-article step is there when ``first_article`` makes one, measuring its
    characteristics.
    """
    critical = [g for g in gauges if g.critical]
    run = None if stage is Stage.PROTOTYPE else validation_run
    tiers: tuple[InspectionTier, ...] = ()
    after_change: tuple[int, ...] = ()
    steps = [StepKind.VALIDATION_RUN] if run is not None else []
    fai = [StepKind.FIRST_ARTICLE] if first_article.made else []
    if stage is Stage.PROTOTYPE:
        steps = [StepKind.FULL_DIMENSIONAL]
    elif stage is Stage.LOW_VOLUME:
        tiers = inspection_tiers()
        steps += [*fai, StepKind.TIERED_SAMPLING]
        after_change = tuple(
            sorted(
                part
                for part in {int(change) + 1 for change in tool_changes}
                if not any(tier.selects(part) for tier in tiers)
            )
        )
    else:
        steps += fai
        if critical:
            steps.append(StepKind.IN_PROCESS_SPC)
        steps.append(StepKind.OUTGOING_SAMPLING)
    prototype = stage is Stage.PROTOTYPE
    return InspectionSchedule(
        stage=stage,
        steps=tuple(steps),
        currency=shop.currency,
        rate=shop.labour("inspection"),
        part_minutes=_minutes(gauges),
        critical_minutes=_minutes(critical),
        validation_minutes=_minutes(_validation_gauges(run, gauges)) if run else 0.0,
        validation_parts=run.quantity if run else 0,
        validation_sacrificial=run.sacrificial if run else False,
        first_article_fixed_cost=(_number("fai_program_cost") + _number("fai_overhead_cost"))
        * shop.catalog_rate,
        first_article=None if prototype else first_article.kind,
        first_article_minutes=0.0 if prototype else _minutes(_of(first_article, gauges)),
        tiers=tiers,
        tool_change_parts=after_change,
        spc_subgroup=int(_number("spc_subgroup_size")),
        spc_every=int(_number("spc_every_parts")),
        probing_every=int(_number("probing_every")),
        lot_size=lot_size,
        aql=aql,
        level=level,
    )


def _step(
    kind: StepKind,
    description: str,
    gauges: Sequence[GaugeChoice],
    schedule: InspectionSchedule,
    quantity: int,
    *,
    frequency: str,
    source: str,
    parts: Sequence[int] = (),
    optional: bool = False,
    sampling: SamplingPlan | None = None,
) -> InspectionStep:
    """One step at ``quantity``: its parts, minutes and cost are the schedule's.

    ``gauges`` come critical first (:func:`_ordered`), the order the step lists them in.
    """
    return InspectionStep(
        kind=kind,
        description=description,
        characteristics=tuple(g.characteristic_id for g in gauges),
        parts=tuple(parts),
        frequency=frequency,
        inspected_parts=schedule.parts(kind, quantity),
        minutes=schedule.step_minutes(kind, quantity),
        cost=schedule.step_cost(kind, quantity),
        optional=optional,
        sampling=sampling,
        source=source,
    )


def _of(need: FirstArticleNeed, gauges: Sequence[GaugeChoice]) -> list[GaugeChoice]:
    """The gauges of the characteristics the first article measures, in the given order."""
    return [g for g in gauges if g.characteristic_id in need.characteristics]


def _first_article(
    need: FirstArticleNeed,
    gauges: Sequence[GaugeChoice],
    schedule: InspectionSchedule,
    quantity: int,
) -> list[InspectionStep]:
    """The first-article step the order needs, plus the FAI program and report.

    Part 1 in full (a full FAI) or on the affected characteristics (a delta FAI, which
    names what changed); no step when the earlier first article is kept.
    """
    if not need.made:
        return []
    if need.kind is FirstArticleKind.FULL:
        why = f" ({', '.join(t.phrase for t in need.triggers)})" if need.triggers else ""
        description = (
            f"full first article inspection of part 1{why}: every characteristic, AS9102 forms 1-3"
        )
    else:
        changed = ", ".join(t.phrase for t in need.triggers)
        description = (
            f"delta first article inspection of part 1 ({changed} changed): characteristics "
            f"{', '.join(need.characteristics)}, AS9102 forms 1-3 as a partial FAI"
        )
    return [
        _step(
            StepKind.FIRST_ARTICLE,
            description,
            _of(need, gauges),
            schedule,
            quantity,
            parts=(1,),
            frequency="first part of the run",
            source=f"{need.source}; seed 003 'Over-inspect the first article'",
        )
    ]


def _prototype_steps(
    quantity: int, gauges: Sequence[GaugeChoice], schedule: InspectionSchedule
) -> list[InspectionStep]:
    return [
        _step(
            StepKind.FULL_DIMENSIONAL,
            "full dimensional inspection of every part, critical characteristics first",
            gauges,
            schedule,
            quantity,
            parts=range(1, quantity + 1),
            frequency="every part",
            source="seeds 001/002: prototypes get full dimensional reports or CMM checks",
        )
    ]


def _validation_step(
    run: ValidationRun, gauges: Sequence[GaugeChoice], schedule: InspectionSchedule, quantity: int
) -> InspectionStep:
    """The route's validation run as a step: its parts, each on its characteristics."""
    if run.sacrificial:
        description = (
            f"process validation run: {run.quantity} sacrificial part"
            f"{'' if run.quantity == 1 else 's'} from the same material batch, every critical "
            "feature measured before the batch"
        )
        source = f"{_SEED_003}: 'Never skip the Process Validation Run'"
    else:
        description = (
            f"significant production run: the first {run.quantity} parts, each checked on "
            f"the critical characteristics; {run.measured_quantity} readings make the initial "
            "process study (Ppk)"
        )
        source = "AIAG PPAP 4th ed. §2.2.11.3; seed 003 'Never skip the Process Validation Run'"
    return _step(
        StepKind.VALIDATION_RUN,
        description,
        _validation_gauges(run, gauges),
        schedule,
        quantity,
        parts=() if run.sacrificial else range(1, run.quantity + 1),
        frequency="before the batch" if run.sacrificial else "before the rest of the batch",
        source=source,
    )


def _low_volume_steps(
    quantity: int,
    gauges: Sequence[GaugeChoice],
    listed: Sequence[ScheduledPart],
    run: ValidationRun | None,
    first_article: FirstArticleNeed,
    schedule: InspectionSchedule,
) -> list[InspectionStep]:
    steps = [_validation_step(run, gauges, schedule, quantity)] if run is not None else []
    tiered = schedule.parts(StepKind.TIERED_SAMPLING, quantity)
    # Seed 003: "First 3 parts: 100% inspection". A full first article measures part 1,
    # so this step inspects (and costs) the rest; otherwise it measures part 1 too.
    full = first_article.kind is FirstArticleKind.FULL
    frequency = f"{schedule.scheduled_parts(quantity)} of {quantity} parts" + (
        f" (part 1 is the first article, so {tiered} in this step)" if full else ""
    )
    return [
        *steps,
        *_first_article(first_article, gauges, schedule, quantity),
        _step(
            StepKind.TIERED_SAMPLING,
            "tiered in-process inspection (parts 1-3 100 %, 4-10 every 2nd, 11-50 every 5th "
            "and after every tool change, then the steady rate)",
            gauges,
            schedule,
            quantity,
            parts=[p.part for p in listed if p.part != 1 or not full],
            frequency=frequency,
            source=f"{_SEED_003}: 'Over-inspect the First Article, Then Sample'",
        ),
    ]


def _mass_production_steps(
    quantity: int,
    gauges: Sequence[GaugeChoice],
    run: ValidationRun | None,
    first_article: FirstArticleNeed,
    schedule: InspectionSchedule,
) -> list[InspectionStep]:
    critical = [g for g in gauges if g.critical]
    subgroup, every = schedule.spc_subgroup, schedule.spc_every
    lot, lots, plan = schedule.lot(quantity), schedule.lots(quantity), schedule.sampling(quantity)
    probing_every = schedule.probing_every
    steps = [_validation_step(run, gauges, schedule, quantity)] if run is not None else []
    steps.extend(_first_article(first_article, gauges, schedule, quantity))
    if critical:
        steps.append(
            _step(
                StepKind.IN_PROCESS_SPC,
                f"X̄-R control charts on the critical characteristics: subgroups of {subgroup} "
                f"consecutive parts every {every} parts",
                critical,
                schedule,
                quantity,
                frequency=f"{subgroup} parts every {every}",
                source="seed 001/002 (production: SPC); AIAG SPC manual 2nd ed. (subgroups of 4-5)",
            )
        )
    steps.append(
        _step(
            StepKind.OUTGOING_SAMPLING,
            f"outgoing lot sampling ANSI/ASQ Z1.4 = ISO 2859-1, level {plan.level.value}, AQL "
            f"{plan.aql:g}: code {plan.code_letter}, n {plan.sample_size}, Ac {plan.accept}, "
            f"Re {plan.reject} per lot of {lot}",
            gauges,
            schedule,
            quantity,
            frequency=f"{plan.sample_size} parts per lot of {lot} "
            f"({lots} lot{'' if lots == 1 else 's'})",
            sampling=plan,
            source="ANSI/ASQ Z1.4-2003 = ISO 2859-1:1999 (switching rules apply lot to lot)",
        )
    )
    steps.append(
        _step(
            StepKind.IN_PROCESS_PROBING,
            f"optional in-process probing of the critical features every {probing_every}th "
            "part to auto-adjust tool offsets (machine cycle time, not inspector time)",
            critical or gauges,
            schedule,
            quantity,
            frequency=f"every {probing_every}th part",
            optional=True,
            source=f"{_SEED_003}: 'probing every 5th part to auto-adjust offsets'",
        )
    )
    return steps


def inspection_plan(
    project: Project,
    stage: Stage | str,
    *,
    choices: Sequence[GaugeChoice],
    shop: ShopConfig,
    first_article: FirstArticleNeed,
    validation_run: ValidationRun | None = None,
    tool_changes: Sequence[int] = (),
    lot_size: int | None = None,
    aql: float | None = None,
    level: str | None = None,
) -> InspectionPlan:
    """Inspection plan of a project at a stage, with its cost and verdict.

    Parameters
    ----------
    project
        The project (characteristics [mm, µm, deg], quantity [parts]).
    stage
        ``prototype``, ``low_volume`` or ``mass_production``.
    choices
        The gauge of every characteristic, in drawing order (:func:`gauge_choices`).
    shop
        Its currency, inspector rate [shop currency/h] (``labour_rates.csv``, role
        ``inspection``) and the rate that converts the catalog's USD first-article costs
        (``inspection_parameters.csv``) to its currency: the figures the quote uses.
    first_article
        The first article the order needs (:func:`rampwise.rules.first_article.
        first_article_need`, AS9102B §4.6): full, delta or kept. Not used at the prototype
        stage, whose plan inspects every part in full.
    validation_run
        The route's process validation run at this stage
        (:attr:`rampwise.rules.process.Route.validation_run`): its step inspects exactly its
        parts. ``None`` at a prototype stage.
    tool_changes
        Low volume: parts after which a tool is changed [parts].
    lot_size
        Mass production: parts per outgoing lot [parts]; default the whole quantity.
    aql
        Mass production: AQL of outgoing sampling [%]; default from the catalog (1.0).
    level
        Mass production: Z1.4 inspection level; default II.

    Returns
    -------
    InspectionPlan
        Gauges, steps (part by part for low volume), total minutes and cost, and whether
        it covers what its own stage needs; its :class:`InspectionSchedule`
        (``by_quantity``) gives the steps' counts and cost at any quantity, and the steps
        and totals are its value at the project's quantity.

    Raises
    ------
    InputError
        For an unknown stage, a bad lot size, AQL, level or tool change.
    """
    chosen_stage = parse_stage(stage)
    chosen = tuple(choices)
    ordered = _ordered(chosen)
    quantity = project.quantity
    listed: tuple[ScheduledPart, ...] = ()
    size: int | None = None
    chosen_aql, chosen_level = _outgoing_aql(), _outgoing_level()
    if chosen_stage is Stage.LOW_VOLUME:
        listed = tiered_schedule(quantity, tool_changes=tool_changes)
    elif chosen_stage is Stage.MASS_PRODUCTION:
        size = None if lot_size is None else require_whole("lot_size", lot_size, minimum=1)
        chosen_aql = parse_aql(aql) if aql is not None else chosen_aql
        chosen_level = parse_level(level) if level else chosen_level
    schedule = _schedule(
        chosen_stage,
        ordered,
        shop=shop,
        validation_run=validation_run,
        first_article=first_article,
        tool_changes=tool_changes if chosen_stage is Stage.LOW_VOLUME else (),
        lot_size=size,
        aql=chosen_aql,
        level=chosen_level,
    )
    if chosen_stage is Stage.PROTOTYPE:
        steps = _prototype_steps(quantity, ordered, schedule)
    elif chosen_stage is Stage.LOW_VOLUME:
        steps = _low_volume_steps(
            quantity, ordered, listed, validation_run, first_article, schedule
        )
    else:
        steps = _mass_production_steps(quantity, ordered, validation_run, first_article, schedule)
    total_minutes = schedule.minutes(quantity)
    total_cost = schedule.cost(quantity)
    prototype = chosen_stage is Stage.PROTOTYPE
    findings = _findings(chosen_stage, chosen, steps, None if prototype else first_article)
    return InspectionPlan(
        stage=chosen_stage,
        quantity=quantity,
        gauges=chosen,
        steps=tuple(steps),
        schedule=listed,
        total_minutes=total_minutes,
        total_cost=total_cost,
        minutes_per_part=total_minutes / quantity,
        cost_per_part=total_cost / quantity,
        currency=shop.currency,
        complete=not findings,
        findings=findings,
        first_article=None if prototype else first_article,
        by_quantity=schedule,
    )


_ROLES_NEEDED = {
    Stage.PROTOTYPE: (InspectionRole.IN_PROCESS,),
    Stage.LOW_VOLUME: (InspectionRole.FAI, InspectionRole.IN_PROCESS),
    Stage.MASS_PRODUCTION: (InspectionRole.FAI, InspectionRole.IN_PROCESS, InspectionRole.OUTGOING),
}
"""The inspection roles each stage's plan must cover on every critical characteristic: a
prototype's full dimensional inspection of every part is its whole plan (seeds 001/002);
a low-volume batch adds the validation run and first article before its tiered sampling
(seed 003); production adds outgoing lot sampling (seed 004: 'FAI, in-process
inspection, and outgoing quality standards are clear')."""


def _findings(
    stage: Stage,
    gauges: Sequence[GaugeChoice],
    steps: Sequence[InspectionStep],
    first_article: FirstArticleNeed | None = None,
) -> tuple[str, ...]:
    """What keeps the plan from covering its own stage's needs on every critical characteristic.

    A prototype plan is judged by what prototypes need (every part measured in full), a
    low-volume one by seed 003's validation run, first article and tiered sampling, a
    production one by seed 004's three standards (:data:`_ROLES_NEEDED`). A repeat order
    whose earlier first article stands (``first_article`` kept, or a delta re-measuring
    what changed) has its first-article role covered by that FAI (AS9102B §4.6).
    """
    lines: list[str] = []
    for choice in gauges:
        label = f"characteristic {choice.characteristic_id} ({choice.characteristic})"
        if choice.critical and choice.capable is False:
            lines.append(f"{label}: {choice.gauge} {choice.note}")
        attribute = choice.resolution is None and choice.uncertainty is None
        if choice.critical and choice.tolerance is None and not attribute:
            lines.append(f"{label}: no tolerance to judge the gauge by")
    earlier = first_article is not None and first_article.kind is not FirstArticleKind.FULL
    for role in _ROLES_NEEDED[stage]:
        if role is InspectionRole.FAI and earlier:
            continue
        covered = {
            cid
            for s in steps
            if s.kind.role == role and not s.optional
            for cid in s.characteristics
        }
        missing = [
            g.characteristic_id for g in gauges if g.critical and g.characteristic_id not in covered
        ]
        if missing:
            lines.append(
                f"no {role.adjective} step for critical characteristic(s) {', '.join(missing)}"
            )
    if stage is not Stage.PROTOTYPE and not any(g.critical for g in gauges):
        lines.append("the drawing marks no critical characteristic")
    return tuple(lines)


def inspection_verdict(plan: InspectionPlan) -> InspectionVerdict:
    """The plan's verdict in the form the readiness gate reads (area ``inspection_plan``).

    Seed 004: "FAI, in-process inspection, and outgoing quality standards are clear" —
    complete when FAI, in-process and outgoing steps cover every critical characteristic
    and every gauge on them meets the 10:1 rule. Pass the mass-production plan to judge
    readiness to scale; its cost is stated in the plan's own currency.
    """
    present = {s.kind.role for s in plan.steps if not s.optional}
    roles = [role.adjective for role in InspectionRole if role in present]
    evidence = [
        f"generated {plan.stage.adjective} plan: {', '.join(roles)} inspection steps; "
        f"{plan.total_minutes:.0f} min inspection, {plan.total_cost:.0f} {plan.currency}"
    ]
    if plan.first_article is not None:
        evidence.append(f"{plan.first_article.kind.label}: {plan.first_article.says}")
    evidence.extend(
        f"{g.characteristic_id} {g.characteristic}: {g.gauge}"
        + ("" if g.capable is not False else f" ({g.verdict})")
        for g in plan.gauges
        if g.critical
    )
    action = None
    if not plan.complete:
        action = "Close the inspection plan findings: " + "; ".join(plan.findings)
    return InspectionVerdict(complete=plan.complete, evidence=tuple(evidence), action=action)
