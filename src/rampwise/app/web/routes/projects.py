"""Projects, their revisions, assessments and history; uploads that start a job."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Path, Query, Response, UploadFile, status

from rampwise.app.store import (
    AssessmentRecord,
    FileKind,
    HistoryEntry,
    JobRecord,
    ProjectDetail,
    ProjectSummary,
    RevisionRecord,
    add_revision,
    get_assessment,
    get_project,
    list_projects,
    list_revisions,
    project_history,
)
from rampwise.app.store.projects import list_inspection_records, list_quotes
from rampwise.app.store.records import InspectionRecord, QuoteRecord
from rampwise.app.web.deps import Reader, ReadSession, ServicesDep, Writer
from rampwise.app.web.documents import JsonBody, document_body, parse_project
from rampwise.app.web.errors import ErrorDetail
from rampwise.app.web.evidence import stored_evidence
from rampwise.app.web.intake import (
    DEFAULT_MATERIAL,
    assessment_json,
    form_document,
    queue_revision,
    receive_file,
    stem,
    store_assessed,
    submit_cad,
)

router = APIRouter(prefix="/api", tags=["projects"])

ID_MAX = 2**31 - 1
"""Largest id both databases store in an INTEGER column."""

ProjectId = Annotated[int, Path(ge=1, le=ID_MAX, description="Project id.")]
AssessmentId = Annotated[int, Path(ge=1, le=ID_MAX, description="Assessment id.")]
Limit = Annotated[int, Query(ge=1, le=500, description="Most rows to return.")]
Offset = Annotated[int, Query(ge=0, le=ID_MAX, description="Rows to skip.")]

WRITE_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorDetail},
    422: {"model": ErrorDetail},
}
READ_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorDetail},
    404: {"model": ErrorDetail},
}
UPLOAD_ERRORS: dict[int | str, dict[str, Any]] = {
    **WRITE_ERRORS,
    404: {"model": ErrorDetail},
    413: {"model": ErrorDetail},
    415: {"model": ErrorDetail},
}
UPLOAD_KINDS = (FileKind.STEP, FileKind.STL, FileKind.ZIP)

MeshUnit = Annotated[
    str | None,
    Form(
        description="Unit of an STL model's coordinates: mm or in (blank: the project's "
        "unit, else mm). A STEP file states its own.",
        examples=["mm", "in"],
    ),
]


@router.post(
    "/projects",
    status_code=status.HTTP_201_CREATED,
    responses=WRITE_ERRORS,
    openapi_extra=document_body("The project document (the YAML's fields) as JSON."),
)
def create_project_route(
    response: Response, services: ServicesDep, _writer: Writer, document: JsonBody
) -> ProjectDetail:
    """Store a project, assess it, and answer with its id and latest assessment."""
    project = parse_project(document)
    detail = store_assessed(services, document=document, project=project)
    response.headers["Location"] = f"/api/projects/{detail.id}"
    return detail


@router.get("/projects", responses=READ_ERRORS)
def projects(
    session: ReadSession, _reader: Reader, limit: Limit = 100, offset: Offset = 0
) -> list[ProjectSummary]:
    """Projects, most recently changed first."""
    return list_projects(session, limit=limit, offset=offset)


@router.get("/projects/{project_id}", responses=READ_ERRORS)
def project(project_id: ProjectId, session: ReadSession, _reader: Reader) -> ProjectDetail:
    """One project with its latest revision and latest assessment."""
    return get_project(session, project_id=project_id)


@router.post(
    "/projects/{project_id}/revisions",
    status_code=status.HTTP_201_CREATED,
    responses={**WRITE_ERRORS, 404: {"model": ErrorDetail}},
    openapi_extra=document_body("The revised project document as JSON."),
)
def add_revision_route(
    project_id: ProjectId, services: ServicesDep, _writer: Writer, document: JsonBody
) -> HistoryEntry:
    """Store a new revision of a project, assess it, and say what changed.

    The assessment reads the project's stored evidence (its latest batch, its gauge
    studies), as every assessment of a stored project does.
    """
    project = parse_project(document)
    evidence = stored_evidence(services, project_id=project_id)
    result = assessment_json(project, evidence=evidence)
    with services.database.write() as session:
        return add_revision(session, project_id=project_id, document=document, result=result)


@router.get("/projects/{project_id}/revisions", responses=READ_ERRORS)
def revisions(project_id: ProjectId, session: ReadSession, _reader: Reader) -> list[RevisionRecord]:
    """The revisions of a project, oldest first."""
    get_project(session, project_id=project_id)
    return list_revisions(session, project_id=project_id)


@router.get("/projects/{project_id}/history", responses=READ_ERRORS)
def history(project_id: ProjectId, session: ReadSession, _reader: Reader) -> list[HistoryEntry]:
    """Every revision with its assessment and what changed: stage, readiness, price."""
    return project_history(session, project_id=project_id)


@router.get("/projects/{project_id}/quotes", responses=READ_ERRORS)
def quotes(project_id: ProjectId, session: ReadSession, _reader: Reader) -> list[QuoteRecord]:
    """The quotes made with the project's assessments, oldest first."""
    get_project(session, project_id=project_id)
    return list_quotes(session, project_id=project_id)


