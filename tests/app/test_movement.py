"""The movement check inside the knee check (AppTest): the fallback without the pose library, and confirmed
figures becoming the single-leg squat answers (the analysis itself: tests/movement; the browser: tests/e2e)."""

from __future__ import annotations

import pytest

from kneeassess.movement.models import Comparison, Leg, Measurement, Rep
from kneeassess.ui.state import KEY, Screening
from tests.app.driver import button, start


def _go_to_self_tests(monkeypatch: pytest.MonkeyPatch, available: bool):  # noqa: ANN202
    monkeypatch.setattr("kneeassess.ui.movement.pose_available", lambda: available)
    at = start()
    at.session_state[KEY] = Screening(step=5, answers={"pain_run_worst": 4, "sex": "female"})
    at.run()
    assert not at.exception, at.exception
    return at


def test_without_the_pose_library_the_mirror_questions_stay_with_a_note(monkeypatch: pytest.MonkeyPatch) -> None:
    at = _go_to_self_tests(monkeypatch, available=False)
    assert any("movement check is not available on this server" in i.value for i in at.info)
    assert not [b for b in at.button if b.label == "Measure my squat"]
    assert at.pills(key="w_signs_left") is not None and at.pills(key="w_signs_right") is not None


def _leg(side: str, fppa: float, drop: float) -> Leg:
    reps = [Rep(number=n, frame=n, time_s=n, fppa=fppa, pelvic_drop=drop, trunk_lean=2, depth_pct=30)
            for n in (1, 2, 3)]
    return Leg(side=side, reps=reps, fppa=fppa, pelvic_drop=drop, trunk_lean=2, depth_pct=30, deepest_rep=1,
               knee_in=fppa > 13, pelvis_drop=drop > 5, trunk_lean_proposed=False)


def test_confirmed_figures_answer_the_squat_questions_only_after_confirming(monkeypatch: pytest.MonkeyPatch) -> None:
    from kneeassess.movement import MovementResult

    at = _go_to_self_tests(monkeypatch, available=True)
    m = Measurement(
        squat="single_leg", legs={"left": _leg("left", 6, 1), "right": _leg("right", 16, 7)},
        comparison=Comparison(fppa_difference=-10, counts=True, further_in="right", smallest_detectable_difference=8,
                              sentence="Your right knee drifted further inwards than your left: 16° inwards against "
                                       "6° inwards."),
        frames_measured=100, person_found=100, fppa_threshold=13, fppa_threshold_sex="female",
        sentences=["s"], notes=[], limits=["not the angle of your knee joint"],
    )
    at.session_state["kneeassess_movement"] = {"result": MovementResult(m), "problems": [], "upload": 1}
    at.run()
    s: Screening = at.session_state[KEY]
    assert "sls_knee_in_right" not in s.answers  # shown, proposed, not yet an answer
    assert any("drifted further inwards" in md.value for md in at.markdown)
    button(at, "Use these answers").click().run()
    s = at.session_state[KEY]
    assert s.answers["sls_knee_in_right"] is True and s.answers["sls_pelvis_drop_right"] is True
    assert s.answers["sls_knee_in_left"] is False and s.answers["sls_trunk_lean_right"] is False
    assert at.pills(key="w_signs_right").value == ["sls_knee_in", "sls_pelvis_drop"]
    assert at.pills(key="w_signs_left").value == ["__none__"]
    assert s.movement is not None and s.movement["legs"]["right"]["fppa"] == 16
