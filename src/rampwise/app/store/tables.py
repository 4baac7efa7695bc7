"""SQLAlchemy 2 ORM tables of the store, kept apart from the domain models.

The tables are created only by the Alembic migrations in ``store/migrations``; this
module describes them for queries (STYLE.md point 14). Rows never leave the store: the
store functions return the frozen records of :mod:`rampwise.app.store.records`.

Results (assessments, quotes, inspection plans, batch reports, gauge studies) are kept as
the JSON contract of the domain model that made them, next to the rampwise version that
made it.
An assessment also states the schema version of its JSON, from which
:mod:`rampwise.app.store.assessments` upcasts it to the current model; the quote and the
inspection plan kept beside an assessment are sections of that same JSON, of their
assessment's schema version.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
"""Constraint names both databases agree on, so later migrations can address them."""


def utc_now() -> datetime:
    """The current time, timezone-aware in UTC."""
    return datetime.now(UTC)


class Base(DeclarativeBase):
    """Declarative base with the shared naming convention and JSON mapping."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        dict[str, Any]: JSON,
        datetime: DateTime(timezone=True),
    }


class StoredFileRow(Base):
    """An uploaded file, kept once under ``<data_dir>/files`` by its SHA-256."""

    __tablename__ = "stored_files"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size_bytes: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(20))
    original_name: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(default=utc_now)


class ProjectRow(Base):
    """A project: one part ordered for a purpose, with its revisions over time."""

    __tablename__ = "projects"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    part_number: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(default=utc_now)

    revisions: Mapped[list[PartRevisionRow]] = relationship(
        back_populates="project", order_by="PartRevisionRow.number"
    )


class PartRevisionRow(Base):
    """One submitted state of a project: its document and, optionally, its CAD file."""

    __tablename__ = "part_revisions"
    __table_args__ = (UniqueConstraint("project_id", "number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int] = mapped_column(Integer)
    part_revision: Mapped[str | None] = mapped_column(String(50))
    document: Mapped[dict[str, Any]] = mapped_column(JSON)
    file_sha256: Mapped[str | None] = mapped_column(ForeignKey("stored_files.sha256"))
    created_at: Mapped[datetime] = mapped_column(default=utc_now)

    project: Mapped[ProjectRow] = relationship(back_populates="revisions")
    file: Mapped[StoredFileRow | None] = relationship()


class AssessmentRow(Base):
    """The Assessment JSON made for one revision, with the schema version of that JSON.

    Rows written before versions were stated have none; the migration that added the
    column made them version 1.
    """

    __tablename__ = "assessments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), index=True
    )
    revision_id: Mapped[int] = mapped_column(
        ForeignKey("part_revisions.id", ondelete="CASCADE"), index=True
    )
    stage: Mapped[str] = mapped_column(String(30))
    ready: Mapped[bool] = mapped_column(Boolean)
    result: Mapped[dict[str, Any]] = mapped_column(JSON)
    schema_version: Mapped[int] = mapped_column(Integer, server_default=text("1"))
    rampwise_version: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(default=utc_now)


class QuoteRow(Base):
    """A quote (price ladder with drivers) made with an assessment."""

    __tablename__ = "quotes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), index=True
    )
    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("assessments.id", ondelete="CASCADE"), index=True
    )
    result: Mapped[dict[str, Any]] = mapped_column(JSON)
    rampwise_version: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(default=utc_now)


class InspectionRecordRow(Base):
    """An inspection plan or record kept with an assessment."""

    __tablename__ = "inspection_records"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), index=True
    )
    assessment_id: Mapped[int | None] = mapped_column(
        ForeignKey("assessments.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(30))
    result: Mapped[dict[str, Any]] = mapped_column(JSON)
    rampwise_version: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(default=utc_now)


class MeasurementBatchRow(Base):
    """A measured batch: its source file, specification and batch report."""

    __tablename__ = "measurement_batches"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int | None] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    file_sha256: Mapped[str | None] = mapped_column(ForeignKey("stored_files.sha256"))
    result: Mapped[dict[str, Any]] = mapped_column(JSON)
    rampwise_version: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(default=utc_now)

    file: Mapped[StoredFileRow | None] = relationship()


class MeasurementValueRow(Base):
    """One measured value of a batch, in file order."""

    __tablename__ = "measurement_values"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    batch_id: Mapped[int] = mapped_column(
        ForeignKey("measurement_batches.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    characteristic: Mapped[str] = mapped_column(String(100))
    subgroup: Mapped[int | None] = mapped_column(Integer)
    value: Mapped[float] = mapped_column(Float)


class GaugeStudyRow(Base):
    """A gauge R&R study of one characteristic of a project: its file and its result."""

    __tablename__ = "gauge_studies"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), index=True
    )
    characteristic: Mapped[str] = mapped_column(String(100))
    name: Mapped[str] = mapped_column(String(200))
    file_sha256: Mapped[str | None] = mapped_column(ForeignKey("stored_files.sha256"))
    result: Mapped[dict[str, Any]] = mapped_column(JSON)
    rampwise_version: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(default=utc_now)

    file: Mapped[StoredFileRow | None] = relationship()


class ApiTokenRow(Base):
    """An API token; only the SHA-256 of the secret is kept."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utc_now)


class JobRow(Base):
    """A background job: what it does, how far it got, and where its result is."""

    __tablename__ = "jobs"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    kind: Mapped[str] = mapped_column(String(30))
    status: Mapped[str] = mapped_column(String(16))
    progress: Mapped[float] = mapped_column(Float, default=0.0)
    message: Mapped[str] = mapped_column(String(500), default="")
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    result_path: Mapped[str | None] = mapped_column(String(200))
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(default=utc_now)
