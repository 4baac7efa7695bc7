"""How a thread is made: tapping, thread milling or thread turning.

The route (:func:`rampwise.rules.process.plan_route`) asks this module for every thread
characteristic of the drawing; the cycle time
(:func:`rampwise.rules.cycle_time.thread_adders`) times what it returns, so the route, the
cycle time and the price name one process per thread.

- an **internal** thread up to ``tap_max_nominal_mm`` (M12) is **tapped** on the route's
  spindle; larger ones, and any in a material class of ``thread_mill_removal_classes``
  (titanium: a broken tap scraps the part), are **thread-milled** on a mill and
  **thread-turned** (single point, internal) on a lathe;
- an **external** thread is **thread-turned** on a turned part and **thread-milled** on
  a milled one.

The figures are in ``catalog/threading.csv`` and ``catalog/threading_rules.csv`` with
their sources.

References
----------
.. [1] ISO 965-1:2013 and ASME B1.1-2019 (the designations, :mod:`rampwise.tolerance.thread`).
.. [2] ctemag.com, "Where taps fear to thread" (2009): thread milling where a broken tap
   would scrap the part or the material is too hard to tap.
.. [3] research/quoting.md §1 (Protolabs: M1.6–M12 threads thread-milled and gauged).
"""

from __future__ import annotations

from functools import cache

from pydantic import BaseModel, ConfigDict

from rampwise.catalog import load_table
from rampwise.core.model import Characteristic, Part
from rampwise.core.vocabulary import Vocabulary

__all__ = ["ThreadOperation", "ThreadProcess", "thread_operation", "thread_operations"]


class ThreadProcess(Vocabulary):
    """The process that cuts a thread."""

    TAPPING = (
        "tapping",
        "Tapping",
        "An internal thread cut by a tap in a drilled core hole, on the route's spindle.",
    )
    THREAD_MILLING = (
        "thread_milling",
        "Thread milling",
        "A thread cut by a thread mill's helical interpolation on a machining centre.",
    )
    THREAD_TURNING = (
        "thread_turning",
        "Thread turning",
        "A thread cut on the lathe by a single-point tool in several infeed passes.",
    )


class ThreadOperation(BaseModel):
    """How one thread characteristic is made.

    Attributes
    ----------
    characteristic_id
        Id of the thread characteristic on the drawing.
    designation
        Its canonical designation (``"M3x0.5-6H"``).
    process
        Tapping, thread milling or thread turning.
    internal
        Internal (tapped hole) or external (threaded shaft).
    count
        Threads of this designation on one part [count].
    minutes_per_thread
        Machine time per thread in aluminium, before the material's feature time factor
        [min] (``catalog/threading.csv``).
    setup_minutes
        Setting the threading tool once per batch [min].
    reason
        Why this process, in words.
    source
        The catalog row's source.
    """

    model_config = ConfigDict(frozen=True)

    characteristic_id: str
    designation: str
    process: ThreadProcess
    internal: bool
    count: int
    minutes_per_thread: float
    setup_minutes: float
    reason: str
    source: str


@cache
def _rules() -> dict[str, str]:
    return {row["name"]: row["value"] for row in load_table("threading_rules")}


@cache
def _times() -> dict[ThreadProcess, tuple[float, float, str]]:
    return {
        ThreadProcess(row["process"]): (
            float(row["minutes_per_thread"]),
            float(row["setup_minutes"]),
            row["source"],
        )
        for row in load_table("threading")
    }


def _process(
    internal: bool, nominal_mm: float, removal_class: str, *, turned: bool
) -> tuple[ThreadProcess, str]:
    """The process and why (module docstring for the rules)."""
    if not internal:
        if turned:
            return ThreadProcess.THREAD_TURNING, "an external thread on a turned part"
        return ThreadProcess.THREAD_MILLING, "an external thread on a milled part"
    limit = float(_rules()["tap_max_nominal_mm"])
    hard = removal_class in _rules()["thread_mill_removal_classes"].split(";")
    other = ThreadProcess.THREAD_TURNING if turned else ThreadProcess.THREAD_MILLING
    if hard:
        return other, f"{removal_class} is thread-cut, not tapped: a broken tap scraps the part"
    if nominal_mm > limit:
        return other, f"larger than the M{limit:g} a machining centre taps"
    return ThreadProcess.TAPPING, f"an internal thread up to M{limit:g}"


def thread_operation(
    characteristic: Characteristic, part: Part, *, turned: bool
) -> ThreadOperation:
    """The process that makes one thread characteristic, with its time per thread.

    Parameters
    ----------
    characteristic
        A thread characteristic (``kind: thread``); its designation gives the nominal
        diameter [mm] and the side.
    part
        The part: its material's removal-rate class decides tapping or thread milling.
    turned
        Whether the route turns the part (external threads are then thread-turned).

    Raises
    ------
    ValueError
        If the characteristic is not a thread (the caller routes only threads here).
    """
    spec = characteristic.thread
    if spec is None:
        raise ValueError(f"characteristic {characteristic.id!r} is not a thread")
    process, why = _process(
        spec.internal, spec.nominal_mm, part.material.removal_rate_class, turned=turned
    )
    minutes, setup, source = _times()[process]
    side = "internal" if spec.internal else "external"
    return ThreadOperation(
        characteristic_id=str(characteristic.id),
        designation=spec.designation,
        process=process,
        internal=spec.internal,
        count=characteristic.count,
        minutes_per_thread=minutes,
        setup_minutes=setup,
        reason=f"{spec.designation} ({side}): {process.phrase}, {why}",
        source=source,
    )


def thread_operations(part: Part, *, turned: bool) -> tuple[ThreadOperation, ...]:
    """:func:`thread_operation` for every thread characteristic of the part, drawing order."""
    return tuple(
        thread_operation(c, part, turned=turned)
        for c in part.characteristics
        if c.thread is not None
    )
