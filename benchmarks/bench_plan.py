"""End-to-end cost of planning, for one source tree or two side by side in the same run.

For every bundled example project (``rampwise/examples/*.yaml`` of each tree) it measures

* in process: ``rampwise.api.assess(project)`` of the project read with
  :func:`rampwise.io.project_file.load_project` (``today`` fixed at 2026-11-23, the tests'
  date, for both), after one warm-up run of every example: best and median wall time and
  median CPU time over ``--assess-repeat`` runs, then one more run under ``tracemalloc``
  for the peak of traced allocations. CPU time is the worker's ``time.process_time`` (all
  threads) plus that of the children ``multiprocessing`` started, which are waited for
  after the wall time is taken: the CAD analysis runs in a forked child, whose CPU and
  memory the worker's own figures miss. ``tracemalloc`` sees Python objects and numpy
  arrays, not OpenCascade's C++ heap nor the forked child; the last line gives the
  worker's max RSS and its largest child's. Loading is done once per example, outside the
  timed region;
* as a whole process: ``rampwise quote EXAMPLE``, i.e. ``python -c "from rampwise.app.cli import
  main; main()" quote EXAMPLE`` with ``PYTHONPATH=TREE`` so the tree's code is imported,
  after one warm-up run: best and median wall time, median CPU time of the child (user +
  system) and its max RSS over ``--repeat`` runs. Both come from the child's own resource
  usage (``os.wait4``): the same accounting as ``getrusage(RUSAGE_CHILDREN)`` deltas, but
  per child, since ``RUSAGE_CHILDREN``'s max RSS is a high-water mark over all children.

Each tree's in-process figures come from its own worker (this script with ``--worker``,
``PYTHONPATH=TREE``, answering one JSON line per request), so two trees' modules never meet
in one interpreter. With ``--compare`` the runs interleave round-robin (each repeat, each
example: one tree then the other, the order alternating between repeats) so machine noise
hits both alike. ``--compare`` is the anchor ("before"), ``--src`` the "after"; the ratio
column is after / before (< 1 is faster or smaller). ``RAMPWISE_*`` variables are removed
from the children's environment, so both trees price with the catalog's default shop.

Run (about 2½ minutes on 2 cores with the defaults)::

    git worktree add --detach /tmp/rampwise-before HEAD   # the committed code, untouched
    .venv/bin/python benchmarks/bench_plan.py --compare /tmp/rampwise-before/src \
        [--src src] [--repeat 5] [--assess-repeat 20]
"""

from __future__ import annotations

import argparse
import gc
import json
import multiprocessing
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import IO, Any

HERE = Path(__file__).resolve().parent
DEFAULT_SRC = HERE.parent / "src"
TODAY = date(2026, 11, 23)
CLI = (
    "import importlib.util as u; from importlib import import_module as m; "
    "m('rampwise.app.cli' if u.find_spec('rampwise.app') else 'rampwise.cli').main()"
)
WHERE = "import rampwise; print(rampwise.__file__)"
MB = 1e6


def examples_of(tree: Path) -> dict[str, Path]:
    """The bundled example projects of a source tree, by file stem."""
    return {path.stem: path for path in sorted((tree / "rampwise" / "examples").glob("*.yaml"))}


