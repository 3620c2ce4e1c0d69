"""The one :class:`~kneeassess.storage.Store`: SQLAlchemy Core over SQLite (a local file) or PostgreSQL.

Every method runs in its own short transaction on a connection from the engine's pool, so one ``SqlStore`` may be
shared by the threads of a process; inside ``with store.transaction():`` the methods called by that thread share the
unit's one transaction instead (all or nothing: one transaction per user action). Write methods start with their
write statement: on SQLite that takes the write lock first, so a busy database makes them wait (``busy_timeout``)
instead of failing with "database is locked".
The :class:`~kneeassess.storage.LeadStore` methods that read and then write (rate limits, claiming outbox rows,
status changes) run in ``_write_tx``: ``BEGIN IMMEDIATE`` on SQLite, row and advisory locks on PostgreSQL.

Datetimes are stored and returned as UTC (aware); a naive datetime is taken to be UTC already.
"""

from __future__ import annotations

import builtins
import hashlib
import logging
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar, get_args

import sqlalchemy as sa
from alembic.util import CommandError
from sqlalchemy import event, exc
from sqlalchemy.engine import URL, Engine, make_url
from sqlalchemy.pool import NullPool

from kneeassess.records import (
    AuditEntry,
    CheckIn,
    DeliveryAttempt,
    Event,
    ExerciseSession,
    MovementCheck,
    OutboxClaim,
    OutboxItem,
    Profile,
    Record,
    Request,
    Run,
    SavedAssessment,
    Screening,
    StatusChange,
    Unit,
    Visit,
)
from kneeassess.storage import AlreadyExists, LimitReached, NotFound, RateCheck, StorageError

R = TypeVar("R", bound=Record)

SQLITE_BUSY_TIMEOUT_S = 5  # default of KNEEASSESS_DB_LOCK_TIMEOUT_S
PG_CONNECT_TIMEOUT_S = 10
PG_STATEMENT_TIMEOUT_S = 15  # default of KNEEASSESS_DB_STATEMENT_TIMEOUT_S
FAILURE_LOG_REPEAT_S = 60.0  # the same failure of the same operation is logged at most once a minute

log = logging.getLogger(__name__)


def lock_timeout_s() -> float:
    """KNEEASSESS_DB_LOCK_TIMEOUT_S (default 5): how long a write waits for another's lock before "try again"
    (SQLite's busy timeout, PostgreSQL's lock_timeout)."""
    from kneeassess.settings import current

    return current().db_lock_timeout_s


def statement_timeout_s() -> float:
    """KNEEASSESS_DB_STATEMENT_TIMEOUT_S (default 15): PostgreSQL's statement_timeout for the app's statements."""
    from kneeassess.settings import current

    return current().db_statement_timeout_s


_last_logged: dict[tuple[str, str], float] = {}


def _log_failure(error: BaseException) -> None:
    """One line per failure, with the operation (the store method) and the driver's message; no traceback, and
    the same failure of the same operation not again within a minute (an unreachable database at every rerun)."""
    operation = "?"
    frame = sys._getframe(2)
    while frame is not None:
        name = frame.f_code.co_name
        if frame.f_code.co_filename == __file__ and (name == "__init__" or not name.startswith("_")):
            operation = "opening the store" if name == "__init__" else name
            break
        frame = frame.f_back  # type: ignore[assignment]
    text = str(getattr(error, "orig", None) or error).strip()
    detail = text.splitlines()[0][:300] if text else type(error).__name__
    key, now = (operation, detail), time.monotonic()
    if now - _last_logged.get(key, -FAILURE_LOG_REPEAT_S) >= FAILURE_LOG_REPEAT_S:
        _last_logged[key] = now
        log.error("database: %s failed: %s: %s", operation, type(error).__name__, detail)


class UTCDateTime(sa.TypeDecorator[datetime]):
    """A timestamp with time zone that always comes back aware, in UTC (SQLite itself keeps no zone)."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        if value is None:
            return None
        value = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


metadata = sa.MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)


def _log_table(name: str, *columns: sa.schema.SchemaItem) -> sa.Table:  # columns, and indexes on them
    return sa.Table(
        name,
        metadata,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "profile_id", sa.String(32), sa.ForeignKey("profiles.id", ondelete="CASCADE"), nullable=False, index=True
        ),
        *columns,
        sqlite_autoincrement=True,  # never hand a deleted record's id to a new one
    )


profiles = sa.Table(
    "profiles",
    metadata,
    sa.Column("id", sa.String(32), primary_key=True),
    sa.Column("token_hash", sa.String(128), nullable=False),
    sa.Column("created_at", UTCDateTime(), nullable=False),
    sa.Column("unit", sa.String(2), nullable=False),
    sa.Column("event", sa.String(), nullable=True),
    sa.Column("revision", sa.Integer(), nullable=False, server_default="0"),  # raised by every write to the profile
    # the latest assessment's triage and flags, and the day a clinician checked the knee (brief §2; migration 0004)
    sa.Column("triage", sa.String(20), nullable=True),
    sa.Column("red_flags", sa.JSON(), nullable=True),
    sa.Column("triage_at", UTCDateTime(), nullable=True),
    sa.Column("clinician_checked_on", sa.Date(), nullable=True),
    sa.Index("ix_profiles_token_hash", "token_hash", unique=True),
)

_NEXT_REVISION = profiles.c.revision + 1


def _raise_revision(conn: sa.Connection, profile_id: str) -> None:
    """In the write's own transaction: a reader that sees the write sees the new revision too."""
    conn.execute(sa.update(profiles).where(profiles.c.id == profile_id).values(revision=_NEXT_REVISION))


assessments = _log_table(
    "assessments",
    sa.Column("created_at", UTCDateTime(), nullable=False),
    sa.Column("kind", sa.String(20), nullable=False),
    sa.Column("answers", sa.JSON(), nullable=False),
    sa.Column("result", sa.JSON(), nullable=False),
)

runs = _log_table(
    "runs",
    sa.Column("day", sa.Date(), nullable=False),
    sa.Column("km", sa.Float(), nullable=False),
    sa.Column("minutes", sa.Float(), nullable=False),
    sa.Column("effort", sa.Integer(), nullable=True),
    sa.Column("fast_minutes", sa.Float(), nullable=False),
    sa.Column("source", sa.String(40), nullable=False),
    sa.Column("started_at", UTCDateTime(), nullable=True),
    sa.Column("avg_hr", sa.Integer(), nullable=True),
    sa.Index("ix_runs_profile_id_started_at", "profile_id", "started_at"),
)

