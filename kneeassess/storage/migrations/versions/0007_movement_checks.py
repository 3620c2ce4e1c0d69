"""The movement check's figures per profile (the squat video itself is never stored).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 00:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "movement_checks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("profile_id", sa.String(32), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("squat", sa.String(20), nullable=False),
        sa.Column("fppa_left", sa.Float(), nullable=True),
        sa.Column("fppa_right", sa.Float(), nullable=True),
        sa.Column("figures", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_movement_checks"),
        sa.ForeignKeyConstraint(
            ["profile_id"], ["profiles.id"], name="fk_movement_checks_profile_id_profiles", ondelete="CASCADE"
        ),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_movement_checks_profile_id", "movement_checks", ["profile_id"])


def downgrade() -> None:
    op.drop_index("ix_movement_checks_profile_id", table_name="movement_checks")
    op.drop_table("movement_checks")
