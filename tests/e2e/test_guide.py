"""The exercise guide in a real browser: a whole guided session with its countdowns, and the exercise pages."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from playwright.sync_api import expect

from kneeassess import profiles
from kneeassess.guided import steps_for
from kneeassess.records import ExerciseSession, SavedAssessment
from kneeassess.screening import assess
from kneeassess.storage import open_store
from tests.e2e.conftest import PHONE, serve, wait_idle
from tests.e2e.ui import no_app_error, pill, press, shoot
from tests.factories import safe
from tests.waiting import wait_until

# pain 7/10: the settle phase, a short plan of hip-dominant exercises at level 1
SETTLE_RUNNER = safe(pain_run_worst=7, pain_next_morning=1, sls_knee_in_right=True, side_plank_seconds_left=20,
                     side_plank_seconds_right=20)


@pytest.fixture(scope="module")
def fast_app() -> str:
    """The app with exercise time sped up 50 times (a 25 s hold lasts half a second)."""
    with serve("e2e-server-guide.log", {"KNEEASSESS_TIME_SCALE": "0.02"}) as url:
        yield url


def test_a_whole_guided_session_is_logged(browser, fast_app: str, artifacts: Path) -> None:  # noqa: ANN001
    store = open_store()
    token = profiles.new_token()
    p = store.create_profile(profiles.token_hash(token))
    a = assess(SETTLE_RUNNER)
    store.add(SavedAssessment(profile_id=p.id, created_at=datetime.now(UTC), answers=SETTLE_RUNNER,
                              result=a.model_dump(mode="json")))
    steps = steps_for(a.plan)
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(f"{fast_app}/session?p={token}")
    wait_idle(page)
    main = page.locator('[data-testid="stMain"]')
    for i, step in enumerate(steps):
        expect(main.get_by_role("heading", name=step.title, exact=True)).to_be_visible()
        if i in (0, 1):
            shoot(page, artifacts, f"{i + 1:02d}-{step.kind}")
        if step.kind == "reps":
            press(page, "+1 rep")
            wait_idle(page)
            expect(main.get_by_text(f"1 / {step.reps}")).to_be_visible()
            press(page, "Set done")
        elif step.kind == "hold":
            press(page, "Start the hold")
            # the countdown runs out by itself and the next step appears
        else:
            press(page, "Skip the rest" if i % 2 else "Start resting")
        wait_idle(page)
        no_app_error(page)
    expect(main.get_by_text("Session done. Well done!")).to_be_visible()
    pill(page, "guided_pain", "2")
    press(page, "Log this session")
    wait_idle(page)
    expect(main.get_by_text("Logged to your profile.")).to_be_visible()
    shoot(page, artifacts, "99-logged")
    logged = store.list_records(ExerciseSession, p.id)
    assert {s.exercise for s in logged} == {item.exercise for item in a.plan}
    assert all(s.sets == item.sets for s in logged for item in a.plan if item.exercise == s.exercise)
    context.close()


def test_exercise_pages_on_a_phone(browser, app_url: str, artifacts: Path) -> None:  # noqa: ANN001
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(f"{app_url}/exercises")
    wait_idle(page)
    no_app_error(page)
    pictures = page.locator('[data-testid="stMain"] img[alt]')
    expect(pictures).to_have_count(10)
    for i in range(10):
        alt = pictures.nth(i).get_attribute("alt")
        assert alt and len(alt) > 20
        wait_until(lambda i=i: pictures.nth(i).evaluate("img => img.complete && img.naturalWidth > 0"), 15,
                   what=f"picture {i} loading")
    page.get_by_text("How to do it").first.click()
    expect(page.get_by_text(re.compile("When to stop")).first).to_be_visible()
    shoot(page, artifacts, "exercises-phone")
    context.close()
