"""The one :class:`~kneeassess.storage.Store`: SQLAlchemy Core over SQLite (a local file) or PostgreSQL.

Every method runs in its own short transaction on a connection from the engine's pool, so one ``SqlStore`` may be
shared by the threads of a process. Write methods start with their write statement: on SQLite that takes the write
lock first, so a busy database makes them wait (``busy_timeout``) instead of failing with "database is locked".

Datetimes are stored and returned as UTC (aware); a naive datetime is taken to be UTC already.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar, get_args

import sqlalchemy as sa
from alembic.util import CommandError
from sqlalchemy import event, exc
from sqlalchemy.engine import URL, Engine, make_url
from sqlalchemy.pool import NullPool

from kneeassess.records import CheckIn, ExerciseSession, LogRecord, Profile, Run, SavedAssessment, Unit
from kneeassess.storage import NotFound, StorageError

R = TypeVar("R", bound=LogRecord)

SQLITE_BUSY_TIMEOUT_S = 30
PG_CONNECT_TIMEOUT_S = 10


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


def _log_table(name: str, *columns: sa.Column[Any]) -> sa.Table:
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
    sa.Index("ix_profiles_token_hash", "token_hash", unique=True),
)

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

TABLES: dict[type[LogRecord], sa.Table] = {
    SavedAssessment: assessments,
    Run: runs,
    CheckIn: checkins,
    ExerciseSession: exercise_sessions,
}


def _table(kind: type[LogRecord]) -> sa.Table:
    try:
        return TABLES[kind]
    except KeyError:
        raise TypeError(f"not a stored record type: {kind!r}") from None


def _order(table: sa.Table) -> tuple[sa.ColumnElement[Any], ...]:
    first = table.c.created_at if table is assessments else table.c.day
    return (first, table.c.id)


def _values(record: LogRecord) -> dict[str, Any]:
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
        engine = sa.create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_S}, **kwargs)
        _sqlite_setup(engine, foreign_keys=not migrating, immediate=migrating)
        return engine
    if url.get_backend_name() == "postgresql" and "connect_timeout" not in url.query:
        kwargs["connect_args"] = {"connect_timeout": PG_CONNECT_TIMEOUT_S}
    return sa.create_engine(url, pool_pre_ping=True, **kwargs)


def _sqlite_setup(engine: Engine, *, foreign_keys: bool, immediate: bool) -> None:
    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection: Any, _record: Any) -> None:
        if immediate:
            dbapi_connection.isolation_level = None  # we emit BEGIN ourselves (below)
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_S * 1000}")
        cursor.execute("PRAGMA journal_mode=WAL")
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
        raise StorageError("The database could not be reached or is busy. Please try again in a moment.") from e
    except exc.IntegrityError as e:
        raise StorageError("The database refused the change.") from e
    except (exc.DBAPIError, exc.TimeoutError) as e:
        raise StorageError("The database failed to complete the request. Please try again in a moment.") from e


class SqlStore:
    """:class:`~kneeassess.storage.Store` on a database URL; brings the schema up to date when created."""

    def __init__(self, url: str | URL) -> None:
        from kneeassess.storage.migrate import upgrade

        self.engine = make_engine(url)
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
    def _tx(self) -> Iterator[sa.Connection]:
        with _plain_errors(), self.engine.begin() as conn:
            yield conn

    # profiles

    def create_profile(self, token_hash: str, unit: Unit = "km", event: str | None = None) -> Profile:
        profile = Profile(id=uuid.uuid4().hex, created_at=datetime.now(UTC), unit=unit, event=event)
        with self._tx() as conn:
            conn.execute(sa.insert(profiles).values(token_hash=token_hash, **profile.model_dump()))
        return profile

    def profile_by_token_hash(self, token_hash: str) -> Profile | None:
        query = sa.select(profiles.c.id, profiles.c.created_at, profiles.c.unit, profiles.c.event).where(
            profiles.c.token_hash == token_hash
        )
        with self._tx() as conn:
            row = conn.execute(query).mappings().first()
        return None if row is None else Profile.model_validate(dict(row))

    def set_unit(self, profile_id: str, unit: Unit) -> None:
        if unit not in get_args(Unit):
            raise ValueError(f"unknown unit {unit!r}")
        with self._tx() as conn:
            done = conn.execute(sa.update(profiles).where(profiles.c.id == profile_id).values(unit=unit))
            if done.rowcount != 1:
                raise NotFound(f"no profile {profile_id!r}")

    def delete_profile(self, profile_id: str) -> None:
        """Delete the profile and everything in it. Deleting a profile that is already gone does nothing."""
        with self._tx() as conn:
            for table in TABLES.values():  # ON DELETE CASCADE does this too; explicit in case foreign keys are off
                conn.execute(sa.delete(table).where(table.c.profile_id == profile_id))
            conn.execute(sa.delete(profiles).where(profiles.c.id == profile_id))

    # log records

    def add(self, record: R) -> R:
        if record.id is not None:
            raise ValueError("this record is already stored (it has an id); use update()")
        table = _table(type(record))
        try:
            with self._tx() as conn:
                done = conn.execute(sa.insert(table).values(profile_id=record.profile_id, **_values(record)))
        except StorageError as e:
            if isinstance(e.__cause__, exc.IntegrityError):  # the only constraint a valid record can break: the FK
                raise NotFound(f"no profile {record.profile_id!r}") from None
            raise
        assert done.inserted_primary_key is not None
        return record.model_copy(update={"id": done.inserted_primary_key[0]})

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
        return record.model_copy()

    def delete(self, kind: type[LogRecord], profile_id: str, record_id: int) -> None:
        table = _table(kind)
        with self._tx() as conn:
            done = conn.execute(sa.delete(table).where(table.c.id == record_id, table.c.profile_id == profile_id))
            if done.rowcount != 1:
                raise NotFound(f"no {kind.__name__} {record_id} in this profile")

    def list(self, kind: type[R], profile_id: str) -> list[R]:
        table = _table(kind)
        with self._tx() as conn:
            rows = conn.execute(sa.select(table).where(table.c.profile_id == profile_id).order_by(*_order(table)))
            return [kind.model_validate(dict(row)) for row in rows.mappings()]
