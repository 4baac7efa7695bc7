"""Batch consistency: measurements in, per-characteristic charts, capability and verdict.

The one orchestrator of the quality area (STYLE.md point 1): for each characteristic of a
:class:`~rampwise.quality.measurements.MeasurementSet` it draws the location and
dispersion charts (X̄-R for subgroups of 2–9, X̄-S from 10, I-MR for individuals, or the
chart asked for), applies the run rules over phase I and II, computes capability from
the calibration set (or all data), fits the tool-wear trend, and gives a verdict:
``both`` (stable and capable), ``stable``, ``capable`` or ``neither``; without
specification limits capability is not judged, and the verdict is ``stable_no_limits``
or ``unstable_no_limits``. Stable means no point of any chart violates a rule; capable
means Cpk ≥ the catalog threshold (1.33).
The batch's first-pass yield is the share of parts inside every specification.

``BatchResult.model_dump_json()`` is the JSON contract of ``rampwise capability
--json``: ``{"characteristics": [{"name", "n", "mean", "sigma_within",
"sigma_overall", "cp", "cpk", "pp", "ppk", "cp_ci", "cpk_ci", "charts": [{"type",
"center", "lcl", "ucl", "violations": [{"rule", "index"}]}], "drift", "verdict"}]}``.
Everything else on the models (capability details, normality, plotted series, the
first-pass yield) is excluded from that JSON and read as attributes.

References
----------
.. [1] Seed 002 ("low volume is about batch consistency"); seed 003 (tool wear, offsets);
   seed 004 (supplier capability in the readiness gate).
.. [2] AIAG, *Statistical Process Control (SPC)* reference manual, 2nd ed., 2005.
.. [3] AIAG, *Production Part Approval Process*, 4th ed., 2006, §2.2.11.3.
"""

from __future__ import annotations

import enum
from collections.abc import Callable

import numpy as np
from numpy.typing import NDArray
from pydantic import BaseModel, ConfigDict, Field

from rampwise.core.errors import InputError
from rampwise.quality.capability import (
    Capability,
    PpapStatus,
    SpecLimits,
    is_capable,
    ppap_status,
    process_capability,
)
from rampwise.quality.charts import (
    ControlChart,
    VariablesChart,
    default_chart,
    sigma_from_moving_ranges,
    sigma_from_ranges,
    sigma_from_std_devs,
    subgroup_statistics,
    variables_charts,
)
from rampwise.quality.constants import ConstantsConvention
from rampwise.quality.drift import Drift, detect_drift, part_numbers
from rampwise.quality.measurements import CharacteristicData, MeasurementSet, MissingValue
from rampwise.quality.rules import RuleSet
from rampwise.quality.series import FloatSeries
from rampwise.quality.shift_charts import cusum_chart, ewma_chart


class Verdict(enum.StrEnum):
    """Batch verdict of one characteristic.

    Capability is judged against specification limits (AIAG SPC manual: the indices
    compare the process spread with the tolerance), so a characteristic measured without
    limits is only called stable or unstable, never "not capable".
    """

    BOTH = "both"
    STABLE = "stable"
    CAPABLE = "capable"
    NEITHER = "neither"
    STABLE_NO_LIMITS = "stable_no_limits"
    UNSTABLE_NO_LIMITS = "unstable_no_limits"

    @property
    def words(self) -> str:
        """The verdict as a reader is told it: ``"capable, not stable"``."""
        return _VERDICT_WORDS[self]


_VERDICT_WORDS = {
    Verdict.BOTH: "stable and capable",
    Verdict.STABLE: "stable, not capable",
    Verdict.CAPABLE: "capable, not stable",
    Verdict.NEITHER: "neither stable nor capable",
    Verdict.STABLE_NO_LIMITS: "stable (no limits)",
    Verdict.UNSTABLE_NO_LIMITS: "not stable (no limits)",
}


