"""Attribute control charts: p, np, c and u, with variable sample sizes.

Limits come from the first ``calibration`` samples (phase I) and are applied to the
whole series; lower limits are clamped at zero and the p chart's upper limit at one.
Zones for the run rules use each sample's own standard error, so variable sizes are
handled point by point, as qcc does.

References
----------
.. [1] Montgomery, D.C. *Introduction to Statistical Quality Control*, 7th ed., ch. 7.
.. [2] Scrucca, L. qcc 3.0, ``R/stats.R`` and ``R/limits.R`` (types p, np, c, u).
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike, NDArray

from rampwise.core.errors import InputError
from rampwise.quality.charts import (
    NSIGMAS,
    ChartType,
    ControlChart,
    build_chart,
    per_point_sizes,
    phase_one_count,
)
from rampwise.quality.rules import RuleSet, location_violations
from rampwise.quality.series import constant, finite_array, unit_sizes


def _counts(name: str, values: ArrayLike) -> NDArray[np.float64]:
    data = finite_array(name, values)
    if np.any(data < 0) or np.any(data != np.round(data)):
        bad = int(np.flatnonzero((data < 0) | (data != np.round(data)))[0])
        raise InputError(name, f"value {bad + 1} is {data[bad]!r}; counts are whole numbers ≥ 0")
    return data


def _attribute_chart(
    kind: ChartType,
    statistic: NDArray[np.float64],
    center_line: NDArray[np.float64],
    std_error: NDArray[np.float64],
    sizes: NDArray[np.int64],
    phase_one: int,
    unit_sigma: float,
    rules: RuleSet,
    ceiling: float,
) -> ControlChart:
    lower = np.maximum(center_line - NSIGMAS * std_error, 0.0)
    upper = np.minimum(center_line + NSIGMAS * std_error, ceiling)
    violations = location_violations(
        statistic, center_line, std_error, rules, lower=lower, upper=upper
    )
    return build_chart(
        kind,
        statistic=statistic,
        center_line=center_line,
        lower=lower,
        upper=upper,
        sizes=sizes,
        phase_one=phase_one,
        sigma=unit_sigma,
        violations=violations,
    )


def _proportion(
    defectives: ArrayLike, sizes: ArrayLike | float, calibration: int | None
) -> tuple[NDArray[np.float64], NDArray[np.int64], int, float]:
    counts = _counts("defectives", defectives)
    n = per_point_sizes(sizes, counts.size)
    if np.any(counts > n):
        bad = int(np.flatnonzero(counts > n)[0])
        raise InputError("defectives", f"sample {bad + 1} has more defectives than its size")
    phase_one = phase_one_count(calibration, counts.size)
    p_bar = float(np.sum(counts[:phase_one]) / np.sum(n[:phase_one]))
    if not 0.0 < p_bar < 1.0:
        raise InputError(
            "defectives", f"the phase-I fraction defective is {p_bar}; limits need 0 < p̄ < 1"
        )
    return counts, n, phase_one, p_bar


def p_chart(
    defectives: ArrayLike,
    sizes: ArrayLike | float,
    *,
    calibration: int | None = None,
    rules: RuleSet = RuleSet.WE,
) -> ControlChart:
    """Fraction-nonconforming chart with variable sample sizes.

    p̄ = ΣD/Σn over phase I; limits p̄ ± 3√(p̄(1−p̄)/nᵢ), clamped to [0, 1].

    Parameters
    ----------
    defectives
        Nonconforming units per sample [count].
    sizes
        Units inspected per sample, one per sample or one for all [count].
    calibration
        Number of leading samples forming phase I.
    rules
        Run rules (zones in per-sample standard errors).

    Returns
    -------
    ControlChart
        ``type`` ``p``.

    Raises
    ------
    InputError
        If counts are negative or not whole, exceed the sample size, or p̄ is 0 or 1.

    References
    ----------
    .. [1] Montgomery §7.2; qcc ``stats.p`` / ``limits.p``.
    """
    counts, n, phase_one, p_bar = _proportion(defectives, sizes, calibration)
    unit = math.sqrt(p_bar * (1.0 - p_bar))
    return _attribute_chart(
        ChartType.P,
        counts / n,
        constant(counts.size, p_bar),
        unit / np.sqrt(n),
        n,
        phase_one,
        unit,
        rules,
        1.0,
    )


def np_chart(
    defectives: ArrayLike,
    sizes: ArrayLike | float,
    *,
    calibration: int | None = None,
    rules: RuleSet = RuleSet.WE,
) -> ControlChart:
    """Number-nonconforming chart: centre nᵢp̄, limits nᵢp̄ ± 3√(nᵢp̄(1−p̄)), LCL ≥ 0.

    Parameters
    ----------
    defectives
        Nonconforming units per sample [count].
    sizes
        Units inspected per sample [count].
    calibration
        Number of leading samples forming phase I.
    rules
        Run rules.

    Returns
    -------
    ControlChart
        ``type`` ``np``.

    Raises
    ------
    InputError
        As :func:`p_chart`.

    References
    ----------
    .. [1] Montgomery §7.2.1; qcc ``stats.np`` / ``limits.np``.
    """
    counts, n, phase_one, p_bar = _proportion(defectives, sizes, calibration)
    unit = math.sqrt(p_bar * (1.0 - p_bar))
    return _attribute_chart(
        ChartType.NP,
        counts,
        (n * p_bar).astype(np.float64),
        unit * np.sqrt(n),
        n,
        phase_one,
        unit,
        rules,
        math.inf,
    )


def c_chart(
    nonconformities: ArrayLike,
    *,
    calibration: int | None = None,
    rules: RuleSet = RuleSet.WE,
) -> ControlChart:
    """Nonconformities chart for a constant inspection unit: c̄ ± 3√c̄, LCL ≥ 0.

    Parameters
    ----------
    nonconformities
        Nonconformities per inspection unit [count].
    calibration
        Number of leading samples forming phase I.
    rules
        Run rules.

    Returns
    -------
    ControlChart
        ``type`` ``c``.

    Raises
    ------
    InputError
        If counts are negative or not whole, or c̄ is 0.

    References
    ----------
    .. [1] Montgomery §7.3.1; qcc ``stats.c`` / ``limits.c``.
    """
    counts = _counts("nonconformities", nonconformities)
    phase_one = phase_one_count(calibration, counts.size)
    c_bar = float(np.mean(counts[:phase_one]))
    if c_bar <= 0:
        raise InputError("nonconformities", "the phase-I average is 0; limits need c̄ > 0")
    unit = math.sqrt(c_bar)
    ones = unit_sizes(counts.size)
    return _attribute_chart(
        ChartType.C,
        counts,
        constant(counts.size, c_bar),
        constant(counts.size, unit),
        ones,
        phase_one,
        unit,
        rules,
        math.inf,
    )


def u_chart(
    nonconformities: ArrayLike,
    sizes: ArrayLike | float,
    *,
    calibration: int | None = None,
    rules: RuleSet = RuleSet.WE,
) -> ControlChart:
    """Nonconformities-per-unit chart with variable sizes: ū ± 3√(ū/nᵢ), LCL ≥ 0.

    Parameters
    ----------
    nonconformities
        Nonconformities per sample [count].
    sizes
        Inspection units per sample, one per sample or one for all [count].
    calibration
        Number of leading samples forming phase I.
    rules
        Run rules (zones in per-sample standard errors).

    Returns
    -------
    ControlChart
        ``type`` ``u``.

    Raises
    ------
    InputError
        If counts are negative or not whole, sizes are not whole numbers ≥ 1, or ū is 0.

    References
    ----------
    .. [1] Montgomery §7.3.1; qcc ``stats.u`` / ``limits.u``.
    """
    counts = _counts("nonconformities", nonconformities)
    n = per_point_sizes(sizes, counts.size)
    phase_one = phase_one_count(calibration, counts.size)
    u_bar = float(np.sum(counts[:phase_one]) / np.sum(n[:phase_one]))
    if u_bar <= 0:
        raise InputError("nonconformities", "the phase-I rate is 0; limits need ū > 0")
    unit = math.sqrt(u_bar)
    return _attribute_chart(
        ChartType.U,
        counts / n,
        constant(counts.size, u_bar),
        unit / np.sqrt(n),
        n,
        phase_one,
        unit,
        rules,
        math.inf,
    )
