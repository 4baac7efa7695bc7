"""Store functions for projects, their revisions and what was assessed for each.

Every function takes the session first and everything else by keyword (STYLE.md point
14). Functions that write only add and flush; the caller's :meth:`Database.write` block
commits them together, so a revision is never kept without its assessment.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic_core import to_jsonable_python
from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from rampwise.api import Assessment
from rampwise.app.store.assessments import (
    SCHEMA_VERSION,
    assessment_of,
    read_assessment,
    stored_json,
)
from rampwise.app.store.blobs import Blob
from rampwise.app.store.database import RecordNotFoundError
from rampwise.app.store.history import changes_between
from rampwise.app.store.records import (
    AssessmentRecord,
    FileKind,
    HistoryEntry,
    InspectionRecord,
    ProjectDetail,
    ProjectSummary,
    QuoteRecord,
    RevisionRecord,
    StoredFile,
)
from rampwise.app.store.tables import (
    AssessmentRow,
    InspectionRecordRow,
    PartRevisionRow,
    ProjectRow,
    QuoteRow,
    StoredFileRow,
    utc_now,
)


def save_file(session: Session, *, blob: Blob) -> StoredFile:
    """Record an uploaded file (once per content hash) and return its metadata."""
    row = session.get(StoredFileRow, blob.sha256)
    if row is None:
        row = StoredFileRow(
            sha256=blob.sha256,
            size_bytes=blob.size_bytes,
            kind=blob.kind.value,
            original_name=blob.original_name,
        )
        session.add(row)
        session.flush()
    return stored_file_record(row)


def project_row(session: Session, project_id: int, *, lock: bool = False) -> ProjectRow:
    """The project's row; ``lock`` takes it ``FOR UPDATE`` (a revision is being added).

    Raises
    ------
    RecordNotFoundError
        If the project does not exist.
    """
    row = session.get(ProjectRow, project_id, with_for_update=lock)
    if row is None:
        raise RecordNotFoundError("project", project_id)
    return row


def create_project(
    session: Session,
    *,
    document: Mapping[str, Any],
    result: Assessment | Mapping[str, Any],
    file: Blob | None = None,
) -> ProjectDetail:
    """Store a new project with its first revision and that revision's assessment.

    Parameters
    ----------
    document
        The project document as submitted (the YAML's fields).
    result
        The :class:`~rampwise.api.Assessment` made from it, or its JSON
        (``model_dump(mode="json")``). It is kept as the model's JSON with its schema
        version; its quote and inspection plan are also kept as a quote and an
        inspection record.
    file
        The CAD file of the revision, already in the content store.

    Raises
    ------
    StoredResultError
        If ``result`` is JSON that does not validate as an Assessment, or an Assessment
        whose JSON would not read back.
    """
    assessment = assessment_of(result)
    row = ProjectRow(name=assessment.project, part_number=assessment.part_number)
    session.add(row)
    session.flush()
    _add_revision_rows(session, project=row, document=document, assessment=assessment, file=file)
    return get_project(session, project_id=row.id)


def add_revision(
    session: Session,
    *,
    project_id: int,
    document: Mapping[str, Any],
    result: Assessment | Mapping[str, Any],
    file: Blob | None = None,
) -> HistoryEntry:
    """Store a new revision of a project with its assessment.

    The project row is locked for the duration of the transaction on PostgreSQL, so
    concurrent revisions get distinct numbers (SQLite write transactions are already
    serialised by ``BEGIN IMMEDIATE``).

    Parameters
    ----------
    document, result, file
        As for :func:`create_project`.

    Raises
    ------
    RecordNotFoundError
        If the project does not exist.
    StoredResultError
        As for :func:`create_project`.
    """
    assessment = assessment_of(result)
    row = project_row(session, project_id, lock=True)
    revision = _add_revision_rows(
        session, project=row, document=document, assessment=assessment, file=file
    )
    return next(
        e for e in project_history(session, project_id=project_id) if e.revision.id == revision.id
    )


def _add_revision_rows(
    session: Session,
    *,
    project: ProjectRow,
    document: Mapping[str, Any],
    assessment: Assessment,
    file: Blob | None,
) -> PartRevisionRow:
    stored = stored_json(assessment)
    if file is not None:
        save_file(session, blob=file)
    number = session.scalar(
        select(func.coalesce(func.max(PartRevisionRow.number), 0)).where(
            PartRevisionRow.project_id == project.id
        )
    )
    revision = PartRevisionRow(
        project_id=project.id,
        number=(number or 0) + 1,
        part_revision=assessment.part_revision,
        document=to_jsonable_python(dict(document)),
        file_sha256=file.sha256 if file is not None else None,
    )
    session.add(revision)
    session.flush()
    _add_assessment_rows(
        session, project=project, revision_id=revision.id, assessment=assessment, stored=stored
    )
    return revision


def add_assessment(
    session: Session, *, project_id: int, result: Assessment | Mapping[str, Any]
) -> AssessmentRecord:
    """Store a new assessment of a project's latest revision (its evidence changed).

    The revision's document is unchanged, but what the gate reads is not: a batch or a
    gauge study stored for the project makes a new assessment, which becomes the
    project's latest (``get_project``) and its latest revision's in the history. The
    project row is locked as in :func:`add_revision`.

    Raises
    ------
    RecordNotFoundError
        If the project does not exist or has no revision.
    StoredResultError
        As for :func:`create_project`.
    """
    assessment = assessment_of(result)
    stored = stored_json(assessment)
    project = project_row(session, project_id, lock=True)
    revision_id = session.scalar(
        select(PartRevisionRow.id)
        .where(PartRevisionRow.project_id == project_id)
        .order_by(PartRevisionRow.number.desc())
        .limit(1)
    )
    if revision_id is None:
        raise RecordNotFoundError("revision of project", project_id)
    row = _add_assessment_rows(
        session, project=project, revision_id=revision_id, assessment=assessment, stored=stored
    )
    return _assessment(row)


def _add_assessment_rows(
    session: Session,
    *,
    project: ProjectRow,
    revision_id: int,
    assessment: Assessment,
    stored: Mapping[str, Any],
) -> AssessmentRow:
    version = assessment.rampwise_version
    row = AssessmentRow(
        project_id=project.id,
        revision_id=revision_id,
        stage=assessment.stage.value,
        ready=assessment.readiness.ready,
        result=dict(stored),
        schema_version=SCHEMA_VERSION,
        rampwise_version=version,
    )
    session.add(row)
    session.flush()
    if assessment.quote is not None:
        session.add(
            QuoteRow(
                project_id=project.id,
                assessment_id=row.id,
                result=stored["quote"],
                rampwise_version=version,
            )
        )
    session.add(
        InspectionRecordRow(
            project_id=project.id,
            assessment_id=row.id,
            kind="plan",
            result=stored["inspection"],
            rampwise_version=version,
        )
    )
    project.updated_at = utc_now()
    session.flush()
    return row


def get_project(session: Session, *, project_id: int) -> ProjectDetail:
    """A project with its latest revision and latest assessment.

    Raises
    ------
    RecordNotFoundError
        If the project does not exist.
    """
    row = project_row(session, project_id)
    revisions = list_revisions(session, project_id=project_id)
    latest = session.scalars(
        select(AssessmentRow)
        .where(AssessmentRow.project_id == project_id)
        .order_by(AssessmentRow.id.desc())
        .limit(1)
    ).first()
    return ProjectDetail(
        id=row.id,
        name=row.name,
        part_number=row.part_number,
        revision_count=len(revisions),
        created_at=row.created_at,
        updated_at=row.updated_at,
        latest_revision=revisions[-1] if revisions else None,
        latest_assessment=_assessment(latest) if latest is not None else None,
    )


def list_projects(session: Session, *, limit: int = 100, offset: int = 0) -> list[ProjectSummary]:
    """Projects, most recently changed first, with the stage of their latest assessment."""
    latest_ids = (
        select(func.max(AssessmentRow.id).label("id"), AssessmentRow.project_id)
        .group_by(AssessmentRow.project_id)
        .subquery()
    )
    revision_counts = (
        select(PartRevisionRow.project_id, func.count().label("n"))
        .group_by(PartRevisionRow.project_id)
        .subquery()
    )
    rows = session.execute(
        select(ProjectRow, AssessmentRow.stage, AssessmentRow.ready, revision_counts.c.n)
        .outerjoin(latest_ids, latest_ids.c.project_id == ProjectRow.id)
        .outerjoin(AssessmentRow, AssessmentRow.id == latest_ids.c.id)
        .outerjoin(revision_counts, revision_counts.c.project_id == ProjectRow.id)
        .order_by(ProjectRow.updated_at.desc(), ProjectRow.id.desc())
        .limit(limit)
        .offset(offset)
    ).all()
    return [
        ProjectSummary(
            id=project.id,
            name=project.name,
            part_number=project.part_number,
            revision_count=count or 0,
            latest_stage=stage,
            latest_ready=ready,
            created_at=project.created_at,
            updated_at=project.updated_at,
        )
        for project, stage, ready, count in rows
    ]


def project_name(session: Session, *, project_id: int) -> str:
    """A project's name, without reading its revisions and assessments.

    Raises
    ------
    RecordNotFoundError
        If the project does not exist.
    """
    name = session.scalar(select(ProjectRow.name).where(ProjectRow.id == project_id))
    if name is None:
        raise RecordNotFoundError("project", project_id)
    return name


def get_revision(session: Session, *, revision_id: int) -> RevisionRecord:
    """One revision of a project, with its stored file.

    Raises
    ------
    RecordNotFoundError
        If it does not exist.
    """
    row = session.get(PartRevisionRow, revision_id, options=[selectinload(PartRevisionRow.file)])
    if row is None:
        raise RecordNotFoundError("revision", revision_id)
    return _revision(row)


def list_revisions(session: Session, *, project_id: int) -> list[RevisionRecord]:
    """The revisions of a project, oldest first."""
    rows = session.scalars(
        select(PartRevisionRow)
        .options(selectinload(PartRevisionRow.file))
        .where(PartRevisionRow.project_id == project_id)
        .order_by(PartRevisionRow.number)
    ).all()
    return [_revision(row) for row in rows]


def project_history(session: Session, *, project_id: int) -> list[HistoryEntry]:
    """Every revision with its assessment and what changed since the one before.

    Raises
    ------
    RecordNotFoundError
        If the project does not exist.
    """
    project_row(session, project_id)
    assessments: dict[int, AssessmentRecord] = {}
    for row in session.scalars(
        select(AssessmentRow)
        .where(AssessmentRow.project_id == project_id)
        .order_by(AssessmentRow.id)
    ):
        assessments[row.revision_id] = _assessment(row)
    entries: list[HistoryEntry] = []
    previous: tuple[AssessmentRecord, RevisionRecord] | None = None
    for revision in list_revisions(session, project_id=project_id):
        current = assessments.get(revision.id)
        entries.append(
            HistoryEntry(
                revision=revision,
                assessment=current,
                changes=changes_between(
                    previous[0].result if previous else None,
                    current.result if current else None,
                    before_document=previous[1].document if previous else {},
                    document=revision.document,
                ),
            )
        )
        if current is not None:
            previous = (current, revision)
    return entries


def get_assessment(session: Session, *, assessment_id: int) -> AssessmentRecord:
    """One stored assessment.

    Raises
    ------
    RecordNotFoundError
        If it does not exist.
    """
    row = session.get(AssessmentRow, assessment_id)
    if row is None:
        raise RecordNotFoundError("assessment", assessment_id)
    return _assessment(row)


def list_quotes(session: Session, *, project_id: int) -> list[QuoteRecord]:
    """The quotes kept for a project, oldest first."""
    rows = session.scalars(
        select(QuoteRow).where(QuoteRow.project_id == project_id).order_by(QuoteRow.id)
    )
    return [QuoteRecord.model_validate(row, from_attributes=True) for row in rows]


def list_inspection_records(session: Session, *, project_id: int) -> list[InspectionRecord]:
    """The inspection plans and records kept for a project, oldest first."""
    rows = session.scalars(
        select(InspectionRecordRow)
        .where(InspectionRecordRow.project_id == project_id)
        .order_by(InspectionRecordRow.id)
    )
    return [InspectionRecord.model_validate(row, from_attributes=True) for row in rows]


def stored_file_record(row: StoredFileRow) -> StoredFile:
    """The metadata record of a stored file row."""
    return StoredFile(
        sha256=row.sha256,
        size_bytes=row.size_bytes,
        kind=FileKind(row.kind),
        original_name=row.original_name,
        created_at=row.created_at,
    )


def _revision(row: PartRevisionRow) -> RevisionRecord:
    return RevisionRecord(
        id=row.id,
        project_id=row.project_id,
        number=row.number,
        part_revision=row.part_revision,
        document=row.document,
        file=stored_file_record(row.file) if row.file is not None else None,
        created_at=row.created_at,
    )


def _assessment(row: AssessmentRow) -> AssessmentRecord:
    return AssessmentRecord(
        id=row.id,
        project_id=row.project_id,
        revision_id=row.revision_id,
        stage=row.stage,
        ready=row.ready,
        result=read_assessment(row.result, schema_version=row.schema_version),
        rampwise_version=row.rampwise_version,
        created_at=row.created_at,
    )
