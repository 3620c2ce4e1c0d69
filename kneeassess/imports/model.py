"""What the importers hand each other: one activity as a parser read it, and the results the UI shows."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

MIN_RUN_M = 100  # shorter than this is a mis-started recording, not a run


class FileProblem(Exception):
    """A file (or archive entry) that cannot be imported; the message is shown to the runner as it is."""


class NotARun(Exception):
    """A readable file that holds no run (a ride, a waypoint file...); the message is the reason shown."""


@dataclass
class Sample:
    """One point of an activity's stream. Any value but the time may be missing."""

    time: datetime  # aware, UTC
    distance_m: float | None = None
    speed_mps: float | None = None
    heart_rate: int | None = None


@dataclass
class Activity:
    """One activity as read from a file or a CSV row, before it is judged a run and summarised."""

    source: str
    sport: str | None  # the file's own words ("running", "Run", "Lauf"...); None: the file does not say
    start: datetime | None  # aware, UTC
    distance_m: float | None = None
    timer_s: float | None = None  # the file's timer or moving time
    elapsed_s: float | None = None
    avg_hr: float | None = None
    samples: list[Sample] = field(default_factory=list)
    utc_offset_s: int | None = None  # local time minus UTC, when the file says (FIT's local_timestamp)
    damage: str | None = None  # set when the file is damaged and only its readable part is used
    note: str | None = None  # anything else the runner should know (an assumed unit...)
    filename: str | None = None  # Strava CSV: the activity file the row refers to
    from_csv: bool = False


@dataclass
class ImportedRun:
    source: str
    start: datetime  # aware, UTC
    distance_km: float
    moving_s: float
    elapsed_s: float | None
    avg_hr: int | None
    fast_minutes: float | None  # None: no usable speed data (saved as 0)
    sport: str  # "run", "trail run", "treadmill run", "virtual run"
    note: str | None = None
    utc_offset_s: int | None = None  # known for FIT files (local time - UTC); None elsewhere

    @property
    def day(self) -> date:
        """The run's date: local when the file gives the local offset (FIT), else the UTC date."""
        return (self.start + timedelta(seconds=self.utc_offset_s or 0)).date()

    @property
    def pace_s_per_km(self) -> float:
        return self.moving_s / self.distance_km if self.distance_km > 0 else 0.0


@dataclass
class Skipped:
    source: str
    reason: str


@dataclass
class ImportError_:  # noqa: N801 - the name the UI was promised; ImportError is a builtin
    source: str
    error: str


@dataclass
class ImportResult:
    runs: list[ImportedRun] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    errors: list[ImportError_] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """The machine interface's shape (``python -m kneeassess import --dry-run``)."""
        return {
            "runs": [
                {
                    "source": r.source,
                    "start": r.start.astimezone(UTC).isoformat(),
                    "distance_km": round(r.distance_km, 3),
                    "moving_s": round(r.moving_s, 1),
                    "avg_hr": r.avg_hr,
                    "fast_minutes": r.fast_minutes,
                    "note": r.note,
                }
                for r in self.runs
            ],
            "skipped": [{"source": s.source, "reason": s.reason} for s in self.skipped],
            "errors": [{"source": e.source, "error": e.error} for e in self.errors],
        }


def as_utc(value: datetime) -> datetime:
    """Files without a zone (GPX/TCX written carelessly) are read as UTC, which is what the formats specify."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


# --- which sports are runs -------------------------------------------------------------------------------------

_RUN_WORDS = {
    # English: Strava activity types, TCX's Sport attribute, GPX <type> words
    "run", "running", "trail run", "trail running", "virtual run", "virtual running", "virtualrun",
    "treadmill", "treadmill run", "treadmill running", "indoor run", "indoor running", "track run", "track running",
    "road run", "road running", "trailrun",
    # German Strava export (Aktivitätsart): "Lauf", "Traillauf", "Virtueller Lauf" as seen in projects reading
    # real German exports; "Laufen"/"Trailrun" from Strava's German app; "Laufband" is a guess
    "lauf", "laufen", "traillauf", "virtueller lauf", "laufband", "laufbandlauf",
}


def _words(sport: str) -> str:
    return re.sub(r"[\s_\-/]+", " ", sport.strip().casefold()).strip()


def run_kind(sport: str | None) -> str | None:
    """"run", "trail run", "treadmill run" or "virtual run" for a running sport; None for anything else."""
    if not sport:
        return None
    words = _words(sport)
    # FIT files say "running" plus a sub-sport ("running trail", "running treadmill", "running generic")
    if words not in _RUN_WORDS and words.split(" ")[0] != "running":
        return None
    if "trail" in words:
        return "trail run"
    if any(w in words for w in ("treadmill", "laufband", "indoor")):
        return "treadmill run"
    if "virtu" in words:
        return "virtual run"
    return "run"
