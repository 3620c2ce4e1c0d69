"""What is sent: the signed webhook body and the email (with the clinician's PDF when the runner attached it).

Pure functions of a stored request and its delivery id: every attempt of a delivery sends the same bytes.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from email.message import EmailMessage
from email.utils import formataddr
from typing import Any

from kneeassess.outbox.config import SmtpConfig
from kneeassess.plaintext import one_line
from kneeassess.records import Request

SIGNATURE_HEADER = "X-KneeAssess-Signature"
DELIVERY_HEADER = "X-KneeAssess-Delivery"


def sign(body: bytes, secret: str) -> str:
    """The ``X-KneeAssess-Signature`` value of a body."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def verify_signature(body: bytes, secret: str, header: str | None) -> bool:
    """For receivers (and tests): does the signature header match the raw body? Constant-time."""
    return bool(header) and hmac.compare_digest(sign(body, secret), header or "")


def request_payload(request: Request, delivery_id: int) -> dict[str, Any]:
    data = request.model_dump(mode="json", exclude={"notes", "status", "updated_at", "profile_id"})
    return {"type": "kneeassess.consultation_request", "delivery_id": delivery_id, "request": data}


def webhook_body(request: Request, delivery_id: int) -> bytes:
    """The same bytes for every attempt of a delivery."""
    payload = request_payload(request, delivery_id)
    return json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def _yes(value: bool) -> str:
    return "yes" if value else "no"


def email_text(request: Request, delivery_id: int) -> str:
    lines = [
        "A free consultation was requested through KneeAssess.",
        "",
        f"Name: {request.name}",
        f"Email: {request.email or '-'}",
        f"Phone: {request.phone or '-'}",
        f"Preferred days: {', '.join(request.preferred_days) or '-'}",
        f"Preferred times: {request.preferred_time or '-'}",
        f"Event: {request.event or '-'}",
        "",
        f"Consent to be contacted: {_yes(request.consent_contact)}",
        f"Consent to marketing: {_yes(request.consent_marketing)}",
        f"Assessment attached: {_yes(request.consent_assessment and request.assessment is not None)}",
        "",
        "Message:",
        request.message or "-",
    ]
    if request.consent_assessment and request.assessment is not None:
        lines += ["", "Assessment summary:"]
        for key, value in request.assessment.items():
            shown = json.dumps(value, ensure_ascii=False) if isinstance(value, dict | list) else value
            lines.append(f"  {key}: {shown}")
    lines += ["", f"Request {request.id}, received {request.created_at:%Y-%m-%d %H:%M} UTC. Delivery {delivery_id}."]
    return "\n".join(lines) + "\n"


def email_message(request: Request, delivery_id: int, smtp: SmtpConfig) -> EmailMessage:
    msg = EmailMessage()
    # header values on one line whatever was stored (older rows, U+2028...): building the email cannot fail on them
    name, event = one_line(request.name), one_line(request.event or "")
    msg["Subject"] = f"Free consultation request: {name}" + (f" ({event})" if event else "")
    msg["From"] = formataddr(("KneeAssess", smtp.sender))
    msg["To"] = ", ".join(smtp.recipients)
    if request.email:
        msg["Reply-To"] = formataddr((name, request.email))
    domain = smtp.sender.rpartition("@")[2] or "localhost"
    msg["Message-ID"] = f"<kneeassess-delivery-{delivery_id}@{domain}>"  # the same for a repeat: receivers dedupe
    msg[DELIVERY_HEADER] = str(delivery_id)
    msg.set_content(email_text(request, delivery_id))
    if pdf := clinician_pdf(request):
        msg.add_attachment(pdf, maintype="application", subtype="pdf", filename="knee-check-summary.pdf")
    return msg


def clinician_pdf(request: Request) -> bytes | None:
    """The attached assessment (the runner consented) as the clinician's one-page PDF, when it is a whole one."""
    if not request.assessment:
        return None
    from kneeassess.content import clinic
    from kneeassess.models import Assessment
    from kneeassess.reports.pdf import plan_pdf

    try:
        assessment = Assessment.model_validate(request.assessment)
    except ValueError:  # a partial summary (older clients, tests): the text part carries it
        return None
    return plan_pdf(assessment, clinic(), for_clinician=True)

