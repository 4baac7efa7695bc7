"""Monte Carlo stack-up in process: 1e6 samples × 20 contributors, beside plain numpy.

Both sides run the chain of ``benchmarks/plain_monte_carlo.py`` in this one process, after
a warm-up each (imports, first-touch pages, BLAS threads):

* rampwise: :func:`rampwise.tolerance.stackup.monte_carlo` of the chain read as a stack
  file, i.e. chunk by chunk;
* anchor: :func:`plain_monte_carlo.draw_and_sum`, every draw made at once, plus the same
  statistics (mean, standard deviation, range, fraction outside).

Each is run ``--repeat`` times, alternating, and printed with its best and median CPU
seconds (``time.process_time``: every thread of the process, so BLAS threads that spin
count) and wall seconds; one more run of each under ``tracemalloc`` gives the peak of
traced allocations (numpy arrays included). The goal: rampwise's median CPU within 1.5×
the anchor's.

Run: ``.venv/bin/python benchmarks/bench_stackup.py [--repeat 5]``
"""

from __future__ import annotations

import argparse
import statistics
import time
import tracemalloc
from collections.abc import Callable

import numpy as np
from plain_monte_carlo import REQUIREMENT, SAMPLES, draw_and_sum, stack_document

from rampwise.tolerance.stackup import DEFAULT_CHUNK, monte_carlo, stack_from_mapping

GOAL_RATIO = 1.5
MB = 1e6


def plain(samples: int, seed: int) -> float:
    """The anchor: draw and sum, then the statistics rampwise reports; returns the mean."""
    gap = draw_and_sum(samples, seed)
    low, high = REQUIREMENT
    np.count_nonzero((gap < low) | (gap > high))
    gap.std(ddof=1), gap.min(), gap.max()
    return float(gap.mean())


def timed(run: Callable[[], object]) -> tuple[float, float]:
    """CPU and wall seconds of one call [s]."""
    cpu, wall = time.process_time(), time.perf_counter()
    run()
    return time.process_time() - cpu, time.perf_counter() - wall


def peak_mb(run: Callable[[], object]) -> float:
    """Peak of traced allocations during one call [MB]."""
    tracemalloc.start()
    try:
        run()
        return tracemalloc.get_traced_memory()[1] / MB
    finally:
        tracemalloc.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="timed runs of each side")
    options = parser.parse_args()
    stack = stack_from_mapping(stack_document())
    sides: dict[str, Callable[[], object]] = {
        "plain numpy draw-and-sum (anchor)": lambda: plain(SAMPLES, 0),
        "rampwise monte_carlo": lambda: monte_carlo(stack, SAMPLES, seed=0),
    }
    for run in sides.values():
        run()
    figures: dict[str, list[tuple[float, float]]] = {name: [] for name in sides}
    for _ in range(options.repeat):
        for name, run in sides.items():
            figures[name].append(timed(run))
    print(f"Monte Carlo stack-up, {SAMPLES:.0e} samples × {len(stack.contributors)} contributors")
    print(f"rampwise chunk: {DEFAULT_CHUNK} samples; {options.repeat} runs of each, alternating")
    print(f"{'':36} {'CPU best':>9} {'CPU median':>11} {'wall median':>12} {'peak MB':>8}")
    for name, run in sides.items():
        cpu = [c for c, _ in figures[name]]
        wall = [w for _, w in figures[name]]
        print(
            f"{name:36} {min(cpu):9.3f} {statistics.median(cpu):11.3f} "
            f"{statistics.median(wall):12.3f} {peak_mb(run):8.1f}"
        )
    anchor, ours = (statistics.median(c for c, _ in figures[name]) for name in sides)
    ratio = ours / anchor
    verdict = "meets" if ratio <= GOAL_RATIO else "misses"
    print(f"rampwise / anchor CPU: {ratio:.2f} ({verdict} the goal ≤ {GOAL_RATIO})")
    result = monte_carlo(stack, SAMPLES, seed=0)
    print(
        f"rampwise gap: mean {result.mean:.5f} mm, std {result.std:.5f} mm, "
        f"outside {result.fraction_out:.4%}"
    )


if __name__ == "__main__":
    main()
