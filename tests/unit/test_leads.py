"""The consultation request form validated on the server, the CSV export, and what the outbox sends (no database)."""

from __future__ import annotations

import csv
import io
import json
import random
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from kneeassess import __main__ as cli
from kneeassess import leads, outbox
from kneeassess.leads import LeadProblems, Rejected, RequestIn, export_csv, parse_request
from kneeassess.records import Request, StaffNote

GOOD = {"name": "Ann Runner", "email": "ann@example.org", "consent_contact": True}


def problems(**fields) -> dict[str, str]:
    with pytest.raises(LeadProblems) as caught:
        parse_request(fields)
    return caught.value.problems


def test_a_good_request_is_accepted_and_tidied():
    r = parse_request({**GOOD, "name": "  Ann Runner ", "email": "Ann@EXAMPLE.org", "preferred_days": ["fri", "Mon"],
                       "preferred_time": " after\n6pm ", "message": "Knie tut weh – ü\r\nSince May"})
    assert r.name == "Ann Runner"
    assert r.email == "Ann@example.org"  # the domain is case-insensitive, the mailbox may not be
    assert r.preferred_days == ["Monday", "Friday"]
    assert r.preferred_time == "after 6pm"
    assert r.message == "Knie tut weh – ü\nSince May"
    assert r.consent_marketing is False and r.consent_assessment is False


def test_missing_name():
    assert problems(**{**GOOD, "name": "   "}) == {"name": "Please enter your name."}
    assert set(problems(email="a@b.org", consent_contact=True)) == {"name"}


def test_name_too_long_or_on_two_lines():
    assert "100 characters" in problems(**{**GOOD, "name": "A" * 101})["name"]
    assert "one line" in problems(**{**GOOD, "name": "Ann\nBcc: x@y.org"})["name"]


def test_neither_email_nor_phone_is_reported_on_both_fields():
    found = problems(name="Ann", consent_contact=True)
    assert set(found) == {"email", "phone"}
    assert "email address or a phone number" in found["email"]
    # reported together with the other problems, not after them
    assert set(problems(name="", email="", phone=" ")) == {"name", "email", "phone", "consent_contact"}


def test_bad_email():
    found = problems(**{**GOOD, "email": "ann@"})
    assert set(found) == {"email"}
    assert found["email"].startswith("That email address does not look right")


def test_bad_phone():
    found = problems(name="Ann", phone="12345", consent_contact=True)
    assert set(found) == {"phone"}
    assert "phone number does not look right" in found["phone"]


def test_bad_email_with_a_good_phone_reports_only_the_email():
    assert set(problems(name="Ann", email="not an email", phone="07400 123456", consent_contact=True)) == {"email"}


def test_phone_is_stored_in_e164_using_the_default_region(configure):
    configure(phone_region="GB")
    assert parse_request({**GOOD, "phone": "07400 123456"}).phone == "+447400123456"
    assert parse_request({**GOOD, "phone": "+49 30 901820"}).phone == "+4930901820"
    configure(phone_region="DE")
    assert parse_request({**GOOD, "phone": "030 901820"}).phone == "+4930901820"


def test_phone_alone_is_enough():
    assert parse_request({"name": "Ann", "phone": "+44 7400 123456", "consent_contact": True}).email is None


def test_consent_to_be_contacted_is_required():
    for consent in (False, None, "yes", 1):
        assert set(problems(**{**GOOD, "consent_contact": consent})) == {"consent_contact"}
    del_consent = {k: v for k, v in GOOD.items() if k != "consent_contact"}
    assert "tick the box" in problems(**del_consent)["consent_contact"]


def test_message_and_times_too_long():
    found = problems(**{**GOOD, "message": "x" * 1001, "preferred_time": "y" * 201})
    assert "1000 characters" in found["message"] and "(it has 1001)" in found["message"]
    assert "200 characters" in found["preferred_time"]
    assert parse_request({**GOOD, "message": "x" * 1000}).message == "x" * 1000


def test_unknown_day():
    assert set(problems(**{**GOOD, "preferred_days": ["Monday", "Someday"]})) == {"preferred_days"}


