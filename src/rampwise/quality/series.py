"""Read-only numeric series for frozen result models, and cheap constant arrays.

Charts keep their plotted points in numpy arrays (a million points as Python floats would
cost ~30 times the memory). Inside a frozen pydantic model an array is made read-only;
arrays a chart computes itself are frozen in place instead of copied, and constant centre
lines and limits are zero-memory broadcast views, so memory stays a small multiple of n.
The series stay out of a result's JSON; :class:`ComparedByJson` compares results by it.
"""

from __future__ import annotations

from typing import Annotated, Any

import numpy as np
from numpy.typing import ArrayLike, NDArray
from pydantic import BaseModel, PlainSerializer, PlainValidator

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
