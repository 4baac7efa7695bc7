"""Gauge repeatability and reproducibility (crossed study), AIAG MSA 4th edition.

A crossed study measures every part by every appraiser the same number of times. Two
methods estimate the measurement system's spread:

* **average and range** — EV = R̄̄·K1 (repeatability), AV = √((X̄_diff·K2)² − EV²/(n·r))
  (reproducibility), PV = R_p·K3 (part variation), with K1 = 1/d2(r) and
  K2, K3 = 1/d2*(m, g = 1) = 1/√(d2(m)² + d3(m)²) computed from the range distribution;
* **ANOVA** — two-way crossed ANOVA with the part × appraiser interaction, pooled into
  the error term when its p-value exceeds α (AIAG: 0.25); negative variance components
  are set to zero.

Both give GRR = √(EV² + AV²), TV = √(GRR² + PV²), %GRR of study variation (100·GRR/TV),
%GRR of tolerance (100·k·GRR/tolerance, k = 6 by default) and the number of distinct
categories ndc = ⌊1.41·PV/GRR⌋. %GRR above 30 makes the gauge unacceptable, and a
capability index measured with it is flagged.

References
----------
.. [1] AIAG, *Measurement Systems Analysis Reference Manual*, 4th ed., 2010, ch. III
   section B (average-and-range and ANOVA methods, K1/K2/K3, ndc, acceptance bands).
.. [2] Minitab Support, "Example of Crossed Gage R&R Study" (ANOVA table, interaction
   removed at α = 0.05, %Tolerance with 6σ); data = Minitab GAGEAIAG = AIAG example.
.. [3] Duncan, A. J., *Quality Control and Industrial Statistics*, 5th ed., 1986,
   Table D3 (d2* for g = 1 equals √(d2² + d3²)).
"""

from __future__ import annotations

import math
from functools import cache
from pathlib import Path

import numpy as np
from numpy.typing import NDArray
from pydantic import BaseModel, ConfigDict

from rampwise.catalog import load_table
from rampwise.core.checks import require_positive
from rampwise.core.errors import InputError
from rampwise.core.vocabulary import Vocabulary
from rampwise.quality.constants import d2, d3
from rampwise.quality.csv_table import read_csv, to_floats
from rampwise.quality.series import Runs

__all__ = [
    "AnovaRow",
    "GaugeAcceptability",
    "GaugeCriteria",
    "GaugeMethod",
    "GaugeRRResult",
    "GaugeStudy",
    "capability_claim_finding",
    "gauge_criteria",
    "gauge_rr",
    "load_gauge_study",
]

FloatArray = NDArray[np.float64]


class GaugeMethod(Vocabulary):
    """Estimation method of a crossed gauge study."""

    ANOVA = (
        "anova",
        "ANOVA",
        "Two-way crossed ANOVA with the part × appraiser interaction, pooled when not significant.",
    )
    AVERAGE_RANGE = (
        "average-range",
        "Average and range",
        "Repeatability from the ranges, reproducibility from the appraisers' averages "
        "(K1, K2, K3).",
    )


class GaugeAcceptability(Vocabulary):
    """AIAG MSA band of %GRR (of study variation)."""

    ACCEPTABLE = "acceptable", "Acceptable", "%GRR under 10 %: the gauge may be used."
    MARGINAL = (
        "marginal",
        "Marginal",
        "%GRR from 10 to 30 %: acceptable only if the characteristic's importance and the "
        "cost of a better gauge justify it.",
    )
    UNACCEPTABLE = (
        "unacceptable",
        "Unacceptable",
        "%GRR over 30 %: improve the measurement system; a capability measured with it is flagged.",
    )


