"""Profiles and logbook services on a real database (SQLite and PostgreSQL: tests/integration/conftest.py); the
services' pure parts (progress, the CSV cells, the QR code) are in tests/unit/test_services.py."""

import io
import json
import zipfile
from datetime import date, timedelta

import pytest

from kneeassess import logbook, profiles
from kneeassess.records import CheckIn, Run, SavedAssessment
from kneeassess.screening import assess
from kneeassess.storage.sql import SqlStore
from tests.factories import HIP_RUNNER

TODAY = date(2026, 11, 24)


@pytest.fixture
def profile(store: SqlStore):
    return store.create_profile(profiles.token_hash(profiles.new_token()))


def test_tokens_are_random_128_bits_plus_and_only_hashes_are_stored(store):
    a, b = profiles.new_token(), profiles.new_token()
    assert a != b and len(a) == 32 and profiles.looks_like_token(a)
    p, token = profiles.save_results(store, HIP_RUNNER, assess(HIP_RUNNER))
    assert token and profiles.open_profile(store, token).id == p.id
    with store.engine.connect() as conn:
        dump = "\n".join(str(row) for row in conn.exec_driver_sql("select * from profiles"))
    assert token not in dump and profiles.token_hash(token) in dump


@pytest.mark.parametrize("bad", [None, "", "short", "x" * 33, "../../etc/passwd", "a" * 31 + "!"])
def test_malformed_tokens_open_nothing(store, bad):
    assert profiles.open_profile(store, bad) is None


def test_saving_to_an_open_profile_adds_a_reassessment(store):
    p, token = profiles.save_results(store, HIP_RUNNER, assess(HIP_RUNNER))
    again, no_token = profiles.save_results(store, HIP_RUNNER, assess(HIP_RUNNER), profile=p, kind="reassessment")
    assert again.id == p.id and no_token is None
    assert [a.kind for a in store.list_records(SavedAssessment, p.id)] == ["screening", "reassessment"]


def test_export_json_and_csv_hold_everything_and_neutralise_formulas(store, profile):
    logbook.record_run(store, profile, day=TODAY, distance=5, minutes=30, today=TODAY)
    logbook.record_session(store, profile, day=TODAY, exercise="side_plank", sets=3, seconds=25,
                           load="=HYPERLINK(\"http://evil\")", today=TODAY)
    data = json.loads(profiles.export_json(store, profile))
    assert data["runs"][0]["km"] == 5 and data["exercise_sessions"][0]["load"].startswith("=HYPERLINK")
    zf = zipfile.ZipFile(io.BytesIO(profiles.export_csv_zip(store, profile)))
    assert set(zf.namelist()) == {"profile.csv", "runs.csv", "checkins.csv", "exercise_sessions.csv",
                                  "assessments.csv"}
    assert "clinician_checked_on" in zf.read("profile.csv").decode()  # the clinician's check is exported too
    sessions_csv = zf.read("exercise_sessions.csv").decode()
    assert "'=HYPERLINK" in sessions_csv


def test_run_in_miles_is_stored_in_km(store, profile):
    run = logbook.record_run(store, profile, day=TODAY, distance=10, minutes=80, unit="mi", today=TODAY)
    assert run.km == pytest.approx(16.093, abs=0.001)


@pytest.mark.parametrize(
    "values,field",
    [
        (dict(distance=None, minutes=30), "km"),
        (dict(distance=5, minutes=None), "minutes"),
        (dict(distance=0, minutes=30), "km"),
        (dict(distance=500, minutes=30), "km"),
        (dict(distance=5, minutes=30, effort=11), "effort"),
        (dict(distance=5, minutes=30, fast_minutes=31), "fast_minutes"),
    ],
)
def test_bad_runs_are_refused_with_the_field(store, profile, values, field):
    with pytest.raises(logbook.LogProblems) as err:
        logbook.record_run(store, profile, day=TODAY, today=TODAY, **values)
    assert field in err.value.problems
    assert store.list_records(Run, profile.id) == []


def test_future_dates_are_refused(store, profile):
    with pytest.raises(logbook.LogProblems, match="future"):
        logbook.record_run(store, profile, day=TODAY + timedelta(days=3), distance=5, minutes=30, today=TODAY)


def test_checkins_fill_in_the_same_day(store, profile):
    logbook.record_checkin(store, profile, day=TODAY, during=3, next_morning=None, today=TODAY)
    logbook.record_checkin(store, profile, day=TODAY, during=None, next_morning=1, today=TODAY)
    assert [(c.during, c.next_morning) for c in store.list_records(CheckIn, profile.id)] == [(3, 1)]
    with pytest.raises(logbook.LogProblems):
        logbook.record_checkin(store, profile, day=TODAY - timedelta(days=1), during=None, next_morning=None,
                               today=TODAY)


def test_edit_and_delete_only_within_the_profile(store, profile):
    other = store.create_profile(profiles.token_hash(profiles.new_token()))
    run = logbook.record_run(store, profile, day=TODAY, distance=5, minutes=30, today=TODAY)
    edited = logbook.record_run(store, profile, day=TODAY, distance=6, minutes=31, run_id=run.id, today=TODAY)
    assert store.list_records(Run, profile.id)[0].km == 6 == edited.km
    from kneeassess.storage import NotFound

    with pytest.raises(NotFound):
        logbook.remove(store, other, Run, run.id)
    logbook.remove(store, profile, Run, run.id)
    assert store.list_records(Run, profile.id) == []
