"""The web edges: result-page CPU beside a bare FastAPI route, a CAD job's beside the analysis.

Two rows of issue 24's table, each with its anchor measured in the same run:

* **Result page**: ``GET /assessments/{id}`` through the app (Starlette's ``TestClient``,
  in this process), for every bundled example stored as a project and for the
  assessment a CAD job made, against ``GET /hello`` of a bare FastAPI app (FastAPI's
  README example, a plain ``def`` route) through a ``TestClient`` of its own. The two
  alternate, ``--renders`` times each after a warm-up; the figure is the median CPU time
  (``time.process_time``: the client's and the app's threads) of one request [ms]. The
  target is a page within 5 ms.
* **CAD job**: each model of ``../shared/cad`` uploaded to ``POST /api/uploads``
  (40 pcs, pilot run, Al 6061-T6), the job waited for, against the in-process analysis
  of the same file (``rampwise.geometry.analyze`` without a time limit, the issue's
  anchor) and, for reference, the job's own function run in this process
  (``rampwise.app.web.tasks.compute_assessment``: the analysis and the assessment).
  CPU is counted over the whole process tree: this process (all threads: the server's
  job thread, the client, the status polls every 50 ms), the children it reaped, and
  every live descendant with the children it reaped (``/proc/PID/stat``, 10 ms ticks)
  — wherever a job's work runs, a fresh interpreter per part or a process forked from a
  warm worker. The first job is a warm-up, shown apart: it starts whatever a server
  starts once. The target is a job within 1.5 x the in-process analysis.

Peak RSS: this process's (``ru_maxrss``), and the largest ``VmHWM`` of any other process
of the tree (sampled every 50 ms from ``/proc``; the sampler's own CPU is left out of
the figures).

Run with bytecode caching on (``PYTHONDONTWRITEBYTECODE`` unset: a fresh interpreter
would otherwise compile every module it imports), on the working tree or, for "before",
on a worktree of the committed code::

    env -u PYTHONDONTWRITEBYTECODE .venv/bin/python benchmarks/bench_web.py
    git worktree add --detach /tmp/rw-before HEAD
    env -u PYTHONDONTWRITEBYTECODE PYTHONPATH=/tmp/rw-before/src \\
        .venv/bin/python benchmarks/bench_web.py

Options: ``--renders N`` (default 200), ``--parts N`` (the first N models; default all).
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import resource
import statistics
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

import yaml
from fastapi import FastAPI
from fastapi.testclient import TestClient

import rampwise
from rampwise.api import assess
from rampwise.app.store import create_project, create_token, get_job
from rampwise.app.web import create_app
from rampwise.app.web.tasks import compute_assessment
from rampwise.core.errors import RampwiseError
from rampwise.geometry import Limits, analyze
from rampwise.io.project_file import load_project
from rampwise.io.settings import Settings

SHARED_CAD = Path(__file__).resolve().parents[1].parent / "shared" / "cad"
EXAMPLES = Path(rampwise.__file__).resolve().parent / "examples"
FORM = {"quantity": "40", "purpose": "pilot_run", "material": "Al 6061-T6"}
T = TypeVar("T")
TICK_S = 1.0 / os.sysconf("SC_CLK_TCK")
PAGE_TARGET_MS = 5.0
JOB_TARGET_RATIO = 1.5

hello_app = FastAPI()


@hello_app.get("/hello")
def hello() -> dict[str, str]:
    """FastAPI's README example: a plain ``def`` route, run in the thread pool."""
    return {"hello": "world"}


# ----------------------------------------------------------------- the process tree


def _stat(pid: int) -> tuple[int, float] | None:
    """Parent pid and CPU of a process with its reaped children [s]; None for a zombie.

    A zombie's CPU reaches its parent's figures when the parent reaps it.
    """
    try:
        data = Path(f"/proc/{pid}/stat").read_bytes()
    except OSError:
        return None
    fields = data[data.rindex(b")") + 2 :].split()
    if fields[0] == b"Z":
        return None
    return int(fields[1]), sum(int(f) for f in fields[11:15]) * TICK_S


def descendants() -> dict[int, float]:
    """Every live descendant of this process with its CPU (and its reaped children's) [s]."""
    stats = {int(e.name): _stat(int(e.name)) for e in os.scandir("/proc") if e.name.isdigit()}
    children: dict[int, list[int]] = {}
    for pid, stat in stats.items():
        if stat is not None:
            children.setdefault(stat[0], []).append(pid)
    found: dict[int, float] = {}
    todo = list(children.get(os.getpid(), []))
    while todo:
        pid = todo.pop()
        stat = stats.get(pid)
        if stat is not None:
            found[pid] = stat[1]
            todo.extend(children.get(pid, []))
    return found


