"""The reminders' tables (migration 0006) on the app's database: consents, the reminder outbox, suppressed
addresses, anonymous counts. Each method is one transaction; claiming works like the requests' outbox (PostgreSQL
``FOR UPDATE SKIP LOCKED``, SQLite ``BEGIN IMMEDIATE``)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa

from kneeassess.records import ReminderClaim
from kneeassess.storage.sql import (
    SqlStore,
    email_suppressions,
    reminder_consents,
    reminder_counts,
    reminders,
)


class ReminderStore:
    def __init__(self, store: SqlStore) -> None:
        self.store = store

    def _count(self, conn: sa.Connection, at: datetime, kind: str, what: str) -> None:
        conn.execute(sa.insert(reminder_counts).values(at=at, kind=kind, what=what))

    def add_consent(self, *, profile_id: str | None, email: str, email_hash: str, kind: str, home_link: str,
                    at: datetime, first_due: datetime) -> int:
        """The consent (dated), its first reminder, and the address taken off the suppression list (this is a new,
        explicit opt-in), in one transaction."""
        with self.store._write_tx() as conn:
            conn.execute(sa.delete(email_suppressions).where(email_suppressions.c.email_hash == email_hash))
            done = conn.execute(sa.insert(reminder_consents).values(
                profile_id=profile_id, email=email, email_hash=email_hash, kind=kind, home_link=home_link,
                consented_at=at, withdrawn_at=None))
            assert done.inserted_primary_key is not None
            consent_id = int(done.inserted_primary_key[0])
            conn.execute(sa.insert(reminders).values(
                consent_id=consent_id, due_at=first_due, status="pending", attempts=0, next_attempt_at=first_due))
            self._count(conn, at, kind, "consented")
        return consent_id

    def is_suppressed(self, email_hash: str) -> bool:
        with self.store._tx() as conn:
            return conn.execute(sa.select(sa.func.count()).select_from(email_suppressions)
                                .where(email_suppressions.c.email_hash == email_hash)).scalar_one() > 0

    def claim_due(self, now: datetime, lease: timedelta, limit: int) -> list[ReminderClaim]:
        token = uuid.uuid4().hex
        due = sa.or_(
            sa.and_(reminders.c.status == "pending", reminders.c.next_attempt_at <= now, reminders.c.due_at <= now),
            sa.and_(reminders.c.status == "sending", reminders.c.claimed_until <= now),
        )
        with self.store._write_tx() as conn:
            ids = conn.execute(
                sa.select(reminders.c.id).where(due).order_by(reminders.c.next_attempt_at, reminders.c.id)
                .limit(limit).with_for_update(skip_locked=True)
            ).scalars().all()
            if not ids:
                return []
            conn.execute(sa.update(reminders).where(reminders.c.id.in_(ids))
                         .values(status="sending", claimed_until=now + lease, claim_token=token))
            rows = conn.execute(
                sa.select(reminders.c.id, reminders.c.consent_id, reminders.c.due_at, reminders.c.attempts,
                          reminders.c.claimed_until, reminder_consents.c.kind, reminder_consents.c.email,
                          reminder_consents.c.home_link)
                .join(reminder_consents, reminder_consents.c.id == reminders.c.consent_id)
                .where(reminders.c.id.in_(ids)).order_by(reminders.c.id)
            ).mappings().all()
        return [ReminderClaim(token=token, **dict(row)) for row in rows]

    def still_wanted(self, consent_id: int, email_hash: str) -> bool:
        """The consent stands and the address is not suppressed (checked just before sending)."""
        with self.store._tx() as conn:
            withdrawn = conn.execute(sa.select(reminder_consents.c.withdrawn_at)
                                     .where(reminder_consents.c.id == consent_id)).first()
            suppressed = conn.execute(sa.select(sa.func.count()).select_from(email_suppressions)
                                      .where(email_suppressions.c.email_hash == email_hash)).scalar_one()
        return withdrawn is not None and withdrawn[0] is None and not suppressed

    def finish(self, reminder_id: int, token: str, *, outcome: str, at: datetime, error: str | None = None,
               next_attempt_at: datetime | None = None, next_due: datetime | None = None) -> bool:
        """``outcome``: sent (done, whoever holds it; the next weekly one queued), failed (retry at
        ``next_attempt_at`` if the claim is still ours) or cancelled (withdrawn or suppressed meanwhile)."""
        with self.store._write_tx() as conn:
            row = conn.execute(
                sa.select(reminders.c.status, reminders.c.claim_token, reminders.c.consent_id, reminder_consents.c.kind)
                .join(reminder_consents, reminder_consents.c.id == reminders.c.consent_id)
                .where(reminders.c.id == reminder_id).with_for_update(of=reminders)
            ).mappings().first()
            if row is None:
                return False
            changes: dict[str, Any] = {"attempts": reminders.c.attempts + 1, "claimed_until": None,
                                       "claim_token": None}
            if outcome == "sent":
                if row["status"] != "sent":
                    self._count(conn, at, row["kind"], "sent")
                changes |= {"status": "sent", "sent_at": sa.func.coalesce(reminders.c.sent_at, at),
                            "last_error": None}
                if next_due is not None:
                    exists = conn.execute(sa.select(reminders.c.id).where(
                        reminders.c.consent_id == row["consent_id"], reminders.c.due_at == next_due)).first()
                    if exists is None:
                        conn.execute(sa.insert(reminders).values(
                            consent_id=row["consent_id"], due_at=next_due, status="pending", attempts=0,
                            next_attempt_at=next_due))
            elif outcome == "cancelled":
                changes |= {"status": "cancelled"}
            elif row["status"] == "sending" and row["claim_token"] == token:
                changes |= {"status": "pending", "next_attempt_at": next_attempt_at, "last_error": error}
            else:
                return True
            conn.execute(sa.update(reminders).where(reminders.c.id == reminder_id).values(**changes))
        return True

    def consent_of(self, consent_id: int) -> dict[str, Any] | None:
        with self.store._tx() as conn:
            row = conn.execute(sa.select(reminder_consents).where(reminder_consents.c.id == consent_id)).mappings() \
                .first()
        return None if row is None else dict(row)

    def record(self, at: datetime, kind: str, what: str) -> None:
        with self.store._tx() as conn:
            self._count(conn, at, kind, what)

    def unsubscribe(self, email_hash: str, kind: str, at: datetime) -> int:
        """Withdraw every standing consent of this address (dated), cancel their pending reminders and suppress
        the address. Returns how many consents were withdrawn."""
        with self.store._write_tx() as conn:
            ids = conn.execute(sa.select(reminder_consents.c.id).where(
                reminder_consents.c.email_hash == email_hash, reminder_consents.c.withdrawn_at.is_(None))
            ).scalars().all()
            if ids:
                conn.execute(sa.update(reminder_consents).where(reminder_consents.c.id.in_(ids))
                             .values(withdrawn_at=at))
                conn.execute(sa.update(reminders).where(reminders.c.consent_id.in_(ids),
                                                        reminders.c.status == "pending").values(status="cancelled"))
            if conn.execute(sa.select(email_suppressions.c.email_hash)
                            .where(email_suppressions.c.email_hash == email_hash)).first() is None:
                conn.execute(sa.insert(email_suppressions).values(email_hash=email_hash, at=at))
                self._count(conn, at, kind, "unsubscribed")
        return len(ids)

    def erase(self, *, profile_ids: Sequence[str], email_hashes: Sequence[str], at: datetime) -> dict[str, int]:
        """Delete the consents (and their reminders) of these profiles or addresses; keep only a suppression entry
        (the address's hash) for each address, so no reminder is ever sent to it again."""
        with self.store._write_tx() as conn:
            match = sa.or_(reminder_consents.c.profile_id.in_(list(profile_ids)),
                           reminder_consents.c.email_hash.in_(list(email_hashes)))
            found = conn.execute(sa.select(reminder_consents.c.id, reminder_consents.c.email_hash).where(match)) \
                .all()
            ids = [r[0] for r in found]
            hashes = sorted({r[1] for r in found} | set(email_hashes))
            gone_reminders = conn.execute(sa.delete(reminders).where(reminders.c.consent_id.in_(ids))).rowcount
            gone_consents = conn.execute(sa.delete(reminder_consents).where(reminder_consents.c.id.in_(ids))).rowcount
            for email_hash in hashes:
                if conn.execute(sa.select(email_suppressions.c.email_hash)
                                .where(email_suppressions.c.email_hash == email_hash)).first() is None:
                    conn.execute(sa.insert(email_suppressions).values(email_hash=email_hash, at=at))
        return {"reminder_consents": gone_consents, "reminders": gone_reminders, "suppressed": len(hashes)}

    def counts(self, since: datetime, until: datetime) -> dict[tuple[str, str], int]:
        cols = (reminder_counts.c.kind, reminder_counts.c.what)
        with self.store._tx() as conn:
            rows = conn.execute(sa.select(*cols, sa.func.count())
                                .where(reminder_counts.c.at >= since, reminder_counts.c.at < until)
                                .group_by(*cols)).all()
        return {(r[0], r[1]): r[2] for r in rows}
