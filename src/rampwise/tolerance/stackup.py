"""One-dimensional tolerance stack-ups: worst case, RSS, modified RSS and Monte Carlo.

A stack is a chain of contributors; the gap it closes is

    gap = Σ direction_i · sensitivity_i · dimension_i

where direction +1 opens the gap and −1 closes it, and the sensitivity is the linearised
coefficient of a 2-D chain (1 for a straight chain). Unequal tolerances are centred
first: a dimension 0.375 +0/−0.031 enters with mean 0.3595 and half-width 0.0155.

The result answers seed 003's "tolerance stack-up model" and its **stack-up map**: which
contributors carry the variance (their share), and — for the worst case and for RSS —
the advice of :mod:`rampwise.tolerance.stack_advice`: which tolerances to tighten and by
how much, which nominal to re-centre when the mean gap is outside (or off the middle of)
the requirement, or how far each tolerance may open when there is slack.

References
----------
.. [1] P. J. Drake Jr. (ed.), *Dimensioning and Tolerancing Handbook*, McGraw-Hill 1999,
   ch. 9 "Traditional approaches to analyzing mechanical tolerance stacks" (worst case,
   RSS, modified RSS with Cf = 0.5·(t_wc − t_rss)/(t_rss·(√n − 1)) + 1).
.. [2] MITCalc, "Tolerance analysis" (effective σ = T/(6·Cpk) of a shifted process).
.. [3] ``../shared/refdata/tolerance/stackups.json`` (both examples reproduced by tests).
.. [4] Seed 003 (Step 1: "Analyze the Tolerance Map … create a tolerance stack-up model").
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from rampwise.core.errors import InputError
from rampwise.core.vocabulary import Vocabulary
from rampwise.tolerance.spec import ToleranceSpec, is_iso_class, parse_tolerance
from rampwise.tolerance.stack_advice import Link, StackAction, StackAdvice, stack_advice

MM_PER_INCH = 25.4
"""Exact conversion factor [mm/in] (international inch, 1959)."""

DEFAULT_SAMPLES = 1_000_000
DEFAULT_CHUNK = 65_536
"""Samples drawn per Monte Carlo chunk; memory ≈ chunk × contributors × 8 bytes."""

_SQRT2 = math.sqrt(2.0)
_SQRT3 = math.sqrt(3.0)
_SQRT6 = math.sqrt(6.0)


class Distribution(Vocabulary):
    """How a contributor's dimension is spread inside its tolerance."""

    NORMAL = (
        "normal",
        "Normal",
        "Normally distributed: the half-tolerance is k standard deviations (k = 3 by default).",
    )
    UNIFORM = (
        "uniform",
        "Uniform",
        "Equally likely anywhere in the tolerance: σ = half-tolerance / √3.",
    )
    TRIANGULAR = (
        "triangular",
        "Triangular",
        "Most likely at the centre, falling to zero at the limits: σ = half-tolerance / √6.",
    )


class StackMethod(Vocabulary):
    """The analysis a user asks for first (all analytic methods are always reported)."""

    WORST_CASE = (
        "worst-case",
        "Worst case",
        "Every contributor at its limit at once: the gap's tolerance is the sum of theirs.",
    )
    RSS = (
        "rss",
        "RSS",
        "Root sum of squares of the contributors' standard deviations (statistical stack).",
    )
    MONTE_CARLO = (
        "monte-carlo",
        "Monte Carlo",
        "The gap sampled from each contributor's distribution; the share outside the "
        "requirement counted.",
    )


