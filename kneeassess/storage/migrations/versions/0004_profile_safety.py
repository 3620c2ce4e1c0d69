"""A profile keeps its latest triage and flags, and the day the runner recorded that a clinician checked the knee
(brief §2: the flag follows the runner).

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02 00:00:00
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("profiles") as batch:
        batch.add_column(sa.Column("triage", sa.String(20), nullable=True))
        batch.add_column(sa.Column("red_flags", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("triage_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("clinician_checked_on", sa.Date(), nullable=True))
    # profiles saved before this revision: their latest assessment's triage and flags
    conn = op.get_bind()
    profiles = sa.table("profiles", sa.column("id", sa.String), sa.column("triage", sa.String),
                        sa.column("red_flags", sa.JSON), sa.column("triage_at", sa.DateTime(timezone=True)))
    assessments = sa.table("assessments", sa.column("id", sa.Integer), sa.column("profile_id", sa.String),
                           sa.column("created_at", sa.DateTime(timezone=True)), sa.column("result", sa.JSON))
    latest: dict[str, tuple[object, dict[str, Any]]] = {}
    for row in conn.execute(sa.select(assessments.c.profile_id, assessments.c.created_at, assessments.c.result)
                            .order_by(assessments.c.created_at, assessments.c.id)):
        latest[row.profile_id] = (row.created_at, row.result or {})
    for profile_id, (at, result) in latest.items():
        conn.execute(sa.update(profiles).where(profiles.c.id == profile_id).values(
            triage=result.get("triage"), red_flags=result.get("red_flags", []), triage_at=at))


def downgrade() -> None:
    with op.batch_alter_table("profiles") as batch:
        batch.drop_column("clinician_checked_on")
        batch.drop_column("triage_at")
        batch.drop_column("red_flags")
        batch.drop_column("triage")
