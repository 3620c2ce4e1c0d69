"""Every screen at desktop width (1280×900) for a runner with six weeks of data: it draws, without errors."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect

from kneeassess import logbook, profiles
from kneeassess.records import SavedAssessment
from kneeassess.screening import assess
from kneeassess.storage import open_store
from tests.e2e.conftest import wait_idle
from tests.e2e.ui import no_app_error
from tests.factories import HIP_RUNNER, akps_all

DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture(scope="module")
def busy_runner() -> str:
    """Six weeks of runs, pain ratings and sessions, and two checks: the token of the profile."""
    store, today = open_store(), date.today()
    token = profiles.new_token()
    p = store.create_profile(profiles.token_hash(token))
    first = HIP_RUNNER | {"heel_raise_reps_left": 22, "heel_raise_reps_right": 18}
    second = first | akps_all(0) | {"side_plank_seconds_right": 38, "heel_raise_reps_right": 24}
    for answers, weeks_ago in ((first, 6), (second, 1)):
        store.add(SavedAssessment(profile_id=p.id, created_at=datetime.now(UTC) - timedelta(weeks=weeks_ago),
                                  answers=answers, result=assess(answers).model_dump(mode="json")))
    for d in range(42, -1, -1):
        day = today - timedelta(days=d)
        if d % 7 in (1, 3, 5):
            logbook.record_run(store, p, day=day, distance=5 + (42 - d) / 10, minutes=32, effort=4,
                               fast_minutes=2 if d % 7 == 5 else 0, today=today)
            logbook.record_checkin(store, p, day=day, during=max(0, 4 - (42 - d) // 10), next_morning=1, today=today)
        if d % 7 in (2, 4):
            logbook.record_session(store, p, day=day, exercise="side_plank", sets=5, seconds=25, today=today)
    return token


@pytest.mark.parametrize("page_path,heading", [
    ("progress", "Progress"), ("log", "Log"), ("exercises", "Exercises"), ("profile", "My profile"),
])
def test_screens_at_desktop_width(browser, app_url, busy_runner, artifacts: Path, page_path, heading):  # noqa: ANN001
    context = browser.new_context(viewport=DESKTOP, base_url=app_url)
    page = context.new_page()
    page.goto(f"/{page_path}?p={busy_runner}")
    wait_idle(page)
    no_app_error(page)
    expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible()
    if page_path == "progress":  # the open tab: pain, weekly distance, recent against usual load
        expect(page.locator('[data-testid="stPlotlyChart"]')).to_have_count(3)
    box = page.locator('[data-testid="stMainBlockContainer"]').bounding_box()
    page.set_viewport_size({"width": DESKTOP["width"], "height": max(DESKTOP["height"], int(box["height"]) + 1)})
    page.wait_for_timeout(300)
    page.screenshot(path=artifacts / f"{page_path}-desktop.png", full_page=True)
    context.close()
