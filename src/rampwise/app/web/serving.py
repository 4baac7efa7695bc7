"""Serving an ASGI app on one port with one or several uvicorn processes.

One worker is plain :func:`uvicorn.run`. Several workers each open a listening socket
of their own on the same address with ``SO_REUSEPORT``, so the kernel spreads incoming
connections over them by a hash of each connection's addresses. uvicorn's own
``--workers`` shares a single listening socket instead, and whichever worker wakes first
accepts every connection waiting: a client opening its keep-alive connections at once
(a load balancer's pool, ``wrk``) then lands all of them on one process while the others
idle (measured with ``benchmarks/bench_api.py --workers 2``: one worker at 100 %, the
other at 0 %, the one-worker rate). Where the platform has no ``SO_REUSEPORT``, uvicorn's
workers serve instead.

The supervisor here starts the workers as fresh (spawned) processes, restarts one that
dies while serving, stops when one cannot start (the same failure would repeat), and
stops them all on ``SIGINT`` or ``SIGTERM``. A worker whose supervisor is gone, even
killed outright (``SIGKILL``, the out-of-memory killer), finishes its requests and stops:
left running, it would keep the port and answer with the old code beside a new server.
"""

from __future__ import annotations

import logging
import multiprocessing
import multiprocessing.connection
import os
import signal
import socket
import sys
import threading
from dataclasses import dataclass
from multiprocessing.process import BaseProcess
from types import FrameType

import uvicorn
from uvicorn.config import STARTUP_FAILURE

from rampwise.core.errors import InputError

SUPERVISOR_POLL_S = 0.5
"""How often the supervisor looks at its workers [s]."""

STOP_GRACE_S = 30.0
"""How long a stopping worker may take to finish its requests before it is killed [s]."""

logger = logging.getLogger("uvicorn.error")


@dataclass(frozen=True)
class ServerSpec:
    """What every worker serves, and where.

    Attributes
    ----------
    app
        Import string of the application (``module:attribute``).
    factory
        ``app`` names a function that builds the application.
    host, port
        Address to listen on.
    log_level
        uvicorn's log level (``info``, ``warning``, …).
    access_log
        Log a line per request.
    """

    app: str
    factory: bool
    host: str
    port: int
    log_level: str
    access_log: bool

    def config(self) -> uvicorn.Config:
        """The uvicorn configuration of one worker."""
        return uvicorn.Config(
            self.app,
            factory=self.factory,
            host=self.host,
            port=self.port,
            log_level=self.log_level,
            access_log=self.access_log,
        )


def serve(
    app: str,
    *,
    host: str,
    port: int,
    workers: int = 1,
    factory: bool = False,
    log_level: str = "info",
    access_log: bool = True,
) -> None:
    """Serve ``app`` on ``host:port`` until interrupted.

    Parameters
    ----------
    app
        Import string of the application (``module:attribute``).
    host, port
        Address to listen on.
    workers
        Server processes (≥ 1).
    factory
        ``app`` names a function that builds the application.
    log_level
        uvicorn's log level.
    access_log
        Log a line per request.

    Raises
    ------
    InputError
        Naming ``--port`` when the address cannot be listened on (several workers).
    """
    if workers == 1 or not hasattr(socket, "SO_REUSEPORT"):
        uvicorn.run(
            app,
            factory=factory,
            host=host,
            port=port,
            workers=workers,
            log_level=log_level,
            access_log=access_log,
        )
        return
    spec = ServerSpec(app, factory, host, port, log_level, access_log)
    spec.config()  # validates the options and sets up uvicorn's logging here too
    # Bound but never listening, this socket receives no connection; it makes a taken
    # address one clear error before any worker starts, and keeps the port for them.
    with listening_socket(host, port, listen=False):
        Supervisor(spec, workers).run()


