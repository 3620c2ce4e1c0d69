"""The staff passcode (where the clinic has no identity provider for ``st.login``): checked against an Argon2
hash, with an attempt limit kept in the database so it holds across processes and replicas.

    ok = verify(store, passcode, hash_from_secrets, client_key)   # LockedOut(until) while locked

The passcode itself is never stored: the app is given only its Argon2 hash (``python -m kneeassess hash-passcode``
prints one). Argon2's verify compares in constant time.

Attempt limit: 5 failed attempts within 15 minutes from one client key (e.g. a random id per browser session;
only its SHA-256 is stored) lock that key for 15 minutes after the last of them; 20 failed attempts within 15
minutes from all clients together lock everyone out for 15 minutes (against guessing from many sessions — it
also means someone could keep staff out by failing on purpose; the lock then lasts 15 minutes after their last
attempt). A right passcode clears that key's failures. While locked, nothing is checked or counted.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher, extract_parameters
from argon2.exceptions import InvalidHashError, VerificationError
from argon2.profiles import RFC_9106_LOW_MEMORY

from kneeassess.settings import current
from kneeassess.storage import LeadStore

MAX_FAILURES_PER_KEY = 5
MAX_FAILURES_GLOBAL = 20
WINDOW = timedelta(minutes=15)
LOCKOUT = timedelta(minutes=15)
MIN_PASSCODE_LENGTH = 8

_hasher = PasswordHasher()  # verifies with the parameters written in the hash (new hashes: hash_passcode)


class LockedOut(Exception):
    """Too many failed attempts: no attempt is checked before ``until`` (UTC)."""

    def __init__(self, until: datetime) -> None:
        super().__init__(f"Too many wrong attempts. Please try again after {until:%H:%M} (UTC).")
        self.until = until


def hash_passcode(passcode: str) -> str:
    """An Argon2id hash of the passcode (with its own random salt), to store in the app's secrets."""
    if not passcode:
        raise ValueError("the passcode is empty")
    settings = current()  # RFC 9106 "low memory" (argon2id, 64 MiB, t=3); only tests lower the cost
    cost = dataclasses.replace(RFC_9106_LOW_MEMORY, time_cost=settings.passcode_hash_time_cost,
                               memory_cost=settings.passcode_hash_memory_kib)
    return PasswordHasher.from_parameters(cost).hash(passcode)


def client_hash(client_key: str) -> str:
    return hashlib.sha256(f"kneeassess:staff-client:{client_key}".encode()).hexdigest()


def _lock_from(failures: list[datetime], limit: int, now: datetime) -> datetime | None:
    """``failures`` newest first: locked when the newest ``limit`` of them fall within the window."""
    if len(failures) < limit:
        return None
    newest, oldest = failures[0], failures[limit - 1]
    until = newest + LOCKOUT
    return until if newest - oldest < WINDOW and until > now else None


def _locks(now: datetime) -> Callable[[list[datetime], list[datetime]], datetime | None]:
    def lock(this_key: list[datetime], everyone: list[datetime]) -> datetime | None:
        locks = [_lock_from(this_key, MAX_FAILURES_PER_KEY, now), _lock_from(everyone, MAX_FAILURES_GLOBAL, now)]
        return max((t for t in locks if t is not None), default=None)

    return lock


def locked_until(store: LeadStore, client_key: str, now: datetime | None = None) -> datetime | None:
    """When the lock on this client key (or the global lock) ends; None when sign-in is open."""
    now = now or datetime.now(UTC)
    since = now - WINDOW - LOCKOUT
    locks = [
        _lock_from(store.login_failures(client_hash(client_key), since, MAX_FAILURES_PER_KEY),
                   MAX_FAILURES_PER_KEY, now),
        _lock_from(store.login_failures(None, since, MAX_FAILURES_GLOBAL), MAX_FAILURES_GLOBAL, now),
    ]
    return max((t for t in locks if t is not None), default=None)


def verify(
    store: LeadStore, passcode: str, hash: str, client_key: str, *, now: datetime | None = None
) -> bool:
    """True for the right passcode (and that key's failures are cleared), False for a wrong one (counted).

    Raises :class:`LockedOut` while locked — also on the failure that starts the lock — and ``ValueError`` when
    ``hash`` is not an Argon2 hash (a set-up mistake, not a failed attempt).
    """
    now = now or datetime.now(UTC)
    key = client_hash(client_key)
    try:
        extract_parameters(hash)  # a hash that is not Argon2 is a set-up mistake: say so before counting
    except (InvalidHashError, ValueError):
        raise ValueError("the staff passcode hash is not an Argon2 hash (make one with "
                         "`python -m kneeassess hash-passcode`)") from None
    # counted before it is checked, in the same transaction as the lock check: 40 guesses at once check at most 20
    until = store.count_login_attempt(key, now, now - WINDOW - LOCKOUT, MAX_FAILURES_PER_KEY, MAX_FAILURES_GLOBAL,
                                      _locks(now))
    if until is not None:
        raise LockedOut(until)
    ok: bool
    try:
        ok = _hasher.verify(hash, passcode or "")
    except InvalidHashError:
        raise ValueError("the staff passcode hash is not an Argon2 hash (make one with "
                         "`python -m kneeassess hash-passcode`)") from None
    except VerificationError:
        ok = False
    if ok:
        store.clear_login_failures(key)
        return True
    until = locked_until(store, client_key, now)
    if until is not None:
        raise LockedOut(until)
    return False
