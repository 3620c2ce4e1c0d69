"""Issue 14 item 3: a delivery that fails the same permanent way N times is marked failed, never retried again, and
listed for staff as needing attention; a transient failure (503, no answer) is retried for ever. Both engines."""

from __future__ import annotations

from datetime import timedelta

import pytest

from kneeassess import leads, outbox
from kneeassess.outbox import DeliveryConfig, WebhookConfig, deliver_due
from kneeassess.storage.sql import SqlStore
from tests.integration.test_outbox import SECRET, T0, Receiver, submit

LATER = timedelta(hours=2)  # past any backoff


@pytest.fixture
def receiver(configure):  # noqa: ANN201 - as in test_outbox.py
    r = Receiver()
    configure(delivery=DeliveryConfig(webhook=WebhookConfig(url=r.url, secret=SECRET)))
    yield r
    r.stop()


def test_the_same_permanent_failure_n_times_marks_the_delivery_failed(store: SqlStore, receiver: Receiver,
                                                                     configure):
    configure(outbox_fail_after=3)
    receiver.status = 400
    receiver.start()
    request = submit(store)
    for i in range(3):
        assert deliver_due(store, now=T0 + i * LATER).failed == 1
    (item,) = leads.delivery_history(store, request.id)
    assert item.status == "failed" and item.attempts == 3 and "HTTP 400" in (item.last_error or "")
    assert deliver_due(store, now=T0 + 10 * LATER).claimed == 0  # never retried
    assert receiver.hits == [400, 400, 400]
    (failed,) = leads.deliveries_needing_attention(store)
    assert failed.request_id == request.id
    assert f"#{request.id}" in leads.attention_message([failed])


def test_a_transient_failure_is_retried_for_ever(store: SqlStore, receiver: Receiver, configure):
    configure(outbox_fail_after=2)
    receiver.status = 503
    receiver.start()
    request = submit(store)
    for i in range(4):
        assert deliver_due(store, now=T0 + i * LATER).failed == 1
    (item,) = leads.delivery_history(store, request.id)
    assert item.status == "pending" and leads.deliveries_needing_attention(store) == []


def test_different_permanent_failures_do_not_add_up(store: SqlStore, receiver: Receiver, configure):
    configure(outbox_fail_after=2)
    receiver.start()
    request = submit(store)
    for i, status in enumerate([400, 422, 400]):
        receiver.status = status
        assert deliver_due(store, now=T0 + i * LATER).failed == 1
    (item,) = leads.delivery_history(store, request.id)
    assert item.status == "pending"
    receiver.status = 400
    deliver_due(store, now=T0 + 3 * LATER)
    assert leads.delivery_history(store, request.id)[0].status == "failed"


def test_an_email_that_cannot_be_built_is_given_up_after_n_tries(store: SqlStore, monkeypatch, configure):
    configure(outbox_fail_after=2, delivery=DeliveryConfig.from_env(
        {"KNEEASSESS_SMTP_HOST": "127.0.0.1", "KNEEASSESS_SMTP_TO": "desk@clinic.example"}))

    def broken(*_args):  # noqa: ANN202 - what a header that cannot be encoded did before the fix
        raise ValueError("Header values may not contain linefeed or carriage return characters")

    monkeypatch.setattr(outbox.transport, "email_message", broken)
    request = submit(store, channels=["email"])
    for i in range(2):
        deliver_due(store, now=T0 + i * LATER)
    (item,) = leads.delivery_history(store, request.id)
    assert item.status == "failed" and "could not be built" in (item.last_error or "")
