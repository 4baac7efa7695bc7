"""Control-chart constants computed from their definitions, never hand-typed.

``d2`` and ``d3`` are the mean and standard deviation of the range of ``n`` independent
standard normal values, obtained by numerical integration; ``c4`` is the bias of the
sample standard deviation, in closed form through the gamma function. Every other
tabulated factor (A2, A3, D1–D4, B3–B6, E2) is a function of these three.

Published tables (ASTM E2587, Montgomery's Appendix VI, NIST/SEMATECH 6.3.2, the AIAG SPC
manual) and R's qcc print ``d2`` to three decimals, and the published limits are
computed with that rounded value (e.g. NIST's individuals chart uses 3/1.128). To
reproduce those limits to the digit, :class:`ConstantsConvention.PUBLISHED` (the
default) rounds the computed ``d2`` to three decimals; ``EXACT`` keeps full precision.

References
----------
.. [1] Tippett, L.H.C. (1925). On the extreme individuals and the range of samples taken
   from a normal population. *Biometrika* 17(3/4), 364–387 (d2 as an integral).
.. [2] Montgomery, D.C. *Introduction to Statistical Quality Control*, 7th ed., Wiley,
   Appendix VI (factors for constructing variables control charts).
.. [3] ASTM E2587-16, *Standard Practice for Use of Control Charts in Statistical Process
   Control*, Table 2.
.. [4] NIST/SEMATECH e-Handbook of Statistical Methods, section 6.3.2.
"""

from __future__ import annotations

import math
from functools import cache

import numpy as np
from pydantic import BaseModel, ConfigDict

from rampwise.core.checks import require_whole
from rampwise.core.vocabulary import Vocabulary

_PUBLISHED_D2_DECIMALS = 3
"""Decimals of d2 in the published tables and in qcc's ``exp.R.unscaled`` [2]_ [3]_."""


class ConstantsConvention(Vocabulary):
    """Which ``d2`` the σ estimators R̄/d2 and MR̄/d2 divide by.

    ``published``: ``d2`` rounded to three decimals, as printed in ASTM E2587 Table 2,
    Montgomery Appendix VI and NIST 6.3.2, and as used by R's qcc; reproduces their
    limits exactly. ``exact``: the integral at full double precision.
    """

    PUBLISHED = (
        "published",
        "Published",
        "d2 rounded to three decimals, as the tables and R's qcc print it: their limits "
        "to the digit.",
    )
    EXACT = "exact", "Exact", "d2 at full double precision, from its integral."


def _check_size(n: int) -> int:
    return require_whole("subgroup_size", n, minimum=2)


@cache
def d2(n: int) -> float:
    """Expected range of ``n`` standard normal values, E[W]/σ.

    Computed as ∫ (1 − Φ(x)ⁿ − (1 − Φ(x))ⁿ) dx over the real line [1]_.

    Parameters
    ----------
    n
        Subgroup size [unitless], ≥ 2.

    Returns
    -------
    float
        d2 [unitless]; 2/√π at n = 2.

    Raises
    ------
    InputError
        If ``n`` is not a whole number ≥ 2.

    References
    ----------
    .. [1] Tippett (1925), see module references.
    """
    size = _check_size(n)
    if size == 2:
        return 2.0 / math.sqrt(math.pi)  # closed form (Tippett 1925), no integration
    from scipy import integrate, special

    def integrand(x: float) -> float:
        return float(1.0 - special.ndtr(x) ** size - special.ndtr(-x) ** size)

    value, _ = integrate.quad(integrand, -np.inf, np.inf, epsabs=1e-13, epsrel=1e-12)
    return float(value)


def _range_survival(w: float, n: int) -> float:
    """P(W > w) for the range W of ``n`` standard normal values."""
    from scipy import integrate, special

    def integrand(x: float) -> float:
        density = math.exp(-0.5 * x * x) / math.sqrt(2.0 * math.pi)
        return float(density * (special.ndtr(x + w) - special.ndtr(x)) ** (n - 1))

    inside, _ = integrate.quad(integrand, -np.inf, np.inf, epsabs=1e-14, epsrel=1e-12)
    return 1.0 - n * float(inside)


@cache
def d3(n: int) -> float:
    """Standard deviation of the range of ``n`` standard normal values, SD[W]/σ.

    E[W²] = ∫₀^∞ 2w·P(W > w) dw with P(W ≤ w) = n∫φ(x)(Φ(x+w) − Φ(x))ⁿ⁻¹dx, then
    d3 = √(E[W²] − d2²).

    Parameters
    ----------
    n
        Subgroup size [unitless], ≥ 2.

    Returns
    -------
    float
        d3 [unitless]; √(2 − 4/π) at n = 2.

    Raises
    ------
    InputError
        If ``n`` is not a whole number ≥ 2.

    References
    ----------
    .. [1] Montgomery, Appendix VI; Tippett (1925) — see module references.
    """
    size = _check_size(n)
    if size == 2:
        return math.sqrt(2.0 - 4.0 / math.pi)  # closed form: E[W²] = 2 for W = |X₁ − X₂|
    from scipy import integrate

    second_moment, _ = integrate.quad(
        lambda w: 2.0 * w * _range_survival(w, size), 0.0, np.inf, epsabs=1e-12, epsrel=1e-11
    )
    return math.sqrt(second_moment - d2(size) ** 2)


