"""Storage behind one small interface, chosen by a database URL.

    store = open_store()                       # the settings' database: KNEEASSESS_DATABASE_URL, or SQLite
    store = open_store("postgresql+psycopg://postgres@127.0.0.1:5432/test")

The runner's services take a :class:`Store`, the clinic's a :class:`LeadStore`; the UI holds one :class:`AppStore`
(both). Pages never see SQL.

One user action, one transaction: a service that writes more than one row runs its writes inside
``with store.transaction(): ...`` (all or nothing), or stores a batch with ``add_many``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Protocol, TypeVar

from kneeassess.records import (
    AuditEntry,
    Event,
    OutboxClaim,
    OutboxItem,
    Profile,
    Record,
    Request,
    Screening,
    StatusChange,
    Unit,
    Visit,
)
from kneeassess.settings import Settings, current

R = TypeVar("R", bound=Record)  # a log record: Run, CheckIn, ExerciseSession, SavedAssessment (records.LogRecord)

ROOT = Path(__file__).resolve().parents[2]


class NotFound(LookupError):
    """No such record in this profile (or no such profile)."""


class StorageError(RuntimeError):
    """The database could not be reached or refused the write. Safe to show: it carries no SQL."""


class Store(Protocol):
    """A runner's profile and the records logged in it."""

    def transaction(self) -> AbstractContextManager[None]: ...
    # one unit of work: the write (and read) methods called inside it, in this thread, share one database
    # transaction, committed at its end and rolled back whole when it ends with an exception; nested: joins the
    # outer one. An exception raised inside it must end it (the database may have aborted the transaction).

    def create_profile(self, token_hash: str, unit: Unit = "km", event: str | None = None) -> Profile: ...
    def profile_by_token_hash(self, token_hash: str) -> Profile | None: ...
    def set_unit(self, profile_id: str, unit: Unit) -> None: ...
    def set_clinician_checked(self, profile_id: str, day: date | None) -> None: ...  # NotFound
    def delete_profile(self, profile_id: str, *, with_requests: bool = True) -> int: ...  # requests erased

    def add(self, record: R) -> R: ...  # returns the record with its id
    def add_many(self, records: Sequence[R]) -> list[R]: ...  # in one transaction; with their ids, in order
    def update(self, record: R) -> R: ...  # NotFound unless id belongs to record.profile_id
    def delete(self, kind: type[Record], profile_id: str, record_id: int) -> None: ...
    def list_records(self, kind: type[R], profile_id: str) -> list[R]: ...  # oldest first (by day / created_at, id)


class AlreadyExists(ValueError):
    """A record with this unique key (e.g. an event's slug) is stored already."""


class LimitReached(Exception):
    """A rate limit of :meth:`LeadStore.add_request` was reached; nothing was stored. ``check`` names which."""

    def __init__(self, check: RateCheck) -> None:
        super().__init__(f"rate limit reached: {check.kind}")
        self.check = check


@dataclass(frozen=True)
class RateCheck:
    """At most ``limit`` rate events of (``kind``, ``key_hash``) within ``window`` before now (this one included)."""

    kind: str
    key_hash: str  # SHA-256 hex: the rate table holds no personal data
    limit: int
    window: timedelta


