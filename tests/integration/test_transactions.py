"""One transaction per user action, on both engines: the store's unit of work (``store.transaction()``,
``add_many``) and every action that writes more than one row, each with a failure injected mid-way: nothing or
everything is saved, and trying again never saves anything twice."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa

from kneeassess import leads, logbook, profiles
from kneeassess.events import record_screening
from kneeassess.imports import ImportResult, save_runs
from kneeassess.imports.model import ImportedRun
from kneeassess.records import ExerciseSession, Profile, Run, SavedAssessment
from kneeassess.screening import assess
from kneeassess.storage import NotFound, StorageError
from kneeassess.storage import sql as sql_module
from kneeassess.storage.sql import SqlStore
from tests.factories import HIP_RUNNER

T0 = datetime(2025, 6, 2, 9, 0, tzinfo=UTC)
DAY = date(2025, 6, 2)


def rows(store: SqlStore, table: str) -> int:
    with store.engine.connect() as conn:
        return conn.execute(sa.text(f"SELECT count(*) FROM {table}")).scalar_one()


def fail_call(monkeypatch: pytest.MonkeyPatch, method: str, nth: int) -> list[int]:
    """Make the ``nth`` call of ``SqlStore.<method>`` fail as the database would (the others run as usual).
    Returns the list of calls made so far, to assert the failure happened where intended."""
    real = getattr(SqlStore, method)
    calls: list[int] = []

    def flaky(self: SqlStore, *args: Any, **kwargs: Any) -> Any:
        calls.append(len(calls) + 1)
        if len(calls) == nth:
            raise StorageError("The database failed to complete the request. Please try again in a moment.")
        return real(self, *args, **kwargs)

    monkeypatch.setattr(SqlStore, method, flaky)
    return calls


def run(profile: Profile, km: float = 5) -> Run:
    return Run(profile_id=profile.id, day=DAY, km=km, minutes=30)


def revision(store: SqlStore, profile: Profile) -> int:
    with store.engine.connect() as conn:
        return conn.execute(sa.text("SELECT revision FROM profiles WHERE id = :id"), {"id": profile.id}).scalar_one()


def new_profile(store: SqlStore) -> Profile:
    return store.create_profile(uuid.uuid4().hex)


# the unit of work


def test_a_unit_commits_its_writes_together_at_its_end(open_store: Callable[[], SqlStore]):
    store, other = open_store(), open_store()  # two processes on one database
    profile = new_profile(store)
    with store.transaction():
        store.add(run(profile, 5))
        store.add(run(profile, 6))
        assert [r.km for r in store.list_records(Run, profile.id)] == [5, 6]  # the unit reads its own writes
        assert other.list_records(Run, profile.id) == []  # nobody else sees half of it
    assert [r.km for r in other.list_records(Run, profile.id)] == [5, 6]
    assert revision(other, profile) == 2  # the revision raises commit with the writes


def test_a_unit_belongs_to_its_thread(store: SqlStore):
    """One store is shared by the sessions (threads) of a process: another session's read does not join the unit."""
    profile = new_profile(store)
    seen: list[list[Run]] = []
    with store.transaction():
        store.add(run(profile))
        reader = threading.Thread(target=lambda: seen.append(store.list_records(Run, profile.id)))
        reader.start()
        reader.join(timeout=60)
    assert seen == [[]]
    assert len(store.list_records(Run, profile.id)) == 1


def test_a_unit_that_fails_mid_way_saves_nothing(store: SqlStore):
    profile = new_profile(store)
    with pytest.raises(RuntimeError), store.transaction():
        store.add(run(profile, 5))
        store.add(run(profile, 6))
        raise RuntimeError("the action failed after two writes")
    assert store.list_records(Run, profile.id) == []
    assert revision(store, profile) == 0


