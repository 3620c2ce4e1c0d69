"""The clinic's email carries the clinician's PDF when the runner attached a whole assessment (the PDF is built and
read back; without an assessment there is no attachment: tests/unit/test_outbox_email.py)."""

import io

from pypdf import PdfReader

from kneeassess.outbox import email_message
from kneeassess.screening import assess
from tests.factories import HIP_RUNNER
from tests.unit.test_outbox_email import request, smtp


def test_consented_assessment_travels_as_the_clinicians_pdf():
    msg = email_message(request(consent_assessment=True, assessment=assess(HIP_RUNNER).model_dump(mode="json")),
                        41, smtp())
    (pdf,) = [part for part in msg.iter_attachments() if part.get_content_type() == "application/pdf"]
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.get_content())).pages)
    assert "hip" in text.lower() and "Kujala" in text
    assert msg["Subject"] == "Free consultation request: Zoë Ó Súilleabháin"
