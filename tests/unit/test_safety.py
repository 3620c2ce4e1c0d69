"""Safety that follows the runner (brief revised 2026-12-02): secondary flags, self-tests not asked, the dosing
rules of §6, the phase cap of §7 and triage_advice from data/safety.yaml. Each rule with its near miss."""

from __future__ import annotations

import pytest

from kneeassess import content
from kneeassess.content import ContentError, catalogue, safety_book
from kneeassess.screening import assess
from kneeassess.screening.advice import triage_advice
from kneeassess.screening.plan import build_plan
from tests.factories import akps_all, safe
from tests.unit.test_content import data_copy, edit_yaml  # noqa: F401  (fixture)

GREEN = {"pain_run_worst": 1, "pain_next_morning": 0}  # would be the progress phase


def ids(a):
    return [p.exercise for p in a.plan]


# --------------------------------------------------------------------------------------------------
# Secondary flags (§3.2a): each raised by its answer, each with a near miss
# --------------------------------------------------------------------------------------------------

XF = {
    # id: (answers that raise it, near miss, level, words of the answer shown with it)
    "xf_cannot_walk": ({"akps_support": 0}, {"akps_support": 3}, "urgent",
                       "Can you put your full weight on the leg? No"),
    "xf_child_limp": ({"age_band": "under_16", "rf_child_hip_limp": False, "akps_limp": 0},
                      {"age_band": "16_29", "akps_limp": 0}, "urgent", "Do you limp? All the time"),
    "xf_constant_severe_pain": ({"akps_pain": 0}, {"akps_pain": 3}, "see_clinician_soon", "Constant and severe"),
    "xf_constant_swelling": ({"akps_swelling": 0}, {"akps_swelling": 4}, "see_clinician_soon",
                             "Swelling: All the time"),
    "xf_dislocations": ({"akps_kneecap": 2}, {"akps_kneecap": 4}, "see_clinician", "At least one documented"),
}


def test_every_secondary_flag_of_the_brief_is_in_the_data():
    assert {f.id: f.triage for f in safety_book().secondary_flags} == {k: v[2] for k, v in XF.items()}


@pytest.mark.parametrize("flag", sorted(XF))
def test_secondary_flag_is_raised_by_its_answer_and_not_by_the_near_miss(flag):
    raises, near, level, words = XF[flag]
    a = assess(safe(**GREEN, **raises))
    assert a.triage == level and a.red_flags == [flag]
    detail = a.red_flag_details[0]
    assert any(words in w for w in detail.raised_by), detail.raised_by
    if level in ("urgent", "see_clinician_soon"):
        assert a.phase is None and a.plan == []
    b = assess(safe(**GREEN, **near))
    assert flag not in b.red_flags and b.triage == "self_care"


def test_walking_unable_also_raises_cannot_walk():
    a = assess(safe(akps_walking=0))
    assert a.red_flags == ["xf_cannot_walk"] and "I cannot walk" in a.red_flag_details[0].raised_by[0]
    assert assess(safe(akps_walking=2)).triage == "self_care"


def test_the_clinical_reviews_cases_no_longer_get_hop_landings():
    cannot_walk = safe(akps_support=0, akps_walking=0, pain_run_worst=1, pain_next_morning=0)
    assert assess(cannot_walk).triage == "urgent" and assess(cannot_walk).plan == []
    child = safe(age_band="under_16", rf_child_hip_limp=False, akps_limp=0, **GREEN)
    assert assess(child).triage == "urgent" and assess(child).plan == []


def test_child_hip_flag_is_urgent_with_same_day_advice():
    a = assess(safe(age_band="under_16", rf_child_hip_limp=True))
    assert a.triage == "urgent" and a.plan == [] and a.phase is None
    assert "same day" in (a.red_flag_details[0].advice or "")


def test_night_pain_is_see_clinician_soon_with_its_own_advice():
    a = assess(safe(rf_night_rest_pain=True, **GREEN))
    assert a.triage == "see_clinician_soon" and a.plan == []
    assert a.triage_advice.by_when == "Within 2 days"
    locking = assess(safe(rf_locking=True, **GREEN))
    assert locking.triage_advice.title != a.triage_advice.title, "no longer the same wording as a locking knee"


# --------------------------------------------------------------------------------------------------
# Self-tests not asked after an instability or child-hip flag (§2)
# --------------------------------------------------------------------------------------------------

PROVOKING = {"sls_knee_in_right": True, "sls_pain_right": 8, "hop_landing_left": "painful_or_unable"}


@pytest.mark.parametrize("flag", ["rf_giving_way", "rf_kneecap_dislocation", "rf_locking"])
def test_squat_and_hop_answers_are_not_used_after_an_instability_flag(flag):
    a = assess(safe(**{flag: True}, **PROVOKING))
    assert a.self_tests_not_asked and "single-leg squat" in a.self_tests_not_asked
    assert a.self_tests_not_asked in a.not_judged
    assert not any(r.rule == "hip_sls_knee_in" for w in a.weak_links for r in w.reasons)
    near = assess(safe(**PROVOKING))  # no flag: the same answers count
    assert near.self_tests_not_asked is None
    assert any(r.rule == "hip_sls_knee_in" for w in near.weak_links for r in w.reasons)


