"""The store's evidence in every assessment the web makes of a stored project.

A document or project file sent over the network names no measurements or gauge-study
files (they would be paths on the server), so for a stored project the store is where
its evidence lives: the batches and gauge studies uploaded for it, read back as the
pipeline's :class:`~rampwise.pipeline.Evidence` by
:func:`~rampwise.app.store.project_evidence`. Every assessment of a stored project reads
it — a new revision (a document, or a model assessed by a job) and the re-assessment made
when a batch or a gauge study is stored — so the web's answer is
``rampwise.api.assess(project, evidence=…)`` with those values, as the CLI's is with the
values read from the files a project names.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from rampwise.api import Evidence, assess
from rampwise.app.store import (
    AssessmentRecord,
    RecordNotFoundError,
    add_assessment,
    get_project,
    list_revisions,
    project_evidence,
)
from rampwise.app.web.deps import Services
from rampwise.io.project_file import project_from_mapping
from rampwise.quality.batch import BatchResult
from rampwise.quality.msa import GaugeRRResult


def stored_evidence(services: Services, *, project_id: int) -> Evidence:
    """The evidence the store holds for a project (its latest batch, its gauge studies).

    Raises
    ------
    RecordNotFoundError
        If the project does not exist.
    """
    with services.database.read() as session:
        return project_evidence(session, project_id=project_id)


def evidence_json(evidence: Evidence) -> dict[str, Any]:
    """Evidence as JSON, to hand to a job's child process (:func:`evidence_from_json`)."""
    return {
        "batch": None if evidence.batch is None else evidence.batch.model_dump(mode="json"),
        "gauge_studies": {
            key: study.model_dump(mode="json") for key, study in evidence.gauge_studies.items()
        },
    }


def evidence_from_json(data: dict[str, Any] | None) -> Evidence | None:
    """The evidence :func:`evidence_json` wrote; ``None`` for none given."""
    if data is None:
        return None
    batch = data.get("batch")
    return Evidence(
        batch=None if batch is None else BatchResult.model_validate(batch),
        gauge_studies={
            str(key): GaugeRRResult.model_validate(study)
            for key, study in (data.get("gauge_studies") or {}).items()
        },
    )


def reassess(session: Session, *, project_id: int) -> AssessmentRecord:
    """Assess a stored project again with the store's evidence, and store the assessment.

    Called in the write transaction that stored new evidence, so the assessment always
    reads it. The latest revision's document is assessed with the CAD analysis its
    latest assessment holds (the model is not read again: same geometry, and a mesh
    keeps the unit it was read in), on today's date.

    Raises
    ------
    RecordNotFoundError
        If the project does not exist or has no revision.
    InputError
        If the stored document no longer validates (e.g. a catalog name was removed).
    """
    detail = get_project(session, project_id=project_id)
    revisions = list_revisions(session, project_id=project_id)
    if not revisions:
        raise RecordNotFoundError("revision of project", project_id)
    latest = detail.latest_assessment
    project = project_from_mapping(revisions[-1].document)
    result = assess(
        project,
        geometry=latest.result.geometry if latest is not None else None,
        evidence=project_evidence(session, project_id=project_id),
    )
    return add_assessment(session, project_id=project_id, result=result)