class Contributor(BaseModel):
    """One dimension of the chain.

    Attributes
    ----------
    name
        Label shown in the stack-up map.
    nominal
        Nominal dimension [mm].
    tolerance
        Its deviations [mm].
    direction
        +1 if the dimension opens the gap, −1 if it closes it.
    sensitivity
        Linearised coefficient of a 2-D chain [unitless], non-zero; default 1.
    distribution
        Normal, uniform or (symmetric) triangular over the tolerance.
    k
        For a normal contributor, the half-width is k·σ [unitless]; default 3.
    cpk
        Optional process capability [unitless] of a normal contributor: the mean shifts
        toward the upper deviation by t − 3σ·Cpk, and RSS uses σ_eff = t/(3·Cpk).
    """

    model_config = ConfigDict(frozen=True)

    name: str
    nominal: float
    tolerance: ToleranceSpec
    direction: int = Field(strict=True)
    sensitivity: float = 1.0
    distribution: Distribution = Distribution.NORMAL
    k: float = 3.0
    cpk: float | None = None

    @model_validator(mode="after")
    def _valid(self) -> Contributor:
        if self.direction not in (1, -1):
            raise InputError("direction", f"must be +1 or -1; got {self.direction!r}")
        if not math.isfinite(self.nominal):
            raise InputError("nominal", f"must be a finite number; got {self.nominal!r}")
        if not math.isfinite(self.sensitivity) or self.sensitivity == 0:
            raise InputError(
                "sensitivity", f"must be finite and non-zero; got {self.sensitivity!r}"
            )
        if not math.isfinite(self.k) or self.k <= 0:
            raise InputError("k", f"must be > 0 (tolerance = ±k·σ); got {self.k!r}")
        if self.cpk is not None:
            if self.distribution is not Distribution.NORMAL:
                raise InputError("cpk", "applies to a normal contributor only")
            if not 0 < self.cpk <= self.k / 3:
                raise InputError(
                    "cpk", f"must be > 0 and ≤ Cp = k/3 = {self.k / 3:g}; got {self.cpk:g}"
                )
        return self

    @property
    def gain(self) -> float:
        """Signed coefficient, direction × sensitivity [unitless]."""
        return self.direction * self.sensitivity

    @property
    def mean(self) -> float:
        """Centre of the tolerance zone [mm]."""
        return self.nominal + self.tolerance.mid_deviation

    @property
    def half_width(self) -> float:
        """Half the tolerance, t [mm]."""
        return self.tolerance.half_width

    @property
    def sigma(self) -> float:
        """Standard deviation of the dimension [mm]: t/k, t/√3 or t/√6."""
        if self.distribution is Distribution.UNIFORM:
            return self.half_width / _SQRT3
        if self.distribution is Distribution.TRIANGULAR:
            return self.half_width / _SQRT6
        return self.half_width / self.k

    @property
    def mean_shift(self) -> float:
        """Shift of the process mean from the zone centre implied by ``cpk`` [mm]."""
        if self.cpk is None:
            return 0.0
        return self.half_width - 3 * self.sigma * self.cpk

    @property
    def effective_sigma(self) -> float:
        """σ used by the statistical estimate [mm]: t/(3·Cpk) with a Cpk, else σ."""
        return self.half_width / (3 * self.cpk) if self.cpk is not None else self.sigma


class Requirement(BaseModel):
    """Limits the gap must stay within [mm]; either side may be open."""

    model_config = ConfigDict(frozen=True)

    min: float | None = None
    max: float | None = None

    def holds(self, low: float, high: float) -> bool:
        """True when the whole interval [low, high] lies within the requirement."""
        return (self.min is None or low >= self.min) and (self.max is None or high <= self.max)


class Stack(BaseModel):
    """A named chain of contributors and the requirement on its gap."""

    model_config = ConfigDict(frozen=True)

    name: str
    requirement: Requirement | None
    contributors: tuple[Contributor, ...]

    @model_validator(mode="after")
    def _not_empty(self) -> Stack:
        if not self.contributors:
            raise InputError("contributors", "must list at least one contributor")
        return self


class StackInterval(BaseModel):
    """The gap's predicted range by one method.

    Attributes
    ----------
    min, max
        Predicted gap limits [mm].
    half_width
        Half the predicted range [mm].
    meets_requirement
        Whether [min, max] lies within the requirement; ``None`` without one.
    """

    model_config = ConfigDict(frozen=True)

    min: float
    max: float
    half_width: float
    meets_requirement: bool | None


class RssInterval(StackInterval):
    """RSS range plus the statistical estimate behind it.

    Attributes
    ----------
    std
        Standard deviation of the gap from each contributor's distribution [mm].
    fraction_out
        Predicted fraction of assemblies outside the requirement (normal gap) [unitless].
    """

    std: float
    fraction_out: float | None


class ModifiedRssInterval(StackInterval):
    """Modified RSS range and the inflation factor Cf it applied [unitless]."""

    inflation_factor: float


