"""Measured batches: the upload form with the list, and the batch report."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, Path, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse

from rampwise.app.store import get_batch, get_project, list_batches, list_projects
from rampwise.app.web.deps import Reader, ReadSession, ServicesDep, Writer
from rampwise.app.web.pages.common import error_status, render, see_other
from rampwise.app.web.routes.batches import submit_batch
from rampwise.app.web.routes.projects import ID_MAX
from rampwise.core.errors import InputError

router = APIRouter()

OptionalText = Annotated[str | None, Form()]
PAGE_SIZE = 200


def _list_context(session: ReadSession) -> dict[str, object]:
    return {
        "batches": list_batches(session, limit=PAGE_SIZE),
        "projects": list_projects(session, limit=PAGE_SIZE),
        "form": {},
    }


@router.get("/batches", response_class=HTMLResponse)
def batches_page(
    request: Request,
    session: ReadSession,
    token: Reader,
    project_id: Annotated[int | None, Query(ge=1, le=ID_MAX)] = None,
) -> HTMLResponse:
    """Upload a measurements file (for ``project_id``, when given); the batches so far."""
    context = _list_context(session)
    if project_id is not None:
        context["form"] = {"project_id": str(project_id)}
    return render(request, "batches.html", context, token=token)


@router.post("/batches", response_model=None)
def submit_batch_form(
    request: Request,
    services: ServicesDep,
    session: ReadSession,
    token: Writer,
    measurements: Annotated[UploadFile, File()],
    project_id: OptionalText = None,
    name: OptionalText = None,
    lsl: OptionalText = None,
    usl: OptionalText = None,
    target: OptionalText = None,
) -> HTMLResponse | RedirectResponse:
    """Queue the import of a measurements file and show its progress."""
    form = {"project_id": project_id, "name": name, "lsl": lsl, "usl": usl, "target": target}
    try:
        project = None
        if project_id and project_id.strip():
            if not project_id.strip().isdigit():
                raise InputError("project_id", f"must be a project id; got {project_id!r}")
            project = int(project_id)
        job = submit_batch(
            services,
            file=measurements,
            project_id=project,
            name=name,
            lsl=lsl,
            usl=usl,
            target=target,
        )
        return see_other(f"/jobs/{job.id}")
    except InputError as err:
        context = _list_context(session) | {"form": form, "error": str(err)}
        return render(request, "batches.html", context, token=token, status_code=error_status(err))


@router.get("/batches/{batch_id}", response_class=HTMLResponse)
def batch_page(
    request: Request,
    batch_id: Annotated[int, Path(ge=1, le=ID_MAX)],
    session: ReadSession,
    token: Reader,
) -> HTMLResponse:
    """The batch report: verdict, capability table, histogram and control charts."""
    batch = get_batch(session, batch_id=batch_id)
    project = get_project(session, project_id=batch.project_id) if batch.project_id else None
    return render(request, "batch.html", {"batch": batch, "project": project}, token=token)
