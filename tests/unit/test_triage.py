import pytest

from kneeassess.content import questionnaire
from kneeassess.screening import assess
from tests.factories import SAFETY, safe

FLAGS = {q.id: q.triage for q in questionnaire().step("safety").questions}
BRIEF = {
    "rf_cannot_weight_bear": "urgent", "rf_rapid_swelling": "urgent", "rf_hot_red_fever": "urgent",
    "rf_calf_swelling": "urgent", "rf_numb_cold_foot": "urgent", "rf_locking": "see_clinician",
    "rf_giving_way": "see_clinician", "rf_kneecap_dislocation": "see_clinician",
    "rf_night_rest_pain": "see_clinician_soon", "rf_child_hip_limp": "urgent",
}


def test_every_flag_of_the_brief_is_asked_with_its_level():
    assert FLAGS == BRIEF


@pytest.mark.parametrize("flag", sorted(BRIEF))
def test_each_red_flag_sets_its_triage_level(flag):
    extra = {"age_band": "under_16", "rf_child_hip_limp": False} if flag == "rf_child_hip_limp" else {}
    a = assess(safe(**extra) | {flag: True})
    assert a.triage == BRIEF[flag]
    assert a.red_flags == [flag]
    if BRIEF[flag] in ("urgent", "see_clinician_soon"):
        assert a.phase is None and a.plan == []
    else:
        assert a.phase is not None and a.plan, "see_clinician keeps a plan (shown only on request)"


def test_no_flag_is_self_care():
    a = assess(safe())
    assert a.triage == "self_care" and a.red_flags == []


def test_urgent_wins_over_see_clinician():
    a = assess(safe(rf_locking=True, rf_calf_swelling=True))
    assert a.triage == "urgent"
    assert set(a.red_flags) == {"rf_locking", "rf_calf_swelling"}


@pytest.mark.parametrize("missing", SAFETY)
def test_safety_screen_cannot_be_skipped(missing):
    from kneeassess.answers import InvalidAnswers

    answers = safe()
    del answers[missing]
    with pytest.raises(InvalidAnswers) as err:
        assess(answers)
    assert [p.field for p in err.value.items] == [missing]


def test_child_hip_question_required_only_for_under_16():
    from kneeassess.answers import InvalidAnswers

    assess(safe(age_band="16_29"))  # not asked: fine without it
    with pytest.raises(InvalidAnswers) as err:
        assess(safe(age_band="under_16"))
    assert [p.field for p in err.value.items] == ["rf_child_hip_limp"]


@pytest.mark.parametrize("age,noted", [("16_29", False), ("30_44", False), ("45_59", True), ("60_plus", True)])
def test_older_runners_get_a_note_not_a_flag(age, noted):
    a = assess(safe(age_band=age))
    assert a.triage == "self_care"
    assert any("wear" in n for n in a.notes) is noted
