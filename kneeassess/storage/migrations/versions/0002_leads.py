"""Consultation requests and their delivery (outbox, attempts), events, screenings, rate limits, staff sign-in
failures, audit log.

Revision ID: 0002
Revises: 0001
Create Date: 2025-02-01 00:00:00
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# newest first: a table is dropped before the tables it refers to
TABLES = ["audit", "login_failures", "rate_events", "screenings", "events", "delivery_attempts", "outbox", "requests"]


def _ts(name: str, nullable: bool = False) -> sa.Column[datetime]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _pk(table: str) -> sa.PrimaryKeyConstraint:
    return sa.PrimaryKeyConstraint("id", name=f"pk_{table}")


def upgrade() -> None:
    op.create_table(
        "requests",
        sa.Column("id", sa.Integer(), nullable=False),
        _ts("created_at"),
        _ts("updated_at"),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("email", sa.String(320), nullable=True),
        sa.Column("phone", sa.String(32), nullable=True),
        sa.Column("preferred_days", sa.JSON(), nullable=False),
        sa.Column("preferred_time", sa.String(200), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("consent_contact", sa.Boolean(), nullable=False),
        sa.Column("consent_marketing", sa.Boolean(), nullable=False),
        sa.Column("consent_assessment", sa.Boolean(), nullable=False),
        sa.Column("assessment", sa.JSON(), nullable=True),
        sa.Column("event", sa.String(40), nullable=True),
        sa.Column("profile_id", sa.String(32), nullable=True),
        sa.Column("notes", sa.JSON(), nullable=False),
        _pk("requests"),
        sqlite_autoincrement=True,
    )
    for column in ("created_at", "status", "email", "phone", "event"):
        op.create_index(f"ix_requests_{column}", "requests", [column])

    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(20), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        _ts("created_at"),
        _ts("next_attempt_at"),
        _ts("claimed_until", nullable=True),
        sa.Column("claim_token", sa.String(32), nullable=True),
        _ts("delivered_at", nullable=True),
        sa.Column("last_error", sa.String(500), nullable=True),
        _pk("outbox"),
        sa.ForeignKeyConstraint(
            ["request_id"], ["requests.id"], name="fk_outbox_request_id_requests", ondelete="CASCADE"
        ),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_outbox_request_id", "outbox", ["request_id"])
    op.create_index("ix_outbox_request_id_channel", "outbox", ["request_id", "channel"], unique=True)
    op.create_index("ix_outbox_status_next_attempt_at", "outbox", ["status", "next_attempt_at"])

    op.create_table(
        "delivery_attempts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("outbox_id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        _ts("at"),
        sa.Column("channel", sa.String(20), nullable=False),
        sa.Column("outcome", sa.String(20), nullable=False),
        sa.Column("http_status", sa.Integer(), nullable=True),
        sa.Column("error", sa.String(500), nullable=True),
        _pk("delivery_attempts"),
        sa.ForeignKeyConstraint(
            ["outbox_id"], ["outbox.id"], name="fk_delivery_attempts_outbox_id_outbox", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["request_id"], ["requests.id"], name="fk_delivery_attempts_request_id_requests", ondelete="CASCADE"
        ),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_delivery_attempts_outbox_id", "delivery_attempts", ["outbox_id"])
    op.create_index("ix_delivery_attempts_request_id", "delivery_attempts", ["request_id"])

    op.create_table(
        "events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(40), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("place", sa.String(200), nullable=False),
        _ts("created_at"),
        _pk("events"),
    )
    op.create_index("ix_events_slug", "events", ["slug"], unique=True)

    op.create_table(
        "screenings",
        sa.Column("id", sa.Integer(), nullable=False),
        _ts("created_at"),
        sa.Column("event", sa.String(40), nullable=True),
        sa.Column("triage", sa.String(20), nullable=False),
        sa.Column("top_weak_link", sa.String(20), nullable=True),
        sa.Column("took_home", sa.Boolean(), nullable=False),
        _pk("screenings"),
    )
    op.create_index("ix_screenings_event", "screenings", ["event"])

    op.create_table(
        "rate_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("key_hash", sa.String(64), nullable=False),
        _ts("created_at"),
        _pk("rate_events"),
    )
    op.create_index("ix_rate_events_created_at", "rate_events", ["created_at"])
    op.create_index("ix_rate_events_kind_key_hash_created_at", "rate_events", ["kind", "key_hash", "created_at"])

    op.create_table(
        "login_failures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key_hash", sa.String(64), nullable=False),
        _ts("created_at"),
        _pk("login_failures"),
    )
    op.create_index("ix_login_failures_created_at", "login_failures", ["created_at"])
    op.create_index("ix_login_failures_key_hash_created_at", "login_failures", ["key_hash", "created_at"])

    op.create_table(
        "audit",
        sa.Column("id", sa.Integer(), nullable=False),
        _ts("at"),
        sa.Column("staff", sa.String(100), nullable=False),
        sa.Column("action", sa.String(40), nullable=False),
        sa.Column("details", sa.JSON(), nullable=False),
        _pk("audit"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_audit_at", "audit", ["at"])


def downgrade() -> None:
    for name in TABLES:
        op.drop_table(name)  # drops its indexes with it
