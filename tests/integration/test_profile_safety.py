"""The flag follows the runner (brief §2): a saved profile keeps its latest triage and flags, the day a clinician
checked the knee, and profiles saved before migration 0004 get their latest triage. Both engines."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa

from kneeassess import profiles
from kneeassess.progress import current_phase
from kneeassess.records import CheckIn
from kneeassess.safety import safety_status
from kneeassess.screening import assess
from kneeassess.storage.migrate import upgrade
from kneeassess.storage.sql import SqlStore, make_engine
from tests.factories import safe

GREEN = {"pain_run_worst": 1, "pain_next_morning": 0}


def _save(store, answers, profile=None, kind="screening"):
    a = assess(answers)
    profile, token = profiles.save_results(store, answers, a, profile=profile, kind=kind)
    token = token or "x"
    return profile, token, a


def _reopen(store, token):
    return profiles.open_profile(store, token)


def test_saved_profile_keeps_its_latest_triage_and_flags(store):
    profile, token, _ = _save(store, safe(rf_giving_way=True, akps_kneecap=2, **GREEN))
    opened = _reopen(store, token)
    assert opened.triage == "see_clinician" and opened.red_flags == ["rf_giving_way", "xf_dislocations"]
    assert opened.triage_at is not None and opened.clinician_checked_on is None
    status = safety_status(opened)
    assert status.needs_confirmation and status.max_phase == "build" and not status.resolved


def test_a_reassessment_without_the_flag_clears_it(store):
    profile, token, _ = _save(store, safe(rf_night_rest_pain=True))
    assert safety_status(_reopen(store, token)).blocks_plan
    _save(store, safe(**GREEN), profile=_reopen(store, token), kind="reassessment")
    opened = _reopen(store, token)
    assert opened.triage == "self_care" and opened.red_flags == []
    assert not safety_status(opened).blocks_plan and not safety_status(opened).needs_confirmation


def test_a_clinicians_check_resolves_see_clinician_keeps_the_date_and_is_exported(store):
    profile, token, _ = _save(store, safe(rf_locking=True, **GREEN))
    before = _reopen(store, token)
    profiles.record_clinician_check(store, before, date.today())
    after = _reopen(store, token)
    assert after.clinician_checked_on == date.today() and after.revision > before.revision
    assert safety_status(after).resolved and safety_status(after).max_phase == "progress"
    exported = json.loads(profiles.export_json(store, after))
    assert exported["profile"]["clinician_checked_on"] == date.today().isoformat()
    assert exported["profile"]["triage"] == "see_clinician"


def test_a_clinicians_check_does_not_clear_urgent_or_see_clinician_soon(store):
    profile, token, _ = _save(store, safe(rf_night_rest_pain=True))
    profiles.record_clinician_check(store, _reopen(store, token), date.today())
    assert safety_status(_reopen(store, token)).blocks_plan, "only a new assessment clears see_clinician_soon"


def test_a_check_before_the_flag_was_raised_does_not_resolve_it(store):
    profile, token, _ = _save(store, safe(rf_locking=True))
    store.set_clinician_checked(profile.id, date.today() - timedelta(days=30))
    assert not safety_status(_reopen(store, token)).resolved


def test_a_future_clinicians_check_is_refused(store):
    profile, token, _ = _save(store, safe(rf_locking=True))
    with pytest.raises(ValueError):
        profiles.record_clinician_check(store, profile, date.today() + timedelta(days=1))


def test_two_green_weeks_do_not_move_an_unresolved_see_clinician_profile_to_progress(store):
    profile, token, _ = _save(store, safe(rf_giving_way=True, pain_run_worst=4, pain_next_morning=1))
    opened = _reopen(store, token)
    saved = profiles.load_records(store, opened).assessments
    start = saved[-1].created_at.date()
    monday = start - timedelta(days=start.weekday())
    green = [CheckIn(day=monday + timedelta(days=7 * w + d), during=1, next_morning=0) for w in (1, 2) for d in (0, 2)]
    today = monday + timedelta(days=28)
    capped = current_phase(saved, green, today, safety_status(opened))
    assert capped.phase == "build" and "stay at build" in capped.reason
    profiles.record_clinician_check(store, opened, date.today())
    free = current_phase(saved, green, today, safety_status(_reopen(store, token)))
    assert free.phase == "progress", "near miss: after a clinician's check the same weeks move on"


def test_migration_0004_gives_existing_profiles_their_latest_triage(store_url: str):
    upgrade(store_url, "0003")
    engine = make_engine(store_url, migrating=True)
    now = datetime.now(UTC)
    result = assess(safe(rf_locking=True)).model_dump(mode="json")
    try:
        with engine.begin() as conn:
            conn.execute(sa.text("INSERT INTO profiles (id, token_hash, created_at, unit, revision) "
                                 "VALUES ('p1', 'h1', :t, 'km', 0)"), {"t": now})
            conn.execute(sa.text("INSERT INTO assessments (profile_id, created_at, kind, answers, result) "
                                 "VALUES ('p1', :t, 'screening', '{}', :r)"), {"t": now, "r": json.dumps(result)})
    finally:
        engine.dispose()
    upgrade(store_url)
    store = SqlStore(store_url)
    try:
        opened = store.profile_by_token_hash("h1")
        assert opened.triage == "see_clinician" and opened.red_flags == ["rf_locking"]
    finally:
        store.close()
