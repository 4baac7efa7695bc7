"""Tool-wear trend and offset suggestion (seed 003: wear caught at part 14, offsets).

Expected values are hand calculations on exact straight lines written in the comments.
"""

from __future__ import annotations

import numpy as np
import pytest

from rampwise.core.errors import InputError
from rampwise.quality.drift import detect_drift, part_numbers

LIMITS = {"usl": 12.005, "lsl": 11.995, "ucl": 12.003, "lcl": 11.997}


def wiggle(n: int, size: float) -> np.ndarray:
    """Noise [+1, -1, -1, +1]·size per block of 4: orthogonal to a constant and to any
    equally spaced part number, so the least-squares line is exactly the one written."""
    return size * np.resize([1.0, -1.0, -1.0, 1.0], n)


def test_wear_line_projects_the_crossing_and_the_offset() -> None:
    # Parts 1..20 on the line 12.000 - 0.0002·(p - 1) plus the orthogonal wiggle.
    parts = np.arange(1, 21)
    values = 12.000 - 0.0002 * (parts - 1) + wiggle(20, 1e-6)
    drift = detect_drift(values, target=12.0, limits=LIMITS, horizon=10)
    assert drift is not None and drift.significant
    assert drift.slope == pytest.approx(-0.0002, abs=1e-12)
    # Fitted mean at p: 12.0002 - 0.0002·p < LCL 11.997 ⇔ p > 16, already passed; the
    # next part 21 is projected at 11.9960, beyond the LCL → crossing at part 21.
    assert (drift.limit, drift.crossing_part, drift.apply_at_part) == ("lcl", 21, 21)
    # Offset re-centres part 21 on 12.000: +0.0040 mm.
    assert drift.offset == pytest.approx(0.0040, abs=1e-7)
    assert "apply an offset of +0.004 mm at part 21" in drift.summary("mm")


def test_crossing_ahead_within_the_horizon() -> None:
    # Slope +0.0001/part from 12.0000 at part 1: mean 12.0000 + 0.0001·(p - 1).
    # UCL 12.00305 is passed when p - 1 > 30.5 → part 32; the data stop at part 24 and
    # the horizon of 10 reaches part 34, so the UCL crossing at part 32 is reported.
    parts = np.arange(1, 25)
    values = 12.0 + 0.0001 * (parts - 1) + wiggle(24, 1e-6)
    limits = {**LIMITS, "ucl": 12.00305}
    drift = detect_drift(values, target=12.0, limits=limits, horizon=10)
    assert drift is not None
    assert (drift.limit, drift.crossing_part, drift.apply_at_part) == ("ucl", 32, 25)
    assert drift.offset == pytest.approx(-0.0024, abs=1e-9)  # 12.0 - (12.0 + 0.0001·24)
    short = detect_drift(values, target=12.0, limits=limits, horizon=6)
    assert short is not None and short.offset is None and short.crossing_part is None


def test_only_the_segment_after_the_last_tool_change_counts() -> None:
    # Worn first tool (parts 1–10 falling fast), then a new tool holding 12.000 ± noise.
    first = 12.0 - 0.0005 * np.arange(10)
    second = 12.0 + 0.0003 * np.array([1, -1, 0, 1, -1, 0, 1, -1, 0, 1])
    drift = detect_drift(
        np.concatenate([first, second]), target=12.0, limits=LIMITS, tool_changes=[10]
    )
    assert drift is not None
    assert (drift.segment_start, drift.segment_length) == (11, 10)
    assert not drift.significant and drift.offset is None
    assert drift.summary("mm").startswith("no significant trend")


def test_part_numbers_from_ids_follow_sampled_inspection() -> None:
    # Every 5th part measured (seed 003 sampling): 5, 10, …; slope is per part, not per
    # measurement: 0.0005 per 5 parts = 0.0001 per part.
    ids = [str(5 * k) for k in range(1, 9)]
    numbers = part_numbers(ids)
    assert numbers.tolist() == [5, 10, 15, 20, 25, 30, 35, 40]
    values = 12.0 + 0.0001 * numbers + wiggle(8, 1e-6)
    drift = detect_drift(values, target=12.0, limits=LIMITS, parts=numbers, horizon=100)
    assert drift is not None and drift.slope == pytest.approx(0.0001, abs=1e-12)
    assert drift.apply_at_part == 41
    assert part_numbers(["A1", "A2"]).tolist() == [1, 2]
    assert part_numbers(["3", "2"]).tolist() == [1, 2]


def test_short_segment_gives_no_trend() -> None:
    values = np.linspace(12, 12.001, 12)
    assert detect_drift(values, target=12.0, limits=LIMITS, tool_changes=[8]) is None


def test_constant_values_have_no_trend() -> None:
    drift = detect_drift([12.0] * 8, target=12.0, limits=LIMITS)
    assert drift is not None and drift.slope == 0 and not drift.significant


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"horizon": 0}, "horizon"),
        ({"alpha": 1.5}, "alpha"),
        ({"tool_changes": [99]}, "tool_changes"),
        ({"parts": [1, 2]}, "parts"),
    ],
)
def test_bad_arguments(kwargs: dict[str, object], field: str) -> None:
    with pytest.raises(InputError) as info:
        detect_drift(np.arange(6.0), target=0.0, limits={}, **kwargs)  # type: ignore[arg-type]
    assert info.value.field == field