class GaugeCriteria(BaseModel):
    """Acceptance bands of a gauge study (catalog ``msa_criteria.csv``).

    Parameters
    ----------
    acceptable_below
        %GRR under which the system is acceptable [%].
    unacceptable_above
        %GRR above which it is unacceptable [%].
    min_ndc
        Smallest acceptable number of distinct categories [unitless].
    ndc_factor
        Factor of ndc = ⌊factor·PV/GRR⌋ [unitless].
    interaction_alpha
        Significance level above which the interaction is pooled [unitless].
    study_variation_sigmas
        Multiple of σ for %Tolerance [unitless].
    """

    model_config = ConfigDict(frozen=True)

    acceptable_below: float
    unacceptable_above: float
    min_ndc: int
    ndc_factor: float
    interaction_alpha: float
    study_variation_sigmas: float


@cache
def gauge_criteria() -> GaugeCriteria:
    """The AIAG MSA 4th ed. bands and factors from the catalog."""
    values = {row["name"]: row["value"] for row in load_table("msa_criteria")}
    return GaugeCriteria.model_validate(values)


class GaugeStudy(BaseModel):
    """Measurements of a balanced crossed study.

    Parameters
    ----------
    parts, appraisers
        Labels in first-seen order.
    values
        Readings indexed [part, appraiser, trial] [unit of the characteristic].
    """

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    parts: tuple[str, ...]
    appraisers: tuple[str, ...]
    values: FloatArray

    @property
    def trials(self) -> int:
        """Readings per part and appraiser [unitless]."""
        return int(self.values.shape[2])


class AnovaRow(BaseModel):
    """One source of the two-way ANOVA table.

    Parameters
    ----------
    source
        ``part``, ``appraiser``, ``interaction``, ``repeatability`` or ``total``.
    df, ss, ms
        Degrees of freedom [unitless], sum of squares and mean square [unit²].
    f, p
        F statistic and p-value, where defined [unitless].
    """

    model_config = ConfigDict(frozen=True)

    source: str
    df: int
    ss: float
    ms: float | None = None
    f: float | None = None
    p: float | None = None


class GaugeRRResult(BaseModel):
    """Result of a gauge R&R study; σ-type quantities in the characteristic's unit.

    Parameters
    ----------
    method
        ``anova`` or ``average-range``.
    parts, appraisers, trials
        Study size [unitless].
    ev, av, interaction, grr, pv, tv
        Standard deviations: repeatability (equipment variation), reproducibility
        (appraiser variation), part × appraiser interaction (ANOVA only, else 0), gauge
        R&R, part variation, total variation [unit].
    pct_ev, pct_av, pct_grr, pct_pv
        Percent of total (study) variation, 100·σ/TV [%].
    pct_contribution_grr
        Percent of total variance, 100·GRR²/TV² [%].
    tolerance
        Tolerance width USL − LSL when given [unit].
    pct_grr_tolerance
        100·k·GRR/tolerance with k = ``study_variation_sigmas`` [%].
    pct_grr_judged
        The worse of ``pct_grr`` and ``pct_grr_tolerance``: what the band judges [%].
    ndc
        Number of distinct categories ⌊1.41·PV/GRR⌋ [unitless].
    acceptability
        AIAG band of the worse of %GRR of study variation and %GRR of tolerance.
    capability_claim_supported
        False when %GRR > 30 %: a Cp/Cpk measured with this gauge is not evidence.
    interaction_pooled
        ANOVA: the interaction was pooled into repeatability (p > α).
    anova
        The ANOVA table (empty for average and range).
    findings
        One line per problem found (bands, ndc, capability claims).
    """

    model_config = ConfigDict(frozen=True)

    method: GaugeMethod
    parts: int
    appraisers: int
    trials: int
    ev: float
    av: float
    interaction: float
    grr: float
    pv: float
    tv: float
    pct_ev: float
    pct_av: float
    pct_grr: float
    pct_pv: float
    pct_contribution_grr: float
    tolerance: float | None
    pct_grr_tolerance: float | None
    pct_grr_judged: float
    study_variation_sigmas: float
    ndc: int
    acceptability: GaugeAcceptability
    capability_claim_supported: bool
    interaction_pooled: bool | None
    anova: tuple[AnovaRow, ...]
    findings: tuple[str, ...]


