"""The staff passcode's attempt limit kept in the database: it holds across processes (two store objects)."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from argon2 import PasswordHasher

from kneeassess.staff_auth import LockedOut, locked_until, verify
from kneeassess.storage.sql import SqlStore
from tests.conftest import ROOT

T0 = datetime(2025, 5, 1, 12, 0, tzinfo=UTC)
RIGHT = "right horse battery"
HASH = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1).hash(RIGHT)  # cheap for tests


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def test_right_passcode_ok_wrong_fails(store: SqlStore):
    assert verify(store, RIGHT, HASH, "tab-1", now=T0) is True
    assert verify(store, "wrong", HASH, "tab-1", now=T0) is False
    assert verify(store, RIGHT.upper(), HASH, "tab-1", now=T0) is False


def test_lockout_across_processes_and_its_end(open_store: Callable[[], SqlStore]):
    one, two = open_store(), open_store()
    for i in range(4):
        assert verify((one, two)[i % 2], "wrong", HASH, "tab-1", now=at(i)) is False
    with pytest.raises(LockedOut) as caught:
        verify(two, "wrong", HASH, "tab-1", now=at(4))  # the 5th within 15 minutes
    assert caught.value.until == at(19)
    with pytest.raises(LockedOut):
        verify(one, RIGHT, HASH, "tab-1", now=at(10))  # the other process knows, and the right code waits too
    assert locked_until(one, "tab-1", now=at(18)) == at(19)
    assert verify(two, RIGHT, HASH, "another-tab", now=at(10)) is True  # only that client is locked
    assert locked_until(two, "tab-1", now=at(19)) is None
    assert verify(two, RIGHT, HASH, "tab-1", now=at(19)) is True  # the lock has expired


def test_a_success_clears_the_failures_across_processes(open_store: Callable[[], SqlStore]):
    one, two = open_store(), open_store()
    for i in range(4):
        assert verify(one, "wrong", HASH, "tab-1", now=at(i)) is False
    assert verify(two, RIGHT, HASH, "tab-1", now=at(5)) is True
    for i in range(4):  # four more: without the clearing, the first of them would lock
        assert verify(one, "wrong", HASH, "tab-1", now=at(6 + i)) is False


def test_many_clients_failing_lock_everyone(open_store: Callable[[], SqlStore]):
    one, two = open_store(), open_store()
    for i in range(19):
        assert verify((one, two)[i % 2], "wrong", HASH, f"tab-{i}", now=at(i / 2)) is False
    with pytest.raises(LockedOut):
        verify(one, "wrong", HASH, "tab-19", now=at(10))
    with pytest.raises(LockedOut):
        verify(two, RIGHT, HASH, "tab-new", now=at(20))
    assert verify(two, RIGHT, HASH, "tab-new", now=at(25.1)) is True


def test_the_lockout_is_in_the_database_not_in_a_process(store: SqlStore, store_url: str):
    for i in range(4):
        assert verify(store, "wrong", HASH, "tab-1", now=at(i)) is False
    code = (
        "import sys, datetime as d\n"
        "from kneeassess import staff_auth\n"
        "from kneeassess.storage.sql import SqlStore\n"
        "try:\n"
        "    staff_auth.verify(SqlStore(sys.argv[1]), 'wrong', sys.argv[2], 'tab-1',\n"
        "                      now=d.datetime.fromisoformat(sys.argv[3]))\n"
        "    print('open')\n"
        "except staff_auth.LockedOut as e:\n"
        "    print('locked until', e.until.isoformat())\n"
    )
    done = subprocess.run([sys.executable, "-c", code, store_url, HASH, at(5).isoformat()], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"locked until {at(20).isoformat()}"
    with pytest.raises(LockedOut):
        verify(store, RIGHT, HASH, "tab-1", now=at(6))