def test_the_screens_skip_the_squat_and_hop_sections_after_the_flag():
    from kneeassess.screening.triage import self_tests_not_asked

    sections, reason = self_tests_not_asked(safe(rf_giving_way=True))
    assert sections == ["single_leg_squat", "hop_landing_test"] and reason
    assert self_tests_not_asked(safe()) is None


# --------------------------------------------------------------------------------------------------
# Self-test pain changes the dose (§3.2a, §6)
# --------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("answers,limited", [
    ({"sls_pain_left": 6}, True), ({"sls_pain_left": 5}, False),
    ({"hop_landing_right": "painful_or_unable"}, True), ({"hop_landing_right": "wobbly"}, False),
])
def test_painful_self_test_takes_hops_and_knee_work_out_with_the_reason(answers, limited):
    a = assess(safe(**GREEN, **answers))
    assert a.phase == "progress"
    taken_out = {"single_leg_hop_landing", "wall_sit"}
    if limited:
        assert not taken_out & set(ids(a))
        assert a.plan_limits and "no hop landings, no wall sit" in a.plan_limits[0].text
    else:
        assert a.plan_limits == [] and "wall_sit" in ids(a)


# --------------------------------------------------------------------------------------------------
# Dosing rules (§6), each with its near miss
# --------------------------------------------------------------------------------------------------

HAMSTRING = {"bridge_reps_left": 10, "bridge_reps_right": 10, "other_pain": ["hamstring_tightness"]}
FOOT = {"heel_raise_reps_left": 10, "heel_raise_reps_right": 10, "other_pain": ["achilles"]}


def test_settle_has_no_reverse_lunge_but_build_does():
    settle = assess(safe(pain_run_worst=7, pain_next_morning=3, **HAMSTRING))
    assert settle.phase == "settle" and "reverse_lunge" not in ids(settle)
    assert set(ids(settle)) <= {"floor_reach", "banded_hip_flexion", "side_plank"}
    build = assess(safe(pain_run_worst=4, pain_next_morning=1, **HAMSTRING))
    assert build.phase == "build" and "reverse_lunge" in ids(build)


def test_settle_adds_the_bent_knee_calf_raise_only_for_a_foot_link():
    foot = assess(safe(pain_run_worst=7, pain_next_morning=3, **FOOT))
    assert "bent_knee_calf_raise" in ids(foot)
    ham = assess(safe(pain_run_worst=7, pain_next_morning=3, **HAMSTRING))
    assert "bent_knee_calf_raise" not in ids(ham)


def test_a_hip_exercise_is_in_every_plan_from_build_even_with_only_a_foot_link():
    a = assess(safe(pain_run_worst=4, pain_next_morning=1, **FOOT))
    assert [w.link for w in a.weak_links if w.level != "unlikely"] == ["foot"]
    hip = [p for p in a.plan if p.exercise in ("side_plank", "banded_hip_flexion")]
    assert len(hip) == 1 and hip[0].serves == ["hip"] and "consensus" in hip[0].why
    # near miss: a hip link already brings hip exercises; nothing is added on top with the consensus reason
    b = assess(safe(pain_run_worst=4, pain_next_morning=1, sls_knee_in_left=True, sls_pelvis_drop_left=True,
                    side_plank_seconds_left=10))
    assert not any("consensus" in p.why for p in b.plan)


@pytest.mark.parametrize("answers,link", [(FOOT, "foot"), (HAMSTRING, "hamstring")])
@pytest.mark.parametrize("pain", [(7, 3), (4, 1), (1, 0)])
def test_each_flagged_link_is_served_in_every_phase(answers, link, pain):
    a = assess(safe(pain_run_worst=pain[0], pain_next_morning=pain[1], **answers))
    assert any(link in p.serves for p in a.plan)
    other = "hamstring" if link == "foot" else "foot"
    assert not any(other in p.serves for p in a.plan), "a link that did not stand out is not claimed as served"


def test_hop_landings_and_strides_start_at_level_1_even_in_progress():
    a = assess(safe(**GREEN))
    by_id = {p.exercise: p for p in a.plan}
    assert by_id["single_leg_hop_landing"].level == 1 and by_id["single_leg_hop_landing"].dose == "8 × 3 each leg"
    assert by_id["strides"].level == 1 and by_id["strides"].sets == 6
    assert by_id["side_plank"].level == 2, "the other exercises are at level 2 in progress"
    later = build_plan("progress", a.weak_links, ready_for_level_2={"single_leg_hop_landing", "strides"})
    assert {p.exercise: p.level for p in later}["single_leg_hop_landing"] == 2


def test_floor_reach_level_1_without_weight_is_labelled_the_clinics_addition():
    dose = catalogue().get("floor_reach").levels[1].text
    assert "clinic's addition" in dose
    assert "addition" not in catalogue().get("floor_reach").levels[2].text


