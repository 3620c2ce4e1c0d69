"""Delivering due outbox rows: claim them under a lease, send each, record every attempt, schedule retries.

A failed attempt is retried after 30 s × 2^attempt (capped at 1 h, ±10 % jitter); a row is never given up.
"""

from __future__ import annotations

import logging
import random
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from kneeassess.outbox import transport
from kneeassess.outbox.config import DeliveryConfig
from kneeassess.storage import LeadStore

log = logging.getLogger("kneeassess.outbox")

LEASE = timedelta(seconds=60)
LEASE_MARGIN_S = 5.0  # stop sending from a claim when less than a send's timeout and this is left of the lease
BACKOFF_BASE_S = 30.0
BACKOFF_CAP_S = 3600.0
BACKOFF_JITTER = 0.1
FAIL_AFTER = 5


def fail_after() -> int:
    """KNEEASSESS_OUTBOX_FAIL_AFTER (default 5, :mod:`kneeassess.settings`): a row that fails the same permanent way
    this many times in a row is marked failed: no more retries, and the staff console shows it as needing
    attention."""
    from kneeassess.settings import current

    return current().outbox_fail_after


def backoff(attempts_before: int, rng: random.Random | None = None) -> timedelta:
    """How long to wait after a failed attempt: 30 s × 2^(earlier failed attempts), at most 1 h, ±10 % jitter."""
    base = BACKOFF_BASE_S * 2 ** min(max(attempts_before, 0), 20)
    jitter = 1 + (rng or random).uniform(-BACKOFF_JITTER, BACKOFF_JITTER)
    return timedelta(seconds=min(BACKOFF_CAP_S, base * jitter))


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
    ``config``: default the process's settings (:attr:`kneeassess.settings.Settings.delivery`).
    """
    if config is None:
        from kneeassess.settings import current

        config = current().delivery
    start = now or datetime.now(UTC)
    started = time.monotonic()
    claims = store.claim_outbox(start, LEASE, limit)
    report = DeliveryReport(claimed=len(claims))
    for i, claim in enumerate(claims):
        if time.monotonic() - started > LEASE.total_seconds() - transport.SEND_TIMEOUT_S - LEASE_MARGIN_S:
            for rest in claims[i:]:
                store.release_claim(rest.item.id, rest.token)
            report.released = len(claims) - i
            break
        outcome = transport.send(claim, config)
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