checkins = _log_table(
    "checkins",
    sa.Column("day", sa.Date(), nullable=False),
    sa.Column("during", sa.Integer(), nullable=True),
    sa.Column("next_morning", sa.Integer(), nullable=True),
)

exercise_sessions = _log_table(
    "exercise_sessions",
    sa.Column("day", sa.Date(), nullable=False),
    sa.Column("exercise", sa.String(60), nullable=False),
    sa.Column("sets", sa.Integer(), nullable=False),
    sa.Column("reps", sa.Integer(), nullable=True),
    sa.Column("seconds", sa.Integer(), nullable=True),
    sa.Column("load", sa.String(40), nullable=True),
    sa.Column("pain", sa.Integer(), nullable=True),
)

movement_checks = _log_table(  # migration 0007: the movement check's figures (the video is never stored)
    "movement_checks",
    sa.Column("created_at", UTCDateTime(), nullable=False),
    sa.Column("squat", sa.String(20), nullable=False),
    sa.Column("fppa_left", sa.Float(), nullable=True),
    sa.Column("fppa_right", sa.Float(), nullable=True),
    sa.Column("figures", sa.JSON(), nullable=False),
)

TABLES: dict[type[Record], sa.Table] = {
    SavedAssessment: assessments,
    Run: runs,
    CheckIn: checkins,
    ExerciseSession: exercise_sessions,
    MovementCheck: movement_checks,
}


# consultation requests and their delivery, events, screenings, rate limits, staff sign-in, audit (migration 0002)

requests = sa.Table(
    "requests",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("created_at", UTCDateTime(), nullable=False, index=True),
    sa.Column("updated_at", UTCDateTime(), nullable=False),
    sa.Column("status", sa.String(20), nullable=False, index=True),
    sa.Column("name", sa.String(100), nullable=False),
    sa.Column("email", sa.String(320), nullable=True, index=True),
    sa.Column("phone", sa.String(32), nullable=True, index=True),
    sa.Column("preferred_days", sa.JSON(), nullable=False),
    sa.Column("preferred_time", sa.String(200), nullable=False),
    sa.Column("message", sa.Text(), nullable=False),
    sa.Column("consent_contact", sa.Boolean(), nullable=False),
    sa.Column("consent_marketing", sa.Boolean(), nullable=False),
    sa.Column("consent_assessment", sa.Boolean(), nullable=False),
    sa.Column("assessment", sa.JSON(), nullable=True),
    sa.Column("event", sa.String(40), nullable=True, index=True),
    sa.Column("utm_source", sa.String(100), nullable=True),  # migration 0005
    sa.Column("utm_medium", sa.String(100), nullable=True),
    sa.Column("utm_campaign", sa.String(100), nullable=True),
    sa.Column("not_booked_reason", sa.String(30), nullable=True),
    sa.Column("profile_id", sa.String(32), nullable=True),  # no foreign key: a stale id must never lose a request
    sa.Column("notes", sa.JSON(), nullable=False),
    sqlite_autoincrement=True,
)

outbox = sa.Table(
    "outbox",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column(
        "request_id", sa.Integer, sa.ForeignKey("requests.id", ondelete="CASCADE"), nullable=False, index=True
    ),
    sa.Column("channel", sa.String(20), nullable=False),
    sa.Column("status", sa.String(20), nullable=False),
    sa.Column("attempts", sa.Integer(), nullable=False),
    sa.Column("created_at", UTCDateTime(), nullable=False),
    sa.Column("next_attempt_at", UTCDateTime(), nullable=False),
    sa.Column("claimed_until", UTCDateTime(), nullable=True),
    sa.Column("claim_token", sa.String(32), nullable=True),
    sa.Column("delivered_at", UTCDateTime(), nullable=True),
    sa.Column("last_error", sa.String(500), nullable=True),
    sa.Index("ix_outbox_request_id_channel", "request_id", "channel", unique=True),
    sa.Index("ix_outbox_status_next_attempt_at", "status", "next_attempt_at"),
    sqlite_autoincrement=True,
)

delivery_attempts = sa.Table(
    "delivery_attempts",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("outbox_id", sa.Integer, sa.ForeignKey("outbox.id", ondelete="CASCADE"), nullable=False, index=True),
    sa.Column(
        "request_id", sa.Integer, sa.ForeignKey("requests.id", ondelete="CASCADE"), nullable=False, index=True
    ),
    sa.Column("at", UTCDateTime(), nullable=False),
    sa.Column("channel", sa.String(20), nullable=False),
    sa.Column("outcome", sa.String(20), nullable=False),
    sa.Column("http_status", sa.Integer(), nullable=True),
    sa.Column("error", sa.String(500), nullable=True),
    sqlite_autoincrement=True,
)

events = sa.Table(
    "events",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("slug", sa.String(40), nullable=False),
    sa.Column("name", sa.String(100), nullable=False),
    sa.Column("day", sa.Date(), nullable=False),
    sa.Column("place", sa.String(200), nullable=False),
    sa.Column("created_at", UTCDateTime(), nullable=False),
    sa.Index("ix_events_slug", "slug", unique=True),
)

screenings = sa.Table(
    "screenings",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("created_at", UTCDateTime(), nullable=False),
    sa.Column("event", sa.String(40), nullable=True, index=True),
    sa.Column("triage", sa.String(20), nullable=False),
    sa.Column("top_weak_link", sa.String(20), nullable=True),
    sa.Column("took_home", sa.Boolean(), nullable=False),
    sa.Column("utm_source", sa.String(100), nullable=True),  # migration 0005
    sa.Column("utm_medium", sa.String(100), nullable=True),
    sa.Column("utm_campaign", sa.String(100), nullable=True),
)

# the growth funnel (migration 0005): visits, and each request's dated steps (anonymous once erased)

