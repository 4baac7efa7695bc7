"""Shewhart, EWMA, CUSUM and attribute control charts with phase I / phase II.

Limits come from a calibration set — the first ``calibration`` plotted points (phase I) —
and the whole series, phase I and phase II together, is plotted and checked against
those frozen limits, as R's qcc does with ``newdata``. Without a calibration count the
limits come from all points.

σ estimators (AIAG SPC 2nd ed.; qcc ``sd.xbar`` / ``sd.xbar.one``):

* X̄-R: R̄/d2, with unequal subgroup sizes the unbiased weighted average of Rᵢ/d2(nᵢ)
  with weights (d2/d3)² (qcc ``UWAVE-R``);
* X̄-S: s̄/c4, with unequal sizes weighted by c4²/(1 − c4²) (qcc ``UWAVE-SD``);
* I-MR: MR̄/d2(2), the average moving range of consecutive individuals.

Every computation is O(n) over the points (``reduceat``, cumulative sums, a linear
filter); lower control limits of non-negative statistics are clamped at zero.

References
----------
.. [1] Montgomery, D.C. *Introduction to Statistical Quality Control*, 7th ed., Wiley,
   ch. 6 (X̄-R, X̄-S, individuals), ch. 7 (p, np, c, u), ch. 9 (CUSUM, EWMA).
.. [2] AIAG, *Statistical Process Control (SPC)* reference manual, 2nd ed., 2005.
.. [3] Scrucca, L. qcc 3.0 (github.com/luca-scr/qcc): ``R/qcc.R``, ``R/stats.xbar.R``,
   ``R/cusum.R``, ``R/ewma.R``.
.. [4] Burr, I.W. (1969). Control charts for measurements with varying sample sizes.
   *Journal of Quality Technology* 1(3), 163–167 (weighted σ from unequal subgroups).
.. [5] NIST/SEMATECH e-Handbook of Statistical Methods, 6.3.2 (individuals chart).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from functools import cached_property
from typing import Any, NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray
from pydantic import BaseModel, ConfigDict, Field, computed_field, model_validator

from rampwise.core.errors import InputError
from rampwise.core.vocabulary import Vocabulary
from rampwise.quality.constants import ConstantsConvention, c4, d2_for, d3
from rampwise.quality.rules import (
    RuleSet,
    Violation,
    Violations,
    beyond_limit_violations,
    location_violations,
)
from rampwise.quality.series import (
    ComparedByJson,
    FloatSeries,
    IntSeries,
    constant,
    finite_array,
    frozen,
    mean_abs_diff,
    unit_sizes,
)

NSIGMAS = 3.0
"""Width of Shewhart limits in standard errors (Shewhart; AIAG SPC)."""


class ChartType(Vocabulary):
    """The plotted statistic of a chart; the label titles the chart in a report."""

    XBAR = (
        "xbar",
        "X̄ chart (subgroup means)",
        "Subgroup means: where the process is centred, and whether it moves.",
    )
    R = (
        "r",
        "R chart (subgroup ranges)",
        "Subgroup ranges: the spread within subgroups of up to about 10.",
    )
    S = (
        "s",
        "S chart (subgroup standard deviations)",
        "Subgroup standard deviations: the spread within larger subgroups.",
    )
    I = (  # noqa: E741 - the chart is called "I" (individuals) everywhere
        "i",
        "Individuals chart",
        "Single measurements, one per subgroup, with limits from the moving range.",
    )
    MR = (
        "mr",
        "Moving-range chart",
        "Ranges of consecutive individuals: the short-term spread.",
    )
    EWMA = (
        "ewma",
        "EWMA chart",
        "Exponentially weighted moving average: small sustained shifts of the mean.",
    )
    CUSUM = (
        "cusum",
        "CUSUM chart",
        "Cumulative sums of deviations from target, in standard errors: small sustained shifts.",
    )
    P = "p", "p chart (fraction nonconforming)", "Fraction of nonconforming items per sample."
    NP = (
        "np",
        "np chart (number nonconforming)",
        "Number of nonconforming items per sample of constant size.",
    )
    C = (
        "c",
        "c chart (nonconformities)",
        "Nonconformities per inspection unit of constant size.",
    )
    U = (
        "u",
        "u chart (nonconformities per unit)",
        "Nonconformities per unit, for samples of varying size.",
    )


class VariablesChart(Vocabulary):
    """A location/dispersion pair for measured values (the CLI's ``--chart``)."""

    XBAR_R = "xbar-r", "X̄ and R charts", "Means and ranges: subgroups of 2 to about 10."
    XBAR_S = "xbar-s", "X̄ and S charts", "Means and standard deviations: larger subgroups."
    IMR = (
        "imr",
        "Individuals and moving-range charts",
        "One measurement per subgroup.",
    )


class PlottedSeries(NamedTuple):
    """The per-point series of a chart, as plotted (see :class:`ControlChart`)."""

    statistic: NDArray[np.float64]
    statistic_lower: NDArray[np.float64] | None
    center_line: NDArray[np.float64]
    lower: NDArray[np.float64]
    upper: NDArray[np.float64]
    sizes: NDArray[np.int64]


class ControlChart(ComparedByJson):
    """One control chart: limits, violations, and the plotted series.

    ``model_dump_json()`` gives the JSON ``{type, center, lcl, ucl, sigma, calibration,
    violations}``; the per-point series are kept out of it (they grow with the data), so
    a chart read back from its JSON has ``None`` for each of them and its ``flags`` are
    rebuilt from ``violations``. Charts compare by that JSON (:class:`ComparedByJson`).

    Attributes
    ----------
    type
        The plotted statistic.
    center
        Centre line [unit of the statistic] (at the most common subgroup size when the
        centre varies with it, as for R, S and np charts).
    lcl, ucl
        Control limits [unit of the statistic] at the most common subgroup size; the
        lower one clamped at 0 for non-negative statistics.
    sigma
        Process σ the limits were built from [unit of the characteristic]; for attribute
        charts the standard error of one unit (√(p̄(1−p̄)), √c̄, √ū).
    calibration
        Number of leading points that formed phase I [unitless].
    violations
        Flagged points with rule id and 1-based index (computed from ``flags``).
    flags
        The same flagged points, stored column-wise.
    statistic
        Plotted value per point; for ``mr`` the first point is NaN (no predecessor).
        ``None`` on a chart read back from JSON, as are the series below.
    statistic_lower
        For ``cusum`` only: the lower cumulative sum per point (the upper is
        ``statistic``).
    center_line, lower, upper
        Centre and limits per point.
    sizes
        Subgroup size per point [unitless].
    """

    model_config = ConfigDict(frozen=True)

    type: ChartType
    center: float
    lcl: float
    ucl: float
    sigma: float
    calibration: int
    flags: Violations = Field(exclude=True)
    statistic: FloatSeries | None = Field(default=None, exclude=True)
    statistic_lower: FloatSeries | None = Field(default=None, exclude=True)
    center_line: FloatSeries | None = Field(default=None, exclude=True)
    lower: FloatSeries | None = Field(default=None, exclude=True)
    upper: FloatSeries | None = Field(default=None, exclude=True)
    sizes: IntSeries | None = Field(default=None, exclude=True)

    @model_validator(mode="before")
    @classmethod
    def _flags_from_violations(cls, data: Any) -> Any:
        """A chart read back from its JSON: the flags are the violations it lists."""
        if isinstance(data, Mapping) and "flags" not in data and "violations" in data:
            rows = [v if isinstance(v, Mapping) else dict(v) for v in data["violations"]]
            data = {key: value for key, value in data.items() if key != "violations"}
            data["flags"] = Violations.from_points(
                (row["index"] for row in rows), (row["rule"] for row in rows)
            )
        return data

    @computed_field  # type: ignore[prop-decorator]
    @cached_property
    def violations(self) -> tuple[Violation, ...]:
        """Flagged points with rule id and 1-based index (built once, on first use)."""
        return self.flags.as_tuple()

    @property
    def in_control(self) -> bool:
        """True when no point violates a rule."""
        return self.flags.first.size == 0

    def plotted(self) -> PlottedSeries:
        """The per-point series, which only the run that computed the chart holds.

        Raises
        ------
        ValueError
            For a chart read back from its JSON, which holds no series.
        """
        statistic, center_line, lower, upper, sizes = (
            self.statistic,
            self.center_line,
            self.lower,
            self.upper,
            self.sizes,
        )
        if (
            statistic is None
            or center_line is None
            or lower is None
            or upper is None
            or sizes is None
        ):
            raise ValueError(f"the {self.type.value} chart was read back from JSON: no series")
        return PlottedSeries(statistic, self.statistic_lower, center_line, lower, upper, sizes)


# --------------------------------------------------------------------------------------
# Input checks
# --------------------------------------------------------------------------------------


def per_point_sizes(sizes: ArrayLike | float, points: int) -> NDArray[np.int64]:
    """Sizes as whole numbers ≥ 1, one per point (a scalar applies to every point)."""
    raw = np.broadcast_to(np.asarray(sizes, dtype=np.float64), (points,))
    if not np.all(np.isfinite(raw)) or np.any(raw <= 0) or np.any(raw != np.round(raw)):
        raise InputError("sizes", "must be whole numbers ≥ 1, one per sample or one for all")
    return raw.astype(np.int64)


def _sizes_array(sizes: ArrayLike, total: int) -> NDArray[np.int64]:
    raw = finite_array("sizes", sizes)
    if raw.size == 0 or np.any(raw < 1) or np.any(raw != np.round(raw)):
        raise InputError("sizes", "must be whole numbers ≥ 1, one per subgroup")
    counts = raw.astype(np.int64)
    if int(counts.sum()) != total:
        raise InputError("sizes", f"add up to {int(counts.sum())} but there are {total} values")
    return counts


def phase_one_count(calibration: int | None, points: int, minimum: int = 2) -> int:
    """Number of phase-I points: ``calibration`` checked against the series, or all."""
    if points < minimum:
        raise InputError("values", f"a chart needs at least {minimum} points; got {points}")
    if calibration is None:
        return points
    if isinstance(calibration, bool) or not isinstance(calibration, int):
        raise InputError("calibration", f"must be a whole number; got {calibration!r}")
    if not minimum <= calibration <= points:
        raise InputError(
            "calibration",
            f"must be between {minimum} and the number of points {points}; got {calibration}",
        )
    return calibration


def typical_index(sizes: NDArray[np.int64], phase_one: int) -> int:
    """Index of the first point with the most common phase-I subgroup size."""
    if sizes.strides == (0,):  # one size for every point (individuals): the first
        return 0
    common = int(np.argmax(np.bincount(sizes[:phase_one])))
    return int(np.argmax(sizes == common))


def build_chart(
    kind: ChartType,
    *,
    statistic: NDArray[np.float64],
    center_line: NDArray[np.float64],
    lower: NDArray[np.float64],
    upper: NDArray[np.float64],
    sizes: NDArray[np.int64],
    phase_one: int,
    sigma: float,
    violations: Violations,
    statistic_lower: NDArray[np.float64] | None = None,
    summary_limits: tuple[float, float] | None = None,
) -> ControlChart:
    """Assemble a :class:`ControlChart`; summary limits default to the typical point's."""
    typical = typical_index(sizes, phase_one)
    lcl, ucl = summary_limits or (float(lower[typical]), float(upper[typical]))
    return ControlChart(
        type=kind,
        center=float(center_line[typical]),
        lcl=lcl,
        ucl=ucl,
        flags=violations,
        sigma=sigma,
        statistic=statistic,
        statistic_lower=statistic_lower,
        center_line=center_line,
        lower=lower,
        upper=upper,
        sizes=sizes,
        calibration=phase_one,
    )


def _require_spread(sigma: float, what: str) -> float:
    if not math.isfinite(sigma) or sigma <= 0.0:
        raise InputError(
            "values",
            f"{what} is zero: every value in the calibration set is identical "
            "(check the gauge resolution)",
        )
    return sigma


# --------------------------------------------------------------------------------------
# Subgroup statistics and σ estimators
# --------------------------------------------------------------------------------------


class SubgroupStatistics(BaseModel):
    """Per-subgroup mean, range and standard deviation of contiguous subgroups.

    Attributes
    ----------
    sizes
        Values per subgroup [unitless].
    means, ranges, std_devs
        Mean, range (max − min) and sample standard deviation (ddof 1; NaN for a
        subgroup of one) per subgroup [unit of the characteristic].
    """

    model_config = ConfigDict(frozen=True)

    sizes: IntSeries
    means: FloatSeries
    ranges: FloatSeries
    std_devs: FloatSeries


def subgroup_statistics(values: ArrayLike, sizes: ArrayLike) -> SubgroupStatistics:
    """Mean, range and standard deviation of each contiguous subgroup, in O(n).

    Parameters
    ----------
    values
        Measured values, subgroup after subgroup [unit of the characteristic].
    sizes
        Number of values in each subgroup, in order [unitless].

    Returns
    -------
    SubgroupStatistics
        One entry per subgroup.

    Raises
    ------
    InputError
        If a value is not finite or the sizes do not partition the values.
    """
    data = finite_array("values", values)
    counts = _sizes_array(sizes, data.size)
    starts = np.concatenate(([0], np.cumsum(counts)[:-1]))
    means = np.add.reduceat(data, starts) / counts
    ranges = np.maximum.reduceat(data, starts) - np.minimum.reduceat(data, starts)
    deviations = data - np.repeat(means, counts)
    squares = np.add.reduceat(deviations * deviations, starts)
    with np.errstate(divide="ignore", invalid="ignore"):
        std_devs = np.where(counts > 1, np.sqrt(squares / (counts - 1)), np.nan)
    return SubgroupStatistics(sizes=counts, means=means, ranges=ranges, std_devs=std_devs)


def _require_pairs(counts: NDArray[np.int64], chart: str) -> None:
    singles = np.flatnonzero(counts < 2)
    if singles.size:
        raise InputError(
            f"subgroup {int(singles[0]) + 1}",
            f"has 1 value; an {chart} chart needs at least 2 values in every subgroup "
            "(use --chart imr for individual values)",
        )


def sigma_from_ranges(
    ranges: ArrayLike,
    sizes: ArrayLike,
    convention: ConstantsConvention = ConstantsConvention.PUBLISHED,
) -> float:
    """Within-subgroup σ from ranges: R̄/d2, weighted by (d2/d3)² for unequal sizes.

    Parameters
    ----------
    ranges
        Subgroup ranges [unit of the characteristic].
    sizes
        Subgroup sizes [unitless], each ≥ 2.
    convention
        Which d2 to divide by (published 3-decimal tables, or exact).

    Returns
    -------
    float
        σ̂ [unit of the characteristic].

    References
    ----------
    .. [1] AIAG SPC manual; Burr (1969); qcc ``sd.xbar`` method ``UWAVE-R``.
    """
    r = finite_array("ranges", ranges)
    n = np.asarray(sizes, dtype=np.int64)
    table = {int(k): (d2_for(int(k), convention), d3(int(k))) for k in np.unique(n)}
    mean_range = np.array([table[int(k)][0] for k in n])
    sd_range = np.array([table[int(k)][1] for k in n])
    weights = (mean_range / sd_range) ** 2
    return float(np.sum(weights * r / mean_range) / np.sum(weights))


def sigma_from_std_devs(std_devs: ArrayLike, sizes: ArrayLike) -> float:
    """Within-subgroup σ from standard deviations: s̄/c4, weighted by c4²/(1−c4²).

    Parameters
    ----------
    std_devs
        Subgroup sample standard deviations [unit of the characteristic].
    sizes
        Subgroup sizes [unitless], each ≥ 2.

    Returns
    -------
    float
        σ̂ [unit of the characteristic].

    References
    ----------
    .. [1] AIAG SPC manual; qcc ``sd.xbar`` method ``UWAVE-SD``.
    """
    s = finite_array("std_devs", std_devs)
    n = np.asarray(sizes, dtype=np.int64)
    table = {int(k): c4(int(k)) for k in np.unique(n)}
    bias = np.array([table[int(k)] for k in n])
    weights = bias**2 / (1.0 - bias**2)
    return float(np.sum(weights * s / bias) / np.sum(weights))


def sigma_from_moving_ranges(
    values: ArrayLike, convention: ConstantsConvention = ConstantsConvention.PUBLISHED
) -> float:
    """Within σ of individual values: average moving range of 2 divided by d2(2).

    Parameters
    ----------
    values
        Individual values in production order [unit of the characteristic], ≥ 2.
    convention
        Which d2 to divide by (1.128 published, or 2/√π exact).

    Returns
    -------
    float
        σ̂ = MR̄/d2(2) [unit of the characteristic].

    References
    ----------
    .. [1] NIST/SEMATECH e-Handbook 6.3.2.2; qcc ``sd.xbar.one`` method ``MR``.
    """
    data = finite_array("values", values)
    if data.size < 2:
        raise InputError("values", "a moving range needs at least 2 values")
    return mean_abs_diff(data) / d2_for(2, convention)


# --------------------------------------------------------------------------------------
# Variables charts
# --------------------------------------------------------------------------------------


def _xbar_chart(
    stats: SubgroupStatistics, sigma: float, phase_one: int, rules: RuleSet
) -> ControlChart:
    counts = stats.sizes
    means = stats.means
    center = float(np.sum(means[:phase_one] * counts[:phase_one]) / np.sum(counts[:phase_one]))
    std_error = sigma / np.sqrt(counts)
    lower = center - NSIGMAS * std_error
    upper = center + NSIGMAS * std_error
    violations = location_violations(means, center, std_error, rules, lower=lower, upper=upper)
    return build_chart(
        ChartType.XBAR,
        statistic=means,
        center_line=constant(means.size, center),
        lower=lower,
        upper=upper,
        sizes=counts,
        phase_one=phase_one,
        sigma=sigma,
        violations=violations,
    )


def xbar_r_charts(
    values: ArrayLike,
    sizes: ArrayLike,
    *,
    calibration: int | None = None,
    rules: RuleSet = RuleSet.WE,
    convention: ConstantsConvention = ConstantsConvention.PUBLISHED,
) -> tuple[ControlChart, ControlChart]:
    """X̄ and R charts of contiguous subgroups, σ̂ = R̄/d2 from phase I.

    Parameters
    ----------
    values
        Measured values, subgroup after subgroup [unit of the characteristic].
    sizes
        Values per subgroup [unitless], each ≥ 2.
    calibration
        Number of leading subgroups forming phase I; ``None`` uses all.
    rules
        Run rules for the X̄ chart (the R chart gets rule 1 only).
    convention
        Which d2 the σ estimate divides by.

    Returns
    -------
    tuple of ControlChart
        ``(xbar, r)``. R limits are d2σ̂ ± 3d3σ̂ (lower clamped at 0), as qcc computes
        them; for equal sizes the R centre is R̄.

    Raises
    ------
    InputError
        If a subgroup has fewer than 2 values, there are fewer than 2 subgroups, the
        calibration count is out of range, or every range in phase I is zero.

    References
    ----------
    .. [1] Montgomery ch. 6; qcc ``stats.R`` / ``limits.R``.
    """
    stats = subgroup_statistics(values, sizes)
    counts = stats.sizes
    _require_pairs(counts, "R")
    phase_one = phase_one_count(calibration, counts.size)
    sigma = _require_spread(
        sigma_from_ranges(stats.ranges[:phase_one], counts[:phase_one], convention),
        "the average range",
    )
    location = _xbar_chart(stats, sigma, phase_one, rules)
    table = {int(k): (d2_for(int(k), convention), d3(int(k))) for k in np.unique(counts)}
    center_line = np.array([table[int(k)][0] for k in counts]) * sigma
    spread = NSIGMAS * np.array([table[int(k)][1] for k in counts]) * sigma
    dispersion = _dispersion_chart(
        ChartType.R, stats.ranges, center_line, spread, counts, phase_one, sigma, rules
    )
    return location, dispersion


def _dispersion_chart(
    chart_type: ChartType,
    statistic: NDArray[np.float64],
    center_line: NDArray[np.float64],
    spread: NDArray[np.float64],
    counts: NDArray[np.int64],
    phase_one: int,
    sigma: float,
    rules: RuleSet,
) -> ControlChart:
    """An R or S chart: limits center ± spread, the lower one clamped at 0, rule 1 only."""
    lower = np.maximum(center_line - spread, 0.0)
    upper = center_line + spread
    return build_chart(
        chart_type,
        statistic=statistic,
        center_line=center_line,
        lower=lower,
        upper=upper,
        sizes=counts,
        phase_one=phase_one,
        sigma=sigma,
        violations=beyond_limit_violations(statistic, lower, upper, rules),
    )


def xbar_s_charts(
    values: ArrayLike,
    sizes: ArrayLike,
    *,
    calibration: int | None = None,
    rules: RuleSet = RuleSet.WE,
) -> tuple[ControlChart, ControlChart]:
    """X̄ and S charts of contiguous subgroups, σ̂ = s̄/c4 from phase I.

    Parameters
    ----------
    values
        Measured values, subgroup after subgroup [unit of the characteristic].
    sizes
        Values per subgroup [unitless], each ≥ 2.
    calibration
        Number of leading subgroups forming phase I; ``None`` uses all.
    rules
        Run rules for the X̄ chart (the S chart gets rule 1 only).

    Returns
    -------
    tuple of ControlChart
        ``(xbar, s)``; S limits c4σ̂ ± 3σ̂√(1−c4²), lower clamped at 0 (B5/B6 with σ̂).

    Raises
    ------
    InputError
        As :func:`xbar_r_charts`.

    References
    ----------
    .. [1] Montgomery ch. 6; qcc ``stats.S`` / ``limits.S``.
    """
    stats = subgroup_statistics(values, sizes)
    counts = stats.sizes
    _require_pairs(counts, "S")
    phase_one = phase_one_count(calibration, counts.size)
    sigma = _require_spread(
        sigma_from_std_devs(stats.std_devs[:phase_one], counts[:phase_one]),
        "the average standard deviation",
    )
    location = _xbar_chart(stats, sigma, phase_one, RuleSet(rules))
    bias = {int(k): c4(int(k)) for k in np.unique(counts)}
    c4_per_point = np.array([bias[int(k)] for k in counts])
    center_line = c4_per_point * sigma
    spread = NSIGMAS * sigma * np.sqrt(1.0 - c4_per_point**2)
    dispersion = _dispersion_chart(
        ChartType.S, stats.std_devs, center_line, spread, counts, phase_one, sigma, rules
    )
    return location, dispersion


def imr_charts(
    values: ArrayLike,
    *,
    calibration: int | None = None,
    rules: RuleSet = RuleSet.WE,
    convention: ConstantsConvention = ConstantsConvention.PUBLISHED,
) -> tuple[ControlChart, ControlChart]:
    """Individuals and moving-range charts, σ̂ = MR̄/d2(2) from phase I.

    Parameters
    ----------
    values
        Individual values in production order [unit of the characteristic].
    calibration
        Number of leading individuals forming phase I; ``None`` uses all.
    rules
        Run rules for the individuals chart (the MR chart gets rule 1 only).
    convention
        Which d2(2) the σ estimate divides by (1.128 as NIST prints it, by default).

    Returns
    -------
    tuple of ControlChart
        ``(i, mr)``. The moving range at point i is |xᵢ − xᵢ₋₁|, so MR violations carry
        the number of the later individual; point 1 has no moving range.

    Raises
    ------
    InputError
        If there are fewer than 2 values, the calibration count is out of range, or all
        phase-I values are identical.

    References
    ----------
    .. [1] NIST/SEMATECH e-Handbook 6.3.2.2; Montgomery §6.4; qcc ``xbar.one``.
    """
    data = finite_array("values", values)
    phase_one = phase_one_count(calibration, data.size)
    sigma = _require_spread(
        sigma_from_moving_ranges(data[:phase_one], convention), "the average moving range"
    )
    center = float(np.mean(data[:phase_one]))
    ones = unit_sizes(data.size)
    lower = constant(data.size, center - NSIGMAS * sigma)
    upper = constant(data.size, center + NSIGMAS * sigma)
    location = build_chart(
        ChartType.I,
        statistic=data,
        center_line=constant(data.size, center),
        lower=lower,
        upper=upper,
        sizes=ones,
        phase_one=phase_one,
        sigma=sigma,
        violations=location_violations(data, center, sigma, rules, lower=lower, upper=upper),
    )
    moving = np.empty_like(data)
    moving[0] = np.nan
    np.subtract(data[1:], data[:-1], out=moving[1:])
    np.abs(moving[1:], out=moving[1:])
    frozen(moving)
    mr_center = d2_for(2, convention) * sigma
    mr_upper = constant(data.size, mr_center + NSIGMAS * d3(2) * sigma)
    mr_lower = constant(data.size, max(mr_center - NSIGMAS * d3(2) * sigma, 0.0))
    dispersion = build_chart(
        ChartType.MR,
        statistic=moving,
        center_line=constant(data.size, mr_center),
        lower=mr_lower,
        upper=mr_upper,
        sizes=ones,
        phase_one=phase_one,
        sigma=sigma,
        violations=beyond_limit_violations(moving, mr_lower, mr_upper, rules),
    )
    return location, dispersion


def default_chart(sizes: ArrayLike) -> VariablesChart:
    """The chart pair the issue prescribes for a subgroup layout.

    I-MR when every subgroup holds one value, X̄-S when the largest subgroup has 10 or
    more values, X̄-R otherwise (subgroups of 2–9), following AIAG SPC and Montgomery §6.3.

    Parameters
    ----------
    sizes
        Values per subgroup [unitless].

    Returns
    -------
    VariablesChart
        ``imr``, ``xbar-s`` or ``xbar-r``.
    """
    counts = np.asarray(sizes, dtype=np.int64)
    largest = int(counts.max()) if counts.size else 1
    if largest == 1:
        return VariablesChart.IMR
    return VariablesChart.XBAR_S if largest >= 10 else VariablesChart.XBAR_R


def variables_charts(
    values: ArrayLike,
    sizes: ArrayLike,
    chart: VariablesChart | None = None,
    *,
    calibration: int | None = None,
    rules: RuleSet = RuleSet.WE,
    convention: ConstantsConvention = ConstantsConvention.PUBLISHED,
) -> tuple[ControlChart, ControlChart]:
    """The location and dispersion chart of one characteristic.

    Parameters
    ----------
    values
        Measured values, subgroup after subgroup [unit of the characteristic].
    sizes
        Values per subgroup [unitless].
    chart
        Pair to draw; ``None`` picks :func:`default_chart`. ``imr`` on subgrouped data
        takes the values one by one in the given order.
    calibration
        Number of leading points (subgroups, or individuals for ``imr``) forming phase I.
    rules
        Run rules for the location chart.
    convention
        Which d2 the range-based σ estimates divide by.

    Returns
    -------
    tuple of ControlChart
        ``(location, dispersion)``.
    """
    chosen = chart or default_chart(sizes)
    if chosen is VariablesChart.IMR:
        return imr_charts(values, calibration=calibration, rules=rules, convention=convention)
    if chosen is VariablesChart.XBAR_S:
        return xbar_s_charts(values, sizes, calibration=calibration, rules=rules)
    return xbar_r_charts(values, sizes, calibration=calibration, rules=rules, convention=convention)
