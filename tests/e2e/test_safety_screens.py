"""Safety on screen (brief §2, revised 2026-12-02), in a real browser on a phone (390×844) and a desktop (1440×900):

- the urgent screens put tap-to-call links for the configured numbers first, the clinic's phone next, and no
  filled booking button;
- a saved see_clinician profile opened by its private link shows the warning and asks for the confirmation on
  the log, progress, session and exercises pages before it shows any plan.
Screenshots of the urgent, see_clinician_soon and see_clinician screens at both sizes are kept in test-artifacts/.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from kneeassess import profiles
from kneeassess.records import SavedAssessment
from kneeassess.screening import assess
from kneeassess.storage import open_store
from kneeassess.ui.safety import CONFIRM_LABEL
from tests.conftest import ROOT
from tests.e2e.conftest import PHONE, serve, wait_idle
from tests.e2e.ui import expect_step, no_app_error, press, shoot, shoot_at, tick
from tests.factories import HIP_RUNNER

DESKTOP = {"width": 1440, "height": 900}
PHONE_NUMBER = "01632 960123"  # a number reserved for drama (Ofcom): never a real line
NUMBERS = ["tel:112", "tel:116117", "tel:01632960123"]  # emergency, urgent advice, the clinic: in this order


@pytest.fixture(scope="module")
def clinic_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app with a clinic whose region's numbers are not the UK defaults and whose phone is configured."""
    path = tmp_path_factory.mktemp("clinic") / "clinic.toml"
    text = (ROOT / "data" / "clinic.toml").read_text(encoding="utf-8")
    text = text.replace('phone = ""', f'phone = "{PHONE_NUMBER}"')
    text = text.replace('{ label = "999 (emergency)", tel = "999" }', '{ label = "112 (emergency)", tel = "112" }')
    text = text.replace('{ label = "NHS 111 (urgent medical advice)", tel = "111" }',
                        '{ label = "116 117 (urgent medical advice)", tel = "116117" }')
    path.write_text(text, encoding="utf-8")
    with serve("e2e-safety-server.log", env={"KNEEASSESS_CLINIC_FILE": str(path)}) as url:
        yield url


def new_page(browser, url: str, viewport: dict[str, int]) -> Page:  # noqa: ANN001
    phone = viewport == PHONE
    context = browser.new_context(viewport=viewport, device_scale_factor=2 if phone else 1, is_mobile=phone,
                                  has_touch=phone, base_url=url)
    context.set_default_timeout(30_000)
    return context.new_page()


def to_results_with(page: Page, flag: str) -> None:
    page.goto("/")
    wait_idle(page)
    expect_step(page, 1, "About you")
    press(page, "Skip this step")
    expect_step(page, 2, "Safety check")
    tick(page, f"w_{flag}")
    press(page, "Next")
    if flag == "rf_giving_way":  # see_clinician: the knee check goes on
        for number, title in ((3, "Your knee pain"), (4, "Knee score"), (5, "Your running"), (6, "Self-tests")):
            expect_step(page, number, title)
            press(page, "Skip this step")
    expect_step(page, 7, "Your results")