class MonteCarloResult(BaseModel):
    """Sampled gap statistics.

    Attributes
    ----------
    min, max
        Smallest and largest sampled gap [mm].
    mean, std
        Sample mean and standard deviation (n − 1) [mm].
    fraction_out
        Fraction of samples outside the requirement [unitless]; ``None`` without one.
    samples
        Number of samples drawn.
    seed
        Seed of the random generator (same seed, samples and chunk → same result).
    """

    model_config = ConfigDict(frozen=True)

    min: float
    max: float
    mean: float
    std: float
    fraction_out: float | None
    samples: int
    seed: int


class Contribution(BaseModel):
    """One row of the stack-up map.

    Attributes
    ----------
    name
        Contributor name.
    share
        Its share of the gap variance, (gain·σ_eff)² / Σ [unitless]; shares sum to 1.
    half_width
        Its present half-tolerance t [mm].
    allowable_half_width_rss, allowable_half_width_worst_case
        The largest t it could have, the others unchanged, for the RSS or worst-case
        range to still meet the requirement [mm]; 0 when no tolerance on it suffices;
        ``None`` without a requirement.
    advice
        Its part in the worst-case advice (every assembly within the requirement):
        ``tighten``, ``recentre``, ``open`` or ``keep``; ``None`` without a requirement.
        :attr:`StackResult.advice` holds the amounts, for RSS too.
    """

    model_config = ConfigDict(frozen=True)

    name: str
    share: float
    half_width: float
    allowable_half_width_rss: float | None
    allowable_half_width_worst_case: float | None
    advice: StackAction | None


class StackResult(BaseModel):
    """Everything :func:`analyse_stack` computes; ``model_dump_json()`` is the contract.

    ``advice`` holds the worst-case and the RSS advice (tighten, re-centre or open, with
    the amounts); it is empty without a requirement.
    """

    model_config = ConfigDict(frozen=True)

    name: str
    requirement: Requirement | None
    nominal_gap: float
    mean_gap: float
    worst_case: StackInterval
    rss: RssInterval
    modified_rss: ModifiedRssInterval
    monte_carlo: MonteCarloResult | None
    contributions: tuple[Contribution, ...]
    advice: tuple[StackAdvice, ...] = ()

    def advice_for(self, method: StackMethod) -> StackAdvice | None:
        """The advice by ``method`` (Monte Carlo, a statistical range, reads the RSS one)."""
        wanted = StackMethod.WORST_CASE if method is StackMethod.WORST_CASE else StackMethod.RSS
        return next((a for a in self.advice if a.method == wanted.value), None)


# --------------------------------------------------------------------------------------
# Analytic methods
# --------------------------------------------------------------------------------------


def mean_gap(stack: Stack) -> float:
    """Σ gain·(nominal + mid-deviation): the gap with every dimension centred [mm]."""
    return math.fsum(c.gain * c.mean for c in stack.contributors)


def _interval(stack: Stack, half: float) -> tuple[float, float, float, bool | None]:
    centre = mean_gap(stack)
    low, high = centre - half, centre + half
    meets = stack.requirement.holds(low, high) if stack.requirement else None
    return low, high, half, meets


def worst_case(stack: Stack) -> StackInterval:
    """Worst-case range: mean gap ± Σ|gain|·t.

    References
    ----------
    .. [1] Drake 1999, ch. 9 (worst-case stack).
    """
    half = math.fsum(abs(c.gain) * c.half_width for c in stack.contributors)
    low, high, half, meets = _interval(stack, half)
    return StackInterval(min=low, max=high, half_width=half, meets_requirement=meets)


def _rss_half(stack: Stack) -> float:
    return math.sqrt(math.fsum((c.gain * c.half_width) ** 2 for c in stack.contributors))


def gap_std(stack: Stack) -> float:
    """Standard deviation of the gap, √Σ(gain·σ_eff)² [mm]."""
    return math.sqrt(math.fsum((c.gain * c.effective_sigma) ** 2 for c in stack.contributors))


def _fraction_out_normal(
    requirement: Requirement | None, centre: float, std: float
) -> float | None:
    if requirement is None:
        return None
    below = 0.0 if requirement.min is None else _normal_tail((centre - requirement.min) / std)
    above = 0.0 if requirement.max is None else _normal_tail((requirement.max - centre) / std)
    return below + above


