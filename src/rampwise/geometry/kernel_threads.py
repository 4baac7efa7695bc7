"""Whether this process may run OpenCascade's thread pool.

OpenCascade's parallel algorithms (``BRepMesh_IncrementalMesh`` with ``isInParallel``,
``BRepCheck_Analyzer`` with ``theIsParallel``) share one process-wide pool whose threads
start at the first parallel call and then wait for work. A process forked after that
inherits the pool's state but not its threads, and its first parallel call waits forever
for them. A process whose pool never started may fork freely: the child starts a pool of
its own.

So the rule is: every parallel kernel call of rampwise goes through :func:`parallel_call`,
which records that the pool started here; a process forked from one where it started
(the time-limited analysis worker, a job runner) makes its kernel calls serially. Code
that runs OpenCascade's parallel algorithms on its own, outside rampwise, and then forks
an analysis should call :func:`note_pool_started` first.

References
----------
.. [1] Open CASCADE Technology 8.0 reference, ``OSD_ThreadPool`` (threads launched on the
   first job and kept for the life of the process).
.. [2] POSIX ``fork``: only the calling thread is copied into the child.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass


@dataclass
class _PoolState:
    """The pool's state in this process."""

    started: bool = False
    """A parallel kernel call ran in this process."""
    allowed: bool = True
    """Parallel kernel calls are safe here (no ancestor's pool was running at a fork)."""


_STATE = _PoolState()


def _after_fork_in_child() -> None:
    """A child of a process whose pool started must stay serial, and so must its children."""
    if _STATE.started:
        _STATE.allowed = False
        _STATE.started = False


os.register_at_fork(after_in_child=_after_fork_in_child)


def parallel_allowed() -> bool:
    """True when a parallel kernel call may run in this process (and so starts the pool)."""
    return _STATE.allowed


def note_pool_started() -> None:
    """Record that OpenCascade's pool started in this process (by rampwise or not)."""
    _STATE.started = True


def parallel_call() -> bool:
    """The ``isInParallel`` flag for the next kernel call, noting the pool's start.

    Returns
    -------
    bool
        True when the call may use the pool; the pool is then recorded as started.
    """
    if _STATE.allowed:
        note_pool_started()
    return _STATE.allowed


@contextmanager
def serial() -> Iterator[None]:
    """Make the kernel calls inside the block serially, so that the pool does not start.

    For a process that warms itself up with an analysis before it forks workers (the web
    jobs' warm worker): its children may then still mesh in parallel.
    """
    allowed = _STATE.allowed
    _STATE.allowed = False
    try:
        yield
    finally:
        _STATE.allowed = allowed
