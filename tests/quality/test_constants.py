"""Control-chart constants computed from their definitions vs. the shared table.

Reference: ``refdata/spc_constants.csv`` — d2, d3 by two independent quadratures, c4 in
closed form, all other factors derived; printed to 7 decimals (README: exact at n = 2,
d2 = 2/√π, d3 = √(2 − 4/π)); its ``qcc_table_d2_3dp`` column is qcc's ``exp.R.unscaled``.
"""

from __future__ import annotations

import math
from typing import Any

import pytest

from rampwise.core.errors import InputError
from rampwise.quality.constants import ConstantsConvention, c4, chart_constants, d2, d2_for, d3

COLUMNS = {
    "d2": "d2",
    "d3": "d3",
    "c4": "c4",
    "A": "a",
    "A2": "a2",
    "A3": "a3",
    "D1_Rchart_known_sigma": "d1",
    "D2_Rchart_known_sigma": "d2_limit",
    "D3": "d3_factor",
    "D4": "d4",
    "B3": "b3",
    "B4": "b4",
    "B5": "b5",
    "B6": "b6",
    "E2": "e2",
}


def test_every_constant_matches_the_table_to_its_seven_decimals(read_csv: Any) -> None:
    rows = read_csv("spc_constants.csv")
    assert [int(r["n"]) for r in rows] == list(range(2, 26))
    for row in rows:
        constants = chart_constants(int(row["n"]))
        for column, attribute in COLUMNS.items():
            assert getattr(constants, attribute) == pytest.approx(float(row[column]), abs=6e-8), (
                row["n"],
                column,
            )


def test_published_d2_is_the_three_decimal_table_qcc_uses(read_csv: Any) -> None:
    for row in read_csv("spc_constants.csv"):
        n = int(row["n"])
        assert d2_for(n) == float(row["qcc_table_d2_3dp"])
        assert d2_for(n, ConstantsConvention.EXACT) == d2(n)


def test_closed_forms_at_two() -> None:
    # Range of two normals: |X1 - X2| ~ √2·|Z|, so E = 2/√π and Var = 2 - 4/π.
    assert d2(2) == pytest.approx(2 / math.sqrt(math.pi), abs=1e-12)
    assert d3(2) == pytest.approx(math.sqrt(2 - 4 / math.pi), abs=1e-10)
    # c4(2) = √(2/1)·Γ(1)/Γ(1/2) = √2/√π
    assert c4(2) == pytest.approx(math.sqrt(2 / math.pi), abs=1e-15)


def test_c4_stays_finite_for_large_subgroups() -> None:
    # c4 ≈ 1 - 1/(4n) for large n (Montgomery App. VI footnote)
    assert c4(1000) == pytest.approx(1 - 1 / 4000, abs=1e-6)


@pytest.mark.parametrize("n", [1, 0, -3, 2.5])
def test_sizes_below_two_are_input_errors(n: Any) -> None:
    with pytest.raises(InputError, match="subgroup_size"):
        chart_constants(n)