# --------------------------------------------------------------------------------------
# Loading
# --------------------------------------------------------------------------------------

_COLUMNS = ("part", "appraiser", "trial", "value")


def load_gauge_study(path: str | Path) -> GaugeStudy:
    """Read a crossed study in long form: columns ``part, appraiser, trial, value``.

    Read by the one columnar CSV reader (:func:`~rampwise.quality.csv_table.read_csv`:
    ``,`` or ``;`` separators, decimal commas); lines starting with ``#`` are comments;
    extra columns are ignored.

    Raises
    ------
    InputError
        If the file cannot be read, a column is missing, a value is not a finite
        number (the row is named), a (part, appraiser, trial) repeats, or the design is
        not balanced (every part × appraiser with the same trials).
    """
    import pyarrow.compute as pc

    source = Path(path)
    table = read_csv(source, field="study", row_label="study row")
    if table is None:
        raise InputError("study", f"{source} is empty")
    missing = [name for name in _COLUMNS if name not in table.keys]
    if missing:
        raise InputError(
            "study", f"missing column(s) {', '.join(missing)}; need {', '.join(_COLUMNS)}"
        )
    cells = table.texts["value"].combine_chunks()

    def bad(reason: str, line: int, column: str, text: str) -> InputError:
        return InputError(
            f"study row {line}", f"column 'value' must be a finite number; got {text!r}"
        )

    values, absent = to_floats(cells, table.lines.at, "value", bad)
    if absent.any():
        at = int(np.argmax(absent))
        raise bad("finite", table.lines.at(at), "value", cells[at].as_py())
    keys = [table.texts[name].combine_chunks() for name in _COLUMNS[:3]]
    empty = np.zeros(table.rows, dtype=bool)
    for key in keys:
        empty |= pc.equal(key, "").to_numpy(zero_copy_only=False)
    if empty.any():
        raise InputError(
            f"study row {table.lines.at(int(np.argmax(empty)))}",
            "part, appraiser and trial must not be empty",
        )
    encoded = [pc.dictionary_encode(key) for key in keys]
    labels = [tuple(e.dictionary.to_pylist()) for e in encoded]
    codes = [e.indices.to_numpy(zero_copy_only=False).astype(np.int64) for e in encoded]
    return _balanced(table.lines, labels, codes, values)


def _balanced(
    lines: Runs,
    labels: list[tuple[str, ...]],
    codes: list[NDArray[np.int64]],
    readings: FloatArray,
) -> GaugeStudy:
    """The readings as a (part, appraiser, trial) array; repeats and gaps refused."""
    parts, appraisers, trials = labels
    shape = (len(parts), len(appraisers), len(trials))
    cell = np.ravel_multi_index((codes[0], codes[1], codes[2]), shape)
    order = np.argsort(cell, kind="stable")
    repeated = order[1:][cell[order][1:] == cell[order][:-1]]
    if repeated.size:
        row = int(repeated.min())
        key = (parts[codes[0][row]], appraisers[codes[1][row]], trials[codes[2][row]])
        raise InputError(
            f"study row {lines.at(row)}",
            f"repeats part {key[0]}, appraiser {key[1]}, trial {key[2]}",
        )
    if len(parts) < 2 or len(appraisers) < 1 or len(trials) < 2:
        raise InputError(
            "study", f"needs ≥ 2 parts and ≥ 2 trials; got {len(parts)} parts, {len(trials)} trials"
        )
    filled = np.zeros(shape, dtype=bool)
    filled.flat[cell] = True
    if not filled.all():
        i, j, k = np.unravel_index(int(np.argmin(filled)), shape)
        raise InputError(
            "study",
            f"unbalanced: no reading for part {parts[i]}, appraiser {appraisers[j]}, "
            f"trial {trials[k]}",
        )
    values = np.empty(shape)
    values.flat[cell] = readings
    return GaugeStudy(parts=parts, appraisers=appraisers, values=values)


