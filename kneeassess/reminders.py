"""Follow-up reminders, opt-in only: a re-check four weeks on, and (separately) weekly plan nudges, by email.

    consent_id = ask_for_reminder(store, email="ann@example.org", kind="recheck", home_link=link)
    deliver_due_reminders(store)                  # the reminder outbox: stored first, retried, sent once
    unsubscribe(store, token)                     # the one-click link in every reminder (no sign-in)
    erase_reminders(store, profile_ids=[...], emails=[...])     # leaves a suppression entry only

Like the consultation requests' outbox (:mod:`kneeassess.outbox`): each reminder is a row stored when the runner
asks; a worker *claims* due rows with a lease, sends outside any lock, then marks them sent (or schedules a retry
after :func:`kneeassess.outbox.backoff`). Two workers never hold the same row; a worker that dies mid-send leaves a
lease that expires and the row is claimed again. The email carries a Message-ID made from the reminder's id, so a
repeat after a crash *after* the SMTP server accepted it is recognisable (at least once, as the outbox).

The email names no health detail: only that it is time to re-check (or for this week's session), a link to the
runner's home (their private link, through a counting redirect) and a one-click unsubscribe link. Links carry a
token signed with ``KNEEASSESS_LINK_SECRET`` (itsdangerous); without the variable a random secret is kept in
``var/link-secret``. Unsubscribing withdraws every consent of the address (dated) and suppresses it (a SHA-256 of
the address). Staff see anonymous counts: consented, sent, opened the link, unsubscribed.

Delivery uses the outbox's SMTP settings (``KNEEASSESS_SMTP_HOST``...), sending to the runner instead of the clinic.
"""

from __future__ import annotations

import hashlib
import logging
import os
import random
import secrets
import smtplib
import ssl
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.utils import formataddr

from email_validator import EmailNotValidError, validate_email
from itsdangerous import BadSignature, URLSafeSerializer

from kneeassess import outbox
from kneeassess.records import ReminderClaim
from kneeassess.settings import current
from kneeassess.storage.reminder_store import ReminderStore
from kneeassess.storage.sql import SqlStore

log = logging.getLogger(__name__)

KINDS = {"recheck": "a reminder to re-check your knee in four weeks", "weekly_plan": "weekly plan nudges"}
FIRST_DUE = {"recheck": timedelta(weeks=4), "weekly_plan": timedelta(weeks=1)}
REPEAT = {"recheck": None, "weekly_plan": timedelta(weeks=1)}
LEASE = timedelta(seconds=60)
SALT = "kneeassess-reminder-link"


class ReminderProblem(ValueError):
    """A reminder cannot be set up (the message may be shown to the runner)."""


class BadLink(ValueError):
    """An unsubscribe / open link that is not ours (changed, truncated or from another installation)."""


def email_hash(email: str) -> str:
    """What the suppression list keeps of an address: a SHA-256, never the address."""
    return hashlib.sha256(f"kneeassess:email:{email.strip().casefold()}".encode()).hexdigest()


def _secret() -> str:
    settings = current()
    if settings.link_secret:
        return settings.link_secret
    path = settings.var_dir / "link-secret"
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
        secret = secrets.token_urlsafe(32)
        try:
            with os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "w") as f:
                f.write(secret)
        except FileExistsError:  # another process made it first
            return path.read_text().strip()
        return secret


def sign_link(consent_id: int, action: str) -> str:
    return str(URLSafeSerializer(_secret(), salt=SALT).dumps({"c": consent_id, "a": action}))


def read_link(token: str, action: str) -> int:
    try:
        data = URLSafeSerializer(_secret(), salt=SALT).loads(token or "")
    except BadSignature:
        raise BadLink("This link is not valid (it may have been cut short).") from None
    if not isinstance(data, dict) or data.get("a") != action or not isinstance(data.get("c"), int):
        raise BadLink("This link is not valid (it may have been cut short).")
    return int(data["c"])


