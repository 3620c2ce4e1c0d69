"""Forwarding consultation requests to the clinic: a transactional outbox with retries, never dropping one.

:func:`kneeassess.leads.submit_request` stores each request with one outbox row per delivery channel in the same
transaction. :func:`deliver_due` sends the rows that are due; a failed attempt is retried after 30 s × 2^attempt
(capped at 1 h, ±10 % jitter), for as long as it takes — a row is never given up on a transient failure. A row
that fails the same *permanent* way (the email cannot be built; the webhook answers 4xx other than 408/425/429)
``KNEEASSESS_OUTBOX_FAIL_AFTER`` times in a row (default 5) is marked "failed": not retried, and shown to staff
as needing attention. Every attempt is recorded
(time, channel, outcome, HTTP status or error text) and shown to staff by :func:`kneeassess.leads.delivery_history`.

Channels (configured by environment variables; the Streamlit app maps its secrets onto them):

``webhook`` — a JSON POST of the request to ``KNEEASSESS_WEBHOOK_URL`` (use https) with the headers
    ``X-KneeAssess-Signature: sha256=<hex HMAC-SHA256 of the raw body, key KNEEASSESS_WEBHOOK_SECRET>`` and
    ``X-KneeAssess-Delivery: <outbox id>``; timeout 10 s. Any 2xx answer is success; anything else (or no answer)
    is retried. Without a secret nothing is sent (the attempts fail with that reason, and are retried).
``email`` — an email through SMTP: ``KNEEASSESS_SMTP_HOST``, ``KNEEASSESS_SMTP_PORT`` (default 587 with STARTTLS,
    25 without; 465 means TLS from the start), ``KNEEASSESS_SMTP_USER`` and ``KNEEASSESS_SMTP_PASSWORD`` (optional:
    no login without a user), ``KNEEASSESS_SMTP_FROM`` (default the user when it is an address), ``KNEEASSESS_SMTP_TO``
    (one or more addresses, comma-separated), ``KNEEASSESS_SMTP_STARTTLS`` (default ``true``; ``false`` for a local
    relay). The email carries the same ``X-KneeAssess-Delivery`` header and a Message-ID made from it.

A channel is configured when its URL / host and recipients are set; requests get outbox rows for the channels
configured when they are made. A row whose channel is no longer configured fails (reason recorded) and is retried.

Several processes may deliver at once (the app's background worker in each replica, a scheduled
``python -m kneeassess deliver``). A worker *claims* due rows in a short transaction — PostgreSQL: ``SELECT ... FOR
UPDATE SKIP LOCKED``; SQLite: ``BEGIN IMMEDIATE`` — marking them "sending" with a lease (``claimed_until`` = now +
60 s), commits, sends outside any lock, then marks each delivered or schedules its retry. A worker stops taking
rows from its claim when less than a send's timeout is left of the lease, and gives them back.

What this guarantees, honestly: no request is dropped (a row stays until a send succeeds; a worker that dies
mid-send leaves a lease that expires, and the row is claimed again), and in normal operation each row is sent
once. It is *at least once*, not exactly once: if a worker dies (or loses the database) after the clinic's server
accepted a request but before the success was recorded, or a send outlives its lease, the row is sent again.
The repeat carries the same ``X-KneeAssess-Delivery`` id (and email Message-ID), so a receiver that remembers
delivery ids can ignore it; one that does not will see the request twice.

Background delivery: :func:`start_worker` (one daemon thread per process, polling every few seconds; a new request
wakes it at once). For a scheduler: ``python -m kneeassess deliver [--once] [--loop SECONDS]`` (:func:`main_deliver`).
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import hmac
import json
import logging
import os
import random
import signal
import smtplib
import ssl
import sys
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.utils import formataddr
from typing import Any

import httpx

from kneeassess.plaintext import one_line
from kneeassess.records import OutboxClaim, Request
from kneeassess.storage import LeadStore, StorageError

log = logging.getLogger(__name__)

LEASE = timedelta(seconds=60)
SEND_TIMEOUT_S = 10.0
LEASE_MARGIN_S = 5.0  # stop sending from a claim when less than a send's timeout and this is left of the lease
BACKOFF_BASE_S = 30.0
BACKOFF_CAP_S = 3600.0
BACKOFF_JITTER = 0.1
ERROR_MAX = 500
POLL_S = 5.0

SIGNATURE_HEADER = "X-KneeAssess-Signature"
DELIVERY_HEADER = "X-KneeAssess-Delivery"
TRUE = {"1", "true", "yes", "on"}
FALSE = {"0", "false", "no", "off"}


class ConfigError(ValueError):
    """A delivery setting is malformed; the message names the variable."""


# --------------------------------------------------------------------------------------------------
# Configuration
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class WebhookConfig:
    url: str
    secret: str


@dataclass(frozen=True)
class SmtpConfig:
    host: str
    port: int
    user: str
    password: str = field(repr=False)
    sender: str
    recipients: tuple[str, ...]
    starttls: bool


@dataclass(frozen=True)
class DeliveryConfig:
    webhook: WebhookConfig | None = None
    smtp: SmtpConfig | None = None

    @property
    def channels(self) -> list[str]:
        return [name for name, cfg in (("webhook", self.webhook), ("email", self.smtp)) if cfg is not None]

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> DeliveryConfig:
        env = os.environ if environ is None else environ

        def get(name: str) -> str:
            return (env.get(f"KNEEASSESS_{name}") or "").strip()

        webhook = None
        if get("WEBHOOK_URL"):
            url = get("WEBHOOK_URL")
            if not url.startswith(("https://", "http://")):
                raise ConfigError("KNEEASSESS_WEBHOOK_URL must start with https:// (or http://)")
            webhook = WebhookConfig(url=url, secret=env.get("KNEEASSESS_WEBHOOK_SECRET") or "")
        smtp = None
        recipients = tuple(a.strip() for a in get("SMTP_TO").split(",") if a.strip())
        if get("SMTP_HOST") and recipients:
            starttls_text = get("SMTP_STARTTLS").lower() or "true"
            if starttls_text not in TRUE | FALSE:
                raise ConfigError("KNEEASSESS_SMTP_STARTTLS must be true or false")
            starttls = starttls_text in TRUE
            try:
                port = int(get("SMTP_PORT") or (587 if starttls else 25))
            except ValueError:
                raise ConfigError("KNEEASSESS_SMTP_PORT must be a number") from None
            user = get("SMTP_USER")
            sender = get("SMTP_FROM") or (user if "@" in user else "kneeassess@localhost")
            smtp = SmtpConfig(host=get("SMTP_HOST"), port=port, user=user,
                              password=env.get("KNEEASSESS_SMTP_PASSWORD") or "", sender=sender,
                              recipients=recipients, starttls=starttls)
        return cls(webhook=webhook, smtp=smtp)


def configured_channels(environ: Mapping[str, str] | None = None) -> list[str]:
    """The channels a new request is forwarded on; [] when none is configured (or the settings are broken)."""
    try:
        return DeliveryConfig.from_env(environ).channels
    except ConfigError as e:
        log.error("delivery settings: %s", e)
        return []


# --------------------------------------------------------------------------------------------------
# What is sent
# --------------------------------------------------------------------------------------------------


def backoff(attempts_before: int, rng: random.Random | None = None) -> timedelta:
    """How long to wait after a failed attempt: 30 s × 2^(earlier failed attempts), at most 1 h, ±10 % jitter."""
    base = BACKOFF_BASE_S * 2 ** min(max(attempts_before, 0), 20)
    jitter = 1 + (rng or random).uniform(-BACKOFF_JITTER, BACKOFF_JITTER)
    return timedelta(seconds=min(BACKOFF_CAP_S, base * jitter))


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


# --------------------------------------------------------------------------------------------------
# Sending
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    delivered: bool
    http_status: int | None = None
    error: str | None = None
    permanent: bool = False  # trying again cannot help (the message cannot be built, the receiver refuses it)


FAIL_AFTER = 5


def fail_after(environ: Mapping[str, str] | None = None) -> int:
    """KNEEASSESS_OUTBOX_FAIL_AFTER (default 5): a row that fails the same permanent way this many times in a row is
    marked failed: no more retries, and the staff console shows it as needing attention."""
    env = os.environ if environ is None else environ
    try:
        return max(1, int(env.get("KNEEASSESS_OUTBOX_FAIL_AFTER") or FAIL_AFTER))
    except ValueError:
        return FAIL_AFTER


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


@dataclass
class DeliveryReport:
    claimed: int = 0
    delivered: int = 0
    failed: int = 0  # retried later
    released: int = 0  # given back unsent: the claim's lease was running out

    def add(self, other: DeliveryReport) -> None:
        self.claimed += other.claimed
        self.delivered += other.delivered
        self.failed += other.failed
        self.released += other.released


def deliver_due(
    store: LeadStore, now: datetime | None = None, limit: int = 20, *,
    config: DeliveryConfig | None = None, rng: random.Random | None = None,
) -> DeliveryReport:
    """Claim up to ``limit`` due rows, send them, record each attempt; failures are scheduled for a retry.

    ``now``: the clock (tests inject it); the attempts' times advance from it by the real time spent sending.
    """
    config = config or DeliveryConfig.from_env()
    start = now or datetime.now(UTC)
    started = time.monotonic()
    claims = store.claim_outbox(start, LEASE, limit)
    report = DeliveryReport(claimed=len(claims))
    for i, claim in enumerate(claims):
        if time.monotonic() - started > LEASE.total_seconds() - SEND_TIMEOUT_S - LEASE_MARGIN_S:
            for rest in claims[i:]:
                store.release_claim(rest.item.id, rest.token)
            report.released = len(claims) - i
            break
        outcome = send(claim, config)
        at = start + timedelta(seconds=time.monotonic() - started)
        store.finish_delivery(
            claim.item.id, claim.token, delivered=outcome.delivered, at=at, http_status=outcome.http_status,
            error=outcome.error, next_attempt_at=None if outcome.delivered else at + backoff(claim.item.attempts, rng),
            give_up_after=fail_after() if outcome.permanent else None,
        )
        if outcome.delivered:
            report.delivered += 1
        else:
            report.failed += 1
            log.warning("delivery %s (%s) failed, attempt %s: %s", claim.item.id, claim.item.channel,
                        claim.item.attempts + 1, outcome.error)
    return report


def deliver_all_due(store: LeadStore, limit: int = 20, *, config: DeliveryConfig | None = None) -> DeliveryReport:
    """:func:`deliver_due` until a pass finds fewer than ``limit`` rows due."""
    total = DeliveryReport()
    while True:
        report = deliver_due(store, limit=limit, config=config)
        total.add(report)
        if report.claimed < limit:
            return total


# --------------------------------------------------------------------------------------------------
# The background worker: one per process
# --------------------------------------------------------------------------------------------------


class DeliveryWorker(threading.Thread):
    """A daemon thread delivering due rows every ``interval`` seconds (sooner when woken) until stopped."""

    def __init__(self, store: LeadStore, interval: float = POLL_S, *, limit: int = 20,
                 config: DeliveryConfig | None = None) -> None:
        super().__init__(name="kneeassess-delivery", daemon=True)
        self.store = store
        self.interval = interval
        self.limit = limit
        self.config = config
        self.totals = DeliveryReport()
        self._stop_event = threading.Event()
        self._wake_event = threading.Event()

    def run(self) -> None:
        while not self._stop_event.is_set():
            try:
                while not self._stop_event.is_set():
                    report = deliver_due(self.store, limit=self.limit, config=self.config)
                    self.totals.add(report)
                    if report.claimed < self.limit:
                        break
            except StorageError as e:  # the database is away: try again at the next poll
                log.warning("delivery pass failed: %s", e)
            except Exception:  # keep the thread alive whatever happens; the rows stay in the outbox
                log.exception("delivery pass failed")
            self._wake_event.wait(self.interval)
            self._wake_event.clear()

    def wake(self) -> None:
        self._wake_event.set()

    def stop(self, timeout: float | None = 15) -> None:
        self._stop_event.set()
        self._wake_event.set()
        if self.is_alive() and threading.current_thread() is not self:
            self.join(timeout)


# Process-level infrastructure, not user data: which delivery thread this process runs (at most one).
_worker_lock = threading.Lock()
_worker: DeliveryWorker | None = None


def start_worker(store: LeadStore, interval: float = POLL_S) -> DeliveryWorker:
    """Start this process's delivery thread, once; later calls return the running one (whatever their store)."""
    global _worker
    with _worker_lock:
        if _worker is None or not _worker.is_alive():
            _worker = DeliveryWorker(store, interval)
            _worker.start()
        return _worker