class CharacteristicResult(BaseModel):
    """Charts, capability, drift and verdict of one characteristic.

    Attributes
    ----------
    name
        Characteristic name as in the measurement file (a project characteristic's
        ``id`` or ``name``).
    n
        Values the statistics describe (the calibration set with ``--calibration``).
    mean
        Process centre [unit].
    sigma_within, sigma_overall
        Within σ from the chart and overall sample σ [unit].
    cp, cpk, pp, ppk
        Normal-theory indices [unitless]; ``None`` without specification limits (``cp``
        and ``pp`` also for a one-sided specification).
    cp_ci, cpk_ci
        Confidence intervals (95 % by default) of Cp and Cpk [unitless].
    charts
        Location and dispersion charts (plus EWMA and CUSUM when asked for).
    drift
        Trend of the current tool segment and offset suggestion, ``None`` with fewer than
        5 values since the last tool change.
    verdict
        ``both``, ``stable``, ``capable`` or ``neither``; ``stable_no_limits`` or
        ``unstable_no_limits`` without specification limits.
    unit
        Unit of the values and limits (excluded from the JSON contract, as are the
        attributes below).
    spec
        Specification limits, when known.
    capability
        Full capability: one-sided indices, Cpm, intervals, ppm, normality, Box-Cox.
    stable
        No chart point violates a rule.
    capable
        Cpk ≥ the catalog threshold; ``None`` without limits.
    ppap
        AIAG PPAP initial-study status from Ppk; ``None`` without limits.
    data
        The measurements themselves (for plots).
    capability_values
        The values the statistics describe (phase I), in chart order [unit].
    """

    model_config = ConfigDict(frozen=True)

    name: str
    n: int
    mean: float
    sigma_within: float
    sigma_overall: float
    cp: float | None
    cpk: float | None
    pp: float | None
    ppk: float | None
    cp_ci: tuple[float, float] | None
    cpk_ci: tuple[float, float] | None
    charts: tuple[ControlChart, ...]
    drift: Drift | None
    verdict: Verdict
    unit: str = Field(exclude=True)
    spec: SpecLimits | None = Field(exclude=True)
    capability: Capability | None = Field(exclude=True)
    stable: bool = Field(exclude=True)
    capable: bool | None = Field(exclude=True)
    ppap: PpapStatus | None = Field(exclude=True)
    data: CharacteristicData = Field(exclude=True)
    capability_values: FloatSeries = Field(exclude=True)

    @property
    def missing(self) -> tuple[MissingValue, ...]:
        """Values absent from the file, as reported by the reader."""
        return self.data.missing


class BatchResult(BaseModel):
    """The batch-quality result of one measurement file.

    ``model_dump_json()`` prints exactly ``{"characteristics": [...]}`` (the issue's
    JSON contract); the attributes below it are read by the readiness gate and reports.

    Attributes
    ----------
    characteristics
        One result per characteristic, in file order.
    source
        File the measurements came from.
    first_pass_yield
        Share of parts inside every specification limit [unitless], ``None`` when no
        characteristic has limits.
    parts
        Distinct parts judged for the first-pass yield [unitless].
    rules
        Run-rule family applied.
    calibration
        Phase-I point count, ``None`` when limits come from all data.
    """

    model_config = ConfigDict(frozen=True)

    characteristics: tuple[CharacteristicResult, ...]
    source: str = Field(exclude=True)
    first_pass_yield: float | None = Field(exclude=True)
    parts: int = Field(exclude=True)
    rules: RuleSet = Field(exclude=True)
    calibration: int | None = Field(exclude=True)

    def cpk_by_characteristic(self) -> dict[str, float]:
        """Measured Cpk per characteristic name, for the readiness gate [unitless]."""
        return {c.name: c.cpk for c in self.characteristics if c.cpk is not None}


def _layout(
    data: CharacteristicData, chart: VariablesChart | None
) -> tuple[VariablesChart, NDArray[np.float64], NDArray[np.int64]]:
    """Chart kind and the values/sizes it plots (file order, one by one, for I-MR)."""
    if data.subgrouped:
        values, sizes = data.grouped()
    else:
        values, sizes = np.asarray(data.values), np.ones(data.values.size, dtype=np.int64)
    kind = chart or default_chart(sizes)
    if kind is VariablesChart.IMR:
        return kind, np.asarray(data.values), np.ones(data.values.size, dtype=np.int64)
    return kind, values, sizes


