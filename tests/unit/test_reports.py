"""The plan as a PDF (runner's and clinician's) and as an iCalendar file."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from datetime import date, datetime, time
from pathlib import Path

import pytest
from pypdf import PdfReader

from kneeassess.content import clinic
from kneeassess.reports import plan_ics, plan_pdf
from kneeassess.reports.calendar import escape_text, fold, session_days
from kneeassess.reports.pdf import SECTION_TITLES
from kneeassess.screening import assess
from tests.conftest import missing_setup
from tests.factories import HIP_RUNNER

CREATED = date(2025, 11, 24)  # a Monday


@pytest.fixture(scope="module")
def hip():
    return assess(HIP_RUNNER)


@pytest.fixture(scope="module")
def runner_pdf(hip) -> bytes:
    return plan_pdf(hip, clinic(), created=CREATED)


def pages(pdf: bytes) -> list[str]:
    """The text of each page, whitespace collapsed."""
    return [" ".join((p.extract_text() or "").split()) for p in PdfReader(io.BytesIO(pdf)).pages]


def flat(pdf: bytes) -> str:
    return " ".join(pages(pdf))


# --------------------------------------------------------------------------------------------------- PDF


FURNITURE = 140  # characters of running header and footer on every page


def test_runner_pdf_has_its_four_sections_in_order_and_no_nearly_empty_page(runner_pdf):
    assert runner_pdf.startswith(b"%PDF")
    texts = pages(runner_pdf)
    assert len(texts) >= 3
    where = [next((i, t.index(title)) for i, t in enumerate(texts) if title in t) for title in SECTION_TITLES]
    assert where == sorted(where), where
    assert texts[0].index(SECTION_TITLES[0]) < 60  # the first heading opens the document
    for n, t in enumerate(texts[:-1], 1):  # a few lines spilling over start no page of their own
        assert len(t) - FURNITURE > 900, (n, len(t), t[:200])


def test_runner_pdf_says_what_the_assessment_found(runner_pdf, hip):
    text = flat(runner_pdf)
    assert "Safe to start with self-care" in text
    assert "Hip stabilisers" in text and "Likely weak link · 80/100" in text
    assert "+25 Knee drifted inwards in the single-leg squat (right)" in text
    assert "Knee score (Kujala)" in text and "95 / 100" in text
    assert "Your phase: Build strength" in text and hip.phase_reason in text
    assert "Side plank" in text and "25 s hold, 10 s rest, × 5 each side" in text
    assert "20–30 s hold × 3" in text  # en-dash and × print
    assert "Keep a straight line from knee to hip to shoulder on the back leg." in text  # a cue
    assert "0–2 out of 10" in text and "Above 5 out of 10" in text and "Never push through pain above 5/10" in text
    assert "Get medical help today" in text and "could not take four steps" in text
    assert hip.disclaimer in text


def test_every_page_has_the_footer(runner_pdf):
    texts = pages(runner_pdf)
    for n, t in enumerate(texts, 1):
        assert "Self-screening, not a diagnosis" in t
        assert f"Page {n} of {len(texts)}" in t
        assert "ReSync Physiotherapy" in t


def test_accented_clinic_name_round_trips_and_empty_contact_says_how_to_ask(hip):
    name = "Zoë Ó Súilleabháin – Łukasz × Physio"
    c = clinic().model_copy(update={"name": name, "phone": "", "email": "", "booking_url": "", "address": ""})
    text = flat(plan_pdf(hip, c, created=CREATED))
    assert name in text
    assert "not configured" not in text  # a runner is never told about the app's set-up
    assert "choose “Free consultation”" in text


def test_configured_contact_details_are_printed(hip):
    c = clinic().model_copy(update={"phone": "+353 1 234 5678", "email": "hello@example.ie",
                                    "booking_url": "https://example.ie/book"})
    text = flat(plan_pdf(hip, c, created=CREATED))
    assert "+353 1 234 5678" in text and "hello@example.ie" in text and "https://example.ie/book" in text
    assert "not configured" not in text


def test_urgent_pdf_gives_no_exercises(hip):
    a = assess(HIP_RUNNER | {"rf_hot_red_fever": True})
    text = flat(plan_pdf(a, clinic(), created=CREATED))
    assert "Get medical help today" in text and "infection in the joint" in text
    assert "No exercises for now" in text
    assert "25 s hold" not in text


def test_see_clinician_pdf_keeps_the_warning_with_the_exercises():
    a = assess(HIP_RUNNER | {"rf_giving_way": True})
    text = flat(plan_pdf(a, clinic(), created=CREATED))
    assert "See a physiotherapist or doctor before you rely on self-help" in text
    assert text.count("See a physiotherapist or doctor before you rely on self-help") >= 2, "on the exercises too"
    assert "Side plank" in text


def test_clinician_pdf_is_compact_with_load_figures_and_rule_sources(hip):
    pdf = plan_pdf(hip, clinic(), for_clinician=True, created=CREATED)
    texts = pages(pdf)
    assert 1 <= len(texts) <= 2
    text = " ".join(texts)
    assert "summary for a clinician" in text
    assert "Flags raised None" in text
    assert "95 / 100 (13 of 13 items answered)" in text
    assert "21 · 22 · 20 · 36" in text and "+71.4%" in text and "+80%" in text and "1.71" in text
    assert "big_jump" in text
    assert "[rule hip_sls_knee_in]" in text
    assert "Source: Single-leg squat quality reflects hip-abductor function (Crossley 2011)." in text
    assert "Phase build" in text and "Side plank level 1: 25 s hold, 10 s rest, × 5 each side" in text


def test_clinician_pdf_lists_red_flags_answered_yes():
    a = assess(HIP_RUNNER | {"rf_locking": True})
    text = flat(plan_pdf(a, clinic(), for_clinician=True, created=CREATED))
    assert "The knee locks or gets stuck and will not straighten [rf_locking, see_clinician]" in text


def test_clinician_pdf_names_the_answer_that_raised_a_secondary_flag():
    a = assess(HIP_RUNNER | {"akps_kneecap": 2})
    text = flat(plan_pdf(a, clinic(), for_clinician=True, created=CREATED))
    assert "[xf_dislocations, see_clinician] (answer: Knee score:" in text
    assert "At least one documented dislocation" in text and "J Orthop 2023" in text


def test_pdf_pages_render_with_pdftoppm(runner_pdf, hip, tmp_path, artifacts):
    if not shutil.which("pdftoppm"):
        missing_setup("pdftoppm is not installed (apt-get install poppler-utils)")
    for name, pdf in (("runner", runner_pdf), ("clinician", plan_pdf(hip, clinic(), for_clinician=True,
                                                                     created=CREATED))):
        src = tmp_path / f"{name}.pdf"
        src.write_bytes(pdf)
        out = subprocess.run(["pdftoppm", "-r", "60", "-png", str(src), str(artifacts / name)],
                             capture_output=True, text=True, timeout=120)
        assert out.returncode == 0 and not out.stderr.strip(), out.stderr
        pngs = sorted(artifacts.glob(f"{name}-*.png"))
        assert len(pngs) == len(PdfReader(io.BytesIO(pdf)).pages)
        assert all(p.stat().st_size > 5_000 for p in pngs)


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
