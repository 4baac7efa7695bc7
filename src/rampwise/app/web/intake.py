"""What the API and the pages share when something comes in: uploads, documents, jobs.

A project document is assessed at once and stored with its assessment in one
transaction; an upload of a CAD model or a ZIP is kept by content hash and assessed by a
background job. The page form and the JSON routes both go through these functions, so
they accept and refuse exactly the same things.

Everything here blocks (files, the database, the assessment): the routes that call it are
plain ``def`` handlers, which FastAPI runs in its thread pool, off the event loop.
"""

from __future__ import annotations

from pathlib import PurePath
from typing import Any

import yaml
from fastapi import UploadFile
from pydantic_core import to_jsonable_python

from rampwise.api import Evidence, assess
from rampwise.app.store import (
    Blob,
    FileKind,
    JobRecord,
    ProjectDetail,
    create_job,
    create_project,
    get_project,
    list_revisions,
    save_upload,
)
from rampwise.app.web.archive import CAD_KINDS, archive_members, archive_orders
from rampwise.app.web.deps import Services
from rampwise.app.web.documents import check_no_server_paths, parse_project
from rampwise.app.web.tasks import JobKind, blob_meta
from rampwise.core.checks import require_choice, require_whole
from rampwise.core.errors import InputError
from rampwise.core.model import Project

DEFAULT_MATERIAL = "Al 6061-T6"
"""Material a bare CAD upload (no project file) is assessed in until the user names another."""

MESH_UNITS = ("mm", "in")
"""Units an uploaded mesh (STL) may be in; it carries none itself."""


def receive_file(services: Services, upload: UploadFile, allowed: tuple[FileKind, ...]) -> Blob:
    """Keep an uploaded file by content hash, checking its type and size.

    Raises
    ------
    UnsupportedFileError
        If its name or content is not one of ``allowed`` (HTTP 415).
    FileTooLargeError
        If it is larger than ``upload_max_bytes`` (HTTP 413).
    """
    return save_upload(
        upload.file,
        files_dir=services.database.files_dir,
        original_name=upload.filename or "upload",
        allowed=allowed,
        max_bytes=services.settings.upload_max_bytes,
    )


def form_unit(unit: str | None) -> str | None:
    """The unit a form gives an uploaded mesh: ``"mm"``, ``"in"``, or ``None`` when blank.

    Raises
    ------
    InputError
        If it is neither mm nor in.
    """
    if unit is None or not unit.strip():
        return None
    return require_choice("unit", unit.strip(), MESH_UNITS)


def has_file(upload: UploadFile | None) -> bool:
    """True when the form field holds a chosen file (browsers send an empty part if not)."""
    return upload is not None and bool(upload.filename)


