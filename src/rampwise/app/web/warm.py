"""Job processes of :func:`rampwise.app.web.tasks.run_limited`, forked from a warm worker.

Importing the analysis stack (FastAPI, SQLAlchemy, numpy, scipy, OpenCascade, trimesh)
costs several CPU seconds, many times the analysis of one part. So it is imported once,
by a *warm worker*: a fresh interpreter (``python -m rampwise.app.web.warm``, never a
fork of the server, so no server thread, lock or native-library state is copied),
started at a process's first job, which imports :data:`WARM_MODULES`, assesses a bundled
model once (:func:`_warm_up`) and then forks one child per job. It never runs job code
itself, and never imports the server's main script.

A job's child calls one module-level function and sends back what happened on a pipe of
its own: ``{"outcome": "ok", "value": …}`` or the error (``input``, ``rampwise``,
``crash``), and exits, so whatever the job allocated goes with it. It runs with the
caller's environment and working directory of the moment, as a freshly started process
would, and leads a process group of its own: at the time limit the caller kills the
group, with any process the job started. The warm worker reaps each child and reports
its exit code, so a child that dies without answering is reported with it. A warm
worker that died is started again at the next job; one whose server is gone exits.
"""

from __future__ import annotations

import contextlib
import gc
import importlib
import multiprocessing
import os
import pickle
import selectors
import signal
import socket
import struct
import subprocess
import sys
import threading
import time
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Any

from rampwise.core.errors import InputError, RampwiseError

WARM_MODULES = (
    "rampwise.app.web.tasks",
    "rampwise.app.web.batch_import",
    "rampwise.app.web.evidence",
    "rampwise.api",
    "rampwise.io.project_file",
    "rampwise.geometry.analysis",
)
"""What the warm worker imports before its first fork: every job function's stack."""

WARM_UP_MODEL = "nist_ftc_11_asme1_ap242-e1.stp"
"""The bundled model the warm worker assesses once before its first fork."""

STOP_WAIT_S = 5.0
"""How long to wait for the exit code of a child that answered or was killed [s]."""

_NUMBER = struct.Struct("q")
"""A length, a pid or an exit code on the wire: one signed 64-bit integer."""


@dataclass(frozen=True)
class ChildEnd:
    """How a job process ended.

    Attributes
    ----------
    answer
        What the child sent (``outcome`` and its fields); ``None`` when it sent nothing.
    timed_out
        The time limit passed and the child was killed.
    exit_code
        The child's exit code (negative: the signal that stopped it); ``None`` if unknown.
    """

    answer: dict[str, Any] | None
    timed_out: bool
    exit_code: int | None


# --------------------------------------------------------------------------------------
# The caller's side
# --------------------------------------------------------------------------------------


class _WarmWorker:
    """A running warm worker and the socket that asks it for children."""

    def __init__(self) -> None:
        ours, theirs = socket.socketpair()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "rampwise.app.web.warm", str(theirs.fileno())],
            pass_fds=(theirs.fileno(),),
            stdin=subprocess.DEVNULL,
        )
        theirs.close()
        self.control = ours
        self.owner = os.getpid()
        self.lock = threading.Lock()

    def usable(self) -> bool:
        """Started by this process (not inherited through a fork) and still running."""
        return self.owner == os.getpid() and self.process.poll() is None

    def fork(self, request: bytes, answer: int, status: int) -> int:
        """Have a child forked for ``request``; its pid.

        Raises
        ------
        OSError
            If the warm worker is gone.
        """
        with self.lock:
            socket.send_fds(self.control, [_NUMBER.pack(len(request))], [answer, status])
            self.control.sendall(request)
            return int(_NUMBER.unpack(_read_exactly(self.control, _NUMBER.size))[0])