def ask_for_reminder(
    store: SqlStore, *, email: str, kind: str, home_link: str, profile_id: str | None = None,
    now: datetime | None = None,
) -> int:
    """Record the runner's consent (dated) and queue the first reminder. :class:`ReminderProblem` for a bad address
    or kind."""
    if kind not in KINDS:
        raise ReminderProblem(f"Unknown kind of reminder {kind!r}.")
    try:
        address = validate_email((email or "").strip(), check_deliverability=False).normalized
    except EmailNotValidError:
        raise ReminderProblem("Please check the email address.") from None
    if not home_link or len(home_link) > 500:
        raise ReminderProblem("Save your results first: the reminder links to them.")
    at = now or datetime.now(UTC)
    return ReminderStore(store).add_consent(
        profile_id=profile_id, email=address, email_hash=email_hash(address), kind=kind, home_link=home_link,
        at=at, first_due=at + FIRST_DUE[kind])


def reminder_message(claim: ReminderClaim, base_url: str, sender: str, clinic_name: str) -> EmailMessage:
    """The email: no health details; the runner's home (through the counting link) and a one-click unsubscribe."""
    base = base_url.rstrip("/")
    open_link = f"{base}/reminder?t={sign_link(claim.consent_id, 'open')}"
    unsubscribe_link = f"{base}/unsubscribe?t={sign_link(claim.consent_id, 'unsubscribe')}"
    msg = EmailMessage()
    if claim.kind == "recheck":
        msg["Subject"] = "Time to re-check your knee"
        text = ("Four weeks ago you asked us to remind you to re-check your knee. The check takes a few minutes and "
                "shows you whether it is working.")
    else:
        msg["Subject"] = "This week's knee session"
        text = "A weekly nudge, as you asked: your plan for this week is waiting."
    msg["From"] = formataddr((clinic_name, sender))
    msg["To"] = claim.email
    domain = sender.rpartition("@")[2] or "localhost"
    msg["Message-ID"] = f"<kneeassess-reminder-{claim.id}@{domain}>"  # the same for a repeat
    # no List-Unsubscribe-Post: Streamlit pages answer GET only, so mail programs' one-click POST would fail
    msg["List-Unsubscribe"] = f"<{unsubscribe_link}>"
    msg.set_content(
        f"{text}\n\nOpen your page: {open_link}\n\n"
        f"You get this because you asked for {KINDS[claim.kind]}. Stop these emails with one click: "
        f"{unsubscribe_link}\n\n{clinic_name}\n"
    )
    return msg


def _send(smtp: outbox.SmtpConfig, msg: EmailMessage, to: str) -> outbox.Outcome:
    try:
        if smtp.port == 465:
            server: smtplib.SMTP = smtplib.SMTP_SSL(smtp.host, smtp.port, timeout=outbox.SEND_TIMEOUT_S,
                                                    context=ssl.create_default_context())
        else:
            server = smtplib.SMTP(smtp.host, smtp.port, timeout=outbox.SEND_TIMEOUT_S)
        with server:
            if smtp.starttls and smtp.port != 465:
                server.starttls(context=ssl.create_default_context())
            if smtp.user:
                server.login(smtp.user, smtp.password)
            server.send_message(msg, from_addr=smtp.sender, to_addrs=[to])
    except (smtplib.SMTPException, OSError) as e:
        return outbox.Outcome(False, error=f"{type(e).__name__}: {e}"[:outbox.ERROR_MAX])
    return outbox.Outcome(True)


@dataclass
class ReminderReport:
    claimed: int = 0
    sent: int = 0
    failed: int = 0
    cancelled: int = 0


def deliver_due_reminders(
    store: SqlStore, now: datetime | None = None, limit: int = 20, *, config: outbox.DeliveryConfig | None = None,
    base_url: str | None = None, rng: random.Random | None = None,
) -> ReminderReport:
    """Claim due reminders, check each still stands (not withdrawn, not suppressed), send, record."""
    from kneeassess.content import clinic

    config = config or current().delivery
    base = base_url or current().public_url or "http://localhost:8501"
    start = now or datetime.now(UTC)
    started = time.monotonic()
    reminders = ReminderStore(store)
    claims = reminders.claim_due(start, LEASE, limit)
    report = ReminderReport(claimed=len(claims))
    try:
        clinic_name = clinic().name
    except Exception:  # noqa: BLE001 - content is checked at start; a name must not stop delivery
        clinic_name = "Your physiotherapy clinic"
    for claim in claims:
        at = start + timedelta(seconds=time.monotonic() - started)
        if not reminders.still_wanted(claim.consent_id, email_hash(claim.email)):
            reminders.finish(claim.id, claim.token, outcome="cancelled", at=at)
            report.cancelled += 1
            continue
        if config.smtp is None:
            outcome = outbox.Outcome(False, error="email is not configured (KNEEASSESS_SMTP_HOST)")
        else:
            outcome = _send(config.smtp, reminder_message(claim, base, config.smtp.sender, clinic_name), claim.email)
        at = start + timedelta(seconds=time.monotonic() - started)
        if outcome.delivered:
            repeat = REPEAT.get(claim.kind)
            reminders.finish(claim.id, claim.token, outcome="sent", at=at,
                             next_due=claim.due_at + repeat if repeat else None)
            report.sent += 1
        else:
            reminders.finish(claim.id, claim.token, outcome="failed", at=at, error=outcome.error,
                             next_attempt_at=at + outbox.backoff(claim.attempts, rng))
            report.failed += 1
            log.warning("reminder %s failed, attempt %s: %s", claim.id, claim.attempts + 1, outcome.error)
    return report


