"""Quality without storing: sampling plans, capability of a file, gauge R&R, CAD analysis.

``GET /api/sampling`` mirrors ``rampwise sampling``; ``POST /api/capability`` and
``POST /api/gauge-rr`` take the file the CLI reads and answer its JSON; ``POST
/api/analyze`` keeps the model and analyses it as a job (``rampwise analyze``), whose
result is the PartGeometry JSON on the job.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Query, Response, UploadFile, status
from fastapi.concurrency import run_in_threadpool

from rampwise.app.store import Blob, FileKind, JobRecord, save_upload
from rampwise.app.web.batch_import import compute_batch, form_spec
from rampwise.app.web.deps import Reader, Services, ServicesDep, Writer
from rampwise.app.web.errors import ErrorDetail
from rampwise.app.web.intake import form_unit, receive_file, submit_job
from rampwise.app.web.routes.projects import UPLOAD_ERRORS, MeshUnit
from rampwise.app.web.tasks import JobKind, blob_meta, run_limited
from rampwise.quality.msa import GaugeMethod, GaugeRRResult, gauge_rr, load_gauge_study
from rampwise.quality.oc import Distribution
from rampwise.quality.sampling import InspectionLevel, InspectionSeverity, SamplingScheme
from rampwise.quality.switching import SamplingReport, sampling_report

router = APIRouter(prefix="/api", tags=["quality"])

ERRORS: dict[int | str, dict[str, type[ErrorDetail]]] = {422: {"model": ErrorDetail}}
LOT_SIZE_MAX = 10_000_000
"""Largest lot a sampling plan is asked for [items]."""


@router.get("/sampling", responses=ERRORS)
def sampling(
    _reader: Reader,
    lot_size: Annotated[int, Query(ge=1, le=LOT_SIZE_MAX, description="Items in the lot.")],
    aql: Annotated[str, Query(max_length=10, description="Acceptance quality limit [%].")],
    level: InspectionLevel = InspectionLevel.II,
    inspection: InspectionSeverity = InspectionSeverity.NORMAL,
    double: Annotated[bool, Query(description="Double sampling instead of single.")] = False,
    distribution: Distribution = Distribution.BINOMIAL,
    no_reduced: Annotated[bool, Query(description="Reduced inspection not allowed.")] = False,
) -> SamplingReport:
    """Sampling plan for a lot by ANSI/ASQ Z1.4 = ISO 2859-1 (``rampwise sampling``)."""
    return sampling_report(
        lot_size,
        aql,
        level=level,
        inspection=inspection,
        scheme=SamplingScheme.DOUBLE if double else SamplingScheme.SINGLE,
        distribution=distribution,
        reduced_approved=not no_reduced,
    )


async def _scratch_upload(
    services: Services, upload: UploadFile, kinds: tuple[FileKind, ...], folder: str
) -> Blob:
    """Check and keep an upload in a scratch folder (nothing is stored for good)."""
    return await run_in_threadpool(
        save_upload,
        upload.file,
        files_dir=Path(folder),
        original_name=upload.filename or "upload",
        allowed=kinds,
        max_bytes=services.settings.upload_max_bytes,
    )


@router.post("/capability", responses=UPLOAD_ERRORS)
async def capability(
    services: ServicesDep,
    _reader: Reader,
    file: Annotated[UploadFile, File(description="Measurements: CSV (long or wide) or QIF.")],
    lsl: Annotated[str | None, Form(description="Lower specification limit [mm].")] = None,
    usl: Annotated[str | None, Form(description="Upper specification limit [mm].")] = None,
    target: Annotated[str | None, Form(description="Target value [mm].")] = None,
) -> dict[str, Any]:
    """Is the batch stable and capable? (``rampwise capability``); nothing is stored.

    Answers the BatchResult JSON (``characteristics``) with, per characteristic, the
    plotted series under ``plot``, and the first-pass yield.
    """
    spec = form_spec(lsl, usl, target)
    with tempfile.TemporaryDirectory(prefix="rampwise-") as folder:
        blob = await _scratch_upload(services, file, (FileKind.MEASUREMENTS,), folder)
        outcome: dict[str, Any] = await run_in_threadpool(
            run_limited,
            compute_batch,
            str(blob.path),
            spec,
            None,
            timeout_s=services.settings.analysis_timeout_s,
            label=blob.original_name,
        )
    report: dict[str, Any] = outcome["report"]
    return report


@router.post("/gauge-rr", responses=UPLOAD_ERRORS)
async def gauge_rr_route(
    services: ServicesDep,
    _reader: Reader,
    file: Annotated[UploadFile, File(description="Study CSV: part, appraiser, trial, value.")],
    method: Annotated[GaugeMethod, Form()] = GaugeMethod.ANOVA,
    tolerance: Annotated[
        float | None, Form(gt=0, allow_inf_nan=False, description="USL − LSL [unit].")
    ] = None,
) -> Response:
    """Gauge repeatability and reproducibility, AIAG MSA (``rampwise gauge-rr``)."""
    with tempfile.TemporaryDirectory(prefix="rampwise-") as folder:
        blob = await _scratch_upload(services, file, (FileKind.MEASUREMENTS,), folder)

        def run() -> GaugeRRResult:
            return gauge_rr(load_gauge_study(blob.path), method=method, tolerance=tolerance)

        result = await run_in_threadpool(run)
    return Response(result.model_dump_json(), media_type="application/json")


@router.post("/analyze", status_code=status.HTTP_202_ACCEPTED, responses=UPLOAD_ERRORS)
def analyze(
    response: Response,
    services: ServicesDep,
    _writer: Writer,
    file: Annotated[UploadFile, File(description="STEP or STL model.")],
    unit: MeshUnit = None,
) -> JobRecord:
    """Queue the analysis of a model (``rampwise analyze``): geometry, features, DFM.

    An STL is read in ``unit`` (``rampwise analyze --unit``); without one, mm is assumed
    and a finding says so. Answers 202 with the job; once done, its ``result`` is the
    PartGeometry JSON.
    """
    unit = form_unit(unit)
    blob = receive_file(services, file, (FileKind.STEP, FileKind.STL))
    payload = {"file": blob_meta(blob), "unit": unit}
    job = submit_job(services, kind=JobKind.ANALYZE, payload=payload)
    response.headers["Location"] = f"/api/jobs/{job.id}"
    return job
