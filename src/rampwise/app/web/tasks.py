"""What background jobs do: assess a model or a ZIP of models, analyse a model, import a batch.

:func:`run_job` is the one entry point, for the in-process pool and for RQ workers
alike. The heavy step of each job (reading CAD, assessing, computing a batch report)
runs in a job process through :func:`run_limited`, forked from a warm worker that
imported the analysis stack once, and killed at the configured analysis time limit.
Results are stored in the same transaction that marks the job done, so a failed job
leaves nothing half-written.
"""

from __future__ import annotations

import enum
import logging
import zipfile
from collections.abc import Callable, Mapping
from functools import cache
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Any, TypeVar

from rampwise.app.store import (
    Database,
    FileKind,
    MeasuredValue,
    RecordNotFoundError,
    add_revision,
    create_batch,
    create_project,
    fail_job,
    finish_job,
    get_job,
    job_payload,
    project_evidence,
    report_progress,
    save_bytes,
)
from rampwise.app.store.blobs import Blob, blob_path
from rampwise.app.web.archive import CAD_KINDS, PartOrder, archive_members, archive_orders
from rampwise.app.web.rfq import rfq_line, rfq_totals
from rampwise.app.web.warm import call_in_child
from rampwise.core.errors import InputError, RampwiseError
from rampwise.io.settings import Settings, get_settings

if TYPE_CHECKING:
    from rampwise.geometry import Limits

T = TypeVar("T")

log = logging.getLogger(__name__)


class JobKind(enum.StrEnum):
    """What a background job does."""

    ASSESS_UPLOAD = "assess_upload"
    ASSESS_ARCHIVE = "assess_archive"
    IMPORT_BATCH = "import_batch"
    ANALYZE = "analyze"


class AnalysisTimeoutError(RampwiseError):
    """An analysis ran past the configured time limit and was stopped."""


# --------------------------------------------------------------------------------------
# Running a step in a child process with a time limit
# --------------------------------------------------------------------------------------


def run_limited(func: Callable[..., T], *args: Any, timeout_s: float, label: str) -> T:
    """Run ``func(*args)`` in a job process and return its result within ``timeout_s``.

    The job process is forked from the warm worker, which imported the analysis stack
    once (:mod:`rampwise.app.web.warm`), so a job pays for its own work, not for
    importing; it never shares the server process's memory or native-library state,
    and whatever it allocates is released when it exits.

    Parameters
    ----------
    func
        A module-level function taking and returning JSON values.
    timeout_s
        Time limit [s]; the job process, and any process it started, is killed when it
        passes.
    label
        What is analysed, for the messages.

    Raises
    ------
    InputError
        The child's own input error, with its field and message.
    AnalysisTimeoutError
        If the limit passed.
    RampwiseError
        If the child failed otherwise or died.
    """
    end = call_in_child(func, args, timeout_s=timeout_s)
    if end.timed_out:
        raise AnalysisTimeoutError(
            f"analysis of {label} exceeded the time limit of {timeout_s:g} s"
        )
    answer = end.answer
    if answer is None:
        log.warning(
            "analysis child of %s ended without an answer (exit code %s)", label, end.exit_code
        )
        raise RampwiseError(f"analysis of {label} stopped unexpectedly (exit code {end.exit_code})")
    if answer["outcome"] == "ok":
        result: T = answer["value"]
        return result
    if answer["outcome"] == "input":
        raise InputError(answer["field"], answer["message"])
    if answer["outcome"] == "rampwise":
        raise RampwiseError(answer["message"])
    raise RampwiseError(f"analysis of {label} failed: {answer['message']}")


def compute_geometry(path: str, unit: str | None = None) -> dict[str, Any]:
    """Analyse a CAD model (child process).

    Parameters
    ----------
    path
        The model file.
    unit
        Unit of a mesh's coordinates (``"mm"``, ``"in"``); ``None``: mm, reported as
        assumed. A STEP file states its own.

    Returns
    -------
    dict
        The PartGeometry JSON.
    """
    from rampwise.geometry import analyze, with_mesh_unit

    return analyze(with_mesh_unit(path, unit), limits=_in_job_limits()).model_dump(mode="json")


