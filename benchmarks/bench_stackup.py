"""Monte Carlo stack-up speed: 1e6 samples × 20 contributors (target ≤ 0.5 s on 2 cores).

Run: ``.venv/bin/python benchmarks/bench_stackup.py``. Prints the best of five runs, the
samples per second and the peak memory of one chunk.
"""

from __future__ import annotations

import time

from rampwise.tolerance.spec import ToleranceSpec
from rampwise.tolerance.stackup import (
    DEFAULT_CHUNK,
    Contributor,
    Distribution,
    Requirement,
    Stack,
    monte_carlo,
)

SAMPLES = 1_000_000
CONTRIBUTORS = 20
TARGET_S = 0.5


def build_stack() -> Stack:
    kinds = (Distribution.NORMAL, Distribution.UNIFORM, Distribution.TRIANGULAR)
    contributors = tuple(
        Contributor(
            name=f"c{i}",
            nominal=10.0 + i,
            tolerance=ToleranceSpec(upper_deviation=0.02 + 0.001 * i, lower_deviation=-0.02),
            direction=1 if i % 2 else -1,
            distribution=Distribution.NORMAL if i < 14 else kinds[i % 3],
        )
        for i in range(CONTRIBUTORS)
    )
    return Stack(
        name="bench", requirement=Requirement(min=-0.5, max=0.5), contributors=contributors
    )


def main() -> None:
    stack = build_stack()
    monte_carlo(stack, 10_000, seed=1)  # warm-up (imports, BLAS threads)
    timings = []
    for run in range(5):
        start = time.perf_counter()
        result = monte_carlo(stack, SAMPLES, seed=run)
        timings.append(time.perf_counter() - start)
    best = min(timings)
    chunk_mb = DEFAULT_CHUNK * CONTRIBUTORS * 8 / 1e6
    print(f"monte_carlo: {SAMPLES:.0e} samples × {CONTRIBUTORS} contributors")
    print(f"  best of 5: {best:.3f} s (median {sorted(timings)[2]:.3f} s; target ≤ {TARGET_S} s)")
    print(f"  throughput: {SAMPLES / best / 1e6:.1f} M assemblies/s")
    print(f"  chunk: {DEFAULT_CHUNK} samples ≈ {chunk_mb:.0f} MB of draws")
    print(f"  gap mean {result.mean:.4f} mm, std {result.std:.4f} mm")
    print("  meets target" if best <= TARGET_S else "  SLOWER THAN TARGET")


if __name__ == "__main__":
    main()
