"""The clinic's email carries the clinician's PDF when the runner attached a whole assessment."""

import io
from datetime import UTC, datetime

from pypdf import PdfReader

from kneeassess.outbox import SmtpConfig, email_message
from kneeassess.records import Request
from kneeassess.screening import assess
from tests.factories import HIP_RUNNER

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)


def request(**kw):
    return Request(id=7, created_at=NOW, updated_at=NOW, name="Zoë Ó Súilleabháin", email="zoe@example.org",
                   consent_contact=True, **kw)


def smtp():
    return SmtpConfig(host="127.0.0.1", port=25, user=None, password=None, sender="desk@clinic.example",
                      recipients=["desk@clinic.example"], starttls=False)


def test_consented_assessment_travels_as_the_clinicians_pdf():
    msg = email_message(request(consent_assessment=True, assessment=assess(HIP_RUNNER).model_dump(mode="json")),
                        41, smtp())
    (pdf,) = [part for part in msg.iter_attachments() if part.get_content_type() == "application/pdf"]
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.get_content())).pages)
    assert "hip" in text.lower() and "Kujala" in text
    assert msg["Subject"] == "Free consultation request: Zoë Ó Súilleabháin"


def test_no_attachment_without_an_assessment():
    msg = email_message(request(), 42, smtp())
    assert list(msg.iter_attachments()) == []
