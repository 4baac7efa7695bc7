"""Switching rules of ANSI/ASQ Z1.4 / ISO 2859-1 as a state machine over a lot history.

Inspection starts normal. Each lot is judged with the plan of the current severity; the
outcome moves the scheme:

* normal → tightened when 2 of 5 or fewer consecutive lots are not accepted;
* tightened → normal after 5 consecutive lots accepted;
* normal → reduced when the switching score reaches 30, production is at a steady rate
  and the responsible authority approves reduced inspection;
* reduced → normal when a lot is not accepted, when a gapped reduced plan accepts a lot
  with a count between Ac and Re, or when production is irregular;
* tightened → discontinued when 5 lots in total are not accepted on tightened
  inspection; it resumes on tightened once the supplier has taken corrective action.

The switching score starts at 0 with normal inspection. After each lot: with Ac ≥ 2 it
gains 3 if the lot would also have been accepted at the next tighter AQL, otherwise it
returns to 0; with Ac ≤ 1 it gains 2 if the lot is accepted, otherwise it returns to 0
(double sampling: 3 if accepted on the first sample, otherwise 0).

References
----------
.. [1] ISO 2859-1:1999, clause 9.3 "Switching rules and procedures" and 9.4
   "Discontinuation of inspection" (text public as IS 2500 (Part 1):2000); the same
   rules in ANSI/ASQ Z1.4-2003 clause 8. Summary in ``shared/refdata/z14_switching_rules.json``.
.. [2] MIL-STD-105E clause 10.1.4 (reduced plans with a gap: a lot with Ac < d < Re is
   accepted and normal inspection reinstated).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from rampwise.catalog import load_table
from rampwise.core.checks import require_whole
from rampwise.core.errors import InputError
from rampwise.core.vocabulary import Vocabulary
from rampwise.quality.csv_table import read_csv
from rampwise.quality.oc import (
    AOQLResult,
    Distribution,
    aoql,
    probability_of_acceptance,
)
from rampwise.quality.sampling import (
    InspectionLevel,
    InspectionSeverity,
    SamplingPlan,
    SamplingScheme,
    master_table_plan,
    parse_aql,
    parse_enum,
    parse_level,
    sampling_plan,
    tighter_aql,
)

__all__ = [
    "LotRecord",
    "LotResult",
    "SamplingReport",
    "SchemeState",
    "SwitchingResult",
    "SwitchingRules",
    "load_lot_history",
    "run_switching",
    "sampling_report",
    "switching_rules",
]


class SchemeState(Vocabulary):
    """Where the sampling scheme stands before the next lot."""

    NORMAL = "normal", "Normal", "Lots judged on normal inspection, where every scheme starts."
    TIGHTENED = (
        "tightened",
        "Tightened",
        "After 2 of 5 or fewer consecutive lots were not accepted; normal again after 5 "
        "accepted in a row.",
    )
    REDUCED = (
        "reduced",
        "Reduced",
        "After a switching score of 30 at a steady rate and with approval; normal again on "
        "a lot not accepted.",
    )
    DISCONTINUED = (
        "discontinued",
        "Discontinued",
        "After 5 lots not accepted on tightened inspection: stopped until the supplier "
        "corrects the process.",
    )


class SwitchingRules(BaseModel):
    """Counts of the switching rules (catalog ``z14_switching.csv``).

    Parameters
    ----------
    tightened_window
        Consecutive lots within which ``tightened_rejections`` non-accepted lots switch
        normal → tightened [lots].
    tightened_rejections
        Non-accepted lots in that window [lots].
    normal_after_accepted
        Consecutive accepted lots on tightened that restore normal [lots].
    reduced_score
        Switching score that allows normal → reduced [points].
    discontinue_rejections
        Non-accepted lots in total on tightened that discontinue inspection [lots].
    score_ac_two_or_more, score_ac_up_to_one, score_double
        Points added per lot for the three cases of the switching score [points].
    """

    model_config = ConfigDict(frozen=True)

    tightened_window: int
    tightened_rejections: int
    normal_after_accepted: int
    reduced_score: int
    discontinue_rejections: int
    score_ac_two_or_more: int
    score_ac_up_to_one: int
    score_double: int


def switching_rules() -> SwitchingRules:
    """The switching-rule counts from the catalog (ISO 2859-1:1999 clause 9.3)."""
    values = {row["rule"]: int(row["value"]) for row in load_table("z14_switching")}
    return SwitchingRules.model_validate(values)


class LotRecord(BaseModel):
    """One lot of the history as inspected.

    Parameters
    ----------
    lot
        Lot identifier as written in the history.
    nonconforming
        Nonconforming items (or nonconformities) found in the first sample [unitless].
    nonconforming_second
        Count in the second sample of double sampling, when one was drawn [unitless].
    lot_size
        Items in the lot [unitless]; ``None`` uses the scheme's lot size.
    steady_production
        False when production was irregular or delayed before this lot.
    corrective_action
        True when the supplier's corrective action after a discontinuation is accepted
        before this lot; inspection resumes on tightened.
    row
        Line of the history file (1 = header), for messages.
    """

    model_config = ConfigDict(frozen=True)

    lot: str
    nonconforming: int = Field(ge=0)
    nonconforming_second: int | None = Field(default=None, ge=0)
    lot_size: int | None = Field(default=None, ge=1)
    steady_production: bool = True
    corrective_action: bool = False
    row: int | None = None


class LotResult(BaseModel):
    """What the scheme did with one lot.

    Parameters
    ----------
    lot
        Lot identifier.
    inspection
        Severity the lot was inspected under.
    sample_size, accept, reject
        First-stage n, Ac, Re of the plan used [unitless].
    nonconforming
        Count that decided the lot (cumulative for double sampling) [unitless].
    accepted
        Whether the lot was accepted.
    switching_score
        Score reached with this lot; 0 for lots not on normal inspection (the score
        restarts at 0 whenever normal inspection starts) [points].
    state_after
        Scheme state for the next lot.
    reason
        Why the state changed, empty when it did not.
    """

    model_config = ConfigDict(frozen=True)

    lot: str
    inspection: InspectionSeverity
    sample_size: int
    accept: int
    reject: int
    nonconforming: int
    accepted: bool
    switching_score: int
    state_after: SchemeState
    reason: str = ""


class SwitchingResult(BaseModel):
    """The lot history replayed through the switching rules.

    Parameters
    ----------
    lots
        One result per lot, in history order.
    state
        State for the next lot.
    switching_score
        Current switching score [points].
    next_plan
        Plan for the next lot (``None`` while inspection is discontinued).
    """

    model_config = ConfigDict(frozen=True)

    lots: tuple[LotResult, ...]
    state: SchemeState
    switching_score: int
    next_plan: SamplingPlan | None


class _Judgement(BaseModel):
    model_config = ConfigDict(frozen=True)

    accepted: bool
    count: int
    first_sample_accepted: bool
    reinstate_normal: bool


def _judge(plan: SamplingPlan, record: LotRecord) -> _Judgement:
    """Accept or not one lot under ``plan`` (Z1.4 clauses 10.1.1-10.1.4 and 10.2)."""
    first = plan.stages[0]
    stage, count = first, record.nonconforming
    if len(plan.stages) > 1 and first.accept < count < first.reject:
        if record.nonconforming_second is None:
            where = f"row {record.row}" if record.row else f"lot {record.lot}"
            raise InputError(
                f"history {where}",
                f"{count} nonconforming in the first sample is between Ac {first.accept} and "
                f"Re {first.reject}: column 'nonconforming_2' (second sample) is required",
            )
        stage, count = plan.stages[1], count + record.nonconforming_second
    # A decided first stage has count ≤ Ac or ≥ Re; a last stage accepts below Re.
    accepted = count < stage.reject
    return _Judgement(
        accepted=accepted,
        count=count,
        first_sample_accepted=stage is first and accepted,
        reinstate_normal=accepted and count > stage.accept,
    )


def _score_after(score: int, plan: SamplingPlan, judged: _Judgement, rules: SwitchingRules) -> int:
    """Switching score after a lot on normal inspection (ISO 2859-1:1999 9.3.3.2)."""
    if plan.scheme is SamplingScheme.DOUBLE and len(plan.stages) > 1:
        return score + rules.score_double if judged.first_sample_accepted else 0
    if plan.accept >= 2:
        tighter = tighter_aql(plan.aql)
        if tighter is None:
            return 0
        strict = master_table_plan(plan.plan_letter, tighter, InspectionSeverity.NORMAL)
        # Same row, one AQL column to the left: the sample already drawn is judged again.
        return score + rules.score_ac_two_or_more if judged.count <= strict.stages[0].accept else 0
    return score + rules.score_ac_up_to_one if judged.accepted else 0


def run_switching(
    history: Sequence[LotRecord],
    *,
    lot_size: int,
    aql: float,
    level: InspectionLevel | str = InspectionLevel.II,
    scheme: SamplingScheme | str = SamplingScheme.SINGLE,
    start: SchemeState | str = SchemeState.NORMAL,
    reduced_approved: bool = True,
) -> SwitchingResult:
    """Replay a lot history through the switching rules.

    Parameters
    ----------
    history
        Lots in the order they were submitted.
    lot_size
        Items per lot for lots whose record gives none [unitless].
    aql
        Acceptance quality limit [%].
    level
        Inspection level (default II).
    scheme
        ``single`` (default) or ``double``.
    start
        State of the scheme before the first lot (default normal).
    reduced_approved
        Whether the responsible authority allows reduced inspection at all.

    Returns
    -------
    SwitchingResult
        Per-lot decisions, the final state and the plan for the next lot.

    Raises
    ------
    InputError
        For a bad lot size, AQL, level or scheme; a double-sampling lot without its
        second count; or a lot submitted while inspection is discontinued and no
        corrective action is recorded.

    References
    ----------
    ISO 2859-1:1999 clauses 9.3-9.4; ANSI/ASQ Z1.4-2003 clause 8.
    """
    rules = switching_rules()
    default_size = require_whole("lot_size", lot_size, minimum=1)
    chosen_aql = parse_aql(aql)
    chosen_level = parse_level(level)
    state = parse_enum("inspection", start, SchemeState)
    score = 0
    normal_outcomes: list[bool] = []
    tightened_accepted_run = 0
    tightened_rejections = 0
    results: list[LotResult] = []
    last_rejected_lot = ""

    def plan_for(size: int) -> SamplingPlan:
        return sampling_plan(
            size, chosen_aql, chosen_level, InspectionSeverity(state.value), scheme
        )

    for record in history:
        reason = ""
        if state is SchemeState.DISCONTINUED:
            if not record.corrective_action:
                where = f"row {record.row}" if record.row else f"lot {record.lot}"
                raise InputError(
                    f"history {where}",
                    f"inspection is discontinued since lot {last_rejected_lot}; mark "
                    "corrective_action=yes on the lot that resumes (on tightened inspection)",
                )
            state, tightened_accepted_run, tightened_rejections = SchemeState.TIGHTENED, 0, 0
        plan = plan_for(record.lot_size or default_size)
        judged = _judge(plan, record)
        inspected = InspectionSeverity(state.value)
        if not judged.accepted:
            last_rejected_lot = record.lot
        if state is SchemeState.NORMAL:
            normal_outcomes.append(judged.accepted)
            score = _score_after(score, plan, judged, rules)
            window = normal_outcomes[-rules.tightened_window :]
            if not judged.accepted and window.count(False) >= rules.tightened_rejections:
                state, reason = (
                    SchemeState.TIGHTENED,
                    (f"{rules.tightened_rejections} of the last {len(window)} lots not accepted"),
                )
            elif score >= rules.reduced_score and record.steady_production and reduced_approved:
                state, reason = (
                    SchemeState.REDUCED,
                    f"switching score {score} ≥ {rules.reduced_score}",
                )
        elif state is SchemeState.TIGHTENED:
            tightened_accepted_run = tightened_accepted_run + 1 if judged.accepted else 0
            tightened_rejections += 0 if judged.accepted else 1
            if tightened_rejections >= rules.discontinue_rejections:
                state, reason = (
                    SchemeState.DISCONTINUED,
                    (f"{tightened_rejections} lots not accepted on tightened inspection"),
                )
            elif tightened_accepted_run >= rules.normal_after_accepted:
                state, reason = (
                    SchemeState.NORMAL,
                    f"{tightened_accepted_run} consecutive lots accepted",
                )
        elif not judged.accepted:
            state, reason = SchemeState.NORMAL, "lot not accepted on reduced inspection"
        elif judged.reinstate_normal:
            state, reason = SchemeState.NORMAL, "count between Ac and Re of the reduced plan"
        elif not record.steady_production:
            state, reason = SchemeState.NORMAL, "production irregular or delayed"
        score_after_lot = score
        if reason and state is SchemeState.NORMAL:
            score, normal_outcomes = 0, []
        if reason and state is SchemeState.TIGHTENED:
            tightened_accepted_run, tightened_rejections = 0, 0
        if state is not SchemeState.NORMAL:
            score = 0
        results.append(
            LotResult(
                lot=record.lot,
                inspection=inspected,
                sample_size=plan.sample_size,
                accept=plan.accept,
                reject=plan.reject,
                nonconforming=judged.count,
                accepted=judged.accepted,
                switching_score=score_after_lot,
                state_after=state,
                reason=reason,
            )
        )
    next_plan = None if state is SchemeState.DISCONTINUED else plan_for(default_size)
    return SwitchingResult(
        lots=tuple(results), state=state, switching_score=score, next_plan=next_plan
    )


# --------------------------------------------------------------------------------------
# History file
# --------------------------------------------------------------------------------------

_REQUIRED = ("lot", "nonconforming")
_OPTIONAL = ("nonconforming_2", "lot_size", "steady", "corrective_action")
_YES = {"yes", "y", "true", "1"}
_NO = {"no", "n", "false", "0"}


def _cell_flag(row: int, column: str, text: str, default: bool) -> bool:
    value = text.strip().lower()
    if not value:
        return default
    if value in _YES | _NO:
        return value in _YES
    raise InputError(f"history row {row}", f"column '{column}' must be yes or no; got {text!r}")


def _cell_count(row: int, column: str, text: str, *, minimum: int) -> int:
    try:
        number = float(text)
    except ValueError:
        number = float("nan")
    try:
        return require_whole(column, number, minimum=minimum)
    except InputError:
        raise InputError(
            f"history row {row}",
            f"column '{column}' must be a whole number ≥ {minimum}; got {text!r}",
        ) from None


def load_lot_history(path: str | Path) -> tuple[LotRecord, ...]:
    """Read a lot history CSV.

    Columns: ``lot`` and ``nonconforming`` (required); ``nonconforming_2`` (second
    sample of double sampling), ``lot_size``, ``steady`` (yes/no, production at a steady
    rate; default yes) and ``corrective_action`` (yes/no) are optional. Lines starting
    with ``#`` are comments.

    Parameters
    ----------
    path
        CSV file.

    Returns
    -------
    tuple of LotRecord
        The lots in file order.

    Raises
    ------
    InputError
        If the file cannot be read, a required column is missing, or a row is malformed;
        the message names the row (line number, header = 1) and the column.
    """
    source = Path(path)
    table = read_csv(source, field="history", row_label="history row")
    if table is None:
        raise InputError("history", f"{source} has no header and no lots")
    header = list(table.keys)
    missing = [name for name in _REQUIRED if name not in header]
    if missing:
        raise InputError("history", f"{source}: missing column(s) {', '.join(missing)}")
    unknown = [name for name in header if name not in _REQUIRED + _OPTIONAL]
    if unknown:
        listed = ", ".join(_REQUIRED + _OPTIONAL)
        raise InputError("history", f"unknown column(s) {', '.join(unknown)}; valid: {listed}")
    records: list[LotRecord] = []
    columns = [table.text(key) for key in header]
    for number, cells in zip(
        table.lines.expand().tolist(), zip(*columns, strict=True), strict=True
    ):
        row = dict(zip(header, cells, strict=True))
        if not row["lot"]:
            raise InputError(f"history row {number}", "column 'lot' is empty")
        second = row.get("nonconforming_2", "")
        size = row.get("lot_size", "")
        records.append(
            LotRecord(
                lot=row["lot"],
                nonconforming=_cell_count(number, "nonconforming", row["nonconforming"], minimum=0),
                nonconforming_second=(
                    _cell_count(number, "nonconforming_2", second, minimum=0) if second else None
                ),
                lot_size=_cell_count(number, "lot_size", size, minimum=1) if size else None,
                steady_production=_cell_flag(number, "steady", row.get("steady", ""), True),
                corrective_action=_cell_flag(
                    number, "corrective_action", row.get("corrective_action", ""), False
                ),
                row=number,
            )
        )
    if not records:
        raise InputError("history", f"{source} has a header but no lots")
    return tuple(records)


# --------------------------------------------------------------------------------------
# One answer for the ``sampling`` command and the API
# --------------------------------------------------------------------------------------

_PERCENT_NONCONFORMING_MAX_AQL = 10.0
"""AQLs up to 10 may be read as percent nonconforming; above, only as nonconformities per
100 items (ANSI/ASQ Z1.4 clause 4.1 / ISO 2859-1 clause 5.2)."""


class SamplingReport(BaseModel):
    """The plan for the next lot with its protection figures and switching state.

    Parameters
    ----------
    code_letter, sample_size, accept, reject, hundred_percent
        From :class:`SamplingPlan`; ``None`` while inspection is discontinued.
    inspection
        ``normal``, ``tightened``, ``reduced`` or ``discontinued``.
    plan
        The full plan (stages, arrows followed, notes).
    distribution
        Model of the OC figures.
    pa_at_aql
        Probability of accepting a lot at exactly the AQL [unitless]; ``None`` for AQLs
        above 10 (nonconformities per 100 items).
    aoql
        Average outgoing quality limit of the plan for this lot size [fraction]; ``None``
        for AQLs above 10.
    switching
        The lot history replayed, when one was given.
    """

    model_config = ConfigDict(frozen=True)

    code_letter: str | None
    sample_size: int | None
    accept: int | None
    reject: int | None
    inspection: str
    hundred_percent: bool
    plan: SamplingPlan | None
    distribution: Distribution
    pa_at_aql: float | None
    aoql: AOQLResult | None
    switching: SwitchingResult | None = None


def sampling_report(
    lot_size: int,
    aql: float | str,
    *,
    level: InspectionLevel | str = InspectionLevel.II,
    inspection: InspectionSeverity | str = InspectionSeverity.NORMAL,
    scheme: SamplingScheme | str = SamplingScheme.SINGLE,
    history: Sequence[LotRecord] | None = None,
    distribution: Distribution | str = Distribution.BINOMIAL,
    reduced_approved: bool = True,
) -> SamplingReport:
    """Plan for a lot (after replaying a history, when given) with Pa at the AQL and AOQL.

    Parameters
    ----------
    lot_size
        Items in the lot [unitless].
    aql
        Acceptance quality limit [%].
    level
        Inspection level (default II).
    inspection
        Severity to use, or to start the history from (default normal).
    scheme
        ``single`` (default) or ``double``.
    history
        Lots already inspected, oldest first; the switching rules then decide the
        severity of the next lot.
    distribution
        Model of Pa and AOQL: ``binomial`` (default), ``hypergeometric``, ``poisson``.
    reduced_approved
        Whether the responsible authority allows reduced inspection.

    Returns
    -------
    SamplingReport
        The JSON contract of ``rampwise sampling``.

    Raises
    ------
    InputError
        For any invalid argument or history row.
    """
    chosen_aql = parse_aql(aql)
    switching = None
    if history is not None:
        switching = run_switching(
            history,
            lot_size=lot_size,
            aql=chosen_aql,
            level=level,
            scheme=scheme,
            start=parse_enum("inspection", inspection, InspectionSeverity).value,
            reduced_approved=reduced_approved,
        )
        plan = switching.next_plan
    else:
        plan = sampling_plan(lot_size, chosen_aql, level, inspection, scheme)
    model = parse_enum("distribution", distribution, Distribution)
    pa = None
    limit = None
    if plan is not None and chosen_aql <= _PERCENT_NONCONFORMING_MAX_AQL:
        # Above AQL 10 the table counts nonconformities per 100 items, not a fraction.
        pa = float(
            probability_of_acceptance(
                plan, chosen_aql / 100.0, distribution=model, lot_size=plan.lot_size
            )[0]
        )
        limit = aoql(plan, lot_size=plan.lot_size, distribution=model)
    return SamplingReport(
        code_letter=plan.code_letter if plan else None,
        sample_size=plan.sample_size if plan else None,
        accept=plan.accept if plan else None,
        reject=plan.reject if plan else None,
        inspection=plan.inspection.value if plan else SchemeState.DISCONTINUED.value,
        hundred_percent=plan.hundred_percent if plan else False,
        plan=plan,
        distribution=model,
        pa_at_aql=pa,
        aoql=limit,
        switching=switching,
    )
