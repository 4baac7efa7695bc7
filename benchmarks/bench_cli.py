"""``rampwise`` commands as a user runs them, a fresh process each, beside their anchors.

Every row is a fresh process measured by the operating system (``os.wait4``): CPU seconds
(user + system, every thread), wall seconds and peak RSS. Each row runs once to warm the
disk cache and write the bytecode, then ``--repeat`` times; the median CPU and wall and
the largest peak RSS are printed. Rows:

* anchors: ``python -c 'import numpy'`` (the floor of any command that computes), and
  ``benchmarks/plain_monte_carlo.py`` (1e6 × 20 stack-up in plain numpy) as a process;
* the commands: ``--help``, ``limits``, ``fit``, ``stages``, ``sampling``, the
  Monte Carlo ``stack`` on the anchor's chain at 1e6 draws, ``assess``, ``quote``,
  ``capability`` and ``analyze`` of a STEP part.

A command runs as the console script does (``from rampwise.app.cli import main; main()``)
with ``PYTHONPATH`` set to a source tree, so ``--compare OTHER/src`` puts the committed
code ("before", e.g. a ``git worktree``) beside this tree's in the same run, rounds
alternating. ``PYTHONDONTWRITEBYTECODE`` and ``RAMPWISE_*`` are removed from the
children's environment: a user's interpreter writes and reuses bytecode, and both trees
use the catalog's default shop. The goals are printed under the table.

Run::

    git worktree add --detach /tmp/rampwise-before HEAD   # the committed code, untouched
    .venv/bin/python benchmarks/bench_cli.py [--compare /tmp/rampwise-before/src] [--repeat 5]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from plain_monte_carlo import stack_document

HERE = Path(__file__).resolve().parent
SRC = HERE.parent / "src"
EXAMPLES = SRC / "rampwise" / "examples"
SHARED_CAD = HERE.parents[1] / "shared" / "cad"
CLI = "from rampwise.app.cli import main; main()"
WHERE = "import rampwise; print(rampwise.__file__)"
STACK_FILE = "stack_1e6x20.json"

ANCHORS: dict[str, list[str]] = {
    "python -c 'import numpy'": ["-c", "import numpy"],
    "plain numpy Monte Carlo 1e6 × 20": [str(HERE / "plain_monte_carlo.py")],
}
COMMANDS: tuple[tuple[str, ...], ...] = (
    ("--help",),
    ("limits", "25", "g6"),
    ("fit", "25", "H7/g6"),
    ("stages",),
    ("sampling", "--lot-size", "2400", "--aql", "1.0", "--level", "II"),
    ("stack", STACK_FILE, "--method", "monte-carlo"),
    ("assess", str(EXAMPLES / "bracket_fit_check.yaml")),
    ("assess", str(EXAMPLES / "valve_body_production.yaml"), "--json"),
    ("quote", str(EXAMPLES / "enclosure_market_release.yaml")),
    ("assess", str(EXAMPLES / "sensor_housing_pilot.yaml")),
    (
        "capability",
        str(EXAMPLES / "measurements" / "sensor_housing_bore.csv"),
        "--spec",
        str(EXAMPLES / "measurements" / "sensor_housing_spec.yaml"),
    ),
    ("analyze", str(SHARED_CAD / "nist_ctc_01_asme1_ap242-e1.stp"), "--json"),
)
GOALS: dict[str, float] = {"--help": 0.3, "limits 25 g6": 0.5, "sampling": 0.5}
"""Largest median CPU seconds per command (issue 24), by the start of its row label."""
MONTE_CARLO_RATIO = 1.5
"""The Monte Carlo command's CPU at most this times the plain numpy script's as a process."""


@dataclass
class Row:
    """One row's runs: CPU [s], wall [s] and peak RSS [MB] of each."""

    cpu: list[float] = field(default_factory=list)
    wall: list[float] = field(default_factory=list)
    rss: list[float] = field(default_factory=list)

    def add(self, measured: tuple[float, float, float]) -> None:
        cpu, wall, rss = measured
        self.cpu.append(cpu)
        self.wall.append(wall)
        self.rss.append(rss)

    def cells(self) -> str:
        if not self.cpu:
            return f"{'':>7} {'':>7} {'':>7}"
        cpu, wall = statistics.median(self.cpu), statistics.median(self.wall)
        return f"{cpu:7.3f} {wall:7.3f} {max(self.rss):7.1f}"


