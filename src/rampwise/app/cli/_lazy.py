"""Commands loaded on call: the ``rampwise`` group knows every name, imports a module on use.

``rampwise --help`` lists each command with the first paragraph of its help, which the
table in :mod:`rampwise.app.cli` keeps beside the name, so listing imports no command
module; running a command imports its module only (and the libraries that module
needs). A test checks that each kept line is the command's own first paragraph.

This is Click's "lazily loading subcommands" pattern (click.palletsprojects.com, *Complex
Applications*), on Typer's group: a module builds its commands with its usual
``register(app)`` on a Typer app of its own, and the group adopts them.

References
----------
.. [1] pip's ``pip/_internal/commands/__init__.py``: each command's module and summary
   kept beside its name, the module imported when the command runs.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator, Mapping, MutableMapping
from dataclasses import dataclass
from typing import Any, ClassVar

import typer
from typer.core import TyperGroup

__all__ = ["LazyCommand", "LazyGroup", "load_module_commands"]

_Command = Any  # a Typer (Click) command or group; Typer's vendored Click is not typed here


@dataclass(frozen=True)
class LazyCommand:
    """Where a command lives and what ``--help`` says of it before it is imported.

    Attributes
    ----------
    module
        Module with a ``register(app)`` function that adds the command.
    summary
        The first paragraph of the command's help, as the group's listing shows it.
    """

    module: str
    summary: str


def load_module_commands(module: str) -> dict[str, _Command]:
    """The commands ``module.register`` adds, built as Typer builds them, by name."""
    registered = typer.Typer(pretty_exceptions_enable=False, add_completion=False)
    importlib.import_module(module).register(registered)
    commands: dict[str, _Command] = dict(typer.main.get_group(registered).commands)
    return commands


class _Commands(MutableMapping[str, _Command]):
    """The group's commands: every name known up front, a module imported on first use.

    While the group lists its commands (``listing``), a command not yet imported is
    answered by a stand-in that carries only its name and summary.
    """

    def __init__(self, table: Mapping[str, LazyCommand], built: Mapping[str, _Command]) -> None:
        self._table = table
        self._built: dict[str, _Command] = dict(built)
        self.listing = False

    def __getitem__(self, name: str) -> _Command:
        if name in self._built:
            return self._built[name]
        entry = self._table[name]
        if self.listing:
            return typer.core.TyperCommand(name=name, help=entry.summary)
        for built_name, command in load_module_commands(entry.module).items():
            self._built.setdefault(built_name, command)
        return self._built[name]

    def __setitem__(self, name: str, command: _Command) -> None:
        self._built[name] = command

    def __delitem__(self, name: str) -> None:
        raise TypeError(f"the command {name!r} cannot be removed")

    def __iter__(self) -> Iterator[str]:
        return iter(dict.fromkeys([*self._built, *self._table]))

    def __len__(self) -> int:
        return len(set(self._built) | set(self._table))


class LazyGroup(TyperGroup):
    """A Typer group whose commands, named in :attr:`lazy_commands`, load on call.

    Subclasses set :attr:`lazy_commands` (name → :class:`LazyCommand`, in listing order);
    pass the subclass as ``typer.Typer(cls=…)``.
    """

    lazy_commands: ClassVar[Mapping[str, LazyCommand]] = {}

    def __init__(self, **attrs: Any) -> None:
        super().__init__(**attrs)
        self.commands = _Commands(self.lazy_commands, self.commands)

    def list_commands(self, ctx: Any) -> list[str]:
        """Every command name, in the table's order, without importing any command."""
        return list(self.commands)

    def format_help(self, ctx: Any, formatter: Any) -> None:
        """Typer's help page; commands not yet imported are listed by their summary."""
        commands = self.commands
        assert isinstance(commands, _Commands)
        commands.listing = True
        try:
            super().format_help(ctx, formatter)
        finally:
            commands.listing = False
