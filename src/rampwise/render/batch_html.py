"""Self-contained HTML report of a batch: control charts and capability histograms.

One HTML file with everything inline (SVG figures drawn by matplotlib's object API, no
pyplot state, no external assets), laid out the way qcc and Minitab users read them:
per characteristic the verdict, the location and dispersion charts with centre line,
limits, the phase I / phase II boundary and the flagged points, a capability histogram
with the specification limits and the within/overall normal curves, and the table of
indices with their confidence intervals. The renderer only formats; every number comes
from the :class:`~rampwise.quality.batch.BatchResult`.
"""

from __future__ import annotations

import html
import io
import math
import re

import matplotlib
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from numpy.typing import NDArray

from rampwise.quality.batch import BatchResult, CharacteristicResult
from rampwise.quality.capability import Capability, IndexEstimate
from rampwise.quality.charts import ChartType, ControlChart

_STYLE = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:2rem;color:#222}
h1{font-size:1.5rem}h2{font-size:1.2rem;margin-top:2.5rem;border-bottom:1px solid #ccc}
table{border-collapse:collapse;margin:.5rem 0}td,th{padding:.2rem .6rem;border:1px solid #ddd;
text-align:right}th{background:#f4f4f4}td.l,th.l{text-align:left}
.verdict{font-weight:bold;padding:.1rem .5rem;border-radius:.3rem}
.both,.stable_no_limits{background:#d4edda}.stable,.capable{background:#fff3cd}
.neither,.unstable_no_limits{background:#f8d7da}
.note{color:#555;font-size:.9rem}.figs{display:flex;flex-wrap:wrap;gap:1rem}
.figs svg{max-width:100%;height:auto}
"""


def _svg(figure: Figure, prefix: str) -> str:
    """Figure as inline SVG markup, every element id prefixed to stay unique in the page.

    A fixed hash salt makes the output reproducible; the prefix keeps the ids of several
    inline figures (``figure_1``, clip paths, markers) from colliding in one document.
    """
    buffer = io.StringIO()
    with matplotlib.rc_context({"svg.hashsalt": "rampwise", "svg.fonttype": "none"}):
        figure.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    text = buffer.getvalue()
    text = text[text.index("<svg") :]
    ids = set(re.findall(r'id="([^"]+)"', text))
    text = re.sub(r'id="([^"]+)"', rf'id="{prefix}-\1"', text)
    return re.sub(
        r"#([A-Za-z_][\w.\-]*)",
        lambda m: f"#{prefix}-{m.group(1)}" if m.group(1) in ids else m.group(0),
        text,
    )


def _draw_chart(axes: Axes, chart: ControlChart, unit: str) -> None:
    points = chart.plotted()
    x = np.arange(1, points.statistic.size + 1)
    flagged = np.array([v.index - 1 for v in chart.violations], dtype=int)
    axes.plot(x, points.statistic, marker="o", markersize=3, linewidth=1, color="#1f5a96")
    if points.statistic_lower is not None:
        axes.plot(x, points.statistic_lower, marker="o", markersize=3, linewidth=1, color="#7a4b9c")
    axes.step(x, points.center_line, where="mid", color="#2a7f2a", linewidth=1)
    axes.step(x, points.lower, where="mid", color="#b22222", linestyle="--", linewidth=1)
    axes.step(x, points.upper, where="mid", color="#b22222", linestyle="--", linewidth=1)
    if flagged.size:
        axes.plot(x[flagged], points.statistic[flagged], "o", color="#d62728", markersize=6)
        for index in flagged:
            rule = next(v.rule for v in chart.violations if v.index == index + 1)
            axes.annotate(
                rule,
                (x[index], points.statistic[index]),
                fontsize=7,
                color="#d62728",
                xytext=(3, 4),
                textcoords="offset points",
            )
    if chart.calibration < points.statistic.size:
        axes.axvline(chart.calibration + 0.5, color="#888", linestyle=":", linewidth=1)
        axes.text(chart.calibration + 0.6, axes.get_ylim()[0], " phase II", va="bottom", fontsize=7)
    standardised = " (standardised)" if chart.type is ChartType.CUSUM else ""
    axes.set_title(chart.type.label + standardised, fontsize=9)
    axes.set_xlabel("subgroup" if np.any(points.sizes > 1) else "part", fontsize=8)
    axes.set_ylabel("standard errors" if chart.type is ChartType.CUSUM else unit, fontsize=8)
    axes.tick_params(labelsize=7)
    axes.ticklabel_format(axis="y", useOffset=False)


def _normal_curve(
    axes: Axes, mean: float, sigma: float, scale: float, style: str, label: str
) -> None:
    lo, hi = axes.get_xlim()
    grid = np.linspace(lo, hi, 200)
    density = np.exp(-0.5 * ((grid - mean) / sigma) ** 2) / (sigma * math.sqrt(2 * math.pi))
    axes.plot(grid, density * scale, style, linewidth=1.2, label=label)


def _draw_histogram(
    axes: Axes, result: CharacteristicResult, capability: Capability, values: NDArray[np.float64]
) -> None:
    counts, edges, _ = axes.hist(values, bins="auto", color="#9ecae1", edgecolor="#4a7fb0")
    spec = capability.spec
    marks = [v for v in (spec.lsl, spec.usl, spec.target) if v is not None]
    span = [float(values.min()), float(values.max()), *marks]
    pad = 0.05 * (max(span) - min(span) or 1.0)
    axes.set_xlim(min(span) - pad, max(span) + pad)
    scale = values.size * float(np.mean(np.diff(edges)))
    _normal_curve(axes, capability.mean, capability.sigma_within, scale, "-", "within")
    _normal_curve(axes, capability.mean, capability.sigma_overall, scale, "--", "overall")
    for name, value in (("LSL", spec.lsl), ("USL", spec.usl), ("target", spec.target)):
        if value is not None:
            axes.axvline(value, color="#b22222" if name != "target" else "#2a7f2a", linewidth=1)
            axes.text(value, float(np.max(counts)) * 1.02, name, ha="center", fontsize=7)
    axes.set_title("Capability histogram", fontsize=9)
    axes.set_xlabel(result.unit, fontsize=8)
    axes.tick_params(labelsize=7)
    axes.ticklabel_format(axis="x", useOffset=False)
    axes.legend(fontsize=7)


def _figures(result: CharacteristicResult, number: int) -> list[str]:
    svgs: list[str] = []
    for k, chart in enumerate(result.charts):
        if chart.statistic is None:  # read back from JSON: no series to plot
            continue
        figure = Figure(figsize=(6.0, 2.6))
        _draw_chart(figure.add_subplot(), chart, result.unit)
        svgs.append(_svg(figure, f"c{number}-{k}"))
    if result.capability is not None and result.capability_values is not None:
        figure = Figure(figsize=(6.0, 2.8))
        values = np.asarray(result.capability_values)
        _draw_histogram(figure.add_subplot(), result, result.capability, values)
        svgs.append(_svg(figure, f"c{number}-hist"))
    return svgs


def _estimate(name: str, estimate: IndexEstimate | None) -> str:
    if estimate is None:
        return ""
    return (
        f"<tr><th class=l>{name}</th><td>{estimate.value:.3f}</td>"
        f"<td>{estimate.lower:.3f}</td><td>{estimate.upper:.3f}</td></tr>"
    )


def _capability_table(capability: Capability) -> str:
    rows = [
        ("Cp", capability.cp),
        ("Cpl", capability.cpl),
        ("Cpu", capability.cpu),
        ("Cpk", capability.cpk),
        ("Cpm", capability.cpm),
        ("Pp", capability.pp),
        ("Ppl", capability.ppl),
        ("Ppu", capability.ppu),
        ("Ppk", capability.ppk),
        ("Ppm (index)", capability.ppm_index),
    ]
    level = f"{capability.confidence:.0%}"
    body = "".join(_estimate(name, estimate) for name, estimate in rows)
    ppm = capability.expected_ppm_within.total, capability.expected_ppm_overall.total
    notes = [
        html.escape(
            f"n = {capability.n}, mean = {capability.mean:.6g}, σ within = "
            f"{capability.sigma_within:.4g}, σ overall = {capability.sigma_overall:.4g}"
        ),
        html.escape(
            f"expected ppm out of spec: {ppm[0]:.3g} (within), {ppm[1]:.3g} (overall); "
            f"observed: {capability.observed_ppm.total:.3g}"
        ),
    ]
    if capability.normality is not None:
        test = capability.normality
        outcome = "normality not rejected" if test.normal else "normality rejected"
        notes.append(
            html.escape(f"Anderson–Darling A² = {test.statistic:.3f}, p = {test.p_value:.3g}: ")
            + outcome
        )
    if capability.non_normal is not None:
        other = capability.non_normal
        cpk = "—" if other.cpk is None else f"{other.cpk:.3f}"
        notes.append(f"<b>{html.escape(other.label)}</b>: Cpk {cpk}, Ppk {other.ppk:.3f}")
    return (
        f"<table><tr><th class=l>index</th><th>value</th><th>{level} lower</th>"
        f"<th>{level} upper</th></tr>{body}</table>"
        + "".join(f"<p class=note>{note}</p>" for note in notes)
    )


def _violations(result: CharacteristicResult) -> str:
    items = [
        f"{chart.type.value}: {', '.join(f'{v.rule} at {v.index}' for v in chart.violations)}"
        for chart in result.charts
        if chart.violations
    ]
    if not items:
        return "<p>No rule violations.</p>"
    return "<p>Rule violations (1-based point numbers): " + html.escape("; ".join(items)) + "</p>"


def _section(result: CharacteristicResult, number: int) -> str:
    verdict = result.verdict.value
    spec = result.spec
    limits = "no specification limits" if spec is None else spec.text()
    parts = [
        f"<h2>{html.escape(result.name)} <span class='verdict {verdict}'>{verdict}</span></h2>",
        f"<p class=note>{html.escape(limits)}; {result.n} values in the statistics.</p>",
        _violations(result),
    ]
    if result.drift is not None:
        parts.append(f"<p>Drift: {html.escape(result.drift.summary(result.unit))}.</p>")
    if result.ppap is not None:
        parts.append(f"<p>AIAG PPAP initial-study status (Ppk): <b>{result.ppap.value}</b>.</p>")
    if result.missing:
        rows = ", ".join(f"row {m.row}" for m in result.missing)
        parts.append(f"<p class=note>Missing values (not used): {html.escape(rows)}.</p>")
    parts.append("<div class=figs>" + "".join(_figures(result, number)) + "</div>")
    if result.capability is not None:
        parts.append(_capability_table(result.capability))
    return "\n".join(parts)


def render_batch_html(result: BatchResult, *, title: str | None = None) -> str:
    """The batch report as one self-contained HTML document.

    Parameters
    ----------
    result
        What :func:`~rampwise.quality.batch.analyze_batch` returned. A result read back
        from its JSON holds no plotted series: its report has the tables, not the charts.
    title
        Page title; defaults to the measurement file's name.

    Returns
    -------
    str
        HTML with inline SVG charts and no external references.
    """
    heading = title or f"Batch quality — {result.source}"
    fpy = (
        "no specification limits, first-pass yield unknown"
        if result.first_pass_yield is None
        else f"first-pass yield {result.first_pass_yield:.1%} of {result.parts} parts"
    )
    phase = (
        "limits and capability from all data"
        if result.calibration is None
        else f"limits and capability from the first {result.calibration} points (phase I)"
    )
    sections = "\n".join(_section(c, i) for i, c in enumerate(result.characteristics))
    return (
        "<!DOCTYPE html><html lang=en><head><meta charset=utf-8>"
        f"<title>{html.escape(heading)}</title><style>{_STYLE}</style></head><body>"
        f"<h1>{html.escape(heading)}</h1>"
        f"<p>{html.escape(fpy)}; {html.escape(phase)}; run rules: {result.rules.value}.</p>"
        f"{sections}</body></html>\n"
    )
