"""The quick check's domain: its answers go through the screening's own assess(), the result says what is firm,
and no plan rests on nothing."""

from __future__ import annotations

from kneeassess import quick
from kneeassess.content import questionnaire
from kneeassess.screening import assess


def test_every_safety_question_of_the_screen_is_answered():
    ids = [q.id for q in questionnaire().step("safety").questions if not q.ask_when]
    answers = quick.safety_answers(["rf_locking"])
    assert set(answers) == set(ids) and answers["rf_locking"] is True
    assert sum(answers.values()) == 1
    assert "rf_child_hip_limp" in quick.safety_ids({"age_band": "under_16"})  # asked for a child, as in the screening


def test_the_usual_week_stands_for_the_three_weeks_before():
    weeks = quick.usual_weeks(45, 20)
    a = assess({**quick.safety_answers([]), **weeks})
    assert a.load.weekly_km == [20, 20, 20, 45]
    assert "big_jump" in a.load.flags  # 45 after a usual 20: the same load rule as the full check


def test_nothing_answered_gives_the_safety_result_and_no_plan():
    answers = quick.safety_answers([])
    r = quick.read(answers, assess(answers))
    assert not r.show_plan
    assert r.firm[0].startswith("Your safety check")
    assert any("single-leg squat was not done" in n for n in r.needs_full_check)


def test_a_test_alone_is_a_basis_and_firm_for_the_hip():
    answers = {**quick.safety_answers([]), **quick.squat_answers("left", ["sls_knee_in", "sls_pelvis_drop"]),
               **quick.squat_answers("right", [quick.NONE_SEEN])}
    a = assess(answers)
    r = quick.read(answers, a)
    assert r.show_plan
    assert any(line.startswith("Hip control, from the single-leg squat") for line in r.firm)


def test_an_urgent_sign_is_firm_and_nothing_else_is_offered():
    answers = quick.safety_answers(["rf_hot_red_fever"])
    a = assess(answers)
    r = quick.read(answers, a)
    assert a.triage == "urgent" and not r.show_plan and r.needs_full_check == []


def test_the_summary_names_the_answers_in_words():
    answers = {**quick.safety_answers([]), "pain_location": ["outside_knee"], "pain_run_worst": 3,
               **quick.usual_weeks(10, 15), **quick.squat_answers("right", ["sls_trunk_lean"])}
    lines = dict(quick.summary(answers))
    assert lines["Safety check"] == "None of the warning signs"
    assert lines["Where it hurts"] == "Outside of the knee"
    assert lines["Last week"] == "10 km" and lines["Usual week"] == "15 km"
    assert lines["Single-leg squat, right leg"] == "My upper body leaned to the side"
