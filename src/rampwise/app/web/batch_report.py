"""Presentation of a stored batch report: verdict words, chart names, flags, drift.

The batch page renders the stored :class:`~rampwise.quality.batch.BatchResult` JSON (with
its plotted series), so a batch imported by an older version still shows; what a
newer version added is simply left out.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

from markupsafe import Markup
from pydantic import ValidationError

from rampwise.app.web import charts
from rampwise.quality.batch import Verdict
from rampwise.quality.capability import TargetBasis
from rampwise.quality.drift import Drift
from rampwise.quality.rules import RULE_DESCRIPTIONS, points_by_rule, rule_label

_LIGHTS = {
    Verdict.BOTH: "pass",
    Verdict.STABLE: "unknown",
    Verdict.CAPABLE: "unknown",
    Verdict.NEITHER: "fail",
    Verdict.STABLE_NO_LIMITS: "pass",
    Verdict.UNSTABLE_NO_LIMITS: "fail",
}
VERDICTS = {verdict.value: (light, verdict.words) for verdict, light in _LIGHTS.items()}
"""Batch verdict → (traffic light, words)."""


class ChartName(NamedTuple):
    """How a control chart is named on the page."""

    symbol: str
    """The plotted statistic on the axis (``X̄``, ``R``, ``MR`` …)."""
    name: str
    """The chart's name, capitalised as a heading."""
    in_standard_errors: bool = False
    """Plotted in standard errors (the standardised CUSUM), not the value's unit."""


CHART_NAMES = {
    "xbar": ChartName("X̄", "X̄ chart (subgroup means)"),
    "r": ChartName("R", "R chart (subgroup ranges)"),
    "s": ChartName("S", "S chart (subgroup standard deviations)"),
    "i": ChartName("I", "Individuals chart"),
    "mr": ChartName("MR", "Moving-range chart"),
    "ewma": ChartName("EWMA", "EWMA chart"),
    "cusum": ChartName("CUSUM", "CUSUM chart", in_standard_errors=True),
}
"""Chart type of :class:`~rampwise.quality.charts.ChartType` → its name on the page."""


def chart_name(kind: str) -> ChartName:
    """The page's name of a chart type; an unknown type is named by its id."""
    return CHART_NAMES.get(kind, ChartName(kind.upper(), f"{kind.upper()} chart"))


def axis_label(kind: str, unit: str) -> str:
    """The y-axis label of a control chart: ``"X̄ [mm]"``, ``"CUSUM [standard errors]"``."""
    chart = chart_name(kind)
    scale = "standard errors" if chart.in_standard_errors else unit
    return f"{chart.symbol} [{scale}]" if scale else chart.symbol


class FlagGroup(NamedTuple):
    """The points of one chart flagged by one rule."""

    rule: str
    """Rule id, e.g. ``we2``."""
    meaning: str
    """What the rule detects, in words."""
    points: tuple[int, ...]
    """1-based point numbers, ascending."""


def flag_groups(violations: Sequence[Mapping[str, Any]]) -> list[FlagGroup]:
    """A chart's flagged points grouped by rule, in order of each rule's first point.

    Parameters
    ----------
    violations
        The chart's stored violations: ``{"rule": "we1", "index": 5}`` each.
    """
    flags = (
        (v["rule"], v["index"])
        for v in violations
        if isinstance(v.get("rule"), str) and isinstance(v.get("index"), int)
    )
    return [
        FlagGroup(rule, RULE_DESCRIPTIONS.get(rule, rule), points)
        for rule, points in points_by_rule(flags).items()
    ]


def drift_text(drift: Mapping[str, Any] | None, unit: str) -> str | None:
    """The tool-wear trend and offset in one sentence (:meth:`Drift.summary`).

    ``None`` without a drift, or when the stored drift is not one this version reads.
    """
    if not drift:
        return None
    try:
        summary = Drift.model_validate(drift).summary(unit)
    except ValidationError:
        return None
    return summary[:1].upper() + summary[1:]


def target_text(spec: Mapping[str, Any] | None) -> str | None:
    """The target a stored characteristic aims at, named by its basis.

    ``"mid-tolerance target 10.0075"`` or ``"given target 12"``; just ``"target …"`` for a
    report stored before the basis was recorded; ``None`` without a target.
    """
    if not spec or not isinstance(spec.get("target"), int | float):
        return None
    try:
        words = TargetBasis(str(spec.get("target_basis"))).phrase
    except ValueError:
        words = "target"
    return f"{words} {float(spec['target']):.7g}"


def batch_charts(characteristic: Mapping[str, Any]) -> list[Markup]:
    """Histogram and control charts of one characteristic of a stored batch report."""
    plot = characteristic.get("plot") or {}
    name = str(characteristic.get("name", ""))
    unit = str(plot.get("unit") or "")
    out = [
        charts.histogram_svg(
            plot.get("values") or [],
            title=f"Histogram of {name}",
            lsl=plot.get("lsl"),
            usl=plot.get("usl"),
            unit=unit,
        )
    ]
    flagged_by_type = {
        chart.get("type"): [v.get("index") for v in chart.get("violations") or []]
        for chart in characteristic.get("charts") or []
    }
    for chart in plot.get("charts") or []:
        kind = str(chart.get("type", ""))
        out.append(
            charts.control_chart_svg(
                chart.get("statistic") or [],
                title=f"{chart_name(kind).name} of {name}",
                axis_label=axis_label(kind, unit),
                centre=chart.get("center_line") or [],
                lower=chart.get("lower") or [],
                upper=chart.get("upper") or [],
                flagged=[i for i in flagged_by_type.get(kind, []) if isinstance(i, int)],
            )
        )
    return [chart for chart in out if chart]


TEMPLATE_GLOBALS = {
    "batch_charts": batch_charts,
    "chart_name": chart_name,
    "flag_groups": flag_groups,
    "drift_text": drift_text,
    "target_text": target_text,
    "verdicts": VERDICTS,
}
"""What the batch page's template calls."""

TEMPLATE_FILTERS = {"rule_label": rule_label}
"""Filters of the batch page's template."""
