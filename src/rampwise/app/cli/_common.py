"""Pieces every CLI group shares: consoles, exit codes, error translation, JSON output.

A user mistake (:class:`~rampwise.core.errors.InputError`) becomes one line on stderr and exit
code 2; a traceback appears only with ``rampwise --debug`` (STYLE.md point 15, after
httpie's ``status.py``).
"""

from __future__ import annotations

import enum
import functools
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, ParamSpec, TypeVar

import typer
from rich.console import Console

from rampwise.core.checks import require_whole
from rampwise.core.errors import InputError, RampwiseError

P = ParamSpec("P")
R = TypeVar("R")

console = Console()
err_console = Console(stderr=True)

JSON_OPT = typer.Option(False, "--json", help="Print the result as JSON on stdout.")


class ExitStatus(enum.IntEnum):
    """Process exit codes of the ``rampwise`` command."""

    SUCCESS = 0
    ERROR = 1
    USER_ERROR = 2


class _State:
    """Global CLI options set by the top-level callback."""

    debug: bool = False


state = _State()


@contextmanager
def user_errors() -> Iterator[None]:
    """Turn rampwise errors raised inside the block into one stderr line and exit 2."""
    try:
        yield
    except RampwiseError as err:
        if state.debug:
            raise
        err_console.print(f"[bold red]error:[/] {err}", highlight=False, soft_wrap=True)
        raise typer.Exit(ExitStatus.USER_ERROR) from None


def guarded(func: Callable[P, R]) -> Callable[P, R]:
    """Decorate a command so user errors exit 2 with one line instead of a traceback."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with user_errors():
            return func(*args, **kwargs)

    return wrapper


def emit_json(result: Any) -> None:
    """Print a result's JSON contract (``model_dump_json()``) on stdout, nothing else.

    A result without ``model_dump_json`` (already JSON text) is printed as it is.
    """
    dump = getattr(result, "model_dump_json", None)
    text = dump() if callable(dump) else str(result)
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def parse_number_list(name: str, text: str) -> list[int]:
    """Parse a comma-separated list of whole numbers (``"1,5,50"``) for an option ``name``."""
    values: list[int] = []
    for item in text.split(","):
        item = item.strip()
        try:
            number = float(item)
        except ValueError:
            raise InputError(
                name, f"must be whole numbers separated by commas; got {item!r}"
            ) from None
        values.append(require_whole(name, number))
    if not values:
        raise InputError(name, "must list at least one quantity")
    return values