def _within_sigma_of(
    kind: VariablesChart, sizes: NDArray[np.int64], convention: ConstantsConvention
) -> Callable[[NDArray[np.float64]], float]:
    """The chart's σ estimator, for re-estimating σ on transformed phase-I values."""

    def estimate(values: NDArray[np.float64]) -> float:
        if kind is VariablesChart.IMR:
            return sigma_from_moving_ranges(values, convention)
        stats = subgroup_statistics(values, sizes)
        if kind is VariablesChart.XBAR_S:
            return sigma_from_std_devs(stats.std_devs, stats.sizes)
        return sigma_from_ranges(stats.ranges, stats.sizes, convention)

    return estimate


def _drift_limits(spec: SpecLimits | None, location: ControlChart) -> dict[str, float]:
    limits = {"ucl": location.ucl, "lcl": location.lcl}
    if spec is not None:
        if spec.usl is not None:
            limits["usl"] = spec.usl
        if spec.lsl is not None:
            limits["lsl"] = spec.lsl
    return limits


def _verdict(stable: bool, capable: bool | None) -> Verdict:
    if capable is None:
        return Verdict.STABLE_NO_LIMITS if stable else Verdict.UNSTABLE_NO_LIMITS
    if stable and capable:
        return Verdict.BOTH
    if stable:
        return Verdict.STABLE
    return Verdict.CAPABLE if capable else Verdict.NEITHER


def analyze_characteristic(
    data: CharacteristicData,
    *,
    chart: VariablesChart | None = None,
    calibration: int | None = None,
    rules: RuleSet = RuleSet.WE,
    horizon: int = 10,
    small_shift: bool = False,
    confidence: float = 0.95,
    convention: ConstantsConvention = ConstantsConvention.PUBLISHED,
) -> CharacteristicResult:
    """Charts, capability, drift and verdict of one characteristic.

    Parameters
    ----------
    data
        The characteristic's measurements (with limits, when known).
    chart
        Chart pair; ``None`` picks X̄-R, X̄-S or I-MR from the subgroup sizes.
    calibration
        Leading points (subgroups, or individuals for I-MR) forming phase I: the limits
        *and* the capability come from them, the rest is monitored against them.
    rules
        Run-rule family for the location chart.
    horizon
        Parts ahead the drift projection looks [parts].
    small_shift
        Add EWMA and CUSUM charts of the location statistic.
    confidence
        Confidence level of the capability intervals [unitless].
    convention
        Which d2 the range-based σ estimates divide by.

    Returns
    -------
    CharacteristicResult
        Everything the JSON contract, the gate and the report need.

    Raises
    ------
    InputError
        Naming the characteristic and what is wrong (too few points, a subgroup of one
        for an R chart, zero spread, an invalid calibration count).
    """
    try:
        kind, values, sizes = _layout(data, chart)
        location, dispersion = variables_charts(
            values, sizes, kind, calibration=calibration, rules=rules, convention=convention
        )
        charts: tuple[ControlChart, ...] = (location, dispersion)
        if small_shift:
            statistic, center, sigma = location.statistic, location.center, location.sigma
            charts += (
                ewma_chart(
                    statistic, center, sigma, sizes=location.sizes, calibration=location.calibration
                ),
                cusum_chart(
                    statistic, center, sigma, sizes=location.sizes, calibration=location.calibration
                ),
            )
        phase_one_values = values[: int(np.sum(sizes[: location.calibration]))]
        spec = data.spec
        capability = None
        if spec is not None:
            capability = process_capability(
                phase_one_values,
                spec,
                sigma_within=location.sigma,
                mean=location.center,
                confidence=confidence,
                sigma_within_of=_within_sigma_of(kind, sizes[: location.calibration], convention),
            )
        target = spec.target if spec is not None and spec.target is not None else location.center
        drift = detect_drift(
            data.values,
            target=target,
            limits=_drift_limits(spec, location),
            parts=part_numbers(data.parts),
            tool_changes=data.tool_changes,
            horizon=horizon,
        )
    except InputError as err:
        field = f"characteristic {data.name!r}" + (f", {err.field}" if err.field else "")
        raise InputError(field, err.message) from None
    stable = all(c.in_control for c in charts)
    capable = None if capability is None else is_capable(capability.cpk.value)
    sigma_overall = float(np.std(phase_one_values, ddof=1))
    return CharacteristicResult(
        name=data.name,
        n=int(phase_one_values.size),
        mean=location.center,
        sigma_within=location.sigma,
        sigma_overall=sigma_overall,
        cp=None if capability is None or capability.cp is None else capability.cp.value,
        cpk=None if capability is None else capability.cpk.value,
        pp=None if capability is None or capability.pp is None else capability.pp.value,
        ppk=None if capability is None else capability.ppk.value,
        cp_ci=None
        if capability is None or capability.cp is None
        else (capability.cp.lower, capability.cp.upper),
        cpk_ci=None if capability is None else (capability.cpk.lower, capability.cpk.upper),
        charts=charts,
        drift=drift,
        verdict=_verdict(stable, capable),
        unit=data.unit,
        spec=spec,
        capability=capability,
        stable=stable,
        capable=capable,
        ppap=None if capability is None else ppap_status(capability.ppk.value),
        data=data,
        capability_values=phase_one_values,
    )


