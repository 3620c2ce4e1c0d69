"""Pose per frame with MediaPipe's legacy pose solution (mediapipe==0.10.14, models inside the wheel, CPU, offline).

``model_complexity=1`` (the "full" model). 0.10.14's metadata pins protobuf<5, but it runs with protobuf 5.29
(Streamlit needs >=5.26.1); the project installs it with ``--no-deps`` on purpose (README, dependency list).
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Callable
from typing import Any

import cv2
import numpy as np
import numpy.typing as npt

Landmarks = npt.NDArray[np.float64]  # 33 x [x px, y px, z, visibility], in the measured frame's pixels

os.environ.setdefault("GLOG_minloglevel", "2")  # MediaPipe's C++ start-up chatter
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")


class PoseUnavailable(RuntimeError):
    """MediaPipe cannot be imported here (missing, or a protobuf it does not run with)."""


def _solution() -> Any:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            from mediapipe.python.solutions import pose as mp_pose  # type: ignore[import-untyped]
    except Exception as exc:  # ImportError, or protobuf>=6's AttributeError at import time
        raise PoseUnavailable(f"{type(exc).__name__}: {exc}") from exc
    return mp_pose


def pose_available() -> bool:
    try:
        _solution()
    except PoseUnavailable:
        return False
    return True


def detect(
    frames: list[npt.NDArray[np.uint8]], *, still: bool, progress: Callable[[int], None] | None = None
) -> list[Landmarks | None]:
    """Landmarks of the (one) person in each frame, or None where nobody was found."""
    mp_pose = _solution()
    out: list[Landmarks | None] = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # protobuf 5's GetPrototype deprecation, once per graph
        with mp_pose.Pose(static_image_mode=still, model_complexity=1, enable_segmentation=False) as pose:
            for i, frame in enumerate(frames):
                h, w = frame.shape[:2]
                found = pose.process(cv2.cvtColor(frame, cv2.COLOR_BGR2RGB)).pose_landmarks
                if found is None:
                    out.append(None)
                else:
                    out.append(
                        np.array([[p.x * w, p.y * h, p.z * w, p.visibility] for p in found.landmark], dtype=np.float64)
                    )
                if progress is not None:
                    progress(i + 1)
    return out
