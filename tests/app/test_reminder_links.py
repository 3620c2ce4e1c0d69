"""Reminders in the app: the opt-in after saving results, and the email's links opened without signing in
(unsubscribe in one click; a changed link says so)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from kneeassess import profiles, reminders
from kneeassess.storage.reminder_store import ReminderStore
from kneeassess.storage.sql import reminder_consents
from tests.app.driver import button, start, unique, walk
from tests.factories import HIP_RUNNER


@pytest.fixture(autouse=True)
def secret(configure):
    configure(link_secret="app-test-secret")


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


def test_after_saving_results_a_runner_can_ask_for_reminders_opt_in(store):
    at = walk(HIP_RUNNER)
    button(at, "Save my results").click().run()
    token = at.code[0].value.split("?p=")[1]
    profile = store.profile_by_token_hash(profiles.token_hash(token))
    assert not at.checkbox(key="rm_save_recheck").value and not at.checkbox(key="rm_save_weekly_plan").value
    address = f"{unique('optin')}@example.org"
    at.text_input(key="rm_save_email").input(address)
    button(at, "Remind me").click().run()
    assert [e.value for e in at.error] == ["Tick at least one kind of reminder."]
    at.checkbox(key="rm_save_recheck").check()
    button(at, "Remind me").click().run()
    assert not at.exception and not at.error
    assert any(s.value.startswith("We will email you a reminder to re-check your knee in four weeks.")
               for s in at.success)
    with store.engine.connect() as conn:
        (row,) = conn.execute(sa.select(reminder_consents).where(reminder_consents.c.email == address)).mappings()
    assert row["kind"] == "recheck" and row["profile_id"] == profile.id and row["withdrawn_at"] is None
    assert row["home_link"].endswith(f"?p={token}") and row["consented_at"] is not None