def first_pass_yield(characteristics: tuple[CharacteristicData, ...]) -> tuple[float | None, int]:
    """Share of parts whose every measured value lies within its limits.

    Parts are matched across characteristics by their part id (the ``part`` column, the
    row in a wide file, the position in a long file, the QIF result).

    Parameters
    ----------
    characteristics
        Measured characteristics; those without limits are ignored.

    Returns
    -------
    tuple
        ``(yield, parts)``: the yield [unitless] (``None`` if no characteristic has
        limits) and the number of parts judged.
    """
    passed: dict[str, bool] = {}
    for data in characteristics:
        if data.spec is None:
            continue
        inside = data.spec.conforming(np.asarray(data.values))
        for part, ok in zip(data.parts, inside.tolist(), strict=True):
            passed[part] = passed.get(part, True) and bool(ok)
    if not passed:
        return None, 0
    return sum(passed.values()) / len(passed), len(passed)


def analyze_batch(
    measurements: MeasurementSet,
    *,
    chart: VariablesChart | None = None,
    calibration: int | None = None,
    rules: RuleSet = RuleSet.WE,
    horizon: int = 10,
    small_shift: bool = False,
    confidence: float = 0.95,
) -> BatchResult:
    """Batch consistency of every characteristic in a measurement set.

    Parameters
    ----------
    measurements
        What :func:`~rampwise.quality.measurements.load_measurements` read.
    chart
        Chart pair for every characteristic; ``None`` picks per subgroup sizes.
    calibration
        Phase-I point count (limits and capability from it), ``None`` for all data.
    rules
        ``we`` (Western Electric 1–4) or ``nelson`` (Nelson 1–8).
    horizon
        Parts ahead the drift projection looks [parts].
    small_shift
        Add EWMA and CUSUM charts.
    confidence
        Confidence level of the capability intervals [unitless].

    Returns
    -------
    BatchResult
        Per-characteristic results, the first-pass yield and the settings used.

    Raises
    ------
    InputError
        For the first characteristic that cannot be analysed, naming it.
    """
    results = tuple(
        analyze_characteristic(
            data,
            chart=chart,
            calibration=calibration,
            rules=rules,
            horizon=horizon,
            small_shift=small_shift,
            confidence=confidence,
        )
        for data in measurements.characteristics
    )
    fpy, parts = first_pass_yield(measurements.characteristics)
    return BatchResult(
        characteristics=results,
        source=measurements.source,
        first_pass_yield=fpy,
        parts=parts,
        rules=rules,
        calibration=calibration,
    )
