"""Store functions for background jobs: status and progress live in the database.

Keeping them there lets every server process (``serve --workers N``) and every queue
worker report the same job, whichever of them runs it.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import update
from sqlalchemy.orm import Session

from rampwise.app.store.database import RecordNotFoundError
from rampwise.app.store.records import JobRecord, JobStatus, ResultJSON
from rampwise.app.store.tables import JobRow, utc_now

MESSAGE_MAX_CHARS = 500


def create_job(session: Session, *, kind: str, payload: dict[str, Any]) -> JobRecord:
    """Record a queued job and return it (its id is a random hex string)."""
    row = JobRow(
        id=uuid.uuid4().hex,
        kind=kind,
        status=JobStatus.QUEUED.value,
        progress=0.0,
        message="queued",
        payload=payload,
    )
    session.add(row)
    session.flush()
    return _job(row)


def get_job(session: Session, *, job_id: str) -> JobRecord:
    """One job's status.

    Raises
    ------
    RecordNotFoundError
        If there is no such job.
    """
    return _job(_row(session, job_id))


def job_payload(session: Session, *, job_id: str) -> dict[str, Any]:
    """What the job was asked to do.

    Raises
    ------
    RecordNotFoundError
        If there is no such job.
    """
    return dict(_row(session, job_id).payload)


def report_progress(session: Session, *, job_id: str, progress: float, message: str) -> None:
    """Mark a job running, ``progress`` [unitless, 0 to 1] done, with what it is doing."""
    row = _row(session, job_id)
    row.status = JobStatus.RUNNING.value
    row.progress = min(max(progress, 0.0), 1.0)
    row.message = message[:MESSAGE_MAX_CHARS]
    row.updated_at = utc_now()


def finish_job(
    session: Session,
    *,
    job_id: str,
    message: str,
    result_path: str | None = None,
    result: ResultJSON | None = None,
) -> None:
    """Mark a job done, with where its result is shown and any result JSON."""
    row = _row(session, job_id)
    row.status = JobStatus.DONE.value
    row.progress = 1.0
    row.message = message[:MESSAGE_MAX_CHARS]
    row.result_path = result_path
    row.result = result
    row.updated_at = utc_now()


def fail_job(session: Session, *, job_id: str, error: str) -> None:
    """Mark a job failed with a one-line reason the user can act on."""
    row = _row(session, job_id)
    row.status = JobStatus.FAILED.value
    row.message = "failed"
    row.error = error
    row.updated_at = utc_now()


def fail_unfinished_jobs(session: Session, *, reason: str) -> int:
    """Mark every queued or running job failed (their in-process worker is gone).

    Returns
    -------
    int
        How many jobs were marked.
    """
    result = session.execute(
        update(JobRow)
        .where(JobRow.status.in_([JobStatus.QUEUED.value, JobStatus.RUNNING.value]))
        .values(status=JobStatus.FAILED.value, message="failed", error=reason, updated_at=utc_now())
    )
    return int(getattr(result, "rowcount", 0) or 0)


def _row(session: Session, job_id: str) -> JobRow:
    row = session.get(JobRow, job_id)
    if row is None:
        raise RecordNotFoundError("job", job_id)
    return row


def _job(row: JobRow) -> JobRecord:
    return JobRecord.model_validate(row, from_attributes=True)
