"""The clinic's email: no attachment without an assessment (the clinician's PDF attached when the runner consented
is built and read back in tests/render/test_email_pdf.py)."""

from datetime import UTC, datetime

from kneeassess.outbox import SmtpConfig, email_message
from kneeassess.records import Request

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)


def request(**kw):
    return Request(id=7, created_at=NOW, updated_at=NOW, name="Zoë Ó Súilleabháin", email="zoe@example.org",
                   consent_contact=True, **kw)


def smtp():
    return SmtpConfig(host="127.0.0.1", port=25, user=None, password=None, sender="desk@clinic.example",
                      recipients=["desk@clinic.example"], starttls=False)


def test_no_attachment_without_an_assessment():
    msg = email_message(request(), 42, smtp())
    assert list(msg.iter_attachments()) == []
    assert msg["Subject"] == "Free consultation request: Zoë Ó Súilleabháin"