def listening_socket(host: str, port: int, *, listen: bool = True) -> socket.socket:
    """A TCP socket bound to ``host:port`` with ``SO_REUSEPORT``, listening unless told.

    The protocol is named (``IPPROTO_TCP``) so that asyncio sets ``TCP_NODELAY`` on the
    connections it accepts; without it small responses wait for the peer's delayed
    acknowledgement (about 40 ms on Linux).

    Raises
    ------
    InputError
        Naming ``--port`` when the address is taken or cannot be bound.
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        sock.bind((host, port))
        if listen:
            sock.listen(2048)
    except OSError as err:
        sock.close()
        raise InputError("--port", f"cannot listen on {host}:{port}: {err.strerror}") from None
    return sock


def run_worker(spec: ServerSpec) -> None:
    """One worker process: its own listening socket, one uvicorn server on it.

    Exits with uvicorn's start-up failure code (3) when the socket cannot be opened or the
    application does not start.
    """
    config = spec.config()
    try:
        sock = listening_socket(spec.host, spec.port)
    except InputError as err:
        logger.error(str(err))
        sys.exit(STARTUP_FAILURE)
    server = uvicorn.Server(config)
    stop_with_supervisor(server)
    with sock:
        server.run(sockets=[sock])
    if not server.started:
        sys.exit(STARTUP_FAILURE)


def stop_with_supervisor(server: uvicorn.Server) -> None:
    """Stop ``server`` gracefully once the process that started this one has ended.

    A thread waits on the parent's sentinel, which the operating system makes readable
    when the parent exits for whatever reason, then asks uvicorn to finish its requests
    and return. Nothing is watched in a process that multiprocessing did not start.
    """
    parent = multiprocessing.parent_process()
    if parent is None:
        return
    sentinel = parent.sentinel

    def watch() -> None:
        multiprocessing.connection.wait([sentinel])
        logger.warning("Supervisor gone; worker process [%s] stopping.", os.getpid())
        server.should_exit = True

    threading.Thread(target=watch, name="supervisor-watch", daemon=True).start()


class Supervisor:
    """Starts ``count`` workers, keeps them running, stops them together.

    Parameters
    ----------
    spec
        What each worker serves.
    count
        Number of workers (≥ 2).
    """

    def __init__(self, spec: ServerSpec, count: int) -> None:
        self.spec = spec
        self.count = count
        self.stopping = threading.Event()
        self.failed = False
        self._context = multiprocessing.get_context("spawn")
        self.workers: list[BaseProcess] = []

    def run(self) -> None:
        """Serve until ``SIGINT`` or ``SIGTERM``, or until a worker cannot start.

        Raises
        ------
        SystemExit
            With uvicorn's start-up failure code (3) when a worker could not start.
        """
        previous = {sig: signal.signal(sig, self._stop) for sig in (signal.SIGINT, signal.SIGTERM)}
        try:
            self.workers = [self._start() for _ in range(self.count)]
            while not self.stopping.wait(SUPERVISOR_POLL_S):
                self._replace_dead_workers()
        finally:
            self._stop_all()
            for sig, handler in previous.items():
                signal.signal(sig, handler)
        if self.failed:
            sys.exit(STARTUP_FAILURE)

    def _start(self) -> BaseProcess:
        worker = self._context.Process(target=run_worker, args=(self.spec,), daemon=False)
        worker.start()
        logger.info("Started worker process [%s]", worker.pid)
        return worker

    def _replace_dead_workers(self) -> None:
        for index, worker in enumerate(self.workers):
            if worker.is_alive() or self.stopping.is_set():
                continue
            worker.join()
            if worker.exitcode == STARTUP_FAILURE:
                logger.error("Worker process [%s] could not start; stopping.", worker.pid)
                self.failed = True
                self.stopping.set()
                return
            logger.warning(
                "Worker process [%s] died (exit code %s); starting another.",
                worker.pid,
                worker.exitcode,
            )
            self.workers[index] = self._start()

    def _stop(self, signum: int, frame: FrameType | None) -> None:
        self.stopping.set()

    def _stop_all(self) -> None:
        for worker in self.workers:
            if worker.is_alive():
                worker.terminate()
        for worker in self.workers:
            worker.join(STOP_GRACE_S)
            if worker.is_alive():
                worker.kill()
                worker.join()