def tel_links(page: Page) -> list[str]:
    main = page.locator('[data-testid="stMain"]')
    return [a.get_attribute("href") or "" for a in main.locator('a[href^="tel:"]').all()]


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_urgent_screen_calls_first_and_booking_is_not_the_main_action(browser, clinic_url, viewport, artifacts: Path):  # noqa: ANN001
    page = new_page(browser, clinic_url, viewport)
    to_results_with(page, "rf_hot_red_fever")
    main = page.locator('[data-testid="stMain"]')
    expect(main.get_by_role("heading", name="Get medical help today")).to_be_visible()
    assert tel_links(page)[:3] == NUMBERS
    first_call = main.locator('a[href="tel:112"]')
    expect(first_call).to_be_visible()
    expect(first_call).to_contain_text("Call 112 (emergency)")
    box = first_call.bounding_box()
    assert box is not None and box["height"] >= 48, "a large tap target"
    # the call buttons come before the advice text and the booking offer
    book = main.get_by_role("button", name="Book a free consultation")
    expect(book).to_have_count(1)
    assert book.bounding_box()["y"] > box["y"]
    expect(main.locator('[data-testid="stBaseButton-primary"]').filter(has_text="Book")).to_have_count(0)
    expect(main.get_by_text("Your plan")).to_have_count(0)
    expect(main.get_by_text("within a few weeks")).to_have_count(0)
    expect(main.get_by_text("call 116117 now", exact=False)).to_be_visible()
    no_app_error(page)
    name = "urgent-" + ("phone" if viewport == PHONE else "desktop")
    if viewport == PHONE:
        shoot(page, artifacts, name, view=True)
    else:
        shoot_at(page, artifacts, name, viewport, view=True)
    page.context.close()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_see_clinician_soon_screen_has_no_plan_and_calls(browser, clinic_url, viewport, artifacts: Path):  # noqa: ANN001
    page = new_page(browser, clinic_url, viewport)
    to_results_with(page, "rf_night_rest_pain")
    main = page.locator('[data-testid="stMain"]')
    expect(main.get_by_role("heading", name="See a doctor within 2 days")).to_be_visible()
    assert tel_links(page)[:2] == NUMBERS[1:]
    expect(main.get_by_text("Your plan")).to_have_count(0)
    expect(main.get_by_role("button", name=CONFIRM_LABEL)).to_have_count(0)
    no_app_error(page)
    name = "see-clinician-soon-" + ("phone" if viewport == PHONE else "desktop")
    if viewport == PHONE:
        shoot(page, artifacts, name, view=True)
    else:
        shoot_at(page, artifacts, name, viewport, view=True)
    page.context.close()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_see_clinician_results_show_the_plan_only_after_confirmation(browser, clinic_url, viewport, artifacts: Path):  # noqa: ANN001
    page = new_page(browser, clinic_url, viewport)
    to_results_with(page, "rf_giving_way")
    main = page.locator('[data-testid="stMain"]')
    expect(main.get_by_text("See a physiotherapist or doctor before you rely on self-help")).to_be_visible()
    expect(main.get_by_text("Your plan:")).to_have_count(0)
    name = "see-clinician-" + ("phone" if viewport == PHONE else "desktop")
    if viewport == PHONE:
        shoot(page, artifacts, name, view=True)
    else:
        shoot_at(page, artifacts, name, viewport, view=True)
    press(page, CONFIRM_LABEL)
    wait_idle(page)
    expect(main.get_by_text("Your plan:", exact=False)).to_be_visible()
    expect(main.get_by_text("General exercises only, shown at your request", exact=False)).to_be_visible()
    expect(main.get_by_text("See a physiotherapist or doctor before you rely on self-help")).to_be_visible()
    no_app_error(page)
    page.context.close()


@pytest.fixture(scope="module")
def see_clinician_token() -> str:
    """A profile saved three weeks ago with a see_clinician flag (giving way), straight in the app's database."""
    answers = HIP_RUNNER | {"rf_giving_way": True, "pain_run_worst": 1, "pain_next_morning": 0}
    store = open_store()
    token = profiles.new_token()
    p = store.create_profile(profiles.token_hash(token))
    store.add(SavedAssessment(profile_id=p.id, created_at=datetime.now(UTC) - timedelta(weeks=3), answers=answers,
                              result=assess(answers).model_dump(mode="json")))
    return token


WARNING = "See a physiotherapist or doctor before you rely on self-help"
PAGES = {
    # page: (what shows the plan once confirmed)
    "log": "Tick off today's session",
    "progress": "This week's plan (3 sessions)",
    "session": "Start the session again",
    "exercises": "Floor reach",
}


@pytest.mark.parametrize("name", list(PAGES))
def test_saved_see_clinician_profile_asks_on_every_plan_page(browser, clinic_url, see_clinician_token, name,  # noqa: ANN001
                                                             artifacts: Path):
    page = new_page(browser, clinic_url, PHONE)
    page.goto(f"/{name}?p={see_clinician_token}")
    wait_idle(page)
    no_app_error(page)
    main = page.locator('[data-testid="stMain"]')
    expect(main.get_by_text(WARNING)).to_be_visible()
    expect(main.get_by_role("button", name=CONFIRM_LABEL)).to_be_visible()
    if name == "log":
        page.get_by_role("tab", name="Exercises").click()
        wait_idle(page)
    expect(main.get_by_text(PAGES[name], exact=False)).to_have_count(0)
    shoot(page, artifacts, f"{name}-before")
    press(page, CONFIRM_LABEL)
    wait_idle(page)
    if name == "log":
        page.get_by_role("tab", name="Exercises").click()
        wait_idle(page)
    expect(main.get_by_text(PAGES[name], exact=False).first).to_be_visible()
    expect(main.get_by_text(WARNING)).to_be_visible()  # the warning stays on screen
    if name == "progress":
        expect(main.get_by_role("heading", name="This week: Build strength")).to_be_visible()  # capped at build
    no_app_error(page)
    shoot(page, artifacts, f"{name}-after")
    page.context.close()
