"""The staff passcode: Argon2 hashes, the attempt limit and lockout (on a fake store; the database version is in
tests/integration/test_leads_staff_auth.py), and the hash-passcode command.

New hashes are made at a cheap cost set through the settings (``cheap_hashes``); that the app's settings keep RFC
9106's cost is checked here, and a hash made by the real command at that cost in tests/cli/test_cli.py."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

import pytest
from argon2 import PasswordHasher, extract_parameters
from argon2.profiles import RFC_9106_LOW_MEMORY

from kneeassess import __main__ as cli
from kneeassess import staff_auth
from kneeassess.settings import Settings
from kneeassess.staff_auth import LockedOut, verify

T0 = datetime(2025, 5, 1, 12, 0, tzinfo=UTC)
HASH = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1).hash("right horse battery")  # cheap for tests
CHEAP = {"passcode_hash_time_cost": 1, "passcode_hash_memory_kib": 1024}


@pytest.fixture
def cheap_hashes(configure) -> None:  # noqa: ANN001
    """New hashes at 1 pass over 1 MiB: milliseconds instead of a third of a second each."""
    configure(**CHEAP)


class FakeStore:
    def __init__(self) -> None:
        self.failures: list[tuple[str, datetime]] = []

    def add_login_failure(self, key_hash: str, at: datetime) -> None:
        self.failures.append((key_hash, at))

    def login_failures(self, key_hash: str | None, since: datetime, limit: int) -> list[datetime]:
        times = [at for k, at in self.failures if (key_hash is None or k == key_hash) and at >= since]
        return sorted(times, reverse=True)[:limit]

    def count_login_attempt(self, key_hash, at, since, per_key, overall, lock):  # noqa: ANN001, ANN201
        until = lock(self.login_failures(key_hash, since, per_key), self.login_failures(None, since, overall))
        if until is None:
            self.add_login_failure(key_hash, at)
        return until

    def clear_login_failures(self, key_hash: str) -> None:
        self.failures = [(k, at) for k, at in self.failures if k != key_hash]


def test_the_passcode_hash_costs_what_rfc_9106_low_memory_says_unless_a_test_lowers_it():
    for settings in (Settings(), Settings.load({})):
        assert (settings.passcode_hash_time_cost, settings.passcode_hash_memory_kib) == (
            RFC_9106_LOW_MEMORY.time_cost, RFC_9106_LOW_MEMORY.memory_cost)


def test_hash_passcode_is_argon2id_salted_and_at_the_settings_cost(cheap_hashes):
    first, second = staff_auth.hash_passcode("right horse battery"), staff_auth.hash_passcode("right horse battery")
    assert first.startswith("$argon2id$") and first != second
    made = extract_parameters(first)
    assert (made.time_cost, made.memory_cost) == (1, 1024)  # the settings' cost, not a constant of its own
    assert made.parallelism == RFC_9106_LOW_MEMORY.parallelism and made.salt_len == RFC_9106_LOW_MEMORY.salt_len
    assert verify(FakeStore(), "right horse battery", first, "k")
    with pytest.raises(ValueError):
        staff_auth.hash_passcode("")


def test_right_and_wrong_passcode():
    store = FakeStore()
    assert verify(store, "right horse battery", HASH, "k", now=T0) is True
    assert verify(store, "wrong", HASH, "k", now=T0) is False
    assert verify(store, "", HASH, "k", now=T0) is False
    assert len(store.failures) == 2 and "k" not in store.failures[0][0]  # only a hash of the client key


def test_a_hash_that_is_not_argon2_is_a_setup_error_not_a_failure():
    store = FakeStore()
    with pytest.raises(ValueError, match="not an Argon2 hash"):
        verify(store, "x", "plaintext-passcode", "k", now=T0)
    assert store.failures == []


def test_five_failures_lock_the_key_for_fifteen_minutes():
    store = FakeStore()
    for i in range(4):
        assert verify(store, "wrong", HASH, "k", now=T0 + timedelta(minutes=i)) is False
    with pytest.raises(LockedOut) as caught:
        verify(store, "wrong", HASH, "k", now=T0 + timedelta(minutes=4))
    assert caught.value.until == T0 + timedelta(minutes=19)
    with pytest.raises(LockedOut):  # even the right passcode, while locked
        verify(store, "right horse battery", HASH, "k", now=T0 + timedelta(minutes=18))
    assert len(store.failures) == 5  # attempts while locked are not counted
    assert verify(store, "right horse battery", HASH, "other", now=T0 + timedelta(minutes=10))  # another key
    assert verify(store, "right horse battery", HASH, "k", now=T0 + timedelta(minutes=19))  # expired


def test_failures_spread_over_more_than_fifteen_minutes_do_not_lock():
    store = FakeStore()
    for i in range(10):
        assert verify(store, "wrong", HASH, "k", now=T0 + timedelta(minutes=4 * i)) is False


def test_a_success_clears_the_failures():
    store = FakeStore()
    for i in range(4):
        verify(store, "wrong", HASH, "k", now=T0 + timedelta(seconds=i))
    assert verify(store, "right horse battery", HASH, "k", now=T0 + timedelta(seconds=5))
    for i in range(4):
        assert verify(store, "wrong", HASH, "k", now=T0 + timedelta(seconds=10 + i)) is False


def test_twenty_failures_from_anywhere_lock_everyone():
    store = FakeStore()
    for i in range(19):
        assert verify(store, "wrong", HASH, f"client-{i}", now=T0 + timedelta(seconds=i)) is False
    with pytest.raises(LockedOut):
        verify(store, "wrong", HASH, "client-19", now=T0 + timedelta(seconds=19))
    with pytest.raises(LockedOut):
        verify(store, "right horse battery", HASH, "a-new-client", now=T0 + timedelta(minutes=10))
    assert verify(store, "right horse battery", HASH, "a-new-client", now=T0 + timedelta(minutes=16))


class Stdin(io.StringIO):
    def isatty(self) -> bool:
        return False


def test_hash_passcode_command_reads_stdin_and_prints_a_hash(monkeypatch, capsys, cheap_hashes):
    monkeypatch.setattr("sys.stdin", Stdin("correct horse\nignored\n"))
    assert cli.main(["hash-passcode"]) == 0
    printed = capsys.readouterr().out.strip()
    assert printed.startswith("$argon2id$")
    assert verify(FakeStore(), "correct horse", printed, "k")


def test_hash_passcode_command_refuses_a_short_passcode(monkeypatch, capsys):
    monkeypatch.setattr("sys.stdin", Stdin("short\n"))
    assert cli.main(["hash-passcode"]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and "at least 8" in captured.err
