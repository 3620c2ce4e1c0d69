"""Answers of example runners, built up from a safe minimum."""

from __future__ import annotations

from typing import Any

from kneeassess.content import questionnaire

SAFETY = [q.id for q in questionnaire().step("safety").questions if q.required]
AKPS = [q.id for q in questionnaire().step("knee_score").questions]


def safe(**extra: Any) -> dict[str, Any]:
    """Only the safety screen, all 'no', plus any extra answers."""
    return {rf: False for rf in SAFETY} | extra


def akps_all(option_index: int = 0) -> dict[str, int]:
    """Every Kujala item answered with its n-th option (0 = best, -1 = worst)."""
    return {
        q.id: q.options[option_index].value for q in questionnaire().step("knee_score").questions
    }  # type: ignore[misc]


HIP_RUNNER = safe(
    age_band="30_44", sex="female", painful_side="right", years_running="1_to_3",
    pain_location=["around_kneecap"], aggravators=["stairs_down", "squatting"],
    pain_run_worst=4, pain_next_morning=1,
    km_week_0=36, km_week_1=20, km_week_2=22, km_week_3=21,
    sls_knee_in_left=False, sls_pelvis_drop_left=False, sls_trunk_lean_left=False,
    sls_knee_in_right=True, sls_pelvis_drop_right=True, sls_trunk_lean_right=False,
    side_plank_seconds_left=45, side_plank_seconds_right=22,
) | akps_all(0) | {"akps_stairs": 8, "akps_squatting": 4, "akps_running": 8}
