"""The anchor of the Monte Carlo figures: a 20-contributor stack-up in plain numpy.

What a person would write without rampwise: every contributor drawn at once from
``numpy.random.default_rng`` (``normal``, ``uniform``, ``triangular`` over its tolerance),
the gap summed with its gains, then mean, standard deviation, range and the fraction
outside the requirement. It imports numpy and nothing else, so as a process it is the
floor of ``rampwise stack --method monte-carlo`` on the same chain
(``benchmarks/bench_cli.py``); :func:`draw_and_sum` is the floor of the library call
(``benchmarks/bench_stackup.py``). :func:`stack_document` is the same chain as a stack file.

Run: ``.venv/bin/python benchmarks/plain_monte_carlo.py [SAMPLES]`` (default 1e6).
"""

from __future__ import annotations

import sys
from typing import Any

import numpy as np

SAMPLES = 1_000_000
CONTRIBUTORS = 20
REQUIREMENT = (9.9, 10.1)
"""Limits of the gap [mm]: about ±2.3σ around its mean, so some assemblies fall outside."""


def contributors() -> list[dict[str, Any]]:
    """The chain: 20 links, alternately closing and opening; 16 normal, 2 uniform, 2 triangular."""
    kinds = ("normal", "uniform", "triangular")
    return [
        {
            "name": f"c{i}",
            "nominal": 10.0 + i,
            "tolerance": [-0.02, 0.02 + 0.001 * i],
            "direction": 1 if i % 2 else -1,
            "distribution": "normal" if i < 14 else kinds[i % 3],
        }
        for i in range(CONTRIBUTORS)
    ]


def stack_document() -> dict[str, Any]:
    """The chain as a rampwise stack file (YAML or JSON) holds it."""
    low, high = REQUIREMENT
    return {
        "name": "bench",
        "unit": "mm",
        "requirement": {"min": low, "max": high},
        "contributors": contributors(),
    }


def draw_and_sum(samples: int, seed: int) -> np.ndarray:
    """The gap of ``samples`` assemblies, every draw made at once [mm].

    A normal link has its tolerance at ±3σ; uniform and triangular links span it.
    """
    rng = np.random.default_rng(seed)
    links = contributors()
    gap = np.zeros(samples)
    for kind in ("normal", "uniform", "triangular"):
        chosen = [c for c in links if c["distribution"] == kind]
        if not chosen:
            continue
        lower = np.array([c["nominal"] + c["tolerance"][0] for c in chosen])
        upper = np.array([c["nominal"] + c["tolerance"][1] for c in chosen])
        gains = np.array([float(c["direction"]) for c in chosen])
        size = (samples, len(chosen))
        if kind == "normal":
            draws = rng.normal((lower + upper) / 2, (upper - lower) / 6, size)
        elif kind == "uniform":
            draws = rng.uniform(lower, upper, size)
        else:
            draws = rng.triangular(lower, (lower + upper) / 2, upper, size)
        gap += draws @ gains
    return gap


def main() -> None:
    samples = int(float(sys.argv[1])) if len(sys.argv) > 1 else SAMPLES
    gap = draw_and_sum(samples, seed=0)
    low, high = REQUIREMENT
    outside = np.count_nonzero((gap < low) | (gap > high)) / samples
    print(
        f"gap mean {gap.mean():.5f} mm, std {gap.std(ddof=1):.5f} mm, "
        f"range {gap.min():.4f} … {gap.max():.4f} mm, outside {outside:.4%}"
    )


if __name__ == "__main__":
    main()
