"""Waiting for something another process or thread produces: a log line, a file, a port, a database row.

A test that reads such a thing once, right after the action that produces it, races on a busy machine (nginx
writes its access-log line after it has sent the response; a worker thread commits after the request returned).
Every such read in the suite goes through ``wait_until``: poll until the answer is there, with a deadline.
"""

from __future__ import annotations

import subprocess
import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")

TIMEOUT_S = 20.0


class NotInTime(AssertionError):
    """The awaited thing did not appear before the deadline (an assertion failure: the test fails, with why)."""


def wait_until(
    probe: Callable[[], T], timeout: float = TIMEOUT_S, *, interval: float = 0.05, what: str = "",
    give_up: Callable[[], str | None] | None = None,
) -> T:
    """Call ``probe`` until it returns something truthy, and return that; fail after ``timeout`` seconds.

    ``give_up`` is asked between tries and ends the wait early with its message (e.g. the process that should
    produce the thing has exited). The probe is always tried once more at the deadline, so a slow machine
    gets the whole ``timeout``.
    """
    deadline = time.monotonic() + timeout
    while True:
        result = probe()
        if result:
            return result
        if give_up is not None and (why := give_up()):
            raise NotInTime(f"{what or 'waited'}: {why}")
        if time.monotonic() >= deadline:
            result = probe()
            if result:
                return result
            raise NotInTime(f"{what or 'the condition'} not met within {timeout:g} s (last value: {result!r})")
        time.sleep(interval)


def stop(proc: subprocess.Popen[bytes], timeout: float = 10.0) -> None:
    """Terminate a process and wait for it; kill it if it has not ended within ``timeout`` seconds."""
    proc.terminate()
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=timeout)
