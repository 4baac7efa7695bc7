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
--json`` and of an assessment's ``batch``: ``{"characteristics": [{"name", "n", "mean",
"sigma_within", "sigma_overall", "cp", "cpk", "pp", "ppk", "cp_ci", "cpk_ci", "charts":
[{"type", "center", "lcl", "ucl", "sigma", "calibration", "violations": [{"rule",
"index"}]}], "drift", "verdict", "unit", "spec", "capability", "stable", "capable",
"ppap"}], "source", "first_pass_yield", "parts", "rules", "calibration"}``. It reads
back as the model (a stored assessment is read back so); only what grows with the
measurements — the values themselves and the plotted per-point series — stays out of it
and is ``None`` on a result read back.

References
----------
.. [1] Seed 002 ("low volume is about batch consistency"); seed 003 (tool wear, offsets);
   seed 004 (supplier capability in the readiness gate).
.. [2] AIAG, *Statistical Process Control (SPC)* reference manual, 2nd ed., 2005.
.. [3] AIAG, *Production Part Approval Process*, 4th ed., 2006, §2.2.11.3.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TextIO

import numpy as np
from numpy.typing import NDArray
from pydantic import ConfigDict, Field

from rampwise.core.errors import InputError
from rampwise.core.vocabulary import Vocabulary
from rampwise.quality.capability import (
    Capability,
    PpapStatus,
    SpecLimits,
    TargetBasis,
    Transform,
    WithinSigma,
    is_capable,
    ppap_status,
    process_capability,
)
from rampwise.quality.charts import (
    ControlChart,
    VariablesChart,
    default_chart,
    sigma_from_ranges,
    sigma_from_std_devs,
    subgroup_statistics,
    variables_charts,
)
from rampwise.quality.constants import ConstantsConvention, d2_for
from rampwise.quality.drift import Drift, detect_drift
from rampwise.quality.measurements import CharacteristicData, MeasurementSet, MissingValue
from rampwise.quality.rules import RuleSet, Violations
from rampwise.quality.series import (
    CHUNK,
    ComparedByJson,
    FloatSeries,
    blocks,
    mean_abs_diff,
    mean_and_std,
    unit_sizes,
)
from rampwise.quality.shift_charts import cusum_chart, ewma_chart

if TYPE_CHECKING:  # pyarrow is imported on the first read, not with the module
    import pyarrow as pa


class Verdict(Vocabulary):
    """Batch verdict of one characteristic.

    Capability is judged against specification limits (AIAG SPC manual: the indices
    compare the process spread with the tolerance), so a characteristic measured without
    limits is only called stable or unstable, never "not capable".
    """

    BOTH = (
        "both",
        "Stable and capable",
        "Every chart in control and Cpk at or above the required figure.",
    )
    STABLE = (
        "stable",
        "Stable, not capable",
        "Every chart in control, but Cpk below the required figure: spread or centring "
        "must improve.",
    )
    CAPABLE = (
        "capable",
        "Capable, not stable",
        "Cpk meets the figure, but a chart signals a special cause: the process is not "
        "predictable.",
    )
    NEITHER = (
        "neither",
        "Neither stable nor capable",
        "A chart signals a special cause and Cpk is below the required figure.",
    )
    STABLE_NO_LIMITS = (
        "stable_no_limits",
        "Stable (no limits)",
        "Every chart in control; no specification limits, so capability is not judged.",
    )
    UNSTABLE_NO_LIMITS = (
        "unstable_no_limits",
        "Not stable (no limits)",
        "A chart signals a special cause; no specification limits, so capability is not judged.",
    )

    @property
    def words(self) -> str:
        """The verdict as a reader is told it (the :attr:`phrase`): ``"capable, not stable"``."""
        return self.phrase


