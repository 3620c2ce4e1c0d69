"""A runner comes back: save a profile, reopen it by its link in a fresh browser, log, see progress, delete."""

from __future__ import annotations

import contextlib
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from playwright.sync_api import Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from kneeassess import profiles
from kneeassess.records import SavedAssessment
from kneeassess.screening import assess
from kneeassess.storage import open_store
from tests.e2e.conftest import PHONE, wait_idle
from tests.e2e.ui import keyed, no_app_error, pill, press, quick_screening, shoot, tick, type_number
from tests.factories import HIP_RUNNER
from tests.waiting import wait_until


def new_phone(browser, app_url: str) -> Page:  # noqa: ANN001
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True,
                                  base_url=app_url)
    context.set_default_timeout(30_000)
    return context.new_page()


def go(page: Page, path: str) -> None:
    page.goto(path)
    wait_idle(page)
    no_app_error(page)


def type_date(page: Page, key: str, day: date) -> None:
    """On a phone Streamlit uses the browser's own date picker (an ``<input type=date>``): set it as one."""
    field = keyed(page, key).locator("input")
    if field.get_attribute("type") == "date":
        field.fill(day.isoformat())
        expect(field).to_have_value(day.isoformat())
        calendar = page.locator("#stFloatingOverlayPortal th")
        with contextlib.suppress(PlaywrightTimeout):
            calendar.first.wait_for(timeout=3_000)  # typing opens Streamlit's calendar over the form

        def closed() -> bool:  # Escape until it is gone: on a busy machine it may open after the 3 s above
            if calendar.count():
                page.keyboard.press("Escape")
                return False
            return True

        page.keyboard.press("Escape")
        wait_until(closed, 15, interval=0.3, what="the date picker closing")
    else:
        field.click()
        field.fill(day.strftime("%d/%m/%Y"))
        field.press("Tab")
        expect(field).to_have_value(day.strftime("%d/%m/%Y"))


def test_save_reopen_log_progress_delete(browser, app_url: str, artifacts: Path) -> None:  # noqa: ANN001
    page = new_phone(browser, app_url)
    quick_screening(page, morning=0)
    press(page, "Save my results")
    wait_idle(page)
    main = page.locator('[data-testid="stMain"]')
    expect(main.get_by_text("Saved to your profile.")).to_be_visible()
    link = main.locator('[data-testid="stCode"]').first.inner_text().strip()
    token = link.split("?p=")[1]
    assert profiles.looks_like_token(token)
    expect(main.get_by_role("img", name="QR code of your private link")).to_be_hidden()  # a phone needs no QR
    expect(main.get_by_role("button", name="Copy link")).to_be_visible()  # but a visible Copy button
    shoot(page, artifacts, "01-saved-link-and-qr")
    page.context.close()

    # a fresh browser (another device): the link opens the profile
    page = new_phone(browser, app_url)
    go(page, f"/log?p={token}")
    expect(page.get_by_role("heading", name="Log", exact=True)).to_be_visible()
    type_number(page, "run_new_km", 8)
    type_number(page, "run_new_min", 45)
    press(page, "Save run")
    wait_idle(page)
    no_app_error(page)
    page.get_by_role("tab", name="Pain").click()
    pill(page, "checkin_new_during", "2")
    press(page, "Save pain rating")
    wait_idle(page)
    shoot(page, artifacts, "02-log")

    go(page, f"/progress?p={token}")
    main = page.locator('[data-testid="stMain"]')
    expect(main.get_by_text("This week so far: 8.0 km in 1 run.")).to_be_visible()
    expect(main.get_by_role("heading", name="Knee pain", exact=True)).to_be_visible()
    # the first tab: pain and weekly distance (too few days for the load ratio)
    expect(main.locator('[data-testid="stPlotlyChart"]')).to_have_count(2)
    shoot(page, artifacts, "03-progress")
    page.get_by_role("tab", name="Exercises").click()  # no sessions yet: it says what to log
    expect(main.get_by_text("Tick off your exercises", exact=False)).to_be_visible()
    page.get_by_role("tab", name="Knee checks").click()  # weak links; no knee score or self-tests yet
    expect(main.get_by_role("heading", name="Weak links over time")).to_be_visible()
    expect(main.locator('[data-testid="stPlotlyChart"]')).to_have_count(1)
    expect(main.get_by_text("Do the self-tests in a check", exact=False)).to_be_visible()

    go(page, f"/profile?p={token}")
    tick(page, "confirm_delete")
    press(page, "Delete all my data")
    wait_idle(page)
    expect(page.get_by_text("Your data has been deleted.")).to_be_visible()
    page.context.close()

    page = new_phone(browser, app_url)
    go(page, f"/progress?p={token}")
    expect(page.get_by_text("That private link does not open a profile", exact=False)).to_be_visible()
    shoot(page, artifacts, "04-deleted-link")
    page.context.close()


def test_two_good_weeks_of_check_ins_move_the_phase(browser, app_url: str, artifacts: Path) -> None:  # noqa: ANN001
    store = open_store()  # the same database as the app under test (tests/conftest.py)
    token = profiles.new_token()
    p = store.create_profile(profiles.token_hash(token))
    store.add(SavedAssessment(profile_id=p.id, created_at=datetime.now(UTC) - timedelta(weeks=3),
                              answers=HIP_RUNNER, result=assess(HIP_RUNNER).model_dump(mode="json")))
    page = new_phone(browser, app_url)
    go(page, f"/progress?p={token}")
    expect(page.get_by_role("heading", name="This week: Build strength")).to_be_visible()
    shoot(page, artifacts, "01-progress-before")

    monday = date.today() - timedelta(days=date.today().weekday())
    go(page, f"/log?p={token}")
    for day in (monday - timedelta(days=13), monday - timedelta(days=10), monday - timedelta(days=6),
                monday - timedelta(days=3)):
        page.get_by_role("tab", name="Pain").click()
        type_date(page, "checkin_new_day", day)
        pill(page, "checkin_new_during", "1")
        pill(page, "checkin_new_morning", "0")
        press(page, "Save pain rating")
        wait_idle(page)
        no_app_error(page)

    go(page, f"/progress?p={token}")
    expect(page.get_by_role("heading", name="This week: Progress")).to_be_visible()
    expect(page.get_by_text("Two weeks with running pain at or below 2/10", exact=False)).to_be_visible()
    shoot(page, artifacts, "02-progress-after")
    page.context.close()
