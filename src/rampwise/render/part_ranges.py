"""Part numbers as ranges: ``parts 1–4; 6–10: every 2nd; 60–5,000: every 10th``.

An inspection schedule of a 5,000-piece order lists about 510 part numbers (seed 003's
tiers: parts 1–3, every 2nd to 10, every 5th to 50, then the steady rate). Printed one by
one they are unreadable; as arithmetic runs they fit on a line. A run ``first–last:
every k-th`` is every part ``first, first + k, …, last`` — each end is a part that is
inspected, so the words mean the same whether "every 10th" is read as counting from
``first`` or as the multiples of 10.

The runs are found greedily: from the smallest part not yet covered, the longest
arithmetic run through it whose step goes to one of the next few parts (so a part
inserted by a tool change does not break the run it sits in); a run shorter than
:data:`MIN_RUN` parts is written as single parts. Expanding the runs gives back exactly
the parts (:func:`expand`), in order — a property test holds this.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from pydantic import BaseModel, ConfigDict

from rampwise.core.errors import InputError

MIN_RUN = 3
"""Fewest parts written as a run; two parts are clearer as ``12, 17``."""

CANDIDATE_STEPS = 4
"""How many of the next parts are tried as the second part of a run."""


class PartRange(BaseModel):
    """The parts ``first, first + every, …, last``.

    Attributes
    ----------
    first, last
        First and last part of the run [part number]; equal for a single part.
    every
        Step between the parts [parts]; 1 for consecutive parts or a single part.
    """

    model_config = ConfigDict(frozen=True)

    first: int
    last: int
    every: int = 1

    @property
    def count(self) -> int:
        """Parts in the run [parts]."""
        return (self.last - self.first) // self.every + 1

    def parts(self) -> range:
        """The part numbers of the run, ascending."""
        return range(self.first, self.last + 1, self.every)

    def text(self) -> str:
        """``"23"``, ``"1–4"`` or ``"60–5,000: every 10th"``."""
        if self.first == self.last:
            return f"{self.first:,}"
        if self.every == 1:
            return f"{self.first:,}–{self.last:,}"
        return f"{self.first:,}–{self.last:,}: every {ordinal(self.every)}"


def ordinal(number: int) -> str:
    """``1st``, ``2nd``, ``3rd``, ``4th``, ``11th``, ``12th``, ``21st``, ``112th``."""
    if 10 <= number % 100 <= 20:
        suffix = "th"
    else:
        suffix = {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number:,}{suffix}"


def part_ranges(parts: Iterable[int]) -> tuple[PartRange, ...]:
    """The parts as runs, in order of their first part.

    Parameters
    ----------
    parts
        Part numbers [part number], whole numbers, each once, in any order.

    Returns
    -------
    tuple of PartRange
        Runs of at least :data:`MIN_RUN` parts and single parts that together hold each
        given part exactly once.

    Raises
    ------
    InputError
        If a part number is not a whole number or appears twice.
    """
    numbers = list(parts)
    for index, part in enumerate(numbers):
        if isinstance(part, bool) or not isinstance(part, int):
            raise InputError(f"parts[{index}]", f"must be a whole number; got {part!r}")
    ordered = sorted(numbers)
    remaining = set(ordered)
    if len(remaining) != len(ordered):
        raise InputError("parts", "lists a part number twice")
    runs: list[PartRange] = []
    for i, first in enumerate(ordered):
        if first not in remaining:
            continue
        length, step = _longest_run(ordered, i, remaining)
        if length < MIN_RUN:
            length, step = 1, 1
        run = PartRange(first=first, last=first + (length - 1) * step, every=step)
        remaining.difference_update(run.parts())
        runs.append(run)
    return tuple(runs)


def _longest_run(ordered: Sequence[int], start: int, remaining: set[int]) -> tuple[int, int]:
    """(length, step) of the longest run from ``ordered[start]`` through uncovered parts."""
    first = ordered[start]
    best = (1, 1)
    tried = 0
    for index in range(start + 1, len(ordered)):
        if tried == CANDIDATE_STEPS:
            break
        second = ordered[index]
        if second not in remaining:
            continue
        tried += 1
        step = second - first
        length, following = 2, second + step
        while following in remaining:
            length += 1
            following += step
        if length > best[0]:
            best = (length, step)
    return best


def expand(runs: Iterable[PartRange]) -> list[int]:
    """Every part of the runs, ascending: the inverse of :func:`part_ranges`."""
    return sorted(part for run in runs for part in run.parts())


def ranges_text(parts: Iterable[int], *, noun: str = "parts") -> str:
    """The parts in words: ``"parts 1–4; 6–10: every 2nd; 15, 23; 60–5,000: every 10th"``.

    Parameters
    ----------
    parts
        Part numbers [part number], each once.
    noun
        Word before the list; ``""`` for none.

    Returns
    -------
    str
        Runs separated by ``"; "``, neighbouring single parts by ``", "``; ``"none"``
        when there are no parts.
    """
    runs = part_ranges(parts)
    if not runs:
        return "none"
    groups: list[str] = []
    for index, run in enumerate(runs):
        single_after_single = run.count == 1 and index > 0 and runs[index - 1].count == 1
        if single_after_single:
            groups[-1] += f", {run.text()}"
        else:
            groups.append(run.text())
    body = "; ".join(groups)
    return f"{noun} {body}" if noun else body