def compute_assessment(
    document: dict[str, Any],
    cad_path: str | None,
    unit: str | None = None,
    evidence: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Assess a project document, with its CAD model at ``cad_path`` (child process).

    Parameters
    ----------
    document
        The project document.
    cad_path
        The uploaded model, if any.
    unit
        Unit of the model's coordinates when it is a mesh (``"mm"``, ``"in"``); ``None``
        takes the document's ``unit``, else mm is assumed (and reported).
    evidence
        The stored project's evidence as JSON
        (:func:`~rampwise.app.web.evidence.evidence_json`); ``None`` for a new project,
        which has none.

    Returns
    -------
    dict
        The Assessment JSON.
    """
    from rampwise.api import Evidence, assess
    from rampwise.app.web.evidence import evidence_from_json
    from rampwise.geometry import analyze
    from rampwise.io.project_file import project_from_mapping, with_cad

    project = project_from_mapping(document)
    geometry = None
    if cad_path is not None:
        project = with_cad(project, cad_path, unit=unit or document.get("unit"))
        assert project.part.cad is not None
        geometry = analyze(
            project.part.cad, metal=project.part.material.metal, limits=_in_job_limits()
        )
    known = evidence_from_json(evidence) or Evidence()
    return assess(project, evidence=known, geometry=geometry).model_dump(mode="json")


def _in_job_limits() -> Limits:
    """Limits of a CAD analysis inside a job process: the file size limit, no time limit.

    The job process is itself time-limited and apart from the server (:func:`run_limited`),
    so the analysis runs in it rather than in a worker process of its own, a second
    fork of a kernel-sized process per part.
    """
    from rampwise.geometry import Limits

    return Limits(time_limit_s=None)


# --------------------------------------------------------------------------------------
# The jobs
# --------------------------------------------------------------------------------------


class _Context:
    """A running job: where to record progress, and the limits."""

    def __init__(self, job_id: str, database: Database, settings: Settings) -> None:
        self.job_id = job_id
        self.database = database
        self.settings = settings

    def progress(self, fraction: float, message: str) -> None:
        with self.database.write() as session:
            report_progress(session, job_id=self.job_id, progress=fraction, message=message)

    def blob(self, meta: Mapping[str, Any]) -> Blob:
        kind = FileKind(meta["kind"])
        name = str(meta["original_name"])
        sha = str(meta["sha256"])
        return Blob(
            sha256=sha,
            size_bytes=int(meta["size_bytes"]),
            kind=kind,
            original_name=name,
            path=blob_path(self.database.files_dir, sha, kind, name),
        )


def blob_meta(blob: Blob) -> dict[str, Any]:
    """What a job payload keeps of a stored file."""
    return {
        "sha256": blob.sha256,
        "size_bytes": blob.size_bytes,
        "kind": blob.kind.value,
        "original_name": blob.original_name,
    }


def _assess_upload(context: _Context, payload: Mapping[str, Any]) -> None:
    """Assess one document (with its CAD model, if any) and store it as a project.

    A new revision of a stored project is assessed with the project's stored evidence.
    """
    from rampwise.app.web.evidence import evidence_json

    blob = context.blob(payload["file"]) if payload.get("file") else None
    label = blob.original_name if blob else str(payload["document"].get("project", "project"))
    context.progress(0.1, f"analysing {label}")
    evidence = None
    if payload.get("project_id") is not None:
        with context.database.read() as session:
            evidence = evidence_json(project_evidence(session, project_id=payload["project_id"]))
    result = run_limited(
        compute_assessment,
        dict(payload["document"]),
        str(blob.path) if blob else None,
        payload.get("unit"),
        evidence,
        timeout_s=context.settings.analysis_timeout_s,
        label=label,
    )
    context.progress(0.9, "storing the assessment")
    with context.database.write() as session:
        project_id = payload.get("project_id")
        if project_id is None:
            detail = create_project(session, document=payload["document"], result=result, file=blob)
            assert detail.latest_assessment is not None
            assessment_id = detail.latest_assessment.id
        else:
            entry = add_revision(
                session,
                project_id=int(project_id),
                document=payload["document"],
                result=result,
                file=blob,
            )
            assert entry.assessment is not None
            assessment_id = entry.assessment.id
        finish_job(
            session,
            job_id=context.job_id,
            message=f"assessed {label}: {result['stage']}",
            result_path=f"/assessments/{assessment_id}",
        )


def _assess_archive(context: _Context, payload: Mapping[str, Any]) -> None:
    """Assess every CAD file of a ZIP as its own project, reporting progress per part."""
    archive_blob = context.blob(payload["file"])
    members = archive_members(archive_blob.path, max_bytes=context.settings.upload_max_bytes)
    orders = archive_orders(archive_blob.path, members)
    defaults: dict[str, Any] = dict(payload["document"])
    lines: list[dict[str, Any]] = []
    failures: list[str] = []
    with zipfile.ZipFile(archive_blob.path) as archive:
        for index, info in enumerate(members):
            name = PurePath(info.filename).name
            context.progress(index / len(members), f"part {index + 1} of {len(members)}: {name}")
            blob = None
            try:
                blob = save_bytes(
                    archive.read(info),
                    files_dir=context.database.files_dir,
                    original_name=name,
                    allowed=CAD_KINDS,
                )
                document = _member_document(defaults, PurePath(name).stem, orders.get(name))
                result = run_limited(
                    compute_assessment,
                    document,
                    str(blob.path),
                    payload.get("unit"),
                    timeout_s=context.settings.analysis_timeout_s,
                    label=name,
                )
                with context.database.write() as session:
                    detail = create_project(session, document=document, result=result, file=blob)
                assert detail.latest_assessment is not None
                lines.append(
                    rfq_line(
                        name,
                        project_id=detail.id,
                        assessment_id=detail.latest_assessment.id,
                        material=document["part"].get("material"),
                        assessment=detail.latest_assessment.result,
                    )
                )
            except RampwiseError as err:
                text = uploaded_error(err, blob)
                failures.append(text if text.startswith(f"{name}:") else f"{name}: {text}")
    with context.database.write() as session:
        finish_job(
            session,
            job_id=context.job_id,
            message=f"{len(lines)} of {len(members)} parts assessed",
            result={"projects": lines, "failures": failures, "totals": rfq_totals(lines)},
        )


def uploaded_error(err: RampwiseError, blob: Blob | None) -> str:
    """The error as its uploader reads it: a stored file named by its own name.

    The analysis sees the server's copy of an upload (``files/d7/d783….step``), whose
    path means nothing to the uploader and should not be shown to them.
    """
    text = str(err)
    return text.replace(str(blob.path), blob.original_name) if blob is not None else text


def _member_document(
    defaults: Mapping[str, Any], stem: str, order: PartOrder | None
) -> dict[str, Any]:
    """The project document of one model of a ZIP: the form's, with its order sheet row."""
    document = dict(defaults)
    part = dict(document.get("part") or {})
    part["number"] = stem
    if order is not None:
        document["quantity"] = order.quantity
        if order.material is not None:
            part["material"] = order.material
    document["part"] = part
    document["project"] = f"{defaults.get('project') or 'Archive'} · {stem}"
    return document


def _import_batch(context: _Context, payload: Mapping[str, Any]) -> None:
    """Read a measurements file, compute the batch report, keep report and values.

    A batch of a project is that project's evidence: in the same transaction the
    project is assessed again with it (:func:`~rampwise.app.web.evidence.reassess`), so
    its gate shows the measured capability as soon as the batch is stored.
    """
    from rampwise.app.web.batch_import import compute_batch
    from rampwise.app.web.evidence import reassess

    blob = context.blob(payload["file"])
    context.progress(0.1, f"reading {blob.original_name}")
    outcome = run_limited(
        compute_batch,
        str(blob.path),
        payload.get("spec"),
        payload.get("document"),
        blob.original_name,
        timeout_s=context.settings.analysis_timeout_s,
        label=blob.original_name,
    )
    values = [MeasuredValue.model_validate(v) for v in outcome["values"]]
    project_id = payload.get("project_id")
    context.progress(0.8, f"storing {len(values)} values")
    with context.database.write() as session:
        batch = create_batch(
            session,
            name=str(payload.get("name") or blob.original_name),
            result=outcome["report"],
            values=values,
            project_id=project_id,
            file=blob,
        )
        message = f"imported {len(values)} values of {blob.original_name}"
        if project_id is not None:
            assessment = reassess(session, project_id=int(project_id))
            message += f"; the project was assessed again: {assessment.stage}"
        finish_job(
            session,
            job_id=context.job_id,
            message=message,
            result_path=f"/batches/{batch.id}",
        )


def _analyze(context: _Context, payload: Mapping[str, Any]) -> None:
    """Analyse a model; the PartGeometry JSON becomes the job's result."""
    blob = context.blob(payload["file"])
    context.progress(0.1, f"analysing {blob.original_name}")
    geometry = run_limited(
        compute_geometry,
        str(blob.path),
        payload.get("unit"),
        timeout_s=context.settings.analysis_timeout_s,
        label=blob.original_name,
    )
    findings = len(geometry.get("findings") or [])
    with context.database.write() as session:
        finish_job(
            session,
            job_id=context.job_id,
            message=f"analysed {blob.original_name}: {findings} DFM findings",
            result=geometry,
        )


HANDLERS: dict[JobKind, Callable[[_Context, Mapping[str, Any]], None]] = {
    JobKind.ASSESS_UPLOAD: _assess_upload,
    JobKind.ASSESS_ARCHIVE: _assess_archive,
    JobKind.IMPORT_BATCH: _import_batch,
    JobKind.ANALYZE: _analyze,
}


@cache
def _worker_database(url: str, data_dir: str) -> Database:
    """One database per worker process (RQ runs :func:`run_job` without a server)."""
    return Database(url, data_dir=Path(data_dir))


def run_job(
    job_id: str, *, database: Database | None = None, settings: Settings | None = None
) -> None:
    """Run the job recorded under ``job_id`` and record how it ended.

    Parameters
    ----------
    job_id
        The job's id in the database.
    database, settings
        Those of the server; a queue worker reads them from the environment.
    """
    settings = settings or get_settings()
    if database is None:
        database = _worker_database(settings.effective_database_url, str(settings.data_dir))
    context = _Context(job_id, database, settings)
    payload: Mapping[str, Any] = {}
    try:
        with database.read() as session:
            kind = JobKind(get_job(session, job_id=job_id).kind)
            payload = job_payload(session, job_id=job_id)
        HANDLERS[kind](context, payload)
    except RampwiseError as err:
        upload = context.blob(payload["file"]) if payload.get("file") else None
        _fail(database, job_id, uploaded_error(err, upload))
    except Exception as err:
        log.exception("job %s failed", job_id)
        _fail(database, job_id, f"internal error ({type(err).__name__}); see the server log")


def _fail(database: Database, job_id: str, error: str) -> None:
    try:
        with database.write() as session:
            fail_job(session, job_id=job_id, error=error)
    except RecordNotFoundError:
        log.warning("job %s vanished before it could be marked failed: %s", job_id, error)
