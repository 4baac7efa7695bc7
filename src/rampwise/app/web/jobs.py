"""Job queues: an in-process worker pool by default, RQ on Redis when configured.

A job's status, progress and result live in the database (:mod:`rampwise.app.store.jobs`),
so whichever process runs it, every server process reports it. The queue only decides
*where* :func:`rampwise.app.web.tasks.run_job` runs:

- :class:`LocalQueue` — a thread pool inside the server process; each analysis runs in
  a child process that is killed at the time limit. Nothing to set up.
- :class:`RedisQueue` — an RQ queue on ``RAMPWISE_REDIS_URL``; ``rampwise worker`` on
  any machine that shares the database and the data folder takes the jobs.
"""

from __future__ import annotations

import logging
import os
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Protocol

from rampwise.app.store import Database
from rampwise.io.settings import Settings

QUEUE_NAME = "rampwise"
"""Name of the RQ queue."""

JOB_TIMEOUT_MARGIN_S = 60
"""Extra time RQ allows a job beyond the analysis limit, for storing results [s]."""

RESULT_TTL_S = 24 * 3600
"""How long RQ keeps a finished job's own record [s] (ours stay in the database)."""

log = logging.getLogger(__name__)


class JobQueue(Protocol):
    """Where jobs run."""

    def submit(self, job_id: str) -> None:
        """Run the job recorded under ``job_id`` in the background."""

    def shutdown(self) -> None:
        """Stop taking jobs (running ones finish)."""


def default_pool_size() -> int:
    """Worker threads of the in-process pool: one per core, at most 4."""
    return max(1, min(4, os.cpu_count() or 1))


class LocalQueue:
    """A thread pool in the server process.

    Parameters
    ----------
    database
        Where the jobs are recorded.
    settings
        For the analysis time limit.
    workers
        Jobs run at the same time.
    """

    def __init__(self, database: Database, settings: Settings, *, workers: int | None = None):
        self.database = database
        self.settings = settings
        self.pool = ThreadPoolExecutor(
            max_workers=workers or default_pool_size(), thread_name_prefix="rampwise-job"
        )

    def submit(self, job_id: str) -> None:
        """Queue the job on the pool."""
        from rampwise.app.web.tasks import run_job

        future = self.pool.submit(run_job, job_id, database=self.database, settings=self.settings)
        future.add_done_callback(_log_crash)

    def shutdown(self) -> None:
        """Wait for running jobs; drop queued ones (they are marked failed on restart)."""
        self.pool.shutdown(wait=True, cancel_futures=True)


def _log_crash(future: Future[None]) -> None:
    error = future.exception() if not future.cancelled() else None
    if error is not None:
        log.error("job runner crashed", exc_info=error)


class RedisQueue:
    """An RQ queue; jobs run in ``rampwise worker`` processes.

    Parameters
    ----------
    redis_url
        Redis URL (``redis://host:6379/0``).
    settings
        For the analysis time limit, which bounds RQ's own job timeout.
    name
        Queue name (tests use their own).
    """

    def __init__(self, redis_url: str, settings: Settings, *, name: str = QUEUE_NAME):
        from redis import Redis
        from rq import Queue

        self.connection = Redis.from_url(redis_url)
        self.queue = Queue(name, connection=self.connection)
        self.timeout_s = int(settings.analysis_timeout_s) + JOB_TIMEOUT_MARGIN_S

    def check(self) -> None:
        """Ping Redis.

        Raises
        ------
        StoreError
            If Redis does not answer.
        """
        from redis.exceptions import RedisError

        from rampwise.app.store import StoreError

        try:
            self.connection.ping()
        except RedisError as err:
            raise StoreError(f"job queue unreachable: {err}") from None

    def submit(self, job_id: str) -> None:
        """Enqueue the job for a worker."""
        self.queue.enqueue(
            "rampwise.app.web.tasks.run_job",
            job_id,
            job_id=f"rampwise-{job_id}",
            job_timeout=self.timeout_s,
            result_ttl=RESULT_TTL_S,
            failure_ttl=RESULT_TTL_S,
        )

    def shutdown(self) -> None:
        """Close the Redis connection."""
        self.connection.close()


def make_queue(settings: Settings, database: Database) -> JobQueue:
    """The queue the settings ask for."""
    if settings.redis_url:
        queue = RedisQueue(settings.redis_url, settings)
        queue.check()
        return queue
    return LocalQueue(database, settings)
