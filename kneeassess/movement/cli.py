"""``python -m kneeassess movement VIDEO [--side left|right|both] [--json]``: the figures of a squat video.

Exit 0 with the figures on stdout; 2 with one line per problem on stderr (not a video, too long, nobody in view,
...), nothing on stdout; 1 when the pose library cannot be loaded here.
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path

from kneeassess.movement import MovementRejected, MovementResult, PoseUnavailable, analyse_squat, problem

USAGE_ERROR = 2


@contextlib.contextmanager
def _quiet_native_stderr() -> Iterator[None]:
    """MediaPipe's C++ logs its start-up to file descriptor 2; keep the CLI's stderr to one line per problem."""
    sys.stderr.flush()
    saved = os.dup(2)
    try:
        with open(os.devnull, "wb") as null:
            os.dup2(null.fileno(), 2)
            yield
            _flush_c_stdio()  # what the C++ side buffered goes to /dev/null too, not to the restored stderr
    finally:
        os.dup2(saved, 2)
        os.close(saved)


def _flush_c_stdio() -> None:
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None).fflush(None)


def movement_command(video: str, *, side: str, as_json: bool) -> int:
    path = Path(video)
    if not path.is_file():
        print(f"{video}: no such file", file=sys.stderr)
        return USAGE_ERROR
    try:
        with _quiet_native_stderr():
            result = analyse_squat(path, side=side)
    except MovementRejected as exc:
        for p in exc.problems:
            print(f"{video}: {p.line()}", file=sys.stderr)
        return USAGE_ERROR
    except PoseUnavailable:
        print(f"{video}: {problem('pose_unavailable').line()}", file=sys.stderr)
        return 1
    if as_json:
        print(json.dumps(result.measurement.model_dump(mode="json"), indent=2, ensure_ascii=False))
    else:
        print(render_text(result))
    return 0


def render_text(result: MovementResult) -> str:
    m = result.measurement
    kind = {"single_leg": "single-leg squat", "two_leg": "two-leg squat", "photo": "photo"}[m.squat]
    lines = [f"Movement check: {kind}, a person found in {m.person_found} of {m.frames_measured} frames", ""]
    lines += m.sentences + [""]
    for leg in m.legs.values():
        lines.append(f"{leg.side} leg   rep  time s  knee in (FPPA)  pelvic drop  trunk lean  depth")
        for r in leg.reps:
            depth = "" if r.depth_pct is None else f"{r.depth_pct:.0f}%"
            lines.append(f"{'':10}{r.number:>3}  {r.time_s:6.1f}  {r.fppa:13.1f}°  {r.pelvic_drop:10.1f}°"
                         f"  {r.trunk_lean:9.1f}°  {depth:>5}")
        lines.append("")
    lines += ["Notes:"] + [f"- {n}" for n in m.notes] + ["What the figure cannot tell:"] + [f"- {t}" for t in m.limits]
    return "\n".join(lines)
