"""At most one analysis at a time per process: the others wait their turn and know their place in the queue."""

from __future__ import annotations

import threading

import pytest

from kneeassess.movement import MovementRejected, problem
from kneeassess.movement import queue as analyses
from tests.waiting import wait_until


def test_one_at_a_time_the_rest_queued_in_order(monkeypatch: pytest.MonkeyPatch) -> None:
    release = threading.Event()
    running: list[bytes] = []
    now = most = 0
    lock = threading.Lock()

    def slow(source: bytes, **_kw: object) -> object:  # the analysis itself is tested in tests/movement
        nonlocal now, most
        with lock:
            running.append(source)
            now += 1
            most = max(most, now)
        release.wait(10)
        with lock:
            now -= 1
        if source == b"bad":
            raise MovementRejected([problem("not_a_video")])
        raise RuntimeError("decoder crashed")  # never a traceback on screen: reported as a damaged file

    monkeypatch.setattr(analyses, "analyse_squat", slow)
    jobs = [analyses.submit(b"one"), analyses.submit(b"bad"), analyses.submit(b"three")]
    wait_until(lambda: jobs[0].state == "running", interval=0.01, what="the first analysis running")
    assert [j.state for j in jobs[1:]] == ["queued", "queued"]
    assert [j.position() for j in jobs] == [0, 0, 1]  # "in the queue: 1 video ahead of yours" for the third
    release.set()
    for j in jobs:
        assert j.future is not None
        j.future.result(10)
    assert running == [b"one", b"bad", b"three"] and most == 1
    assert [p.code for p in jobs[1].problems] == ["not_a_video"]
    assert all(j.finished and j.state == "failed" for j in jobs)
    assert [p.code for p in jobs[2].problems] == ["damaged"]