# --------------------------------------------------------------------------------------
# Methods
# --------------------------------------------------------------------------------------


_K_FACTOR_DECIMALS = 4
"""Decimals of K1, K2, K3 in the AIAG MSA 4th ed. tables (0.5908, 0.5231, 0.3146 …)."""


def _k_factor(divisor: float, *, exact: bool) -> float:
    return 1.0 / divisor if exact else round(1.0 / divisor, _K_FACTOR_DECIMALS)


def _d2_star_single_range(m: int) -> float:
    """d2* for one range (g = 1) of ``m`` values: √(E[W²]) = √(d2² + d3²) [unitless]."""
    return math.sqrt(d2(m) ** 2 + d3(m) ** 2)


def _average_range(values: FloatArray, *, exact: bool) -> tuple[float, float, float, float]:
    """EV, AV, PV (σ) and interaction 0 by the AIAG average-and-range method."""
    n_parts, n_appraisers, trials = values.shape
    ranges = values.max(axis=2) - values.min(axis=2)
    r_double_bar = float(ranges.mean())
    ev = r_double_bar * _k_factor(d2(trials), exact=exact)
    if n_appraisers > 1:
        appraiser_means = values.mean(axis=(0, 2))
        x_diff = float(appraiser_means.max() - appraiser_means.min())
        k2 = _k_factor(_d2_star_single_range(n_appraisers), exact=exact)
        av_squared = (x_diff * k2) ** 2 - ev**2 / (n_parts * trials)
        av = math.sqrt(max(av_squared, 0.0))
    else:
        av = 0.0
    part_means = values.mean(axis=(1, 2))
    k3 = _k_factor(_d2_star_single_range(n_parts), exact=exact)
    pv = float(part_means.max() - part_means.min()) * k3
    return ev, av, pv, 0.0


def _anova(
    values: FloatArray, alpha: float
) -> tuple[float, float, float, float, bool, tuple[AnovaRow, ...]]:
    """EV, AV, PV, interaction (σ), pooled flag and table by two-way crossed ANOVA."""
    from scipy import stats

    p, o, r = values.shape
    grand = values.mean()
    part_means = values.mean(axis=(1, 2))
    appraiser_means = values.mean(axis=(0, 2))
    cell_means = values.mean(axis=2)
    ss_part = o * r * float(((part_means - grand) ** 2).sum())
    ss_appraiser = p * r * float(((appraiser_means - grand) ** 2).sum())
    ss_total = float(((values - grand) ** 2).sum())
    ss_error = float(((values - cell_means[:, :, None]) ** 2).sum())
    ss_interaction = ss_total - ss_part - ss_appraiser - ss_error
    df_part, df_appraiser = p - 1, o - 1
    df_interaction, df_error = df_part * df_appraiser, p * o * (r - 1)
    ms_part = ss_part / df_part
    ms_appraiser = ss_appraiser / df_appraiser if df_appraiser else 0.0
    ms_error = ss_error / df_error
    rows: list[AnovaRow] = []
    if df_interaction:
        ms_interaction = ss_interaction / df_interaction
        f_interaction = ms_interaction / ms_error if ms_error > 0 else math.inf
        p_interaction = float(stats.f.sf(f_interaction, df_interaction, df_error))
        pooled = p_interaction > alpha
    else:
        ms_interaction, f_interaction, p_interaction, pooled = 0.0, math.nan, math.nan, True
    if pooled:
        denominator = (ss_interaction + ss_error) / (df_interaction + df_error)
        var_repeat = denominator
        var_interaction = 0.0
        df_denominator = df_interaction + df_error
    else:
        denominator = ms_interaction
        var_repeat = ms_error
        var_interaction = max((ms_interaction - ms_error) / r, 0.0)
        df_denominator = df_interaction
    var_appraiser = max((ms_appraiser - denominator) / (p * r), 0.0) if df_appraiser else 0.0
    var_part = max((ms_part - denominator) / (o * r), 0.0)

    def f_and_p(ms: float, df: int) -> tuple[float | None, float | None]:
        if not df or denominator <= 0:
            return None, None
        f = ms / denominator
        return f, float(stats.f.sf(f, df, df_denominator))

    f_part, p_part = f_and_p(ms_part, df_part)
    f_appr, p_appr = f_and_p(ms_appraiser, df_appraiser)
    rows.append(AnovaRow(source="part", df=df_part, ss=ss_part, ms=ms_part, f=f_part, p=p_part))
    if df_appraiser:
        rows.append(
            AnovaRow(
                source="appraiser",
                df=df_appraiser,
                ss=ss_appraiser,
                ms=ms_appraiser,
                f=f_appr,
                p=p_appr,
            )
        )
    if df_interaction:
        rows.append(
            AnovaRow(
                source="interaction",
                df=df_interaction,
                ss=ss_interaction,
                ms=ms_interaction,
                f=f_interaction,
                p=p_interaction,
            )
        )
    rows.append(AnovaRow(source="repeatability", df=df_error, ss=ss_error, ms=ms_error))
    rows.append(AnovaRow(source="total", df=p * o * r - 1, ss=ss_total))
    return (
        math.sqrt(var_repeat),
        math.sqrt(var_appraiser),
        math.sqrt(var_part),
        math.sqrt(var_interaction),
        pooled,
        tuple(rows),
    )


