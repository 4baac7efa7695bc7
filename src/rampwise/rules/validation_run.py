"""The process validation run: planned before a batch, judged from its measurements.

Seed 003: "Never skip the process validation run. Before committing to all 50 parts,
machine one sacrificial part from the same material batch. Measure every critical
feature." For the step to production the run is AIAG PPAP's significant production run,
judged by the initial process study (Ppk > 1.67 accepted, 1.33–1.67 conditional) and the
first-pass yield. The readiness gate reads the verdict back.

References
----------
.. [1] Seed 003 ("Never skip the process validation run").
.. [2] AIAG, *Production Part Approval Process*, 4th ed. 2006, §2.2.11.3 and the
   significant production run (≥ 300 consecutive parts).
.. [3] AIAG, *Statistical Process Control*, 2nd ed. 2005 (≥ 100 readings).
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from pydantic import BaseModel, ConfigDict

from rampwise.core.errors import InputError
from rampwise.core.model import Part, Stage
from rampwise.core.shop import ShopConfig
from rampwise.core.vocabulary import Vocabulary
from rampwise.quality.capability import PpapStatus, capability_thresholds, ppap_status
from rampwise.rules.process_capability import route_rule


class _Result(BaseModel):
    model_config = ConfigDict(frozen=True)


class ValidationStatus(Vocabulary):
    """Verdict of a process validation run."""

    PASSED = (
        "passed",
        "Passed",
        "First-pass yield and every critical Ppk meet the run's figures.",
    )
    CONDITIONAL = (
        "conditional",
        "Conditional",
        "A critical Ppk is conditionally acceptable (PPAP): the customer must approve.",
    )
    FAILED = (
        "failed",
        "Failed",
        "First-pass yield below the figure, or a critical Ppk rejected.",
    )
    INCOMPLETE = (
        "incomplete",
        "Incomplete",
        "A yield or a Ppk the verdict needs is missing, and nothing has failed.",
    )


class ValidationRun(_Result):
    """The planned process validation run the readiness gate reads back.

    One size everywhere: the route shows it, the inspection plan's ``validation_run`` step
    inspects ``quantity`` parts on ``characteristics``, the quote prices it and the lead
    time schedules it.

    Attributes
    ----------
    quantity
        Parts made in the run, each inspected on ``characteristics`` [pieces].
    sacrificial
        True when the run's parts are made on top of the order and scrapped after
        measurement (seed 003's sacrificial part); False when they are the first parts
        of the order itself, kept when they conform (PPAP's significant production run).
    measured_quantity
        Parts whose readings make the capability study [pieces], ≤ ``quantity``.
    characteristics
        Ids of the characteristics measured on each part.
    measure
        What is measured, in words.
    min_index
        Capability (Ppk) each measured characteristic must exceed to pass [unitless],
        ``None`` when the run is too short for an index.
    conditional_index
        Lower bound of the conditional band [unitless].
    min_first_pass_yield
        Fraction of parts that must conform first time [unitless].
    """

    purpose: str
    quantity: int
    sacrificial: bool
    measured_quantity: int
    characteristics: tuple[str, ...]
    measure: tuple[str, ...]
    min_index: float | None
    conditional_index: float | None
    min_first_pass_yield: float
    source: str


class ValidationVerdict(_Result):
    """Result of judging a validation run's measurements against its plan."""

    status: ValidationStatus
    reasons: tuple[str, ...]


def _allowed_first_pass_yield(quantity: int, characteristics: int) -> float:
    """Lowest first-pass yield consistent with capable processes [unitless].

    A centred process at the ongoing target Cpk (1.33) leaves 2·Φ(−3·Cpk) of its parts
    outside the tolerance (63 ppm); a part with k such characteristics fails with
    p = 1 − (1 − that)^k. A run of n parts may then show floor(n·p) rejects — zero for any
    practical run, so any reject in the run is a signal, not bad luck.
    """
    # 2·Φ(−3·Cpk) = erfc(3·Cpk/√2): the standard normal tail through the error function.
    per_characteristic = math.erfc(3 * capability_thresholds().cpk_min / math.sqrt(2))
    per_part = 1 - (1 - per_characteristic) ** characteristics
    return 1 - math.floor(quantity * per_part) / quantity


def plan_validation_run(
    part: Part, stage: Stage, quantity: int, *, shop: ShopConfig
) -> ValidationRun | None:
    """The process validation run a stage needs before its batch.

    Parameters
    ----------
    part
        The part; its critical characteristics are measured (all toleranced ones when
        none is marked critical).
    stage
        ``low_volume``: sacrificial parts from the batch's material (seed 003), made on
        top of the order. ``mass_production``: PPAP's significant production run of the
        order's first parts (300, or the whole order when smaller) with an initial process
        study. ``prototype``: ``None`` — each prototype is itself inspected in full.
    quantity
        Parts ordered [pieces]; a production run is never longer than the order.
    shop
        ``validation_run_parts`` [pieces] of a low-volume run (a shop may sacrifice more).

    Returns
    -------
    ValidationRun or None
        Quantity, what is measured and the pass criteria.
    """
    if stage is Stage.PROTOTYPE:
        return None
    chosen = part.critical_characteristics or tuple(c for c in part.characteristics if c.toleranced)
    ids = tuple(str(c.id) for c in chosen)
    labels = ", ".join(f"#{c.id} {c.name}" for c in chosen) or "every toleranced characteristic"
    limits = capability_thresholds()
    if stage is Stage.LOW_VOLUME:
        parts = int(shop.default("validation_run_parts"))
        return ValidationRun(
            purpose="sacrificial part before the low-volume batch",
            quantity=parts,
            sacrificial=True,
            measured_quantity=parts,
            characteristics=ids,
            measure=(
                f"every critical characteristic: {labels}",
                "the raw material of the batch for bow and flatness (seed 003 found a "
                "0.002 in bow that would have failed every part)",
            ),
            min_index=None,
            conditional_index=None,
            min_first_pass_yield=1.0,
            source="seed 003: 'machine one sacrificial part from the same material batch. "
            "Measure every critical feature.'",
        )
    run = min(int(route_rule("validation_production_run_quantity")), quantity)
    measured = min(int(route_rule("validation_production_measured_quantity")), run)
    return ValidationRun(
        purpose=f"significant production run before mass production: the order's first {run} parts",
        quantity=run,
        sacrificial=False,
        measured_quantity=measured,
        characteristics=ids,
        measure=(
            f"{labels} on each of the {run} parts; {measured} consecutive readings "
            "(subgroups of 4) make the initial process study",
            "first-pass yield of the whole run",
        ),
        min_index=limits.ppk_accept_above,
        conditional_index=limits.ppk_conditional_min,
        min_first_pass_yield=_allowed_first_pass_yield(run, max(len(ids), 1)),
        source="AIAG PPAP 4th ed. §2.2.11.3 (Ppk > 1.67 accepted, 1.33–1.67 conditional) and "
        "significant production run ≥ 300 parts; AIAG SPC 2nd ed. ≥ 100 readings; seed 003",
    )


def judge_validation_run(
    run: ValidationRun, index: Mapping[str, float], first_pass_yield: float | None
) -> ValidationVerdict:
    """Judge a finished validation run against its plan.

    Parameters
    ----------
    run
        The plan from :func:`plan_validation_run`.
    index
        Measured Ppk (or Cpk) per characteristic id [unitless].
    first_pass_yield
        Fraction of the run's parts conforming first time [unitless], ``None`` if unknown.

    Returns
    -------
    ValidationVerdict
        ``failed`` if the yield or any index is below its floor; ``incomplete`` if a value
        is missing; ``conditional`` if an index lies in PPAP's 1.33–1.67 band; else
        ``passed``.
    """
    reasons: list[str] = []
    missing: list[str] = []
    status = ValidationStatus.PASSED
    if first_pass_yield is None:
        missing.append("first-pass yield")
    elif not 0 <= first_pass_yield <= 1:
        raise InputError("first_pass_yield", f"must be a fraction 0–1; got {first_pass_yield!r}")
    elif first_pass_yield < run.min_first_pass_yield:
        status = ValidationStatus.FAILED
        reasons.append(
            f"first-pass yield {first_pass_yield:.1%} below {run.min_first_pass_yield:.1%}"
        )
    if run.min_index is not None:
        for key in run.characteristics:
            if key not in index:
                missing.append(f"Ppk of #{key}")
                continue
            verdict = ppap_status(index[key])
            if verdict is PpapStatus.REJECTED:
                status = ValidationStatus.FAILED
                reasons.append(f"#{key} Ppk {index[key]:.2f} below {run.conditional_index}")
            elif verdict is PpapStatus.CONDITIONAL:
                if status is ValidationStatus.PASSED:
                    status = ValidationStatus.CONDITIONAL
                reasons.append(f"#{key} Ppk {index[key]:.2f} conditional (customer approval)")
    if missing and status is not ValidationStatus.FAILED:
        status = ValidationStatus.INCOMPLETE
        reasons.append(f"not measured: {', '.join(missing)}")
    return ValidationVerdict(status=status, reasons=tuple(reasons))