def open_link(store: SqlStore, token: str, *, now: datetime | None = None) -> str:
    """The runner's home link behind a reminder's "open your page" link (counted as opened). :class:`BadLink`."""
    consent = ReminderStore(store).consent_of(read_link(token, "open"))
    if consent is None:
        raise BadLink("This reminder is no longer there (its data was erased).")
    ReminderStore(store).record(now or datetime.now(UTC), consent["kind"], "opened")
    return str(consent["home_link"])


def unsubscribe(store: SqlStore, token: str, *, now: datetime | None = None) -> None:
    """Stop every reminder to the address of this link (one click, no sign-in). Doing it again changes nothing."""
    consent = ReminderStore(store).consent_of(read_link(token, "unsubscribe"))
    if consent is None:  # erased already: the address is suppressed by the erasure
        return
    ReminderStore(store).unsubscribe(consent["email_hash"], consent["kind"], now or datetime.now(UTC))


def erase_reminders(store: SqlStore, *, profile_ids: list[str], emails: list[str],
                    now: datetime | None = None) -> dict[str, int]:
    """Delete the consents and reminders of these profiles / addresses; keep only the suppression entries."""
    return ReminderStore(store).erase(profile_ids=profile_ids, email_hashes=[email_hash(e) for e in emails if e],
                                      at=now or datetime.now(UTC))


def reminder_counts(store: SqlStore, since: datetime, until: datetime) -> list[dict[str, object]]:
    """Per kind: consented, sent, opened the link, unsubscribed (anonymous; they survive erasure)."""
    counts = ReminderStore(store).counts(since, until)
    return [{"Reminder": KINDS[k].capitalize(), "Asked for": counts.get((k, "consented"), 0),
             "Sent": counts.get((k, "sent"), 0), "Opened the link": counts.get((k, "opened"), 0),
             "Unsubscribed": counts.get((k, "unsubscribed"), 0)} for k in KINDS]


# --------------------------------------------------------------------------------------------------
# The background worker: one per process, next to the outbox's
# --------------------------------------------------------------------------------------------------

POLL_S = 60.0


class ReminderWorker(threading.Thread):
    """A daemon thread sending due reminders every ``interval`` seconds until stopped."""

    def __init__(self, store: SqlStore, base_url: str, interval: float = POLL_S) -> None:
        super().__init__(name="kneeassess-reminders", daemon=True)
        self.store, self.base_url, self.interval = store, base_url, interval
        self._stop_event = threading.Event()

    def run(self) -> None:
        while not self._stop_event.is_set():
            try:
                while deliver_due_reminders(self.store, base_url=self.base_url).claimed:
                    pass
            except Exception:  # keep the thread alive; the reminders stay queued
                log.exception("reminder pass failed")
            self._stop_event.wait(self.interval)

    def stop(self, timeout: float | None = 15) -> None:
        self._stop_event.set()
        if self.is_alive() and threading.current_thread() is not self:
            self.join(timeout)


# Process-level infrastructure, not user data: which reminder thread this process runs (at most one).
_worker_lock = threading.Lock()
_worker: ReminderWorker | None = None


def start_worker(store: SqlStore, base_url: str) -> ReminderWorker:
    global _worker
    with _worker_lock:
        if _worker is None or not _worker.is_alive():
            _worker = ReminderWorker(store, base_url)
            _worker.start()
        return _worker