def gauge_rr(
    study: GaugeStudy,
    *,
    method: GaugeMethod | str = GaugeMethod.ANOVA,
    tolerance: float | None = None,
    interaction_alpha: float | None = None,
    study_variation_sigmas: float | None = None,
    exact_factors: bool = False,
) -> GaugeRRResult:
    """Gauge repeatability and reproducibility of a balanced crossed study.

    Parameters
    ----------
    study
        Readings [part, appraiser, trial] (see :func:`load_gauge_study`) [unit].
    method
        ``anova`` (default) or ``average-range``.
    tolerance
        Tolerance width USL − LSL of the characteristic [unit]; enables %Tolerance.
    interaction_alpha
        ANOVA: pool the interaction when its p-value exceeds this [unitless]; default
        from the catalog (AIAG 0.25).
    study_variation_sigmas
        σ multiple of the study variation for %Tolerance [unitless]; default 6
        (AIAG 4th, Minitab); 5.15 reproduces AIAG 3rd.
    exact_factors
        Average and range: use K1, K2, K3 at full precision instead of the four
        decimals the AIAG tables print (the default reproduces AIAG worksheets).

    Returns
    -------
    GaugeRRResult
        EV, AV, GRR, PV, TV, percentages, ndc, band and findings.

    Raises
    ------
    InputError
        For an unknown method, a non-positive tolerance or α outside (0, 1).

    References
    ----------
    AIAG MSA 4th ed. ch. III-B; Minitab "Example of Crossed Gage R&R Study".
    """
    criteria = gauge_criteria()
    chosen = _method(method)
    alpha = criteria.interaction_alpha if interaction_alpha is None else float(interaction_alpha)
    if not 0.0 < alpha < 1.0:
        raise InputError("interaction_alpha", f"must be between 0 and 1; got {alpha!r}")
    sigmas = (
        criteria.study_variation_sigmas
        if study_variation_sigmas is None
        else study_variation_sigmas
    )
    require_positive("study_variation_sigmas", sigmas)
    if tolerance is not None:
        require_positive("tolerance", tolerance)
    pooled: bool | None = None
    table: tuple[AnovaRow, ...] = ()
    if chosen is GaugeMethod.ANOVA:
        ev, av, pv, interaction, pooled, table = _anova(study.values, alpha)
    else:
        ev, av, pv, interaction = _average_range(study.values, exact=exact_factors)
    grr = math.sqrt(ev**2 + av**2 + interaction**2)
    tv = math.sqrt(grr**2 + pv**2)
    if tv == 0.0:
        raise InputError("study", "all readings are equal: no variation to analyse")
    pct = {
        name: 100.0 * value / tv
        for name, value in (("ev", ev), ("av", av), ("grr", grr), ("pv", pv))
    }
    pct_tolerance = 100.0 * sigmas * grr / tolerance if tolerance is not None else None
    ndc = math.floor(criteria.ndc_factor * pv / grr) if grr > 0 else 0
    judged = max(pct["grr"], pct_tolerance if pct_tolerance is not None else 0.0)
    band = _band(judged, criteria)
    findings = _findings(judged, ndc, band, criteria)
    return GaugeRRResult(
        method=chosen,
        parts=len(study.parts),
        appraisers=len(study.appraisers),
        trials=study.trials,
        ev=ev,
        av=av,
        interaction=interaction,
        grr=grr,
        pv=pv,
        tv=tv,
        pct_ev=pct["ev"],
        pct_av=pct["av"],
        pct_grr=pct["grr"],
        pct_pv=pct["pv"],
        pct_contribution_grr=100.0 * grr**2 / tv**2,
        tolerance=tolerance,
        pct_grr_tolerance=pct_tolerance,
        pct_grr_judged=judged,
        study_variation_sigmas=sigmas,
        ndc=ndc,
        acceptability=band,
        capability_claim_supported=band is not GaugeAcceptability.UNACCEPTABLE,
        interaction_pooled=pooled,
        anova=table,
        findings=findings,
    )