def environment(src: Path) -> dict[str, str]:
    """The children's environment: ``src``'s code imported, bytecode written and read."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("RAMPWISE_") and k != "PYTHONDONTWRITEBYTECODE"
    }
    env["PYTHONPATH"] = str(src)
    return env


def run(arguments: list[str], env: dict[str, str], workdir: Path) -> tuple[float, float, float]:
    """CPU [s], wall [s] and peak RSS [MB] of ``python ARGUMENTS``; a failure stops the script."""
    with tempfile.TemporaryFile("w+") as errors:
        start = time.perf_counter()
        process = subprocess.Popen(
            [sys.executable, *arguments],
            stdout=subprocess.DEVNULL,
            stderr=errors,
            env=env,
            cwd=workdir,
        )
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode != 0:
            errors.seek(0)
            raise SystemExit(f"{' '.join(arguments)} exited {process.returncode}: {errors.read()}")
    return usage.ru_utime + usage.ru_stime, wall, usage.ru_maxrss / 1024


def label(arguments: tuple[str, ...]) -> str:
    """A command's row label: its arguments, files by name."""
    return " ".join(Path(a).name if Path(a).is_absolute() else a for a in arguments)


def check_tree(src: Path, workdir: Path) -> None:
    """Stop unless ``PYTHONPATH=src`` imports rampwise from ``src``."""
    where = subprocess.run(
        [sys.executable, "-c", WHERE],
        check=True,
        capture_output=True,
        text=True,
        env=environment(src),
        cwd=workdir,
    ).stdout.strip()
    if not Path(where).resolve().is_relative_to(src.resolve()):
        raise SystemExit(f"PYTHONPATH={src} imports {where}: the wrong rampwise")


def goals(after: dict[str, Row], anchors: dict[str, Row]) -> list[str]:
    """One line per goal of issue 24, met or missed, from this tree's medians."""
    lines = []
    for name, row in after.items():
        limit = next((v for k, v in GOALS.items() if name.startswith(k)), None)
        if limit is not None:
            cpu = statistics.median(row.cpu)
            verdict = "meets" if cpu <= limit else "MISSES"
            lines.append(f"{name}: {cpu:.3f} s CPU, {verdict} the goal ≤ {limit} s")
    plain = statistics.median(anchors["plain numpy Monte Carlo 1e6 × 20"].cpu)
    stack = statistics.median(after[label(COMMANDS[5])].cpu)
    ratio = stack / plain
    verdict = "meets" if ratio <= MONTE_CARLO_RATIO else "MISSES"
    lines.append(
        f"stack --method monte-carlo: {ratio:.2f}× the plain numpy script's CPU, "
        f"{verdict} the goal ≤ {MONTE_CARLO_RATIO}×"
    )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="timed runs per row")
    parser.add_argument("--src", type=Path, default=SRC, help="the tree measured (after)")
    parser.add_argument("--compare", type=Path, help="a tree measured beside it (before)")
    options = parser.parse_args()
    trees = {"after": options.src} | ({"before": options.compare} if options.compare else {})
    with tempfile.TemporaryDirectory() as scratch:
        workdir = Path(scratch)
        (workdir / STACK_FILE).write_text(json.dumps(stack_document()), encoding="utf-8")
        for src in trees.values():
            check_tree(src, workdir)
        bare = environment(SRC)
        anchors = {name: Row() for name in ANCHORS}
        results = {tree: {label(c): Row() for c in COMMANDS} for tree in trees}
        for index in range(options.repeat + 1):
            order = list(trees) if index % 2 == 0 else list(reversed(trees))
            for name, arguments in ANCHORS.items():
                measured = run(arguments, bare, workdir)
                if index:
                    anchors[name].add(measured)
            for command in COMMANDS:
                for tree in order:
                    measured = run(["-c", CLI, *command], environment(trees[tree]), workdir)
                    if index:
                        results[tree][label(command)].add(measured)
    print(f"median of {options.repeat} runs (after one warm-up); peak RSS is the largest seen")
    header = "".join(f" | {tree + ': CPU s  wall s  RSS MB':>26}" for tree in trees)
    print(f"{'row':44}{header}")
    for name, row in anchors.items():
        print(f"{'anchor: ' + name:44} | {row.cells():>26}")
    for name in results["after"]:
        cells = "".join(f" | {results[tree][name].cells():>26}" for tree in trees)
        print(f"{'rampwise ' + name:44}{cells}")
    for line in goals(results["after"], anchors):
        print(line)


if __name__ == "__main__":
    main()
