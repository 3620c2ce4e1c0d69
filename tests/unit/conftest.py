"""The unit tier is pure and fast: a test here that starts a process (a CLI, pdftoppm, a browser) fails.

Python's audit hooks see every way a process starts (``subprocess``, ``os.system``, ``os.posix_spawn``,
``os.fork``, ``os.exec*``; Playwright starts its driver and Chromium through them too). The hook cannot be
removed once added, so it is added once and only acts while a test of this folder runs. Such a test belongs in
tests/cli (commands), tests/render (PDF pages drawn), tests/e2e (browsers) or tests/static.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from typing import Any

import pytest

PROCESS_EVENTS = {"subprocess.Popen", "os.system", "os.posix_spawn", "os.spawn", "os.fork", "os.forkpty", "os.exec"}
_active: list[str] = []  # the unit test running now (at most one)
_started: list[str] = []


class StartsAProcess(RuntimeError):
    """Raised inside the test where the process would start, so that nothing runs."""


def _hook(event: str, args: tuple[Any, ...]) -> None:
    if _active and event in PROCESS_EVENTS:
        what = f"{event}{args[:2]!r}"
        _started.append(what)
        raise StartsAProcess(f"{_active[0]} starts a process ({what}): unit tests are pure; move it to tests/cli, "
                             "tests/render, tests/e2e or tests/static")


sys.addaudithook(_hook)


@pytest.fixture(autouse=True)
def no_processes(request: pytest.FixtureRequest) -> Iterator[None]:
    _active.append(request.node.nodeid)
    _started.clear()
    try:
        yield
    finally:
        _active.clear()
    if _started:  # also when the code under test caught the exception
        pytest.fail(f"{request.node.nodeid} started a process: {_started}; unit tests are pure",
                    pytrace=False)
