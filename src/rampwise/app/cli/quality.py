"""The ``capability`` command: batch consistency from a measurement file.

Thin over :func:`rampwise.quality.batch.analyze_batch`: read the file and the limits,
analyse, then print a Rich table, the JSON contract (``--json``, written with the
violation lists streamed from their runs, see :meth:`BatchResult.write_json`) or write
the HTML report (``--report``). On the terminal a chart's flagged points are listed as
runs (``37–40``), the first 12 of them. User mistakes exit 2 with one line on stderr.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich import box
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from rampwise.app.cli._common import console, err_console, guarded
from rampwise.core.errors import InputError
from rampwise.io.spec_file import load_spec_file
from rampwise.quality.batch import BatchResult, CharacteristicResult, Verdict, analyze_batch
from rampwise.quality.capability import SpecLimits
from rampwise.quality.charts import VariablesChart
from rampwise.quality.measurements import MeasurementSet, load_measurements
from rampwise.quality.rules import RuleSet, rule_label
from rampwise.quality.specs import SpecTable

VERDICT_STYLE = {
    Verdict.BOTH: "bold green",
    Verdict.STABLE: "yellow",
    Verdict.CAPABLE: "yellow",
    Verdict.NEITHER: "bold red",
    Verdict.STABLE_NO_LIMITS: "green",
    Verdict.UNSTABLE_NO_LIMITS: "bold red",
}


def register(app: typer.Typer) -> None:
    """Add the batch-quality commands to ``app``."""
    app.command("capability")(capability_command)


def _specs(
    spec: Path | None, lsl: float | None, usl: float | None, target: float | None
) -> SpecTable | None:
    inline = any(v is not None for v in (lsl, usl, target))
    if spec is not None and inline:
        raise InputError("--spec", "give either --spec or --lsl/--usl/--target, not both")
    if spec is not None:
        return load_spec_file(spec)
    if inline:
        return SpecTable(default=SpecLimits(lsl=lsl, usl=usl, target=target))
    return None


def _ci(bounds: tuple[float, float] | None) -> str:
    return "" if bounds is None else f"[{bounds[0]:.2f}, {bounds[1]:.2f}]"


def _index(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def _summary_table(result: BatchResult) -> Table:
    table = Table(
        title=f"Batch quality — {result.source}", title_justify="left", box=box.SIMPLE_HEAD
    )
    table.add_column("Characteristic", min_width=12)
    for column in ("n", "mean", "σ within", "Cp", "Cpk", "Pp", "Ppk"):
        table.add_column(column, justify="right", no_wrap=True)
    table.add_column("Verdict", min_width=11)
    for c in result.characteristics:
        table.add_row(
            c.name,
            str(c.n),
            f"{c.mean:.6g}",
            f"{c.sigma_within:.3g}",
            _index(c.cp),
            _index(c.cpk),
            _index(c.pp),
            _index(c.ppk),
            Text(c.verdict.phrase, style=VERDICT_STYLE[c.verdict]),
        )
    return table


def _details(c: CharacteristicResult) -> Text:
    text = Text(f"{c.name}\n", style="bold")
    text.append(
        f"  spec {c.spec.text()}\n" if c.spec is not None else "  no specification limits\n"
    )
    text.append(f"  σ overall {c.sigma_overall:.3g} {c.unit}")
    if c.cpk_ci is not None:
        text.append(f"; Cpk 95% CI {_ci(c.cpk_ci)}")
    if c.cp_ci is not None:
        text.append(f"; Cp 95% CI {_ci(c.cp_ci)}")
    text.append("\n")
    for chart in c.charts:
        flagged = "; ".join(
            f"{rule_label(rule)} at {_runs_text(runs)}"
            for rule, runs in chart.flags.by_rule().items()
        )
        text.append(
            f"  {chart.type.value:>5}: CL {chart.center:.6g}, LCL {chart.lcl:.6g}, "
            f"UCL {chart.ucl:.6g} — {flagged or 'in control'}\n"
        )
    if c.ppap is not None:
        text.append(f"  AIAG PPAP initial study (Ppk): {c.ppap.value}\n")
    if c.drift is not None:
        text.append(f"  drift: {c.drift.summary(c.unit)}\n")
    if c.capability is not None and c.capability.non_normal is not None:
        other = c.capability.non_normal
        cpk = "—" if other.cpk is None else f"{other.cpk:.2f}"
        text.append(f"  {other.label}: Cpk {cpk}, Ppk {other.ppk:.2f}\n", style="magenta")
    return text


SHOWN_RUNS = 12
"""Runs of flagged points (or missing values) listed on the terminal before "… more"."""


def _runs_text(runs: list[tuple[int, int]]) -> str:
    """``[(35, 35), (37, 40)]`` → ``"35, 37–40"``; after 12 runs, how many points more."""
    shown = [
        str(first)
        if first == last
        else f"{first}, {last}"
        if last == first + 1
        else f"{first}–{last}"
        for first, last in runs[:SHOWN_RUNS]
    ]
    rest = sum(last - first + 1 for first, last in runs[SHOWN_RUNS:])
    return ", ".join(shown) + (f" … and {rest:,} more points" if rest else "")


def _missing_note(measurements: MeasurementSet) -> str | None:
    missing = measurements.missing
    if not missing:
        return None
    where = ", ".join(f"{m.characteristic} row {m.row}" for m in missing[:SHOWN_RUNS])
    more = len(missing) - SHOWN_RUNS
    where += f" … and {more:,} more" if more > 0 else ""
    return f"{len(missing)} missing value(s) reported and not used: {where}"


def batch_view(result: BatchResult, missing_note: str | None) -> RenderableType:
    """The terminal report: summary table, per-characteristic chart lines, yield."""
    parts: list[RenderableType] = [_summary_table(result)]
    parts.extend(_details(c) for c in result.characteristics)
    fpy = result.first_pass_yield
    parts.append(
        Text(
            "First-pass yield: unknown (no specification limits)"
            if fpy is None
            else f"First-pass yield: {fpy:.1%} of {result.parts} parts",
            style="bold",
        )
    )
    if missing_note:
        parts.append(Text(missing_note, style="yellow"))
    return Group(*parts)


@guarded
def capability_command(
    measurements: Annotated[
        Path,
        typer.Argument(
            help="Measurements: CSV (long or wide form) or QIF 3.0 results.",
            show_default=False,
        ),
    ],
    spec: Annotated[Path | None, typer.Option("--spec", help="Spec limits file (YAML).")] = None,
    lsl: Annotated[float | None, typer.Option("--lsl", help="Lower spec limit.")] = None,
    usl: Annotated[float | None, typer.Option("--usl", help="Upper spec limit.")] = None,
    target: Annotated[
        float | None, typer.Option("--target", help="Target value (default: mid-tolerance).")
    ] = None,
    calibration: Annotated[
        int | None,
        typer.Option("--calibration", help="Phase I: limits and capability from the first K."),
    ] = None,
    chart: Annotated[
        VariablesChart | None, typer.Option("--chart", help="Chart pair (default by subgroup).")
    ] = None,
    rules: Annotated[RuleSet, typer.Option("--rules", help="Run rules: we or nelson.")] = (
        RuleSet.WE
    ),
    report: Annotated[
        Path | None, typer.Option("--report", help="Write an HTML report to this file.")
    ] = None,
    json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
    allow_missing: Annotated[
        bool, typer.Option("--allow-missing", help="Report and skip missing values.")
    ] = False,
    horizon: Annotated[
        int, typer.Option("--horizon", help="Parts ahead the drift projection looks.")
    ] = 10,
    small_shift: Annotated[
        bool, typer.Option("--small-shift", help="Add EWMA and CUSUM charts.")
    ] = False,
) -> None:
    """Is the batch stable and capable? Charts, run rules, capability, drift, yield."""
    data = load_measurements(
        measurements, specs=_specs(spec, lsl, usl, target), allow_missing=allow_missing
    )
    result = analyze_batch(
        data,
        chart=chart,
        calibration=calibration,
        rules=rules,
        horizon=horizon,
        small_shift=small_shift,
    )
    note = _missing_note(data)
    if report is not None:
        from rampwise.render.batch_html import render_batch_html

        try:
            report.write_text(render_batch_html(result), encoding="utf-8")
        except OSError as err:
            raise InputError("--report", f"cannot write {report}: {err.strerror}") from None
    if json:
        result.write_json(sys.stdout)
        sys.stdout.write("\n")
        sys.stdout.flush()
        if note:
            err_console.print(f"note: {note}", highlight=False)
        if report is not None:
            err_console.print(f"report written to {report}", highlight=False)
        return
    console.print(batch_view(result, note))
    if report is not None:
        console.print(f"Report written to {report}")
