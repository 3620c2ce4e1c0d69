"""This week's plan as an iCalendar file (RFC 5545) that phones and calendar apps import.

Written by hand, it is small: one VEVENT per session, spread over the seven days from ``start`` (Mon/Wed/Fri for
three sessions from a Monday), each with the exercises and doses, a reminder 30 minutes before, and times in UTC
(converted from the runner's time zone), so no VTIMEZONE block is needed. Lines end in CRLF and are folded at 75
octets without splitting a UTF-8 character; text values are escaped.
"""

from __future__ import annotations

import math
import uuid
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from kneeassess.models import PlanItem

PRODID = "-//KneeAssess//Knee exercise plan//EN"
# Day offsets from the start date for n sessions a week: rest days in between where there is room.
SPREAD = {1: (0,), 2: (0, 3), 3: (0, 2, 4), 4: (0, 2, 4, 6), 5: (0, 1, 3, 4, 6), 6: (0, 1, 2, 3, 4, 5),
          7: (0, 1, 2, 3, 4, 5, 6)}
REMINDER_MINUTES = 30


def escape_text(value: str) -> str:
    """An RFC 5545 TEXT value: backslash, semicolon, comma and newlines escaped."""
    return (
        value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\r\n", "\\n").replace("\n", "\\n")
    )


def fold(line: str) -> bytes:
    """One content line, folded so that no physical line is longer than 75 octets (RFC 5545 §3.1)."""
    parts: list[bytes] = []
    current = b""
    for ch in line:
        b = ch.encode("utf-8")
        if len(current) + len(b) > 75:
            parts.append(current)
            current = b" "
        current += b
    parts.append(current)
    return b"\r\n".join(parts) + b"\r\n"


def _utc(dt: datetime) -> str:
    return dt.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def session_days(start: date, sessions_per_week: int) -> list[date]:
    """The dates of this week's sessions, starting on ``start``."""
    if sessions_per_week not in SPREAD:
        raise ValueError(f"sessions_per_week must be 1 to 7, not {sessions_per_week}")
    return [start + timedelta(days=d) for d in SPREAD[sessions_per_week]]


def session_minutes(plan: list[PlanItem]) -> int:
    """A rough length of one session: about 4 s a rep, the holds, and a minute's rest between sets."""
    seconds = 0.0
    for p in plan:
        sides = 2 if p.per_side else 1
        work = p.reps * 4 if p.reps else (p.seconds_max or p.seconds or 0)
        rest = p.rest_seconds if p.rest_seconds is not None else 60
        seconds += sides * p.sets * (work + rest)
    return max(15, min(60, 5 * math.ceil(seconds / 60 / 5)))


def _description(plan: list[PlanItem], n: int, total: int, clinic_name: str) -> str:
    lines = [f"Session {n} of {total} this week:"]
    lines += [f"• {p.name}: {p.dose} (level {p.level})" for p in plan]
    lines += [
        "",
        "Pain up to 5/10 is OK if it has settled by the next morning. Never push through pain above 5/10.",
        f"From {clinic_name}. A self-screening, not a diagnosis.",
    ]
    return "\n".join(lines)


def _warned(warning: str | None, text: str) -> str:
    return f"{warning}\n\n{text}" if warning else text


def plan_ics(plan: list[PlanItem], start: date, sessions_per_week: int, *, time: time = time(18, 0),
             tz: str = "Europe/London", clinic_name: str, minutes: int | None = None,
             now: datetime | None = None, warning: str | None = None) -> bytes:
    """This week's sessions as an .ics file: one event per session at ``time`` local time in ``tz``.

    ``warning``: the standing safety warning (a see_clinician flag), put first in every event's description.

    ``minutes`` sets the length of each event (default: estimated from the plan). Raises ValueError for an empty
    plan or a sessions count outside 1-7.
    """
    if not plan:
        raise ValueError("the plan has no exercises")
    zone = ZoneInfo(tz)
    days = session_days(start, sessions_per_week)
    length = timedelta(minutes=minutes or session_minutes(plan))
    stamp = _utc(now or datetime.now(UTC))
    count = len(plan)
    summary = f"Knee exercises ({count} exercise{'s' if count != 1 else ''})"
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(f'Knee exercises ({clinic_name})')}",
    ]
    for n, day in enumerate(days, 1):
        begin = datetime.combine(day, time, tzinfo=zone)
        lines += [
            "BEGIN:VEVENT",
            f"UID:{uuid.uuid4()}@kneeassess",
            f"DTSTAMP:{stamp}",
            f"DTSTART:{_utc(begin)}",
            f"DTEND:{_utc(begin + length)}",
            f"SUMMARY:{escape_text(summary)}",
            f"DESCRIPTION:{escape_text(_warned(warning, _description(plan, n, len(days), clinic_name)))}",
            "TRANSP:OPAQUE",
            "BEGIN:VALARM",
            "ACTION:DISPLAY",
            f"DESCRIPTION:{escape_text(summary)}",
            f"TRIGGER:-PT{REMINDER_MINUTES}M",
            "END:VALARM",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return b"".join(fold(line) for line in lines)
