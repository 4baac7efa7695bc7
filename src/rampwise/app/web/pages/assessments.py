"""New assessment (upload form), the job page, and the result page."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, Path, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse

from rampwise.app.store import FileKind, get_assessment, get_job, get_revision, project_name
from rampwise.app.store.blobs import kind_from_name
from rampwise.app.web.deps import CurrentToken, Reader, ReadSession, ServicesDep, Writer
from rampwise.app.web.documents import parse_project
from rampwise.app.web.intake import (
    DEFAULT_MATERIAL,
    form_document,
    has_file,
    read_project_file,
    receive_file,
    stem,
    store_assessed,
    submit_cad,
)
from rampwise.app.web.pages.common import error_status, render, see_other
from rampwise.app.web.routes.projects import ID_MAX, UPLOAD_KINDS
from rampwise.app.web.routes.service import JobId
from rampwise.core.errors import InputError

router = APIRouter()

OptionalText = Annotated[str | None, Form()]


@router.get("/", response_class=HTMLResponse)
def new_assessment(request: Request, token: CurrentToken) -> HTMLResponse:
    """The new-assessment form: a model or a project file, quantity and purpose."""
    return render(request, "new.html", _form_context({}), token=token)


def _form_context(form: dict[str, str | None]) -> dict[str, object]:
    return {"form": form, "default_material": DEFAULT_MATERIAL}


@router.post("/assessments", response_model=None)
def submit_assessment(
    request: Request,
    services: ServicesDep,
    token: Writer,
    cad: Annotated[UploadFile | None, File()] = None,
    project_file: Annotated[UploadFile | None, File()] = None,
    name: OptionalText = None,
    part_number: OptionalText = None,
    material: OptionalText = None,
    quantity: OptionalText = None,
    purpose: OptionalText = None,
    unit: OptionalText = None,
) -> HTMLResponse | RedirectResponse:
    """Assess what the form sent: a model goes to a job, a project file is assessed now.

    Fields typed in the form override the project file; blank ones (material, unit,
    quantity, purpose) keep what it says.
    """
    form = {
        "name": name,
        "part_number": part_number,
        "material": material,
        "quantity": quantity,
        "purpose": purpose,
        "unit": unit,
    }
    try:
        chosen = cad if cad is not None and has_file(cad) else None
        if chosen is not None:
            kind_from_name(chosen.filename or "", allowed=UPLOAD_KINDS)
        base = None
        if project_file is not None and has_file(project_file):
            base = read_project_file(receive_file(services, project_file, (FileKind.PROJECT,)))
            if chosen is not None and isinstance(base.get("part"), dict):
                base["part"] = {k: v for k, v in base["part"].items() if k != "cad"}
        if chosen is None and base is None:
            raise InputError(
                "file", "choose a STEP or STL model, a ZIP of models, or a project file"
            )
        document = form_document(
            base=base, fallback_name=stem(chosen.filename if chosen else "project"), **form
        )
        if chosen is not None:
            blob = receive_file(services, chosen, UPLOAD_KINDS)
            job = submit_cad(services, blob=blob, document=document, unit=unit)
            return see_other(f"/jobs/{job.id}")
        detail = store_assessed(services, document=document, project=parse_project(document))
        assert detail.latest_assessment is not None
        return see_other(f"/assessments/{detail.latest_assessment.id}")
    except InputError as err:
        return render(
            request,
            "new.html",
            _form_context(form) | {"error": str(err)},
            token=token,
            status_code=error_status(err),
        )


@router.get("/jobs/{job_id}", response_model=None)
def job_page(
    request: Request, job_id: JobId, session: ReadSession, token: Reader
) -> HTMLResponse | RedirectResponse:
    """A job's progress; once done, the result (303) — refreshes itself without script."""
    job = get_job(session, job_id=job_id)
    if job.status == "done" and job.result_path:
        return see_other(job.result_path)
    return render(request, "job.html", {"job": job}, token=token)


@router.get("/assessments/{assessment_id}", response_class=HTMLResponse)
def result_page(
    request: Request,
    assessment_id: Annotated[int, Path(ge=1, le=ID_MAX)],
    session: ReadSession,
    token: Reader,
) -> HTMLResponse:
    """The result: stage and why, readiness lights, price ladder, findings, route, plan."""
    record = get_assessment(session, assessment_id=assessment_id)
    return render(
        request,
        "result.html",
        {
            "record": record,
            "result": record.result,
            "project_name": project_name(session, project_id=record.project_id),
            "revision": get_revision(session, revision_id=record.revision_id),
        },
        token=token,
    )
