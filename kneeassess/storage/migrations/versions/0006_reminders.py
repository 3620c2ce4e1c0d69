"""Follow-up reminders (opt-in): consents with their dates, the reminder outbox, suppressed addresses (hashes only)
and anonymous reminder counts for staff.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02 00:00:01
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _ts(name: str, nullable: bool = False) -> sa.Column[Any]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "reminder_consents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("profile_id", sa.String(32), nullable=True),
        sa.Column("email", sa.String(320), nullable=False),
        sa.Column("email_hash", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("home_link", sa.String(500), nullable=False),
        _ts("consented_at"),
        _ts("withdrawn_at", nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_reminder_consents"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_reminder_consents_email_hash", "reminder_consents", ["email_hash"])
    op.create_index("ix_reminder_consents_profile_id", "reminder_consents", ["profile_id"])
    op.create_table(
        "reminders",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("consent_id", sa.Integer(), nullable=False),
        _ts("due_at"),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        _ts("next_attempt_at"),
        _ts("claimed_until", nullable=True),
        sa.Column("claim_token", sa.String(32), nullable=True),
        _ts("sent_at", nullable=True),
        sa.Column("last_error", sa.String(500), nullable=True),
        sa.ForeignKeyConstraint(["consent_id"], ["reminder_consents.id"], ondelete="CASCADE",
                                name="fk_reminders_consent_id_reminder_consents"),
        sa.PrimaryKeyConstraint("id", name="pk_reminders"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_reminders_consent_id_due_at", "reminders", ["consent_id", "due_at"], unique=True)
    op.create_index("ix_reminders_status_next_attempt_at", "reminders", ["status", "next_attempt_at"])
    op.create_table(
        "email_suppressions",
        sa.Column("email_hash", sa.String(64), nullable=False),
        _ts("at"),
        sa.PrimaryKeyConstraint("email_hash", name="pk_email_suppressions"),
    )
    op.create_table(
        "reminder_counts",
        sa.Column("id", sa.Integer(), nullable=False),
        _ts("at"),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("what", sa.String(20), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_reminder_counts"),
    )
    op.create_index("ix_reminder_counts_at", "reminder_counts", ["at"])


def downgrade() -> None:
    for table in ("reminder_counts", "email_suppressions", "reminders", "reminder_consents"):
        op.drop_table(table)
