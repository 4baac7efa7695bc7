"""Tool wear and drift: a trend within the current tool segment, projected forward.

Seed 003 describes the low-volume reality: a tool-wear issue caught at part 14, and
"in-process metrology (probing every 5th part to auto-adjust offsets)". Wear shows as a
steady trend of the measured size between tool changes. This module fits a straight
line (least squares) to the values made with the current tool — the segment after the
last ``tool_change`` — tests the slope (two-sided t-test), and projects the fitted mean
over the next ``horizon`` parts. When the projection crosses a control or specification
limit within the horizon, it suggests a tool offset: size and sign re-centre the
process on the target at the next part to be made. The target is the one given, else
mid-tolerance (LSL + USL) / 2 — for an ISO 286 hole class such as H7 the nominal is the
lower limit, so aiming at the nominal would push the size toward scrap — else, for a
one-sided specification, the chart's centre line; the result says which it used.

All work is O(n) in the segment length, in blocks: memory does not grow with it.

References
----------
.. [1] Seed 003 (tool wear at part 14; offsets adjusted from in-process probing).
.. [2] Montgomery, D.C. *Introduction to Statistical Quality Control*, 7th ed., §5.3.4
   (trends on control charts, tool wear) and §4.2 (regression slope t-test).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np
from numpy.typing import ArrayLike, NDArray
from pydantic import BaseModel, ConfigDict

from rampwise.core.errors import InputError
from rampwise.quality.capability import TargetBasis
from rampwise.quality.series import CHUNK, blocks, finite_array

MIN_SEGMENT_POINTS = 5
"""Fewest values in the current tool segment for a trend to be fitted."""


class Drift(BaseModel):
    """The trend of the current tool segment and, when needed, an offset suggestion.

    Attributes
    ----------
    segment_start
        Part number of the first part made with the current tool.
    segment_length
        Values in the current tool segment [unitless].
    slope
        Fitted change of the mean per part [unit/part]; positive means growing.
    slope_p_value
        Two-sided p-value of the slope's t-test [unitless].
    significant
        True when the slope differs from zero at the chosen significance level.
    horizon
        Parts ahead the projection looks [parts].
    limit
        Which limit the projection crosses first (``usl``, ``lsl``, ``ucl``, ``lcl``),
        ``None`` if none within the horizon.
    crossing_part
        Part number at which the projected mean first lies beyond that limit.
    offset
        Suggested tool offset [unit], signed: the change to the machined size that
        re-centres the projected mean on the target (negative lowers the size).
    apply_at_part
        Part number at which to apply the offset (the next part to be made).
    target
        The value the offset aims at [unit]; ``None`` on a result stored before it was
        recorded.
    target_basis
        Where the target comes from: given, mid-tolerance or the chart centre.
    """

    model_config = ConfigDict(frozen=True)

    segment_start: int
    segment_length: int
    slope: float
    slope_p_value: float
    significant: bool
    horizon: int
    limit: str | None = None
    crossing_part: int | None = None
    offset: float | None = None
    apply_at_part: int | None = None
    target: float | None = None
    target_basis: TargetBasis | None = None

    def target_text(self, unit: str) -> str | None:
        """The target in words: ``"mid-tolerance target 10.0075 mm"``; ``None`` if unknown.

        Parameters
        ----------
        unit
            Unit of the characteristic, e.g. ``mm``.
        """
        if self.target is None:
            return None
        basis = "target" if self.target_basis is None else self.target_basis.phrase
        return f"{basis} {self.target:.7g} {unit}".rstrip()

    def summary(self, unit: str) -> str:
        """One line for reports: the trend and, if any, the offset to apply.

        Parameters
        ----------
        unit
            Unit of the characteristic, e.g. ``mm``.
        """
        trend = (
            f"trend {self.slope:+.3g} {unit}/part over the {self.segment_length} parts "
            f"since part {self.segment_start} (p = {self.slope_p_value:.2g})"
        )
        if not self.significant:
            return f"no significant {trend}"
        if self.offset is None:
            return f"{trend}; no limit crossed within {self.horizon} parts"
        aim = self.target_text(unit)
        return (
            f"{trend}; projected mean crosses {str(self.limit).upper()} at part "
            f"{self.crossing_part}: apply an offset of {self.offset:+.4g} {unit} "
            f"at part {self.apply_at_part}" + (f", toward the {aim}" if aim else "")
        )


def part_numbers(parts: Sequence[str]) -> NDArray[np.float64]:
    """Part numbers for a trend: the part ids when they are increasing integers, else 1…n.

    Parameters
    ----------
    parts
        Part identifiers in production order.

    Returns
    -------
    ndarray
        One number per part [part].
    """
    try:
        numbers = np.array([int(p) for p in parts], dtype=np.float64)
    except ValueError:
        return np.arange(1, len(parts) + 1, dtype=np.float64)
    if numbers.size > 1 and np.all(np.diff(numbers) > 0):
        return numbers
    return np.arange(1, len(parts) + 1, dtype=np.float64)


_TINY = 1.0e-20
"""Guard against r = ±1 in the slope's t statistic, as ``scipy.stats.linregress`` has it."""