def _normal_tail(z: float) -> float:
    """P(Z > z) of a standard normal Z [unitless], through the complementary error function.

    References
    ----------
    .. [1] Abramowitz & Stegun 1964, 26.2.29 (Q(z) = erfc(z/√2)/2).
    """
    return 0.5 * math.erfc(z / _SQRT2)


def rss(stack: Stack) -> RssInterval:
    """Root-sum-square range: mean gap ± √Σ(gain·t)², each t read as ±3σ.

    The interval is the classical RSS of the handbooks (every tolerance taken as 3σ);
    ``std`` and ``fraction_out`` use each contributor's own distribution (t = kσ, uniform
    t/√3, triangular t/√6, σ_eff = t/(3·Cpk)) and a normal gap.

    References
    ----------
    .. [1] Drake 1999, ch. 9 (RSS stack).
    .. [2] MITCalc tolerance analysis (σ_eff of a shifted contributor).
    """
    low, high, half, meets = _interval(stack, _rss_half(stack))
    std = gap_std(stack)
    return RssInterval(
        min=low,
        max=high,
        half_width=half,
        meets_requirement=meets,
        std=std,
        fraction_out=_fraction_out_normal(stack.requirement, mean_gap(stack), std),
    )


def modified_rss(stack: Stack, inflation_factor: float | None = None) -> ModifiedRssInterval:
    """Modified RSS: the RSS half-width times an inflation factor Cf, at most the worst case.

    Parameters
    ----------
    stack
        The chain.
    inflation_factor
        Cf [unitless] to apply (e.g. Bender's 1.5); default Drake's
        Cf = 0.5·(t_wc − t_rss)/(t_rss·(√n − 1)) + 1 (1 for a single contributor).

    Returns
    -------
    ModifiedRssInterval
        The range and the factor applied. For short chains Drake's Cf can push the range
        past the worst case (n = 2 equal links: Cf = 1.5, 1.5·√2 > 2); a statistical range
        wider than the worst case means nothing, so it is capped there and the factor
        reported is the one in effect, t_wc / t_rss.

    References
    ----------
    .. [1] Drake 1999, ch. 9 (modified RSS).
    """
    t_wc = worst_case(stack).half_width
    t_rss = _rss_half(stack)
    n = len(stack.contributors)
    if inflation_factor is None:
        factor = 1.0 if n == 1 else 0.5 * (t_wc - t_rss) / (t_rss * (math.sqrt(n) - 1)) + 1
    else:
        if not math.isfinite(inflation_factor) or inflation_factor < 1:
            raise InputError("inflation_factor", f"must be a number ≥ 1; got {inflation_factor!r}")
        factor = inflation_factor
    factor = min(factor, t_wc / t_rss)
    low, high, half, meets = _interval(stack, factor * t_rss)
    return ModifiedRssInterval(
        min=low, max=high, half_width=half, meets_requirement=meets, inflation_factor=factor
    )


def links(stack: Stack) -> tuple[Link, ...]:
    """The contributors as the advice reads them: gain, half-width, zone centre [mm]."""
    return tuple(
        Link(name=c.name, nominal=c.nominal, centre=c.mean, gain=c.gain, half_width=c.half_width)
        for c in stack.contributors
    )


def advice(stack: Stack) -> tuple[StackAdvice, ...]:
    """Worst-case and RSS advice: tighten, re-centre or open (empty without a requirement).

    References
    ----------
    .. [1] Drake 1999, ch. 9; see :mod:`rampwise.tolerance.stack_advice`.
    """
    requirement = stack.requirement
    if requirement is None:
        return ()
    chain = links(stack)
    found = (
        stack_advice(chain, low=requirement.min, high=requirement.max, method=method)
        for method in ("worst-case", "rss")
    )
    return tuple(item for item in found if item is not None)


