"""The movement check's geometry and counting on made-up landmarks (fast: no video, no pose library)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from kneeassess.content import ContentError, load_model
from kneeassess.movement.measure import find_reps, fppa, pelvic_drop, trunk_lean
from kneeassess.movement.rules import MovementRules, movement_rules, rules_path


def body(knee_shift: float = 0.0, right_hip_drop: float = 0.0, lean: float = 0.0) -> np.ndarray:
    """A person facing the camera: their left side on the image's right. ``knee_shift`` > 0 moves both knees
    towards the middle; ``right_hip_drop`` lowers the right hip (px); ``lean`` shifts the shoulders to the image's
    right (towards the left leg)."""
    lm = np.zeros((33, 4))
    lm[:, 3] = 1.0
    lm[23, :2] = (220, 500)  # left hip (image right)
    lm[24, :2] = (180, 500 + right_hip_drop)  # right hip
    lm[25, :2] = (220 - knee_shift, 650)  # left knee
    lm[26, :2] = (180 + knee_shift, 650)
    lm[27, :2] = (220, 800)  # left ankle
    lm[28, :2] = (180, 800)
    lm[11, :2] = (240 + lean, 300)  # left shoulder
    lm[12, :2] = (160 + lean, 300)
    return lm


def test_fppa_is_positive_when_the_knee_drifts_inwards_on_either_leg() -> None:
    straight = body()
    assert fppa(straight, "left") == pytest.approx(0, abs=0.01)
    inwards, outwards = body(knee_shift=20), body(knee_shift=-20)
    for side in ("left", "right"):
        assert fppa(inwards, side) == pytest.approx(2 * np.degrees(np.arctan(20 / 150)), abs=0.01)
        assert fppa(outwards, side) < -10


def test_fppa_is_the_same_on_a_mirrored_image() -> None:
    lm = body(knee_shift=15)
    lm[25, 0] += 5  # the left knee a little further in than the right
    mirrored = lm.copy()
    mirrored[:, 0] = 400 - mirrored[:, 0]
    for a, b in ((11, 12), (23, 24), (25, 26), (27, 28)):  # the mirror's left is the person's right
        mirrored[[a, b]] = mirrored[[b, a]]
    assert fppa(mirrored, "right") == pytest.approx(fppa(lm, "left"))
    assert fppa(mirrored, "left") == pytest.approx(fppa(lm, "right"))


def test_pelvic_drop_is_the_other_hip_going_down() -> None:
    lm = body(right_hip_drop=7)  # right hip 7 px lower over 40 px: about 9.9 degrees
    assert pelvic_drop(lm, "left") == pytest.approx(np.degrees(np.arctan(7 / 40)), abs=0.01)  # standing on the left
    assert pelvic_drop(lm, "right") == pytest.approx(-np.degrees(np.arctan(7 / 40)), abs=0.01)


def test_trunk_lean_towards_the_standing_leg_is_positive() -> None:
    lm = body(lean=35)  # shoulders shifted towards the image's right: the person's left
    assert trunk_lean(lm, "left") == pytest.approx(np.degrees(np.arctan(35 / 200)), abs=0.01)
    assert trunk_lean(lm, "right") < 0
    assert trunk_lean(body(), "left") == pytest.approx(0, abs=0.01)


def test_repetitions_need_a_real_dip_and_a_rise_after_it() -> None:
    rules = movement_rules()
    squat = [0, 0.1, 0.3, 0.4, 0.3, 0.1, 0]
    signal = np.array([0.0] + squat * 3 + [0.02, 0.05, 0.03])  # three squats, then a wobble under min_depth
    reps = find_reps(signal, rules)
    assert [bottom for _, bottom, _ in reps] == [4, 11, 18]
    cut = np.array([0.0, 0.2, 0.4, 0.45])  # filmed to its bottom, never rising: its deepest point is not known
    assert find_reps(cut, rules) == []
    bumpy = np.array([0, 0.3, 0.5, 0.3, 0.2, 0.3, 0.1, 0])  # a pause on the way up is still one squat
    assert len(find_reps(bumpy, rules)) == 1


def test_every_threshold_is_a_labelled_starting_point_with_a_source() -> None:
    rules = movement_rules()
    assert rules.fppa_upper_normal.starting_point and rules.fppa_upper_normal.source
    assert rules.fppa_threshold("female") == (13, "female")
    assert rules.fppa_threshold("male") == (9, "male")
    assert rules.fppa_threshold("prefer_not_to_say")[0] == 13
    assert rules.smallest_detectable_difference.fppa_degrees == 8  # Munro 2012: 7.5-8.9 degrees
    assert "Munro" in rules.smallest_detectable_difference.source
    for p in (rules.pelvic_drop_propose_degrees, rules.trunk_lean_propose_degrees):
        assert p.starting_point and p.sex == "any" and "No camera threshold" in p.source


def test_a_broken_rules_file_names_the_file_and_field(tmp_path: Path) -> None:
    text = rules_path().read_text().replace("fppa_degrees: 8", "fppa_degrees: -3")
    broken = tmp_path / "movement.yaml"
    broken.write_text(text)
    with pytest.raises(ContentError) as caught:
        load_model(MovementRules, broken)
    assert "movement.yaml" in str(caught.value) and "fppa_degrees" in str(caught.value)
