"""Delivering requests to the clinic on both engines, against real local servers: a webhook (http.server) and SMTP
(aiosmtpd). Retries with backoff on an injected clock, every attempt recorded, each request delivered exactly once
with two workers at once, an expired lease claimed again, the per-process worker and the deliver command."""

from __future__ import annotations

import email
import email.policy
import json
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from aiosmtpd.controller import Controller

from kneeassess import __main__ as cli
from kneeassess import leads, outbox
from kneeassess.outbox import DeliveryConfig, DeliveryWorker, WebhookConfig, deliver_due
from kneeassess.records import OutboxItem
from kneeassess.settings import current
from kneeassess.storage.sql import SqlStore
from tests.conftest import free_port
from tests.waiting import wait_until

T0 = datetime(2025, 6, 2, 9, 0, tzinfo=UTC)
SECRET = "webhook-secret-for-tests"


class Receiver:
    """The clinic's webhook endpoint: answers ``status``; remembers what it accepted."""

    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/kneeassess"
        self.status = 200
        self.delay = 0.0
        self.hits: list[int] = []  # every POST's answer
        self.accepted: list[tuple[int, dict, bool]] = []  # (delivery id header, body, signature verified)
        self.lock = threading.Lock()
        self.server: ThreadingHTTPServer | None = None

    def start(self) -> None:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                time.sleep(receiver.delay)
                with receiver.lock:
                    status = receiver.status
                    receiver.hits.append(status)
                    if status < 300:
                        ok = outbox.verify_signature(body, SECRET, self.headers["X-KneeAssess-Signature"])
                        receiver.accepted.append((int(self.headers["X-KneeAssess-Delivery"]), json.loads(body), ok))
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *_args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()

    @property
    def ids(self) -> list[int]:
        with self.lock:
            return [delivery_id for delivery_id, _, _ in self.accepted]


@pytest.fixture
def receiver(configure) -> Iterator[Receiver]:
    r = Receiver()
    configure(delivery=DeliveryConfig(webhook=WebhookConfig(url=r.url, secret=SECRET)))
    yield r
    r.stop()


