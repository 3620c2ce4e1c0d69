"""The quick check on the runner's site, and "Finish your check" on the runner's own page (?p=) after a quick
check saved at a stand: the quick answers carried over, the full check started with them filled in."""

from __future__ import annotations

from datetime import UTC, datetime

from streamlit.testing.v1 import AppTest

from kneeassess import profiles, quick
from kneeassess.records import SavedAssessment
from kneeassess.screening import assess
from kneeassess.ui import quick_check
from kneeassess.ui.state import KEY as SCREENING_KEY
from tests.app.driver import ROOT, button

QUICK = {
    **quick.safety_answers([]), "pain_location": ["around_kneecap"], "pain_run_worst": 5, "pain_next_morning": 3,
    **quick.usual_weeks(30, 20), "sls_knee_in_left": True, "sls_pelvis_drop_left": False,
    "sls_trunk_lean_left": False,
}


def app(**params: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    for k, v in params.items():
        at.query_params[k] = v
    at.run()
    assert not at.exception, at.exception
    return at


def saved_quick_profile(store) -> str:  # noqa: ANN001
    token = profiles.new_token()
    profile = store.create_profile(profiles.token_hash(token), event=None)
    store.add(SavedAssessment(profile_id=profile.id, created_at=datetime.now(UTC), kind=quick.KIND, answers=QUICK,
                              result=assess(QUICK).model_dump(mode="json")))
    return token


def test_the_phone_shows_the_quick_answers_and_finishes_the_check_with_them(store):
    token = saved_quick_profile(store)
    at = app(p=token)
    assert "Finish your check" in [s.value for s in at.subheader]
    text = " ".join(m.value for m in at.markdown)
    assert "Around or behind the kneecap" in text and "5 out of 10" in text and "30 km" in text
    assert "My knee drifted inwards" in text  # the squat test done at the stand

    button(at, "Finish your check").click().run()
    assert not at.exception, at.exception
    s = at.session_state[SCREENING_KEY]
    assert s.answers["pain_run_worst"] == 5 and s.answers["km_week_3"] == 20  # carried over
    assert s.safety_none is True and s.step == 0
    assert "Finish your check" not in [b.label for b in at.button]  # the offer has done its job


def test_no_offer_once_a_full_check_is_saved(store):
    token = saved_quick_profile(store)
    profile = store.profile_by_token_hash(profiles.token_hash(token))
    store.add(SavedAssessment(profile_id=profile.id, created_at=datetime.now(UTC), kind="screening", answers=QUICK,
                              result=assess(QUICK).model_dump(mode="json")))
    at = app(p=token)
    assert "Finish your check" not in [s.value for s in at.subheader]


def test_the_runner_site_quick_check_saves_to_a_new_profile(store):
    at = app()
    button(at, "In a hurry? The 2-minute quick check").click().run()
    assert not at.exception, at.exception
    assert [h.value for h in at.header] == ["Safety check"]
    button(at, "None of these apply to me").click().run()
    at.button_group(key="q_pain_run_worst").set_value(6).run()
    at.button_group(key="q_pain_next_morning").set_value(1).run()
    button(at, "Next: the self-test").click().run()
    button(at, "See my result").click().run()
    assert not at.exception, at.exception
    assert [h.value for h in at.header] == ["Your result"]
    text = " ".join(m.value for m in at.markdown)
    assert "Hip control: the single-leg squat was not done." in text  # not firm without the test
    button(at, "Save my quick check").click().run()
    assert not at.exception, at.exception
    token = at.query_params["p"][0] if isinstance(at.query_params["p"], list) else at.query_params["p"]
    profile = store.profile_by_token_hash(profiles.token_hash(token))
    (saved,) = store.list_records(SavedAssessment, profile.id)
    assert saved.kind == "quick_check" and saved.answers["pain_run_worst"] == 6
    assert quick_check.latest_quick(profile) is not None