def contributions(stack: Stack) -> tuple[Contribution, ...]:
    """The stack-up map: each contributor's variance share and allowable tolerance.

    The allowable half-width of contributor i (the others unchanged) is the largest t_i
    for which the range still fits between the mean gap and the nearer requirement
    limit H: RSS √(H² − Σ_{j≠i}(gain_j t_j)²)/|gain_i|; worst case
    (H − Σ_{j≠i}|gain_j| t_j)/|gain_i|. Its ``advice`` is its part in the worst-case
    advice (:func:`advice`).
    """
    worst = next(iter(advice(stack)), None)
    variances = [(c.gain * c.effective_sigma) ** 2 for c in stack.contributors]
    total = math.fsum(variances)
    headroom = _headroom(stack)
    rss_sq = _rss_half(stack) ** 2
    wc = worst_case(stack).half_width
    rows = []
    for contributor, variance in zip(stack.contributors, variances, strict=True):
        gain = abs(contributor.gain)
        t = contributor.half_width
        allow_rss = allow_wc = None
        if headroom is not None:
            others_sq = rss_sq - (gain * t) ** 2
            allow_rss = math.sqrt(max(headroom**2 - others_sq, 0.0)) / gain if headroom > 0 else 0.0
            allow_wc = max(headroom - (wc - gain * t), 0.0) / gain
        rows.append(
            Contribution(
                name=contributor.name,
                share=variance / total,
                half_width=t,
                allowable_half_width_rss=allow_rss,
                allowable_half_width_worst_case=allow_wc,
                advice=None if worst is None else worst.action(contributor.name),
            )
        )
    return tuple(rows)


def _headroom(stack: Stack) -> float | None:
    """Distance from the mean gap to the nearer requirement limit [mm] (≤ 0: outside)."""
    requirement = stack.requirement
    if requirement is None:
        return None
    centre = mean_gap(stack)
    sides = []
    if requirement.min is not None:
        sides.append(centre - requirement.min)
    if requirement.max is not None:
        sides.append(requirement.max - centre)
    return min(sides)


# --------------------------------------------------------------------------------------
# Monte Carlo
# --------------------------------------------------------------------------------------


def monte_carlo(
    stack: Stack,
    samples: int = DEFAULT_SAMPLES,
    seed: int = 0,
    *,
    chunk_size: int = DEFAULT_CHUNK,
) -> MonteCarloResult:
    """Sample the gap: every contributor drawn from its distribution, chunk by chunk.

    Memory stays bounded by ``chunk_size × contributors`` doubles whatever ``samples`` is;
    each chunk draws into the same buffers and adds one weighted sum per distribution
    family (numpy's own loops, not BLAS, whose idle threads spin on a busy machine).

    Parameters
    ----------
    stack
        The chain.
    samples
        Number of assemblies to simulate [count].
    seed
        Seed of :func:`numpy.random.default_rng`: one generator, drawn chunk by chunk,
        the normal contributors first, then the uniform, then the triangular ones (two
        uniform draws each); the same seed, samples and chunk size give the same result.
    chunk_size
        Samples per chunk [count].

    Returns
    -------
    MonteCarloResult
        Sample min, max, mean, standard deviation and the fraction outside the requirement.

    Raises
    ------
    InputError
        If ``samples`` < 2, ``chunk_size`` < 1 or the seed is negative.

    References
    ----------
    .. [1] Drake 1999, ch. 9 (Monte Carlo simulation of stacks).
    """
    if isinstance(samples, bool) or not isinstance(samples, int) or samples < 2:
        raise InputError("samples", f"must be a whole number ≥ 2; got {samples!r}")
    if isinstance(chunk_size, bool) or not isinstance(chunk_size, int) or chunk_size < 1:
        raise InputError("chunk_size", f"must be a whole number ≥ 1; got {chunk_size!r}")
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise InputError("seed", f"must be a whole number ≥ 0; got {seed!r}")
    rng = np.random.default_rng(seed)
    by_kind = {
        kind: [c for c in stack.contributors if c.distribution is kind] for kind in Distribution
    }
    normal_scale = np.array([c.gain * c.sigma for c in by_kind[Distribution.NORMAL]])
    uniform_scale = np.array([c.gain * c.half_width for c in by_kind[Distribution.UNIFORM]])
    triangle_scale = np.array([c.gain * c.half_width for c in by_kind[Distribution.TRIANGULAR]])
    centre = math.fsum(c.gain * (c.mean + c.mean_shift) for c in stack.contributors)
    # uniform: t·(2U − 1); triangular: t·(U1 + U2 − 1); constants folded into the offset
    offset = centre - float(uniform_scale.sum()) - float(triangle_scale.sum())
    families = [
        (scale, draw)
        for scale, draw in (
            (normal_scale, rng.standard_normal),
            (2 * uniform_scale, rng.random),
            (triangle_scale, rng.random),
            (triangle_scale, rng.random),
        )
        if scale.size
    ]
    width = min(chunk_size, samples)
    draws = np.empty(max(scale.size for scale, _ in families) * width)
    gap_buffer, term_buffer = np.empty(width), np.empty(width)
    requirement = stack.requirement
    total = total_sq = 0.0
    low, high = math.inf, -math.inf
    out = 0
    done = 0
    while done < samples:
        size = min(chunk_size, samples - done)
        gap, term = gap_buffer[:size], term_buffer[:size]
        gap.fill(offset - centre)  # accumulate deviations from the centre
        for scale, draw in families:
            block = draws[: scale.size * size].reshape(scale.size, size)
            draw(out=block)
            gap += np.einsum("i,ij->j", scale, block, out=term)
        total += float(gap.sum())
        total_sq += float(np.einsum("i,i->", gap, gap))
        low = min(low, float(gap.min()))
        high = max(high, float(gap.max()))
        if requirement is not None:
            if requirement.min is not None:
                out += int(np.count_nonzero(gap < requirement.min - centre))
            if requirement.max is not None:
                out += int(np.count_nonzero(gap > requirement.max - centre))
        done += size
    mean_dev = total / samples
    variance = max(total_sq - samples * mean_dev**2, 0.0) / (samples - 1)
    return MonteCarloResult(
        min=centre + low,
        max=centre + high,
        mean=centre + mean_dev,
        std=math.sqrt(variance),
        fraction_out=out / samples if requirement is not None else None,
        samples=samples,
        seed=seed,
    )


