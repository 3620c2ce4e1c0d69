"""Imported runs into a profile's log: the Run record, the duplicate rule, saving without doubles."""

from __future__ import annotations

from datetime import datetime
from pathlib import PurePosixPath
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
    name = PurePosixPath(source.rsplit(":", 1)[-1].replace("\\", "/")).name or source
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


def is_duplicate(r: ImportedRun, existing: list[Run]) -> bool:
    """Already in the log: an imported run (it has ``started_at``) with the same start and distance.
    Runs logged by hand have no start time and never match."""
    return any(
        e.started_at is not None and same_run(e.started_at, e.km, r.start, r.distance_km) for e in existing
    )


def _clock(seconds: float) -> str:
    s = round(seconds)
    return f"{s // 3600}:{s % 3600 // 60:02d}:{s % 60:02d}" if s >= 3600 else f"{s // 60}:{s % 60:02d}"


def preview_rows(result: ImportResult, existing: list[Run] | None = None) -> list[dict[str, Any]]:
    """One row per run for the preview table, in km: date, km, time, pace, heart rate, fast minutes, status.

    ``status`` is "already in your log" for a duplicate of ``existing`` (the profile's runs), else "new".
    ``fast_min`` is None when the run has no speed data (it is saved as 0; ``note`` says so)."""
    rows = []
    for r in result.runs:
        rows.append({
            "date": r.day,
            "km": round(r.distance_km, 2),
            "time": _clock(r.moving_s),
            "pace_per_km": _clock(r.pace_s_per_km),
            "avg_hr": r.avg_hr,
            "fast_min": r.fast_minutes,
            "status": "already in your log" if existing and is_duplicate(r, existing) else "new",
            "note": r.note or "",
            "source": r.source,
        })
    return rows


def unique_runs(runs: list[ImportedRun]) -> tuple[list[ImportedRun], list[tuple[ImportedRun, ImportedRun]]]:
    """The batch without doubles, by start; and (dropped, kept) pairs. Of two, the one with speed data stays
    (an activity file rather than its activities.csv row)."""
    kept: list[ImportedRun] = []
    dropped: list[tuple[ImportedRun, ImportedRun]] = []
    for run in sorted(runs, key=lambda r: r.start):
        twin = next((k for k in kept if same_run(k.start, k.distance_km, run.start, run.distance_km)), None)
        if twin is None:
            kept.append(run)
        elif twin.fast_minutes is None and run.fast_minutes is not None:
            kept[kept.index(twin)] = run
            dropped.append((twin, run))
        else:
            dropped.append((run, twin))
    return kept, dropped


def save_runs(store: Store, profile: Profile, result: ImportResult) -> tuple[int, int]:
    """Save the result's runs to the profile: (saved, duplicates). Duplicates are runs already in the profile
    and doubles within the batch; nothing is saved twice, so importing the same files again saves 0. One
    transaction: all the new runs are saved, or (on a failure) none."""
    with store.transaction():
        existing = [r for r in store.list_records(Run, profile.id) if r.started_at is not None]
        runs, dropped = unique_runs(result.runs)
        new: list[Run] = []
        for r in runs:
            if not is_duplicate(r, existing):
                new.append(to_run(r, profile.id))
                existing.append(new[-1])
        store.add_many(new)
    return len(new), len(dropped) + len(runs) - len(new)