class CharacteristicResult(ComparedByJson):
    """Charts, capability, drift and verdict of one characteristic.

    Its JSON holds every attribute but ``data`` and ``capability_values``, which grow with
    the measurements: a result read back from its JSON has ``None`` for both (and its
    charts no series), and compares equal to the one it was stored from.

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
        Unit of the values and limits.
    spec
        Specification limits, when known.
    capability
        Full capability: one-sided indices, Cpm, intervals, ppm, normality, Box-Cox.
    stable
        No chart point violates a rule (what the readiness gate reads).
    capable
        Cpk ≥ the catalog threshold; ``None`` without limits.
    ppap
        AIAG PPAP initial-study status from Ppk; ``None`` without limits.
    data
        The measurements themselves (for plots); ``None`` once read back from JSON.
    capability_values
        The values the statistics describe (phase I), in chart order [unit]; ``None``
        once read back from JSON.
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
    unit: str
    spec: SpecLimits | None
    capability: Capability | None
    stable: bool
    capable: bool | None
    ppap: PpapStatus | None
    data: CharacteristicData | None = Field(default=None, exclude=True)
    capability_values: FloatSeries | None = Field(default=None, exclude=True)

    @property
    def missing(self) -> tuple[MissingValue, ...]:
        """Values absent from the file, as reported by the reader (none once read back)."""
        return () if self.data is None else self.data.missing


class BatchResult(ComparedByJson):
    """The batch-quality result of one measurement file.

    ``model_dump_json()`` is the JSON contract (``rampwise capability --json``, the
    ``batch`` of an assessment): every attribute below, so the JSON reads back as the
    model (``model_validate``) and the readiness gate reads the same from either. Only
    the series that grow with the measurements stay out (see
    :class:`CharacteristicResult`).

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
    source: str
    first_pass_yield: float | None
    parts: int
    rules: RuleSet
    calibration: int | None

    def write_json(self, stream: TextIO) -> None:
        """Write ``model_dump_json()`` to ``stream`` with the violation lists streamed.

        Everything but the charts' ``violations`` is small whatever the batch size; those
        lists grow with the flagged points (about 1.6 % of an in-control series under the
        Western Electric rules, more when a pattern persists). The result is dumped with
        empty lists, and each chart's list is written into its place from the stored
        runs, a block of points at a time: the same text, never one giant string.

        Parameters
        ----------
        stream
            Where to write, e.g. ``sys.stdout``.
        """
        charts = [chart for c in self.characteristics for chart in c.charts]
        hollow = self.model_copy(
            update={
                "characteristics": tuple(
                    c.model_copy(update={"charts": tuple(_hollow(chart) for chart in c.charts)})
                    for c in self.characteristics
                )
            }
        )
        # names and units are JSON strings, where a quote is escaped: the marker can
        # only be a chart's own empty list
        pieces = hollow.model_dump_json().split(f'"violations":{_NO_POINTS}')
        assert len(pieces) == len(charts) + 1
        stream.write(pieces[0])
        for chart, piece in zip(charts, pieces[1:], strict=True):
            stream.write('"violations":')
            chart.flags.write_json(stream)
            stream.write(piece)

    def cpk_by_characteristic(self) -> dict[str, float]:
        """Measured Cpk per characteristic name, for the readiness gate [unitless]."""
        return {c.name: c.cpk for c in self.characteristics if c.cpk is not None}


_NO_POINTS = "[]"


def _hollow(chart: ControlChart) -> ControlChart:
    """The chart without its flagged points (for :meth:`BatchResult.write_json`)."""
    fields = {name: getattr(chart, name) for name in type(chart).model_fields}
    return ControlChart.model_construct(**(fields | {"flags": Violations()}))


def _layout(
    data: CharacteristicData, chart: VariablesChart | None
) -> tuple[VariablesChart, NDArray[np.float64], NDArray[np.int64]]:
    """Chart kind and the values/sizes it plots (file order, one by one, for I-MR)."""
    values, sizes = data.grouped()
    kind = chart or default_chart(sizes)
    if kind is VariablesChart.IMR:
        return kind, np.asarray(data.values), unit_sizes(data.values.size)
    return kind, values, sizes


