"""The ``rampwise`` command: one Typer app, one sub-module per command group.

Each group module exposes ``register(app)``; this module only assembles them, so the
commands stay thin over the library functions (DESIGN.md: one pipeline).
"""

from __future__ import annotations

import typer

from rampwise import __version__
from rampwise.app.cli import geometry, inspection, project, quality, quote, service, tolerance
from rampwise.app.cli._common import state

app = typer.Typer(
    name="rampwise",
    help="Stage, readiness, route, quote and batch quality for CNC-machined parts.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


def _version(value: bool) -> None:
    if value:
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


for _group in (project, tolerance, inspection, quality, service, quote, geometry):
    _group.register(app)


def main() -> None:
    """Console-script entry point."""
    app()
