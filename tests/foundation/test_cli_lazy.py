"""The command table: ``rampwise --help`` lists every command from it, a command loads on call."""

from __future__ import annotations

import inspect

from typer.testing import CliRunner

from rampwise.app.cli import COMMANDS, app
from rampwise.app.cli._lazy import load_module_commands

runner = CliRunner()


def test_each_summary_is_the_first_paragraph_of_the_commands_help() -> None:
    for name, entry in COMMANDS.items():
        command = load_module_commands(entry.module)[name]
        first = inspect.cleandoc(command.help or "").split("\n\n")[0].strip()
        assert entry.summary == first, name


def test_the_table_names_every_command_its_modules_register() -> None:
    modules = {entry.module for entry in COMMANDS.values()}
    registered = {name for module in modules for name in load_module_commands(module)}
    assert registered == set(COMMANDS)


def test_help_lists_the_commands_in_the_tables_order_with_their_summaries() -> None:
    result = runner.invoke(app, ["--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    listed = [
        line.strip("│ ").split(maxsplit=1)
        for line in result.stdout.splitlines()
        if line.startswith("│ ") and not line.startswith("│ --")
    ]
    assert listed == [[name, entry.summary] for name, entry in COMMANDS.items()]


def test_a_command_runs_once_loaded() -> None:
    result = runner.invoke(app, ["limits", "25", "g6", "--json"])
    assert result.exit_code == 0, result.output
    assert '"designation":"g6"' in result.stdout


def test_a_mistyped_command_is_told_the_nearest_name() -> None:
    result = runner.invoke(app, ["limts"])
    assert result.exit_code == 2
    assert "No such command 'limts'. Did you mean 'limits'?" in result.stderr
