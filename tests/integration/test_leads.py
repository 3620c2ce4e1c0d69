"""Consultation requests on both engines: stored with their outbox in one transaction, rate limits kept in the
database (across processes), the staff console (filters, search, status workflow) and erasing a person."""

from __future__ import annotations

import json
import subprocess
import sys
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from kneeassess import leads
from kneeassess.leads import InvalidStatus, RateLimited, Rejected, submit_request
from kneeassess.outbox import DeliveryConfig
from kneeassess.records import Run
from kneeassess.storage import NotFound, StorageError
from kneeassess.storage.sql import SqlStore, make_engine
from tests.conftest import ROOT

T0 = datetime(2025, 6, 2, 9, 0, tzinfo=UTC)
CHANNELS = ["webhook", "email"]


def form(**changes) -> dict:
    return {"name": "Ann Runner", "email": "ann@example.org", "consent_contact": True, "message": "Sore knee"} | changes


def submit(store: SqlStore, now: datetime = T0, session: str | None = None, **changes):
    return submit_request(store, form(**changes), session or uuid.uuid4().hex, now=now, channels=CHANNELS)


def count(url: str, table: str) -> int:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return conn.execute(sa.text(f"SELECT count(*) FROM {table}")).scalar_one()
    finally:
        engine.dispose()


def test_a_request_is_stored_with_one_outbox_row_per_channel(store: SqlStore, store_url: str):
    summary = {"triage": "self_care", "weak_links": [{"link": "hip", "score": 70}]}
    saved = submit(store, phone="07400 123456", preferred_days=["Tue"], consent_assessment=True,
                   assessment=summary, event="riverside-parkrun", consent_marketing=True)
    assert saved.id is not None and saved.status == "new" and saved.created_at == T0
    again = leads.get_request(store, saved.id)
    assert again == saved
    assert again.phone == "+447400123456" and again.assessment == summary and again.preferred_days == ["Tuesday"]
    history = leads.delivery_history(store, saved.id)
    assert [(o.channel, o.status, o.attempts, o.next_attempt_at) for o in history] == [
        ("webhook", "pending", 0, T0), ("email", "pending", 0, T0)]
    assert count(store_url, "rate_events") == 4  # session, email, phone, everyone: hashes only
    engine = make_engine(store_url)
    with engine.connect() as conn:
        keys = conn.execute(sa.text("SELECT key_hash FROM rate_events")).scalars().all()
    engine.dispose()
    assert all(len(k) == 64 and "ann" not in k for k in keys)


def test_the_channels_default_to_the_configured_ones(store: SqlStore, configure):
    configure(delivery=DeliveryConfig.from_env({"KNEEASSESS_SMTP_HOST": "127.0.0.1",
                                                "KNEEASSESS_SMTP_TO": "desk@clinic.example"}))
    saved = submit_request(store, form(), "session-1", now=T0)
    assert [o.channel for o in leads.delivery_history(store, saved.id)] == ["email"]


def test_request_and_outbox_are_one_transaction(store: SqlStore, store_url: str):
    """Kill switch: the outbox table is away, so its insert fails: the request must not be stored either."""
    engine = make_engine(store_url)
    with engine.begin() as conn:
        conn.execute(sa.text("ALTER TABLE outbox RENAME TO outbox_away"))
    with pytest.raises(StorageError):
        submit(store, session="s")
    with engine.begin() as conn:
        conn.execute(sa.text("ALTER TABLE outbox_away RENAME TO outbox"))
    engine.dispose()
    assert count(store_url, "requests") == 0
    assert count(store_url, "rate_events") == 0  # the attempt was not counted against the person either
    assert leads.list_requests(store) == []
    for _ in range(3):
        submit(store, session="s")
    assert count(store_url, "requests") == 3 and count(store_url, "outbox") == 6


def test_a_failing_outbox_insert_stores_nothing(store: SqlStore, store_url: str, monkeypatch):
    def broken(*_args, **_kwargs):
        raise StorageError("the outbox insert failed")

    monkeypatch.setattr(SqlStore, "_insert_outbox", broken)
    with pytest.raises(StorageError):
        submit(store)
    assert count(store_url, "requests") == 0


def test_the_honeypot_stores_nothing(store: SqlStore, store_url: str):
    with pytest.raises(Rejected):
        submit(store, honeypot="I am a bot")
    assert count(store_url, "requests") == 0 and count(store_url, "rate_events") == 0