def _method(value: GaugeMethod | str) -> GaugeMethod:
    text = str(value).strip().lower().replace("_", "-")
    for member in GaugeMethod:
        if member.value == text:
            return member
    listed = ", ".join(m.value for m in GaugeMethod)
    raise InputError("method", f"must be one of {listed}; got {value!r}")


def _band(pct_grr: float, criteria: GaugeCriteria) -> GaugeAcceptability:
    if pct_grr < criteria.acceptable_below:
        return GaugeAcceptability.ACCEPTABLE
    if pct_grr <= criteria.unacceptable_above:
        return GaugeAcceptability.MARGINAL
    return GaugeAcceptability.UNACCEPTABLE


def _findings(
    judged: float, ndc: int, band: GaugeAcceptability, criteria: GaugeCriteria
) -> tuple[str, ...]:
    lines: list[str] = []
    if band is GaugeAcceptability.MARGINAL:
        lines.append(
            f"%GRR {judged:.1f} % is between {criteria.acceptable_below:g} and "
            f"{criteria.unacceptable_above:g} %: acceptable only if the characteristic's "
            "importance and the cost of a better gauge justify it"
        )
    if band is GaugeAcceptability.UNACCEPTABLE:
        lines.append(
            f"%GRR {judged:.1f} % exceeds {criteria.unacceptable_above:g} %: gauge unacceptable"
        )
        lines.append(capability_claim_finding(judged))
    if ndc < criteria.min_ndc:
        lines.append(f"ndc {ndc} < {criteria.min_ndc}: the gauge cannot resolve the part variation")
    return tuple(lines)


def capability_claim_finding(pct_grr: float) -> str:
    """The line that flags a capability index measured with a %GRR above the limit.

    Parameters
    ----------
    pct_grr
        %GRR of the gauge the capability data came from [%].

    Returns
    -------
    str
        Empty string when the gauge is within the limit.

    References
    ----------
    AIAG MSA 4th ed.: %GRR > 30 % unacceptable; capability studies assume an acceptable
    measurement system (AIAG SPC 2nd ed. ch. I).
    """
    limit = gauge_criteria().unacceptable_above
    if pct_grr <= limit:
        return ""
    return (
        f"capability claim not supported: measured with a gauge of %GRR {pct_grr:.1f} % "
        f"> {limit:g} %; improve the gauge and repeat the study"
    )
