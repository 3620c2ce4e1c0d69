"""Progress, the logbook's pure rules, the export's CSV cells and the QR code (the services on a real database:
tests/integration/test_services.py)."""

from datetime import UTC, date, datetime, timedelta

import pytest

from kneeassess import logbook, profiles, progress
from kneeassess.records import CheckIn, ExerciseSession, Run, SavedAssessment
from kneeassess.screening import assess
from tests.factories import HIP_RUNNER

TODAY = date(2026, 11, 24)


@pytest.mark.parametrize("cell,safe", [("=1+1", "'=1+1"), ("+4", "'+4"), ("-2", "'-2"), ("@SUM", "'@SUM"),
                                       ("\tx", "'\tx"), ("\rx", "'\rx"), ("ok", "ok"), (-2, -2)])
def test_safe_cell(cell, safe):
    assert profiles.safe_cell(cell) == safe


def test_qr_code_is_a_png():
    assert profiles.qr_png("http://localhost:8501/?p=" + "a" * 32)[:8] == b"\x89PNG\r\n\x1a\n"


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