@cache
def c4(n: int) -> float:
    """Bias factor of the sample standard deviation, E[s]/σ.

    c4 = √(2/(n−1)) · Γ(n/2) / Γ((n−1)/2), evaluated through log-gamma so it stays finite
    for large ``n``.

    Parameters
    ----------
    n
        Subgroup size [unitless], ≥ 2.

    Returns
    -------
    float
        c4 [unitless].

    Raises
    ------
    InputError
        If ``n`` is not a whole number ≥ 2.

    References
    ----------
    .. [1] Montgomery, Appendix VI; ASTM E2587 Table 2.
    """
    from scipy import special

    size = _check_size(n)
    log_ratio = special.gammaln(size / 2.0) - special.gammaln((size - 1) / 2.0)
    return float(math.sqrt(2.0 / (size - 1)) * math.exp(log_ratio))


def d2_for(n: int, convention: ConstantsConvention = ConstantsConvention.PUBLISHED) -> float:
    """``d2`` as the chosen convention divides by (rounded to 3 decimals when published).

    Parameters
    ----------
    n
        Subgroup size [unitless], ≥ 2.
    convention
        ``published`` (3 decimals, as tables and qcc print it) or ``exact``.

    Returns
    -------
    float
        d2 [unitless].
    """
    value = d2(n)
    if convention is ConstantsConvention.PUBLISHED:
        return round(value, _PUBLISHED_D2_DECIMALS)
    return value


class ChartConstants(BaseModel):
    """All tabulated factors for one subgroup size, derived from d2, d3 and c4.

    Attributes
    ----------
    n
        Subgroup size [unitless].
    d2, d3, c4
        Range mean, range SD and SD bias for unit σ [unitless].
    a, a2, a3
        X̄ limit factors with σ known (3/√n), from R̄ (3/(d2√n)) and from s̄ (3/(c4√n)).
    d1, d2_limit
        R-chart limits with σ known: max(0, d2 − 3d3) and d2 + 3d3.
    d3_factor, d4
        R-chart limits from R̄: max(0, 1 − 3d3/d2) and 1 + 3d3/d2 (tables' D3, D4).
    b3, b4
        S-chart limits from s̄: max(0, 1 − 3√(1−c4²)/c4) and 1 + 3√(1−c4²)/c4.
    b5, b6
        S-chart limits with σ known: max(0, c4 − 3√(1−c4²)) and c4 + 3√(1−c4²).
    e2
        Individuals limits from MR̄ (3/d2).

    References
    ----------
    .. [1] Montgomery, Appendix VI; ASTM E2587 Table 2.
    """

    model_config = ConfigDict(frozen=True)

    n: int
    d2: float
    d3: float
    c4: float
    a: float
    a2: float
    a3: float
    d1: float
    d2_limit: float
    d3_factor: float
    d4: float
    b3: float
    b4: float
    b5: float
    b6: float
    e2: float


def chart_constants(n: int) -> ChartConstants:
    """The full row of control-chart factors for subgroup size ``n`` (exact values).

    Parameters
    ----------
    n
        Subgroup size [unitless], ≥ 2.

    Returns
    -------
    ChartConstants
        Every factor at full precision.

    Raises
    ------
    InputError
        If ``n`` is not a whole number ≥ 2.
    """
    size = _check_size(n)
    mean_range, sd_range, bias = d2(size), d3(size), c4(size)
    root_n = math.sqrt(size)
    spread = math.sqrt(1.0 - bias**2)
    return ChartConstants(
        n=size,
        d2=mean_range,
        d3=sd_range,
        c4=bias,
        a=3.0 / root_n,
        a2=3.0 / (mean_range * root_n),
        a3=3.0 / (bias * root_n),
        d1=max(0.0, mean_range - 3.0 * sd_range),
        d2_limit=mean_range + 3.0 * sd_range,
        d3_factor=max(0.0, 1.0 - 3.0 * sd_range / mean_range),
        d4=1.0 + 3.0 * sd_range / mean_range,
        b3=max(0.0, 1.0 - 3.0 * spread / bias),
        b4=1.0 + 3.0 * spread / bias,
        b5=max(0.0, bias - 3.0 * spread),
        b6=bias + 3.0 * spread,
        e2=3.0 / mean_range,
    )