def _fit_line(
    x: NDArray[np.float64] | None, first: float, y: NDArray[np.float64]
) -> tuple[float, float, float]:
    """Least-squares line of ``y`` on ``x`` and the two-sided p-value of its slope.

    Sums of squares and products about the means are accumulated block by block, so no
    full-size temporary is made; ``x`` of ``None`` stands for ``first, first + 1, …``.
    The p-value is that of ``scipy.stats.linregress``: t = r√(df/((1 − r)(1 + r))),
    df = n − 2, from Student's t distribution.

    Returns
    -------
    tuple of float
        ``(slope, intercept, p_value)`` [unit/part, unit, unitless].
    """
    n = y.size
    y_mean = float(np.mean(y))
    x_mean = first + (n - 1) / 2.0 if x is None else float(np.mean(x))
    sxx = sxy = syy = 0.0
    for start in blocks(n):
        dy = y[start : start + CHUNK] - y_mean
        if x is None:
            dx = np.arange(start, start + dy.size, dtype=np.float64) + (first - x_mean)
        else:
            dx = x[start : start + CHUNK] - x_mean
        sxx += float(np.sum(dx * dx))
        sxy += float(np.sum(dx * dy))
        syy += float(np.sum(dy * dy))
    slope = sxy / sxx
    r = min(max(sxy / math.sqrt(sxx * syy), -1.0), 1.0)
    df = n - 2
    t = r * math.sqrt(df / ((1.0 - r) * (1.0 + r) + _TINY))
    from scipy import special

    p_value = float(2.0 * special.stdtr(df, -abs(t)))
    return slope, y_mean - slope * x_mean, p_value


def _first_crossing(
    intercept: float, slope: float, last: float, limits: Mapping[str, float], horizon: int
) -> tuple[str, int] | None:
    """Earliest (limit, part) where the line leaves the limits after ``last``, if any."""
    best: tuple[str, int] | None = None
    for name, level in limits.items():
        approaching = (slope > 0 and name in {"usl", "ucl"}) or (
            slope < 0 and name in {"lsl", "lcl"}
        )
        if not approaching:
            continue
        # first whole part p > last with intercept + slope·p beyond the level
        reach = (level - intercept) / slope
        part = max(math.floor(reach) + 1, int(last) + 1)
        if part <= last + horizon and (best is None or part < best[1]):
            best = (name, part)
    return best


def detect_drift(
    values: ArrayLike,
    *,
    target: float,
    limits: Mapping[str, float],
    parts: ArrayLike | None = None,
    tool_changes: Sequence[int] = (),
    horizon: int = 10,
    alpha: float = 0.05,
    target_basis: TargetBasis = TargetBasis.GIVEN,
) -> Drift | None:
    """Fit the trend since the last tool change and project it ``horizon`` parts ahead.

    Parameters
    ----------
    values
        Measured values in production order [unit].
    target
        Value to re-centre on [unit]: the given target, else mid-tolerance (LSL + USL)/2,
        else (one-sided specification) the chart centre.
    limits
        Limits to watch, keyed ``usl``, ``lsl``, ``ucl``, ``lcl`` [unit].
    parts
        Part number of each value [part]; default (``None``) 1…n, never materialised.
    tool_changes
        0-based positions in ``values`` where a new tool starts.
    horizon
        Parts ahead to project [parts], ≥ 1.
    alpha
        Significance level of the slope test [unitless].
    target_basis
        Where ``target`` comes from, recorded in the result.

    Returns
    -------
    Drift or None
        ``None`` when the current segment has fewer than 5 values; otherwise the trend,
        and an offset suggestion when the projection crosses a limit within the horizon.

    Raises
    ------
    InputError
        If a value is not finite, lengths disagree, a tool-change position is out of
        range, or ``horizon``/``alpha`` is invalid.

    References
    ----------
    .. [1] Seed 003; Montgomery §5.3.4 — see module references.
    """
    data = finite_array("values", values)
    numbers = None if parts is None else finite_array("parts", parts)
    if numbers is not None and numbers.size != data.size:
        raise InputError("parts", f"has {numbers.size} entries for {data.size} values")
    if isinstance(horizon, bool) or not isinstance(horizon, int) or horizon < 1:
        raise InputError("horizon", f"must be a whole number ≥ 1; got {horizon!r}")
    if not 0.0 < alpha < 1.0:
        raise InputError("alpha", f"must be in (0, 1); got {alpha!r}")
    if any(not 0 <= position < data.size for position in tool_changes):
        raise InputError("tool_changes", f"positions must lie in 0…{data.size - 1}")
    start = max(tool_changes, default=0)
    y = data[start:]
    x = None if numbers is None else numbers[start:]
    if y.size < MIN_SEGMENT_POINTS:
        return None
    first, last = (start + 1.0, float(data.size)) if x is None else (float(x[0]), float(x[-1]))
    if np.ptp(y) == 0.0:
        slope, intercept, p_value = 0.0, float(y[0]), 1.0
    else:
        slope, intercept, p_value = _fit_line(x, first, y)
    significant = p_value < alpha
    drift = Drift(
        segment_start=int(first),
        segment_length=int(y.size),
        slope=slope,
        slope_p_value=p_value,
        significant=significant,
        horizon=horizon,
        target=float(target),
        target_basis=target_basis,
    )
    if not significant or slope == 0.0:
        return drift
    crossing = _first_crossing(intercept, slope, last, limits, horizon)
    if crossing is None:
        return drift
    next_part = int(last) + 1
    return drift.model_copy(
        update={
            "limit": crossing[0],
            "crossing_part": crossing[1],
            "offset": target - (intercept + slope * next_part),
            "apply_at_part": next_part,
        }
    )