def read_project_file(blob: Blob) -> dict[str, Any]:
    """The document of an uploaded project file (YAML or JSON), with dates as ISO text.

    Raises
    ------
    InputError
        If it is not YAML, is not a mapping, or names server-side files.
    """
    try:
        document = yaml.safe_load(blob.path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise InputError("project file", f"{blob.original_name!r} is not UTF-8 text") from None
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        line = f" at line {mark.line + 1}" if mark is not None else ""
        raise InputError("project file", f"malformed YAML{line} in {blob.original_name}") from None
    if not isinstance(document, dict):
        raise InputError("project file", "must be a mapping of fields (project, part, …)")
    jsonable: dict[str, Any] = to_jsonable_python(document)
    return jsonable


def form_document(
    *,
    base: dict[str, Any] | None,
    name: str | None,
    part_number: str | None,
    material: str | None,
    quantity: str | None,
    purpose: str | None,
    fallback_name: str,
    unit: str | None = None,
) -> dict[str, Any]:
    """A project document from the form's fields over an uploaded document (if any).

    Filled fields override the uploaded document and blank ones keep what it says.
    Without one, quantity and purpose are required, the part is named after the uploaded
    file and made of :data:`DEFAULT_MATERIAL` unless the form names a material, and a
    typed mesh ``unit`` becomes the document's (it has no lengths of its own, so only the
    model and later revisions' models are read in it). With one, its ``unit`` stays the
    unit of its lengths: a mesh unit typed beside it goes with the job, not the document.

    Raises
    ------
    InputError
        If the quantity is not a whole number ≥ 1, the unit is neither mm nor in, or a
        needed field is empty.
    """
    document: dict[str, Any] = dict(base or {})
    part: dict[str, Any] = dict(document.get("part") or {})
    if name and name.strip():
        document["project"] = name.strip()
    document.setdefault("project", fallback_name)
    if part_number and part_number.strip():
        part["number"] = part_number.strip()
    part.setdefault("number", fallback_name)
    if material and material.strip():
        part["material"] = material.strip()
    elif base is None:
        part["material"] = DEFAULT_MATERIAL
    document["part"] = part
    typed_unit = form_unit(unit)
    if base is None and typed_unit is not None:
        document["unit"] = typed_unit
    if quantity is not None and quantity.strip():
        try:
            number = float(quantity)
        except ValueError:
            raise InputError("quantity", f"must be a whole number ≥ 1; got {quantity!r}") from None
        document["quantity"] = require_whole("quantity", number)
    elif "quantity" not in document:
        raise InputError("quantity", "is required")
    if purpose and purpose.strip():
        document["purpose"] = purpose.strip()
    elif base is None:
        raise InputError("purpose", "is required")
    check_no_server_paths(document)
    return document


def assessment_json(project: Project, *, evidence: Evidence | None = None) -> dict[str, Any]:
    """The Assessment JSON of a validated project.

    Parameters
    ----------
    evidence
        A stored project's evidence (:func:`~rampwise.app.web.evidence.stored_evidence`);
        ``None`` for a new project, which has none (a document over the network names no
        measurement files).
    """
    return assess(project, evidence=evidence or Evidence()).model_dump(mode="json")


def store_assessed(
    services: Services, *, document: dict[str, Any], project: Project
) -> ProjectDetail:
    """Assess a validated project and store it as a new project, in one transaction."""
    result = assessment_json(project)
    with services.database.write() as session:
        return create_project(session, document=document, result=result)


def submit_job(services: Services, *, kind: JobKind, payload: dict[str, Any]) -> JobRecord:
    """Record a job and hand it to the queue."""
    with services.database.write() as session:
        job = create_job(session, kind=kind.value, payload=payload)
    services.queue.submit(job.id)
    return job


def submit_cad(
    services: Services,
    *,
    blob: Blob,
    document: dict[str, Any],
    project_id: int | None = None,
    unit: str | None = None,
) -> JobRecord:
    """Queue the assessment of an uploaded CAD model or ZIP of models.

    Parameters
    ----------
    unit
        Unit of an uploaded mesh's coordinates as typed in the form (``"mm"``, ``"in"``);
        ``None`` leaves it to the document's ``unit``, else mm (see
        :func:`~rampwise.app.web.tasks.compute_assessment`). A STEP file states its own.

    Raises
    ------
    InputError
        If the document does not validate, the unit is neither mm nor in, or a ZIP
        breaks the archive limits.
    """
    parse_project(document)
    if blob.kind is FileKind.ZIP:
        if project_id is not None:
            raise InputError("file", "a ZIP makes one project per part; upload it as new")
        members = archive_members(blob.path, max_bytes=services.settings.upload_max_bytes)
        archive_orders(blob.path, members)
        kind = JobKind.ASSESS_ARCHIVE
    elif blob.kind in CAD_KINDS:
        kind = JobKind.ASSESS_UPLOAD
    else:  # pragma: no cover - the routes only accept the kinds above
        raise InputError("file", f"{blob.original_name!r} is not a CAD model")
    payload = {
        "document": document,
        "file": blob_meta(blob),
        "project_id": project_id,
        "unit": form_unit(unit),
    }
    return submit_job(services, kind=kind, payload=payload)


def latest_document(services: Services, *, project_id: int) -> dict[str, Any]:
    """The document of a project's latest revision (the base of a new revision).

    Raises
    ------
    RecordNotFoundError
        If the project does not exist.
    """
    with services.database.read() as session:
        get_project(session, project_id=project_id)
        revisions = list_revisions(session, project_id=project_id)
    return dict(revisions[-1].document) if revisions else {}


def revision_document(
    services: Services,
    *,
    project_id: int,
    quantity: str | None,
    purpose: str | None,
    part_revision: str | None,
    file_name: str | None,
) -> dict[str, Any]:
    """The document of a new revision: the latest one with the form's changes.

    Raises
    ------
    RecordNotFoundError
        If the project does not exist.
    InputError
        If a changed field is invalid.
    """
    base = latest_document(services, project_id=project_id)
    if part_revision and part_revision.strip():
        base["part"] = {**(base.get("part") or {}), "revision": part_revision.strip()}
    return form_document(
        base=base,
        name=None,
        part_number=None,
        material=None,
        quantity=quantity,
        purpose=purpose,
        fallback_name=stem(file_name),
    )


def queue_revision(
    services: Services,
    *,
    project_id: int,
    upload: UploadFile,
    quantity: str | None,
    purpose: str | None,
    part_revision: str | None,
    unit: str | None = None,
) -> JobRecord:
    """Keep the model of a new revision and queue its assessment as a job.

    Parameters
    ----------
    unit
        Unit of an STL model's coordinates (``"mm"``, ``"in"``); ``None`` keeps the
        project's ``unit``, else mm.

    Raises
    ------
    RecordNotFoundError
        If the project does not exist.
    InputError
        If a changed field is invalid or the file is not a STEP or STL model.
    """
    unit = form_unit(unit)
    document = revision_document(
        services,
        project_id=project_id,
        quantity=quantity,
        purpose=purpose,
        part_revision=part_revision,
        file_name=upload.filename,
    )
    blob = receive_file(services, upload, (FileKind.STEP, FileKind.STL))
    return submit_cad(services, blob=blob, document=document, project_id=project_id, unit=unit)


def stem(name: str | None) -> str:
    """A file name without folder and suffix, for naming what it holds."""
    return PurePath(name or "part").stem or "part"