def analyse_stack(
    stack: Stack,
    *,
    monte_carlo_samples: int | None = None,
    seed: int = 0,
    inflation_factor: float | None = None,
) -> StackResult:
    """Worst case, RSS, modified RSS, the stack-up map and optionally Monte Carlo.

    Parameters
    ----------
    stack
        The chain.
    monte_carlo_samples
        Samples to simulate [count]; ``None`` skips Monte Carlo.
    seed
        Monte Carlo seed.
    inflation_factor
        Modified-RSS factor Cf [unitless]; default Drake's formula.

    Returns
    -------
    StackResult
        All ranges [mm], the requirement verdicts and each contributor's share.
    """
    return StackResult(
        name=stack.name,
        requirement=stack.requirement,
        nominal_gap=math.fsum(c.gain * c.nominal for c in stack.contributors),
        mean_gap=mean_gap(stack),
        worst_case=worst_case(stack),
        rss=rss(stack),
        modified_rss=modified_rss(stack, inflation_factor),
        monte_carlo=monte_carlo(stack, monte_carlo_samples, seed)
        if monte_carlo_samples is not None
        else None,
        contributions=contributions(stack),
        advice=advice(stack),
    )


# --------------------------------------------------------------------------------------
# Stack files
# --------------------------------------------------------------------------------------

_STACK_KEYS = {"name", "unit", "requirement", "contributors"}
_CONTRIBUTOR_KEYS = {
    "name",
    "nominal",
    "tolerance",
    "direction",
    "sensitivity",
    "distribution",
    "cpk",
    "note",
}


