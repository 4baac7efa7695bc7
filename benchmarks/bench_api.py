"""Load on loopback: ``POST /api/assess`` against a bare FastAPI hello-world, same run.

Starts two servers on free loopback ports the way ``rampwise serve`` does (``--workers``,
default 1; several workers each listen with ``SO_REUSEPORT``): the rampwise app on a
temporary data folder, and the hello-world app defined below. Each gets a warm-up, then a
bounded load at 32 concurrent connections, with ``wrk`` when it is installed (Debian
package ``wrk``) or an httpx async client otherwise. Prints requests/s, p50 and p99 for
each, and checks the targets: assess at ≥ 50 % of the hello-world rate (FastAPI's README
example, a plain ``def`` route), p99 < 50 ms; the ``async def`` hello-world's rate is
printed beside it for comparison.

    .venv/bin/python benchmarks/bench_api.py [--seconds 10] [--concurrency 32] [--workers 1]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import yaml
from fastapi import FastAPI

HERE = Path(__file__).resolve().parent
EXAMPLE = HERE.parent / "src" / "rampwise" / "examples" / "bracket_fit_check.yaml"
TARGET_RATIO = 0.5
TARGET_P99_MS = 50.0

hello_app = FastAPI()


@hello_app.get("/hello")
def hello() -> dict[str, str]:
    """FastAPI's README example: a plain ``def`` route, run in the thread pool."""
    return {"hello": "world"}


@hello_app.get("/hello-async")
async def hello_async() -> dict[str, str]:
    """The same on the event loop (no thread hop): the fastest FastAPI answers here."""
    return {"hello": "world"}


@dataclass(frozen=True)
class Figures:
    name: str
    requests_per_s: float
    p50_ms: float
    p99_ms: float
    errors: int
    tool: str


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def all_listening(port: int, workers: int) -> bool:
    """Whether ``workers`` sockets listen on a loopback TCP port (Linux ``/proc/net/tcp``).

    Each worker opens its own; the load starts when all of them listen, as the kernel
    spreads a client's connections only over the sockets listening then. Without
    ``/proc`` the first answer has to do.
    """
    table = Path("/proc/net/tcp")
    if not table.exists():
        return True
    local = f"0100007F:{port:04X}"
    rows = (row.split() for row in table.read_text().splitlines()[1:])
    return sum(1 for row in rows if row[1] == local and row[3] == "0A") >= workers


def answers(url: str) -> bool:
    try:
        httpx.get(url, timeout=1)
    except httpx.HTTPError:
        return False
    return True


SERVE = (
    "from rampwise.app.web.serving import serve; "
    "serve({app!r}, host='127.0.0.1', port={port}, workers={workers}, factory={factory}, "
    "log_level='warning', access_log=False)"
)


@contextmanager
def app_server(
    app: str, env: dict[str, str], *, workers: int, factory: bool = False
) -> Iterator[str]:
    """Serve ``app`` as ``rampwise serve`` does (:func:`rampwise.app.web.serving.serve`)."""
    port = free_port()
    code = SERVE.format(app=app, port=port, workers=workers, factory=factory)
    command = [sys.executable, "-c", code]
    env = {**env, "PYTHONPATH": os.pathsep.join(filter(None, [str(HERE), env.get("PYTHONPATH")]))}
    process = subprocess.Popen(command, env=env)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while not all_listening(port, workers) or not answers(f"{url}/docs"):
            if process.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"server {app} did not start")
            time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=20)


WRK_SCRIPT = """
wrk.method = "{method}"
wrk.body = {body}
wrk.headers["Content-Type"] = "application/json"
"""


