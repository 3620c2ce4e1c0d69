"""The whole screening from app.py through AppTest, for different runners."""

import pytest

from kneeassess import content
from tests.app.driver import button, fill_step, start, step_caption, walk
from tests.factories import HIP_RUNNER, akps_all, safe


def texts(at):
    return "\n".join(
        [m.value for m in at.markdown] + [c.value for c in at.caption] + [e.value for e in at.error]
        + [w.value for w in at.warning] + [s.value for s in at.success] + [i.value for i in at.info]
        + [h.value for h in at.subheader] + [h.value for h in at.header]
    )


def test_hip_runner_sees_hip_first_and_a_build_plan():
    at = walk(HIP_RUNNER)
    page = texts(at)
    assert step_caption(at) == "Step 7 of 7"
    assert "Safe to start with self-care" in page
    summary, *cards = [m.value for m in at.markdown if "/100" in m.value]  # the answer first, then the detail
    assert summary.startswith("**Your top weak link: Hip stabilisers**") and summary.endswith("80/100")
    assert cards[0] == "**Hip stabilisers**\n\n:red-badge[:material/priority_high: Likely weak link] · **80**/100"
    untested = ":gray-badge[:material/visibility_off: Not tested] · **0**/100"
    assert [c.split("\n\n")[1] for c in cards[1:]] == [untested] * 2
    assert "Knee drifted inwards in the single-leg squat (right) (+25)" in page
    assert "95 / 100" in [m.value for m in at.metric]
    assert "71.4% more" in page and "large jump" in page
    assert any('alt="Weekly distance in km: 3 weeks before' in h.proto.body for h in at.get("html"))  # a picture:
    assert not at.get("plotly_chart")  # no Plotly code to load for it
    assert "This week: " in page and "Your plan: 3 sessions this week" in page
    assert "25 s hold, 10 s rest, × 5 each side" in page
    assert "self-screening, not a diagnosis" in page


def test_urgent_flag_ends_the_flow_at_once():
    at = start()
    button(at, "Skip this step").click().run()  # about you
    fill_step(at, safe(rf_calf_swelling=True), "safety")
    button(at, "Next").click().run()
    page = texts(at)
    assert "Your results" in page
    assert "Get medical help today" in page
    assert "blood clot" in page
    assert "Your plan" not in page and "Your weak links" not in page


def test_skipping_self_tests_says_what_could_not_be_judged():
    answers = safe(pain_location=["around_kneecap"], pain_run_worst=1, pain_next_morning=0, other_pain=["achilles"],
                   km_week_0=20, km_week_1=20, km_week_2=20, km_week_3=20) | akps_all(0)
    at = walk(answers, skip=("about", "self_tests"))
    page = texts(at)
    assert "Safe to start with self-care" in page
    assert page.count("rests on your symptoms alone") == 3
    assert page.count("Not tested") == 3  # foot scored 20 from Achilles pain: under 30, so not "possible"
    assert "Self-tests skipped for: foot, hamstring, hip" in page
    assert "100 / 100" in [m.value for m in at.metric]
    assert "Progress" in page  # pain 1/10 settled overnight


def test_see_clinician_hides_plan_until_understood():
    at = walk(safe(rf_giving_way=True, pain_run_worst=3, pain_next_morning=0), skip=("about", "symptoms"))
    page = texts(at)
    assert "See a physiotherapist or doctor" in page
    assert "Your plan" not in page
    button(at, "I understand, show me general exercises anyway").click().run()
    page = texts(at)
    assert "Your plan" in page
    assert "General exercises only, shown at your request" in page
    assert "See a physiotherapist or doctor before you rely on self-help" in page, "the warning stays on screen"


def test_safety_step_requires_an_answer_next_to_the_field():
    at = start()
    button(at, "Next").click().run()  # about (nothing chosen is fine: optional)
    button(at, "Next").click().run()  # safety with nothing ticked
    assert step_caption(at) == "Step 2 of 7"
    assert [e.value for e in at.error] == [
        "Tick every sign that applies to you, or tick 'None of these apply to me'."
    ]
    at.checkbox(key="w_safety_none").check()
    button(at, "Next").click().run()
    assert step_caption(at) == "Step 3 of 7"


