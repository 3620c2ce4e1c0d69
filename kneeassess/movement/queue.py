"""Running analyses off the script thread: at most ``MAX_AT_ONCE`` per process, the others wait their turn.

    job = submit(video_bytes, side="both", sex="female")
    job.state, job.fraction, job.text, job.position()   # "queued" / "running" / "done" / "failed"
    job.result or job.problems once finished

A waiting job only holds its bytes; the pose estimation of one video takes one core for a few seconds, so a
process with two cores' worth of other sessions keeps serving them while one or two analyses run.
"""

from __future__ import annotations

import threading
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from kneeassess.movement import MovementRejected, MovementResult, PoseUnavailable, Problem, analyse_squat, problem

MAX_AT_ONCE = 1  # one analysis at a time per process by default: a second would halve the speed of both

_lock = threading.Lock()
_pool: ThreadPoolExecutor | None = None
_waiting: list[Job] = []


@dataclass
class Job:
    state: str = "queued"  # queued, running, done, failed
    fraction: float = 0.0
    text: str = "In the queue"
    result: MovementResult | None = None
    problems: list[Problem] = field(default_factory=list)
    future: Future[None] | None = None

    def position(self) -> int:
        """How many analyses wait before this one (0 when it runs or has finished)."""
        with _lock:
            return _waiting.index(self) if self in _waiting else 0

    @property
    def finished(self) -> bool:
        return self.state in ("done", "failed")


def _executor() -> ThreadPoolExecutor:
    global _pool
    with _lock:
        if _pool is None:
            _pool = ThreadPoolExecutor(max_workers=MAX_AT_ONCE, thread_name_prefix="kneeassess-movement")
        return _pool


def _run(job: Job, source: bytes | str | Path, side: str, sex: str | None) -> None:
    with _lock:
        if job in _waiting:
            _waiting.remove(job)
    job.state, job.text = "running", "Starting"

    def progress(fraction: float, text: str) -> None:
        job.fraction, job.text = fraction, text

    try:
        job.result = analyse_squat(source, side=side, sex=sex, progress=progress)
        job.state = "done"
    except MovementRejected as exc:
        job.problems, job.state = exc.problems, "failed"
    except PoseUnavailable:
        job.problems, job.state = [problem("pose_unavailable")], "failed"
    except Exception:  # never a traceback on the screen: a video the decoder chokes on is "not readable"
        job.problems, job.state = [problem("damaged")], "failed"


def submit(source: bytes | str | Path, *, side: str = "both", sex: str | None = None) -> Job:
    job = Job()
    with _lock:
        _waiting.append(job)
    job.future = _executor().submit(_run, job, source, side, sex)
    return job
