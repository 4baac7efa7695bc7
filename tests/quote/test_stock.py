"""Stock selection: the smallest standard size that holds the envelope plus allowance."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rampwise.core.errors import InputError
from rampwise.core.stock import SIZE_MATCH_MM, StockForm, round_axis, select_stock, stock_series

IN = 25.4  # mm per inch: stock_sizes.csv lists inch sizes (dfmpartners.com series)


def test_rect_bar_rounds_both_sides_up() -> None:
    # 20 × 40 × 100 + 1 mm a side → 22 × 42 × 102: bar 7/8 in × 1 3/4 in, 102 mm long
    stock = select_stock([100, 20, 40], allowance_mm=1.0)
    assert stock.form is StockForm.RECT_BAR
    assert stock.size_mm == pytest.approx((7 / 8 * IN, 1.75 * IN, 102))
    assert stock.volume_mm3 == pytest.approx(7 / 8 * IN * 1.75 * IN * 102)
    assert stock.designation == "rect bar 7/8 in × 1 3/4 in × 102 mm"


def test_exact_standard_size_is_not_sized_up() -> None:
    # 23.4 + 2 × 1 = 25.4 mm exactly 1 in
    stock = select_stock([23.4, 23.4, 50], allowance_mm=1.0)
    assert stock.size_mm[:2] == pytest.approx((IN, IN))


def test_round_bar_for_a_turned_part() -> None:
    # shaft Ø20 × 140: Ø22 needed → 7/8 in (22.225 mm) bar, 142 mm long
    stock = select_stock([20, 20, 140], allowance_mm=1.0, round_bar=True)
    assert stock.form is StockForm.ROUND_BAR
    assert stock.size_mm == pytest.approx((7 / 8 * IN, 142))
    assert stock.volume_mm3 == pytest.approx(math.pi / 4 * (7 / 8 * IN) ** 2 * 142)
    assert stock.cross_section_mm2 == pytest.approx(math.pi / 4 * (7 / 8 * IN) ** 2)


def test_plate_when_no_bar_is_wide_enough_then_block() -> None:
    # 202 mm wide > the 6 in widest bar → plate; 29 + 2 = 31 mm → 1 1/4 in (31.75 mm)
    plate = select_stock([29, 200, 300], allowance_mm=1.0)
    assert plate.form is StockForm.PLATE
    assert plate.size_mm == pytest.approx((1.25 * IN, 202, 302))
    block = select_stock([170, 200, 300], allowance_mm=1.0)  # 172 mm > 6 in plate
    assert block.form is StockForm.BLOCK
    assert block.size_mm == pytest.approx((172, 202, 302))


def test_round_axis_is_the_odd_side() -> None:
    assert round_axis([20, 20, 140]) == 2
    assert round_axis([140, 20, 20]) == 0
    assert round_axis([80, 10, 80]) == 1


@pytest.mark.parametrize(
    "envelope", [[0, 10, 10], [-1, 10, 10], [10, 10], [math.nan, 1, 1], [math.inf, 1, 1]]
)
def test_bad_envelope_is_an_input_error(envelope: list[float]) -> None:
    with pytest.raises(InputError, match="envelope_mm"):
        select_stock(envelope, allowance_mm=1.0)


def test_negative_allowance_is_an_input_error() -> None:
    with pytest.raises(InputError, match="allowance_mm"):
        select_stock([10, 10, 10], allowance_mm=-1)


@given(
    st.lists(st.floats(0.5, 400), min_size=3, max_size=3),
    st.floats(0, 3),
    st.booleans(),
)
def test_stock_always_contains_the_envelope(
    envelope: list[float], allowance: float, round_bar: bool
) -> None:
    stock = select_stock(envelope, allowance_mm=allowance, round_bar=round_bar)
    # Each stock dimension holds its part side plus both allowances, or equals a side that
    # is itself a standard size (kept as supplied: the mill-finish rule of the one stock
    # model, which the geometry analysis used on its own before)
    if stock.form is StockForm.ROUND_BAR:
        axis = round_axis(envelope)
        sides = [max(v for i, v in enumerate(envelope) if i != axis)]
        assert stock.size_mm[1] == pytest.approx(envelope[axis] + 2 * allowance)
    else:
        sides = sorted(envelope)
    for size, side, kept in zip(stock.size_mm, sides, stock.mill_finish, strict=False):
        if kept:
            assert abs(size - side) <= SIZE_MATCH_MM
        else:
            assert size >= side + 2 * allowance - 1e-9
    smallest = math.prod(v - SIZE_MATCH_MM for v in envelope)
    assert stock.volume_mm3 >= smallest * (math.pi / 4 if round_bar else 1) - 1e-6


def test_a_standard_side_keeps_the_mill_finish() -> None:
    # 12.7 mm = 1/2 in: the bar's own thickness, no allowance; 40 + 2 → 1 3/4 in (44.45)
    stock = select_stock([100, 12.7, 40], allowance_mm=1.0)
    assert stock.form is StockForm.RECT_BAR
    assert stock.size_mm == pytest.approx((IN / 2, 1.75 * IN, 102))
    assert stock.mill_finish == (True, False, False)
    # a turned Ø22.225 (7/8 in) part keeps the bar's diameter
    bar = select_stock([22.225, 22.225, 50], allowance_mm=1.0, round_bar=True)
    assert bar.size_mm == pytest.approx((22.225, 52)) and bar.mill_finish == (True, False)


def test_series_are_sorted_and_sourced() -> None:
    for sizes in stock_series().values():
        values = [s.size_mm for s in sizes]
        assert values == sorted(values)
        assert all(s.source for s in sizes)