def test_a_write_the_database_refuses_rolls_back_the_whole_unit(store: SqlStore):
    profile = new_profile(store)
    with pytest.raises(NotFound), store.transaction():
        store.add(run(profile))
        store.add(Run(profile_id="no-such-profile", day=DAY, km=5, minutes=30))  # the foreign key refuses it
    assert store.list_records(Run, profile.id) == []
    store.add(run(profile))  # the store works on after the failed unit
    assert len(store.list_records(Run, profile.id)) == 1


def test_nested_units_join_the_outer_one(store: SqlStore):
    profile = new_profile(store)
    with pytest.raises(RuntimeError), store.transaction():
        with store.transaction():
            store.add(run(profile))
        raise RuntimeError("the outer action failed after the inner one finished")
    assert store.list_records(Run, profile.id) == []


def test_add_many_returns_the_records_with_their_ids_in_order(store: SqlStore):
    profile = new_profile(store)
    mixed = [run(profile, 3), ExerciseSession(profile_id=profile.id, day=DAY, exercise="clam", sets=2), run(profile, 4)]
    saved = store.add_many(mixed)
    assert [type(r) for r in saved] == [Run, ExerciseSession, Run]
    assert [r.model_copy(update={"id": None}) for r in saved] == mixed
    assert store.list_records(Run, profile.id) == [saved[0], saved[2]]
    assert store.list_records(ExerciseSession, profile.id) == [saved[1]]
    assert revision(store, profile) == 1  # one raise for the batch
    assert store.add_many([]) == []


def test_add_many_saves_all_or_none(store: SqlStore):
    profile = new_profile(store)
    with pytest.raises(NotFound):
        store.add_many([run(profile), Run(profile_id="no-such-profile", day=DAY, km=5, minutes=30)])
    assert store.list_records(Run, profile.id) == [] and rows(store, "runs") == 0
    with pytest.raises(ValueError):
        store.add_many([store.add(run(profile))])  # already stored


# the user actions that write more than one row


def test_save_results_creates_the_profile_only_with_its_assessment(store: SqlStore, monkeypatch):
    """A new profile whose assessment failed to save would be a profile whose token (the link) was lost."""
    calls = fail_call(monkeypatch, "add", 1)
    with pytest.raises(StorageError):
        profiles.save_results(store, HIP_RUNNER, assess(HIP_RUNNER))
    assert calls == [1] and rows(store, "profiles") == 0 and rows(store, "assessments") == 0
    profile, token = profiles.save_results(store, HIP_RUNNER, assess(HIP_RUNNER))  # trying again
    opened = profiles.open_profile(store, token)
    assert opened is not None and opened.id == profile.id  # the link opens the saved profile
    assert rows(store, "profiles") == 1 and len(store.list_records(SavedAssessment, profile.id)) == 1


def test_save_results_marks_the_screening_taken_home_in_the_same_transaction(store: SqlStore, monkeypatch):
    screening = record_screening(store, triage="self_care", now=T0)
    assert screening.id is not None
    fail_call(monkeypatch, "set_screening_took_home", 1)
    with pytest.raises(StorageError):
        profiles.save_results(store, HIP_RUNNER, assess(HIP_RUNNER), screening_id=screening.id)
    assert rows(store, "profiles") == 0 and rows(store, "assessments") == 0
    assert store.took_home_counts() == {}
    monkeypatch.undo()
    profiles.save_results(store, HIP_RUNNER, assess(HIP_RUNNER), screening_id=screening.id)
    assert rows(store, "profiles") == 1 and rows(store, "assessments") == 1
    assert store.took_home_counts() == {None: 1}


def test_saving_to_an_open_profile_keeps_it_when_the_assessment_fails(store: SqlStore, monkeypatch):
    profile, _ = profiles.save_results(store, HIP_RUNNER, assess(HIP_RUNNER))
    fail_call(monkeypatch, "add", 1)
    with pytest.raises(StorageError):
        profiles.save_results(store, HIP_RUNNER, assess(HIP_RUNNER), profile=profile, kind="reassessment")
    assert [a.kind for a in store.list_records(SavedAssessment, profile.id)] == ["screening"]