class Sampler:
    """Peak VmHWM of the descendants, sampled in a thread whose CPU is counted apart."""

    def __init__(self, period_s: float = 0.05) -> None:
        self.period_s = period_s
        self.peak_kb = 0
        self.cpu_s = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.wait(self.period_s):
            start = time.thread_time()
            for pid in descendants():
                try:
                    status = Path(f"/proc/{pid}/status").read_text()
                except OSError:
                    continue
                for line in status.splitlines():
                    if line.startswith("VmHWM:"):
                        self.peak_kb = max(self.peak_kb, int(line.split()[1]))
            self.cpu_s += time.thread_time() - start

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()


SAMPLER = Sampler()


def tree_cpu() -> float:
    """CPU of this process, its reaped children and its live descendants [s], sampler apart."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    own = time.process_time() + children.ru_utime + children.ru_stime
    return own + sum(descendants().values()) - SAMPLER.cpu_s


def settle(baseline: set[int], timeout_s: float = 20.0) -> None:
    """Wait until no descendant but the long-lived ``baseline`` ones is left."""
    deadline = time.monotonic() + timeout_s
    while set(descendants()) - baseline and time.monotonic() < deadline:
        time.sleep(0.02)


@contextmanager
def cpu_meter(baseline: set[int]) -> Iterator[list[float]]:
    """CPU seconds of the process tree spent inside the block (appended on exit)."""
    out: list[float] = []
    settle(baseline)
    start = tree_cpu()
    yield out
    for child in multiprocessing.active_children():  # an in-process analysis forks one
        child.join()
    settle(baseline)
    out.append(tree_cpu() - start)


def rss_mb(kb: float) -> str:
    return f"{kb / 1024:.0f} MB"


# ----------------------------------------------------------------- jobs


def run_job(client: TestClient, headers: dict[str, str], path: Path) -> tuple[str, str]:
    """Upload a model, wait for its job; its status and message (or error) and result path."""
    response = client.post(
        "/api/uploads", files={"file": (path.name, path.read_bytes())}, data=FORM, headers=headers
    )
    response.raise_for_status()
    job_id = response.json()["id"]
    database = client.app.state.services.database  # type: ignore[attr-defined]
    while True:
        with database.read() as session:
            job = get_job(session, job_id=job_id)
        if job.status in ("done", "failed"):
            return job.status, job.result_path or (job.error or "")
        time.sleep(0.05)


def measured(action: Callable[[], T], baseline: set[int]) -> tuple[float, T]:
    """CPU seconds of the process tree spent in ``action()``, and what it returned."""
    with cpu_meter(baseline) as spent:
        outcome = action()
    return spent[0], outcome


def in_process(path: Path, baseline: set[int]) -> tuple[float, float]:
    """CPU [s] of the analysis in this process (no time limit) and of the assessment.

    NaN for a file the analysis refuses.
    """
    document = {
        "project": path.stem,
        "part": {"number": path.stem, "material": FORM["material"]},
        "quantity": int(FORM["quantity"]),
        "purpose": FORM["purpose"],
    }
    try:
        analyze_s, _ = measured(
            lambda: analyze(path, limits=Limits(time_limit_s=None), largest_solid=True), baseline
        )
        assess_s, _ = measured(lambda: compute_assessment(document, str(path)), baseline)
    except RampwiseError:
        return float("nan"), float("nan")
    return analyze_s, assess_s


def first_job(client: TestClient, headers: dict[str, str], path: Path) -> str | None:
    """Run the first job, which starts what a server starts once; its result page."""
    first_s, (status, where) = measured(lambda: run_job(client, headers, path), set())
    print(f"first job ({path.name}, {status}): {first_s:.2f} s CPU")
    print(f"  long-lived processes it left: {len(descendants())}")
    return where if status == "done" else None


def bench_jobs(client: TestClient, headers: dict[str, str], parts: list[Path]) -> None:
    """Each part's job beside its in-process analysis (after one untimed of the first)."""
    # Processes the server started once and keeps (a warm worker) stay out of "settle".
    baseline = set(descendants())
    first = parts[0]
    warm_s = sum(in_process(first, baseline))
    print(f"first in-process analysis and assessment: {warm_s:.2f} s CPU, imports included")
    print()
    head = f"{'model':36s} {'job s':>7s} {'analyze s':>10s} {'ratio':>6s} {'assess s':>9s}"
    print(head + "  job status")
    ratios, jobs, anchors = [], [], []
    for path in parts:
        job_s, (status, where) = measured(lambda p=path: run_job(client, headers, p), baseline)
        analyze_s, assess_s = in_process(path, baseline)
        ratio = job_s / analyze_s
        print(
            f"{path.name:36s} {job_s:7.2f} {analyze_s:10.2f} {ratio:6.2f} {assess_s:9.2f}"
            f"  {status}{'' if status == 'done' else ': ' + where[:60]}"
        )
        if status == "done":
            ratios.append(ratio)
            jobs.append(job_s)
            anchors.append(analyze_s)
    if ratios:
        print(
            f"{'median of the done jobs':36s} {statistics.median(jobs):7.2f} "
            f"{statistics.median(anchors):10.2f} {statistics.median(ratios):6.2f}"
        )
        print(
            f"target: job CPU per part <= {JOB_TARGET_RATIO} x in-process analysis "
            f"(median ratio {statistics.median(ratios):.2f}: "
            f"{statistics.median(ratios) <= JOB_TARGET_RATIO})"
        )


