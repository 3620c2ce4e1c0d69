"""Kiosk mode on an event tablet: a welcome with one Start, the quick check, take the result home, staff-only exit."""

from __future__ import annotations

import uuid
from datetime import date

import pytest
from streamlit.testing.v1 import AppTest

from kneeassess import events, profiles
from kneeassess.records import SavedAssessment
from kneeassess.staff_auth import hash_passcode
from kneeassess.ui import kiosk
from tests.app.driver import NOT_REGISTERED, ROOT, button

PASSCODE = "kiosk-passcode-3"
PASSCODE_HASH = hash_passcode(PASSCODE)
OTHER_PAGES = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "pages").glob("*/*.py") if p.parent.name != "kiosk")


@pytest.fixture(autouse=True)
def passcode(configure):
    configure(staff_passcode_hash=PASSCODE_HASH)


@pytest.fixture
def slug(store) -> str:
    slug = f"kiosk-ev-{uuid.uuid4().hex[:8]}"
    events.create_event(store, "Kiosk test event", date.today(), slug=slug)
    return slug


def kiosk_tablet(slug: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["kiosk"] = "1"  # the kiosk link: /?kiosk=1&event=<slug>
    at.query_params["event"] = slug
    at.run()
    assert not at.exception, at.exception
    return at


def on_welcome(at: AppTest) -> bool:
    return "Start the quick check" in [b.label for b in at.button] and not at.header


def start(at: AppTest) -> None:
    button(at, "Start the quick check").click().run()
    assert not at.exception, at.exception
    assert [h.value for h in at.header] == ["Safety check"]


def qr_shown(at: AppTest) -> bool:
    return any('id="ka-qr"' in h.proto.body for h in at.get("html"))


def pills(at: AppTest, key: str, value) -> None:  # noqa: ANN001
    at.button_group(key=key).set_value(value).run()
    assert not at.exception, at.exception


def through_the_quick_check(at: AppTest) -> None:
    """A visitor who answers every quick question: none of the signs, knee pain, distances, the squat test."""
    start(at)
    button(at, "None of these apply to me").click().run()
    assert [h.value for h in at.header] == ["Your knee"]
    pills(at, "q_pain_location", ["around_kneecap"])
    pills(at, "q_pain_run_worst", 4)
    pills(at, "q_pain_next_morning", 2)
    pills(at, "q_last_week", 40)
    pills(at, "q_usual_week", 20)
    button(at, "Next: the self-test").click().run()
    assert [h.value for h in at.header] == ["Self-test with our staff"]
    pills(at, "q_signs_left", ["sls_knee_in"])
    pills(at, "q_sls_pain_left", 2)
    pills(at, "q_signs_right", ["none"])
    pills(at, "q_sls_pain_right", 0)
    button(at, "See my result").click().run()
    assert not at.exception, at.exception
    assert [h.value for h in at.header] == ["Your result"]


def test_welcome_has_one_start_and_no_menu(slug):
    at = kiosk_tablet(slug)
    assert on_welcome(at)
    assert [b.label for b in at.button] == ["Start the quick check", "Leave kiosk mode"]  # the exit is folded away
    assert at.button(key="kiosk_start").proto.type == "primary"
    assert [e.label for e in at.expander] == ["Staff"]
    assert any("Kiosk mode · Kiosk test event" in h.proto.body for h in at.get("html"))  # staff see it at a glance
    assert OTHER_PAGES  # neither the runner's pages nor the clinic's are there to go to
    for page in OTHER_PAGES:
        with pytest.raises(ValueError, match=NOT_REGISTERED):
            at.switch_page(page)


def test_the_quick_check_goes_through_assess_and_takes_the_answers_home(store, slug):
    at = kiosk_tablet(slug)
    through_the_quick_check(at)
    assert "Safe to start with self-care" in at.success[0].value
    text = " ".join(m.value for m in at.markdown)
    assert "Firm from your quick check" in text and "Needs the full check" in text
    assert "Hip control, from the single-leg squat" in text  # the test was done: firm
    assert "Your knee score" not in text or "full check" in text
    assert "This week's exercises" in [s.value for s in at.subheader]
    assert not qr_shown(at)  # no QR code before the runner asks for it

    button(at, "Take it home").click().run()
    assert not at.exception, at.exception
    assert qr_shown(at)
    assert "Take it home" not in [b.label for b in at.button]
    assert "Done, clear the tablet" in [b.label for b in at.button]  # under the QR code

    link = at.session_state[kiosk.HOME_LINK_KEY]  # what the QR code holds
    token = link.split("?p=")[1]
    profile = store.profile_by_token_hash(profiles.token_hash(token))
    assert profile is not None and profile.event == slug  # tagged with the event
    (saved,) = store.list_records(SavedAssessment, profile.id)
    assert saved.kind == "quick_check"
    assert saved.result["triage"] == "self_care"
    assert saved.answers["pain_location"] == ["around_kneecap"]
    assert (saved.answers["km_week_0"], saved.answers["km_week_1"], saved.answers["km_week_3"]) == (40, 20, 20)
    assert (saved.answers["sls_knee_in_left"], saved.answers["sls_knee_in_right"]) == (True, False)
    assert saved.answers["rf_locking"] is False
    (stats,) = [s for s in events.event_stats(store) if s.slug == slug]
    assert (stats.screenings, stats.took_home) == (1, 1)

    button(at, "Done, clear the tablet").click().run()
    assert not at.exception, at.exception
    for key in (kiosk.HOME_LINK_KEY, "kneeassess_quick", "q_pain_location", kiosk.STARTED_KEY):
        assert key not in at.session_state  # nothing of the visitor left in the session


def test_no_symptoms_and_no_test_gives_the_safety_result_and_no_plan(slug):
    at = kiosk_tablet(slug)
    start(at)
    button(at, "None of these apply to me").click().run()
    button(at, "Next: the self-test").click().run()
    button(at, "See my result").click().run()
    assert not at.exception, at.exception
    assert "Safe to start with self-care" in at.success[0].value
    assert "This week's exercises" not in [s.value for s in at.subheader]
    assert any("cannot suggest exercises yet" in i.value for i in at.info)
    assert "Take it home" in [b.label for b in at.button]  # to do the full check on the phone


def test_an_urgent_sign_goes_straight_to_the_advice(slug):
    at = kiosk_tablet(slug)
    start(at)
    at.checkbox(key="q_rf_hot_red_fever").check().run()
    button(at, "Continue").click().run()
    assert not at.exception, at.exception
    assert [h.value for h in at.header] == ["Your result"]
    assert "Take it home" not in [b.label for b in at.button]
    assert "This week's exercises" not in [s.value for s in at.subheader]


def test_leaving_kiosk_mode_needs_the_staff_passcode(slug):
    at = kiosk_tablet(slug)
    at.text_input(key="kiosk_passcode").input("not-the-passcode")
    button(at, "Leave kiosk mode").click().run()
    assert [e.value for e in at.error] == ["That passcode is not right."]
    assert on_welcome(at)  # still the kiosk
    with pytest.raises(ValueError, match=NOT_REGISTERED):
        at.switch_page("pages/runner/results.py")

    at.text_input(key="kiosk_passcode").input(PASSCODE)
    button(at, "Leave kiosk mode").click().run()
    assert not at.exception, at.exception
    assert "kiosk" not in at.query_params
    assert not on_welcome(at)
    assert [h.value for h in at.header] == ["About you"]  # the runner's knee check, with its menu
    at.switch_page("pages/runner/results.py").run()
    assert [t.value for t in at.title] == ["Your results"]
