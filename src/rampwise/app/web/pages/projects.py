"""Projects list and project page: revisions, assessments, what changed, new revision."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, Path, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse

from rampwise.app.store import (
    get_project,
    list_batches,
    list_projects,
    project_history,
)
from rampwise.app.web.deps import Reader, ReadSession, ServicesDep, Writer
from rampwise.app.web.intake import queue_revision
from rampwise.app.web.pages.common import error_status, render, see_other
from rampwise.app.web.routes.projects import ID_MAX
from rampwise.core.errors import InputError

router = APIRouter()

ProjectId = Annotated[int, Path(ge=1, le=ID_MAX)]
PAGE_SIZE = 200


@router.get("/projects", response_class=HTMLResponse)
def projects_page(request: Request, session: ReadSession, token: Reader) -> HTMLResponse:
    """Every project, most recently changed first, with its latest stage."""
    rows = list_projects(session, limit=PAGE_SIZE)
    return render(request, "projects.html", {"projects": rows}, token=token)


def _project_context(session: ReadSession, project_id: int) -> dict[str, object]:
    return {
        "project": get_project(session, project_id=project_id),
        "history": list(reversed(project_history(session, project_id=project_id))),
        "batches": list_batches(session, project_id=project_id),
        "form": {},
    }


@router.get("/projects/{project_id}", response_class=HTMLResponse)
def project_page(
    request: Request, project_id: ProjectId, session: ReadSession, token: Reader
) -> HTMLResponse:
    """A project's revisions and assessments, newest first, with what changed."""
    return render(request, "project.html", _project_context(session, project_id), token=token)


@router.post("/projects/{project_id}/revisions", response_model=None)
def submit_revision(
    request: Request,
    project_id: ProjectId,
    services: ServicesDep,
    session: ReadSession,
    token: Writer,
    cad: Annotated[UploadFile, File()],
    quantity: Annotated[str | None, Form()] = None,
    purpose: Annotated[str | None, Form()] = None,
    part_revision: Annotated[str | None, Form()] = None,
    unit: Annotated[str | None, Form()] = None,
) -> HTMLResponse | RedirectResponse:
    """Upload the model of a new revision; its assessment runs as a job."""
    form = {
        "quantity": quantity,
        "purpose": purpose,
        "part_revision": part_revision,
        "unit": unit,
    }
    try:
        job = queue_revision(
            services,
            project_id=project_id,
            upload=cad,
            quantity=quantity,
            purpose=purpose,
            part_revision=part_revision,
            unit=unit,
        )
        return see_other(f"/jobs/{job.id}")
    except InputError as err:
        context = _project_context(session, project_id) | {"form": form, "error": str(err)}
        return render(request, "project.html", context, token=token, status_code=error_status(err))
