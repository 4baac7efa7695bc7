"""Service routes: health and the job status."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path
from pydantic import BaseModel

from rampwise.app.store import JobRecord, get_job
from rampwise.app.web.deps import Reader, ReadSession, ServicesDep
from rampwise.app.web.errors import ErrorDetail

router = APIRouter(prefix="/api", tags=["service"])

JobId = Annotated[str, Path(pattern=r"^[0-9a-f]{32}$", description="Job id (32 hex digits).")]


class Health(BaseModel):
    """The service answers and its database is reachable."""

    status: Literal["ok"]


@router.get("/health", responses={503: {"model": ErrorDetail}})
def health(services: ServicesDep) -> Health:
    """``{"status": "ok"}`` once the database answers; 503 with the reason otherwise."""
    services.database.check()
    return Health(status="ok")


@router.get("/jobs/{job_id}", responses={404: {"model": ErrorDetail}})
def job_status(job_id: JobId, session: ReadSession, _reader: Reader) -> JobRecord:
    """Status, progress [0–1] and result location of a background job."""
    return get_job(session, job_id=job_id)
