"""Kiosk mode on an event tablet: a welcome with one Start, the screening, take the result home, staff-only exit."""

from __future__ import annotations

import uuid
from datetime import date

import pytest
from streamlit.testing.v1 import AppTest

from kneeassess import events, profiles
from kneeassess.content import questionnaire
from kneeassess.records import SavedAssessment
from kneeassess.staff_auth import hash_passcode
from kneeassess.ui import kiosk
from tests.app.driver import NOT_REGISTERED, ROOT, button, fill_step
from tests.factories import HIP_RUNNER

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
    return "Start" in [b.label for b in at.button] and not at.header


def through_the_screening(at: AppTest) -> None:
    """Start, skip every optional step, answer the safety check (all "no")."""
    button(at, "Start").click().run()
    for step in questionnaire().steps:
        assert step.title in [h.value for h in at.header]
        if step.optional:
            button(at, "Skip this step").click().run()
        else:
            fill_step(at, HIP_RUNNER, step.id)
            button(at, "Next").click().run()
        assert not at.exception, at.exception
    assert [h.value for h in at.header] == ["Your result"]


def test_welcome_has_one_start_and_no_menu(slug):
    at = kiosk_tablet(slug)
    assert on_welcome(at)
    assert [t.value for t in at.title] == ["Runner's knee check"]
    assert [b.label for b in at.button] == ["Start", "Leave kiosk mode"]  # the exit is the staff's, folded away
    assert at.button(key="kiosk_start").proto.type == "primary"
    assert [e.label for e in at.expander] == ["Staff"]
    assert OTHER_PAGES  # neither the runner's pages nor the clinic's are there to go to
    for page in OTHER_PAGES:
        with pytest.raises(ValueError, match=NOT_REGISTERED):
            at.switch_page(page)


def test_through_the_screening_to_the_result_and_take_it_home(store, slug):
    at = kiosk_tablet(slug)
    through_the_screening(at)
    assert "Safe to start with self-care" in at.success[0].value
    assert not at.get("image")  # no QR code before the runner asks for it
    assert "Finish" in [b.label for b in at.button]

    button(at, "Take it home").click().run()
    assert not at.exception, at.exception
    (qr,) = at.get("image")
    assert qr.proto.imgs[0].caption == "Your result, plan and log, private to you"
    assert "### Scan this with your phone's camera" in [m.value for m in at.markdown]
    assert "Take it home" not in [b.label for b in at.button]
    assert "Done, clear the tablet" in [b.label for b in at.button]  # under the QR code

    link = at.session_state[kiosk.HOME_LINK_KEY]  # what the QR code holds
    token = link.split("?p=")[1]
    profile = store.profile_by_token_hash(profiles.token_hash(token))
    assert profile is not None and profile.event == slug  # tagged with the event
    (saved,) = store.list_records(SavedAssessment, profile.id)
    assert saved.result["triage"] == "self_care"
    (stats,) = [s for s in events.event_stats(store) if s.slug == slug]
    assert (stats.screenings, stats.took_home) == (1, 1)


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