def test_session_limit_holds_across_processes(open_store: Callable[[], SqlStore], store_url: str):
    one, two = open_store(), open_store()  # two app processes
    submit(one, session="tab", email="a@example.org")
    submit(two, session="tab", email="b@example.org", now=T0 + timedelta(minutes=1))
    submit(one, session="tab", email="c@example.org", now=T0 + timedelta(minutes=2))
    with pytest.raises(RateLimited) as caught:
        submit(two, session="tab", email="d@example.org", now=T0 + timedelta(minutes=3))
    assert caught.value.kind == "session"
    assert "clinic" in caught.value.message and ("call" in caught.value.message or "email" in caught.value.message)
    assert count(store_url, "requests") == 3
    submit(two, session="another-tab", email="d@example.org", now=T0 + timedelta(minutes=3))
    submit(one, session="tab", email="e@example.org", now=T0 + timedelta(minutes=61))  # an hour after the first


def test_contact_limit_per_day_holds_across_processes(open_store: Callable[[], SqlStore], monkeypatch):
    monkeypatch.setattr(leads, "_call_the_clinic", lambda: "please call the clinic on 01234 567890")
    one, two = open_store(), open_store()
    for i, store in enumerate([one, two, one]):
        submit(store, email="Ann@Example.org", now=T0 + timedelta(hours=i))
    with pytest.raises(RateLimited) as caught:
        submit(two, email="ann@example.ORG", now=T0 + timedelta(hours=5))  # the same address, other case
    assert caught.value.kind == "contact" and "01234 567890" in caught.value.message
    submit(two, email="ann@example.org", now=T0 + timedelta(hours=24, minutes=1))  # a day after the first

    for i in range(3):
        submit(one, email=None, phone="07400 123456", now=T0 + timedelta(minutes=i))
    with pytest.raises(RateLimited):
        submit(two, email="new@example.org", phone="+44 7400 123456", now=T0 + timedelta(minutes=10))
    assert len(leads.list_requests(one)) == 7


def test_list_requests_filters_and_search(store: SqlStore):
    a = submit(store, name="Ann Ünal", email="ann@example.org", event="parkrun-a", message="Knee pain on stairs")
    b = submit(store, name="Bob", email="bob@example.org", phone="07400 123456", now=T0 + timedelta(days=1))
    c = submit(store, name="Cat", email="cat@example.org", event="parkrun-a", message="=HYPERLINK()",
               now=T0 + timedelta(days=2))
    leads.set_status(store, b.id, "contacted", "called", "Kim")

    def ids(**filters) -> list[int]:
        return [r.id for r in leads.list_requests(store, **filters)]

    assert ids() == [c.id, b.id, a.id]  # newest first
    assert ids(status="new") == [c.id, a.id]
    assert ids(event="parkrun-a") == [c.id, a.id]
    assert ids(since=T0 + timedelta(days=1)) == [c.id, b.id]
    assert ids(until=T0 + timedelta(days=1)) == [a.id]
    assert ids(search="ünal") == [a.id]  # case-insensitive beyond ASCII
    assert ids(search="BOB@EXAMPLE") == [b.id]
    assert ids(search="STAIRS") == [a.id]
    assert ids(search="07400 123456") == [b.id]  # typed locally, stored as +447400123456
    assert ids(search="123456") == [b.id]
    assert ids(search="nobody") == []
    assert ids(search="a", status="new", event="parkrun-a") == [c.id, a.id]
    with pytest.raises(InvalidStatus):
        leads.list_requests(store, status="done")


def test_status_workflow_with_notes(store: SqlStore):
    r = submit(store)
    later = T0 + timedelta(hours=2)
    r = leads.set_status(store, r.id, "contacted", "Left a voicemail", "Kim", now=later)
    assert r.status == "contacted" and r.updated_at == later
    r = leads.set_status(store, r.id, "booked", "", "Kim", now=later + timedelta(hours=1))
    r = leads.add_note(store, r.id, "Prefers mornings", "Lee", now=later + timedelta(hours=2))
    r = leads.set_status(store, r.id, "not_booked", "Did not come", "Lee", reason="no_show",
                         now=later + timedelta(days=3))
    stored = leads.get_request(store, r.id)
    assert stored.status == "not_booked" and stored.not_booked_reason == "no_show" and stored == r
    assert [(n.staff, n.status_from, n.status_to, n.text) for n in stored.notes] == [
        ("Kim", "new", "contacted", "Left a voicemail"),
        ("Kim", "contacted", "booked", ""),
        ("Lee", None, None, "Prefers mornings"),
        ("Lee", "booked", "not_booked", "Booked but did not come. Did not come"),
    ]
    with pytest.raises(InvalidStatus):
        leads.set_status(store, r.id, "done", "", "Kim")
    with pytest.raises(InvalidStatus):
        leads.set_status(store, r.id, "new", "", "Kim")  # not_booked → new is not a step of the workflow
    assert leads.get_request(store, r.id) == stored  # nothing written by the refused changes
    with pytest.raises(NotFound):
        leads.set_status(store, 999_999, "contacted", "", "Kim")


