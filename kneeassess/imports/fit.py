"""FIT activity files (Garmin, Coros, Wahoo, Suunto, the Strava app...), decoded with fitdecode.

One activity per session message (a triathlon file gives one per leg). Totals come from the session (timer
time, distance, average heart rate); the record messages give the stream (time, distance, speed, heart rate).

A file that breaks part-way is *damaged*. When its summary (session) was read before the break, the activity is
kept with a note saying so; otherwise the file is reported as an error. (The Strava Android app, for one,
writes the summary first and can crash while writing records.)
"""

from __future__ import annotations

import io
import struct
from datetime import datetime, timedelta
from typing import Any

import fitdecode

from kneeassess.imports.model import Activity, FileProblem, NotARun, Sample, as_utc

_MAX_OFFSET_S = 14 * 3600


def _values(frame: fitdecode.FitDataMessage) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for f in frame.fields:
        if f.value is not None and f.name not in out:
            out[f.name] = f.value
    return out


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _time(value: Any) -> datetime | None:
    return as_utc(value) if isinstance(value, datetime) else None


def _sample(v: dict[str, Any]) -> Sample | None:
    t = _time(v.get("timestamp"))
    if t is None:
        return None
    speed = _number(v.get("enhanced_speed", v.get("speed")))
    hr = v.get("heart_rate")
    return Sample(
        time=t,
        distance_m=_number(v.get("distance")),
        speed_mps=speed,
        heart_rate=int(hr) if isinstance(hr, int) and 20 <= hr <= 250 else None,
    )


def _sport(v: dict[str, Any]) -> str | None:
    sport, sub = v.get("sport"), v.get("sub_sport")
    if sport is None:
        return None
    words = str(sport)
    if sub is not None and str(sub) not in ("generic", "all", "0"):
        words += f" {sub}"
    return words


def _declared_length(data: bytes) -> int | None:
    if len(data) < 12:
        return None
    header_size = data[0]
    data_size: int = struct.unpack_from("<I", data, 4)[0]
    return header_size + data_size + 2


def _damage(exc: Exception, data: bytes) -> str:
    if isinstance(exc, fitdecode.FitEOFError):
        declared = _declared_length(data)
        expected = f" but its header announces {declared:,}" if declared and declared > len(data) else ""
        return f"the file is cut short: it has {len(data):,} bytes{expected} (an incomplete copy or download)"
    if isinstance(exc, fitdecode.FitCRCError):
        return "the file's checksum does not match its content"
    if isinstance(exc, fitdecode.FitParseError):
        return (
            f"the file is damaged from byte {exc.offset:,} of {len(data):,} "
            "(the recording app may have crashed while writing it)"
        )
    return f"the file could not be decoded to its end ({type(exc).__name__})"


def parse(data: bytes, source: str) -> list[Activity]:
    sessions: list[dict[str, Any]] = []
    laps: list[dict[str, Any]] = []
    samples: list[Sample] = []
    sport_msg: dict[str, Any] = {}
    file_type: Any = None
    offset: int | None = None
    damage: str | None = None
    messages = 0
    reader = fitdecode.FitReader(
        io.BytesIO(data), check_crc=fitdecode.CrcCheck.RAISE, error_handling=fitdecode.ErrorHandling.IGNORE
    )
    try:
        for frame in reader:
            if not isinstance(frame, fitdecode.FitDataMessage):
                continue
            messages += 1
            name, v = frame.name, _values(frame)
            if name == "record":
                s = _sample(v)
                if s:
                    samples.append(s)
            elif name == "session":
                sessions.append(v)
            elif name == "lap":
                laps.append(v)
            elif name == "sport":
                sport_msg = v
            elif name == "file_id" and file_type is None:
                file_type = v.get("type")
            elif name == "activity":
                offset = _utc_offset(v) if offset is None else offset
    except fitdecode.FitHeaderError as exc:
        if messages == 0:
            raise FileProblem(f"not a valid FIT file: {exc}") from None
        damage = _damage(exc, data)
    except (fitdecode.FitError, struct.error, ValueError, TypeError, IndexError, KeyError, OverflowError) as exc:
        if messages == 0:
            raise FileProblem(f"not a readable FIT file: {_damage(exc, data)}") from None
        damage = _damage(exc, data)

    if file_type is not None and str(file_type) != "activity":
        raise NotARun(f"a FIT '{file_type}' file, not a recorded activity")
    if damage and not sessions:
        raise FileProblem(f"{damage}; its summary could not be read, so nothing is imported")
    samples.sort(key=lambda s: s.time)
    if not sessions:
        if not samples:
            raise NotARun("no activity data in the file (no session and no records)")
        sport = _sport(sport_msg) or next((_sport(lap) for lap in laps if _sport(lap)), None)
        dist = [s.distance_m for s in samples if s.distance_m is not None]
        return [Activity(
            source=source, sport=sport, start=samples[0].time, distance_m=max(dist) if dist else None,
            elapsed_s=(samples[-1].time - samples[0].time).total_seconds(), samples=samples, utc_offset_s=offset,
        )]

    out = []
    for i, sess in enumerate(sessions):
        start = _time(sess.get("start_time")) or (samples[0].time if samples else None)
        if start is None:
            continue
        elapsed = _number(sess.get("total_elapsed_time"))
        timer = _number(sess.get("total_timer_time"))
        end = start + timedelta(seconds=(elapsed or timer or 0) + 60)
        if i + 1 < len(sessions):
            nxt = _time(sessions[i + 1].get("start_time"))
            end = min(end, nxt) if nxt else end
        mine = [s for s in samples if start - timedelta(seconds=60) <= s.time <= end]
        hr = _number(sess.get("avg_heart_rate"))
        out.append(Activity(
            source=source if len(sessions) == 1 else f"{source} (part {i + 1})",
            sport=_sport(sess) or _sport(sport_msg) or next((_sport(lap) for lap in laps if _sport(lap)), None),
            start=start,
            distance_m=_number(sess.get("total_distance")),
            timer_s=timer,
            elapsed_s=elapsed,
            avg_hr=hr if hr and hr > 0 else None,
            samples=mine,
            utc_offset_s=offset,
            damage=damage,
        ))
    if not out:
        raise FileProblem("the file's summary has no start time")
    return out


def _utc_offset(v: dict[str, Any]) -> int | None:
    ts, local = _time(v.get("timestamp")), _time(v.get("local_timestamp"))
    if ts is None or local is None:
        return None
    seconds = round((local - ts).total_seconds() / 900) * 900  # zones are whole quarter hours
    return seconds if abs(seconds) <= _MAX_OFFSET_S else None
