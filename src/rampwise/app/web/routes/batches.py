"""Measured batches: upload a measurements file (a job), read the batch reports."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Path, Query, Response, UploadFile, status

from rampwise.app.store import BatchRecord, FileKind, JobRecord, get_batch, list_batches
from rampwise.app.web.batch_import import form_spec
from rampwise.app.web.deps import Reader, ReadSession, Services, ServicesDep, Writer
from rampwise.app.web.errors import ErrorDetail
from rampwise.app.web.intake import latest_document, receive_file, submit_job
from rampwise.app.web.routes.projects import ID_MAX, READ_ERRORS, UPLOAD_ERRORS, Limit, Offset
from rampwise.app.web.tasks import JobKind, blob_meta

router = APIRouter(prefix="/api", tags=["batches"])

BatchId = Annotated[int, Path(ge=1, le=ID_MAX, description="Batch id.")]


def submit_batch(
    services: Services,
    *,
    file: UploadFile,
    project_id: int | None,
    name: str | None,
    lsl: str | None,
    usl: str | None,
    target: str | None,
) -> JobRecord:
    """Keep a measurements file and queue its import (shared by the API and the page).

    Raises
    ------
    InputError
        For a limit that is not a number or a project id that is not a whole number.
    RecordNotFoundError
        If ``project_id`` names no project.
    """
    spec = form_spec(lsl, usl, target)
    document: dict[str, Any] | None = None
    if project_id is not None:
        document = latest_document(services, project_id=project_id) or None
    blob = receive_file(services, file, (FileKind.MEASUREMENTS,))
    payload = {
        "file": blob_meta(blob),
        "name": (name or "").strip() or blob.original_name,
        "project_id": project_id,
        "spec": spec,
        "document": document,
    }
    return submit_job(services, kind=JobKind.IMPORT_BATCH, payload=payload)


@router.post("/batches", status_code=status.HTTP_202_ACCEPTED, responses=UPLOAD_ERRORS)
def upload_batch(
    response: Response,
    services: ServicesDep,
    _writer: Writer,
    file: Annotated[UploadFile, File(description="Measurements: CSV (long or wide) or QIF.")],
    project_id: Annotated[
        int | None, Form(ge=1, le=ID_MAX, description="Project whose limits apply.")
    ] = None,
    name: Annotated[str | None, Form(max_length=200, description="Batch name.")] = None,
    lsl: Annotated[str | None, Form(description="Lower specification limit [mm].")] = None,
    usl: Annotated[str | None, Form(description="Upper specification limit [mm].")] = None,
    target: Annotated[str | None, Form(description="Target value [mm].")] = None,
) -> JobRecord:
    """Upload a measurements file and queue the batch report (202 with the job)."""
    job = submit_batch(
        services, file=file, project_id=project_id, name=name, lsl=lsl, usl=usl, target=target
    )
    response.headers["Location"] = f"/api/jobs/{job.id}"
    return job


@router.get("/batches", responses=READ_ERRORS)
def batches(
    session: ReadSession,
    _reader: Reader,
    project_id: Annotated[int | None, Query(ge=1, le=ID_MAX)] = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> list[BatchRecord]:
    """Measured batches, newest first (of one project when ``project_id`` is given)."""
    return list_batches(session, project_id=project_id, limit=limit, offset=offset)


@router.get("/batches/{batch_id}", responses={**READ_ERRORS, 404: {"model": ErrorDetail}})
def batch(
    batch_id: BatchId,
    session: ReadSession,
    _reader: Reader,
    values: Annotated[bool, Query(description="Include every measured value.")] = False,
) -> BatchRecord:
    """One batch: its report (BatchResult JSON) and, on request, its values."""
    return get_batch(session, batch_id=batch_id, with_values=values)
