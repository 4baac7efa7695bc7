"""Initial store: files, projects, revisions, assessments, quotes, inspections, batches,
tokens and jobs.

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

TIMESTAMP = sa.DateTime(timezone=True)


def _result_columns() -> list[sa.Column[object]]:
    return [
        sa.Column("result", sa.JSON(), nullable=False),
        sa.Column("rampwise_version", sa.String(40), nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "stored_files",
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("original_name", sa.String(255), nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.PrimaryKeyConstraint("sha256", name=op.f("pk_stored_files")),
    )
    op.create_table(
        "projects",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("part_number", sa.String(100), nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.Column("updated_at", TIMESTAMP, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_projects")),
    )
    op.create_table(
        "part_revisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("part_revision", sa.String(50), nullable=True),
        sa.Column("document", sa.JSON(), nullable=False),
        sa.Column("file_sha256", sa.String(64), nullable=True),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_part_revisions")),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects.id"],
            ondelete="CASCADE",
            name=op.f("fk_part_revisions_project_id_projects"),
        ),
        sa.ForeignKeyConstraint(
            ["file_sha256"],
            ["stored_files.sha256"],
            name=op.f("fk_part_revisions_file_sha256_stored_files"),
        ),
        sa.UniqueConstraint("project_id", "number", name=op.f("uq_part_revisions_project_id")),
    )
    op.create_index(op.f("ix_part_revisions_project_id"), "part_revisions", ["project_id"])
    op.create_table(
        "assessments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("revision_id", sa.Integer(), nullable=False),
        sa.Column("stage", sa.String(30), nullable=False),
        sa.Column("ready", sa.Boolean(), nullable=False),
        *_result_columns(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assessments")),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects.id"],
            ondelete="CASCADE",
            name=op.f("fk_assessments_project_id_projects"),
        ),
        sa.ForeignKeyConstraint(
            ["revision_id"],
            ["part_revisions.id"],
            ondelete="CASCADE",
            name=op.f("fk_assessments_revision_id_part_revisions"),
        ),
    )
    op.create_index(op.f("ix_assessments_project_id"), "assessments", ["project_id"])
    op.create_index(op.f("ix_assessments_revision_id"), "assessments", ["revision_id"])
    op.create_table(
        "quotes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        *_result_columns(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_quotes")),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects.id"],
            ondelete="CASCADE",
            name=op.f("fk_quotes_project_id_projects"),
        ),
        sa.ForeignKeyConstraint(
            ["assessment_id"],
            ["assessments.id"],
            ondelete="CASCADE",
            name=op.f("fk_quotes_assessment_id_assessments"),
        ),
    )
    op.create_index(op.f("ix_quotes_project_id"), "quotes", ["project_id"])
    op.create_index(op.f("ix_quotes_assessment_id"), "quotes", ["assessment_id"])
    op.create_table(
        "inspection_records",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("assessment_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(30), nullable=False),
        *_result_columns(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inspection_records")),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects.id"],
            ondelete="CASCADE",
            name=op.f("fk_inspection_records_project_id_projects"),
        ),
        sa.ForeignKeyConstraint(
            ["assessment_id"],
            ["assessments.id"],
            ondelete="CASCADE",
            name=op.f("fk_inspection_records_assessment_id_assessments"),
        ),
    )
    op.create_index(op.f("ix_inspection_records_project_id"), "inspection_records", ["project_id"])
    op.create_index(
        op.f("ix_inspection_records_assessment_id"), "inspection_records", ["assessment_id"]
    )
    op.create_table(
        "measurement_batches",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("file_sha256", sa.String(64), nullable=True),
        *_result_columns(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_measurement_batches")),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects.id"],
            ondelete="CASCADE",
            name=op.f("fk_measurement_batches_project_id_projects"),
        ),
        sa.ForeignKeyConstraint(
            ["file_sha256"],
            ["stored_files.sha256"],
            name=op.f("fk_measurement_batches_file_sha256_stored_files"),
        ),
    )
    op.create_index(
        op.f("ix_measurement_batches_project_id"), "measurement_batches", ["project_id"]
    )
    op.create_table(
        "measurement_values",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("characteristic", sa.String(100), nullable=False),
        sa.Column("subgroup", sa.Integer(), nullable=True),
        sa.Column("value", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_measurement_values")),
        sa.ForeignKeyConstraint(
            ["batch_id"],
            ["measurement_batches.id"],
            ondelete="CASCADE",
            name=op.f("fk_measurement_values_batch_id_measurement_batches"),
        ),
    )
    op.create_index(op.f("ix_measurement_values_batch_id"), "measurement_values", ["batch_id"])
    op.create_table(
        "api_tokens",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_tokens")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_api_tokens_token_hash")),
    )
    op.create_table(
        "jobs",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("kind", sa.String(30), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("progress", sa.Float(), nullable=False),
        sa.Column("message", sa.String(500), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("result", sa.JSON(), nullable=True),
        sa.Column("result_path", sa.String(200), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.Column("updated_at", TIMESTAMP, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_jobs")),
    )


def downgrade() -> None:
    for table in (
        "jobs",
        "api_tokens",
        "measurement_values",
        "measurement_batches",
        "inspection_records",
        "quotes",
        "assessments",
        "part_revisions",
        "projects",
        "stored_files",
    ):
        op.drop_table(table)
