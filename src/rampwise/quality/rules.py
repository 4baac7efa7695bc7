"""Run rules for control charts: Western Electric 1–4 and Nelson 1–8.

Each rule is evaluated over the whole plotted series (phase I and phase II together) in
O(n) with cumulative sums and run lengths — no window is rescanned. Semantics follow R's
qcc 3.0 (``R/rules.R``) as pinned by ``refdata/run_rules_cases.json``:

* zones are measured in standard errors of the plotted statistic (σ/√nᵢ for X̄, per point
  for variable-n attribute charts);
* a point is flagged when it completes the pattern, and every later point is flagged
  while the pattern persists; a pattern needs its full window (no partial windows at the
  start of the series);
* for "2 of 3" and "4 of 5" the flagged point itself must lie beyond the zone;
* zone boundaries are strict (a point exactly on 2σ is not beyond it; a point exactly on
  the centre line is on neither side);
* when several rules fire at a point, the lowest rule number is reported, as qcc does.

Rule ids in results are ``we1`` … ``we4`` and ``nelson1`` … ``nelson8``; indices are
1-based, as qcc prints them.

References
----------
.. [1] Western Electric Co. (1956). *Statistical Quality Control Handbook*. (Rules 1–4.)
.. [2] Nelson, L.S. (1984). The Shewhart control chart — tests for special causes.
   *Journal of Quality Technology* 16(4), 237–239. (Tests 1–8.)
.. [3] NIST/SEMATECH e-Handbook of Statistical Methods, 6.3.2 (Western Electric rules).
.. [4] Scrucca, L. qcc 3.0, ``R/rules.R`` and ``tests/testthat/test-rules.R``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from typing import TextIO

import numpy as np
from numpy.typing import NDArray
from pydantic import BaseModel, ConfigDict

from rampwise.core.vocabulary import Vocabulary
from rampwise.quality.series import CHUNK, IntSeries, blocks

BoolArray = NDArray[np.bool_]
FloatArray = NDArray[np.float64]


class RuleSet(Vocabulary):
    """Which family of run rules to apply to a location chart.

    The label prefixes a rule's number on pages (``"WE 2"``, ``"Nelson 5"``).
    """

    WE = "we", "WE", "Western Electric rules 1–4 (1956): zone tests at 1σ, 2σ and 3σ."
    NELSON = (
        "nelson",
        "Nelson",
        "Nelson's tests 1–8 (1984): the Western Electric zones plus trend, "
        "alternation and stratification.",
    )


class Violation(BaseModel):
    """One flagged point of a chart.

    Attributes
    ----------
    rule
        Rule id: ``we1``–``we4``, ``nelson1``–``nelson8``, or ``ewma`` / ``cusum`` for
        the signal of those charts.
    index
        1-based number of the plotted point (subgroup or individual), as qcc prints it.
    """

    model_config = ConfigDict(frozen=True)

    rule: str
    index: int


class Violations(BaseModel):
    """The flagged points of one chart, stored as runs of one rule.

    A long in-control series still raises false alarms (about 1.6 % of points under the
    Western Electric rules), and a pattern rule flags every point while its pattern
    persists, so a run of consecutive points flagged by the same rule is kept as one
    ``(rule, first, last)`` triple — three integers however long the run. Per-point
    forms (:attr:`index`, :attr:`rule`, :meth:`as_tuple`) are built only on demand.

    Attributes
    ----------
    rules
        Rule ids the runs refer to (``we1`` …), by :attr:`code`.
    code
        Index into ``rules`` of each run.
    first, last
        1-based numbers of the first and last point of each run (inclusive), ascending.
    """

    model_config = ConfigDict(frozen=True)

    rules: tuple[str, ...] = ()
    code: IntSeries = np.zeros(0, dtype=np.int64)
    first: IntSeries = np.zeros(0, dtype=np.int64)
    last: IntSeries = np.zeros(0, dtype=np.int64)

    @classmethod
    def from_points(cls, index: Iterable[int], rule: Iterable[str]) -> Violations:
        """Runs from per-point ``(index, rule)`` columns, points ascending (1-based)."""
        points = np.asarray(list(index), dtype=np.int64)
        names = list(rule)
        rules = tuple(dict.fromkeys(names))
        codes = np.asarray([rules.index(name) for name in names], dtype=np.int64)
        return cls._from_codes(points, codes, rules)

    @classmethod
    def _from_codes(
        cls, points: NDArray[np.int64], codes: NDArray[np.int64], rules: tuple[str, ...]
    ) -> Violations:
        """Runs of ascending 1-based ``points`` with a rule code each."""
        if points.size == 0:
            return cls(rules=rules)
        breaks = np.flatnonzero((np.diff(points) != 1) | (np.diff(codes) != 0)) + 1
        starts = np.concatenate(([0], breaks))
        ends = np.append(breaks, points.size) - 1
        return cls(rules=rules, code=codes[starts], first=points[starts], last=points[ends])

    @property
    def count(self) -> int:
        """Number of flagged points."""
        return int(np.sum(self.last - self.first + 1))

    def point_blocks(self) -> Iterator[tuple[NDArray[np.int64], NDArray[np.int64]]]:
        """The flagged points (1-based) and their rule codes, at most a block at a time."""
        lengths = self.last - self.first + 1
        ends = np.cumsum(lengths)
        total = int(ends[-1]) if ends.size else 0
        for start in blocks(total, CHUNK):
            positions = np.arange(start, min(start + CHUNK, total), dtype=np.int64)
            run = np.searchsorted(ends, positions, side="right")
            yield self.first[run] + positions - (ends[run] - lengths[run]), self.code[run]

    def points(self) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
        """Every flagged point (1-based) and the code of its rule, as arrays."""
        parts = list(self.point_blocks())
        if not parts:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        return np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts])

    def write_json(self, stream: TextIO) -> None:
        """Write the points as the JSON array ``[{"rule", "index"}, …]``, block by block.

        The same text as the ``violations`` of a chart's ``model_dump_json()``, without
        building it whole (a long series can flag many points).
        """
        names = [json.dumps(rule) for rule in self.rules]
        stream.write("[")
        comma = ""
        for index, codes in self.point_blocks():
            stream.write(
                comma
                + ",".join(
                    f'{{"rule":{names[code]},"index":{point}}}'
                    for point, code in zip(index.tolist(), codes.tolist(), strict=True)
                )
            )
            comma = ","
        stream.write("]")

    @property
    def index(self) -> NDArray[np.int64]:
        """1-based point numbers, ascending (expanded from the runs)."""
        return self.points()[0]

    @property
    def rule(self) -> tuple[str, ...]:
        """Rule id of each flagged point (expanded from the runs)."""
        return tuple(self.rules[code] for code in self.points()[1].tolist())

    def as_tuple(self) -> tuple[Violation, ...]:
        """One :class:`Violation` per flagged point."""
        index, codes = self.points()
        return tuple(
            # both columns were validated when this object was built
            Violation.model_construct(rule=self.rules[code], index=point)
            for point, code in zip(index.tolist(), codes.tolist(), strict=True)
        )

    def by_rule(self) -> dict[str, list[tuple[int, int]]]:
        """The runs ``(first, last)`` of each rule, rules in order of first appearance."""
        grouped: dict[str, list[tuple[int, int]]] = {}
        for code, first, last in zip(
            self.code.tolist(), self.first.tolist(), self.last.tolist(), strict=True
        ):
            grouped.setdefault(self.rules[code], []).append((first, last))
        return grouped


def _runs_of_codes(
    lowest: NDArray[np.int64], offset: int
) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.int64]]:
    """``(code, first, last)`` of the runs of equal non-zero codes, points 1-based."""
    padded = np.concatenate(([0], lowest, [0]))
    change = np.flatnonzero(padded[1:] != padded[:-1])
    starts = change[:-1]
    starts = starts[lowest[starts] != 0] if starts.size else starts
    # a run ends where the next change after its start is
    ends = change[np.searchsorted(change, starts, side="right")] - 1
    return lowest[starts], starts + offset + 1, ends + offset + 1


def _violations_blockwise(
    size: int,
    lowest_in: Callable[[int, int], NDArray[np.int64]],
    rules: tuple[str, ...],
    overlap: int,
) -> Violations:
    """Violations of ``size`` points, the lowest rule per point computed block by block.

    ``lowest_in(start, stop)`` returns the lowest rule code of the points ``start`` …
    ``stop − 1``, reading back ``overlap`` points for the rules' windows; runs that meet
    at a block edge are joined.
    """
    codes: list[NDArray[np.int64]] = []
    firsts: list[NDArray[np.int64]] = []
    lasts: list[NDArray[np.int64]] = []
    for start in blocks(size, CHUNK):
        stop = min(start + CHUNK, size)
        back = max(0, start - overlap)
        lowest = lowest_in(back, stop)[start - back :]
        code, first, last = _runs_of_codes(lowest, start)
        joins = (
            code.size > 0
            and bool(lasts)
            and lasts[-1].size > 0
            and lasts[-1][-1] == first[0] - 1
            and codes[-1][-1] == code[0]
        )
        if joins:
            lasts[-1] = lasts[-1].copy()
            lasts[-1][-1] = last[0]
            code, first, last = code[1:], first[1:], last[1:]
        codes.append(code)
        firsts.append(first)
        lasts.append(last)
    if not codes:
        return Violations(rules=rules)
    code_all = np.concatenate(codes)
    used = tuple(rules[c] for c in sorted(set(code_all.tolist())))
    remap = np.zeros(len(rules), dtype=np.int64)
    for position, name in enumerate(used):
        remap[rules.index(name)] = position
    return Violations(
        rules=used,
        code=remap[code_all],
        first=np.concatenate(firsts),
        last=np.concatenate(lasts),
    )


def signal_violations(flags: BoolArray, rule: str) -> Violations:
    """Violations with one rule id for every flagged point (EWMA, CUSUM signals).

    Parameters
    ----------
    flags
        True where the chart signals.
    rule
        The rule id to report, e.g. ``ewma``.

    Returns
    -------
    Violations
        Runs of flagged points, 1-based.
    """
    mask = np.asarray(flags, dtype=bool)
    return _violations_blockwise(
        mask.size,
        lambda start, stop: mask[start:stop].astype(np.int64),
        ("", rule),
        0,
    )


def _window_count(mask: BoolArray, width: int) -> NDArray[np.int64]:
    """Number of true values in the window of ``width`` points ending at each point.

    Points before the first full window get -1 so that no threshold ≥ 0 is met.
    """
    counts = np.full(mask.size, -1, dtype=np.int64)
    if mask.size >= width:
        cumulative = np.concatenate(([0], np.cumsum(mask, dtype=np.int64)))
        counts[width - 1 :] = cumulative[width:] - cumulative[:-width]
    return counts


def _run_length(mask: BoolArray) -> NDArray[np.int64]:
    """Length of the run of consecutive true values ending at each point."""
    index = np.arange(mask.size, dtype=np.int64)
    last_false = np.maximum.accumulate(np.where(mask, -1, index))
    return index - last_false


def _k_of_w_beyond(z: FloatArray, level: float, k: int, width: int) -> BoolArray:
    """K of the last ``width`` points beyond ``level`` on one side, current one included."""
    upper = z > level
    lower = z < -level
    up_hit = upper & (_window_count(upper, width) >= k)
    down_hit = lower & (_window_count(lower, width) >= k)
    return up_hit | down_hit


def _same_side(z: FloatArray, length: int) -> BoolArray:
    """``length`` or more consecutive points on one side of the centre line."""
    return (_run_length(z > 0) >= length) | (_run_length(z < 0) >= length)


def _trend(statistic: FloatArray, length: int) -> BoolArray:
    """``length`` or more points in a row steadily increasing or decreasing."""
    flags = np.zeros(statistic.size, dtype=bool)
    if statistic.size >= 2:
        step = np.diff(statistic)
        steps_needed = length - 1
        flags[1:] = (_run_length(step > 0) >= steps_needed) | (
            _run_length(step < 0) >= steps_needed
        )
    return flags


def _alternating(statistic: FloatArray, length: int) -> BoolArray:
    """``length`` or more points in a row alternating up and down."""
    flags = np.zeros(statistic.size, dtype=bool)
    if statistic.size >= 3:
        direction = np.sign(np.diff(statistic))
        flips = direction[1:] * direction[:-1] < 0
        flags[2:] = _run_length(flips) >= length - 2
    return flags


def _within(z: FloatArray, level: float, length: int) -> BoolArray:
    """``length`` or more points in a row within ±``level`` (either side)."""
    return _run_length(np.abs(z) < level) >= length


def _outside_both_sides(z: FloatArray, level: float, length: int) -> BoolArray:
    """``length`` points in a row beyond ±``level`` with points on both sides."""
    upper = z > level
    lower = z < -level
    run = _run_length(upper | lower) >= length
    return run & (_window_count(upper, length) >= 1) & (_window_count(lower, length) >= 1)


RuleTest = Callable[[FloatArray, FloatArray, BoolArray], BoolArray]
"""A rule as a function of (statistic, z, beyond-limits) → flags."""

_WESTERN_ELECTRIC: dict[int, RuleTest] = {
    1: lambda stat, z, beyond: beyond,
    2: lambda stat, z, beyond: _k_of_w_beyond(z, 2.0, 2, 3),
    3: lambda stat, z, beyond: _k_of_w_beyond(z, 1.0, 4, 5),
    4: lambda stat, z, beyond: _same_side(z, 8),
}

_NELSON: dict[int, RuleTest] = {
    1: lambda stat, z, beyond: beyond,
    2: lambda stat, z, beyond: _same_side(z, 9),
    3: lambda stat, z, beyond: _trend(stat, 6),
    4: lambda stat, z, beyond: _alternating(stat, 14),
    5: lambda stat, z, beyond: _k_of_w_beyond(z, 2.0, 2, 3),
    6: lambda stat, z, beyond: _k_of_w_beyond(z, 1.0, 4, 5),
    7: lambda stat, z, beyond: _within(z, 1.0, 15),
    8: lambda stat, z, beyond: _outside_both_sides(z, 1.0, 8),
}

RULE_DESCRIPTIONS: dict[str, str] = {
    "we1": "a point beyond a control limit (3σ)",
    "we2": "2 of 3 points beyond 2σ on one side",
    "we3": "4 of 5 points beyond 1σ on one side",
    "we4": "8 points in a row on one side of the centre line",
    "nelson1": "a point beyond a control limit (3σ)",
    "nelson2": "9 points in a row on one side of the centre line",
    "nelson3": "6 points in a row steadily rising or falling",
    "nelson4": "14 points in a row alternating up and down",
    "nelson5": "2 of 3 points beyond 2σ on one side",
    "nelson6": "4 of 5 points beyond 1σ on one side",
    "nelson7": "15 points in a row within 1σ of the centre line",
    "nelson8": "8 points in a row beyond 1σ, on both sides of the centre line",
    "ewma": "the EWMA beyond its control limit",
    "cusum": "a cumulative sum beyond its decision interval",
}
"""What each rule id of a :class:`Violation` means, in words (the tests above; Western
Electric 1956, Nelson 1984; EWMA and CUSUM signals of :mod:`rampwise.quality.shift_charts`)."""


def points_by_rule(flags: Iterable[tuple[str, int]]) -> dict[str, tuple[int, ...]]:
    """Flagged points ``(rule id, 1-based point)`` grouped by rule.

    Rules in order of first appearance, points ascending: ``{"we1": (5, 8), "we2": (6,)}``.
    """
    points: dict[str, list[int]] = {}
    for rule, index in flags:
        points.setdefault(rule, []).append(index)
    return {rule: tuple(sorted(indices)) for rule, indices in points.items()}


def rule_label(rule: str) -> str:
    """``"we2"`` → ``"WE 2"``, ``"nelson5"`` → ``"Nelson 5"``, ``"ewma"`` → ``"EWMA"``."""
    for rule_set in RuleSet:
        number = rule.removeprefix(rule_set.value)
        if number != rule and number.isdigit():
            return f"{rule_set.label} {number}"
    return rule.upper()


_RULES: dict[RuleSet, dict[int, RuleTest]] = {
    RuleSet.WE: _WESTERN_ELECTRIC,
    RuleSet.NELSON: _NELSON,
}


def rule_flags(
    statistic: FloatArray,
    center: float | FloatArray,
    std_error: float | FloatArray,
    rule_set: RuleSet,
    *,
    lower: float | FloatArray | None = None,
    upper: float | FloatArray | None = None,
) -> dict[int, BoolArray]:
    """Evaluate every rule of a set, returning one boolean array per rule number.

    Parameters
    ----------
    statistic
        Plotted statistic per point [unit of the chart].
    center
        Centre line, scalar or per point [unit of the chart].
    std_error
        Standard error of each plotted point [unit of the chart], > 0.
    rule_set
        ``we`` (rules 1–4) or ``nelson`` (rules 1–8).
    lower, upper
        Control limits for rule 1 [unit of the chart]; default centre ∓ 3 standard errors.

    Returns
    -------
    dict of int to ndarray of bool
        ``flags[r][i]`` is true when rule ``r`` fires at point ``i`` (0-based).

    References
    ----------
    .. [1] Western Electric (1956); Nelson (1984); qcc ``R/rules.R`` — see module.
    """
    stat = np.asarray(statistic, dtype=float)
    z = (stat - center) / std_error
    low = np.asarray(center - 3.0 * np.asarray(std_error) if lower is None else lower)
    high = np.asarray(center + 3.0 * np.asarray(std_error) if upper is None else upper)
    beyond = (stat < low) | (stat > high)
    return {number: test(stat, z, beyond) for number, test in _RULES[rule_set].items()}


def first_rule_per_point(flags: dict[int, BoolArray], size: int) -> NDArray[np.int64]:
    """The lowest rule number firing at each point, 0 where none fires.

    Parameters
    ----------
    flags
        Output of :func:`rule_flags` (or a subset of its rules).
    size
        Number of points [unitless].

    Returns
    -------
    ndarray of int
        Rule number per point, 0 for no violation.
    """
    lowest = np.zeros(size, dtype=np.int64)
    for number in sorted(flags, reverse=True):
        lowest[flags[number]] = number
    return lowest


def violations_from_flags(flags: dict[int, BoolArray], rule_set: RuleSet) -> Violations:
    """One flagged point per point where a rule fires, the lowest rule number winning.

    Parameters
    ----------
    flags
        Rule number → boolean array of equal lengths.
    rule_set
        The family, which names the rule ids (``we2``, ``nelson5`` …).

    Returns
    -------
    Violations
        Runs sorted by point; indices are 1-based (as qcc prints them).
    """
    if not flags:
        return Violations()
    size = next(iter(flags.values())).size
    names = _rule_names(rule_set, max(flags))
    return _violations_blockwise(
        size,
        lambda start, stop: first_rule_per_point(
            {number: flag[start:stop] for number, flag in flags.items()}, stop - start
        ),
        names,
        0,
    )


def _rule_names(rule_set: RuleSet, highest: int) -> tuple[str, ...]:
    """Rule ids by rule number (index 0 unused): ``("", "we1", "we2", …)``."""
    return ("", *(f"{rule_set.value}{n}" for n in range(1, highest + 1)))


RULE_WINDOW = 16
"""Points a rule looks back, at least: the longest pattern is 15 points (Nelson 7)."""


def _per_point(value: float | FloatArray, start: int, stop: int) -> float | FloatArray:
    """A scalar, or the slice ``start:stop`` of a per-point array."""
    array = np.asarray(value)
    return value if array.ndim == 0 else array[start:stop]


def location_violations(
    statistic: FloatArray,
    center: float | FloatArray,
    std_error: float | FloatArray,
    rule_set: RuleSet,
    *,
    lower: float | FloatArray | None = None,
    upper: float | FloatArray | None = None,
) -> Violations:
    """All run-rule violations of a location chart (X̄, individuals, p, np, c, u).

    Parameters
    ----------
    statistic, center, std_error, lower, upper
        As in :func:`rule_flags`.
    rule_set
        ``we`` or ``nelson``.

    Returns
    -------
    Violations
        Runs of flagged points, lowest rule number winning, 1-based indices. The
        series is walked in blocks of :data:`~rampwise.quality.series.CHUNK` points
        (each reading back :data:`RULE_WINDOW` points), so memory does not grow with
        the series beyond the runs found.
    """
    stat = np.asarray(statistic, dtype=float)

    def lowest_in(start: int, stop: int) -> NDArray[np.int64]:
        flags = rule_flags(
            stat[start:stop],
            _per_point(center, start, stop),
            _per_point(std_error, start, stop),
            rule_set,
            lower=None if lower is None else _per_point(lower, start, stop),
            upper=None if upper is None else _per_point(upper, start, stop),
        )
        return first_rule_per_point(flags, stop - start)

    names = _rule_names(rule_set, max(_RULES[rule_set]))
    return _violations_blockwise(stat.size, lowest_in, names, RULE_WINDOW)


def beyond_limit_violations(
    statistic: FloatArray,
    lower: float | FloatArray,
    upper: float | FloatArray,
    rule_set: RuleSet,
) -> Violations:
    """Rule 1 only (a point beyond a control limit), for dispersion charts (R, S, MR).

    Zone rules are not applied to dispersion charts: their statistic is skewed and the
    zones are not defined for it (NIST 6.3.2; qcc applies rules to the location chart).

    Parameters
    ----------
    statistic
        Plotted ranges or standard deviations [unit of the characteristic].
    lower, upper
        Control limits, scalar or per point [unit of the characteristic].
    rule_set
        Names the rule id (``we1`` or ``nelson1``).

    Returns
    -------
    Violations
        Runs of points strictly beyond a limit, 1-based.
    """
    stat = np.asarray(statistic, dtype=float)

    def lowest_in(start: int, stop: int) -> NDArray[np.int64]:
        part = stat[start:stop]
        low, high = _per_point(lower, start, stop), _per_point(upper, start, stop)
        return ((part < low) | (part > high)).astype(np.int64)

    return _violations_blockwise(stat.size, lowest_in, _rule_names(rule_set, 1), 0)