def test_erase_person(store: SqlStore, store_url: str):
    profile = store.create_profile(token_hash=uuid.uuid4().hex)
    store.add(Run(profile_id=profile.id, day=T0.date(), km=5, minutes=30))
    first = submit(store, email="ann@example.org", phone="07400 123456", profile_id=profile.id)
    by_email = submit(store, email="ANN@example.org", phone=None, now=T0 + timedelta(days=2))
    by_phone = submit(store, email="other@example.org", phone="+447400123456", now=T0 + timedelta(days=4))
    someone_else = submit(store, name="Bob", email="bob@example.org")
    counts = leads.erase_person(store, by_email.id, "Kim", now=T0 + timedelta(days=5))

    assert counts["requests"] == 3 and counts["outbox"] == 6 and counts["linked_profiles"] == 1
    assert [r.id for r in leads.list_requests(store)] == [someone_else.id]
    for gone in (first, by_email, by_phone):
        with pytest.raises(NotFound):
            leads.get_request(store, gone.id)
        assert leads.delivery_history(store, gone.id) == []
    assert store.list_records(Run, profile.id) == [] and count(store_url, "profiles") == 0
    assert count(store_url, "outbox") == 2

    (entry,) = store.list_audit()
    assert entry.action == "erase" and entry.staff == "Kim" and entry.at == T0 + timedelta(days=5)
    assert entry.details["requests"] == 3 and entry.details["linked_profiles"] == 1
    assert set(entry.details) == {"requests", "outbox", "delivery_attempts", "rate_events", "linked_profiles",
                                  "status_history_anonymised", "reminder_consents", "reminders", "suppressed"}
    # the funnel still counts the erased requests, but nothing points at them any more
    steps = store.status_changes_between(T0 - timedelta(days=1), T0 + timedelta(days=30))
    assert len(steps) == 4 and len({s.lead_key for s in steps}) == 4
    assert {s.request_id for s in steps} == {None, someone_else.id}
    assert all(isinstance(v, int) for v in entry.details.values())  # counts only: no ids, names or contacts
    text = json.dumps(entry.model_dump(mode="json")).lower()
    for personal in ("ann", "example.org", "7400", profile.id):
        assert personal not in text
    with pytest.raises(NotFound):
        leads.erase_person(store, first.id, "Kim")


def in_another_process(code: str, *args: str) -> str:
    """Run ``code`` in a fresh Python process (its own memory: only the database is shared); its stdout."""
    done = subprocess.run([sys.executable, "-c", code, *args], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_the_limits_are_in_the_database_not_in_a_process(store: SqlStore, store_url: str):
    for i in range(3):
        submit(store, session="tab", email=f"{i}@example.org", now=T0 + timedelta(minutes=i))
    code = (
        "import sys, datetime as d\n"
        "from kneeassess import leads\n"
        "from kneeassess.storage.sql import SqlStore\n"
        "store = SqlStore(sys.argv[1])\n"
        "now = d.datetime.fromisoformat(sys.argv[2])\n"
        "try:\n"
        "    leads.submit_request(store, {'name': 'Ann', 'email': 'x@example.org', 'consent_contact': True},\n"
        "                         'tab', now=now, channels=[])\n"
        "    print('stored')\n"
        "except leads.RateLimited as e:\n"
        "    print('limited', e.kind)\n"
    )
    assert in_another_process(code, store_url, (T0 + timedelta(minutes=5)).isoformat()) == "limited session"
    assert in_another_process(code, store_url, (T0 + timedelta(minutes=61)).isoformat()) == "stored"
    assert count(store_url, "requests") == 4
