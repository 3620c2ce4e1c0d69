"""The movement check: a single-leg squat filmed on a phone, measured with pose estimation (clinical-reference §7).

    result = analyse_squat(path_or_bytes, side="both", sex="female", progress=None)  # -> MovementResult
    # raises MovementRejected(problems) for a video that cannot be measured honestly
    # raises PoseUnavailable when MediaPipe cannot be imported here (the self-test then asks the mirror questions)

No Streamlit here. The upload is decoded from a private temporary file deleted as soon as it is read; frames
stay in memory; nothing of the video is stored, logged or sent.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from kneeassess.movement.draw import annotate
from kneeassess.movement.measure import check_quality, measure
from kneeassess.movement.models import (
    PROBLEMS,
    SIDES,
    Leg,
    Measurement,
    MovementRejected,
    MovementResult,
    Problem,
    Rep,
    Side,
    problem,
)
from kneeassess.movement.pose import PoseUnavailable, detect, pose_available
from kneeassess.movement.rules import movement_rules
from kneeassess.movement.video import read_media

__all__ = [
    "PROBLEMS", "SIDES", "Leg", "Measurement", "MovementRejected", "MovementResult", "PoseUnavailable", "Problem",
    "Rep", "Side", "analyse_squat", "pose_available", "problem",
]

Progress = Callable[[float, str], None]


def analyse_squat(
    source: bytes | str | Path, *, side: str = "both", sex: str | None = None, progress: Progress | None = None
) -> MovementResult:
    """Measure a squat video (or a photo at the deepest point). ``progress(fraction, text)`` is called as it runs."""
    if side not in ("left", "right", "both"):
        raise ValueError(f"side must be left, right or both, not {side!r}")
    rules = movement_rules()
    say: Progress = progress or (lambda _f, _t: None)
    say(0.0, "Reading the video")
    media = read_media(source, rules, lambda f, t: say(0.3 * f, t))
    n = len(media.frames)
    say(0.3, "Finding your knees and hips")
    lms = detect(media.frames, still=media.kind == "photo",
                 progress=lambda i: say(0.3 + 0.65 * i / n, "Finding your knees and hips"))
    h, w = media.frames[0].shape[:2]
    check_quality(lms, (w, h), brightness=media.brightness, sharpness=media.sharpness, uniform=media.uniform,
                  rules=rules)
    measured = measure(lms, media.times, photo=media.kind == "photo", rules=rules, side=side, sex=sex)
    say(0.97, "Drawing the deepest squats")
    pictures: dict[Side, bytes] = {}
    for leg, frame in measured.deepest_frames.items():
        lm = lms[frame]
        thumb = media.thumbs[frame]
        assert lm is not None
        thumb_w = min(w, h) and _thumb_scale(w, h)
        pictures[leg] = annotate(thumb, lm, thumb_w, leg, measured.measurement.legs[leg].fppa)
    back = 1 / media.scale  # landmarks in the original video's pixels
    landmarks = [
        None if lm is None else [[float(x * back), float(y * back), float(z * back), float(v)] for x, y, z, v in lm]
        for lm in lms
    ]
    say(1.0, "Done")
    return MovementResult(measured.measurement, pictures, landmarks, media.size)


def _thumb_scale(w: int, h: int) -> float:
    from kneeassess.movement.video import _THUMB_SHORT_SIDE

    return min(1.0, _THUMB_SHORT_SIDE / min(h, w))