visits = sa.Table(
    "visits",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("created_at", UTCDateTime(), nullable=False, index=True),
    sa.Column("event", sa.String(40), nullable=True),
    sa.Column("utm_source", sa.String(100), nullable=True),
    sa.Column("utm_medium", sa.String(100), nullable=True),
    sa.Column("utm_campaign", sa.String(100), nullable=True),
)

status_history = sa.Table(
    "status_history",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("request_id", sa.Integer, nullable=True, index=True),  # cleared on erasure; no foreign key
    sa.Column("lead_key", sa.String(32), nullable=False, index=True),
    sa.Column("request_created_at", UTCDateTime(), nullable=False, index=True),
    sa.Column("at", UTCDateTime(), nullable=False),
    sa.Column("status_from", sa.String(20), nullable=True),
    sa.Column("status_to", sa.String(20), nullable=False),
    sa.Column("reason", sa.String(30), nullable=True),
    sa.Column("event", sa.String(40), nullable=True),
    sa.Column("utm_source", sa.String(100), nullable=True),
    sa.Column("utm_medium", sa.String(100), nullable=True),
    sa.Column("utm_campaign", sa.String(100), nullable=True),
    sqlite_autoincrement=True,
)

rate_events = sa.Table(
    "rate_events",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("kind", sa.String(20), nullable=False),
    sa.Column("key_hash", sa.String(64), nullable=False),
    sa.Column("created_at", UTCDateTime(), nullable=False, index=True),
    sa.Index("ix_rate_events_kind_key_hash_created_at", "kind", "key_hash", "created_at"),
)

login_failures = sa.Table(
    "login_failures",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("key_hash", sa.String(64), nullable=False),
    sa.Column("created_at", UTCDateTime(), nullable=False, index=True),
    sa.Index("ix_login_failures_key_hash_created_at", "key_hash", "created_at"),
)

audit_log = sa.Table(
    "audit",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("at", UTCDateTime(), nullable=False, index=True),
    sa.Column("staff", sa.String(100), nullable=False),
    sa.Column("action", sa.String(40), nullable=False),
    sa.Column("details", sa.JSON(), nullable=False),
    sqlite_autoincrement=True,
)

# follow-up reminders (migration 0006): consents, the reminder outbox, suppressed addresses, anonymous counts

reminder_consents = sa.Table(
    "reminder_consents",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("profile_id", sa.String(32), nullable=True, index=True),
    sa.Column("email", sa.String(320), nullable=False),
    sa.Column("email_hash", sa.String(64), nullable=False, index=True),
    sa.Column("kind", sa.String(20), nullable=False),
    sa.Column("home_link", sa.String(500), nullable=False),
    sa.Column("consented_at", UTCDateTime(), nullable=False),
    sa.Column("withdrawn_at", UTCDateTime(), nullable=True),
    sqlite_autoincrement=True,
)

reminders = sa.Table(
    "reminders",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("consent_id", sa.Integer, sa.ForeignKey("reminder_consents.id", ondelete="CASCADE"), nullable=False),
    sa.Column("due_at", UTCDateTime(), nullable=False),
    sa.Column("status", sa.String(20), nullable=False),  # pending, sending, sent, cancelled
    sa.Column("attempts", sa.Integer(), nullable=False),
    sa.Column("next_attempt_at", UTCDateTime(), nullable=False),
    sa.Column("claimed_until", UTCDateTime(), nullable=True),
    sa.Column("claim_token", sa.String(32), nullable=True),
    sa.Column("sent_at", UTCDateTime(), nullable=True),
    sa.Column("last_error", sa.String(500), nullable=True),
    sa.Index("ix_reminders_consent_id_due_at", "consent_id", "due_at", unique=True),
    sa.Index("ix_reminders_status_next_attempt_at", "status", "next_attempt_at"),
    sqlite_autoincrement=True,
)

email_suppressions = sa.Table(
    "email_suppressions",
    metadata,
    sa.Column("email_hash", sa.String(64), primary_key=True),
    sa.Column("at", UTCDateTime(), nullable=False),
)

reminder_counts = sa.Table(
    "reminder_counts",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("at", UTCDateTime(), nullable=False, index=True),
    sa.Column("kind", sa.String(20), nullable=False),
    sa.Column("what", sa.String(20), nullable=False),  # consented, sent, opened, unsubscribed
)

RATE_EVENTS_KEPT = timedelta(days=2)  # longer than any rate window
LOGIN_FAILURES_KEPT = timedelta(days=1)


def _table(kind: type[Record]) -> sa.Table:
    try:
        return TABLES[kind]
    except KeyError:
        raise TypeError(f"not a stored record type: {kind!r}") from None


def _order(table: sa.Table) -> tuple[sa.ColumnElement[Any], ...]:
    first = table.c.created_at if table is assessments or table is movement_checks else table.c.day
    return (first, table.c.id)


def _values(record: Record) -> dict[str, Any]:
    return record.model_dump(exclude={"id", "profile_id"})


def make_engine(url: str | URL, *, migrating: bool = False) -> Engine:
    """An engine set up for this app: SQLite in WAL mode with a busy timeout, PostgreSQL with pre-ping.

    ``migrating``: no pool, and on SQLite every transaction is ``BEGIN IMMEDIATE`` (with foreign keys off, as
    batch migrations need), so processes starting at once run the migrations one after the other.
    """
    url = make_url(url)
    kwargs: dict[str, Any] = {"poolclass": NullPool} if migrating else {}
    if url.get_backend_name() == "sqlite":
        if not url.database or url.database == ":memory:" or url.database.startswith("file:"):
            raise ValueError("the SQLite store needs a file path, e.g. sqlite:///var/kneeassess.db")
        try:
            Path(url.database).parent.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise StorageError("The database folder could not be created.") from e
        engine = sa.create_engine(url, connect_args={"timeout": lock_timeout_s()}, **kwargs)
        _sqlite_setup(engine, foreign_keys=not migrating, immediate=migrating)
        return engine
    if url.get_backend_name() == "postgresql" and "connect_timeout" not in url.query:
        kwargs["connect_args"] = {"connect_timeout": PG_CONNECT_TIMEOUT_S}
    engine = sa.create_engine(url, pool_pre_ping=True, **kwargs)
    if not migrating:  # a migration may take longer than a page's statements

        @event.listens_for(engine, "connect")
        def _timeouts(dbapi_connection: Any, _record: Any) -> None:
            with dbapi_connection.cursor() as cursor:
                cursor.execute(f"SET statement_timeout = {round(statement_timeout_s() * 1000)}")
                cursor.execute(f"SET lock_timeout = {round(lock_timeout_s() * 1000)}")
            dbapi_connection.commit()

    return engine


