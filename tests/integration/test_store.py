"""SqlStore on SQLite and PostgreSQL: profiles, the four logs, privacy between runners, errors, concurrency."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

import pytest
import sqlalchemy as sa

from kneeassess.records import CheckIn, ExerciseSession, LogRecord, MovementCheck, Run, SavedAssessment
from kneeassess.storage import NotFound, StorageError
from kneeassess.storage.sql import TABLES, SqlStore

CEST = timezone(timedelta(hours=2))
ANSWERS = {
    "age_band": "30_44",
    "pain_location": ["around_kneecap", "behind"],
    "km_week_0": 36,
    "pace": 5.25,
    "sls_knee_in_left": False,
    "note": "Knie tut weh – ü",
    "missing": None,
}
RESULT = {"akps": 71, "weak_links": [{"link": "hip", "score": 2, "sides": ["right"]}], "red_flags": [], "x": {"y": 0.1}}


def full(kind: type[LogRecord], profile_id: str, day: date = date(2024, 3, 1)) -> LogRecord:
    """A record with every field set."""
    at = datetime.combine(day, datetime.min.time(), CEST) + timedelta(hours=7, seconds=15.123456)
    if kind is Run:
        return Run(
            profile_id=profile_id,
            day=day,
            km=10.123456789,
            minutes=61.5,
            effort=6,
            fast_minutes=12.25,
            source="gpx",
            started_at=at,
            avg_hr=151,
        )
    if kind is CheckIn:
        return CheckIn(profile_id=profile_id, day=day, during=3, next_morning=1)
    if kind is ExerciseSession:
        return ExerciseSession(
            profile_id=profile_id,
            day=day,
            exercise="side plank",
            sets=3,
            reps=None,
            seconds=45,
            load="bodyweight",
            pain=2,
        )
    if kind is MovementCheck:
        return MovementCheck(profile_id=profile_id, created_at=at, squat="single_leg", fppa_left=6.4, fppa_right=-2.5,
                             figures={"legs": {"left": {"reps": [{"fppa": 6.4}]}}, "notes": ["a"]})
    return SavedAssessment(profile_id=profile_id, created_at=at, kind="screening", answers=ANSWERS, result=RESULT)


def sparse(kind: type[LogRecord], profile_id: str, day: date = date(2024, 3, 2)) -> LogRecord:
    """A record with the optional fields left out (None)."""
    if kind is Run:
        return Run(profile_id=profile_id, day=day, km=0.5, minutes=3)
    if kind is CheckIn:
        return CheckIn(profile_id=profile_id, day=day, next_morning=0)
    if kind is ExerciseSession:
        return ExerciseSession(profile_id=profile_id, day=day, exercise="squat", sets=0)
    if kind is MovementCheck:
        return MovementCheck(profile_id=profile_id, created_at=datetime(2024, 3, 2, tzinfo=UTC), squat="photo",
                             figures={})
    return SavedAssessment(
        profile_id=profile_id,
        created_at=datetime(2024, 3, 2, tzinfo=UTC),
        kind="reassessment",
        answers={},
        result={"weak_links": []},
    )


def changed(record: LogRecord) -> dict[str, Any]:
    """New values for every changeable field of a stored record (some set to None)."""
    if isinstance(record, Run):
        return {
            "day": date(2023, 12, 31),
            "km": 42.195,
            "minutes": 239.9,
            "effort": None,
            "fast_minutes": 0.0,
            "source": "manual",
            "started_at": None,
            "avg_hr": None,
        }
    if isinstance(record, CheckIn):
        return {"day": date(2024, 2, 29), "during": None, "next_morning": 10}
    if isinstance(record, ExerciseSession):
        return {
            "day": date(2024, 2, 29),
            "exercise": "step-down",
            "sets": 4,
            "reps": 12,
            "seconds": None,
            "load": None,
            "pain": None,
        }
    if isinstance(record, MovementCheck):
        return {"created_at": datetime(2025, 1, 1, tzinfo=UTC), "squat": "two_leg", "fppa_left": None,
                "fppa_right": 12.5, "figures": {"x": [1.5]}}
    return {
        "created_at": datetime(2025, 1, 1, 23, 59, 59, 999999, tzinfo=UTC),
        "kind": "reassessment",
        "answers": {"nested": [[1, 2], {"a": [None, True]}]},
        "result": {},
    }


KINDS = [Run, CheckIn, ExerciseSession, SavedAssessment, MovementCheck]
kinds = pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.__name__)


def stored(store: SqlStore, table: sa.Table, profile_id: str) -> int:
    """Rows of ``table`` that belong to ``profile_id``, counted in the database itself."""
    with store.engine.connect() as conn:
        return conn.scalar(sa.select(sa.func.count()).select_from(table).where(table.c.profile_id == profile_id))


# profiles


def test_profile_create_find_and_unit(store: SqlStore):
    before = datetime.now(UTC)
    made = store.create_profile("hash-a", unit="mi", event="Berlin marathon")
    assert len(made.id) == 32 and int(made.id, 16) >= 0
    assert made.created_at.tzinfo is not None and before <= made.created_at <= datetime.now(UTC)

    found = store.profile_by_token_hash("hash-a")
    assert found == made
    assert found.created_at.utcoffset() == timedelta(0)
    assert store.profile_by_token_hash("hash-b") is None

    store.set_unit(made.id, "km")
    assert store.profile_by_token_hash("hash-a").unit == "km"
    assert store.create_profile("hash-b").id != made.id
    assert store.profile_by_token_hash("hash-b").event is None


def test_unknown_profile(store: SqlStore):
    with pytest.raises(NotFound):
        store.set_unit("0" * 32, "mi")
    with pytest.raises(NotFound):
        store.add(full(Run, "0" * 32))
    store.delete_profile("0" * 32)  # already gone: nothing to do


def test_token_hash_is_unique(store: SqlStore):
    store.create_profile("same")
    with pytest.raises(StorageError) as caught:
        store.create_profile("same")
    assert "INSERT" not in str(caught.value) and isinstance(caught.value.__cause__, sa.exc.IntegrityError)


def test_delete_profile_deletes_everything_in_it(store: SqlStore):
    gone = store.create_profile("gone")
    kept = store.create_profile("kept")
    for kind in KINDS:
        for profile in (gone, kept):
            store.add(full(kind, profile.id))
            store.add(sparse(kind, profile.id))

    store.delete_profile(gone.id)

    assert store.profile_by_token_hash("gone") is None
    for kind in KINDS:
        assert store.list_records(kind, gone.id) == []
        assert stored(store, TABLES[kind], gone.id) == 0
        assert len(store.list_records(kind, kept.id)) == 2
    assert store.profile_by_token_hash("kept").id == kept.id


# the four logs


@kinds
def test_every_write_to_a_profile_raises_its_revision_and_only_its_own(store: SqlStore, kind: type[LogRecord]):
    """The log and progress pages cache what they draw per (profile, revision): a write that did not raise the
    revision would leave a runner looking at a chart without the run they have just logged."""
    mine = store.create_profile("mine")
    store.create_profile("other")
    assert mine.revision == 0

    def revisions() -> tuple[int, int]:
        return store.profile_by_token_hash("mine").revision, store.profile_by_token_hash("other").revision

    seen = [revisions()]
    added = store.add(full(kind, mine.id))
    seen.append(revisions())
    store.update(added.model_copy(update=changed(added)))
    seen.append(revisions())
    store.delete(kind, mine.id, added.id)
    seen.append(revisions())
    store.set_unit(mine.id, "mi")
    seen.append(revisions())
    assert [m for m, _ in seen] == sorted(set(m for m, _ in seen)), seen  # rose at every write
    assert {o for _, o in seen} == {0}  # the other runner's profile was not touched

    with pytest.raises(NotFound):  # a refused write changes nothing
        store.delete(kind, mine.id, added.id)
    assert revisions() == seen[-1]


@kinds
def test_add_list_update_delete_round_trip(store: SqlStore, kind: type[LogRecord]):
    pid = store.create_profile("t").id
    first, second = full(kind, pid), sparse(kind, pid)

    a = store.add(first)
    b = store.add(second)
    assert a.id is not None and b.id is not None and a.id != b.id
    assert first.id is None  # add returns a copy
    assert a == first.model_copy(update={"id": a.id})
    assert store.list_records(kind, pid) == [a, b]  # every value back exactly: dates, floats, None, JSON

    new = a.model_copy(update=changed(a))
    assert store.update(new) == new
    assert sorted(store.list_records(kind, pid), key=lambda r: r.id) == [new, b]

    store.delete(kind, pid, a.id)
    assert store.list_records(kind, pid) == [b]
    with pytest.raises(NotFound):
        store.delete(kind, pid, a.id)
    with pytest.raises(NotFound):
        store.update(new)


def test_datetimes_come_back_as_the_same_instant_in_utc(store: SqlStore):
    pid = store.create_profile("t").id
    run = store.add(full(Run, pid))
    assessment = store.add(full(SavedAssessment, pid))
    [back_run] = store.list_records(Run, pid)
    [back_assessment] = store.list_records(SavedAssessment, pid)
    for sent, back in ((run.started_at, back_run.started_at), (assessment.created_at, back_assessment.created_at)):
        assert back == sent and back.utcoffset() == timedelta(0) and back.microsecond == 123456


def test_naive_datetimes_are_taken_as_utc(store: SqlStore):
    pid = store.create_profile("t").id
    store.add(full(Run, pid).model_copy(update={"started_at": datetime(2024, 3, 1, 7, 0)}))
    assert store.list_records(Run, pid)[0].started_at == datetime(2024, 3, 1, 7, 0, tzinfo=UTC)


@kinds
def test_lists_are_oldest_first(store: SqlStore, kind: type[LogRecord]):
    pid = store.create_profile("t").id
    days = [date(2024, 5, 3), date(2024, 5, 1), date(2024, 5, 2), date(2024, 5, 1)]
    added = []
    for day in days:
        record = sparse(kind, pid, day)
        if kind in (SavedAssessment, MovementCheck):
            record = record.model_copy(update={"created_at": datetime.combine(day, datetime.min.time(), UTC)})
        added.append(store.add(record))
    expected = [added[1], added[3], added[2], added[0]]  # by day, then by id
    assert [r.id for r in store.list_records(kind, pid)] == [r.id for r in expected]


@kinds
def test_another_runners_records_cannot_be_changed_or_deleted(store: SqlStore, kind: type[LogRecord]):
    mine = store.create_profile("mine").id
    theirs = store.create_profile("theirs").id
    record = store.add(full(kind, mine))

    with pytest.raises(NotFound):
        store.update(record.model_copy(update={**changed(record), "profile_id": theirs}))
    with pytest.raises(NotFound):
        store.delete(kind, theirs, record.id)
    with pytest.raises(NotFound):
        store.update(record.model_copy(update={"id": record.id + 1000}))
    with pytest.raises(NotFound):
        store.update(record.model_copy(update={"id": None}))

    assert store.list_records(kind, mine) == [record]
    assert store.list_records(kind, theirs) == []


def test_add_refuses_a_record_that_has_an_id(store: SqlStore):
    pid = store.create_profile("t").id
    run = store.add(full(Run, pid))
    with pytest.raises(ValueError):
        store.add(run)


# processes and threads


def test_two_stores_on_one_database_see_each_others_writes(open_store: Callable[[], SqlStore]):
    one, two = open_store(), open_store()  # like two app processes
    profile = one.create_profile("shared")
    assert two.profile_by_token_hash("shared") == profile
    run = two.add(full(Run, profile.id))
    assert one.list_records(Run, profile.id) == [run]
    one.set_unit(profile.id, "mi")
    assert two.profile_by_token_hash("shared").unit == "mi"
    two.delete(Run, profile.id, run.id)
    assert one.list_records(Run, profile.id) == []


def test_threads_writing_at_once(store: SqlStore):
    pid = store.create_profile("busy").id
    errors: list[BaseException] = []
    start = threading.Barrier(8)

    def write(n: int) -> None:
        try:
            start.wait()
            for i in range(25):
                store.add(Run(profile_id=pid, day=date(2024, 1, 1) + timedelta(days=i), km=n + 1, minutes=i + 1))
        except BaseException as e:  # noqa: BLE001 - reported below
            errors.append(e)

    threads = [threading.Thread(target=write, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not any(t.is_alive() for t in threads), "a thread is stuck"

    assert errors == []
    runs = store.list_records(Run, pid)
    assert len(runs) == 200 and len({r.id for r in runs}) == 200


# errors


def test_unreachable_postgres_is_a_storage_error_within_seconds():
    started = datetime.now(UTC)
    with pytest.raises(StorageError) as caught:
        SqlStore("postgresql+psycopg://postgres@127.0.0.1:1/test?connect_timeout=3")
    assert datetime.now(UTC) - started < timedelta(seconds=5)
    assert "SELECT" not in str(caught.value) and "127.0.0.1" not in str(caught.value)
    assert isinstance(caught.value.__cause__, sa.exc.OperationalError)


def test_sqlite_folder_that_cannot_be_created_is_a_storage_error(tmp_path):
    (tmp_path / "a-file").write_text("")
    with pytest.raises(StorageError):
        SqlStore(f"sqlite:///{tmp_path / 'a-file' / 'var' / 'kneeassess.db'}")


def test_sqlite_file_that_cannot_be_opened_is_a_storage_error(tmp_path):
    (tmp_path / "kneeassess.db").mkdir()
    with pytest.raises(StorageError) as caught:
        SqlStore(f"sqlite:///{tmp_path / 'kneeassess.db'}")
    assert isinstance(caught.value.__cause__, sa.exc.OperationalError)


def test_sqlite_runs_in_wal_mode_with_a_busy_timeout_and_foreign_keys(tmp_path):
    store = SqlStore(f"sqlite:///{tmp_path / 'var' / 'kneeassess.db'}")  # the folder is created
    try:
        with store.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 5000  # the lock timeout: 5 s
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    finally:
        store.close()


def test_sqlite_in_memory_is_refused():
    with pytest.raises(ValueError):
        SqlStore("sqlite://")