class LeadStore(Protocol):
    """Consultation requests, their outbox, events, screenings, staff sign-in failures and the audit log.

    Implemented by :class:`kneeassess.storage.sql.SqlStore` next to :class:`Store` (``open_store()`` returns one).
    """

    def transaction(self) -> AbstractContextManager[None]: ...  # as Store.transaction

    # requests
    def add_request(
        self, request: Request, channels: Sequence[str], checks: Sequence[RateCheck], now: datetime
    ) -> Request: ...  # rate events + request + one outbox row per channel, in one transaction; LimitReached
    def get_request(self, request_id: int) -> Request | None: ...
    def list_requests(
        self, status: str | None = None, event: str | None = None,
        since: datetime | None = None, until: datetime | None = None,
    ) -> list[Request]: ...  # newest first
    def requests_by_contact(self, email: str | None, phone: str | None) -> list[Request]: ...
    def modify_request(self, request_id: int, change: Callable[[Request], Request]) -> Request: ...  # NotFound
    # (a change of status also adds a dated StatusChange to the request's history, in the same transaction)
    def status_history(self, request_id: int) -> list[StatusChange]: ...  # oldest first
    def erase_requests(
        self, request_ids: Sequence[int], rate_key_hashes: Sequence[str], audit: AuditEntry
    ) -> dict[str, int]: ...  # deletes, then writes ``audit`` with the counts added to its details

    # outbox
    def claim_outbox(self, now: datetime, lease: timedelta, limit: int) -> list[OutboxClaim]: ...
    def release_claim(self, outbox_id: int, token: str) -> None: ...
    def finish_delivery(
        self, outbox_id: int, token: str, *, delivered: bool, at: datetime, http_status: int | None,
        error: str | None, next_attempt_at: datetime | None, give_up_after: int | None = None,
    ) -> bool: ...  # False when the row is gone (erased meanwhile); "failed" after give_up_after same failures
    def failed_deliveries(self) -> list[OutboxItem]: ...  # rows given up on: staff attention needed
    def outbox_for_request(self, request_id: int) -> list[OutboxItem]: ...  # with their attempts

    # events and screenings
    def add_event(self, event: Event) -> Event: ...  # AlreadyExists
    def list_events(self) -> list[Event]: ...
    def event_by_slug(self, slug: str) -> Event | None: ...
    def add_screening(self, screening: Screening) -> Screening: ...
    def set_screening_took_home(self, screening_id: int, took_home: bool = True) -> None: ...  # NotFound
    def screening_counts(self) -> list[tuple[str | None, str, str | None, int]]: ...  # (event, triage, link, n)
    def took_home_counts(self) -> dict[str | None, int]: ...
    def request_counts_by_event(self) -> dict[str | None, int]: ...

    # the growth dashboard: rows that name no one (``since`` inclusive, ``until`` exclusive)
    def add_visit(self, visit: Visit) -> Visit: ...
    def visits_between(self, since: datetime, until: datetime) -> list[Visit]: ...
    def screenings_between(self, since: datetime, until: datetime) -> list[Screening]: ...
    def status_changes_between(self, since: datetime, until: datetime) -> list[StatusChange]: ...  # by request time

    # staff sign-in and audit
    def add_login_failure(self, key_hash: str, at: datetime) -> None: ...
    def count_login_attempt(
        self, key_hash: str, at: datetime, since: datetime, per_key: int, overall: int,
        lock: Callable[[list[datetime], list[datetime]], datetime | None],
    ) -> datetime | None: ...  # check and count in one transaction: the lock's end, or None (counted as failed)
    def login_failures(self, key_hash: str | None, since: datetime, limit: int) -> list[datetime]: ...  # newest 1st
    def clear_login_failures(self, key_hash: str) -> None: ...
    def list_audit(self, limit: int = 100) -> list[AuditEntry]: ...

    # from Store: erase_person deletes a linked profile with it
    def delete_profile(self, profile_id: str, *, with_requests: bool = True) -> int: ...


class AppStore(Store, LeadStore, Protocol):
    """The one store the app holds (``open_store()``): the runner's records and the clinic's requests."""


def default_url(settings: Settings | None = None) -> str:
    """KNEEASSESS_DATABASE_URL, or a SQLite file in KNEEASSESS_VAR_DIR (see :mod:`kneeassess.settings`)."""
    return (settings or current()).store_url


def open_store(url: str | None = None, *, settings: Settings | None = None) -> AppStore:
    from kneeassess.storage.sql import SqlStore

    return SqlStore(url or default_url(settings))
