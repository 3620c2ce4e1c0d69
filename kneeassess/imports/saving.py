"""Imported runs into a profile's log: the Run record, the duplicate rule, saving without doubles."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from kneeassess.imports.model import ImportedRun, ImportResult, as_utc
from kneeassess.records import Profile, Run
from kneeassess.storage import Store

SAME_START_S = 60
SAME_DISTANCE = 0.02
SOURCE_CHARS = 40  # the runs table's source column


def same_run(a_start: datetime, a_km: float, b_start: datetime, b_km: float) -> bool:
    """Start within 60 s and distance within 2%: one run, whichever file or device it came from."""
    if abs((as_utc(a_start) - as_utc(b_start)).total_seconds()) > SAME_START_S:
        return False
    return abs(a_km - b_km) <= SAME_DISTANCE * max(a_km, b_km)


def short_source(source: str) -> str:
    """The file's own name (``15800188163.fit.gz``, ``activities.csv#15800059865``), cut to fit the column."""
    name = source.rsplit(":", 1)[-1].replace("\\", "/").rstrip("/").rsplit("/", 1)[-1] or source
    return name if len(name) <= SOURCE_CHARS else name[: SOURCE_CHARS - 1] + "…"


def to_run(r: ImportedRun, profile_id: str) -> Run:
    """The Run to store. ``day`` is the local date when the file says the offset (FIT), else the UTC date;
    ``minutes`` is the moving time; no speed data (``fast_minutes`` None) is stored as 0."""
    minutes = round(r.moving_s / 60, 2)
    return Run(
        profile_id=profile_id,
        day=r.day,
        km=round(r.distance_km, 3),
        minutes=minutes,
        fast_minutes=min(round(r.fast_minutes or 0, 2), minutes),
        source=short_source(r.source),
        started_at=r.start,
        avg_hr=r.avg_hr,
    )


def _slot(start: datetime) -> int:
    return math.floor(as_utc(start).timestamp() / SAME_START_S)


class StartIndex:
    """Runs bucketed by the minute they started, so finding the same run looks at 3 buckets, not every run:
    building it is O(n) and each look-up O(1) on average (an import of n runs against m in the log is O(n + m),
    not O(n * m))."""

    def __init__(self, runs: Iterable[tuple[datetime, float]] = ()) -> None:
        self._runs: list[tuple[datetime, float]] = []
        self._slots: defaultdict[int, list[int]] = defaultdict(list)
        for start, km in runs:
            self.add(start, km)

    def add(self, start: datetime, km: float) -> int:
        self._runs.append((start, km))
        self._slots[_slot(start)].append(len(self._runs) - 1)
        return len(self._runs) - 1

    def replace(self, i: int, start: datetime, km: float) -> None:
        self._slots[_slot(self._runs[i][0])].remove(i)
        self._runs[i] = (start, km)
        self._slots[_slot(start)].append(i)

    def first_match(self, start: datetime, km: float) -> int | None:
        """The earliest added run that is :func:`same_run` as this one, by its position; None if none."""
        slot = _slot(start)
        found = [
            i for s in (slot - 1, slot, slot + 1) for i in self._slots.get(s, ())
            if same_run(self._runs[i][0], self._runs[i][1], start, km)
        ]
        return min(found) if found else None

    @classmethod
    def of_log(cls, existing: Sequence[Run]) -> StartIndex:
        """The imported runs of a profile's log (runs logged by hand have no start time and never match)."""
        return cls((e.started_at, e.km) for e in existing if e.started_at is not None)


def is_duplicate(r: ImportedRun, existing: Sequence[Run] | StartIndex) -> bool:
    """Already in the log: an imported run (it has ``started_at``) with the same start and distance.
    Runs logged by hand have no start time and never match. Give a :class:`StartIndex` when checking many."""
    index = existing if isinstance(existing, StartIndex) else StartIndex.of_log(existing)
    return index.first_match(r.start, r.distance_km) is not None


def _clock(seconds: float) -> str:
    s = round(seconds)
    return f"{s // 3600}:{s % 3600 // 60:02d}:{s % 60:02d}" if s >= 3600 else f"{s // 60}:{s % 60:02d}"


def preview_rows(result: ImportResult, existing: list[Run] | None = None) -> list[dict[str, Any]]:
    """One row per run for the preview table, in km: date, km, time, pace, heart rate, fast minutes, status.

    ``status`` is "already in your log" for a duplicate of ``existing`` (the profile's runs), else "new".
    ``fast_min`` is None when the run has no speed data (it is saved as 0; ``note`` says so)."""
    rows = []
    index = StartIndex.of_log(existing or [])
    for r in result.runs:
        rows.append({
            "date": r.day,
            "km": round(r.distance_km, 2),
            "time": _clock(r.moving_s),
            "pace_per_km": _clock(r.pace_s_per_km),
            "avg_hr": r.avg_hr,
            "fast_min": r.fast_minutes,
            "status": "already in your log" if is_duplicate(r, index) else "new",
            "note": r.note or "",
            "source": r.source,
        })
    return rows


def unique_runs(runs: list[ImportedRun]) -> tuple[list[ImportedRun], list[tuple[ImportedRun, ImportedRun]]]:
    """The batch without doubles, by start; and (dropped, kept) pairs. Of two, the one with speed data stays
    (an activity file rather than its activities.csv row)."""
    kept: list[ImportedRun] = []
    dropped: list[tuple[ImportedRun, ImportedRun]] = []
    index = StartIndex()
    for run in sorted(runs, key=lambda r: r.start):
        i = index.first_match(run.start, run.distance_km)
        if i is None:
            kept.append(run)
            index.add(run.start, run.distance_km)
            continue
        twin = kept[i]
        if twin.fast_minutes is None and run.fast_minutes is not None:
            kept[i] = run
            index.replace(i, run.start, run.distance_km)
            dropped.append((twin, run))
        else:
            dropped.append((run, twin))
    return kept, dropped


def save_runs(store: Store, profile: Profile, result: ImportResult) -> tuple[int, int]:
    """Save the result's runs to the profile: (saved, duplicates). Duplicates are runs already in the profile
    and doubles within the batch; nothing is saved twice, so importing the same files again saves 0. One
    transaction: all the new runs are saved, or (on a failure) none."""
    with store.transaction():
        index = StartIndex.of_log(store.list_records(Run, profile.id))
        runs, dropped = unique_runs(result.runs)
        new: list[ImportedRun] = []
        for r in runs:
            if not is_duplicate(r, index):
                new.append(r)
                index.add(r.start, r.distance_km)
        store.add_many([to_run(r, profile.id) for r in new])
    return len(new), len(dropped) + len(runs) - len(new)
