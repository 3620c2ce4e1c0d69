"""Logging runs, pain check-ins and exercise sessions, with plain messages for bad input."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, TypeVar

from pydantic import ValidationError

from kneeassess.answers import KM_PER_MILE
from kneeassess.errors import FieldProblems, problems_from, sentence
from kneeassess.records import CheckIn, ExerciseSession, Profile, Record, Run, Unit
from kneeassess.storage import Store

R = TypeVar("R", bound=Record)

MORNING_ASK_DAYS = 3  # ask for a missing next-morning rating for runs up to this many days ago


class LogProblems(FieldProblems):
    """A run, pain check-in or exercise session cannot be saved: field -> message, shown next to the form's fields."""


def _build(kind: type[R], values: dict[str, Any]) -> R:
    try:
        return kind(**values)
    except ValidationError as exc:
        raise LogProblems(FieldProblems.of(problems_from(exc, message=lambda e: sentence(e["msg"])))) from None


def _not_future(day: date, today: date) -> None:
    if day > today + timedelta(days=1):  # a day's slack for time zones
        raise LogProblems({"day": "That date is in the future."})


def to_km(distance: float, unit: Unit) -> float:
    return round(distance * KM_PER_MILE, 3) if unit == "mi" else float(distance)


def record_run(
    store: Store, profile: Profile, *, day: date, distance: float | None, minutes: float | None,
    effort: int | None = None, fast_minutes: float | None = 0, unit: Unit = "km", run_id: int | None = None,
    today: date | None = None,
) -> Run:
    _not_future(day, today or date.today())
    if distance is None or minutes is None:
        raise LogProblems({k: "Please fill this in." for k, v in (("km", distance), ("minutes", minutes)) if v is None})
    run = _build(Run, dict(
        id=run_id, profile_id=profile.id, day=day, km=to_km(distance, unit), minutes=minutes,
        effort=effort, fast_minutes=fast_minutes or 0,
    ))
    return store.update(run) if run_id else store.add(run)


def record_checkin(
    store: Store, profile: Profile, *, day: date, during: int | None, next_morning: int | None,
    checkin_id: int | None = None, today: date | None = None,
) -> CheckIn:
    _not_future(day, today or date.today())
    with store.transaction():  # the read and the write that depends on it: one transaction
        if checkin_id is None:  # one check-in per run day: fill in the existing one
            for c in store.list_records(CheckIn, profile.id):
                if c.day == day:
                    checkin_id = c.id
                    during = c.during if during is None else during
                    next_morning = c.next_morning if next_morning is None else next_morning
        checkin = _build(CheckIn, dict(
            id=checkin_id, profile_id=profile.id, day=day, during=during, next_morning=next_morning
        ))
        return store.update(checkin) if checkin_id else store.add(checkin)


def record_session(
    store: Store, profile: Profile, *, day: date, exercise: str, sets: int | None, reps: int | None = None,
    seconds: int | None = None, load: str | None = None, pain: int | None = None, session_id: int | None = None,
    today: date | None = None,
) -> ExerciseSession:
    _not_future(day, today or date.today())
    session = _build(ExerciseSession, dict(
        id=session_id, profile_id=profile.id, day=day, exercise=exercise, sets=sets, reps=reps,
        seconds=seconds, load=(load or "").strip() or None, pain=pain,
    ))
    return store.update(session) if session_id else store.add(session)


@dataclass(frozen=True)
class ExerciseDone:
    """One exercise of a session, as done."""

    exercise: str
    sets: int | None
    reps: int | None = None
    seconds: int | None = None
    load: str | None = None


def record_sessions(
    store: Store, profile: Profile, done: Sequence[ExerciseDone], *, day: date, pain: int | None,
    today: date | None = None,
) -> list[ExerciseSession]:
    """Log a session's exercises in one transaction: when one cannot be saved, none is, so trying again never logs
    an exercise twice."""
    with store.transaction():
        return [
            record_session(store, profile, day=day, exercise=d.exercise, sets=d.sets, reps=d.reps, seconds=d.seconds,
                           load=d.load, pain=pain, today=today)
            for d in done
        ]


def remove(store: Store, profile: Profile, kind: type[Record], record_id: int) -> None:
    store.delete(kind, profile.id, record_id)


def pending_morning(runs: list[Run], checkins: list[CheckIn], today: date) -> date | None:
    """The latest recent run day before today without a next-morning rating: ask for it now."""
    rated = {c.day for c in checkins if c.next_morning is not None}
    for run in sorted(runs, key=lambda r: r.day, reverse=True):
        if run.day < today and (today - run.day).days <= MORNING_ASK_DAYS and run.day not in rated:
            return run.day
    return None


def weekly_km_from_runs(runs: list[Run], today: date) -> dict[str, float]:
    """The screening's km_week_0..3 from logged runs: the last 7 days and each of the three weeks before."""
    out = {}
    for i in range(4):
        end = today - timedelta(days=7 * i)
        start = end - timedelta(days=6)
        out[f"km_week_{i}"] = round(sum(r.km for r in runs if start <= r.day <= end), 2)
    return out