def test_honeypot_is_rejected_without_saying_why():
    with pytest.raises(Rejected) as caught:
        parse_request({**GOOD, "honeypot": "http://spam.example"})
    text = caught.value.message.lower()
    assert "bot" not in text and "spam" not in text and "honeypot" not in text
    with pytest.raises(Rejected):  # even when the rest is invalid
        parse_request({"honeypot": "x"})
    with pytest.raises(Rejected):
        parse_request(RequestIn.model_validate({**GOOD, "honeypot": "x"}))


def test_the_assessment_is_kept_only_with_consent():
    summary = {"triage": "self_care", "weak_links": ["hip"]}
    assert parse_request({**GOOD, "assessment": summary}).assessment is None
    assert parse_request({**GOOD, "assessment": summary, "consent_assessment": True}).assessment == summary


def test_hidden_tags_never_block_a_request():
    r = parse_request({**GOOD, "event": "Bad Slug!", "profile_id": "not-a-profile"})
    assert r.event is None and r.profile_id is None
    r = parse_request({**GOOD, "event": "riverside-parkrun", "profile_id": "a" * 32})
    assert r.event == "riverside-parkrun" and r.profile_id == "a" * 32


def test_unknown_fields_are_refused():
    assert set(problems(**{**GOOD, "is_admin": True})) == {"is_admin"}


def stored(**changes) -> Request:
    at = datetime(2025, 3, 1, 9, 30, tzinfo=UTC)
    base = dict(id=1, created_at=at, updated_at=at, name="Ann", email="ann@example.org", phone="+447400123456",
                consent_contact=True, preferred_days=["Monday"], message="hello")
    return Request(**(base | changes))


def rows(data: bytes) -> list[dict[str, str]]:
    assert data.startswith(b"\xef\xbb\xbf")  # a BOM, so spreadsheet programs read UTF-8
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


@pytest.mark.parametrize("evil", ["=cmd|' /C calc'!A0", "+1", "-1", "@x", "\tx", "\rx", "=HYPERLINK(\"x\")"])
def test_export_csv_neutralises_formulas(evil: str):
    req = stored(name=evil, message=evil, preferred_time=evil,
                 notes=[StaffNote(at=datetime(2025, 3, 2, tzinfo=UTC), staff="=staff", text="x")])
    row = rows(export_csv([req], tz=UTC))[0]
    for column in ("Name", "Message", "Preferred times"):
        assert row[column] == "'" + evil, column


def test_export_csv_opens_in_a_spreadsheet_as_is():
    """Human column names and statuses, local times to the minute, the assessment as words, no internal ids."""
    assessment = {"triage": "see_clinician", "phase": None, "akps": 71,
                  "weak_links": [{"link": "hip", "score": 72, "level": "likely"},
                                 {"link": "foot", "score": 20, "level": "unlikely"}]}
    req = stored(event="riverside-parkrun", utm_source="newsletter", consent_assessment=True, assessment=assessment,
                 profile_id="a" * 32, status="not_booked", not_booked_reason="went_elsewhere",
                 created_at=datetime(2025, 7, 1, 9, 30, 12, 345678, tzinfo=UTC),
                 notes=[StaffNote(at=datetime(2025, 7, 2, 10, 0, tzinfo=UTC), staff="Kim", text="left a message",
                                  status_from="new", status_to="contacted")])
    (row,) = rows(export_csv([req], tz=ZoneInfo("Europe/London")))
    assert list(row) == leads.CSV_COLUMNS
    assert "id" not in row and "profile_id" not in row and "a" * 32 not in row.values()
    assert row["Received"] == "2025-07-01 10:30"  # British summer time, to the minute
    assert row["Status"] == "Not booked" and row["Reason not booked"] == "Went elsewhere"
    assert row["Name"] == "Ann" and row["Phone"] == "'+447400123456"  # a leading + is neutralised too
    assert row["May contact"] == "yes" and row["Marketing"] == "no" and row["Assessment attached"] == "yes"
    assert row["Triage"] == "see clinician" and row["Kujala score"] == "71/100"
    assert row["Weak links"] == "hip 72/100 (likely), foot 20/100 (unlikely)"
    assert row["Event"] == "riverside-parkrun" and row["Source"] == "newsletter"
    assert row["Notes"] == "2025-07-02 11:00 Kim: [New → Contacted] left a message"
    assert rows(export_csv([])) == []