def stop_worker(timeout: float | None = 15) -> None:
    global _worker
    with _worker_lock:
        worker, _worker = _worker, None
    if worker is not None:
        worker.stop(timeout)


def nudge() -> None:
    """Wake this process's delivery thread (after a new request), if it runs."""
    worker = _worker
    if worker is not None:
        worker.wake()


# --------------------------------------------------------------------------------------------------
# python -m kneeassess deliver
# --------------------------------------------------------------------------------------------------


def main_deliver(argv: Sequence[str] | None = None) -> int:
    """``deliver [--once] [--loop SECONDS] [--limit N]``: send what is due, once (default) or every SECONDS until
    stopped (SIGTERM / Ctrl-C). Exit 0 — also when deliveries failed: they stay in the outbox and are retried;
    1 when the database cannot be reached; 2 for bad arguments or settings."""
    parser = argparse.ArgumentParser(prog="python -m kneeassess deliver",
                                     description="Forward stored consultation requests to the clinic.")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--once", action="store_true", help="one run: send everything due now (the default)")
    mode.add_argument("--loop", type=float, metavar="SECONDS", help="keep running, a pass every SECONDS")
    parser.add_argument("--limit", type=int, default=20, help="rows claimed at a time (default 20)")
    try:
        args = parser.parse_args(argv)
    except SystemExit as e:
        return int(e.code or 0)
    if args.loop is not None and args.loop <= 0:
        print("error: --loop needs a number of seconds above 0", file=sys.stderr)
        return 2
    try:
        config = DeliveryConfig.from_env()
    except ConfigError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    if not config.channels:
        print("warning: no delivery channel is configured (KNEEASSESS_WEBHOOK_URL, KNEEASSESS_SMTP_HOST/_TO)",
              file=sys.stderr)

    from kneeassess.storage import default_url
    from kneeassess.storage.sql import SqlStore

    stop = threading.Event()
    try:
        store = SqlStore(default_url())
    except StorageError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    try:
        if args.loop is not None:
            with contextlib.suppress(ValueError):  # only the main thread may set a signal handler
                signal.signal(signal.SIGTERM, lambda *_: stop.set())
        while True:
            report = deliver_all_due(store, limit=max(1, args.limit), config=config)
            if report.claimed:
                print(f"delivered {report.delivered}, failed {report.failed} (retried later), "
                      f"given back {report.released}", flush=True)
            if args.loop is None or stop.wait(args.loop):
                return 0
    except StorageError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 0
    finally:
        store.close()