def tree_env(tree: Path) -> dict[str, str]:
    """The environment in which a tree's code, and only its, is imported."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("RAMPWISE_")}
    env["PYTHONPATH"] = str(tree)
    return env


# --------------------------------------------------------------------------- worker side


def worker(tree: Path) -> None:
    """Answer requests on stdin, one JSON line each, with one JSON line on stdout."""
    import importlib.util

    import rampwise

    # the module layout of the tree measured: the layered one, or the one before it
    layered = importlib.util.find_spec("rampwise.api") is not None
    assess = importlib.import_module("rampwise.api" if layered else "rampwise.assess").assess
    load_project = importlib.import_module(
        "rampwise.io.project_file" if layered else "rampwise.project_file"
    ).load_project

    out = sys.stdout
    sys.stdout = sys.stderr  # anything the library prints must not corrupt the protocol
    examples = examples_of(tree)
    projects: dict[str, Any] = {}

    def reply(message: dict[str, Any]) -> None:
        out.write(json.dumps(message) + "\n")
        out.flush()

    reply({"rampwise": rampwise.__file__, "examples": sorted(examples)})
    for line in sys.stdin:
        request = json.loads(line)
        name = request.get("example")
        try:
            if name not in projects:
                projects[name] = load_project(examples[name], today=TODAY)
            project = projects[name]
            if request["op"] == "time":
                reap_children()
                gc.collect()
                wall, cpu = time.perf_counter(), cpu_seconds()
                assess(project, today=TODAY)
                wall = time.perf_counter() - wall
                reap_children()
                reply({"wall": wall, "cpu": cpu_seconds() - cpu})
            elif request["op"] == "memory":
                reap_children()
                gc.collect()
                tracemalloc.start()
                assess(project, today=TODAY)
                peak = tracemalloc.get_traced_memory()[1]
                tracemalloc.stop()
                reply({"peak": peak})
            else:
                raise ValueError(f"unknown request {request!r}")
        except Exception as err:
            reply({"error": f"{type(err).__name__}: {err}"})
    reap_children()
    reply(
        {
            "maxrss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
            "child_maxrss": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024,
        }
    )


def cpu_seconds() -> float:
    """CPU time of this process (all threads) and of its children reaped so far [s]."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def reap_children() -> None:
    """Wait for the children ``multiprocessing`` started (the CAD analysis forks one).

    The library leaves an answered child to exit on its own; waiting for it here, outside
    the timed wall time, puts its CPU time in this run's figure and keeps its teardown
    from overlapping the next measurement (perhaps the other tree's).
    """
    for child in multiprocessing.active_children():
        child.join()


# --------------------------------------------------------------------------- parent side


@dataclass
class Tree:
    label: str
    src: Path
    examples: dict[str, Path]
    assess_wall: dict[str, list[float]] = field(default_factory=dict)
    assess_cpu: dict[str, list[float]] = field(default_factory=dict)
    assess_peak: dict[str, float] = field(default_factory=dict)
    quote_wall: dict[str, list[float]] = field(default_factory=dict)
    quote_cpu: dict[str, list[float]] = field(default_factory=dict)
    quote_rss: dict[str, list[float]] = field(default_factory=dict)
    worker_rss: float = float("nan")
    worker_child_rss: float = float("nan")


