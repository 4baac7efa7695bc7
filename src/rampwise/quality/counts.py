"""Probability of each count of nonconforming items in a sample, in numpy alone.

The binomial, Poisson and hypergeometric probability mass functions that the OC curves of
:mod:`rampwise.quality.oc` read, in log form through ln k!: exact (``math.lgamma``) below
256 and Stirling's series above, which is then accurate to the last bits of a double.
They need no scipy, so a sampling plan is worked out without importing it.

References
----------
.. [1] Abramowitz, M., Stegun, I. A., *Handbook of Mathematical Functions*, 1964, 6.1.41
   (asymptotic expansion of ln Γ(z)).
.. [2] Montgomery, D. C., *Introduction to Statistical Quality Control*, 7th ed., Wiley,
   2013, §3.2 (binomial, Poisson and hypergeometric distributions).
"""

from __future__ import annotations

import math
from functools import cache

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = [
    "binomial_pmf",
    "hypergeometric_pmf",
    "log_factorial",
    "log_falling_factorial",
    "poisson_pmf",
]

FloatArray = NDArray[np.float64]

_TABLED = 256
"""ln k! is read from a table of ``math.lgamma`` below this k, from Stirling's series above."""
_HALF_LN_2PI = 0.5 * math.log(2 * math.pi)


@cache
def _table() -> FloatArray:
    table = np.array([math.lgamma(k + 1) for k in range(_TABLED)], dtype=np.float64)
    table.flags.writeable = False
    return table


def _series(z: FloatArray) -> FloatArray:
    """The z⁻¹ … z⁻⁷ terms of Stirling's series for ln Γ(z) (the next is < 1e-24 at z ≥ 257)."""
    inverse = 1.0 / z
    square = inverse * inverse
    return inverse * (1 / 12 - square * (1 / 360 - square * (1 / 1260 - square / 1680)))


def log_factorial(k: ArrayLike) -> FloatArray:
    """Natural logarithm of k! of whole numbers k ≥ 0, element by element [unitless].

    A table of ``math.lgamma`` below 256; above, Stirling's series for ln Γ(z), z = k + 1
    (A&S 6.1.41).
    """
    counts = np.asarray(k, dtype=np.int64)
    z = np.maximum(counts, _TABLED).astype(np.float64) + 1.0
    stirling = (z - 0.5) * np.log(z) - z + _HALF_LN_2PI + _series(z)
    small = _table()[np.clip(counts, 0, _TABLED - 1)]
    return np.asarray(np.where(counts < _TABLED, small, stirling), dtype=np.float64)


def log_falling_factorial(a: ArrayLike, m: ArrayLike) -> FloatArray:
    """Natural logarithm of a!/(a − m)! of whole numbers 0 ≤ m ≤ a, element by element.

    For a − m ≥ 256 the difference of the two Stirling series is taken term by term
    (log1p of the ratio), so a lot of a million items loses no digits to the difference
    of two numbers near 1.3e7.
    """
    top, count = np.broadcast_arrays(np.asarray(a, np.int64), np.asarray(m, np.int64))
    rest = top - count
    z_rest = np.maximum(rest, _TABLED).astype(np.float64) + 1.0
    z_top = z_rest + count
    stirling = (
        (z_rest - 0.5) * np.log1p(count / z_rest)
        + count * (np.log(z_top) - 1.0)
        + _series(z_top)
        - _series(z_rest)
    )
    direct = log_factorial(top) - log_factorial(rest)
    return np.asarray(np.where(rest >= _TABLED, stirling, direct), dtype=np.float64)


def _log_choose(a: ArrayLike, m: ArrayLike) -> FloatArray:
    """Natural logarithm of the binomial coefficient C(a, m), whole numbers 0 ≤ m ≤ a."""
    return log_falling_factorial(a, m) - log_factorial(m)


@cache
def _log_binomial_coefficients(n: int) -> FloatArray:
    coefficients = _log_choose(n, np.arange(n + 1))
    coefficients.flags.writeable = False
    return coefficients


def binomial_pmf(n: int, p: float) -> FloatArray:
    """P(X = x) for x = 0 … n, X ~ Binomial(n, p) [unitless].

    In log form, so that p at the smallest positive double neither overflows nor
    underflows before the end.
    """
    if p <= 0.0 or p >= 1.0:
        certain = np.zeros(n + 1)
        certain[0 if p <= 0.0 else n] = 1.0
        return certain
    x = np.arange(n + 1)
    log_pmf = _log_binomial_coefficients(n) + x * math.log(p) + (n - x) * math.log1p(-p)
    return np.asarray(np.exp(log_pmf), dtype=np.float64)


def poisson_pmf(n: int, mean: float) -> FloatArray:
    """P(X = x) for x = 0 … n, X ~ Poisson(mean) [unitless] (the tail above n left out)."""
    if mean <= 0.0:
        certain = np.zeros(n + 1)
        certain[0] = 1.0
        return certain
    x = np.arange(n + 1)
    return np.asarray(np.exp(x * math.log(mean) - mean - log_factorial(x)), dtype=np.float64)


def hypergeometric_pmf(x: ArrayLike, lot: int, nonconforming: ArrayLike, n: int) -> FloatArray:
    """P(X = x), X the nonconforming items among n drawn without replacement [unitless].

    Parameters
    ----------
    x
        Counts, broadcast against ``nonconforming`` [items].
    lot
        Items in the lot N [items].
    nonconforming
        Nonconforming items in the lot K [items].
    n
        Items drawn [items], ≤ N.

    Returns
    -------
    numpy.ndarray
        C(K, x)·C(N − K, n − x) / C(N, n); 0 where x is impossible.
    """
    found, bad = np.broadcast_arrays(np.asarray(x, np.int64), np.asarray(nonconforming, np.int64))
    good = lot - bad
    possible = (found >= 0) & (found <= bad) & (n - found >= 0) & (n - found <= good)
    k = np.where(possible, found, 0)
    b = np.where(possible, bad, 0)
    g = np.where(possible, good, 0)
    log_pmf = _log_choose(b, k) + _log_choose(g, n - k) - _log_choose(lot, n)
    return np.asarray(np.where(possible, np.exp(log_pmf), 0.0), dtype=np.float64)
