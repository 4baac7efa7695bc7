"""The ``rampwise`` command: one Typer app, one sub-module per command or command group.

Each module exposes ``register(app)``; this module only names them, and a module is
imported when one of its commands runs (:mod:`rampwise.app.cli._lazy`), so ``rampwise
--help`` or ``rampwise limits`` never loads the pipeline, the statistics, the store or
the CAD kernel. The commands stay thin over the library functions (DESIGN.md: one
pipeline).
"""

from __future__ import annotations

import typer

from rampwise.app.cli._common import state
from rampwise.app.cli._lazy import LazyCommand, LazyGroup

_PACKAGE = __name__


def _at(module: str, summary: str) -> LazyCommand:
    return LazyCommand(module=f"{_PACKAGE}.{module}", summary=summary)


COMMANDS: dict[str, LazyCommand] = {
    "assess": _at("project", "Stage, readiness gate and what to do next for one project file."),
    "stages": _at(
        "stages", "The stage profiles of the seeds: purpose, quantity, quality, delivery, cost."
    ),
    "demo": _at(
        "project", "Assess the bundled example projects: one per stage and the mismatch cases."
    ),
    "limits": _at(
        "tolerance",
        "Limit deviations of an ISO 286 class at a size, e.g. ``rampwise limits 25 g6``.",
    ),
    "fit": _at(
        "tolerance", "Clearance and fit type of a hole/shaft pair, e.g. ``rampwise fit 25 H7/g6``."
    ),
    "stack": _at("stack", "Worst-case, RSS, modified-RSS and Monte Carlo stack-up of a 1-D chain."),
    "route": _at(
        "route",
        "How each characteristic will be made: chains, setups, workholding, validation run.",
    ),
    "inspect": _at(
        "inspection",
        "Inspection plan of the project's stage, its cost, gauges and readiness verdict.",
    ),
    "sampling": _at(
        "sampling",
        "Sampling plan for a lot by ANSI/ASQ Z1.4 = ISO 2859-1, with its switching state.",
    ),
    "gauge-rr": _at("gauge_rr", "Gauge repeatability and reproducibility (AIAG MSA 4th ed.)."),
    "capability": _at(
        "quality", "Is the batch stable and capable? Charts, run rules, capability, drift, yield."
    ),
    "serve": _at(
        "service",
        "Serve the pages and the JSON API (SQLite under ./var unless RAMPWISE_DATABASE_URL).",
    ),
    "worker": _at(
        "service",
        "Take jobs from the Redis queue (needs RAMPWISE_REDIS_URL and the shared database).",
    ),
    "quote": _at(
        "quote", "Unit price, total and lead time per quantity, with price drivers and strategies."
    ),
    "analyze": _at(
        "geometry", "Geometry, machining features, setups, stock and DFM findings of one part."
    ),
    "db": _at("service", "The database: migrations."),
    "token": _at("service", "API tokens for the routes that store."),
}
"""Every command by name, in the order ``rampwise --help`` lists them, with its module and
the first paragraph of its help (``tests/foundation/test_cli.py`` checks both)."""


class _RampwiseGroup(LazyGroup):
    lazy_commands = COMMANDS


app = typer.Typer(
    name="rampwise",
    help="Stage, readiness, route, quote and batch quality for CNC-machined parts.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    cls=_RampwiseGroup,
)


def _version(value: bool) -> None:
    if value:
        from rampwise import __version__

        typer.echo(f"rampwise {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    debug: bool = typer.Option(False, "--debug", help="Show tracebacks for user errors."),
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version."
    ),
) -> None:
    """Stage, readiness, route, quote and batch quality for CNC-machined parts."""
    state.debug = debug


def main() -> None:
    """Console-script entry point."""
    app()
