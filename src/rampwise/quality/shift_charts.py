"""Small-shift control charts for short runs: EWMA and tabular CUSUM.

A Shewhart chart reacts to large shifts; in a low-volume batch of a few dozen parts a
shift of one standard error may never cross 3σ. EWMA and CUSUM accumulate evidence over
points and signal such shifts sooner (Montgomery ch. 9). Both take the location
statistic of a Shewhart chart with its phase-I centre and σ, and both run in O(n): the
EWMA as a first-order linear filter, the CUSUM through the closed form of its recursion.

References
----------
.. [1] Montgomery, D.C. *Introduction to Statistical Quality Control*, 7th ed., ch. 9.
.. [2] Scrucca, L. qcc 3.0, ``R/ewma.R`` and ``R/cusum.R``.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike, NDArray

from rampwise.core.errors import InputError
from rampwise.quality.charts import (
    ChartType,
    ControlChart,
    build_chart,
    per_point_sizes,
    phase_one_count,
    typical_index,
)
from rampwise.quality.rules import signal_violations
from rampwise.quality.series import constant, finite_array, unit_sizes


def _shift_inputs(
    statistic: ArrayLike, sizes: ArrayLike | None, sigma: float
) -> tuple[NDArray[np.float64], NDArray[np.int64]]:
    data = finite_array("statistic", statistic)
    counts = unit_sizes(data.size) if sizes is None else per_point_sizes(sizes, data.size)
    if not math.isfinite(sigma) or sigma <= 0:
        raise InputError("sigma", f"must be a finite number > 0; got {sigma!r}")
    return data, counts


def ewma_chart(
    statistic: ArrayLike,
    center: float,
    sigma: float,
    *,
    sizes: ArrayLike | None = None,
    smoothing: float = 0.2,
    nsigmas: float = 3.0,
    calibration: int | None = None,
) -> ControlChart:
    """Exponentially weighted moving average chart with exact (time-varying) limits.

    zᵢ = λxᵢ + (1 − λ)zᵢ₋₁ with z₀ = centre; limits centre ± L·σ/√nᵢ·√(λ/(2−λ)·(1 −
    (1−λ)²ⁱ)). Points beyond a limit are reported with rule id ``ewma``.

    Parameters
    ----------
    statistic
        Plotted subgroup means or individuals, in order [unit of the characteristic].
    center
        Target / phase-I centre [unit of the characteristic].
    sigma
        Within σ of one value [unit of the characteristic], > 0.
    sizes
        Subgroup size per point [unitless]; default 1.
    smoothing
        λ [unitless], 0 < λ ≤ 1 (qcc default 0.2).
    nsigmas
        L, width of the limits in standard errors [unitless] (qcc default 3).
    calibration
        Phase-I point count, recorded on the chart (limits use the given centre/σ).

    Returns
    -------
    ControlChart
        ``type`` ``ewma``; ``lcl``/``ucl`` are the asymptotic limits.

    Raises
    ------
    InputError
        If λ, L or σ is out of range, or there are fewer than 2 points.

    References
    ----------
    .. [1] Roberts, S.W. (1959). Control chart tests based on geometric moving averages.
       *Technometrics* 1(3), 239–250.
    .. [2] Montgomery §9.2; qcc ``R/ewma.R``.
    """
    if not 0.0 < smoothing <= 1.0:
        raise InputError("smoothing", f"must be in (0, 1]; got {smoothing!r}")
    if not math.isfinite(nsigmas) or nsigmas <= 0:
        raise InputError("nsigmas", f"must be a finite number > 0; got {nsigmas!r}")
    data, counts = _shift_inputs(statistic, sizes, sigma)
    phase_one = phase_one_count(calibration, data.size)
    from scipy import signal

    decay = 1.0 - smoothing
    smoothed, _ = signal.lfilter([smoothing], [1.0, -decay], data, zi=[decay * center])
    steps = np.arange(1, data.size + 1, dtype=np.float64)
    factor = np.sqrt(smoothing / (2.0 - smoothing) * (1.0 - decay ** (2.0 * steps)))
    half_width = nsigmas * sigma / np.sqrt(counts) * factor
    lower = center - half_width
    upper = center + half_width
    beyond = (smoothed < lower) | (smoothed > upper)
    asymptotic = nsigmas * sigma * math.sqrt(smoothing / (2.0 - smoothing))
    typical_se = asymptotic / math.sqrt(float(counts[typical_index(counts, phase_one)]))
    return build_chart(
        ChartType.EWMA,
        statistic=np.asarray(smoothed, dtype=np.float64),
        center_line=constant(data.size, center),
        lower=lower,
        upper=upper,
        sizes=counts,
        phase_one=phase_one,
        sigma=sigma,
        violations=signal_violations(beyond, "ewma"),
        summary_limits=(center - typical_se, center + typical_se),
    )


def _lindley(steps: NDArray[np.float64], start: float) -> NDArray[np.float64]:
    """Sᵢ = max(0, Sᵢ₋₁ + yᵢ), S₀ = start ≥ 0, in closed form: Cᵢ − min(−start, min Cⱼ≤ᵢ)."""
    cumulative = np.cumsum(steps)
    floor = np.minimum(np.minimum.accumulate(cumulative), -start)
    return np.asarray(cumulative - floor, dtype=np.float64)


def cusum_chart(
    statistic: ArrayLike,
    center: float,
    sigma: float,
    *,
    sizes: ArrayLike | None = None,
    decision_interval: float = 5.0,
    shift: float = 1.0,
    head_start: float = 0.0,
    calibration: int | None = None,
) -> ControlChart:
    """Standardised tabular CUSUM chart (upper and lower sums).

    With zᵢ = (xᵢ − centre)/(σ/√nᵢ) and k = shift/2: Sᵢ⁺ = max(0, Sᵢ₋₁⁺ + zᵢ − k),
    Sᵢ⁻ = min(0, Sᵢ₋₁⁻ + zᵢ + k); a point signals when Sᵢ⁺ > h or Sᵢ⁻ < −h (strictly),
    reported with rule id ``cusum``. Evaluated in O(n) through the closed form of the
    Lindley recursion.

    Parameters
    ----------
    statistic
        Plotted subgroup means or individuals, in order [unit of the characteristic].
    center
        Target / phase-I centre [unit of the characteristic].
    sigma
        Within σ of one value [unit of the characteristic], > 0.
    sizes
        Subgroup size per point [unitless]; default 1.
    decision_interval
        h [standard errors] (qcc default 5).
    shift
        Shift to detect [standard errors]; k = shift/2 (qcc ``se.shift`` default 1).
    head_start
        Fast-initial-response start value of both sums [standard errors], 0 ≤ · < h.
    calibration
        Phase-I point count, recorded on the chart.

    Returns
    -------
    ControlChart
        ``type`` ``cusum``, ``statistic`` the upper sums, ``statistic_lower`` the lower
        sums, centre 0, limits ∓h.

    Raises
    ------
    InputError
        If h, the shift, the head start or σ is out of range.

    References
    ----------
    .. [1] Page, E.S. (1954). Continuous inspection schemes. *Biometrika* 41, 100–115.
    .. [2] Montgomery §9.1; qcc ``R/cusum.R``.
    """
    if not math.isfinite(decision_interval) or decision_interval <= 0:
        raise InputError("decision_interval", f"must be > 0; got {decision_interval!r}")
    if not math.isfinite(shift) or shift <= 0:
        raise InputError("shift", f"must be > 0; got {shift!r}")
    if not 0.0 <= head_start < decision_interval:
        raise InputError("head_start", f"must be in [0, h); got {head_start!r}")
    data, counts = _shift_inputs(statistic, sizes, sigma)
    phase_one = phase_one_count(calibration, data.size)
    z = (data - center) / (sigma / np.sqrt(counts))
    allowance = shift / 2.0
    upper_sum = _lindley(z - allowance, head_start)
    lower_sum = -_lindley(-z - allowance, head_start)
    flags = (upper_sum > decision_interval) | (lower_sum < -decision_interval)
    size = data.size
    return build_chart(
        ChartType.CUSUM,
        statistic=upper_sum,
        statistic_lower=lower_sum,
        center_line=np.zeros(size),
        lower=constant(size, -decision_interval),
        upper=constant(size, decision_interval),
        sizes=counts,
        phase_one=phase_one,
        sigma=sigma,
        violations=signal_violations(flags, "cusum"),
    )
