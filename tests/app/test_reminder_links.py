"""The reminder email's links, opened in the app without signing in: unsubscribe in one click, a bad link says so."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from kneeassess import reminders
from kneeassess.storage.reminder_store import ReminderStore
from tests.app.driver import start, unique


@pytest.fixture(autouse=True)
def secret(monkeypatch):
    monkeypatch.setenv("KNEEASSESS_LINK_SECRET", "app-test-secret")


def test_unsubscribe_link_works_without_signing_in_and_a_changed_one_does_not(store):
    address = f"{unique('rm')}@example.org"
    consent = reminders.ask_for_reminder(store, email=address, kind="weekly_plan", home_link="https://x/?p=abc")
    at = start()
    at.query_params["t"] = reminders.sign_link(consent, "unsubscribe")[:-2] + "xx"
    at.switch_page("pages/runner/unsubscribe.py").run()
    assert not at.exception
    assert [e.value for e in at.error] == ["This link is not valid (it may have been cut short)."]
    assert not ReminderStore(store).is_suppressed(reminders.email_hash(address))

    at = start()
    at.query_params["t"] = reminders.sign_link(consent, "unsubscribe")
    at.switch_page("pages/runner/unsubscribe.py").run()
    assert not at.exception and not at.error
    assert [s.value for s in at.success] == ["Done: you will get no more reminders from us at this address."]
    assert ReminderStore(store).is_suppressed(reminders.email_hash(address))
    now = datetime.now(UTC)
    assert reminders.deliver_due_reminders(store, now + timedelta(weeks=2)).sent == 0


def test_open_link_counts_and_offers_the_runners_page(store):
    consent = reminders.ask_for_reminder(store, email=f"{unique('rm')}@example.org", kind="recheck",
                                         home_link="https://knee.example/?p=private")
    at = start()
    at.query_params["t"] = reminders.sign_link(consent, "open")
    at.switch_page("pages/runner/reminder.py").run()
    assert not at.exception and not at.error
    (button,) = at.get("link_button")
    assert button.proto.url == "https://knee.example/?p=private"
