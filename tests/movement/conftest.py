"""The movement check's tests: real pose estimation on the shared fixture video (slow: ~2-5 s per video here).

The fixture is read from ../shared/fixtures/movement (never copied into the repository); every other video is
made here from its frames with OpenCV. Missing fixture or pose library: skipped locally, failed in CI.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import cv2
import numpy as np
import pytest

from kneeassess.movement import MovementResult, analyse_squat, pose_available
from tests.conftest import missing_setup

MOVEMENT = Path(__file__).resolve().parents[2] / ".." / "shared" / "fixtures" / "movement"
VIDEO = MOVEMENT / "squats-three-quarter-view.mp4"
REFERENCE = MOVEMENT / "squats-reference-landmarks.json"
SIDE_PHOTO = MOVEMENT / "lunge-side-view.jpg"
FPS = 5  # the fixture's frame rate (PROVENANCE.md)

Frames = list[np.ndarray]


@pytest.fixture(scope="session")
def movement_dir() -> Path:
    if not VIDEO.is_file():
        missing_setup(f"movement fixtures not found at {MOVEMENT}")
    if not pose_available():
        missing_setup("the pose library (mediapipe==0.10.14, requirements-nodeps.txt) cannot be imported")
    return MOVEMENT


@pytest.fixture(scope="session")
def fixture_result(movement_dir: Path) -> MovementResult:
    return analyse_squat(VIDEO)


@pytest.fixture(scope="session")
def fixture_frames(movement_dir: Path) -> Frames:
    cap = cv2.VideoCapture(str(VIDEO))
    frames: Frames = []
    while True:
        ok, frame = cap.read()
        if not ok:
            break
        frames.append(frame)
    cap.release()
    assert len(frames) == 65
    return frames


def write_video(path: Path, frames: Frames, fourcc: str = "mp4v", fps: float = FPS) -> Path:
    h, w = frames[0].shape[:2]
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*fourcc), fps, (w, h))
    assert writer.isOpened(), f"OpenCV cannot write {fourcc} to {path.suffix}"
    for frame in frames:
        writer.write(frame)
    writer.release()
    return path


@pytest.fixture
def make_video(tmp_path: Path) -> Callable[..., Path]:
    def make(name: str, frames: Frames, fourcc: str = "mp4v", fps: float = FPS) -> Path:
        return write_video(tmp_path / name, frames, fourcc, fps)

    return make
