"""Count distributions in numpy (rampwise.quality.counts) against exact arithmetic."""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pytest

from rampwise.quality.counts import (
    binomial_pmf,
    hypergeometric_pmf,
    log_factorial,
    log_falling_factorial,
    poisson_pmf,
)


@pytest.mark.parametrize("k", [0, 1, 7, 255, 256, 257, 1000, 123_456, 10**6, 10**7])
def test_log_factorial_is_lgamma(k: int) -> None:
    assert log_factorial(k) == pytest.approx(math.lgamma(k + 1), rel=1e-15, abs=1e-15)


@pytest.mark.parametrize(("a", "m"), [(10**6, 20), (10**6, 2000), (300, 44), (5000, 4000)])
def test_log_falling_factorial_is_the_sum_of_logs(a: int, m: int) -> None:
    exact = math.fsum(math.log(a - j) for j in range(m))
    assert log_falling_factorial(a, m) == pytest.approx(exact, rel=1e-13)


@pytest.mark.parametrize("bad", [0, 1, 5_000, 150_000, 999_990])
def test_hypergeometric_matches_exact_fractions_in_a_lot_of_a_million(bad: int) -> None:
    lot, n = 10**6, 20
    found = np.arange(n + 1)
    pmf = hypergeometric_pmf(found, lot, bad, n)
    exact = [
        float(Fraction(math.comb(bad, x) * math.comb(lot - bad, n - x), math.comb(lot, n)))
        for x in range(n + 1)
    ]
    assert pmf == pytest.approx(exact, rel=1e-11, abs=1e-300)


def test_binomial_and_poisson_sum_to_one_and_handle_the_edges() -> None:
    assert binomial_pmf(125, 0.01).sum() == pytest.approx(1.0, abs=1e-14)
    assert binomial_pmf(5, 0.0).tolist() == [1.0, 0, 0, 0, 0, 0]
    assert binomial_pmf(5, 1.0).tolist() == [0, 0, 0, 0, 0, 1.0]
    assert binomial_pmf(3, 0.5) == pytest.approx([1 / 8, 3 / 8, 3 / 8, 1 / 8], rel=1e-15)
    assert poisson_pmf(3, 0.0).tolist() == [1.0, 0, 0, 0]
    assert poisson_pmf(2, 2.0) == pytest.approx(
        [math.exp(-2), 2 * math.exp(-2), 2 * math.exp(-2)], rel=1e-15
    )
