"""Gauge studies of a stored project: upload one for a characteristic, list them.

A gauge R&R study is evidence for the project's readiness gate (a Cpk measured with a
gauge above 30 %GRR is not evidence, AIAG MSA), as a project file's ``gauge_studies``
entry is for the CLI. The study is small (parts × appraisers × trials readings), so it is
analysed at once; storing it assesses the project again with the store's evidence.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, Response, UploadFile, status
from pydantic import BaseModel, ConfigDict

from rampwise.api import read_gauge_study
from rampwise.app.store import (
    AssessmentRecord,
    FileKind,
    GaugeStudyRecord,
    create_gauge_study,
    list_gauge_studies,
)
from rampwise.app.web.deps import Reader, ReadSession, ServicesDep, Writer
from rampwise.app.web.errors import ErrorDetail
from rampwise.app.web.evidence import reassess
from rampwise.app.web.intake import latest_document, receive_file
from rampwise.app.web.routes.projects import READ_ERRORS, UPLOAD_ERRORS, ProjectId
from rampwise.core.errors import InputError
from rampwise.io.project_file import project_from_mapping

router = APIRouter(prefix="/api", tags=["gauge studies"])


class GaugeStudyUpload(BaseModel):
    """A stored gauge study and the project's assessment made with it.

    Attributes
    ----------
    gauge_study
        The study as stored, filed under its characteristic's id.
    assessment
        The project's new assessment, whose ``supplier_capability`` area reads the study.
    """

    model_config = ConfigDict(frozen=True)

    gauge_study: GaugeStudyRecord
    assessment: AssessmentRecord


@router.post(
    "/projects/{project_id}/gauge-studies",
    status_code=status.HTTP_201_CREATED,
    responses=UPLOAD_ERRORS,
)
def upload_gauge_study(
    project_id: ProjectId,
    response: Response,
    services: ServicesDep,
    _writer: Writer,
    file: Annotated[
        UploadFile,
        File(description="Gauge R&R study, CSV in long form: part, appraiser, trial, value."),
    ],
    characteristic: Annotated[
        str,
        Form(
            min_length=1,
            max_length=100,
            description="The characteristic the gauge measures: its id or name.",
        ),
    ],
    name: Annotated[str | None, Form(max_length=200, description="Study name.")] = None,
) -> GaugeStudyUpload:
    """Store a gauge study of a project's characteristic and assess the project again.

    The study is judged against the characteristic's tolerance in the project's latest
    revision; the project's latest assessment then reads it (as the project file's
    ``gauge_studies`` entry would).
    """
    key = characteristic.strip()
    document = latest_document(services, project_id=project_id)
    project = project_from_mapping(document)
    named = project.part.characteristic(key)
    if named is None:
        known = ", ".join(str(c.id) for c in project.part.characteristics) or "none"
        raise InputError("characteristic", f"{key!r} names no characteristic (ids: {known})")
    blob = receive_file(services, file, (FileKind.GAUGE_STUDY,))
    result = read_gauge_study(project, key, blob.path, name=blob.original_name)
    with services.database.write() as session:
        study = create_gauge_study(
            session,
            project_id=project_id,
            characteristic=str(named.id),
            name=(name or "").strip() or blob.original_name,
            result=result,
            file=blob,
        )
        assessment = reassess(session, project_id=project_id)
    response.headers["Location"] = f"/api/projects/{project_id}/gauge-studies"
    return GaugeStudyUpload(gauge_study=study, assessment=assessment)


@router.get(
    "/projects/{project_id}/gauge-studies",
    responses={**READ_ERRORS, 404: {"model": ErrorDetail}},
)
def gauge_studies(
    project_id: ProjectId, session: ReadSession, _reader: Reader
) -> list[GaugeStudyRecord]:
    """The gauge studies stored for a project, newest first."""
    return list_gauge_studies(session, project_id=project_id)