class _Current:
    """The warm worker of the current process, started when first needed."""

    worker: _WarmWorker | None = None
    lock = threading.Lock()

    @classmethod
    def get(cls, *, fresh: bool = False) -> _WarmWorker:
        with cls.lock:
            if fresh or cls.worker is None or not cls.worker.usable():
                cls.worker = _WarmWorker()
            return cls.worker


def _read_exactly(connection: socket.socket, size: int) -> bytes:
    data = b""
    while len(data) < size:
        chunk = connection.recv(size - len(data))
        if not chunk:
            raise ConnectionError("the warm worker closed its socket")
        data += chunk
    return data


def _read_until_eof(fd: int, deadline: float) -> bytes | None:
    """Everything written to a pipe until it is closed; ``None`` if the deadline passes."""
    chunks: list[bytes] = []
    with selectors.DefaultSelector() as selector:
        selector.register(fd, selectors.EVENT_READ)
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not selector.select(remaining):
                return None
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                return b"".join(chunks)
            chunks.append(chunk)


def _exit_code(fd: int, timeout_s: float) -> int | None:
    """The exit code the warm worker reports for a child; ``None`` if it reports none."""
    data = _read_until_eof(fd, time.monotonic() + timeout_s)
    return int(_NUMBER.unpack(data)[0]) if data and len(data) == _NUMBER.size else None


def _kill(pid: int, status: int) -> None:
    """Kill a child and its process group, unless the warm worker already reaped it."""
    with selectors.DefaultSelector() as selector:
        selector.register(status, selectors.EVENT_READ)
        if selector.select(0):
            return
    try:
        os.killpg(pid, signal.SIGKILL)
    except ProcessLookupError:  # not yet its own group: nothing of it can have started
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


def call_in_child(
    function: Callable[..., Any], args: Sequence[Any], *, timeout_s: float
) -> ChildEnd:
    """Call ``function(*args)`` in a job process forked from the warm worker.

    Parameters
    ----------
    function
        A module-level function taking and returning picklable values (JSON here).
    args
        Its arguments.
    timeout_s
        Time limit of the call [s], from the fork; the warm worker's start-up at a
        process's first job is not part of it.

    Returns
    -------
    ChildEnd
        The answer, or how the child ended without one.
    """
    try:
        folder: str | None = os.getcwd()
    except OSError:  # the working directory was removed: the child stays where it is
        folder = None
    request = pickle.dumps((function, tuple(args), dict(os.environ), folder))
    answer_r, answer_w = os.pipe()
    status_r, status_w = os.pipe()
    try:
        try:
            pid = _Current.get().fork(request, answer_w, status_w)
        except OSError:  # the warm worker died since the last job: start another
            pid = _Current.get(fresh=True).fork(request, answer_w, status_w)
        os.close(answer_w)
        os.close(status_w)
        answer_w = status_w = -1
        data = _read_until_eof(answer_r, time.monotonic() + timeout_s)
        if data is None:
            _kill(pid, status_r)
        exit_code = _exit_code(status_r, STOP_WAIT_S)
    finally:
        for fd in (answer_r, answer_w, status_r, status_w):
            if fd >= 0:
                os.close(fd)
    if data is None:
        return ChildEnd(answer=None, timed_out=True, exit_code=exit_code)
    return ChildEnd(
        answer=pickle.loads(data) if data else None, timed_out=False, exit_code=exit_code
    )


# --------------------------------------------------------------------------------------
# The warm worker's side
# --------------------------------------------------------------------------------------


def _call(function: Callable[..., Any], args: Sequence[Any]) -> dict[str, Any]:
    try:
        return {"outcome": "ok", "value": function(*args)}
    except InputError as err:
        return {"outcome": "input", "field": err.field, "message": err.message}
    except RampwiseError as err:
        return {"outcome": "rampwise", "message": str(err)}
    except Exception as err:  # reported to the job, never shown as a traceback
        return {"outcome": "crash", "message": f"{type(err).__name__}: {err}"}


