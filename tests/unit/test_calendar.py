"""The plan as an iCalendar file: one event per session, RFC 5545 lines, escaping, time zones."""

from __future__ import annotations

import re
from datetime import date, datetime, time
from pathlib import Path

import pytest

from kneeassess.reports import plan_ics
from kneeassess.reports.calendar import escape_text, fold, session_days
from kneeassess.screening import assess
from tests.factories import HIP_RUNNER

CREATED = date(2025, 11, 24)  # a Monday


@pytest.fixture(scope="module")
def hip():
    return assess(HIP_RUNNER)


# --------------------------------------------------------------------------------------------------- iCalendar


def unfold(raw: bytes) -> list[str]:
    """Content lines: CRLF + space continuations joined (RFC 5545 §3.1)."""
    return raw.decode("utf-8").replace("\r\n ", "").split("\r\n")[:-1]


def parse(raw: bytes) -> dict:
    """A tiny iCalendar reader: the calendar's properties and its events, each with properties and alarms."""
    cal: dict = {"props": {}, "events": []}
    stack: list[dict] = [cal]
    lines = unfold(raw)
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-1] == "END:VCALENDAR"
    for line in lines[1:-1]:
        name, _, value = line.partition(":")
        if name == "BEGIN":
            node = {"type": value, "props": {}, "alarms": []}
            if value == "VEVENT":
                cal["events"].append(node)
            elif value == "VALARM":
                stack[-1]["alarms"].append(node)
            stack.append(node)
        elif name == "END":
            stack.pop()
        else:
            stack[-1]["props"][name] = value
    assert len(stack) == 1, "unbalanced BEGIN/END"
    return cal


def unescape(value: str) -> str:
    return re.sub(r"\\([\\;,nN])", lambda m: "\n" if m.group(1) in "nN" else m.group(1), value)


@pytest.fixture(scope="module")
def ics(hip) -> bytes:
    return plan_ics(hip.plan, CREATED, 3, clinic_name="ReSync Physiotherapy")


def test_ics_has_one_event_per_session_on_mon_wed_fri(ics, hip):
    cal = parse(ics)
    assert cal["props"]["VERSION"] == "2.0" and cal["props"]["PRODID"]
    events = cal["events"]
    assert len(events) == 3
    starts = [datetime.strptime(e["props"]["DTSTART"], "%Y%m%dT%H%M%SZ") for e in events]
    assert [s.strftime("%a") for s in starts] == ["Mon", "Wed", "Fri"]
    assert [s.date() for s in starts] == [date(2025, 11, 24), date(2025, 11, 26), date(2025, 11, 28)]
    assert all(s.time() == time(18, 0) for s in starts)  # 18:00 in London is 18:00 UTC in November
    for e in events:
        p = e["props"]
        assert p["SUMMARY"] == f"Knee exercises ({len(hip.plan)} exercises)"
        assert re.fullmatch(r"[0-9a-f-]{36}@kneeassess", p["UID"])
        assert re.fullmatch(r"\d{8}T\d{6}Z", p["DTSTAMP"])
        assert p["DTEND"] > p["DTSTART"]
        desc = unescape(p["DESCRIPTION"])
        assert "• Side plank: 25 s hold, 10 s rest, × 5 each side (level 1)" in desc
        assert "\n• Floor reach: 12 × 3, bodyweight or a light weight (the clinic's addition) (level 1)" in desc
        assert "Never push through pain above 5/10" in desc
        assert e["alarms"] and e["alarms"][0]["props"]["TRIGGER"] == "-PT30M"
        assert e["alarms"][0]["props"]["ACTION"] == "DISPLAY"
    assert len({e["props"]["UID"] for e in events}) == 3


def test_ics_uses_crlf_and_folds_at_75_octets(ics):
    assert ics.endswith(b"\r\n")
    assert b"\n" not in ics.replace(b"\r\n", b"")
    physical = ics.split(b"\r\n")[:-1]
    assert all(len(line) <= 75 for line in physical)
    assert any(line.startswith(b" ") for line in physical), "the description is long enough to be folded"
    for line in physical:
        line.decode("utf-8")  # no line ends in the middle of a character


def test_ics_escapes_text(hip):
    raw = plan_ics(hip.plan, CREATED, 1, clinic_name="Smith; Jones, Physio\\Co")
    lines = unfold(raw)
    assert "X-WR-CALNAME:Knee exercises (Smith\\; Jones\\, Physio\\\\Co)" in lines
    desc = next(v for v in lines if v.startswith("DESCRIPTION:Session"))
    assert "\\n" in desc and "\\," in desc and "\n" not in desc
    assert escape_text("a;b,c\\d\ne") == "a\\;b\\,c\\\\d\\ne"


def test_ics_times_follow_the_time_zone(hip):
    summer = plan_ics(hip.plan, date(2025, 6, 2), 2, time=time(7, 30), tz="Europe/London", clinic_name="X")
    starts = [e["props"]["DTSTART"] for e in parse(summer)["events"]]
    assert starts == ["20250602T063000Z", "20250605T063000Z"]  # BST is UTC+1


def test_fold_keeps_multibyte_characters_whole():
    line = "DESCRIPTION:" + "× – é " * 40
    folded = fold(line)
    parts = folded.split(b"\r\n")[:-1]
    assert all(len(p) <= 75 for p in parts)
    assert b"".join(p[1:] if i else p for i, p in enumerate(parts)).decode("utf-8") == line


def test_session_days_spread_and_limits(hip):
    for n in range(1, 8):
        days = session_days(CREATED, n)
        assert len(set(days)) == n and all(0 <= (d - CREATED).days < 7 for d in days)
    with pytest.raises(ValueError):
        session_days(CREATED, 0)
    with pytest.raises(ValueError):
        plan_ics([], CREATED, 3, clinic_name="X")


def test_calendar_module_needs_no_streamlit():
    src = Path(__file__).resolve().parents[2] / "kneeassess" / "reports"
    assert all("streamlit" not in p.read_text() for p in src.glob("*.py"))


def test_ics_carries_the_standing_warning_for_a_see_clinician_flag():
    a = assess(HIP_RUNNER | {"rf_giving_way": True})
    warned = parse(plan_ics(a.plan, CREATED, 3, clinic_name="ReSync Physiotherapy", warning="See a physio first."))
    plain = parse(plan_ics(a.plan, CREATED, 3, clinic_name="ReSync Physiotherapy"))
    assert all(unescape(e["props"]["DESCRIPTION"]).startswith("See a physio first.") for e in warned["events"])
    assert not any("See a physio" in unescape(e["props"]["DESCRIPTION"]) for e in plain["events"])