class Worker:
    """A ``--worker`` child importing one tree's code."""

    def __init__(self, tree: Tree, workdir: Path) -> None:
        self.tree = tree
        self.stderr: IO[str] = tempfile.TemporaryFile("w+")  # noqa: SIM115 (closed in close)
        self.process = subprocess.Popen(
            [sys.executable, str(Path(__file__).resolve()), "--worker", "--src", str(tree.src)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.stderr,
            text=True,
            env=tree_env(tree.src),
            cwd=workdir,
        )
        hello = self.receive()
        if not Path(hello["rampwise"]).resolve().is_relative_to(tree.src):
            raise SystemExit(f"{tree.label} worker imported {hello['rampwise']}, not {tree.src}")

    def receive(self) -> dict[str, Any]:
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        if not line:
            self.process.wait()
            self.stderr.seek(0)
            raise SystemExit(
                f"{self.tree.label} worker ({self.tree.src}) exited with "
                f"{self.process.returncode}:\n{self.stderr.read()[-4000:]}"
            )
        answer: dict[str, Any] = json.loads(line)
        return answer

    def ask(self, op: str, example: str) -> dict[str, Any]:
        assert self.process.stdin is not None
        self.process.stdin.write(json.dumps({"op": op, "example": example}) + "\n")
        self.process.stdin.flush()
        answer = self.receive()
        if "error" in answer:
            raise SystemExit(f"{self.tree.label}: assess of {example} failed: {answer['error']}")
        return answer

    def close(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        final = self.receive()
        self.tree.worker_rss = final["maxrss"]
        self.tree.worker_child_rss = final["child_maxrss"]
        self.process.wait(timeout=60)
        self.stderr.close()


@contextmanager
def workers(trees: Sequence[Tree], workdir: Path) -> Iterator[list[Worker]]:
    started: list[Worker] = []
    try:
        for tree in trees:
            started.append(Worker(tree, workdir))
        yield started
        for each in started:
            each.close()
    finally:
        for each in started:
            if each.process.poll() is None:
                each.process.kill()
                each.process.wait()


def quote_once(tree: Tree, example: str, workdir: Path) -> tuple[float, float, float]:
    """Wall [s], CPU [s] and max RSS [bytes] of one ``rampwise quote`` process."""
    with tempfile.TemporaryFile("w+") as errors:
        start = time.perf_counter()
        process = subprocess.Popen(
            [sys.executable, "-c", CLI, "quote", str(tree.examples[example])],
            stdout=subprocess.DEVNULL,
            stderr=errors,
            env=tree_env(tree.src),
            cwd=workdir,
        )
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode != 0:
            errors.seek(0)
            raise SystemExit(
                f"{tree.label}: rampwise quote {example} exited with {process.returncode}:\n"
                f"{errors.read()[-4000:]}"
            )
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss * 1024


def imported_from(tree: Tree, workdir: Path) -> Path:
    """Where a process with the tree's environment imports ``rampwise`` from."""
    where = subprocess.run(
        [sys.executable, "-c", WHERE],
        check=True,
        capture_output=True,
        text=True,
        env=tree_env(tree.src),
        cwd=workdir,
    ).stdout.strip()
    return Path(where).resolve()


def rounds(trees: Sequence[Any], count: int) -> Iterator[tuple[int, list[Any]]]:
    """Each round's order of the trees: alternating, so neither always goes first."""
    for index in range(count):
        yield index, list(trees) if index % 2 == 0 else list(reversed(trees))


def measure(trees: list[Tree], names: list[str], options: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        workdir = Path(scratch)
        for tree in trees:
            where = imported_from(tree, workdir)
            if not where.is_relative_to(tree.src):
                raise SystemExit(f"PYTHONPATH={tree.src} imports {where}: the wrong rampwise")
            print(f"{tree.label:>6}: rampwise imported from {where}", flush=True)
        print(f"in-process assess: warm-up + {options.assess_repeat} runs …", file=sys.stderr)
        with workers(trees, workdir) as started:
            for name in names:
                for each in started:
                    if name in each.tree.examples:
                        each.ask("time", name)
            for _, order in rounds(started, options.assess_repeat):
                for name in names:
                    for each in order:
                        if name in each.tree.examples:
                            answer = each.ask("time", name)
                            each.tree.assess_wall.setdefault(name, []).append(answer["wall"])
                            each.tree.assess_cpu.setdefault(name, []).append(answer["cpu"])
            for name in names:
                for each in started:
                    if name in each.tree.examples:
                        each.tree.assess_peak[name] = each.ask("memory", name)["peak"]
        print(f"rampwise quote: warm-up + {options.repeat} runs …", file=sys.stderr)
        for index, order in rounds(trees, options.repeat + 1):
            for name in names:
                for tree in order:
                    if name not in tree.examples:
                        continue
                    wall, cpu, rss = quote_once(tree, name, workdir)
                    if index > 0:
                        tree.quote_wall.setdefault(name, []).append(wall)
                        tree.quote_cpu.setdefault(name, []).append(cpu)
                        tree.quote_rss.setdefault(name, []).append(rss)


# --------------------------------------------------------------------------- the table


FIGURES: tuple[tuple[str, str, str, float], ...] = (
    # (section, figure, how a tree's runs reduce to one number, scale)
    ("assess", "best ms", "assess_wall:min", 1e3),
    ("assess", "median ms", "assess_wall:median", 1e3),
    ("assess", "median CPU ms", "assess_cpu:median", 1e3),
    ("assess", "tracemalloc peak MB", "assess_peak:max", 1 / MB),
    ("quote", "best s", "quote_wall:min", 1.0),
    ("quote", "median s", "quote_wall:median", 1.0),
    ("quote", "median CPU s", "quote_cpu:median", 1.0),
    ("quote", "max RSS MB", "quote_rss:max", 1 / MB),
)
REDUCE = {"min": min, "max": max, "median": statistics.median}
ALL = "all examples"


def figure(
    tree: Tree, name: str, reduction: str, scale: float, names: Sequence[str]
) -> float | None:
    """One figure of one example; for ALL, the sum over ``names`` (peaks: the largest)."""
    attribute, how = reduction.split(":")
    if name == ALL:
        values = [figure(tree, each, reduction, scale, names) for each in names]
        if any(value is None for value in values):
            return None
        known = [value for value in values if value is not None]
        return max(known) if how == "max" else sum(known)
    if name not in tree.examples:
        return None
    runs = getattr(tree, attribute)[name]
    return float(REDUCE[how](runs if isinstance(runs, list) else [runs])) * scale


def report(trees: list[Tree], names: list[str], options: argparse.Namespace) -> None:
    titles = {
        "assess": f"in-process assess(project): {options.assess_repeat} runs after one warm-up",
        "quote": f"rampwise quote EXAMPLE as a process: {options.repeat} runs after one warm-up",
    }
    heads = [tree.label for tree in trees] + (["after/before"] if len(trees) == 2 else [])
    for section, title in titles.items():
        print()
        print(f"{title} ({ALL!r}: sums, peaks: the largest)")
        print(f"{'example':28} {'figure':20} " + " ".join(f"{head:>12}" for head in heads))
        for name in [*names, ALL]:
            label = name
            for _, shown, reduction, scale in (f for f in FIGURES if f[0] == section):
                values = [figure(tree, name, reduction, scale, names) for tree in trees]
                cells = [_cell(value) for value in values]
                if len(values) == 2:
                    before, after = values
                    ratio = after / before if before and after is not None else None
                    cells.append(_cell(ratio, ratio=True))
                print(f"{label:28} {shown:20} " + " ".join(cells))
                label = ""
    print()
    print(
        "in-process worker max RSS MB (whole run, C++ heap included), its largest child's: "
        + ", ".join(
            f"{tree.label} {tree.worker_rss / MB:.0f}, {tree.worker_child_rss / MB:.0f}"
            for tree in trees
        )
    )


def _cell(value: float | None, *, ratio: bool = False) -> str:
    if value is None:
        return f"{'—':>12}"
    if ratio:
        return f"{value:12.2f}"
    if value >= 100:
        return f"{value:12.0f}"
    if value >= 10:
        return f"{value:12.1f}"
    return f"{value:12.3f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--src", type=Path, default=DEFAULT_SRC, help="source tree measured (the 'after')"
    )
    parser.add_argument(
        "--compare", type=Path, help="a second source tree, the anchor ('before'), same run"
    )
    parser.add_argument("--repeat", type=int, default=5, help="timed runs of each quote process")
    parser.add_argument(
        "--assess-repeat", type=int, default=20, help="timed in-process runs of each assess"
    )
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    options = parser.parse_args()
    src = options.src.resolve()
    if options.worker:
        worker(src)
        return
    trees = [Tree("after" if options.compare else "src", src, examples_of(src))]
    if options.compare:
        anchor = options.compare.resolve()
        trees.insert(0, Tree("before", anchor, examples_of(anchor)))
    for tree in trees:
        if not tree.examples:
            raise SystemExit(f"no rampwise/examples/*.yaml under {tree.src}")
    names = sorted(set().union(*(tree.examples for tree in trees)))
    differing = [
        name
        for name in names
        if len({tree.examples[name].read_bytes() for tree in trees if name in tree.examples}) > 1
    ]
    started = time.perf_counter()
    measure(trees, names, options)
    for tree in trees:
        print(f"{tree.label:>6}: {tree.src}")
    if differing:
        print(f"example files that differ between the trees: {', '.join(differing)}")
    report(trees, names, options)
    print(f"measured in {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
