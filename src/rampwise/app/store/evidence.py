"""A project's evidence in the store: its measured batches and gauge studies, as values.

What the readiness gate reads (:class:`~rampwise.pipeline.Evidence`) reaches a stored
project by any face — a batch uploaded on the batches page or by ``POST /api/batches``
with the project, a gauge study by ``POST /api/projects/{id}/gauge-studies`` — and
:func:`project_evidence` reads it back one way for every face:

- **the batch is the project's latest** (the last stored): the gate asks whether the
  process runs stable and capable *now*, and a later batch measures the process after
  whatever the earlier one led to change (a tool, an offset, a fixture). The earlier
  batches stay in the store and on the pages as history; they are not pooled, because
  a Cpk over batches made before and after a change describes neither process.
- **one gauge study per characteristic key, the latest uploaded for it**: a repeated
  study (after the gauge was repaired or replaced) supersedes the earlier one.

A stored batch report is the ``BatchResult`` JSON (plus the ``plot`` section the report
page draws), so it reads back as the model (:func:`batch_result`); reports stored before
that JSON held every field are completed from their ``plot`` section.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from rampwise import __version__
from rampwise.api import Evidence
from rampwise.app.store.assessments import StoredResultError
from rampwise.app.store.blobs import Blob
from rampwise.app.store.projects import project_row, save_file, stored_file_record
from rampwise.app.store.records import GaugeStudyRecord
from rampwise.app.store.tables import GaugeStudyRow, MeasurementBatchRow
from rampwise.quality.batch import BatchResult
from rampwise.quality.msa import GaugeRRResult

LEGACY_RULES = "we"
"""Run rules of reports stored before the JSON said (the web's only choice then)."""


def create_gauge_study(
    session: Session,
    *,
    project_id: int,
    characteristic: str,
    name: str,
    result: GaugeRRResult,
    file: Blob | None = None,
) -> GaugeStudyRecord:
    """Store a gauge R&R study of one characteristic of a project.

    Parameters
    ----------
    project_id
        The project the characteristic belongs to.
    characteristic
        The characteristic's key (id or name) the study is filed under.
    name
        What the study is called on pages (e.g. the file name).
    result
        Its gauge R&R against the characteristic's tolerance.
    file
        The uploaded study file, already in the content store.

    Raises
    ------
    RecordNotFoundError
        If the project does not exist.
    """
    project_row(session, project_id)
    if file is not None:
        save_file(session, blob=file)
    row = GaugeStudyRow(
        project_id=project_id,
        characteristic=characteristic,
        name=name,
        file_sha256=file.sha256 if file is not None else None,
        result=result.model_dump(mode="json"),
        rampwise_version=__version__,
    )
    session.add(row)
    session.flush()
    return _gauge_study(row)


def list_gauge_studies(session: Session, *, project_id: int) -> list[GaugeStudyRecord]:
    """The gauge studies of a project, newest first.

    Raises
    ------
    RecordNotFoundError
        If the project does not exist.
    """
    project_row(session, project_id)
    rows = session.scalars(
        select(GaugeStudyRow)
        .where(GaugeStudyRow.project_id == project_id)
        .order_by(GaugeStudyRow.id.desc())
    )
    return [_gauge_study(row) for row in rows]


def project_evidence(session: Session, *, project_id: int) -> Evidence:
    """What the store holds for a project's readiness gate, as the pipeline reads it.

    Returns
    -------
    Evidence
        The project's latest batch (``None`` without one) and, per characteristic key,
        its latest gauge study (see the module for why these count).

    Raises
    ------
    RecordNotFoundError
        If the project does not exist.
    StoredResultError
        If a stored batch report or study does not read back as its model.
    """
    studies: dict[str, GaugeRRResult] = {}
    for study in reversed(list_gauge_studies(session, project_id=project_id)):
        studies[study.characteristic] = study.result
    report = session.scalars(
        select(MeasurementBatchRow.result)
        .where(MeasurementBatchRow.project_id == project_id)
        .order_by(MeasurementBatchRow.id.desc())
        .limit(1)
    ).first()
    batch = None if report is None else batch_result(report)
    return Evidence(batch=batch, gauge_studies=studies)


def batch_result(report: Mapping[str, Any]) -> BatchResult:
    """A stored batch report as the :class:`~rampwise.quality.batch.BatchResult` it states.

    The report page's ``plot`` section is left aside. A report stored before the JSON
    held every field is completed from what it kept: unit, limits and verdict parts from
    ``plot``; each chart's σ is the characteristic's within σ (both charts of the pair
    the web draws are built from it) and its phase I is every plotted point (the web
    takes limits from all data); the run rules are Western Electric; the full capability
    details were not kept (``None``).

    Raises
    ------
    StoredResultError
        If the report does not validate as a BatchResult, naming the first field.
    """
    data = dict(report) if "rules" in report else _completed(report)
    try:
        return BatchResult.model_validate(data)
    except ValidationError as err:
        first = err.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "report"
        raise StoredResultError(
            f"stored batch report does not read as a BatchResult: {where}: {first['msg']}"
        ) from None


def _completed(report: Mapping[str, Any]) -> dict[str, Any]:
    """A report of the older shape, with the fields it left out filled from its plot."""
    data = copy.deepcopy(dict(report))
    data.setdefault("rules", LEGACY_RULES)
    data.setdefault("calibration", None)
    for entry in data.get("characteristics") or []:
        if not isinstance(entry, dict):
            continue
        plot = entry.get("plot") or {}
        unit = plot.get("unit", "mm")
        limits = {k: plot.get(k) for k in ("lsl", "usl", "target", "target_basis")}
        has_limits = limits["lsl"] is not None or limits["usl"] is not None
        entry.setdefault("unit", unit)
        entry.setdefault("spec", {**limits, "unit": unit} if has_limits else None)
        entry.setdefault("capability", None)
        entry.setdefault("stable", plot.get("stable"))
        entry.setdefault("capable", plot.get("capable"))
        entry.setdefault("ppap", plot.get("ppap"))
        drawn = plot.get("charts") or []
        for k, chart in enumerate(entry.get("charts") or []):
            if isinstance(chart, dict):
                chart.setdefault("sigma", entry.get("sigma_within"))
                points = drawn[k].get("statistic") if k < len(drawn) else None
                chart.setdefault("calibration", len(points) if points is not None else None)
    return data


def _gauge_study(row: GaugeStudyRow) -> GaugeStudyRecord:
    try:
        result = GaugeRRResult.model_validate(row.result)
    except ValidationError as err:
        raise StoredResultError(
            f"stored gauge study {row.id} does not read as a GaugeRRResult: "
            f"{err.errors()[0]['msg']}"
        ) from None
    return GaugeStudyRecord(
        id=row.id,
        project_id=row.project_id,
        characteristic=row.characteristic,
        name=row.name,
        file=stored_file_record(row.file) if row.file is not None else None,
        result=result,
        rampwise_version=row.rampwise_version,
        created_at=row.created_at,
    )