PLAN = [
    logbook.ExerciseDone("side_plank", 3, seconds=30),
    logbook.ExerciseDone("glute_bridge", 3, reps=12),
    logbook.ExerciseDone("clam", 2, reps=15, load="light band"),
]


def test_logging_a_session_fails_whole_and_try_again_logs_each_exercise_once(store: SqlStore, monkeypatch):
    """The reported defect: the second save failed, "try again" logged side_plank twice."""
    profile = new_profile(store)
    calls = fail_call(monkeypatch, "add", 2)
    with pytest.raises(StorageError):
        logbook.record_sessions(store, profile, PLAN, day=DAY, pain=2, today=DAY)
    assert calls == [1, 2] and store.list_records(ExerciseSession, profile.id) == []
    logbook.record_sessions(store, profile, PLAN, day=DAY, pain=2, today=DAY)  # try again
    logged = store.list_records(ExerciseSession, profile.id)
    assert [s.exercise for s in logged] == ["side_plank", "glute_bridge", "clam"]
    assert [(s.sets, s.reps, s.seconds, s.load, s.pain) for s in logged] == [
        (3, None, 30, None, 2), (3, 12, None, None, 2), (2, 15, None, "light band", 2)]


def test_a_session_with_one_bad_entry_logs_none_of_it(store: SqlStore):
    profile = new_profile(store)
    bad = [*PLAN[:2], logbook.ExerciseDone("clam", 99)]  # 99 sets: refused by validation after two saves
    with pytest.raises(logbook.LogProblems):
        logbook.record_sessions(store, profile, bad, day=DAY, pain=2, today=DAY)
    assert store.list_records(ExerciseSession, profile.id) == []


def imported(n: int) -> ImportResult:
    start = datetime(2024, 1, 1, 7, 0, tzinfo=UTC)
    return ImportResult(runs=[
        ImportedRun(source=f"activities/{i}.fit", start=start + timedelta(days=i), distance_km=5 + i % 7,
                    moving_s=1800 + i, elapsed_s=None, avg_hr=150, fast_minutes=None, sport="run")
        for i in range(n)
    ])


def test_importing_runs_saves_all_or_none_and_again_saves_none_twice(store: SqlStore, monkeypatch):
    profile = new_profile(store)
    result = imported(40)

    def broken(conn: sa.Connection, profile_id: str) -> None:  # fails after the runs were inserted
        raise sa.exc.OperationalError("UPDATE profiles", {}, Exception("the disk is full"))

    monkeypatch.setattr(sql_module, "_raise_revision", broken)
    with pytest.raises(StorageError):
        save_runs(store, profile, result)
    assert rows(store, "runs") == 0
    monkeypatch.undo()
    assert save_runs(store, profile, result) == (40, 0)
    assert save_runs(store, profile, result) == (0, 40)  # the same files again
    assert len(store.list_records(Run, profile.id)) == 40 and revision(store, profile) == 1


def test_erasing_a_person_is_all_or_nothing(store: SqlStore, monkeypatch):
    profile = new_profile(store)
    store.add(run(profile))
    first = leads.submit_request(store, {"name": "Ann", "email": "ann@example.org", "consent_contact": True,
                                         "profile_id": profile.id}, "s1", now=T0, channels=["email"])
    leads.submit_request(store, {"name": "Ann", "email": "ANN@example.org", "consent_contact": True}, "s2",
                         now=T0 + timedelta(days=1), channels=["email"])
    assert first.id is not None
    fail_call(monkeypatch, "erase_requests", 1)  # after the linked profile was deleted
    with pytest.raises(StorageError):
        leads.erase_person(store, first.id, "Kim")
    assert rows(store, "profiles") == 1 and rows(store, "runs") == 1 and rows(store, "requests") == 2
    assert store.list_audit() == []
    monkeypatch.undo()
    counts = leads.erase_person(store, first.id, "Kim")
    assert counts["requests"] == 2 and counts["linked_profiles"] == 1
    assert rows(store, "profiles") == 0 and rows(store, "requests") == 0 and len(store.list_audit()) == 1
