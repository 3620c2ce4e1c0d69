"""Profiles, logbook and progress services on a real SQLite store."""

import io
import json
import zipfile
from datetime import UTC, date, datetime, timedelta

import pytest

from kneeassess import logbook, profiles, progress
from kneeassess.records import CheckIn, ExerciseSession, Run, SavedAssessment
from kneeassess.screening import assess
from kneeassess.storage.sql import SqlStore
from tests.factories import HIP_RUNNER

TODAY = date(2026, 11, 24)


@pytest.fixture
def store(tmp_path):
    s = SqlStore(f"sqlite:///{tmp_path / 'k.db'}")
    yield s
    s.close()


@pytest.fixture
def profile(store):
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


@pytest.mark.parametrize("cell,safe", [("=1+1", "'=1+1"), ("+4", "'+4"), ("-2", "'-2"), ("@SUM", "'@SUM"),
                                       ("\tx", "'\tx"), ("\rx", "'\rx"), ("ok", "ok"), (-2, -2)])
def test_safe_cell(cell, safe):
    assert profiles.safe_cell(cell) == safe


def test_qr_code_is_a_png():
    assert profiles.qr_png("http://localhost:8501/?p=" + "a" * 32)[:8] == b"\x89PNG\r\n\x1a\n"


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


def test_pending_morning_asks_for_the_latest_unrated_recent_run():
    runs = [Run(day=TODAY - timedelta(days=d), km=5, minutes=30) for d in (5, 2, 1)]
    rated = [CheckIn(day=TODAY - timedelta(days=2), during=2, next_morning=1)]
    assert logbook.pending_morning(runs, rated, TODAY) == TODAY - timedelta(days=1)
    rated.append(CheckIn(day=TODAY - timedelta(days=1), next_morning=0))
    assert logbook.pending_morning(runs, rated, TODAY) is None  # day 5 is too long ago
    assert logbook.pending_morning([Run(day=TODAY, km=5, minutes=30)], [], TODAY) is None  # not morning yet


def test_weekly_km_from_runs_matches_the_screening_questions():
    runs = [Run(day=TODAY - timedelta(days=d), km=k, minutes=30) for d, k in ((0, 10), (6, 5), (7, 4), (27, 3),
                                                                              (28, 99))]
    assert logbook.weekly_km_from_runs(runs, TODAY) == {"km_week_0": 15, "km_week_1": 4, "km_week_2": 0,
                                                        "km_week_3": 3}


def test_weekly_load_and_change():
    monday = TODAY - timedelta(days=TODAY.weekday())
    runs = [Run(day=monday - timedelta(days=7), km=10, minutes=60), Run(day=monday, km=15, minutes=80,
                                                                        fast_minutes=4)]
    weeks = progress.weekly_load(runs, TODAY)
    assert [(w.km, w.change_pct, w.runs, w.fast_minutes) for w in weeks] == [(10, None, 1, 0), (15, 50.0, 1, 4)]


def test_daily_load_ratio_only_after_28_days():
    runs = [Run(day=TODAY - timedelta(days=d), km=5, minutes=30) for d in range(40)]
    daily = progress.daily_load(runs, TODAY)
    assert daily.ratio[:27] == [None] * 27 and daily.ratio[-1] == pytest.approx(1.0, abs=0.01)


def test_current_phase_from_the_latest_assessment_and_checkins():
    made = datetime(2026, 10, 27, 9, tzinfo=UTC)  # a Tuesday, four weeks before TODAY
    saved = [SavedAssessment(created_at=made, answers=HIP_RUNNER, result=assess(HIP_RUNNER).model_dump(mode="json"))]
    assert progress.current_phase(saved, [], TODAY).phase == "build"
    green = [CheckIn(day=date(2026, 11, d), during=1, next_morning=0) for d in (3, 5, 10, 12)]
    phase = progress.current_phase(saved, green, TODAY)
    assert phase.phase == "progress" and "Two weeks" in phase.reason
    plan = progress.this_weeks_plan(saved, phase)
    assert any(p.exercise == "strides" for p in plan)
    red = green + [CheckIn(day=date(2026, 11, 17), during=7, next_morning=4)]
    assert progress.current_phase(saved, red, TODAY).phase == "build"


def test_sessions_against_planned():
    s = [ExerciseSession(day=TODAY, exercise="side_plank", sets=3, seconds=25),
         ExerciseSession(day=TODAY, exercise="floor_reach", sets=3, reps=12),
         ExerciseSession(day=TODAY - timedelta(days=1), exercise="side_plank", sets=3, seconds=25)]
    weeks = progress.sessions_vs_planned(s, 3, TODAY)
    assert [(w.done, w.planned) for w in weeks] == [(2, 3)]
