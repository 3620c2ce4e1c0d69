"""Sending one claimed outbox row: a signed JSON POST (webhook) or an email through SMTP.

:func:`send` never raises: whatever goes wrong becomes a failed :class:`Outcome` (recorded, and retried).
"""

from __future__ import annotations

import logging
import smtplib
import ssl
from dataclasses import dataclass

import httpx

from kneeassess.outbox.config import DeliveryConfig, SmtpConfig, WebhookConfig
from kneeassess.outbox.messages import DELIVERY_HEADER, SIGNATURE_HEADER, email_message, sign, webhook_body
from kneeassess.records import OutboxClaim, Request

log = logging.getLogger("kneeassess.outbox")

SEND_TIMEOUT_S = 10.0
ERROR_MAX = 500


@dataclass(frozen=True)
class Outcome:
    delivered: bool
    http_status: int | None = None
    error: str | None = None
    permanent: bool = False  # trying again cannot help (the message cannot be built, the receiver refuses it)


def _error(e: BaseException) -> str:
    return f"{type(e).__name__}: {e}"[:ERROR_MAX]


def send_webhook(webhook: WebhookConfig, request: Request, delivery_id: int) -> Outcome:
    if not webhook.secret:
        return Outcome(False, error="KNEEASSESS_WEBHOOK_SECRET is not set: nothing is sent unsigned")
    body = webhook_body(request, delivery_id)
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": "KneeAssess-outbox",
        SIGNATURE_HEADER: sign(body, webhook.secret),
        DELIVERY_HEADER: str(delivery_id),
    }
    try:
        response = httpx.post(webhook.url, content=body, headers=headers, timeout=SEND_TIMEOUT_S)
    except httpx.HTTPError as e:
        return Outcome(False, error=_error(e))
    if 200 <= response.status_code < 300:
        return Outcome(True, http_status=response.status_code)
    return Outcome(False, http_status=response.status_code,
                   error=f"HTTP {response.status_code}: {response.text[:200]}"[:ERROR_MAX],
                   permanent=400 <= response.status_code < 500 and response.status_code not in (408, 425, 429))


def send_email(smtp: SmtpConfig, request: Request, delivery_id: int) -> Outcome:
    try:
        msg = email_message(request, delivery_id, smtp)
    except Exception as e:  # the same request fails the same way every time: permanent
        return Outcome(False, error=f"the email could not be built: {_error(e)}"[:ERROR_MAX], permanent=True)
    try:
        if smtp.port == 465:
            server: smtplib.SMTP = smtplib.SMTP_SSL(smtp.host, smtp.port, timeout=SEND_TIMEOUT_S,
                                                    context=ssl.create_default_context())
        else:
            server = smtplib.SMTP(smtp.host, smtp.port, timeout=SEND_TIMEOUT_S)
        with server:
            if smtp.starttls and smtp.port != 465:
                server.starttls(context=ssl.create_default_context())
            if smtp.user:
                server.login(smtp.user, smtp.password)
            refused = server.send_message(msg, from_addr=smtp.sender, to_addrs=list(smtp.recipients))
    except (smtplib.SMTPException, OSError) as e:
        return Outcome(False, error=_error(e))
    if refused:  # some recipients took it: sending again would repeat it to them
        return Outcome(True, error=f"refused by {len(refused)} of {len(smtp.recipients)} recipients"[:ERROR_MAX])
    return Outcome(True)


def send(claim: OutboxClaim, config: DeliveryConfig) -> Outcome:
    """Send one claimed row; never raises (a surprise becomes a failed attempt, retried)."""
    channel, delivery_id = claim.item.channel, claim.item.id
    try:
        if channel == "webhook":
            if config.webhook is None:
                return Outcome(False, error="the webhook is not configured (KNEEASSESS_WEBHOOK_URL)")
            return send_webhook(config.webhook, claim.request, delivery_id)
        if channel == "email":
            if config.smtp is None:
                return Outcome(False, error="email is not configured (KNEEASSESS_SMTP_HOST, KNEEASSESS_SMTP_TO)")
            return send_email(config.smtp, claim.request, delivery_id)
        return Outcome(False, error=f"unknown channel {channel!r}")
    except Exception as e:  # a bug must not leave the row "sending" until its lease expires
        log.exception("delivery %s on %s failed unexpectedly", delivery_id, channel)
        return Outcome(False, error=_error(e))


