"""Frozen records the store functions return; ORM rows never leave the store.

A stored result is the JSON contract of the domain model that made it (``Assessment``,
``Quote``, ``BatchResult``, ``GaugeRRResult`` …) together with ``rampwise_version``. An
assessment is read back as the :class:`~rampwise.api.Assessment` model, brought up to the
current schema by :func:`rampwise.app.store.assessments.read_assessment`, and a gauge study
as its ``GaugeRRResult``; the other results (a quote or an inspection plan kept beside
their assessment, a batch report with its plotted series) are returned as their JSON, and
a project's batch is read as evidence by :func:`rampwise.app.store.evidence.batch_result`.
"""

from __future__ import annotations

import enum
from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from rampwise.api import Assessment
from rampwise.quality.msa import GaugeRRResult

ResultJSON = dict[str, Any]
"""A domain result as its ``model_dump(mode="json")``."""


class _Record(BaseModel):
    model_config = ConfigDict(frozen=True)

    @field_validator("*", mode="after")
    @classmethod
    def _aware(cls, value: Any) -> Any:
        """SQLite returns naive datetimes; the store writes UTC, so say so."""
        if isinstance(value, datetime) and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value


class FileKind(enum.StrEnum):
    """What an uploaded file holds, decided from its name and first bytes."""

    STEP = "step"
    STL = "stl"
    PROJECT = "project"
    MEASUREMENTS = "measurements"
    GAUGE_STUDY = "gauge_study"
    ZIP = "zip"


class StoredFile(_Record):
    """Metadata of an uploaded file kept by content hash.

    Attributes
    ----------
    sha256
        Hex SHA-256 of the content; also its name under ``<data_dir>/files``.
    size_bytes
        Size [bytes].
    """

    sha256: str
    size_bytes: int
    kind: FileKind
    original_name: str
    created_at: datetime


class AssessmentRecord(_Record):
    """A stored assessment: the Assessment and the version that made it.

    Attributes
    ----------
    stage, ready
        The decided stage and the gate's verdict (also ``result.stage`` and
        ``result.readiness.ready``; kept as columns for listing).
    result
        The assessment as the current model, whichever schema version it was stored in
        (:func:`rampwise.app.store.assessments.read_assessment`).
    rampwise_version
        The rampwise version that made it.
    """

    id: int
    project_id: int
    revision_id: int
    stage: str
    ready: bool
    result: Assessment
    rampwise_version: str
    created_at: datetime


class RevisionRecord(_Record):
    """One submitted state of a project (numbered 1, 2, … within the project)."""

    id: int
    project_id: int
    number: int
    part_revision: str | None
    document: ResultJSON
    file: StoredFile | None
    created_at: datetime


class ProjectSummary(_Record):
    """A project as listed: identity and its latest stage."""

    id: int
    name: str
    part_number: str
    revision_count: int
    latest_stage: str | None
    latest_ready: bool | None
    created_at: datetime
    updated_at: datetime


class ProjectDetail(_Record):
    """A project with its latest revision and latest assessment."""

    id: int
    name: str
    part_number: str
    revision_count: int
    created_at: datetime
    updated_at: datetime
    latest_revision: RevisionRecord | None
    latest_assessment: AssessmentRecord | None


class Change(_Record):
    """One difference between consecutive assessments (stage, readiness, price)."""

    what: str
    before: str | None
    after: str | None


class HistoryEntry(_Record):
    """A revision, its assessment, and what changed since the revision before."""

    revision: RevisionRecord
    assessment: AssessmentRecord | None
    changes: tuple[Change, ...]


class QuoteRecord(_Record):
    """A stored quote: the Quote JSON and the version that made it."""

    id: int
    project_id: int
    assessment_id: int
    result: ResultJSON
    rampwise_version: str
    created_at: datetime


class InspectionRecord(_Record):
    """A stored inspection plan or record."""

    id: int
    project_id: int
    assessment_id: int | None
    kind: str
    result: ResultJSON
    rampwise_version: str
    created_at: datetime


class MeasuredValue(_Record):
    """One measured value of a batch, in file order [unit of the characteristic]."""

    position: int
    characteristic: str
    subgroup: int | None
    value: float


class BatchRecord(_Record):
    """A measured batch with its report (BatchResult JSON) and, on request, its values."""

    id: int
    project_id: int | None
    name: str
    file: StoredFile | None
    result: ResultJSON
    rampwise_version: str
    created_at: datetime
    value_count: int
    values: tuple[MeasuredValue, ...] = ()


class GaugeStudyRecord(_Record):
    """A gauge R&R study of one characteristic of a project, as uploaded.

    Attributes
    ----------
    characteristic
        The characteristic's key: its id or name, as a project file's ``gauge_studies``
        keys it.
    name
        What the study is called on pages (e.g. the file name).
    file
        The uploaded study file (long form: ``part, appraiser, trial, value``).
    result
        Its gauge R&R against the characteristic's tolerance when it was uploaded.
    """

    id: int
    project_id: int
    characteristic: str
    name: str
    file: StoredFile | None
    result: GaugeRRResult
    rampwise_version: str
    created_at: datetime


class TokenRecord(_Record):
    """An API token's identity (never its secret)."""

    id: int
    name: str
    created_at: datetime


class JobStatus(enum.StrEnum):
    """Life cycle of a background job."""

    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"

    @property
    def finished(self) -> bool:
        """True once the job will not change any more."""
        return self in {JobStatus.DONE, JobStatus.FAILED}


class JobRecord(_Record):
    """A background job as the status route reports it.

    Attributes
    ----------
    progress
        Fraction done [unitless], 0 to 1.
    result_path
        Page that shows the result once the job is done.
    result
        JSON result of jobs whose result is not stored elsewhere (a geometry analysis).
    """

    id: str
    kind: str
    status: JobStatus
    progress: float = Field(ge=0.0, le=1.0)
    message: str
    result_path: str | None
    result: ResultJSON | None
    error: str | None
    created_at: datetime
    updated_at: datetime
