"""Issue 14 item 3: characters that break lines beyond \\n (NEL, U+2028, U+2029, other Cc/Zl/Zp) are refused or
normalised at validation in every single-line field, and an email's headers cannot fail on what was stored."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from kneeassess import events
from kneeassess.leads import LeadProblems, parse_request
from kneeassess.outbox import SmtpConfig, email_message
from kneeassess.plaintext import multi_line, one_line
from kneeassess.records import Request

GOOD = {"name": "Ann Runner", "email": "ann@example.org", "consent_contact": True}
BREAKERS = ["\u2028", "\u2029", "\x85", "\x1c", "\x1e", "\x0b", "\x0c", "\r", "\x80", "\x9b"]
NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize("char", BREAKERS, ids=[f"U+{ord(c):04X}" for c in BREAKERS])
def test_a_name_with_a_line_breaking_or_control_character_is_refused(char: str):
    with pytest.raises(LeadProblems) as caught:
        parse_request({**GOOD, "name": f"Ann{char}Bcc: x@example.org"})
    assert "one line" in caught.value.problems["name"]


@pytest.mark.parametrize("char", BREAKERS, ids=[f"U+{ord(c):04X}" for c in BREAKERS])
def test_times_are_put_on_one_line_and_messages_keep_only_real_line_breaks(char: str):
    r = parse_request({**GOOD, "preferred_time": f"after{char}6pm", "message": f"line one{char}line two"})
    assert r.preferred_time == "after 6pm"
    assert r.message in ("line one\nline two", "line oneline two")  # a break becomes \n; other controls go
    assert not any(c in r.message for c in "\r\x0b\x0c\x1c\x1e\x80\x85\x9b\u2028\u2029")


def test_one_line_and_multi_line():
    assert one_line(" a\u2028b\u2029\x85c\t\x00d ") == "a b c d"
    assert multi_line("a\r\nb\u2028c\x85d\x00e\x1bf\tg") == "a\nb\nc\nde" + "f\tg"


def test_event_names_and_places_are_put_on_one_line():
    class Store:
        def add_event(self, event):  # noqa: ANN001, ANN202
            return event

    e = events.create_event(Store(), "River\u2028Run", date(2026, 12, 5), place="Park\x85gate")  # type: ignore[arg-type]
    assert (e.name, e.place) == ("River Run", "Park gate")


def test_an_email_is_built_even_for_a_name_stored_with_a_line_separator():
    """Rows stored before this check (or by another client) must still be deliverable."""
    request = Request(id=7, created_at=NOW, updated_at=NOW, name="Ann\u2028Runner\x85Jr", email="ann@example.org",
                      consent_contact=True, event="river\u2029run")
    smtp = SmtpConfig(host="127.0.0.1", port=25, user="", password="", sender="desk@clinic.example",
                      recipients=("desk@clinic.example",), starttls=False)
    msg = email_message(request, 3, smtp)
    assert msg["Subject"] == "Free consultation request: Ann Runner Jr (river run)"
    assert "Ann Runner Jr" in msg["Reply-To"]
