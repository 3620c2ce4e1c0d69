"""The movement check on the real squat video: person, landmarks, repetitions, mirror, containers."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import cv2
import numpy as np
import pytest

from kneeassess.movement import MovementResult, analyse_squat
from tests.movement.conftest import REFERENCE, VIDEO, Frames

MEASURED = [11, 12, 23, 24, 25, 26, 27, 28]  # shoulders, hips, knees, ankles: what the figures are made from


def test_a_person_is_found_in_every_frame(fixture_result: MovementResult) -> None:
    m = fixture_result.measurement
    assert m.frames_measured == 65  # 5 fps, 13 s: every frame is measured (sampling keeps <= 10 a second)
    assert m.person_found == 65
    assert all(lm is not None for lm in fixture_result.landmarks)


def test_landmarks_agree_with_the_published_reference_within_15_px(fixture_result: MovementResult) -> None:
    ref = np.array(json.loads(REFERENCE.read_text()), dtype=float)[:, :, :2]  # 65 x 33 x [x px, y px]
    got = np.array(fixture_result.landmarks, dtype=float)[:, :, :2]
    assert got.shape == ref.shape
    err = np.linalg.norm(got - ref, axis=2)
    # every frame: the 33 landmarks on average within 15 px of the reference (measured: at most ~7 px)
    assert err.mean(axis=1).max() < 15
    # the landmarks the figures use: 95% of (frame, landmark) pairs within 15 px, each landmark's median well within
    assert np.percentile(err[:, MEASURED], 95) < 15
    assert np.median(err[:, MEASURED], axis=0).max() < 8


def test_repetitions_match_the_video(fixture_result: MovementResult) -> None:
    # Counted by eye on a contact sheet of the 65 frames (numbered, 13 to a row): she stands (frames 0-3), goes down
    # to the bottom at frames 8-12, is up again by 18-27, down to 32-37, up by 42-51, down to 57-61 and is rising
    # at the last frame (64). Three squats, each past its deepest point: three repetitions of a two-leg squat.
    m = fixture_result.measurement
    assert m.squat == "two_leg"
    assert any("single-leg squat is the better test" in n for n in m.notes)
    for leg in m.legs.values():
        assert [r.number for r in leg.reps] == [1, 2, 3]
        deepest = [r.frame for r in leg.reps]
        assert 8 <= deepest[0] <= 12 and 32 <= deepest[1] <= 37 and 57 <= deepest[2] <= 61, deepest
        assert all(r.depth_pct is not None and r.depth_pct > 30 for r in leg.reps)


def test_both_legs_figures_and_the_comparison_use_the_smallest_detectable_difference(
    fixture_result: MovementResult,
) -> None:
    m = fixture_result.measurement
    assert set(m.legs) == {"left", "right"}
    c = m.comparison
    assert c is not None and c.smallest_detectable_difference == 8
    assert c.counts == (abs(c.fppa_difference) >= 8)
    assert c.sentence in m.sentences
    assert any("not the angle of your knee joint" in t for t in m.limits)
    for side, picture in fixture_result.pictures.items():
        image = cv2.imdecode(np.frombuffer(picture, np.uint8), cv2.IMREAD_COLOR)
        assert image is not None and image.shape[0] > 400, side


def test_mirrored_frames_swap_left_and_right(
    fixture_result: MovementResult, fixture_frames: Frames, make_video: Callable[..., Path]
) -> None:
    mirrored = analyse_squat(make_video("mirrored.mp4", [cv2.flip(f, 1) for f in fixture_frames])).measurement
    original = fixture_result.measurement
    for side, other in (("left", "right"), ("right", "left")):
        a, b = original.legs[side], mirrored.legs[other]  # type: ignore[index]
        assert abs(a.fppa - b.fppa) < 6, (side, a.fppa, b.fppa)
        assert abs(a.pelvic_drop - b.pelvic_drop) < 5
        assert abs(a.trunk_lean - b.trunk_lean) < 5
    # and the swap is visible: the two legs' figures differ by far more than that
    assert abs(original.legs["left"].fppa - original.legs["right"].fppa) > 30
    assert mirrored.comparison is not None and original.comparison is not None
    assert mirrored.comparison.further_in != original.comparison.further_in


@pytest.mark.parametrize(("name", "fourcc"), [("squat.mov", "mp4v"), ("squat.webm", "VP90"), ("squat.avi", "MJPG")])
def test_other_containers_and_codecs_are_read(
    name: str, fourcc: str, fixture_frames: Frames, make_video: Callable[..., Path]
) -> None:
    m = analyse_squat(make_video(name, fixture_frames, fourcc)).measurement
    assert m.person_found == 65
    assert all(len(leg.reps) == 3 for leg in m.legs.values())


def test_a_30_fps_video_is_sampled_at_10_frames_a_second(
    fixture_frames: Frames, make_video: Callable[..., Path]
) -> None:
    # each frame 6 times at 30 fps: the same 13 s; measured at <= 10 fps, so about 130 frames, not 390
    video = make_video("30fps.mp4", [f for f in fixture_frames for _ in range(6)], fps=30)
    m = analyse_squat(video).measurement
    assert 120 <= m.frames_measured <= 135
    assert all(len(leg.reps) == 3 for leg in m.legs.values())


def test_one_side_only(fixture_result: MovementResult) -> None:
    left = analyse_squat(VIDEO.read_bytes(), side="left").measurement  # bytes in memory work as well as a path
    assert set(left.legs) == {"left"} and left.comparison is None
    assert left.legs["left"].fppa == fixture_result.measurement.legs["left"].fppa


def test_a_photo_at_the_deepest_point_is_the_fallback(fixture_frames: Frames, tmp_path: Path) -> None:
    photo = tmp_path / "deepest.jpg"
    cv2.imwrite(str(photo), fixture_frames[33])  # the bottom of the second squat
    m = analyse_squat(photo).measurement
    assert m.squat == "photo" and m.frames_measured == 1 and m.person_found == 1
    assert set(m.legs) == {"left", "right"}  # both feet on the floor: both knees
    for leg in m.legs.values():
        assert len(leg.reps) == 1 and leg.reps[0].depth_pct is None  # no standing frame: no depth from a photo
    png = tmp_path / "deepest.png"
    cv2.imwrite(str(png), fixture_frames[33])
    assert analyse_squat(png.read_bytes()).measurement.legs["right"].fppa == pytest.approx(
        m.legs["right"].fppa, abs=3)