# --------------------------------------------------------------------------------------------------
# Phase cap (§7)
# --------------------------------------------------------------------------------------------------

def test_see_clinician_never_starts_above_build():
    a = assess(safe(rf_giving_way=True, **GREEN))
    assert a.triage == "see_clinician" and a.phase == "build"
    assert "clinician" in (a.phase_reason or "")
    assert not {"single_leg_hop_landing", "strides"} & set(ids(a))
    assert assess(safe(**GREEN)).phase == "progress"  # near miss: no flag


# --------------------------------------------------------------------------------------------------
# triage_advice from data/safety.yaml and the clinic's numbers (§10)
# --------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("level", ["urgent", "see_clinician_soon", "see_clinician", "self_care"])
def test_advice_for_every_level_comes_from_the_data_file(level):
    adv = triage_advice(level)
    data = safety_book().levels[level]
    assert adv.level == level and adv.title == data.title and adv.by_when
    assert "{" not in adv.what_to_do, "placeholders are filled with the region's numbers"


def test_urgent_advice_calls_999_then_111_by_default():
    adv = triage_advice("urgent")
    assert [c.tel for c in adv.call] == ["999", "111"]
    assert "999" in adv.what_to_do and "111" in adv.what_to_do


def test_the_regions_numbers_come_from_clinic_toml(data_copy):  # noqa: F811
    path = data_copy / "clinic.toml"
    text = path.read_text().replace('tel = "999"', 'tel = "112"').replace('"999 (emergency)"', '"112 (emergency)"')
    path.write_text(text.replace('phone = ""', 'phone = "01234 567890"'))
    adv = triage_advice("urgent", content.clinic())
    assert [(c.label, c.tel) for c in adv.call][:1] == [("112 (emergency)", "112")]
    assert adv.call[-1].tel == "01234567890", "the clinic's phone comes after the region's numbers"
    assert "112" in adv.what_to_do and "999" not in adv.what_to_do


def test_a_level_missing_from_safety_yaml_is_named_at_start(data_copy):  # noqa: F811
    edit_yaml(data_copy / "safety.yaml", lambda doc: doc["levels"].pop("see_clinician_soon"))
    with pytest.raises(ContentError) as err:
        content.load_all()
    assert "safety.yaml" in str(err.value) and "levels" in str(err.value)
    assert "see_clinician_soon" in str(err.value)


def test_an_empty_title_in_safety_yaml_is_named(data_copy):  # noqa: F811
    edit_yaml(data_copy / "safety.yaml", lambda doc: doc["levels"]["urgent"].update(title=""))
    with pytest.raises(ContentError) as err:
        content.load_all()
    assert "safety.yaml" in str(err.value) and "levels.urgent.title" in str(err.value)


def test_a_bad_number_in_clinic_toml_is_named(data_copy):  # noqa: F811
    path = data_copy / "clinic.toml"
    path.write_text(path.read_text().replace('tel = "111"', 'tel = "one-one-one"'))
    with pytest.raises(ContentError) as err:
        content.load_all()
    assert "clinic.toml" in str(err.value) and "numbers.urgent_advice.tel" in str(err.value)


def test_notes_carry_no_triage_advice():
    for answers in (safe(rf_calf_swelling=True), safe(rf_locking=True), safe(rf_night_rest_pain=True), safe()):
        a = assess(answers)
        assert a.triage_advice.title not in " ".join(a.notes)
        assert not any("111" in n or "A&E" in n for n in a.notes)


def test_the_disclaimer_fits_the_level():
    urgent = assess(safe(rf_calf_swelling=True)).disclaimer
    assert "within a few weeks" not in urgent and "today" in urgent
    assert "within a few weeks" in assess(safe()).disclaimer


def test_kujala_full_answers_still_score():
    assert assess(safe(**akps_all(0))).akps == 100


def test_hop_landings_go_to_level_2_only_after_two_logged_green_weeks():
    from datetime import date, timedelta

    from kneeassess.progress import ready_for_level_2
    from kneeassess.records import ExerciseSession

    monday = date(2026, 11, 2)
    today = monday + timedelta(weeks=3)

    def logged(week: int, pain: int | None) -> ExerciseSession:
        return ExerciseSession(day=monday + timedelta(weeks=week, days=1), exercise="single_leg_hop_landing",
                               sets=3, reps=8, pain=pain)

    assert ready_for_level_2([logged(0, 1), logged(1, 2)], monday, today) == {"single_leg_hop_landing"}
    assert ready_for_level_2([logged(0, 1), logged(1, 3)], monday, today) == set(), "pain 3 is not green"
    assert ready_for_level_2([logged(0, 1)], monday, today) == set(), "one week is not two"
    assert ready_for_level_2([logged(0, None), logged(1, None)], monday, today) == set(), "pain must be rated"
    assert ready_for_level_2([logged(2, 0), logged(3, 0)], monday, today) == set(), "this week is not complete"