def _finite(value: Any, field: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise InputError(field, f"must be a finite number; got {value!r}")
    return float(value)


def _unknown_keys(given: Mapping[Any, Any], allowed: set[str], field: str) -> None:
    extra = sorted(str(k) for k in given if k not in allowed)
    if extra:
        raise InputError(
            f"{field}.{extra[0]}" if field else extra[0],
            f"is not a known field; valid: {', '.join(sorted(allowed))}",
        )


def _requirement(value: Any, scale: float) -> Requirement | None:
    if value is None:
        return None
    if not isinstance(value, Mapping):
        raise InputError("requirement", f"must be a mapping {{min, max}}; got {value!r}")
    _unknown_keys(value, {"min", "max"}, "requirement")
    low = value.get("min")
    high = value.get("max")
    low = _finite(low, "requirement.min") * scale if low is not None else None
    high = _finite(high, "requirement.max") * scale if high is not None else None
    if low is None and high is None:
        raise InputError("requirement", "give min, max or both")
    if low is not None and high is not None and low >= high:
        raise InputError("requirement", f"min {low:g} must be below max {high:g}")
    return Requirement(min=low, max=high)


def _distribution(value: Any, field: str) -> tuple[Distribution, float]:
    """(distribution, k) from ``"normal"`` or ``{type: normal, k: 6}``."""
    spec: Mapping[str, Any] = {"type": value} if isinstance(value, str) else value
    if not isinstance(spec, Mapping):
        raise InputError(
            field, f"must be normal, uniform, triangular or {{type, k}}; got {value!r}"
        )
    _unknown_keys(spec, {"type", "k"}, field)
    name = spec.get("type", Distribution.NORMAL.value)
    try:
        kind = Distribution(name)
    except ValueError:
        valid = ", ".join(d.value for d in Distribution)
        raise InputError(f"{field}.type", f"must be one of {valid}; got {name!r}") from None
    if "k" not in spec:
        return kind, 3.0
    if kind is not Distribution.NORMAL:
        raise InputError(f"{field}.k", f"applies to a normal distribution only, not {kind.value}")
    return kind, _finite(spec["k"], f"{field}.k")


def _contributor(item: Any, index: int, scale: float) -> Contributor:
    field = f"contributors[{index}]"
    if not isinstance(item, Mapping):
        raise InputError(
            field, f"must be a mapping with name, nominal, tolerance, direction; got {item!r}"
        )
    _unknown_keys(item, _CONTRIBUTOR_KEYS, field)
    for key in ("nominal", "tolerance", "direction"):
        if key not in item:
            raise InputError(f"{field}.{key}", "is required")
    name = str(item.get("name") or f"#{index + 1}")
    nominal = _finite(item["nominal"], f"{field}.nominal")
    tolerance = item["tolerance"]
    if is_iso_class(tolerance):
        spec = parse_tolerance(tolerance, nominal=nominal * scale, field=f"{field}.tolerance")
    else:
        spec = parse_tolerance(tolerance, nominal=nominal, field=f"{field}.tolerance").scaled(scale)
    kind, k = _distribution(item.get("distribution", "normal"), f"{field}.distribution")
    cpk = item.get("cpk")
    try:
        return Contributor(
            name=name,
            nominal=nominal * scale,
            tolerance=spec,
            direction=item["direction"],
            sensitivity=_finite(item.get("sensitivity", 1.0), f"{field}.sensitivity"),
            distribution=kind,
            k=k,
            cpk=_finite(cpk, f"{field}.cpk") if cpk is not None else None,
        )
    except ValidationError as err:
        raise _field_error(err, field) from None


def _field_error(err: ValidationError, prefix: str) -> InputError:
    """A model's validation error as an InputError under ``prefix`` (its place in the file)."""
    first = err.errors()[0]
    cause = (first.get("ctx") or {}).get("error")
    if isinstance(cause, InputError):
        where = "distribution.k" if cause.field == "k" else cause.field
        return InputError(f"{prefix}.{where}", cause.message)
    where = ".".join(str(part) for part in first["loc"])
    return InputError(f"{prefix}.{where}", f"{first['msg']}; got {first.get('input')!r}")


def stack_from_mapping(document: Any) -> Stack:
    """Validate a stack document already parsed from YAML or JSON.

    The document has ``name``, optional ``unit`` (``mm`` or ``in``; inch lengths are
    converted to mm here), optional ``requirement: {min, max}`` and ``contributors``, each
    with ``name``, ``nominal``, ``tolerance`` (any form :func:`parse_tolerance` reads),
    ``direction`` (+1/−1), optional ``sensitivity``, ``distribution`` (``normal``,
    ``uniform``, ``triangular`` or ``{type: normal, k: 6}``) and ``cpk``.

    Raises
    ------
    InputError
        Naming the first invalid field, e.g. ``contributors[1].direction``.
    """
    if not isinstance(document, Mapping):
        raise InputError("stack file", "must be a mapping with name, requirement and contributors")
    _unknown_keys(document, _STACK_KEYS, "")
    unit = document.get("unit", "mm")
    if unit not in ("mm", "in"):
        raise InputError("unit", f"must be one of mm, in; got {unit!r}")
    scale = MM_PER_INCH if unit == "in" else 1.0
    items = document.get("contributors")
    if not isinstance(items, Sequence) or isinstance(items, str) or not items:
        raise InputError("contributors", "must list at least one contributor")
    return Stack(
        name=str(document.get("name") or "stack"),
        requirement=_requirement(document.get("requirement"), scale),
        contributors=tuple(_contributor(item, i, scale) for i, item in enumerate(items)),
    )