# ----------------------------------------------------------------- pages


def store_examples(client: TestClient) -> list[tuple[str, str]]:
    """Every bundled example assessed and stored as a project; (name, page path)."""
    database = client.app.state.services.database  # type: ignore[attr-defined]
    pages = []
    for path in sorted(EXAMPLES.glob("*.yaml")):
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
        result = assess(load_project(path))
        with database.write() as session:
            detail = create_project(session, document=document, result=result)
        assert detail.latest_assessment is not None
        pages.append((path.stem, f"/assessments/{detail.latest_assessment.id}"))
    return pages


def cpu_ms(client: TestClient, url: str) -> float:
    start = time.process_time()
    response = client.get(url)
    spent = time.process_time() - start
    response.raise_for_status()
    return 1000 * spent


def bench_pages(client: TestClient, pages: list[tuple[str, str]], renders: int) -> None:
    """Median CPU per request of each page beside the bare route, alternating."""
    with TestClient(hello_app) as bare:
        print(f"{'result page':36s} {'page ms':>8s} {'bare ms':>8s} {'page-bare':>10s} {'KB':>5s}")
        medians = []
        for name, url in pages:
            size = len(client.get(url).content)
            for _ in range(5):
                cpu_ms(client, url)
                cpu_ms(bare, "/hello")
            page, anchor = [], []
            for _ in range(renders):
                page.append(cpu_ms(client, url))
                anchor.append(cpu_ms(bare, "/hello"))
            p, a = statistics.median(page), statistics.median(anchor)
            medians.append(p)
            print(f"{name:36s} {p:8.2f} {a:8.2f} {p - a:10.2f} {size / 1024:5.0f}")
        worst = max(medians)
        print(
            f"target: a result page <= {PAGE_TARGET_MS:g} ms CPU "
            f"(slowest median {worst:.2f} ms: {worst <= PAGE_TARGET_MS})"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--renders", type=int, default=200, help="requests per page")
    parser.add_argument("--parts", type=int, default=0, help="the first N models (0: all)")
    args = parser.parse_args()
    print(f"rampwise from {Path(rampwise.__file__).parent}")
    print(f"PYTHONDONTWRITEBYTECODE={os.environ.get('PYTHONDONTWRITEBYTECODE', '(unset)')}")
    parts = sorted(p for p in SHARED_CAD.iterdir() if p.suffix.lower() != ".md")
    parts = parts[: args.parts] if args.parts else parts
    with tempfile.TemporaryDirectory(prefix="bench-web-") as folder:
        settings = Settings(
            data_dir=Path(folder),
            database_url=None,
            redis_url=None,
            analysis_timeout_s=300.0,
            open_reads=True,
        )
        with TestClient(create_app(settings)) as client:
            database = client.app.state.services.database  # type: ignore[attr-defined]
            with database.write() as session:
                _, secret = create_token(session, name="bench")
            headers = {"Authorization": f"Bearer {secret}"}
            print()
            first_page = first_job(client, headers, parts[0])
            print(f"\n== result page: CPU per request [ms], median of {args.renders} ==")
            pages = store_examples(client)
            pages += [("CAD job", first_page)] if first_page else []
            bench_pages(client, pages, args.renders)
            own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            print(f"peak RSS: this process {rss_mb(own)} (server and client)")
            print("\n== CAD jobs: CPU per part [s], whole process tree ==")
            SAMPLER.start()
            bench_jobs(client, headers, parts)
            SAMPLER.stop()
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"peak RSS: this process {rss_mb(own)} (server, client, in-process analyses)")
    print(f"peak RSS: largest other process of the tree {rss_mb(SAMPLER.peak_kb)} (sampled)")


if __name__ == "__main__":
    main()
