"""Gauge R&R studies uploaded for a characteristic of a project.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-14
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "gauge_studies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("characteristic", sa.String(100), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("file_sha256", sa.String(64), nullable=True),
        sa.Column("result", sa.JSON(), nullable=False),
        sa.Column("rampwise_version", sa.String(40), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_gauge_studies")),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects.id"],
            ondelete="CASCADE",
            name=op.f("fk_gauge_studies_project_id_projects"),
        ),
        sa.ForeignKeyConstraint(
            ["file_sha256"],
            ["stored_files.sha256"],
            name=op.f("fk_gauge_studies_file_sha256_stored_files"),
        ),
    )
    op.create_index(op.f("ix_gauge_studies_project_id"), "gauge_studies", ["project_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_gauge_studies_project_id"), table_name="gauge_studies")
    op.drop_table("gauge_studies")
