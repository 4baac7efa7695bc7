"""The ``stages`` command: the stage profiles of the seeds."""

from __future__ import annotations

import typer

from rampwise.app.cli._common import JSON_OPT, console, guarded
from rampwise.render.terminal import profile_table
from rampwise.rules.stage import stage_profiles


def register(app: typer.Typer) -> None:
    """Add the ``stages`` command to ``app``."""
    app.command("stages")(stages_command)


@guarded
def stages_command(json: bool = JSON_OPT) -> None:
    """The stage profiles of the seeds: purpose, quantity, quality, delivery, cost."""
    profiles = list(stage_profiles().values())
    if json:
        from pydantic import TypeAdapter

        from rampwise.core.model import StageProfile

        print(TypeAdapter(list[StageProfile]).dump_json(profiles).decode())
    else:
        console.print(profile_table(profiles))
