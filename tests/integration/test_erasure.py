"""Issue 14 item 10: "Delete all my data" erases the runner's consultation requests too (and says how many), and on
SQLite deleted text is gone from the database file and its WAL (secure_delete, a checkpoint after an erase)."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from pathlib import Path

from kneeassess import leads, profiles
from kneeassess.profiles import new_token, token_hash
from kneeassess.records import AuditEntry, Run
from kneeassess.storage.sql import SqlStore

T0 = datetime(2026, 6, 2, 9, 0, tzinfo=UTC)


def request_from(store: SqlStore, profile_id: str | None, name: str):
    return leads.submit_request(store, {"name": name, "email": f"{uuid.uuid4().hex[:8]}@example.org",
                                        "consent_contact": True, "message": f"{name} knee", "profile_id": profile_id},
                                uuid.uuid4().hex, now=T0, channels=["webhook"])


def test_deleting_my_data_erases_the_requests_i_sent(store: SqlStore):
    profile = store.create_profile(token_hash(new_token()))
    mine = request_from(store, profile.id, "Ann Mine")
    other = request_from(store, None, "Bob Other")
    assert profiles.delete_profile(store, profile) == 1
    assert leads.list_requests(store) == [leads.get_request(store, other.id)]
    assert store.outbox_for_request(mine.id) == []


def file_text(db: Path) -> bytes:
    return b"".join(p.read_bytes() for p in (db, Path(f"{db}-wal")) if p.exists())


def test_deleted_text_is_not_left_in_the_sqlite_file_or_its_wal(tmp_path: Path):
    db = tmp_path / "k.db"
    store = SqlStore(f"sqlite:///{db}")
    keep = store.create_profile(token_hash(new_token()))
    store.add(Run(profile_id=keep.id, day=date(2026, 5, 1), km=5, minutes=30, source="kept-run-file.fit"))
    profile = store.create_profile(token_hash(new_token()))
    store.add(Run(profile_id=profile.id, day=date(2026, 5, 1), km=5, minutes=30, source="QUOKKA-SECRET-RUN.fit"))
    request_from(store, profile.id, "Zebedee Quokkason")
    staff_erased = request_from(store, None, "Wilhelmina Platypus")
    assert b"QUOKKA-SECRET-RUN" in file_text(db) and b"Zebedee Quokkason" in file_text(db)

    profiles.delete_profile(store, profile)
    store.erase_requests([staff_erased.id], [], AuditEntry(at=T0, staff="Dana", action="erase", details={}))

    text = file_text(db)
    for secret in (b"QUOKKA-SECRET-RUN", b"Zebedee Quokkason", b"Wilhelmina Platypus"):
        assert secret not in text, secret
    assert b"kept-run-file.fit" in text  # what was not erased is still there