def test_working_days_skip_weekends():
    friday_4pm = datetime(2026, 11, 27, 16, 0, tzinfo=UTC)
    assert leads.working_days_between(friday_4pm, friday_4pm + timedelta(days=3)) == pytest.approx(1.0)  # Mon 4pm
    assert leads.working_days_between(friday_4pm, friday_4pm + timedelta(days=2)) == pytest.approx(8 / 24)
    assert leads.working_days_between(friday_4pm, friday_4pm) == 0


def test_backoff_doubles_with_jitter_and_is_capped_at_an_hour():
    rng = random.Random(1)
    for attempt, base in [(0, 30), (1, 60), (2, 120), (5, 960)]:
        for _ in range(20):
            wait = outbox.backoff(attempt, rng).total_seconds()
            assert base * 0.9 <= wait <= base * 1.1
    assert max(outbox.backoff(n, rng).total_seconds() for n in range(6, 40) for _ in range(5)) <= 3600
    assert outbox.backoff(30, rng) >= timedelta(minutes=54)


def test_signature_is_hmac_sha256_of_the_raw_body():
    body = outbox.webhook_body(stored(), 7)
    header = outbox.sign(body, "s3cret")
    assert header.startswith("sha256=") and len(header) == 7 + 64
    assert outbox.verify_signature(body, "s3cret", header)
    assert not outbox.verify_signature(body, "other", header)
    assert not outbox.verify_signature(body + b" ", "s3cret", header)
    assert json.loads(body)["delivery_id"] == 7
    assert outbox.webhook_body(stored(), 7) == body  # a retry sends the same bytes


def test_email_text_has_the_details_and_the_assessment_only_with_consent():
    text = outbox.email_text(stored(preferred_time="evenings", assessment=None), 3)
    assert "Name: Ann" in text and "+447400123456" in text and "Monday" in text and "evenings" in text
    assert "Assessment summary" not in text
    with_summary = outbox.email_text(stored(consent_assessment=True, assessment={"triage": "see_clinician"}), 3)
    assert "Assessment summary:" in with_summary and "triage: see_clinician" in with_summary


def test_delivery_settings_from_the_environment():
    assert outbox.DeliveryConfig.from_env({}).channels == []
    cfg = outbox.DeliveryConfig.from_env({
        "KNEEASSESS_WEBHOOK_URL": "https://hooks.example/x", "KNEEASSESS_WEBHOOK_SECRET": "s",
        "KNEEASSESS_SMTP_HOST": "smtp.example", "KNEEASSESS_SMTP_TO": "a@clinic.example, b@clinic.example",
        "KNEEASSESS_SMTP_USER": "bot@clinic.example", "KNEEASSESS_SMTP_PASSWORD": "pw",
    })
    assert cfg.channels == ["webhook", "email"]
    assert cfg.smtp is not None and cfg.smtp.port == 587 and cfg.smtp.starttls
    assert cfg.smtp.recipients == ("a@clinic.example", "b@clinic.example") and cfg.smtp.sender == "bot@clinic.example"
    assert "pw" not in repr(cfg)
    plain = outbox.DeliveryConfig.from_env({"KNEEASSESS_SMTP_HOST": "relay", "KNEEASSESS_SMTP_TO": "a@b.org",
                                            "KNEEASSESS_SMTP_STARTTLS": "false"})
    assert plain.smtp is not None and plain.smtp.port == 25 and not plain.smtp.starttls
    with pytest.raises(outbox.ConfigError, match="KNEEASSESS_SMTP_PORT"):
        outbox.DeliveryConfig.from_env({"KNEEASSESS_SMTP_HOST": "h", "KNEEASSESS_SMTP_TO": "a@b.org",
                                        "KNEEASSESS_SMTP_PORT": "x"})
    assert outbox.configured_channels({"KNEEASSESS_WEBHOOK_URL": "ftp://x"}) == []  # broken: logged, none


def test_deliver_command_refuses_bad_arguments(capsys):
    assert cli.main(["deliver", "--loop", "0"]) == 2
    assert cli.main(["deliver", "--once", "--loop", "5"]) == 2
