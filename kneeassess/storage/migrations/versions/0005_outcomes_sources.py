"""Outcome tracking and sources for the growth dashboard: a dated status history per request (anonymous, survives
erasure), visits, ``utm_*`` sources on screenings and requests, statuses ``attended`` / ``not_booked`` (with a
reason) in place of ``closed`` / ``no_show``.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02 00:00:00
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTM = ("utm_source", "utm_medium", "utm_campaign")


def _ts(name: str, nullable: bool = False) -> sa.Column[Any]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _utm() -> list[sa.Column[Any]]:
    return [sa.Column(name, sa.String(100), nullable=True) for name in UTM]


def upgrade() -> None:
    with op.batch_alter_table("requests") as batch:
        for column in _utm():
            batch.add_column(column)
        batch.add_column(sa.Column("not_booked_reason", sa.String(30), nullable=True))
    with op.batch_alter_table("screenings") as batch:
        for column in _utm():
            batch.add_column(column)
    op.create_table(
        "visits",
        sa.Column("id", sa.Integer(), nullable=False),
        _ts("created_at"),
        sa.Column("event", sa.String(40), nullable=True),
        *_utm(),
        sa.PrimaryKeyConstraint("id", name="pk_visits"),
    )
    op.create_index("ix_visits_created_at", "visits", ["created_at"])
    op.create_table(
        "status_history",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=True),  # cleared on erasure; no foreign key
        sa.Column("lead_key", sa.String(32), nullable=False),
        _ts("request_created_at"),
        _ts("at"),
        sa.Column("status_from", sa.String(20), nullable=True),
        sa.Column("status_to", sa.String(20), nullable=False),
        sa.Column("reason", sa.String(30), nullable=True),
        sa.Column("event", sa.String(40), nullable=True),
        *_utm(),
        sa.PrimaryKeyConstraint("id", name="pk_status_history"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_status_history_request_id", "status_history", ["request_id"])
    op.create_index("ix_status_history_lead_key", "status_history", ["lead_key"])
    op.create_index("ix_status_history_request_created_at", "status_history", ["request_created_at"])

    # the old statuses: closed and no_show were both "did not come to a consultation"
    requests = sa.table("requests", sa.column("id", sa.Integer()), sa.column("status", sa.String()),
                        sa.column("not_booked_reason", sa.String()), sa.column("created_at", sa.DateTime()),
                        sa.column("event", sa.String()), sa.column("notes", sa.JSON()))
    conn = op.get_bind()
    conn.execute(sa.update(requests).where(requests.c.status == "no_show")
                 .values(status="not_booked", not_booked_reason="no_show"))
    conn.execute(sa.update(requests).where(requests.c.status == "closed")
                 .values(status="not_booked", not_booked_reason="other"))
    # the history of the requests made before: their arrival and each status change their notes recorded
    renamed = {"closed": "not_booked", "no_show": "not_booked"}
    rows = []
    for r in conn.execute(sa.select(requests)).mappings():
        key = uuid.uuid4().hex
        base = {"request_id": r["id"], "lead_key": key, "request_created_at": r["created_at"], "event": r["event"]}
        rows.append(base | {"at": r["created_at"], "status_from": None, "status_to": "new", "reason": None})
        for note in r["notes"] or []:
            if note.get("status_to"):
                to = renamed.get(note["status_to"], note["status_to"])
                rows.append(base | {"at": note["at"], "status_from": renamed.get(note["status_from"],
                                                                                 note["status_from"]),
                                    "status_to": to, "reason": {"closed": "other", "no_show": "no_show"}.get(
                                        note["status_to"])})
    for row in rows:  # notes keep their times as ISO text; stored as UTC like every other timestamp
        if isinstance(row["at"], str):
            at = datetime.fromisoformat(row["at"])
            at = at.replace(tzinfo=UTC) if at.tzinfo is None else at.astimezone(UTC)
            row["at"] = at.replace(tzinfo=None) if conn.dialect.name == "sqlite" else at
    if rows:
        op.bulk_insert(sa.table("status_history", *[sa.column(c) for c in rows[0]]), rows)


def downgrade() -> None:
    op.drop_table("status_history")
    op.drop_table("visits")
    conn = op.get_bind()
    requests = sa.table("requests", sa.column("status", sa.String()))
    conn.execute(sa.update(requests).where(requests.c.status == "not_booked").values(status="closed"))
    conn.execute(sa.update(requests).where(requests.c.status == "attended").values(status="booked"))
    with op.batch_alter_table("screenings") as batch:
        for name in UTM:
            batch.drop_column(name)
    with op.batch_alter_table("requests") as batch:
        batch.drop_column("not_booked_reason")
        for name in UTM:
            batch.drop_column(name)
