"""Units as stored and as shown: files and JSON keep ASCII names, people read symbols."""

from __future__ import annotations

from typing import Any

__all__ = ["UNIT_SYMBOLS", "unit_symbol"]

UNIT_SYMBOLS = {"um": "µm", "deg": "°"}
"""Units stored in ASCII, shown with their symbols."""


def unit_symbol(unit: Any) -> str:
    """A unit as printed: ``um`` → ``µm``, ``deg`` → ``°``; others as they are."""
    return UNIT_SYMBOLS.get(str(unit), str(unit))
