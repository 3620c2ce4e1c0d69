"""Profiles and their logs: assessments, runs, pain check-ins, exercise sessions.

Revision ID: 0001
Revises:
Create Date: 2025-01-01 00:00:00
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

LOG_TABLES = ["assessments", "runs", "checkins", "exercise_sessions"]


def _log_table(name: str, *columns: sa.Column[Any], indexes: Sequence[tuple[str, list[str]]] = ()) -> None:
    op.create_table(
        name,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("profile_id", sa.String(32), nullable=False),
        *columns,
        sa.PrimaryKeyConstraint("id", name=f"pk_{name}"),
        sa.ForeignKeyConstraint(
            ["profile_id"], ["profiles.id"], name=f"fk_{name}_profile_id_profiles", ondelete="CASCADE"
        ),
        sqlite_autoincrement=True,
    )
    op.create_index(f"ix_{name}_profile_id", name, ["profile_id"])
    for index, cols in indexes:
        op.create_index(index, name, cols)


def upgrade() -> None:
    op.create_table(
        "profiles",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("token_hash", sa.String(128), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("unit", sa.String(2), nullable=False),
        sa.Column("event", sa.String(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_profiles"),
    )
    op.create_index("ix_profiles_token_hash", "profiles", ["token_hash"], unique=True)

    _log_table(
        "assessments",
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("answers", sa.JSON(), nullable=False),
        sa.Column("result", sa.JSON(), nullable=False),
    )
    _log_table(
        "runs",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("km", sa.Float(), nullable=False),
        sa.Column("minutes", sa.Float(), nullable=False),
        sa.Column("effort", sa.Integer(), nullable=True),
        sa.Column("fast_minutes", sa.Float(), nullable=False),
        sa.Column("source", sa.String(40), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("avg_hr", sa.Integer(), nullable=True),
        indexes=[("ix_runs_profile_id_started_at", ["profile_id", "started_at"])],
    )
    _log_table(
        "checkins",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("during", sa.Integer(), nullable=True),
        sa.Column("next_morning", sa.Integer(), nullable=True),
    )
    _log_table(
        "exercise_sessions",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("exercise", sa.String(60), nullable=False),
        sa.Column("sets", sa.Integer(), nullable=False),
        sa.Column("reps", sa.Integer(), nullable=True),
        sa.Column("seconds", sa.Integer(), nullable=True),
        sa.Column("load", sa.String(40), nullable=True),
        sa.Column("pain", sa.Integer(), nullable=True),
    )


def downgrade() -> None:
    for name in reversed(LOG_TABLES):
        op.drop_table(name)  # drops its indexes with it
    op.drop_index("ix_profiles_token_hash", table_name="profiles")
    op.drop_table("profiles")
