"""The store: projects with their revisions and assessments, evidence, tokens and jobs.

SQLite under ``<data_dir>/rampwise.db`` by default (WAL, busy timeout); PostgreSQL by
``RAMPWISE_DATABASE_URL``. Tables are made only by the Alembic migrations in
``store/migrations`` (:func:`upgrade`, :func:`prepare_database`). Store functions take
a session and keyword arguments and return frozen records, never ORM rows. An assessment
is kept as its JSON with a schema version and read back as the ``Assessment`` model
(:func:`read_assessment`, which upcasts older rows). The batches and gauge studies stored
for a project are its evidence, read as the pipeline reads it by :func:`project_evidence`.

Examples
--------
>>> from rampwise.io.settings import get_settings
>>> database = open_database(get_settings())            # doctest: +SKIP
>>> with database.write() as session:                    # doctest: +SKIP
...     project = create_project(session, document=doc, result=assess(p))
"""

from __future__ import annotations

from rampwise.app.store.assessments import SCHEMA_VERSION, StoredResultError, read_assessment
from rampwise.app.store.batches import create_batch, get_batch, list_batches
from rampwise.app.store.blobs import (
    Blob,
    FileTooLargeError,
    UnsupportedFileError,
    save_bytes,
    save_upload,
)
from rampwise.app.store.database import Database, RecordNotFoundError, StoreError
from rampwise.app.store.evidence import (
    batch_result,
    create_gauge_study,
    list_gauge_studies,
    project_evidence,
)
from rampwise.app.store.jobs import (
    create_job,
    fail_job,
    fail_unfinished_jobs,
    finish_job,
    get_job,
    job_payload,
    report_progress,
)
from rampwise.app.store.migrate import current_revision, head_revision, prepare_database, upgrade
from rampwise.app.store.projects import (
    add_assessment,
    add_revision,
    create_project,
    get_assessment,
    get_project,
    get_revision,
    list_inspection_records,
    list_projects,
    list_quotes,
    list_revisions,
    project_history,
    project_name,
    save_file,
)
from rampwise.app.store.records import (
    AssessmentRecord,
    BatchRecord,
    FileKind,
    GaugeStudyRecord,
    HistoryEntry,
    JobRecord,
    JobStatus,
    MeasuredValue,
    ProjectDetail,
    ProjectSummary,
    RevisionRecord,
    TokenRecord,
)
from rampwise.app.store.tokens import create_token, list_tokens, verify_token
from rampwise.io.settings import Settings


def open_database(settings: Settings) -> Database:
    """The database the settings name (the SQLite file under ``data_dir`` by default)."""
    return Database(settings.effective_database_url, data_dir=settings.data_dir)


__all__ = [
    "SCHEMA_VERSION",
    "AssessmentRecord",
    "BatchRecord",
    "Blob",
    "Database",
    "FileKind",
    "FileTooLargeError",
    "GaugeStudyRecord",
    "HistoryEntry",
    "JobRecord",
    "JobStatus",
    "MeasuredValue",
    "ProjectDetail",
    "ProjectSummary",
    "RecordNotFoundError",
    "RevisionRecord",
    "StoreError",
    "StoredResultError",
    "TokenRecord",
    "UnsupportedFileError",
    "add_assessment",
    "add_revision",
    "batch_result",
    "create_batch",
    "create_gauge_study",
    "create_job",
    "create_project",
    "create_token",
    "current_revision",
    "fail_job",
    "fail_unfinished_jobs",
    "finish_job",
    "get_assessment",
    "get_batch",
    "get_job",
    "get_project",
    "get_revision",
    "head_revision",
    "job_payload",
    "list_batches",
    "list_gauge_studies",
    "list_inspection_records",
    "list_projects",
    "list_quotes",
    "list_revisions",
    "list_tokens",
    "open_database",
    "prepare_database",
    "project_evidence",
    "project_history",
    "project_name",
    "read_assessment",
    "report_progress",
    "save_bytes",
    "save_file",
    "save_upload",
    "upgrade",
    "verify_token",
]
