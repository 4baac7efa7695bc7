"""Job processes forked from the warm worker: answers, time limit, deaths, restarts.

The functions run in the children are the standard library's, so the children need
nothing of the tests to unpickle them.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

from rampwise.app.web.tasks import AnalysisTimeoutError, run_limited
from rampwise.core.errors import RampwiseError


def test_a_job_runs_in_a_child_of_one_warm_worker() -> None:
    first = run_limited(os.getppid, timeout_s=60, label="first")
    second = run_limited(os.getppid, timeout_s=60, label="second")
    assert first == second != os.getpid()
    assert run_limited(os.getpid, timeout_s=60, label="pid") not in (first, os.getpid())


def test_a_job_sees_the_environment_and_folder_of_the_moment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("RAMPWISE_WARM_TEST", "now")
    monkeypatch.chdir(tmp_path)
    assert run_limited(os.getenv, "RAMPWISE_WARM_TEST", timeout_s=60, label="env") == "now"
    assert run_limited(os.getcwd, timeout_s=60, label="cwd") == str(tmp_path)


def test_the_time_limit_kills_the_job_and_what_it_started(tmp_path: Path) -> None:
    pid_file = tmp_path / "sleeper.pid"
    command = ["sh", "-c", f"echo $$ > {pid_file}; exec sleep 60"]
    started = time.monotonic()
    with pytest.raises(AnalysisTimeoutError, match="exceeded the time limit of 2 s"):
        run_limited(subprocess.run, command, timeout_s=2, label="sleeper")
    assert time.monotonic() - started < 30
    sleeper = int(pid_file.read_text())
    deadline = time.monotonic() + 10
    while _alive(sleeper) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _alive(sleeper)


def test_a_job_that_dies_is_reported_and_the_next_one_runs() -> None:
    with pytest.raises(RampwiseError, match=r"stopped unexpectedly \(exit code 3\)"):
        run_limited(os._exit, 3, timeout_s=60, label="crash")
    assert run_limited(sum, [1, 2], timeout_s=60, label="after") == 3


def test_a_dead_warm_worker_is_started_again() -> None:
    warm = run_limited(os.getppid, timeout_s=60, label="warm")
    os.kill(warm, signal.SIGKILL)
    deadline = time.monotonic() + 10
    while _alive(warm) and time.monotonic() < deadline:
        time.sleep(0.05)
    again = run_limited(os.getppid, timeout_s=120, label="again")
    assert again != warm
    assert run_limited(sum, [2, 3], timeout_s=60, label="sum") == 5


def _alive(pid: int) -> bool:
    """A process that exists and is not a zombie."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"
