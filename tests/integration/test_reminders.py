"""Follow-up reminders on both engines, through a local SMTP server (aiosmtpd): due once, delivered once even with
two workers at once and a worker that dies mid-send; the one-click unsubscribe stops the next one; erasure leaves
only the suppression entry."""

from __future__ import annotations

import email
import email.policy
import threading
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from aiosmtpd.controller import Controller

from kneeassess import leads, reminders
from kneeassess.outbox import DeliveryConfig
from kneeassess.settings import current
from kneeassess.storage.reminder_store import ReminderStore
from kneeassess.storage.sql import SqlStore
from tests.conftest import free_port

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
BASE = "https://knee.example"
HOME = "https://knee.example/?p=private-token-of-ann"


class Mailbox:
    def __init__(self) -> None:
        self.messages: list[email.message.EmailMessage] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 - aiosmtpd's name
        with self.lock:
            self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        return "250 OK"


@pytest.fixture
def mailbox(configure, tmp_path) -> Iterator[Mailbox]:
    box = Mailbox()
    port = free_port()
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    smtp = {"HOST": "127.0.0.1", "PORT": str(port), "TO": "clinic@example.org",
            "FROM": "reminders@clinic.example", "STARTTLS": "false"}
    configure(delivery=DeliveryConfig.from_env({f"KNEEASSESS_SMTP_{k}": v for k, v in smtp.items()}),
              link_secret="test-link-secret")
    yield box
    controller.stop()


def ask(store: SqlStore, address: str = "ann@example.org", kind: str = "recheck", profile_id: str | None = None) -> int:
    return reminders.ask_for_reminder(store, email=address, kind=kind, home_link=HOME, profile_id=profile_id, now=T0)


def deliver(store: SqlStore, now: datetime) -> reminders.ReminderReport:
    return reminders.deliver_due_reminders(store, now, config=current().delivery, base_url=BASE)


def link(message: email.message.EmailMessage, path: str) -> str:
    body = message.get_content()
    (url,) = [word for word in body.split() if word.startswith(f"{BASE}/{path}?t=")]
    return url.split("?t=", 1)[1]


def test_a_due_reminder_goes_once_without_health_details(store: SqlStore, mailbox: Mailbox):
    ask(store)
    assert deliver(store, T0 + timedelta(weeks=4) - timedelta(minutes=1)).claimed == 0  # not due yet
    report = deliver(store, T0 + timedelta(weeks=4))
    assert (report.claimed, report.sent) == (1, 1)
    assert deliver(store, T0 + timedelta(weeks=10)).claimed == 0  # a re-check reminder is sent once
    (message,) = mailbox.messages
    assert message["To"] == "ann@example.org" and message["Subject"] == "Time to re-check your knee"
    assert message["List-Unsubscribe"].startswith(f"<{BASE}/unsubscribe?t=")
    body = message.get_content()
    for health in ("pain", "triage", "hip", "hamstring", "foot", "Kujala", "weak"):
        assert health not in body
    assert reminders.open_link(store, link(message, "reminder"), now=T0 + timedelta(weeks=4, hours=1)) == HOME
    counts = {r["Reminder"]: r for r in reminders.reminder_counts(store, T0, T0 + timedelta(weeks=5))}
    assert counts["A reminder to re-check your knee in four weeks"] == {
        "Reminder": "A reminder to re-check your knee in four weeks", "Asked for": 1, "Sent": 1,
        "Opened the link": 1, "Unsubscribed": 0}


def test_two_workers_and_a_crash_mid_send_still_deliver_each_reminder_once(
    open_store: Callable[[], SqlStore], mailbox: Mailbox
):
    first = open_store()
    addresses = [f"runner{i}-{uuid.uuid4().hex[:6]}@example.org" for i in range(6)]
    for address in addresses:
        ask(first, address)
    due = T0 + timedelta(weeks=4)
    # a worker claims two reminders and dies before sending them (no finish): their lease must run out first
    crashed = ReminderStore(open_store()).claim_due(due, reminders.LEASE, 2)
    assert len(crashed) == 2

    results: list[reminders.ReminderReport] = []

    def worker() -> None:
        store = open_store()
        while (report := deliver(store, due)).claimed:
            results.append(report)

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert sorted(m["To"] for m in mailbox.messages) == sorted(set(addresses) - {c.email for c in crashed})
    # after the lease: the crashed worker's two are claimed again, and sent once
    later = due + reminders.LEASE + timedelta(seconds=1)
    assert deliver(first, later).sent == 2
    assert deliver(first, later + timedelta(hours=1)).claimed == 0
    assert sorted(m["To"] for m in mailbox.messages) == sorted(addresses)


def test_unsubscribe_stops_the_next_weekly_nudge(store: SqlStore, mailbox: Mailbox):
    ask(store, kind="weekly_plan")
    assert deliver(store, T0 + timedelta(weeks=1)).sent == 1
    assert deliver(store, T0 + timedelta(weeks=2)).sent == 1  # weekly: the next one was queued
    token = link(mailbox.messages[-1], "unsubscribe")
    reminders.unsubscribe(store, token, now=T0 + timedelta(weeks=2, hours=1))
    reminders.unsubscribe(store, token, now=T0 + timedelta(weeks=2, hours=2))  # a second click changes nothing
    assert deliver(store, T0 + timedelta(weeks=3)).sent == 0
    assert len(mailbox.messages) == 2
    with pytest.raises(reminders.BadLink):
        reminders.unsubscribe(store, token[:-3] + "abc")
    with pytest.raises(reminders.BadLink):
        reminders.open_link(store, token)  # an unsubscribe link does not open the runner's page
    consent = ReminderStore(store).consent_of(1) or {}
    assert consent["withdrawn_at"] == T0 + timedelta(weeks=2, hours=1)  # the withdrawal is dated
    counts = reminders.reminder_counts(store, T0, T0 + timedelta(weeks=5))[1]
    assert (counts["Asked for"], counts["Sent"], counts["Unsubscribed"]) == (1, 2, 1)


def test_erase_leaves_only_the_suppression_entry(store: SqlStore, store_url: str, mailbox: Mailbox):
    profile = store.create_profile(token_hash=uuid.uuid4().hex)
    ask(store, "ann@example.org", profile_id=profile.id)
    ask(store, "ann@example.org", kind="weekly_plan")
    request = leads.submit_request(store, {"name": "Ann", "email": "ANN@example.org", "consent_contact": True,
                                           "profile_id": profile.id}, "session-1", channels=[], now=T0)
    counts = leads.erase_person(store, request.id, "Kim", now=T0 + timedelta(days=1))
    assert counts["reminder_consents"] == 2 and counts["suppressed"] == 1

    engine = sa.create_engine(store_url)
    try:
        with engine.connect() as conn:
            def rows(table: str) -> list:
                return conn.execute(sa.text(f"SELECT * FROM {table}")).all()

            assert rows("reminder_consents") == [] and rows("reminders") == []
            (suppressed,) = rows("email_suppressions")
            assert suppressed[0] == reminders.email_hash("ann@example.org")
            everything = " ".join(str(v) for t in ("email_suppressions", "reminder_counts") for r in rows(t)
                                  for v in r)
            assert "ann" not in everything.lower() and profile.id not in everything
            assert len(rows("reminder_counts")) == 2  # the dashboard's "asked for" counts survive
    finally:
        engine.dispose()
    assert deliver(store, T0 + timedelta(weeks=8)).claimed == 0 and mailbox.messages == []
    # the suppression stops mail to the address until they explicitly ask again
    assert ReminderStore(store).is_suppressed(reminders.email_hash("Ann@Example.org"))
