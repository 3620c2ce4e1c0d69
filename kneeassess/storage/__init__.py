"""Storage behind one small interface, chosen by a database URL.

    store = open_store()                       # KNEEASSESS_DATABASE_URL, or a SQLite file under var/
    store = open_store("postgresql+psycopg://postgres@127.0.0.1:5432/test")

The domain and the services talk only to :class:`Store`; pages never see SQL.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Protocol, TypeVar

from kneeassess.records import LogRecord, Profile, Unit

R = TypeVar("R", bound=LogRecord)

ROOT = Path(__file__).resolve().parents[2]


class NotFound(LookupError):
    """No such record in this profile (or no such profile)."""


class StorageError(RuntimeError):
    """The database could not be reached or refused the write. Safe to show: it carries no SQL."""


class Store(Protocol):
    def create_profile(self, token_hash: str, unit: Unit = "km", event: str | None = None) -> Profile: ...
    def profile_by_token_hash(self, token_hash: str) -> Profile | None: ...
    def set_unit(self, profile_id: str, unit: Unit) -> None: ...
    def delete_profile(self, profile_id: str) -> None: ...

    def add(self, record: R) -> R: ...  # returns the record with its id
    def update(self, record: R) -> R: ...  # NotFound unless id belongs to record.profile_id
    def delete(self, kind: type[LogRecord], profile_id: str, record_id: int) -> None: ...
    def list(self, kind: type[R], profile_id: str) -> list[R]: ...  # oldest first (by day / created_at, id)


def default_url() -> str:
    url = os.environ.get("KNEEASSESS_DATABASE_URL")
    if url:
        return url
    folder = Path(os.environ.get("KNEEASSESS_VAR_DIR", ROOT / "var"))
    folder.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{folder / 'kneeassess.db'}"


def open_store(url: str | None = None) -> Store:
    from kneeassess.storage.sql import SqlStore

    return SqlStore(url or default_url())
