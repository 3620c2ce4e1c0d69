"""Forwarding consultation requests to the clinic: a transactional outbox with retries, never dropping one.

:func:`kneeassess.leads.submit_request` stores each request with one outbox row per delivery channel in the same
transaction. :func:`deliver_due` sends the rows that are due; a failed attempt is retried after 30 s × 2^attempt
(capped at 1 h, ±10 % jitter), for as long as it takes — a row is never given up on a transient failure. A row
that fails the same *permanent* way (the email cannot be built; the webhook answers 4xx other than 408/425/429)
``KNEEASSESS_OUTBOX_FAIL_AFTER`` times in a row (default 5) is marked "failed": not retried, and shown to staff
as needing attention. Every attempt is recorded
(time, channel, outcome, HTTP status or error text) and shown to staff by :func:`kneeassess.leads.delivery_history`.

Channels (configured by the settings, :mod:`kneeassess.settings`: environment variables, or the Streamlit secrets'
``[delivery]`` table):

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
wakes it at once). For a scheduler:
``python -m kneeassess deliver [--once] [--loop SECONDS]`` (in :mod:`kneeassess.__main__`).

The package, by job:

- :mod:`~kneeassess.outbox.config`: the delivery settings (:class:`DeliveryConfig`) and the channels they enable.
- :mod:`~kneeassess.outbox.messages`: what is sent (the signed webhook body, the email with the clinician's PDF).
- :mod:`~kneeassess.outbox.transport`: sending one claimed row by HTTP or SMTP (:func:`send`; never raises).
- :mod:`~kneeassess.outbox.delivery`: claiming due rows, sending, recording each attempt, scheduling retries
  (:func:`deliver_due`).
- :mod:`~kneeassess.outbox.worker`: the background thread, one per process (:func:`start_worker`, :func:`nudge`).

Rows are enqueued by the store in the transaction that stores what they deliver
(:meth:`kneeassess.storage.LeadStore.add_request`, one row per channel of :func:`configured_channels`).
"""

from kneeassess.outbox.config import (
    ConfigError,
    DeliveryConfig,
    SmtpConfig,
    WebhookConfig,
    configured_channels,
)
from kneeassess.outbox.delivery import (
    BACKOFF_BASE_S,
    BACKOFF_CAP_S,
    BACKOFF_JITTER,
    FAIL_AFTER,
    LEASE,
    LEASE_MARGIN_S,
    DeliveryReport,
    backoff,
    deliver_all_due,
    deliver_due,
    fail_after,
)
from kneeassess.outbox.messages import (
    DELIVERY_HEADER,
    SIGNATURE_HEADER,
    clinician_pdf,
    email_message,
    email_text,
    request_payload,
    sign,
    verify_signature,
    webhook_body,
)
from kneeassess.outbox.transport import ERROR_MAX, SEND_TIMEOUT_S, Outcome, send, send_email, send_webhook
from kneeassess.outbox.worker import POLL_S, DeliveryWorker, nudge, start_worker, stop_worker

__all__ = [
    "BACKOFF_BASE_S", "BACKOFF_CAP_S", "BACKOFF_JITTER", "DELIVERY_HEADER", "ERROR_MAX", "LEASE", "LEASE_MARGIN_S",
    "POLL_S", "SEND_TIMEOUT_S", "SIGNATURE_HEADER", "FAIL_AFTER", "fail_after",
    "ConfigError", "DeliveryConfig", "DeliveryReport", "DeliveryWorker", "Outcome", "SmtpConfig", "WebhookConfig",
    "backoff", "clinician_pdf", "configured_channels", "deliver_all_due", "deliver_due", "email_message",
    "email_text", "nudge", "request_payload", "send", "send_email", "send_webhook", "sign", "start_worker",
    "stop_worker", "verify_signature", "webhook_body",
]