def test_back_keeps_answers():
    at = start()
    at.radio(key="w_age_band").set_value("45_59")
    button(at, "Next").click().run()
    button(at, "Back").click().run()
    assert at.radio(key="w_age_band").value == "45_59"


def test_miles_are_stored_as_km():
    answers = safe(km_week_0=16.09344, km_week_1=16.09344, km_week_2=16.09344, km_week_3=8.04672)
    at = walk(answers, skip=("about", "symptoms", "knee_score", "self_tests"), unit="mi")
    page = texts(at)
    from kneeassess.ui.state import KEY

    assert at.session_state[KEY].answers["km_week_0"] == pytest.approx(16.09, abs=0.01)
    assert "Last week you ran 16.09 km" in page


def test_child_is_asked_about_hip_pain():
    at = start()
    at.radio(key="w_age_band").set_value("under_16")
    button(at, "Next").click().run()
    assert at.checkbox(key="w_rf_child_hip_limp").label == "Pain in the hip or groin, or a limp"
    at.checkbox(key="w_rf_child_hip_limp").check()
    button(at, "Next").click().run()
    page = texts(at)  # urgent (brief revised 2026-12-02): straight to the result, same-day advice, no plan
    assert "Get medical help today" in page and "same day" in page
    assert "Your plan" not in page


def test_self_tests_skip_the_squat_and_hop_after_giving_way():
    at = start()
    button(at, "Skip this step").click().run()  # about you
    fill_step(at, safe(rf_giving_way=True), "safety")
    button(at, "Next").click().run()
    for _ in range(3):  # symptoms, knee score, training
        button(at, "Skip this step").click().run()
    assert step_caption(at) == "Step 6 of 7"
    page = texts(at)
    assert "We did not ask for the single-leg squat or the hop landing" in page
    assert "Single-leg heel raise" in page
    assert "Single-leg squat" not in [h.value for h in at.subheader]
    assert "Step-down hop landing" not in [h.value for h in at.subheader]


def test_self_tests_ask_the_squat_and_hop_without_the_flag():
    at = start()
    button(at, "Skip this step").click().run()
    fill_step(at, safe(), "safety")
    button(at, "Next").click().run()
    for _ in range(3):
        button(at, "Skip this step").click().run()
    subheads = [h.value for h in at.subheader]
    assert "Single-leg squat" in subheads and "Step-down hop landing" in subheads


def test_broken_content_file_stops_the_app_with_its_message(tmp_path, configure):
    import shutil

    shutil.copytree(content.data_dir(), tmp_path / "data")
    (tmp_path / "data" / "rules.yaml").write_text("levels: {likely: high}\nlinks: {}\nrules: []\n")
    configure(data_dir=tmp_path / "data", clinic_file=None)
    content.reload()
    try:
        at = start()
        assert "KneeAssess cannot start" in at.error[0].value
        assert "rules.yaml" in at.code[0].value and "levels.likely" in at.code[0].value
    finally:
        content.reload()


def test_exercises_page_lists_the_whole_catalogue():
    at = start()
    at.switch_page("pages/runner/exercises.py").run()
    assert not at.exception
    names = [s.value for s in at.header]
    assert len(names) == len(content.catalogue().exercises)
    assert "Side plank" in " ".join(names)
    page = texts(at)
    assert "From the clinic's article" in page and "Addition" in page


def test_results_without_a_screening_offers_to_start():
    at = start()
    at.switch_page("pages/runner/results.py").run()
    assert "You have not finished a knee check yet." in texts(at)


def test_learn_page_labels_the_clinics_view_and_the_pain_rules():
    at = start()
    at.switch_page("pages/runner/learn.py").run()
    assert not at.exception
    page = texts(at)
    assert "This section is the clinic's approach" in page
    assert "Never push through pain above 5/10" in page
    assert "Get medical help **today**" in page
    assert "call 111 for advice, or 999 in an emergency" in page, "the region's numbers, from clinic.toml"