def _within_sigma_of(
    kind: VariablesChart,
    values: NDArray[np.float64],
    sizes: NDArray[np.int64],
    convention: ConstantsConvention,
) -> WithinSigma:
    """The chart's σ estimator of the phase-I ``values`` after a transformation.

    For I-MR the moving ranges of the transformed values are taken block by block, so
    the transformed series is never held whole.
    """

    def estimate(transform: Transform) -> float:
        if kind is VariablesChart.IMR:
            return mean_abs_diff(values, transform) / d2_for(2, convention)
        stats = subgroup_statistics(transform(values), sizes)
        if kind is VariablesChart.XBAR_S:
            return sigma_from_std_devs(stats.std_devs, stats.sizes)
        return sigma_from_ranges(stats.ranges, stats.sizes, convention)

    return estimate


def _drift_target(spec: SpecLimits | None, location: ControlChart) -> tuple[float, TargetBasis]:
    """What a tool offset aims at, and where that comes from.

    The spec's target (given, or mid-tolerance by default), else the location chart's
    centre line (a one-sided specification, or none).
    """
    if spec is not None and spec.target is not None:
        return spec.target, spec.target_basis or TargetBasis.GIVEN
    return location.center, TargetBasis.CHART_CENTRE


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
            points, center, sigma = location.plotted(), location.center, location.sigma
            statistic, phase_one = points.statistic, location.calibration
            charts += (
                ewma_chart(statistic, center, sigma, sizes=points.sizes, calibration=phase_one),
                cusum_chart(statistic, center, sigma, sizes=points.sizes, calibration=phase_one),
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
                sigma_within_of=_within_sigma_of(
                    kind, phase_one_values, sizes[: location.calibration], convention
                ),
            )
        target, basis = _drift_target(spec, location)
        drift = detect_drift(
            data.values,
            target=target,
            target_basis=basis,
            limits=_drift_limits(spec, location),
            parts=data.part_numbers(),
            tool_changes=data.tool_changes,
            horizon=horizon,
        )
    except InputError as err:
        field = f"characteristic {data.name!r}" + (f", {err.field}" if err.field else "")
        raise InputError(field, err.message) from None
    stable = all(c.in_control for c in charts)
    capable = None if capability is None else is_capable(capability.cpk.value)
    sigma_overall = (
        capability.sigma_overall if capability is not None else mean_and_std(phase_one_values)[1]
    )
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
    import pyarrow as pa
    import pyarrow.compute as pc

    judged = [data for data in characteristics if data.spec is not None]
    if not judged:
        return None, 0
    if len(judged) == 1 and judged[0].part_ids is None:
        # one characteristic numbered by position: every value is its own part
        data = judged[0]
        assert data.spec is not None
        inside = _conforming_count(data.values, data.spec)
        return inside / data.values.size, int(data.values.size)
    keys: list[pa.Array] = []
    failed: list[NDArray[np.bool_]] = []
    for data in judged:
        assert data.spec is not None
        if data.part_ids is None:
            ids = pc.binary_join_element_wise(
                "#", pa.array(data.ordinal_runs.expand()).cast(pa.string()), ""
            )
        else:
            ids = data.part_ids
        keys.append(ids)
        failed.append(~data.spec.conforming(np.asarray(data.values)))
    encoded = pc.dictionary_encode(pa.chunked_array(keys, pa.string()).combine_chunks())
    codes = encoded.indices.to_numpy(zero_copy_only=False)
    parts = len(encoded.dictionary)
    bad = np.bincount(codes, weights=np.concatenate(failed), minlength=parts)
    return float(np.mean(bad == 0)), parts


def _conforming_count(values: NDArray[np.float64], spec: SpecLimits) -> int:
    """Values within the limits, counted block by block."""
    return sum(
        int(np.count_nonzero(spec.conforming(values[start : start + CHUNK])))
        for start in blocks(values.size)
    )


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
