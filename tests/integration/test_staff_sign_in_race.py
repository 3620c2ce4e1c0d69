"""Issue 14 item 5: the staff passcode's attempt limit holds under concurrent guesses (count and check in one
transaction), on both engines: 24 and 40 guesses at once with the overall limit of 20 check at most 20."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import pytest
from argon2 import PasswordHasher

from kneeassess import staff_auth
from kneeassess.staff_auth import LockedOut
from kneeassess.storage.sql import SqlStore

HASH = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1).hash("right horse battery")


@pytest.mark.parametrize("guesses", [24, 40])
def test_concurrent_wrong_guesses_check_at_most_the_limit(open_store: Callable[[], SqlStore], monkeypatch,
                                                           guesses: int):
    store = open_store()
    checked = 0
    lock = threading.Lock()
    real = staff_auth._hasher

    class Counting:
        def verify(self, hash: str, passcode: str) -> bool:
            nonlocal checked
            with lock:
                checked += 1
            time.sleep(0.05)  # Argon2 takes this long and more: the window the old check-then-count left open
            return real.verify(hash, passcode)

    monkeypatch.setattr(staff_auth, "_hasher", Counting())
    start = threading.Barrier(guesses)
    outcomes: list[str] = []

    def guess(i: int) -> None:
        start.wait()
        try:
            ok = staff_auth.verify(store, f"guess {i}", HASH, f"browser-{i}")  # each from its own browser
            outcome = "right" if ok else "wrong"
        except LockedOut:
            outcome = "locked"
        except Exception as e:  # noqa: BLE001 - reported below
            outcome = f"error {type(e).__name__}: {e}"
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=guess, args=(i,)) for i in range(guesses)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert len(outcomes) == guesses and not [o for o in outcomes if o.startswith("error")], outcomes
    assert checked <= staff_auth.MAX_FAILURES_GLOBAL, f"{checked} of {guesses} guesses were checked"
    assert outcomes.count("locked") >= guesses - staff_auth.MAX_FAILURES_GLOBAL
    with pytest.raises(LockedOut):  # and the right passcode is refused while locked
        staff_auth.verify(store, "right horse battery", HASH, "browser-new")