@router.get("/projects/{project_id}/inspections", responses=READ_ERRORS)
def inspections(
    project_id: ProjectId, session: ReadSession, _reader: Reader
) -> list[InspectionRecord]:
    """The inspection plans kept with the project's assessments, oldest first."""
    get_project(session, project_id=project_id)
    return list_inspection_records(session, project_id=project_id)


@router.get("/assessments/{assessment_id}", responses=READ_ERRORS)
def assessment(
    assessment_id: AssessmentId, session: ReadSession, _reader: Reader
) -> AssessmentRecord:
    """One stored assessment (its Assessment JSON and the version that made it)."""
    return get_assessment(session, assessment_id=assessment_id)


@router.post("/uploads", status_code=status.HTTP_202_ACCEPTED, responses=UPLOAD_ERRORS)
def upload(
    response: Response,
    services: ServicesDep,
    _writer: Writer,
    file: Annotated[UploadFile, File(description="STEP or STL model, or a ZIP of them.")],
    quantity: Annotated[str, Form(description="Pieces ordered.")],
    purpose: Annotated[str, Form(description="What the parts are for (catalog purpose).")],
    material: Annotated[
        str | None, Form(description=f"Catalog material name (default {DEFAULT_MATERIAL}).")
    ] = None,
    project: Annotated[str | None, Form(description="Project name.")] = None,
    part_number: Annotated[str | None, Form(description="Part number.")] = None,
    unit: MeshUnit = None,
) -> JobRecord:
    """Upload a model (or a ZIP of models) and queue its assessment as a new project.

    An STL is read in ``unit`` (mm unless given: an STL carries no unit of its own).
    Answers 202 with the job; follow ``/api/jobs/{id}`` until it is done.
    """
    document = form_document(
        base=None,
        name=project,
        part_number=part_number,
        material=material,
        quantity=quantity,
        purpose=purpose,
        fallback_name=stem(file.filename),
        unit=unit,
    )
    blob = receive_file(services, file, UPLOAD_KINDS)
    job = submit_cad(services, blob=blob, document=document, unit=unit)
    response.headers["Location"] = f"/api/jobs/{job.id}"
    return job


@router.post(
    "/projects/{project_id}/uploads",
    status_code=status.HTTP_202_ACCEPTED,
    responses=UPLOAD_ERRORS,
)
def upload_revision(
    project_id: ProjectId,
    response: Response,
    services: ServicesDep,
    _writer: Writer,
    file: Annotated[UploadFile, File(description="STEP or STL model of the new revision.")],
    quantity: Annotated[str | None, Form(description="New order quantity.")] = None,
    purpose: Annotated[str | None, Form(description="New purpose.")] = None,
    part_revision: Annotated[str | None, Form(description="Drawing revision.")] = None,
    unit: MeshUnit = None,
) -> JobRecord:
    """Upload a new model of a project's part and queue the new revision's assessment."""
    job = queue_revision(
        services,
        project_id=project_id,
        upload=file,
        quantity=quantity,
        purpose=purpose,
        part_revision=part_revision,
        unit=unit,
    )
    response.headers["Location"] = f"/api/jobs/{job.id}"
    return job
