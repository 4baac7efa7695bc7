"""Read-only numeric series for frozen result models, and cheap constant arrays.

Charts keep their plotted points in numpy arrays (a million points as Python floats would
cost ~30 times the memory). Inside a frozen pydantic model an array is made read-only;
arrays a chart computes itself are frozen in place instead of copied, and constant centre
lines and limits are zero-memory broadcast views, so memory stays a small multiple of n.
The series stay out of a result's JSON; :class:`ComparedByJson` compares results by it.
Long series are walked in blocks (:data:`CHUNK` points) so that no step needs a full-size
temporary, and ascending integer sequences (line numbers, flagged points) are kept as
:class:`Runs`.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Annotated, Any

import numpy as np
from numpy.typing import ArrayLike, NDArray
from pydantic import BaseModel, ConfigDict, PlainSerializer, PlainValidator

from rampwise.core.errors import InputError


def _read_only(value: Any, dtype: type[np.generic]) -> Any:
    """A read-only array: read-only input of the right type is kept, anything else copied."""
    if isinstance(value, np.ndarray) and value.dtype == dtype and not value.flags.writeable:
        return value
    array = np.array(value, dtype=dtype)
    array.flags.writeable = False
    return array


def _read_only_floats(value: Any) -> NDArray[np.float64]:
    result: NDArray[np.float64] = _read_only(value, np.float64)
    return result


def _read_only_ints(value: Any) -> NDArray[np.int64]:
    result: NDArray[np.int64] = _read_only(value, np.int64)
    return result


def constant(size: int, value: float) -> NDArray[np.float64]:
    """A read-only array of ``size`` copies of ``value`` that costs no memory (a view)."""
    return np.broadcast_to(np.float64(value), (size,))


def unit_sizes(size: int) -> NDArray[np.int64]:
    """Read-only subgroup sizes of 1 for ``size`` individual values, without memory."""
    return np.broadcast_to(np.int64(1), (size,))


def frozen(array: NDArray[Any]) -> NDArray[Any]:
    """Mark a freshly computed array read-only so a chart can keep it without a copy."""
    array.flags.writeable = False
    return array


FloatSeries = Annotated[
    NDArray[np.float64],
    PlainValidator(_read_only_floats),
    PlainSerializer(lambda a: a.tolist(), return_type=list[float]),
]
"""A read-only float array inside a frozen model (serialised as a list)."""

IntSeries = Annotated[
    NDArray[np.int64],
    PlainValidator(_read_only_ints),
    PlainSerializer(lambda a: a.tolist(), return_type=list[int]),
]
"""A read-only integer array inside a frozen model (serialised as a list)."""


class ComparedByJson(BaseModel):
    """A result compared by its JSON: what the JSON leaves out does not count.

    The per-point series a chart plots and the raw measurements are kept by the run that
    computed them, not in the JSON (it would grow with every value measured). A result
    read back from its JSON therefore has none, and equals the result it was stored from
    exactly when their JSON, everything the result states, is equal. Two results
    holding numpy arrays could not be compared field by field anyway (an array's ``==``
    is element-wise).
    """

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, BaseModel) or type(other) is not type(self):
            return NotImplemented
        return self.model_dump_json() == other.model_dump_json()


def finite_array(name: str, values: ArrayLike) -> NDArray[np.float64]:
    """``values`` as a 1-D float array, or :class:`InputError` naming the first non-finite."""
    try:
        array = np.asarray(values, dtype=np.float64).ravel()
    except (TypeError, ValueError) as err:
        raise InputError(name, f"must be numbers; {err}") from None
    if array.size and not np.all(np.isfinite(array)):
        bad = int(np.flatnonzero(~np.isfinite(array))[0])
        raise InputError(name, f"value {bad + 1} is {array[bad]!r}; every value must be finite")
    return array


CHUNK = 1 << 17
"""Points per block in the blockwise (bounded-memory) loops: 1 MiB of float64."""


def blocks(size: int, chunk: int = CHUNK) -> range:
    """Start positions of consecutive blocks of ``chunk`` points covering ``size``."""
    return range(0, size, chunk)


def mean_and_std(values: NDArray[np.float64]) -> tuple[float, float]:
    """Mean and sample standard deviation (ddof 1) in two blockwise passes.

    Equal to ``np.mean`` and ``np.std(ddof=1)`` to rounding, without their full-size
    temporary (sums are numpy's pairwise sums, not BLAS, which spins threads for
    nothing on a shared machine); σ is NaN for fewer than 2 values.

    Parameters
    ----------
    values
        The data [unit].

    Returns
    -------
    tuple of float
        ``(mean, std)`` [unit].
    """
    n = values.size
    if n == 0:
        return math.nan, math.nan
    mean = float(np.mean(values))
    squares = 0.0
    for start in blocks(n):
        deviation = values[start : start + CHUNK] - mean
        squares += float(np.sum(deviation * deviation))
    return mean, math.sqrt(squares / (n - 1)) if n > 1 else math.nan


def mean_abs_diff(
    values: NDArray[np.float64],
    transform: Callable[[NDArray[np.float64]], NDArray[np.float64]] | None = None,
) -> float:
    """Mean |xᵢ − xᵢ₋₁| of consecutive values (of ``transform(x)`` if given), blockwise.

    Parameters
    ----------
    values
        At least 2 values in order [unit].
    transform
        Optional element-wise transformation applied block by block first.

    Returns
    -------
    float
        Average moving range of 2 [unit, or transformed unit].
    """
    total = 0.0
    for start in blocks(values.size - 1):
        block = values[start : start + CHUNK + 1]
        if transform is not None:
            block = transform(block)
        total += float(np.sum(np.abs(np.diff(block))))
    return total / (values.size - 1)


class Runs(BaseModel):
    """An ascending integer sequence kept as runs of consecutive numbers.

    Line numbers of a CSV without comments between its rows, or the points a rule
    flags, are mostly consecutive: a run ``first, first+1, …`` costs two integers
    however long it is. ``expand()`` gives the full array for output that asks for it.

    Attributes
    ----------
    first
        First number of each run.
    offset
        Position in the sequence where each run begins (the first is 0).
    size
        Length of the whole sequence.
    """

    model_config = ConfigDict(frozen=True)

    first: IntSeries
    offset: IntSeries
    size: int

    @classmethod
    def compress(cls, numbers: NDArray[np.int64]) -> Runs:
        """The runs of an ascending integer array."""
        numbers = np.asarray(numbers, dtype=np.int64)
        if numbers.size == 0:
            empty = np.zeros(0, dtype=np.int64)
            return cls(first=empty, offset=empty, size=0)
        breaks = np.flatnonzero(np.diff(numbers) != 1) + 1
        offset = np.concatenate(([0], breaks))
        return cls(first=numbers[offset], offset=offset, size=int(numbers.size))

    @classmethod
    def counting(cls, first: int, size: int) -> Runs:
        """``first, first+1, …`` for ``size`` numbers: one run."""
        runs = int(size > 0)
        first_array = np.full(runs, first, dtype=np.int64)
        return cls(first=first_array, offset=np.zeros(runs, dtype=np.int64), size=size)

    def expand(self) -> NDArray[np.int64]:
        """Every number of the sequence, as an array."""
        lengths = np.diff(np.append(self.offset, self.size))
        out = np.arange(self.size, dtype=np.int64)
        out += np.repeat(self.first - self.offset, lengths)
        return out

    def at(self, position: int) -> int:
        """The number at ``position`` (0-based)."""
        run = int(np.searchsorted(self.offset, position, side="right")) - 1
        return int(self.first[run] + position - self.offset[run])