def _sqlite_setup(engine: Engine, *, foreign_keys: bool, immediate: bool) -> None:
    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection: Any, _record: Any) -> None:
        if immediate:
            dbapi_connection.isolation_level = None  # we emit BEGIN ourselves (below)
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout={round(lock_timeout_s() * 1000)}")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA secure_delete=ON")  # deleted rows are overwritten with zeros, not left in free space
        cursor.execute(f"PRAGMA foreign_keys={'ON' if foreign_keys else 'OFF'}")
        cursor.close()

    if immediate:

        @event.listens_for(engine, "begin")
        def _begin(connection: sa.Connection) -> None:
            connection.exec_driver_sql("BEGIN IMMEDIATE")


@contextmanager
def _plain_errors() -> Iterator[None]:
    """Database failures as StorageError with a message safe to show (the SQL stays in ``__cause__``)."""
    try:
        yield
    except exc.OperationalError as e:
        _log_failure(e)
        raise StorageError("The database could not be reached or is busy. Please try again in a moment.") from e
    except exc.IntegrityError as e:
        raise StorageError("The database refused the change.") from e
    except (exc.DBAPIError, exc.TimeoutError) as e:
        _log_failure(e)
        raise StorageError("The database failed to complete the request. Please try again in a moment.") from e


class _Unit(threading.local):
    """The connection of the unit of work (``SqlStore.transaction``) open in this thread, if any."""

    conn: sa.Connection | None = None