class Mailbox:
    def __init__(self) -> None:
        self.messages: list[email.message.EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 - aiosmtpd's name
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        return "250 OK"


def submit(store: SqlStore, channels: list[str] | None = None, now: datetime = T0, **changes):
    data = {"name": "Ann Runner", "email": f"{uuid.uuid4().hex[:8]}@example.org", "consent_contact": True,
            "message": "Sore knee after long runs"} | changes
    return leads.submit_request(store, data, uuid.uuid4().hex, now=now, channels=channels or ["webhook"])


def waits(item: OutboxItem) -> float:
    """Seconds from the last attempt (its time includes the real time spent sending) to the next one."""
    return (item.next_attempt_at - item.history[-1].at).total_seconds()


def test_webhook_refused_then_503_then_accepted_is_delivered_once(store: SqlStore, receiver: Receiver):
    request = submit(store)
    (item,) = leads.delivery_history(store, request.id)

    report = deliver_due(store, now=T0)  # nothing listens on the port yet
    assert (report.claimed, report.delivered, report.failed) == (1, 0, 1)
    (item,) = leads.delivery_history(store, request.id)
    assert item.status == "pending" and item.attempts == 1
    assert 27 <= waits(item) <= 33  # 30 s ± 10 % jitter after the attempt
    assert deliver_due(store, now=T0 + timedelta(seconds=20)).claimed == 0  # not due yet

    receiver.status = 503
    receiver.start()
    t1 = item.next_attempt_at
    assert deliver_due(store, now=t1).failed == 1
    (item,) = leads.delivery_history(store, request.id)
    assert 54 <= waits(item) <= 66  # doubled
    assert item.last_error is not None and "503" in item.last_error
    assert deliver_due(store, now=t1 + timedelta(seconds=50)).claimed == 0

    receiver.status = 200
    assert deliver_due(store, now=item.next_attempt_at).delivered == 1
    assert deliver_due(store, now=T0 + timedelta(days=1)).claimed == 0  # done: never sent again

    assert receiver.hits == [503, 200]
    ((delivery_id, body, signature_ok),) = receiver.accepted
    assert delivery_id == item.id and signature_ok
    assert body["delivery_id"] == item.id and body["request"]["id"] == request.id
    assert body["request"]["name"] == "Ann Runner" and body["request"]["email"] == request.email

    (item,) = leads.delivery_history(store, request.id)
    assert item.status == "delivered" and item.attempts == 3 and item.delivered_at is not None
    assert [(a.outcome, a.http_status, a.channel) for a in item.history] == [
        ("failed", None, "webhook"), ("failed", 503, "webhook"), ("delivered", 200, "webhook")]
    assert "Connect" in (item.history[0].error or "")
    assert item.delivered_at == item.history[-1].at
    assert [a.at >= T0 for a in item.history] == [True] * 3
    assert item.history[1].at >= t1 and item.history[0].at < t1


def test_email_arrives_with_the_details_and_the_consented_assessment(store: SqlStore, configure):
    mailbox = Mailbox()
    port = free_port()
    configure(delivery=DeliveryConfig.from_env({
        "KNEEASSESS_SMTP_HOST": "127.0.0.1", "KNEEASSESS_SMTP_PORT": str(port), "KNEEASSESS_SMTP_STARTTLS": "false",
        "KNEEASSESS_SMTP_FROM": "kneeassess@clinic.example",
        "KNEEASSESS_SMTP_TO": "desk@clinic.example, physio@clinic.example"}))
    summary = {"triage": "see_clinician", "akps": 71, "weak_links": [{"link": "hip", "score": 70}]}
    with_summary = leads.submit_request(store, {
        "name": "Jürgen Läufer", "email": "jl@example.org", "phone": "07400 123456", "consent_contact": True,
        "preferred_days": ["Wed"], "preferred_time": "after 6pm", "message": "Pain on stairs",
        "consent_assessment": True, "assessment": summary, "event": "riverside-parkrun"}, "s1", now=T0)
    without = leads.submit_request(store, {"name": "Bob", "phone": "+447400654321", "consent_contact": True,
                                           "assessment": summary}, "s2", now=T0)

    assert deliver_due(store, now=T0).failed == 2  # the mail server is not up yet: retried later
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        report = deliver_due(store, now=T0 + timedelta(minutes=1))
    finally:
        controller.stop()
    assert report.delivered == 2 and len(mailbox.messages) == 2
    assert mailbox.envelopes[0] == ("kneeassess@clinic.example", ["desk@clinic.example", "physio@clinic.example"])

    first, second = sorted(mailbox.messages, key=lambda m: "Bob" in m["Subject"])
    assert first["Subject"] == "Free consultation request: Jürgen Läufer (riverside-parkrun)"
    assert "jl@example.org" in first["Reply-To"]
    (item,) = leads.delivery_history(store, with_summary.id)
    assert first["X-KneeAssess-Delivery"] == str(item.id) and item.status == "delivered"
    text = first.get_content()
    for expected in ("Name: Jürgen Läufer", "+447400123456", "Wednesday", "after 6pm", "Pain on stairs",
                     "Assessment summary:", "triage: see_clinician", "akps: 71"):
        assert expected in text
    assert "Assessment summary" not in second.get_content() and second["Reply-To"] is None
    assert [a.outcome for a in leads.delivery_history(store, without.id)[0].history] == ["failed", "delivered"]


def test_two_workers_deliver_thirty_requests_exactly_once(open_store: Callable[[], SqlStore], receiver: Receiver):
    receiver.delay = 0.003
    receiver.start()
    first = open_store()
    expected = sorted(leads.delivery_history(first, submit(first).id)[0].id for _ in range(30))
    config = current().delivery
    workers = [DeliveryWorker(open_store(), interval=0.02, limit=4, config=config) for _ in range(2)]
    for w in workers:
        w.start()
    wait_until(lambda: len(receiver.ids) >= 30, 60, interval=0.02, what="the 30 deliveries")
    time.sleep(0.2)  # would a duplicate still come?
    for w in workers:
        w.stop()
    assert not any(w.is_alive() for w in workers)
    assert sorted(receiver.ids) == expected  # every one, none twice
    assert all(ok for _, _, ok in receiver.accepted)
    assert sum(w.totals.delivered for w in workers) == 30 and sum(w.totals.failed for w in workers) == 0
    assert deliver_due(first).claimed == 0


def test_an_expired_lease_is_claimed_again(store: SqlStore, receiver: Receiver):
    receiver.start()
    request = submit(store)
    (dead,) = store.claim_outbox(T0, outbox.LEASE, 10)  # a worker claims it, then dies before sending
    assert dead.item.status == "sending" and dead.item.claimed_until == T0 + outbox.LEASE
    assert deliver_due(store, now=T0 + timedelta(seconds=30)).claimed == 0  # the lease still holds
    assert deliver_due(store, now=T0 + timedelta(seconds=61)).delivered == 1
    assert receiver.ids == [dead.item.id]
    # the dead worker coming back late cannot undo the delivery
    store.finish_delivery(dead.item.id, dead.token, delivered=False, at=T0 + timedelta(seconds=70),
                          http_status=None, error="late", next_attempt_at=T0 + timedelta(seconds=100))
    (item,) = leads.delivery_history(store, request.id)
    assert item.status == "delivered"
    assert deliver_due(store, now=T0 + timedelta(hours=1)).claimed == 0


def test_a_claim_running_out_of_lease_gives_the_rest_back(store: SqlStore, receiver: Receiver, monkeypatch):
    # a claim may go on sending for 1 s; each send takes 1.5 s: the first is sent, the other two given back.
    # (1 s, not less: claiming the rows must fit in it on a busy machine.)
    receiver.delay = 1.5
    receiver.start()
    ids = [leads.delivery_history(store, submit(store).id)[0].id for _ in range(3)]
    monkeypatch.setattr(outbox.transport, "SEND_TIMEOUT_S", outbox.LEASE.total_seconds() - outbox.LEASE_MARGIN_S - 1.0)
    report = deliver_due(store, now=T0)
    assert (report.claimed, report.delivered, report.released) == (3, 1, 2)
    items = [leads.delivery_history(store, r.id)[0] for r in leads.list_requests(store)]
    assert sorted((i.status, i.attempts) for i in items) == [("delivered", 1), ("pending", 0), ("pending", 0)]
    monkeypatch.setattr(outbox.transport, "SEND_TIMEOUT_S", 10.0)
    receiver.delay = 0
    assert deliver_due(store, now=T0).delivered == 2  # due again at once
    assert sorted(receiver.ids) == ids


def test_a_request_erased_while_being_sent(store: SqlStore, receiver: Receiver):
    request = submit(store)
    (claim,) = store.claim_outbox(T0, outbox.LEASE, 10)
    leads.erase_person(store, request.id, "Kim")
    assert store.finish_delivery(claim.item.id, claim.token, delivered=True, at=T0, http_status=200, error=None,
                                 next_attempt_at=None) is False


def test_a_channel_no_longer_configured_is_retried_not_dropped(store: SqlStore, receiver: Receiver):
    request = submit(store, channels=["email"])  # the email settings were removed since
    assert deliver_due(store, now=T0).failed == 1
    (item,) = leads.delivery_history(store, request.id)
    assert item.status == "pending" and "not configured" in (item.last_error or "")


def test_one_worker_per_process_woken_by_a_new_request(store: SqlStore, receiver: Receiver):
    receiver.start()
    try:
        worker = outbox.start_worker(store, interval=60)
        assert outbox.start_worker(store, interval=60) is worker  # at most one per process
        time.sleep(0.1)  # its first pass finds nothing; it then waits up to a minute
        submit(store)
        wait_until(lambda: receiver.ids, 20, interval=0.02, what="the delivery")  # at once, not a minute later
        assert len(receiver.ids) == 1
    finally:
        outbox.stop_worker()
    assert not worker.is_alive()


def test_the_deliver_command(store: SqlStore, store_url: str, receiver: Receiver, configure, capsys):
    receiver.start()
    configure(database_url=store_url)
    for _ in range(3):
        submit(store)
    assert cli.main(["deliver", "--once", "--limit", "2"]) == 0
    assert len(receiver.ids) == 3
    assert "delivered 3" in capsys.readouterr().out
    assert cli.main(["deliver"]) == 0  # nothing due: still fine
