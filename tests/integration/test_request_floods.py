"""Issue 14 item 6: flood limits on consultation requests that a reload and ``+`` email variants do not get past:
per mailbox (tags and Gmail dots ignored), per client address, and for everyone together; configurable, each
with a clear message. Both engines."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from kneeassess import leads
from kneeassess.leads import Limits, RateLimited, mailbox_key, submit_request
from kneeassess.settings import Settings
from kneeassess.storage.sql import SqlStore

T0 = datetime(2026, 6, 2, 9, 0, tzinfo=UTC)


def send(store: SqlStore, email: str | None = None, *, address: str | None = None, limits: Limits | None = None,
         now: datetime = T0):
    data = {"name": "Ann", "email": email or f"{uuid.uuid4().hex[:10]}@example.org", "consent_contact": True}
    return submit_request(store, data, uuid.uuid4().hex, now=now, channels=[], limits=limits,  # a new session
                          address=address)


def test_plus_tags_and_gmail_dots_count_as_one_mailbox(store: SqlStore):
    for email in ("ann@example.org", "Ann+1@example.org", "ann+knee@EXAMPLE.org"):
        send(store, email)
    with pytest.raises(RateLimited) as caught:
        send(store, "ann+4@example.org")
    assert caught.value.kind == "contact"
    for email in ("bo.b@gmail.com", "bob+x@googlemail.com", "b.o.b@gmail.com"):
        send(store, email)
    with pytest.raises(RateLimited):
        send(store, "bob@gmail.com")
    send(store, "other@example.org")  # someone else is not affected


def test_new_sessions_from_one_address_are_capped(store: SqlStore):
    limits = Limits(per_address_hour=2)
    send(store, address="203.0.113.9", limits=limits)
    send(store, address="203.0.113.9", limits=limits)
    with pytest.raises(RateLimited) as caught:
        send(store, address="203.0.113.9", limits=limits)
    assert caught.value.kind == "address" and "from this network" in str(caught.value)
    send(store, address="198.51.100.1", limits=limits)
    send(store, address="203.0.113.9", limits=limits, now=T0 + timedelta(hours=1, seconds=1))  # an hour later


def test_everyone_together_is_capped(store: SqlStore):
    limits = Limits(per_hour=4)
    for i in range(4):
        send(store, address=f"198.51.100.{i}", limits=limits)
    with pytest.raises(RateLimited) as caught:
        send(store, address="198.51.100.99", limits=limits)
    assert caught.value.kind == "global" and "unusual number of requests" in str(caught.value)
    assert len(leads.list_requests(store)) == 4


def test_the_limits_are_configurable():
    settings = Settings.load({"KNEEASSESS_REQUESTS_PER_ADDRESS_HOUR": "7", "KNEEASSESS_REQUESTS_PER_HOUR": "250"})
    limits = Limits.from_settings(settings)
    assert (limits.per_address_hour, limits.per_hour) == (7, 250)
    assert mailbox_key("A.nn+x@GoogleMail.com") == "ann@gmail.com"
