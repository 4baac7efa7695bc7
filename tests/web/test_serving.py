"""Several server processes on one port: connections spread, a dead worker replaced, stop.

Each test runs :func:`rampwise.app.web.serving.serve` in a child process, as ``rampwise serve
--workers N`` does, on a small ASGI app that answers with its process id.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import textwrap
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from rampwise.app.web.serving import listening_socket
from rampwise.core.errors import InputError

pytestmark = pytest.mark.skipif(
    not hasattr(socket, "SO_REUSEPORT"), reason="needs SO_REUSEPORT (Linux, BSD, macOS)"
)

PID_APP = textwrap.dedent(
    """
    import os

    async def app(scope, receive, send):
        if scope["type"] == "lifespan":
            while True:
                message = await receive()
                kind = message["type"].rsplit(".", 1)[-1]
                await send({"type": f"lifespan.{kind}.complete"})
                if kind == "shutdown":
                    return
        body = str(os.getpid()).encode()
        headers = [(b"content-length", str(len(body)).encode())]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": body})
    """
)

START_TIMEOUT_S = 60.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def answering_pids(port: int, connections: int) -> Counter[int]:
    """How many of ``connections`` connections each worker pid answered, all opened at once.

    A burst like a client pool's: every connection waits in the kernel's accept queue
    before the first request is sent, then each asks once (HTTP/1.1, kept alive).
    """
    opened = [socket.create_connection(("127.0.0.1", port), timeout=5) for _ in range(connections)]
    try:
        for conn in opened:
            conn.sendall(b"GET / HTTP/1.1\r\nHost: test\r\n\r\n")
        return Counter(int(_response_body(conn)) for conn in opened)
    finally:
        for conn in opened:
            conn.close()


def _response_body(conn: socket.socket) -> bytes:
    response = b""
    while b"\r\n\r\n" not in response:
        response += conn.recv(4096)
    head, _, body = response.partition(b"\r\n\r\n")
    length = int(
        next(
            line for line in head.split(b"\r\n") if line.lower().startswith(b"content-length:")
        ).split(b":")[1]
    )
    while len(body) < length:
        body += conn.recv(4096)
    return body


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[subprocess.Popen[bytes], str]]:
    """Two workers of the pid app on a free loopback port, all of them answering."""
    (tmp_path / "pid_app.py").write_text(PID_APP)
    port = free_port()
    code = (
        "from rampwise.app.web.serving import serve; "
        f"serve('pid_app:app', host='127.0.0.1', port={port}, workers=2, log_level='warning')"
    )
    env = {**os.environ, "PYTHONPATH": str(tmp_path)}
    process = subprocess.Popen([sys.executable, "-c", code], env=env)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + START_TIMEOUT_S
    while len(_pids(url)) < 2:
        assert process.poll() is None, "the supervisor exited"
        assert time.monotonic() < deadline, "the workers did not start"
        time.sleep(0.2)
    try:
        yield process, url
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def _up(url: str) -> bool:
    try:
        httpx.get(url, timeout=1)
    except httpx.HTTPError:
        return False
    return True


def _pids(url: str) -> set[int]:
    return set(answering_pids(httpx.URL(url).port or 80, 32)) if _up(url) else set()


def test_connections_opened_together_reach_every_worker(
    served: tuple[subprocess.Popen[bytes], str],
) -> None:
    # With one socket per worker the kernel hashes each connection to one of them: the
    # count of one worker is binomial(32, ½), and one with fewer than 4 has odds
    # 2 × (1 + 32 + 496 + 4960) / 2³² ≈ 2.6e-6 a burst. Workers sharing one socket
    # instead let whichever wakes first take most of a burst (here, two bursts in three).
    process, url = served
    for _burst in range(3):
        shares = answering_pids(httpx.URL(url).port or 80, 32)
        assert len(shares) == 2
        assert min(shares.values()) >= 4
        assert process.pid not in shares


def test_a_worker_that_dies_is_replaced(served: tuple[subprocess.Popen[bytes], str]) -> None:
    _, url = served
    before = _pids(url)
    victim = min(before)
    os.kill(victim, signal.SIGKILL)
    deadline = time.monotonic() + START_TIMEOUT_S
    while True:
        now = _pids(url)
        if len(now) == 2 and victim not in now:
            break
        assert time.monotonic() < deadline, f"no replacement for {victim}: {now}"
        time.sleep(0.2)
    assert max(before) in now


def test_sigterm_stops_every_worker(served: tuple[subprocess.Popen[bytes], str]) -> None:
    process, url = served
    workers = _pids(url)
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=30) == 0
    for pid in workers:
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)
    assert not _up(url)


def _running(pid: int) -> bool:
    """Whether ``pid`` is a live process (an exited one not yet reaped counts as gone)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    stat = Path(f"/proc/{pid}/stat")
    return not (stat.exists() and stat.read_text().rsplit(")", 1)[1].split()[0] == "Z")


def test_workers_stop_when_the_supervisor_is_killed(
    served: tuple[subprocess.Popen[bytes], str],
) -> None:
    """SIGKILL gives the supervisor no chance to stop its workers; they stop by themselves."""
    process, url = served
    workers = _pids(url)
    process.kill()
    process.wait()
    deadline = time.monotonic() + START_TIMEOUT_S
    while any(_running(pid) for pid in workers):
        assert time.monotonic() < deadline, f"workers still running: {workers}"
        time.sleep(0.2)
    assert not _up(url)


def test_a_taken_port_names_the_option() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(InputError) as caught:
            listening_socket("127.0.0.1", port)
    assert str(caught.value).startswith(f"--port: cannot listen on 127.0.0.1:{port}: ")