class SqlStore:
    """:class:`~kneeassess.storage.AppStore` on a database URL; brings the schema up to date when created."""

    def __init__(self, url: str | URL) -> None:
        from kneeassess.storage.migrate import upgrade

        self.engine = make_engine(url)
        self._unit = _Unit()
        try:
            with _plain_errors():
                upgrade(url)
        except CommandError as e:
            self.engine.dispose()
            raise StorageError("The database schema does not match this version of the app.") from e
        except BaseException:
            self.engine.dispose()
            raise

    def close(self) -> None:
        """Close the pooled connections (the store can still be used; it reconnects)."""
        self.engine.dispose()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One unit of work: the methods this thread calls inside it share one transaction, committed at its end
        and rolled back whole when it ends with an exception (so a retry never finds half of it). Nested: joins the
        outer unit. It takes the write lock at its start on SQLite (``BEGIN IMMEDIATE``), as ``_write_tx`` does.

        An exception raised by a method inside it must end the unit: PostgreSQL refuses further statements in a
        transaction that has failed."""
        if self._unit.conn is not None:
            yield
            return
        with _plain_errors(), self.engine.begin() as conn:
            if conn.dialect.name == "sqlite":
                conn.exec_driver_sql("BEGIN IMMEDIATE")
            self._unit.conn = conn
            try:
                yield
            finally:
                self._unit.conn = None

    @contextmanager
    def _tx(self) -> Iterator[sa.Connection]:
        """A short transaction of its own, or this thread's unit of work when one is open."""
        if self._unit.conn is not None:
            with _plain_errors():
                yield self._unit.conn
            return
        with _plain_errors(), self.engine.begin() as conn:
            yield conn

    # profiles

    def create_profile(self, token_hash: str, unit: Unit = "km", event: str | None = None) -> Profile:
        profile = Profile(id=uuid.uuid4().hex, created_at=datetime.now(UTC), unit=unit, event=event)
        with self._tx() as conn:
            conn.execute(sa.insert(profiles).values(token_hash=token_hash, **profile.model_dump()))
        return profile

    def profile_by_token_hash(self, token_hash: str) -> Profile | None:
        query = sa.select(
            profiles.c.id, profiles.c.created_at, profiles.c.unit, profiles.c.event, profiles.c.revision,
            profiles.c.triage, profiles.c.red_flags, profiles.c.triage_at, profiles.c.clinician_checked_on,
        ).where(
            profiles.c.token_hash == token_hash
        )
        with self._tx() as conn:
            row = conn.execute(query).mappings().first()
        if row is None:
            return None
        return Profile.model_validate({**row, "red_flags": row["red_flags"] or []})

    def set_clinician_checked(self, profile_id: str, day: date | None) -> None:
        with self._tx() as conn:
            done = conn.execute(sa.update(profiles).where(profiles.c.id == profile_id).values(
                clinician_checked_on=day, revision=_NEXT_REVISION))
            if done.rowcount != 1:
                raise NotFound(f"no profile {profile_id!r}")

    def set_unit(self, profile_id: str, unit: Unit) -> None:
        if unit not in get_args(Unit):
            raise ValueError(f"unknown unit {unit!r}")
        with self._tx() as conn:
            done = conn.execute(
                sa.update(profiles).where(profiles.c.id == profile_id).values(unit=unit, revision=_NEXT_REVISION)
            )
            if done.rowcount != 1:
                raise NotFound(f"no profile {profile_id!r}")

    def delete_profile(self, profile_id: str, *, with_requests: bool = True) -> int:
        """Delete the profile and everything in it, with the consultation requests sent from it (their outbox
        rows and delivery attempts): the number of those requests. Deleting a profile that is already gone does
        nothing. On SQLite the deleted text is overwritten (``secure_delete``) and the WAL checkpointed.
        ``with_requests=False``: the requests stay (staff erasure erases and counts them itself)."""
        with self._tx() as conn:
            for table in TABLES.values():  # ON DELETE CASCADE does this too; explicit in case foreign keys are off
                conn.execute(sa.delete(table).where(table.c.profile_id == profile_id))
            conn.execute(sa.delete(profiles).where(profiles.c.id == profile_id))
            erased = 0
            if with_requests:
                sent = sa.select(requests.c.id).where(requests.c.profile_id == profile_id).scalar_subquery()
                conn.execute(sa.delete(delivery_attempts).where(delivery_attempts.c.request_id.in_(sent)))
                conn.execute(sa.delete(outbox).where(outbox.c.request_id.in_(sent)))
                erased = conn.execute(sa.delete(requests).where(requests.c.profile_id == profile_id)).rowcount
        self._checkpoint()
        return erased

    def _checkpoint(self) -> None:
        """After an erase on SQLite: copy the WAL into the database file and empty it, so deleted text does not
        live on in the WAL (``secure_delete`` has already zeroed it in the pages). Best effort: a busy reader
        only delays it to the next automatic checkpoint."""
        if self.engine.dialect.name != "sqlite":
            return
        try:
            with self.engine.connect() as conn:
                conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        except exc.DBAPIError as e:
            _log_failure(e)

    # log records

    def add(self, record: R) -> R:
        if record.id is not None:
            raise ValueError("this record is already stored (it has an id); use update()")
        table = _table(type(record))
        try:
            with self._tx() as conn:
                done = conn.execute(sa.insert(table).values(profile_id=record.profile_id, **_values(record)))
                _raise_revision(conn, record.profile_id)
                if isinstance(record, SavedAssessment):  # the profile keeps its latest triage: same transaction
                    conn.execute(sa.update(profiles).where(profiles.c.id == record.profile_id).values(
                        triage=record.result.get("triage"), red_flags=record.result.get("red_flags", []),
                        triage_at=record.created_at))
        except StorageError as e:
            if isinstance(e.__cause__, exc.IntegrityError):  # the only constraint a valid record can break: the FK
                raise NotFound(f"no profile {record.profile_id!r}") from None
            raise
        assert done.inserted_primary_key is not None
        return record.model_copy(update={"id": done.inserted_primary_key[0]})

    def add_many(self, records: Sequence[R]) -> list[R]:
        """Store the records in one transaction (one multi-row INSERT per kind, one revision raise per profile):
        all or none. Returns them with their ids, in the order given."""
        if any(record.id is not None for record in records):
            raise ValueError("a record is already stored (it has an id); use update()")
        ids: dict[int, int] = {}  # position -> id
        try:
            with self._tx() as conn:
                for kind in dict.fromkeys(type(record) for record in records):
                    table = _table(kind)
                    at = [i for i, record in enumerate(records) if type(record) is kind]
                    done = conn.execute(
                        sa.insert(table).returning(table.c.id, sort_by_parameter_order=True),
                        [{"profile_id": records[i].profile_id, **_values(records[i])} for i in at],
                    )
                    ids.update(zip(at, done.scalars(), strict=True))
                for profile_id in sorted({record.profile_id for record in records}):
                    _raise_revision(conn, profile_id)
        except StorageError as e:
            if isinstance(e.__cause__, exc.IntegrityError):  # as in add(): a profile that does not exist
                raise NotFound("no such profile") from None
            raise
        return [record.model_copy(update={"id": ids[i]}) for i, record in enumerate(records)]

    def update(self, record: R) -> R:
        table = _table(type(record))
        with self._tx() as conn:
            done = conn.execute(
                sa.update(table)
                .where(table.c.id == record.id, table.c.profile_id == record.profile_id)
                .values(**_values(record))
            )
            if record.id is None or done.rowcount != 1:
                raise NotFound(f"no {type(record).__name__} {record.id} in this profile")
            _raise_revision(conn, record.profile_id)
        return record.model_copy()

    def delete(self, kind: type[Record], profile_id: str, record_id: int) -> None:
        table = _table(kind)
        with self._tx() as conn:
            done = conn.execute(sa.delete(table).where(table.c.id == record_id, table.c.profile_id == profile_id))
            if done.rowcount != 1:
                raise NotFound(f"no {kind.__name__} {record_id} in this profile")
            _raise_revision(conn, profile_id)

    def list_records(self, kind: type[R], profile_id: str) -> list[R]:
        table = _table(kind)
        with self._tx() as conn:
            rows = conn.execute(sa.select(table).where(table.c.profile_id == profile_id).order_by(*_order(table)))
            keys = list(rows.keys())  # once, not per row (RowMapping.keys() per row was half the time)
            return [kind.model_validate(dict(zip(keys, row, strict=True))) for row in rows]

    # ----------------------------------------------------------------------------------------------
    # LeadStore: consultation requests, outbox, events, screenings, staff sign-in failures, audit
    # ----------------------------------------------------------------------------------------------

    @contextmanager
    def _write_tx(self) -> Iterator[sa.Connection]:
        """A transaction that reads then writes: SQLite takes the write lock at its start (``BEGIN IMMEDIATE``),
        so two processes cannot both read the same state and act on it; PostgreSQL locks rows as it reads them
        (``FOR UPDATE``, advisory locks)."""
        if self._unit.conn is not None:  # the unit took the write lock (SQLite) at its start
            with _plain_errors():
                yield self._unit.conn
            return
        with _plain_errors(), self.engine.begin() as conn:
            if conn.dialect.name == "sqlite":
                conn.exec_driver_sql("BEGIN IMMEDIATE")
            yield conn

    # requests

    def add_request(
        self, request: Request, channels: Sequence[str], checks: Sequence[RateCheck], now: datetime
    ) -> Request:
        """Check and count the rate limits, store the request and one outbox row per channel: all or nothing.

        Raises :class:`LimitReached` (nothing stored) when a check's limit is reached.
        """
        if request.id is not None:
            raise ValueError("this request is already stored (it has an id)")
        with self._write_tx() as conn:
            if conn.dialect.name == "postgresql":  # two submissions with the same key take turns
                for key in sorted({check.key_hash for check in checks}):
                    conn.execute(sa.select(sa.func.pg_advisory_xact_lock(_lock_key("rate:" + key))))
            for check in checks:
                count = conn.execute(
                    sa.select(sa.func.count())
                    .select_from(rate_events)
                    .where(
                        rate_events.c.kind == check.kind,
                        rate_events.c.key_hash == check.key_hash,
                        rate_events.c.created_at > now - check.window,
                    )
                ).scalar_one()
                if count >= check.limit:
                    raise LimitReached(check)
            conn.execute(sa.delete(rate_events).where(rate_events.c.created_at < now - RATE_EVENTS_KEPT))
            if checks:
                conn.execute(
                    sa.insert(rate_events),
                    [{"kind": c.kind, "key_hash": c.key_hash, "created_at": now} for c in checks],
                )
            done = conn.execute(sa.insert(requests).values(**_request_values(request)))
            assert done.inserted_primary_key is not None
            request_id = done.inserted_primary_key[0]
            self._insert_outbox(conn, request_id, channels, now)
            conn.execute(sa.insert(status_history).values(
                request_id=request_id, lead_key=uuid.uuid4().hex, request_created_at=request.created_at,
                at=request.created_at, status_from=None, status_to=request.status, **_source_of(request),
            ))
        return request.model_copy(update={"id": request_id})

    def _insert_outbox(self, conn: sa.Connection, request_id: int, channels: Sequence[str], now: datetime) -> None:
        if channels:
            conn.execute(
                sa.insert(outbox),
                [
                    {"request_id": request_id, "channel": channel, "status": "pending", "attempts": 0,
                     "created_at": now, "next_attempt_at": now}
                    for channel in dict.fromkeys(channels)
                ],
            )

    def get_request(self, request_id: int) -> Request | None:
        with self._tx() as conn:
            row = conn.execute(sa.select(requests).where(requests.c.id == request_id)).mappings().first()
        return None if row is None else Request.model_validate(dict(row))

    def list_requests(
        self, status: str | None = None, event: str | None = None,
        since: datetime | None = None, until: datetime | None = None,
    ) -> list[Request]:
        """Newest first. ``since`` is inclusive, ``until`` exclusive."""
        query = sa.select(requests).order_by(requests.c.created_at.desc(), requests.c.id.desc())
        if status is not None:
            query = query.where(requests.c.status == status)
        if event is not None:
            query = query.where(requests.c.event == event)
        if since is not None:
            query = query.where(requests.c.created_at >= since)
        if until is not None:
            query = query.where(requests.c.created_at < until)
        with self._tx() as conn:
            return [Request.model_validate(dict(row)) for row in conn.execute(query).mappings()]

    def requests_by_contact(self, email: str | None, phone: str | None) -> list[Request]:
        """Requests with this email (ignoring case) or this phone number, oldest first."""
        matches = []
        if email:
            matches.append(sa.func.lower(requests.c.email) == email.lower())
        if phone:
            matches.append(requests.c.phone == phone)
        if not matches:
            return []
        query = sa.select(requests).where(sa.or_(*matches)).order_by(requests.c.id)
        with self._tx() as conn:
            return [Request.model_validate(dict(row)) for row in conn.execute(query).mappings()]

    def modify_request(self, request_id: int, change: Callable[[Request], Request]) -> Request:
        """Read the request with a lock, apply ``change`` (which may raise: nothing is written) and store it."""
        with self._write_tx() as conn:
            row = conn.execute(
                sa.select(requests).where(requests.c.id == request_id).with_for_update()
            ).mappings().first()
            if row is None:
                raise NotFound(f"no request {request_id}")
            before = Request.model_validate(dict(row))
            changed = change(before)
            conn.execute(
                sa.update(requests).where(requests.c.id == request_id).values(**_request_values(changed))
            )
            if changed.status != before.status:  # a dated step of the outcome, for the funnel
                key = conn.execute(
                    sa.select(status_history.c.lead_key).where(status_history.c.request_id == request_id).limit(1)
                ).scalar() or uuid.uuid4().hex
                conn.execute(sa.insert(status_history).values(
                    request_id=request_id, lead_key=key, request_created_at=before.created_at,
                    at=changed.updated_at, status_from=before.status, status_to=changed.status,
                    reason=changed.not_booked_reason if changed.status == "not_booked" else None,
                    **_source_of(changed),
                ))
        return changed.model_copy(update={"id": request_id})

    def status_history(self, request_id: int) -> builtins.list[StatusChange]:
        """The request's steps, oldest first."""
        query = sa.select(status_history).where(status_history.c.request_id == request_id).order_by(
            status_history.c.at, status_history.c.id)
        with self._tx() as conn:
            return [StatusChange.model_validate(dict(row)) for row in conn.execute(query).mappings()]

    def erase_requests(
        self, request_ids: Sequence[int], rate_key_hashes: Sequence[str], audit: AuditEntry
    ) -> dict[str, int]:
        """Delete these requests with their outbox rows and attempts, and the rate events of these key hashes;
        write ``audit`` (its details plus the counts) in the same transaction. Returns the counts."""
        ids = list(request_ids)
        with self._write_tx() as conn:
            counts = {
                "delivery_attempts": conn.execute(
                    sa.delete(delivery_attempts).where(delivery_attempts.c.request_id.in_(ids))
                ).rowcount,
                "outbox": conn.execute(sa.delete(outbox).where(outbox.c.request_id.in_(ids))).rowcount,
                "requests": conn.execute(sa.delete(requests).where(requests.c.id.in_(ids))).rowcount,
                "status_history_anonymised": conn.execute(  # the funnel keeps counting them, without the id
                    sa.update(status_history).where(status_history.c.request_id.in_(ids)).values(request_id=None)
                ).rowcount,
                "rate_events": conn.execute(
                    sa.delete(rate_events).where(rate_events.c.key_hash.in_(list(rate_key_hashes)))
                ).rowcount,
            }
            conn.execute(sa.insert(audit_log).values(
                at=audit.at, staff=audit.staff, action=audit.action, details={**audit.details, **counts}
            ))
        self._checkpoint()
        return counts

    # outbox

    def claim_outbox(self, now: datetime, lease: timedelta, limit: int) -> list[OutboxClaim]:
        """Claim up to ``limit`` due rows for ``lease``: pending rows whose next attempt is due, and rows still
        "sending" whose lease has expired (their worker died). Several processes may claim at once: PostgreSQL
        skips rows another transaction has locked (``FOR UPDATE SKIP LOCKED``), SQLite claims one at a time
        (``BEGIN IMMEDIATE``). The claim is committed before this returns; send outside it."""
        token = uuid.uuid4().hex
        due = sa.or_(
            sa.and_(outbox.c.status == "pending", outbox.c.next_attempt_at <= now),
            sa.and_(outbox.c.status == "sending", outbox.c.claimed_until <= now),
        )
        with self._write_tx() as conn:
            ids = conn.execute(
                sa.select(outbox.c.id)
                .where(due)
                .order_by(outbox.c.next_attempt_at, outbox.c.id)
                .limit(limit)
                .with_for_update(skip_locked=True)
            ).scalars().all()
            if not ids:
                return []
            conn.execute(
                sa.update(outbox)
                .where(outbox.c.id.in_(ids))
                .values(status="sending", claimed_until=now + lease, claim_token=token)
            )
            items = [
                OutboxItem.model_validate(dict(row))
                for row in conn.execute(
                    sa.select(outbox).where(outbox.c.id.in_(ids)).order_by(outbox.c.next_attempt_at, outbox.c.id)
                ).mappings()
            ]
            wanted = {item.request_id for item in items}
            found = {
                row["id"]: Request.model_validate(dict(row))
                for row in conn.execute(sa.select(requests).where(requests.c.id.in_(wanted))).mappings()
            }
        return [OutboxClaim(item=item, token=token, request=found[item.request_id]) for item in items]

    def release_claim(self, outbox_id: int, token: str) -> None:
        """Give a claimed row back unsent (due again at once), if the claim is still ours."""
        with self._tx() as conn:
            conn.execute(
                sa.update(outbox)
                .where(outbox.c.id == outbox_id, outbox.c.claim_token == token, outbox.c.status == "sending")
                .values(status="pending", claimed_until=None, claim_token=None)
            )

    def finish_delivery(
        self, outbox_id: int, token: str, *, delivered: bool, at: datetime, http_status: int | None,
        error: str | None, next_attempt_at: datetime | None, give_up_after: int | None = None,
    ) -> bool:
        """Record an attempt. Delivered: the row is done (whoever holds it now). Failed: due again at
        ``next_attempt_at`` if the claim is still ours — or, with ``give_up_after`` (a permanent failure), marked
        "failed" (never claimed again) when its last ``give_up_after`` attempts, this one included, all failed
        with this same error. False when the row is gone (its request was erased)."""
        with self._write_tx() as conn:
            row = conn.execute(
                sa.select(outbox.c.status, outbox.c.claim_token, outbox.c.request_id, outbox.c.channel)
                .where(outbox.c.id == outbox_id)
                .with_for_update()
            ).mappings().first()
            if row is None:
                return False
            conn.execute(sa.insert(delivery_attempts).values(
                outbox_id=outbox_id, request_id=row["request_id"], at=at, channel=row["channel"],
                outcome="delivered" if delivered else "failed", http_status=http_status, error=error,
            ))
            changes: dict[str, Any] = {"attempts": outbox.c.attempts + 1}
            if delivered:
                first_delivery = sa.func.coalesce(outbox.c.delivered_at, sa.literal(at, UTCDateTime()))
                changes |= {"status": "delivered", "delivered_at": first_delivery, "claimed_until": None,
                            "claim_token": None, "last_error": None}
            elif row["status"] == "sending" and row["claim_token"] == token:
                assert next_attempt_at is not None, "a failed attempt needs the time of the next one"
                changes |= {"status": "pending", "next_attempt_at": next_attempt_at, "claimed_until": None,
                            "claim_token": None, "last_error": error}
                if give_up_after and _same_failures(conn, outbox_id, error, give_up_after):
                    changes["status"] = "failed"
            conn.execute(sa.update(outbox).where(outbox.c.id == outbox_id).values(**changes))
        return True

    def failed_deliveries(self) -> builtins.list[OutboxItem]:
        with self._tx() as conn:
            rows = conn.execute(sa.select(outbox).where(outbox.c.status == "failed").order_by(outbox.c.id)).mappings()
            return [OutboxItem.model_validate(dict(row)) for row in rows]

    def outbox_for_request(self, request_id: int) -> list[OutboxItem]:
        with self._tx() as conn:
            attempts = [
                DeliveryAttempt.model_validate(dict(row))
                for row in conn.execute(
                    sa.select(delivery_attempts)
                    .where(delivery_attempts.c.request_id == request_id)
                    .order_by(delivery_attempts.c.at, delivery_attempts.c.id)
                ).mappings()
            ]
            rows = conn.execute(
                sa.select(outbox).where(outbox.c.request_id == request_id).order_by(outbox.c.id)
            ).mappings()
            return [
                OutboxItem.model_validate(dict(row) | {"history": [a for a in attempts if a.outbox_id == row["id"]]})
                for row in rows
            ]

    # events and screenings

    def add_event(self, event: Event) -> Event:
        try:
            with self._tx() as conn:
                done = conn.execute(sa.insert(events).values(**event.model_dump(exclude={"id"})))
        except StorageError as e:
            if isinstance(e.__cause__, exc.IntegrityError):  # the only unique key: the slug
                raise AlreadyExists(f"an event with the slug {event.slug!r} exists already") from None
            raise
        assert done.inserted_primary_key is not None
        return event.model_copy(update={"id": done.inserted_primary_key[0]})

    def list_events(self) -> list[Event]:
        with self._tx() as conn:
            rows = conn.execute(sa.select(events).order_by(events.c.day.desc(), events.c.id.desc())).mappings()
            return [Event.model_validate(dict(row)) for row in rows]

    def event_by_slug(self, slug: str) -> Event | None:
        with self._tx() as conn:
            row = conn.execute(sa.select(events).where(events.c.slug == slug)).mappings().first()
        return None if row is None else Event.model_validate(dict(row))

    def add_screening(self, screening: Screening) -> Screening:
        with self._tx() as conn:
            done = conn.execute(sa.insert(screenings).values(**screening.model_dump(exclude={"id"})))
        assert done.inserted_primary_key is not None
        return screening.model_copy(update={"id": done.inserted_primary_key[0]})

    def set_screening_took_home(self, screening_id: int, took_home: bool = True) -> None:
        with self._tx() as conn:
            done = conn.execute(
                sa.update(screenings).where(screenings.c.id == screening_id).values(took_home=took_home)
            )
            if done.rowcount != 1:
                raise NotFound(f"no screening {screening_id}")

    def screening_counts(self) -> list[tuple[str | None, str, str | None, int]]:
        """How many screenings per (event, triage, top weak link)."""
        cols = (screenings.c.event, screenings.c.triage, screenings.c.top_weak_link)
        with self._tx() as conn:
            rows = conn.execute(sa.select(*cols, sa.func.count()).group_by(*cols)).all()
        return [(r[0], r[1], r[2], r[3]) for r in rows]

    def took_home_counts(self) -> dict[str | None, int]:
        """How many screenings per event ended with the runner taking the result home (saving it)."""
        with self._tx() as conn:
            rows = conn.execute(sa.select(screenings.c.event, sa.func.count()).where(screenings.c.took_home)
                                .group_by(screenings.c.event)).all()
        return {r[0]: r[1] for r in rows}

    def add_visit(self, visit: Visit) -> Visit:
        with self._tx() as conn:
            done = conn.execute(sa.insert(visits).values(**visit.model_dump(exclude={"id"})))
        assert done.inserted_primary_key is not None
        return visit.model_copy(update={"id": done.inserted_primary_key[0]})

    def visits_between(self, since: datetime, until: datetime) -> builtins.list[Visit]:
        query = sa.select(visits).where(visits.c.created_at >= since, visits.c.created_at < until)
        with self._tx() as conn:
            return [Visit.model_validate(dict(row)) for row in conn.execute(query).mappings()]

    def screenings_between(self, since: datetime, until: datetime) -> builtins.list[Screening]:
        query = sa.select(screenings).where(screenings.c.created_at >= since, screenings.c.created_at < until)
        with self._tx() as conn:
            return [Screening.model_validate(dict(row)) for row in conn.execute(query).mappings()]

    def status_changes_between(self, since: datetime, until: datetime) -> builtins.list[StatusChange]:
        """Every step of the requests made between ``since`` (inclusive) and ``until``, oldest first."""
        query = sa.select(status_history).where(
            status_history.c.request_created_at >= since, status_history.c.request_created_at < until,
        ).order_by(status_history.c.at, status_history.c.id)
        with self._tx() as conn:
            return [StatusChange.model_validate(dict(row)) for row in conn.execute(query).mappings()]

    def request_counts_by_event(self) -> dict[str | None, int]:
        with self._tx() as conn:
            rows = conn.execute(sa.select(requests.c.event, sa.func.count()).group_by(requests.c.event)).all()
        return {r[0]: r[1] for r in rows}

    # staff sign-in failures and the audit log

    def add_login_failure(self, key_hash: str, at: datetime) -> None:
        with self._tx() as conn:
            conn.execute(sa.insert(login_failures).values(key_hash=key_hash, created_at=at))
            conn.execute(sa.delete(login_failures).where(login_failures.c.created_at < at - LOGIN_FAILURES_KEPT))

    def count_login_attempt(
        self, key_hash: str, at: datetime, since: datetime, per_key: int, overall: int,
        lock: Callable[[builtins.list[datetime], builtins.list[datetime]], datetime | None],
    ) -> datetime | None:
        """Check and count one sign-in attempt in one write transaction, so concurrent guesses cannot all pass
        the check before any is counted: ``lock(this key's failures, everyone's failures)`` (newest first, since
        ``since``, at most ``per_key`` / ``overall``) says whether sign-in is locked; when it is, its end is
        returned and nothing is counted; otherwise the attempt is recorded as a failure (a right passcode clears
        it) and None is returned. SQLite: BEGIN IMMEDIATE; PostgreSQL: one advisory lock for all attempts."""
        def newest(query: Any, limit: int) -> builtins.list[datetime]:
            return list(conn.execute(
                query.where(login_failures.c.created_at >= since)
                .order_by(login_failures.c.created_at.desc(), login_failures.c.id.desc()).limit(limit)
            ).scalars())

        with self._write_tx() as conn:
            if conn.dialect.name == "postgresql":
                conn.execute(sa.select(sa.func.pg_advisory_xact_lock(_lock_key("staff-sign-in"))))
            everyone = sa.select(login_failures.c.created_at)
            until = lock(newest(everyone.where(login_failures.c.key_hash == key_hash), per_key),
                         newest(everyone, overall))
            if until is not None:
                return until
            conn.execute(sa.insert(login_failures).values(key_hash=key_hash, created_at=at))
            conn.execute(sa.delete(login_failures).where(login_failures.c.created_at < at - LOGIN_FAILURES_KEPT))
        return None

    def login_failures(self, key_hash: str | None, since: datetime, limit: int) -> list[datetime]:
        """Times of failed sign-ins since ``since`` (of one key, or of all when ``key_hash`` is None), newest
        first."""
        query = (
            sa.select(login_failures.c.created_at)
            .where(login_failures.c.created_at >= since)
            .order_by(login_failures.c.created_at.desc(), login_failures.c.id.desc())
            .limit(limit)
        )
        if key_hash is not None:
            query = query.where(login_failures.c.key_hash == key_hash)
        with self._tx() as conn:
            return list(conn.execute(query).scalars())

    def clear_login_failures(self, key_hash: str) -> None:
        with self._tx() as conn:
            conn.execute(sa.delete(login_failures).where(login_failures.c.key_hash == key_hash))

    def list_audit(self, limit: int = 100) -> list[AuditEntry]:
        with self._tx() as conn:
            rows = conn.execute(
                sa.select(audit_log).order_by(audit_log.c.at.desc(), audit_log.c.id.desc()).limit(limit)
            ).mappings()
            return [AuditEntry.model_validate(dict(row)) for row in rows]


def _same_failures(conn: sa.Connection, outbox_id: int, error: str | None, n: int) -> bool:
    """The row's last ``n`` attempts all failed with ``error``."""
    last = conn.execute(
        sa.select(delivery_attempts.c.outcome, delivery_attempts.c.error)
        .where(delivery_attempts.c.outbox_id == outbox_id)
        .order_by(delivery_attempts.c.id.desc())
        .limit(n)
    ).all()
    return len(last) == n and all(o == "failed" and e == error for o, e in last)


def _request_values(request: Request) -> dict[str, Any]:
    values = request.model_dump(exclude={"id", "notes"})
    values["notes"] = [note.model_dump(mode="json") for note in request.notes]
    return values


def _source_of(request: Request) -> dict[str, str | None]:
    return {"event": request.event, "utm_source": request.utm_source, "utm_medium": request.utm_medium,
            "utm_campaign": request.utm_campaign}


def _lock_key(text: str) -> int:
    """A PostgreSQL advisory lock key (signed 64-bit) for a string."""
    return int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "big", signed=True)
