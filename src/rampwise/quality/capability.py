"""Process capability (Cp, Cpk, Cpm) and performance (Pp, Ppk, Ppm) with intervals.

Capability indices use the *within* σ estimated by the control chart (R̄/d2, s̄/c4 or
MR̄/d2); performance indices use the *overall* sample standard deviation (ddof 1). The
two are kept apart throughout (AIAG SPC 2nd ed.; qcc issue #41 shows how often they are
confused). One-sided specifications give only the one-sided indices (Cpl or Cpu) and
Cpk equal to it.

Confidence intervals follow R's qcc 3.0 ``processCapability`` so its printed values are
reproduced: Cp/Pp by the χ² distribution with n − 1 degrees of freedom; Cpk/Ppk by
Bissell's normal approximation Ĉ(1 ∓ z₁₋α/₂√(1/(9nĈ²) + 1/(2(n−1)))); the one-sided
Cpl/Cpu (Ppl/Ppu) by the same formula with the one-sided z₁₋α (each bound a one-sided
bound at the confidence level); Cpm/Ppm by χ² with Boyles' degrees of freedom
n(1 + d²)/(1 + 2d²), d = (μ − T)/σ.

Normality is checked with the Anderson–Darling test. When it rejects normality and the
data are positive, a Box-Cox transformed capability is added, clearly labelled as such;
the normal-theory indices are still reported beside it.

References
----------
.. [1] AIAG, *Statistical Process Control (SPC)* reference manual, 2nd ed., 2005, ch. IV.
.. [2] Bissell, A.F. (1990). How reliable is your capability index? *Applied
   Statistics* 39(3), 331–340.
.. [3] Boyles, R.A. (1991). The Taguchi capability index. *Journal of Quality
   Technology* 23(1), 17–26.
.. [4] Scrucca, L. qcc 3.0, ``R/capability.R`` and ``tests/testthat/test-capability.R``.
.. [5] D'Agostino, R.B. & Stephens, M.A. (1986). *Goodness-of-Fit Techniques*, Marcel
   Dekker, §4.8, Table 4.9 (Anderson–Darling with estimated mean and variance).
.. [6] Box, G.E.P. & Cox, D.R. (1964). An analysis of transformations. *JRSS B* 26(2),
   211–252.
.. [7] AIAG, *Production Part Approval Process*, 4th ed., 2006, §2.2.11.3.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from functools import cache
from typing import Any, Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray
from pydantic import BaseModel, ConfigDict, ValidationError, model_validator

from rampwise.catalog import load_table
from rampwise.core.errors import CatalogError, InputError
from rampwise.core.vocabulary import Vocabulary
from rampwise.quality.series import CHUNK, blocks, finite_array, mean_and_std

PPM = 1_000_000.0
"""Parts per million per unit fraction."""

MIN_NORMALITY_VALUES = 8
"""Fewest values for the Anderson–Darling p-value approximation (D'Agostino & Stephens)."""

BOX_COX_LAMBDA_RANGE = (-5.0, 5.0)
"""Search range of the Box-Cox λ, as Minitab restricts it."""

BOX_COX_MAX_SAMPLE = 100_000
"""Most values the Box-Cox λ search evaluates (an evenly strided sample beyond this)."""

Transform = Callable[[NDArray[np.float64]], NDArray[np.float64]]
"""An element-wise transformation of values (Box-Cox with a fixed λ)."""

WithinSigma = Callable[[Transform], float]
"""The chart's within-σ estimator applied to transformed values [transformed unit]."""


def _as_input_error(err: ValidationError) -> InputError:
    """The first problem of a validation error as one :class:`InputError`."""
    first = err.errors()[0]
    cause = first.get("ctx", {}).get("error")
    if isinstance(cause, InputError):
        return cause
    field = ".".join(str(part) for part in first["loc"]) or "spec"
    return InputError(field, f"{first['msg']}; got {first.get('input')!r}")


class TargetBasis(Vocabulary):
    """Where the target a process is centred on (and a tool offset aims at) comes from."""

    GIVEN = (
        "given",
        "Given target",
        "Stated by the user: a spec file's or the form's target, or --target.",
    )
    MID_TOLERANCE = (
        "mid_tolerance",
        "Mid-tolerance target",
        "No target given: the middle of the tolerance, (LSL + USL) / 2 (for H7 not the nominal).",
    )
    CHART_CENTRE = (
        "chart_centre",
        "Chart centre line",
        "No target and a one-sided specification (or none): the location chart's centre line.",
    )


class SpecLimits(BaseModel):
    """Specification limits of one characteristic.

    Attributes
    ----------
    lsl, usl
        Lower and upper specification limits [unit]; either may be absent (one-sided).
    target
        Target value [unit]; defaults to the midpoint of a two-sided specification,
        (LSL + USL) / 2 — not the nominal, which for an ISO 286 class such as H7 is a
        limit.
    unit
        Unit of the limits and of the measured values (``mm`` inside rampwise for
        lengths, ``deg`` for angles, ``µm`` for roughness).
    target_basis
        Whether the target was given or is the mid-tolerance default; ``None`` for a
        one-sided specification without a target. Set from ``target`` when not given.
    """

    model_config = ConfigDict(frozen=True)

    lsl: float | None = None
    usl: float | None = None
    target: float | None = None
    unit: str = "mm"
    target_basis: TargetBasis | None = None

    def __init__(self, **data: Any) -> None:
        try:
            super().__init__(**data)
        except ValidationError as err:
            raise _as_input_error(err) from None

    @model_validator(mode="after")
    def _check(self) -> SpecLimits:
        for name in ("lsl", "usl", "target"):
            value = getattr(self, name)
            if value is not None and not math.isfinite(value):
                raise InputError(name, f"must be a finite number; got {value!r}")
        if self.lsl is None and self.usl is None:
            raise InputError("spec", "give at least one of lsl and usl")
        if self.lsl is not None and self.usl is not None:
            if self.lsl >= self.usl:
                raise InputError(
                    "spec", f"lsl {self.lsl} must be below usl {self.usl} (limits reversed?)"
                )
            if self.target is None:
                object.__setattr__(self, "target", (self.lsl + self.usl) / 2.0)
                object.__setattr__(self, "target_basis", TargetBasis.MID_TOLERANCE)
        if self.target is not None and self.target_basis is None:
            object.__setattr__(self, "target_basis", TargetBasis.GIVEN)
        if self.target is not None and not (
            (self.lsl is None or self.target >= self.lsl)
            and (self.usl is None or self.target <= self.usl)
        ):
            raise InputError("target", f"{self.target} lies outside the specification limits")
        return self

    def text(self) -> str:
        """The limits and the target in words.

        ``"LSL 10, USL 10.015, mid-tolerance target 10.0075 [mm]"`` for Ø10 H7.
        """
        words = [
            f"{name} {value:.7g}"
            for name, value in (("LSL", self.lsl), ("USL", self.usl))
            if value is not None
        ]
        if self.target is not None:
            basis = "target" if self.target_basis is None else self.target_basis.phrase
            words.append(f"{basis} {self.target:.7g}")
        return f"{', '.join(words)} [{self.unit}]"

    @property
    def two_sided(self) -> bool:
        """True when both limits are given."""
        return self.lsl is not None and self.usl is not None

    def conforming(self, values: NDArray[np.float64]) -> NDArray[np.bool_]:
        """Which values lie within the limits (a value on a limit conforms)."""
        inside = np.ones(values.shape, dtype=bool)
        if self.lsl is not None:
            inside &= values >= self.lsl
        if self.usl is not None:
            inside &= values <= self.usl
        return inside


class IndexEstimate(BaseModel):
    """A capability index with its confidence interval.

    Attributes
    ----------
    value
        Point estimate [unitless].
    lower, upper
        Confidence bounds [unitless] at the capability's confidence level.
    """

    model_config = ConfigDict(frozen=True)

    value: float
    lower: float
    upper: float


class PartsPerMillion(BaseModel):
    """Nonconforming fraction in parts per million [ppm].

    Attributes
    ----------
    below_lsl, above_usl
        Below the lower / above the upper limit [ppm]; ``None`` for an absent limit.
    total
        Sum of both sides [ppm].
    """

    model_config = ConfigDict(frozen=True)

    below_lsl: float | None
    above_usl: float | None
    total: float


class NormalityTest(BaseModel):
    """Anderson–Darling test of normality with estimated mean and σ.

    Attributes
    ----------
    method
        Always ``anderson-darling``.
    statistic
        A² [unitless].
    adjusted_statistic
        A*² = A²(1 + 0.75/n + 2.25/n²) [unitless].
    p_value
        Approximate p-value (D'Agostino & Stephens 1986, Table 4.9) [unitless].
    alpha
        Significance level of the decision [unitless].
    normal
        True when p ≥ alpha (normality not rejected).
    """

    model_config = ConfigDict(frozen=True)

    method: Literal["anderson-darling"] = "anderson-darling"
    statistic: float
    adjusted_statistic: float
    p_value: float
    alpha: float
    normal: bool


class NonNormalCapability(BaseModel):
    """Capability computed on Box-Cox transformed data, labelled as such.

    The values, limits and target are transformed with the same λ; indices are then
    computed on the transformed scale (the Minitab "Box-Cox transformation" capability).

    Attributes
    ----------
    method
        Always ``box-cox``.
    label
        Human-readable label for reports, naming the transformation and λ.
    box_cox_lambda
        Transformation exponent λ [unitless] (0 means natural logarithm).
    cp, cpk
        Capability on the transformed scale with within σ [unitless]; ``cp`` only for a
        two-sided specification, both ``None`` if no within σ estimator was given.
    pp, ppk
        Performance on the transformed scale with overall σ [unitless].
    normality
        Anderson–Darling test of the transformed values.
    """

    model_config = ConfigDict(frozen=True)

    method: Literal["box-cox"] = "box-cox"
    label: str
    box_cox_lambda: float
    cp: float | None
    cpk: float | None
    pp: float | None
    ppk: float
    normality: NormalityTest | None


class Capability(BaseModel):
    """Capability and performance of one characteristic.

    Attributes
    ----------
    n
        Number of values [unitless].
    mean
        Process centre μ [unit].
    sigma_within, sigma_overall
        Within σ from the chart and overall sample σ (ddof 1) [unit].
    spec
        The specification limits used.
    confidence
        Confidence level of the intervals [unitless].
    cp, cpl, cpu, cpk, cpm
        Capability indices (within σ) with intervals; ``None`` where the specification
        does not define them (``cp``/``cpm`` need both limits).
    pp, ppl, ppu, ppk, ppm_index
        Performance indices (overall σ) with intervals; ``ppm_index`` is qcc's ``Ppm``
        (the overall-σ Cpm), not parts per million.
    expected_ppm_within, expected_ppm_overall
        Expected nonconforming parts per million under a normal model with within /
        overall σ [ppm].
    observed_ppm
        Observed nonconforming parts per million in the data [ppm].
    normality
        Anderson–Darling result (``None`` with fewer than 8 values).
    non_normal
        Box-Cox capability when normality is rejected and the data allow it.
    """

    model_config = ConfigDict(frozen=True)

    n: int
    mean: float
    sigma_within: float
    sigma_overall: float
    spec: SpecLimits
    confidence: float
    cp: IndexEstimate | None
    cpl: IndexEstimate | None
    cpu: IndexEstimate | None
    cpk: IndexEstimate
    cpm: IndexEstimate | None
    pp: IndexEstimate | None
    ppl: IndexEstimate | None
    ppu: IndexEstimate | None
    ppk: IndexEstimate
    ppm_index: IndexEstimate | None
    expected_ppm_within: PartsPerMillion
    expected_ppm_overall: PartsPerMillion
    observed_ppm: PartsPerMillion
    normality: NormalityTest | None
    non_normal: NonNormalCapability | None


# --------------------------------------------------------------------------------------
# Indices and intervals
# --------------------------------------------------------------------------------------


def _chi_square_interval(value: float, df: float, alpha: float) -> IndexEstimate:
    # χ² quantiles through scipy.special (chdtri is the inverse upper tail): the same
    # numbers as scipy.stats.chi2.ppf without importing scipy.stats
    from scipy import special

    low = value * math.sqrt(special.chdtri(df, 1.0 - alpha / 2.0) / df)
    high = value * math.sqrt(special.chdtri(df, alpha / 2.0) / df)
    return IndexEstimate(value=value, lower=float(low), upper=float(high))


def _bissell_interval(value: float, n: int, z: float) -> IndexEstimate:
    # Ĉ[1 ± z·√(1/(9nĈ²) + 1/(2(n−1)))] written as Ĉ ± z·√(1/(9n) + Ĉ²/(2(n−1))): the same
    # for Ĉ > 0, defined at Ĉ = 0 and ordered (lower < upper) for a negative index.
    half = z * math.sqrt(1.0 / (9.0 * n) + value**2 / (2.0 * (n - 1)))
    return IndexEstimate(value=value, lower=value - half, upper=value + half)


class _IndexSet(BaseModel):
    """Cp-type indices for one σ (within or overall)."""

    model_config = ConfigDict(frozen=True)

    spread: IndexEstimate | None
    lower_side: IndexEstimate | None
    upper_side: IndexEstimate | None
    worst: IndexEstimate
    taguchi: IndexEstimate | None


def _indices(mean: float, sigma: float, n: int, spec: SpecLimits, confidence: float) -> _IndexSet:
    from scipy import special

    alpha = 1.0 - confidence
    z_one_sided = float(special.ndtri(confidence))
    z_two_sided = float(special.ndtri(1.0 - alpha / 2.0))
    lower_side = upper_side = spread = taguchi = None
    sides: list[float] = []
    if spec.lsl is not None:
        value = (mean - spec.lsl) / (3.0 * sigma)
        lower_side = _bissell_interval(value, n, z_one_sided)
        sides.append(value)
    if spec.usl is not None:
        value = (spec.usl - mean) / (3.0 * sigma)
        upper_side = _bissell_interval(value, n, z_one_sided)
        sides.append(value)
    if spec.lsl is not None and spec.usl is not None:
        spread = _chi_square_interval((spec.usl - spec.lsl) / (6.0 * sigma), n - 1, alpha)
        target = (spec.lsl + spec.usl) / 2.0 if spec.target is None else spec.target
        offset = (mean - target) / sigma
        cpm = (spec.usl - spec.lsl) / (6.0 * sigma * math.sqrt(1.0 + offset**2))
        boyles_df = n * (1.0 + offset**2) / (1.0 + 2.0 * offset**2)
        taguchi = _chi_square_interval(cpm, boyles_df, alpha)
    worst = _bissell_interval(min(sides), n, z_two_sided)
    return _IndexSet(
        spread=spread, lower_side=lower_side, upper_side=upper_side, worst=worst, taguchi=taguchi
    )


def _expected_ppm(mean: float, sigma: float, spec: SpecLimits) -> PartsPerMillion:
    from scipy import special

    below = None if spec.lsl is None else PPM * float(special.ndtr((spec.lsl - mean) / sigma))
    above = None if spec.usl is None else PPM * float(special.ndtr((mean - spec.usl) / sigma))
    return PartsPerMillion(below_lsl=below, above_usl=above, total=(below or 0.0) + (above or 0.0))


def _observed_ppm(values: NDArray[np.float64], spec: SpecLimits) -> PartsPerMillion:
    below = None if spec.lsl is None else PPM * float(np.mean(values < spec.lsl))
    above = None if spec.usl is None else PPM * float(np.mean(values > spec.usl))
    return PartsPerMillion(below_lsl=below, above_usl=above, total=(below or 0.0) + (above or 0.0))


# --------------------------------------------------------------------------------------
# Normality and Box-Cox
# --------------------------------------------------------------------------------------


def _anderson_darling_p(adjusted: float) -> float:
    """p-value of A*² for the normal case with estimated parameters (Table 4.9 of [5])."""
    a = adjusted
    if a >= 0.6:
        p = math.exp(1.2937 - 5.709 * a + 0.0186 * a * a)
    elif a >= 0.34:
        p = math.exp(0.9177 - 4.279 * a - 1.38 * a * a)
    elif a >= 0.2:
        p = 1.0 - math.exp(-8.318 + 42.796 * a - 59.938 * a * a)
    else:
        p = 1.0 - math.exp(-13.436 + 101.14 * a - 223.73 * a * a)
    return min(max(p, 0.0), 1.0)


def anderson_darling(values: ArrayLike, alpha: float = 0.05) -> NormalityTest | None:
    """Anderson–Darling test of normality, mean and σ estimated from the data.

    A² = −n − (1/n)Σ(2i − 1)[ln Φ(zᵢ) + ln(1 − Φ(zₙ₊₁₋ᵢ))] on the sorted standardised
    values; O(n log n) for the sort, logarithms through ``log_ndtr`` so extreme tails stay
    finite.

    Parameters
    ----------
    values
        Measured values [unit].
    alpha
        Significance level [unitless], 0 < alpha < 1.

    Returns
    -------
    NormalityTest or None
        ``None`` with fewer than 8 values or zero spread (the p-value approximation does
        not apply).

    References
    ----------
    .. [1] D'Agostino & Stephens (1986), §4.8 and Table 4.9.
    """
    if not 0.0 < alpha < 1.0:
        raise InputError("alpha", f"must be in (0, 1); got {alpha!r}")
    return _anderson_darling_sorted(np.sort(finite_array("values", values)), alpha)


def _anderson_darling_sorted(data: NDArray[np.float64], alpha: float) -> NormalityTest | None:
    """:func:`anderson_darling` of values already sorted, blockwise.

    The sum over i of (2i − 1)[ln Φ(zᵢ) + ln(1 − Φ(zₙ₊₁₋ᵢ))] is regrouped per value as
    Σⱼ (2j − 1) ln Φ(zⱼ) + (2n + 1 − 2j) ln Φ(−zⱼ), so each block of the sorted values is
    used once and no full-size temporary is made.
    """
    n = data.size
    mean, sd = mean_and_std(data)
    if n < MIN_NORMALITY_VALUES or not sd > 0.0:
        return None
    from scipy import special

    total = 0.0
    for start in blocks(n):
        z = (data[start : start + CHUNK] - mean) / sd
        rank = np.arange(start + 1, start + 1 + z.size, dtype=np.float64)
        total += float(
            np.sum((2.0 * rank - 1.0) * special.log_ndtr(z))
            + np.sum((2.0 * (n - rank) + 1.0) * special.log_ndtr(-z))
        )
    statistic = float(-n - total / n)
    adjusted = statistic * (1.0 + 0.75 / n + 2.25 / n**2)
    p_value = _anderson_darling_p(adjusted)
    return NormalityTest(
        statistic=statistic,
        adjusted_statistic=adjusted,
        p_value=p_value,
        alpha=alpha,
        normal=p_value >= alpha,
    )


def box_cox(values: ArrayLike, box_cox_lambda: float) -> NDArray[np.float64]:
    """Box-Cox transform (xᵏ − 1)/λ, or ln x for λ = 0.

    Parameters
    ----------
    values
        Positive values [unit].
    box_cox_lambda
        Exponent λ [unitless].

    Returns
    -------
    ndarray
        Transformed values [transformed unit].
    """
    data = np.asarray(values, dtype=np.float64)
    if box_cox_lambda == 0.0:
        return np.log(data)
    return np.asarray((data**box_cox_lambda - 1.0) / box_cox_lambda, dtype=np.float64)


def box_cox_lambda(values: ArrayLike) -> float:
    """Maximum-likelihood Box-Cox λ within [−5, 5].

    Parameters
    ----------
    values
        Positive values [unit].

    Returns
    -------
    float
        λ [unitless], rounded to 0.01.

    Raises
    ------
    InputError
        If a value is not positive.

    Notes
    -----
    The profile log-likelihood is (λ − 1)Σ ln x − (n/2) ln σ̂²(y_λ) [6]_. It is evaluated
    on logarithms centred on the geometric mean (the maximiser does not depend on the
    scale), and on an evenly strided sample of at most 100 000 values, so large batches
    stay linear in n; λ is rounded to 0.01 anyway.
    """
    data = finite_array("values", values)
    if np.any(data <= 0):
        raise InputError("values", "a Box-Cox transformation needs positive values")
    logs = np.log(data[:: max(1, math.ceil(data.size / BOX_COX_MAX_SAMPLE))])
    logs = logs - logs.mean()
    sum_logs = float(logs.sum())

    def negative_log_likelihood(lam: float) -> float:
        transformed = logs if lam == 0 else np.expm1(lam * logs) / lam
        variance = float(np.var(transformed))
        return float(-((lam - 1.0) * sum_logs - logs.size / 2.0 * math.log(variance)))

    from scipy import optimize

    result = optimize.minimize_scalar(
        negative_log_likelihood, bounds=BOX_COX_LAMBDA_RANGE, method="bounded"
    )
    return round(float(result.x), 2)


def _box_cox_capability(
    values: NDArray[np.float64],
    spec: SpecLimits,
    sigma_within_of: WithinSigma | None,
    alpha: float,
) -> NonNormalCapability | None:
    limits = [v for v in (spec.lsl, spec.usl) if v is not None]
    if np.any(values <= 0) or any(v <= 0 for v in limits):
        return None
    lam = box_cox_lambda(values)
    t_spec = SpecLimits(
        lsl=None if spec.lsl is None else float(box_cox([spec.lsl], lam)[0]),
        usl=None if spec.usl is None else float(box_cox([spec.usl], lam)[0]),
        target=None if spec.target is None else float(box_cox([spec.target], lam)[0]),
        unit=f"box-cox({lam:g}) of {spec.unit}",
        target_basis=spec.target_basis,
    )
    # The transformation is increasing, so the sorted transformed values are the
    # transformed sorted values: one array serves the moments and the normality test.
    transformed = np.sort(values)
    for start in blocks(transformed.size):
        block = transformed[start : start + CHUNK]
        block[:] = box_cox(block, lam)
    mean, sigma_overall = mean_and_std(transformed)
    if not sigma_overall > 0:
        return None
    n = transformed.size
    confidence = 1.0 - alpha
    overall = _indices(mean, sigma_overall, n, t_spec, confidence)
    cp = cpk = None
    if sigma_within_of is not None:
        sigma_within = sigma_within_of(lambda block: box_cox(block, lam))
        if sigma_within > 0:
            within = _indices(mean, sigma_within, n, t_spec, confidence)
            cp = None if within.spread is None else within.spread.value
            cpk = within.worst.value
    transform = "ln x" if lam == 0 else f"(x^{lam:g} − 1)/{lam:g}"
    return NonNormalCapability(
        label=f"Box-Cox transformed capability (λ = {lam:g}, y = {transform}); "
        "normality of the raw data was rejected",
        box_cox_lambda=lam,
        cp=cp,
        cpk=cpk,
        pp=None if overall.spread is None else overall.spread.value,
        ppk=overall.worst.value,
        normality=_anderson_darling_sorted(transformed, alpha),
    )


# --------------------------------------------------------------------------------------
# Public entry point
# --------------------------------------------------------------------------------------


def process_capability(
    values: ArrayLike,
    spec: SpecLimits,
    *,
    sigma_within: float,
    mean: float | None = None,
    confidence: float = 0.95,
    normality_alpha: float = 0.05,
    sigma_within_of: WithinSigma | None = None,
) -> Capability:
    """Capability and performance indices of one characteristic.

    Parameters
    ----------
    values
        The measured values the indices describe (phase I when limits were calibrated)
        [unit of ``spec``].
    spec
        Specification limits.
    sigma_within
        Within σ from the control chart (R̄/d2, s̄/c4, MR̄/d2) [unit], > 0.
    mean
        Process centre [unit]; default the mean of ``values`` (the chart's centre line).
    confidence
        Confidence level of the intervals [unitless] (qcc default 0.95).
    normality_alpha
        Significance level of the Anderson–Darling test [unitless].
    sigma_within_of
        Optional function giving the within σ of the values after an element-wise
        transformation (which it applies, block by block if it likes) with the same
        subgroup layout; enables Cp/Cpk in the Box-Cox capability.

    Returns
    -------
    Capability
        All indices with intervals, expected and observed ppm, normality, and a Box-Cox
        capability when normality is rejected.

    Raises
    ------
    InputError
        With fewer than 2 values, a σ that is not positive, or a confidence outside (0, 1).

    References
    ----------
    .. [1] AIAG SPC 2nd ed. ch. IV; qcc ``processCapability``; Bissell (1990); Boyles
       (1991) — see module references.

    Examples
    --------
    NIST/SEMATECH 6.1.6: USL 20, LSL 8, μ 16, σ 2 gives Cp 1.0 and Cpk 0.6667.
    """
    data = finite_array("values", values)
    if data.size < 2:
        raise InputError("values", f"capability needs at least 2 values; got {data.size}")
    if not 0.0 < confidence < 1.0:
        raise InputError("confidence", f"must be in (0, 1); got {confidence!r}")
    if not math.isfinite(sigma_within) or sigma_within <= 0:
        raise InputError("sigma_within", f"must be a finite number > 0; got {sigma_within!r}")
    data_mean, sigma_overall = mean_and_std(data)
    center = data_mean if mean is None else float(mean)
    if not sigma_overall > 0:
        raise InputError("values", "all values are identical; the overall σ is zero")
    n = data.size
    within = _indices(center, sigma_within, n, spec, confidence)
    overall = _indices(center, sigma_overall, n, spec, confidence)
    normality = anderson_darling(data, normality_alpha)
    non_normal = None
    if normality is not None and not normality.normal:
        non_normal = _box_cox_capability(data, spec, sigma_within_of, normality_alpha)
    return Capability(
        n=n,
        mean=center,
        sigma_within=sigma_within,
        sigma_overall=sigma_overall,
        spec=spec,
        confidence=confidence,
        cp=within.spread,
        cpl=within.lower_side,
        cpu=within.upper_side,
        cpk=within.worst,
        cpm=within.taguchi,
        pp=overall.spread,
        ppl=overall.lower_side,
        ppu=overall.upper_side,
        ppk=overall.worst,
        ppm_index=overall.taguchi,
        expected_ppm_within=_expected_ppm(center, sigma_within, spec),
        expected_ppm_overall=_expected_ppm(center, sigma_overall, spec),
        observed_ppm=_observed_ppm(data, spec),
        normality=normality,
        non_normal=non_normal,
    )


# --------------------------------------------------------------------------------------
# Acceptance thresholds (catalog)
# --------------------------------------------------------------------------------------


class PpapStatus(Vocabulary):
    """Outcome of an initial process study by AIAG PPAP 4th ed. §2.2.11.3."""

    ACCEPTED = "accepted", "Accepted", "Ppk above 1.67: the process meets acceptance criteria."
    CONDITIONAL = (
        "conditional",
        "Conditional",
        "Ppk from 1.33 to 1.67: may be acceptable, with the customer's approval.",
    )
    REJECTED = (
        "rejected",
        "Rejected",
        "Ppk below 1.33: the process does not meet acceptance criteria.",
    )


class CapabilityThresholds(BaseModel):
    """Capability acceptance thresholds from ``catalog/capability_thresholds.csv``.

    Attributes
    ----------
    cpk_min
        Ongoing production: capable when Cpk ≥ this [unitless].
    ppk_accept_above
        Initial study accepted when Ppk > this [unitless].
    ppk_conditional_min
        Initial study conditionally acceptable when Ppk ≥ this [unitless].
    sources
        The ``source`` cell of each row, by key.
    """

    model_config = ConfigDict(frozen=True)

    cpk_min: float
    ppk_accept_above: float
    ppk_conditional_min: float
    sources: dict[str, str]


@cache
def capability_thresholds() -> CapabilityThresholds:
    """The AIAG capability thresholds from the catalog.

    Returns
    -------
    CapabilityThresholds
        Cpk ≥ 1.33 for ongoing production; PPAP Ppk > 1.67 accepted, ≥ 1.33 conditional.

    Raises
    ------
    CatalogError
        If a required key is missing from the table.
    """
    rows = {row["key"]: row for row in load_table("capability_thresholds")}
    needed = ("cpk_min", "ppk_accept_above", "ppk_conditional_min")
    missing = [key for key in needed if key not in rows]
    if missing:
        raise CatalogError(f"capability_thresholds lacks {', '.join(missing)}")
    return CapabilityThresholds(
        cpk_min=float(rows["cpk_min"]["value"]),
        ppk_accept_above=float(rows["ppk_accept_above"]["value"]),
        ppk_conditional_min=float(rows["ppk_conditional_min"]["value"]),
        sources={key: rows[key]["source"] for key in needed},
    )


def ppap_status(ppk: float) -> PpapStatus:
    """Classify an initial-study Ppk by AIAG PPAP 4th ed. §2.2.11.3.

    Parameters
    ----------
    ppk
        Process performance index [unitless].

    Returns
    -------
    PpapStatus
        ``accepted`` above 1.67, ``conditional`` from 1.33 to 1.67, ``rejected`` below.
    """
    limits = capability_thresholds()
    if ppk > limits.ppk_accept_above:
        return PpapStatus.ACCEPTED
    if ppk >= limits.ppk_conditional_min:
        return PpapStatus.CONDITIONAL
    return PpapStatus.REJECTED


def is_capable(cpk: float) -> bool:
    """True when a Cpk meets the ongoing-production threshold (≥ 1.33 in the catalog).

    Parameters
    ----------
    cpk
        Process capability index [unitless].

    Returns
    -------
    bool
        Whether ``cpk`` ≥ the catalog's ``cpk_min``.
    """
    return cpk >= capability_thresholds().cpk_min