def run_wrk(name: str, url: str, body: str | None, seconds: int, concurrency: int) -> Figures:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(
            WRK_SCRIPT.format(
                method="POST" if body else "GET", body=json.dumps(body) if body else "nil"
            )
        )
    try:
        out = subprocess.run(
            [
                "wrk",
                "-t2",
                f"-c{concurrency}",
                f"-d{seconds}s",
                "--latency",
                "-s",
                script.name,
                url,
            ],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    finally:
        os.unlink(script.name)

    def latency(percent: str) -> float:
        match = re.search(rf"^\s+{percent}%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
        if match is None:
            raise SystemExit(f"cannot read wrk output:\n{out}")
        value, unit = float(match.group(1)), match.group(2)
        return value * {"us": 1e-3, "ms": 1.0, "s": 1e3}[unit]

    rate = re.search(r"Requests/sec:\s+([\d.]+)", out)
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    return Figures(
        name=name,
        requests_per_s=float(rate.group(1)) if rate else 0.0,
        p50_ms=latency("50"),
        p99_ms=latency("99"),
        errors=int(bad.group(1)) if bad else 0,
        tool="wrk",
    )


async def _httpx_load(
    url: str, body: str | None, seconds: int, concurrency: int
) -> tuple[list[float], int]:
    latencies: list[float] = []
    errors = 0
    stop = time.perf_counter() + seconds
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(limits=limits, timeout=10) as client:

        async def worker() -> None:
            nonlocal errors
            while time.perf_counter() < stop:
                started = time.perf_counter()
                if body is None:
                    response = await client.get(url)
                else:
                    response = await client.post(
                        url, content=body, headers={"Content-Type": "application/json"}
                    )
                latencies.append(time.perf_counter() - started)
                errors += response.status_code >= 400

        await asyncio.gather(*(worker() for _ in range(concurrency)))
    return latencies, errors


def run_httpx(name: str, url: str, body: str | None, seconds: int, concurrency: int) -> Figures:
    latencies, errors = asyncio.run(_httpx_load(url, body, seconds, concurrency))
    ordered = sorted(latencies)

    def percentile(p: float) -> float:
        return ordered[min(len(ordered) - 1, int(p * len(ordered)))] * 1e3

    return Figures(
        name=name,
        requests_per_s=len(ordered) / seconds,
        p50_ms=percentile(0.50),
        p99_ms=percentile(0.99),
        errors=errors,
        tool="httpx",
    )


def load(name: str, url: str, body: str | None, seconds: int, concurrency: int) -> Figures:
    runner = run_wrk if shutil.which("wrk") else run_httpx
    runner(name, url, body, 2, concurrency)  # warm-up
    return runner(name, url, body, seconds, concurrency)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--workers", type=int, default=1, help="uvicorn workers per server")
    options = parser.parse_args()
    document = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    body = json.dumps(document, default=str)
    base_env = {k: v for k, v in os.environ.items() if not k.startswith("RAMPWISE_")}
    with tempfile.TemporaryDirectory() as data:
        env = {**base_env, "RAMPWISE_DATA_DIR": data}
        with app_server(
            "rampwise.app.web.app:create_app", env, workers=options.workers, factory=True
        ) as url:
            check = httpx.post(f"{url}/api/assess", content=body, timeout=10)
            if check.status_code != 200:
                raise SystemExit(f"POST /api/assess answered {check.status_code}: {check.text}")
            assess = load(
                "POST /api/assess", f"{url}/api/assess", body, options.seconds, options.concurrency
            )
        with app_server("bench_api:hello_app", base_env, workers=options.workers) as url:
            hello_figures = load(
                "GET /hello (bare FastAPI)",
                f"{url}/hello",
                None,
                options.seconds,
                options.concurrency,
            )
            async_figures = load(
                "GET /hello-async",
                f"{url}/hello-async",
                None,
                options.seconds,
                options.concurrency,
            )
    print(
        f"Load on loopback, {options.concurrency} concurrent, {options.seconds} s, "
        f"{options.workers} uvicorn worker(s) per server, tool: {assess.tool}"
    )
    print(f"{'route':28} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7}")
    for figures in (assess, hello_figures, async_figures):
        print(
            f"{figures.name:28} {figures.requests_per_s:9.0f} {figures.p50_ms:8.2f} "
            f"{figures.p99_ms:8.2f} {figures.errors:7d}"
        )
    ratio = assess.requests_per_s / hello_figures.requests_per_s
    print(
        f"assess / hello-world rate: {ratio:.0%} (target ≥ {TARGET_RATIO:.0%}: "
        f"{'met' if ratio >= TARGET_RATIO else 'NOT met'}); assess p99 {assess.p99_ms:.1f} ms "
        f"(target < {TARGET_P99_MS:.0f} ms: "
        f"{'met' if assess.p99_ms < TARGET_P99_MS else 'NOT met'})"
    )
    print(
        f"assess / async hello-world rate: "
        f"{assess.requests_per_s / async_figures.requests_per_s:.0%} (for information)"
    )


if __name__ == "__main__":
    main()
