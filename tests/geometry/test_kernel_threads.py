"""OpenCascade's thread pool and fork: a child of a process whose pool ran stays serial."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from rampwise.geometry import Limits, analyze

FORKS = """
import os
from rampwise.geometry import kernel_threads as k

def in_child(depth=1):
    # '1' or '0': may the process depth forks below this one use the pool?
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        answer = in_child(depth - 1) if depth > 1 else ("1" if k.parallel_allowed() else "0")
        os.write(write, answer.encode())
        os._exit(0)
    os.close(write)
    answer = os.read(read, 1).decode()
    os.waitpid(pid, 0)
    return answer

before = in_child()
k.note_pool_started()
print(before + in_child() + in_child(depth=2) + ("1" if k.parallel_allowed() else "0"))
"""


def test_fork_rule() -> None:
    # Fresh interpreter: its pool never ran. Its child may use the pool (1); once the
    # pool ran here, a child may not (0), nor the child's child; this process still may (1).
    out = subprocess.run([sys.executable, "-c", FORKS], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "1001"


def test_forked_analysis_after_a_parallel_one_here(cad_dir: Path) -> None:
    # The in-process analysis meshes in parallel and starts the pool in this process; the
    # time-limited one forks a worker, which would wait forever on the inherited pool
    # (and hit the limit) if it meshed in parallel too.
    path = cad_dir / "ANC101.stp"
    here = analyze(path, limits=Limits(time_limit_s=None))
    assert analyze(path, limits=Limits(time_limit_s=20)) == here