def _child(request: bytes, answer: int) -> None:
    """A job's process: lead a process group, run the request, write what happened."""
    os.setpgid(0, 0)
    function, args, environment, folder = pickle.loads(request)
    os.environ.clear()
    os.environ.update(environment)
    if folder is not None:
        os.chdir(folder)
    os.dup2(2, 1)  # what a native library prints goes to the log, never into an answer
    data = pickle.dumps(_call(function, args))
    for child in multiprocessing.active_children():  # the kernel's worker, reaped here
        child.join()
    with os.fdopen(answer, "wb") as out:
        out.write(data)


def _receive(control: socket.socket) -> tuple[bytes, int, int] | None:
    """The next request with its answer and status pipes; ``None`` once the caller is gone."""
    header, fds, _, _ = socket.recv_fds(control, _NUMBER.size, 2)
    if not header:
        return None
    if len(header) < _NUMBER.size:
        header += _read_exactly(control, _NUMBER.size - len(header))
    answer, status = fds
    return _read_exactly(control, int(_NUMBER.unpack(header)[0])), answer, status


def serve(control: socket.socket) -> None:
    """Import the stack, then fork a child per request until the caller closes the socket."""
    for name in WARM_MODULES:
        importlib.import_module(name)
    _warm_up()
    gc.collect()
    gc.freeze()  # children's collections skip the stack: fewer of its pages copied on write
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the server stops its jobs, not a Ctrl-C
    wake_r, wake_w = os.pipe()
    os.set_blocking(wake_w, False)
    signal.set_wakeup_fd(wake_w)
    signal.signal(signal.SIGCHLD, lambda *_: None)
    statuses: dict[int, int] = {}
    with selectors.DefaultSelector() as selector:
        selector.register(control, selectors.EVENT_READ)
        selector.register(wake_r, selectors.EVENT_READ)
        while True:
            ready = {key.fileobj for key, _ in selector.select()}
            if wake_r in ready:
                os.read(wake_r, 4096)
                _reap(statuses)
            if control in ready:
                received = _receive(control)
                if received is None:
                    return
                request, answer, status = received
                pid = os.fork()
                if pid == 0:
                    kept = [control.fileno(), wake_r, wake_w, status, *statuses.values()]
                    _run_child(request, answer, kept)
                os.close(answer)
                statuses[pid] = status
                control.sendall(_NUMBER.pack(pid))


def _warm_up() -> None:
    """Assess the bundled CAD example once, so that children start with what a first call loads.

    Catalogs, the CAD kernel's one-time set-up and the modules functions import when
    first called are then in the warm worker, shared by every child; its kernel calls run
    serially, so the children may still use the kernel's thread pool.
    """
    from rampwise.app.web.tasks import compute_assessment
    from rampwise.geometry.kernel_threads import serial

    example = resources.files("rampwise.examples") / "cad" / WARM_UP_MODEL
    document = {
        "project": "warm-up",
        "part": {"number": "warm-up", "material": "Al 6061-T6"},
        "quantity": 40,
        "purpose": "pilot_run",
    }
    with resources.as_file(example) as path, serial():
        compute_assessment(document, str(path))


def _run_child(request: bytes, answer: int, inherited: list[int]) -> None:
    """In a fresh fork: drop the warm worker's signals and files, run the job, exit."""
    code = 1
    try:
        signal.set_wakeup_fd(-1)
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        for fd in inherited:
            os.close(fd)
        _child(request, answer)
        code = 0
    except BaseException:
        traceback.print_exc()
    finally:
        os._exit(code)


def _reap(statuses: dict[int, int]) -> None:
    """Wait for every child that ended and send each its exit code."""
    while True:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        fd = statuses.pop(pid, None)
        if fd is not None:
            with contextlib.suppress(OSError):  # the caller may have stopped waiting
                os.write(fd, _NUMBER.pack(os.waitstatus_to_exitcode(status)))
            os.close(fd)


if __name__ == "__main__":
    serve(socket.socket(fileno=int(sys.argv[1])))
