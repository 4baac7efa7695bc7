"""Shared checks for public entry points, with one message form.

Messages read ``"<name> must be <rule>; got <value>"`` so the CLI and the API print the
same line (STYLE.md point 6).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import TypeVar

from rampwise.core.errors import InputError

T = TypeVar("T")


def require_positive(name: str, value: float, *, allow_zero: bool = False) -> float:
    """Return ``value`` if it is finite and > 0 (or ≥ 0 with ``allow_zero``), else raise.

    Raises
    ------
    InputError
        If the value is NaN, infinite, negative, or zero when zero is not allowed.
    """
    if not math.isfinite(value) or value < 0 or (value == 0 and not allow_zero):
        rule = "a finite number ≥ 0" if allow_zero else "a finite number > 0"
        raise InputError(name, f"must be {rule}; got {value!r}")
    return value


def require_whole(name: str, value: float, *, minimum: int = 1) -> int:
    """Return ``value`` as an ``int`` if it is a whole number ≥ ``minimum``, else raise.

    Raises
    ------
    InputError
        If the value is not a whole number or is below ``minimum``.
    """
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InputError(name, f"must be a whole number ≥ {minimum}; got {value!r}")
    if not math.isfinite(value) or value != int(value) or value < minimum:
        shown = f"{value:g}" if math.isfinite(value) else repr(value)  # "0", not "0.0"
        raise InputError(name, f"must be a whole number ≥ {minimum}; got {shown}")
    return int(value)


def require_choice(name: str, value: T, choices: Iterable[T]) -> T:
    """Return ``value`` if it is one of ``choices``, else raise listing them.

    Raises
    ------
    InputError
        If ``value`` is not among ``choices``.
    """
    valid = list(choices)
    if value not in valid:
        listed = ", ".join(str(c) for c in valid)
        raise InputError(name, f"must be one of {listed}; got {value!r}")
    return value
