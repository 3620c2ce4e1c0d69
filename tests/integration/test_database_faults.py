"""Issue 14 item 8: database faults. A write behind another's lock gives up after the configured lock timeout with
"try again" (SQLite busy timeout, PostgreSQL lock_timeout), instead of waiting for ever; each failure is logged
once, one line with the operation, no traceback (also a write refused by a read-only SQLite file). Both engines."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import date

import pytest
import sqlalchemy as sa

from kneeassess.profiles import new_token, token_hash
from kneeassess.records import Run
from kneeassess.storage import StorageError
from kneeassess.storage.sql import SqlStore


def test_a_write_behind_a_held_lock_gives_up_with_try_again(open_store: Callable[[], SqlStore], configure):
    configure(db_lock_timeout_s=1.0)
    store = open_store()
    profile = store.create_profile(token_hash(new_token()))
    holder = sa.create_engine(store.engine.url)
    outcome: list[str] = []
    with holder.connect() as conn:
        if conn.dialect.name == "sqlite":
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            conn.exec_driver_sql("LOCK TABLE runs IN ACCESS EXCLUSIVE MODE")

        def write() -> None:
            try:
                store.add(Run(profile_id=profile.id, day=date(2026, 5, 1), km=5, minutes=30))
                outcome.append("saved")
            except StorageError as e:
                outcome.append(str(e))

        worker = threading.Thread(target=write, daemon=True)
        worker.start()
        worker.join(20)  # the old code waited 30 s (SQLite) or for ever (PostgreSQL)
        assert outcome, "the write was still waiting for the lock"
        conn.rollback()
    holder.dispose()
    assert "try again" in outcome[0]


def test_a_refused_write_is_logged_once_with_its_operation(tmp_path, caplog: pytest.LogCaptureFixture):
    store = SqlStore(f"sqlite:///{tmp_path / 'k.db'}")
    profile = store.create_profile(token_hash(new_token()))
    store.close()
    sa.event.listen(store.engine, "connect", lambda c, _r: c.execute("PRAGMA query_only = ON"))  # as a read-only file
    caplog.set_level(logging.ERROR, "kneeassess.storage.sql")
    for _ in range(3):
        with pytest.raises(StorageError, match="try again"):
            store.add(Run(profile_id=profile.id, day=date(2026, 5, 1), km=5, minutes=30))
    (record,) = [r for r in caplog.records if r.name == "kneeassess.storage.sql"]
    assert "database: add failed" in record.getMessage() and "readonly" in record.getMessage()
    assert record.exc_info is None
