"""Kiosk mode on an event tablet (820×1180, touch): one visitor after another with nothing of the first left for
the second, the reset after inactivity, the staff-only exit, the take-home QR code, and how few taps it takes.

Screenshots: ``test-artifacts/<test>/``; the servers' logs: ``test-artifacts/e2e-server-kiosk*.log``.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, Locator, Page, expect

from kneeassess import events, profiles
from kneeassess.records import SavedAssessment
from kneeassess.staff_auth import hash_passcode
from kneeassess.storage import open_store
from tests.conftest import missing_setup
from tests.e2e.conftest import PHONE, serve, wait_idle
from tests.e2e.ui import Taps, expect_step, keyed, no_app_error, press, radio, radio_input, shoot_at, slide, tick

TABLET = {"width": 820, "height": 1180}
PASSCODE = "tablet-passcode-5"
IDLE_TIMEOUT_S = 12
MENU_LINKS = '[data-testid="stTopNavLink"], [data-testid="stNavLink"], [data-testid="stSidebarNavLink"]'


@pytest.fixture(scope="module")
def passcode_hash() -> str:
    return hash_passcode(PASSCODE)


@pytest.fixture(scope="module")
def kiosk_server(passcode_hash: str) -> Iterator[str]:
    """The app for the kiosk journeys; its inactivity timeout is the default (90 s), far longer than any pause."""
    with serve("e2e-server-kiosk.log", env={"KNEEASSESS_STAFF_PASSCODE_HASH": passcode_hash}) as url:
        yield url


@pytest.fixture(scope="module")
def idle_kiosk_server(passcode_hash: str) -> Iterator[str]:
    """The app with a short inactivity timeout, for the reset test only."""
    env = {"KNEEASSESS_STAFF_PASSCODE_HASH": passcode_hash, "KNEEASSESS_KIOSK_TIMEOUT_S": str(IDLE_TIMEOUT_S)}
    with serve("e2e-server-kiosk-idle.log", env=env) as url:
        yield url


@pytest.fixture(scope="module")
def slug() -> str:
    slug = f"tablet-{uuid.uuid4().hex[:8]}"
    events.create_event(open_store(), "Tablet test parkrun", date.today(), "Riverside park", slug)
    return slug


def tablet_context(browser, base_url: str) -> BrowserContext:  # noqa: ANN001
    context = browser.new_context(viewport=TABLET, is_mobile=True, has_touch=True, base_url=base_url)
    context.set_default_timeout(30_000)
    return context


@pytest.fixture(scope="module")
def the_tablet(browser, kiosk_server: str) -> Iterator[BrowserContext]:  # noqa: ANN001
    """The event's one tablet: every test is another visitor opening the kiosk link on it."""
    context = tablet_context(browser, kiosk_server)
    try:
        yield context
    finally:
        context.close()


@pytest.fixture
def kiosk(the_tablet: BrowserContext) -> Iterator[Page]:
    page = the_tablet.new_page()
    try:
        yield page
    finally:
        page.close()


def open_kiosk(page: Page, slug: str) -> None:
    page.goto(f"/?kiosk=1&event={slug}")
    wait_idle(page)
    expect_welcome(page)


def expect_welcome(page: Page) -> None:
    """The kiosk's welcome: its one Start button, no steps, no menu."""
    main = page.locator('[data-testid="stMain"]')
    expect(main.get_by_role("button", name="Start", exact=True)).to_be_visible()
    expect(main.get_by_text("Find your weak link in 3 minutes", exact=False)).to_be_visible()
    expect(main.get_by_text(re.compile(r"^Step \d of 7$"))).to_have_count(0)
    expect_no_menu(page)
    no_app_error(page)


def expect_no_menu(page: Page) -> None:
    expect(page.locator(MENU_LINKS)).to_have_count(0)
    expect(page.get_by_test_id("stExpandSidebarButton")).to_have_count(0)


def skip_to_result(page: Page) -> None:
    for number, title in ((4, "Knee score"), (5, "Your running"), (6, "Self-tests")):
        expect_step(page, number, title)
        press(page, "Skip this step")
    expect_step(page, 7, "Your result")


def qr_image(page: Page) -> Locator:
    return page.locator('[data-testid="stMain"] [data-testid="stImage"] img')


def decode_qr(png: bytes) -> str:
    """The text of the QR code in this picture, read the way a phone's camera app reads it ("" if none)."""
    try:
        import cv2
        import numpy as np
    except ImportError:
        missing_setup("opencv-python-headless is not installed (pip install opencv-python-headless)")
    image = cv2.imdecode(np.frombuffer(png, np.uint8), cv2.IMREAD_COLOR)
    text, _, _ = cv2.QRCodeDetector().detectAndDecode(image)
    return text


def browser_storage(page: Page) -> str:
    return page.evaluate("JSON.stringify([Object.entries(localStorage), Object.entries(sessionStorage)])")


def test_next_visitor_finds_nothing_of_the_last(kiosk: Page, slug: str, artifacts: Path) -> None:
    page = kiosk
    open_kiosk(page, slug)
    page.screenshot(path=artifacts / "01-welcome-view.png")

    # visitor 1
    press(page, "Start")
    expect_step(page, 1, "About you")
    radio(page, "w_age_band", "45 to 59")
    radio(page, "w_painful_side", "Left")
    press(page, "Next")
    expect_step(page, 2, "Safety check")
    tick(page, "w_safety_none")
    press(page, "Next")
    expect_step(page, 3, "Your knee pain")
    slide(page, "w_pain_run_worst", 7)
    slide(page, "w_pain_next_morning", 3)
    page.screenshot(path=artifacts / "02-visitor1-symptoms-view.png")
    press(page, "Next")
    skip_to_result(page)
    main = page.locator('[data-testid="stMain"]')
    press(page, "Take it home")
    wait_idle(page)
    expect(qr_image(page)).to_be_visible()
    expect(main.get_by_text("Scan this with your phone's camera")).to_be_visible()
    page.screenshot(path=artifacts / "03-visitor1-take-home-view.png")

    page.evaluate("window.__visitor1 = true")  # gone only if Finish really replaces the page
    press(page, "Finish")
    page.wait_for_function("window.__visitor1 === undefined")
    wait_idle(page)
    assert f"kiosk=1&event={slug}" in page.url

    # visitor 2, on the same tablet
    expect_welcome(page)
    expect(qr_image(page)).to_have_count(0)
    expect(main.get_by_role("heading", name="Your result")).to_have_count(0)
    press(page, "Start")
    expect_step(page, 1, "About you")
    expect(keyed(page, "w_age_band").locator("input:checked")).to_have_count(0)
    expect(keyed(page, "w_painful_side").locator("input:checked")).to_have_count(0)
    press(page, "Skip this step")
    expect_step(page, 2, "Safety check")
    expect(keyed(page, "w_safety_none").locator("input")).not_to_be_checked()
    tick(page, "w_safety_none")
    press(page, "Next")
    expect_step(page, 3, "Your knee pain")
    for key in ("w_pain_run_worst", "w_pain_next_morning"):
        expect(keyed(page, key).get_by_role("slider")).to_have_attribute("aria-valuetext", "not rated")
    page.screenshot(path=artifacts / "04-visitor2-symptoms-view.png")
    stored = browser_storage(page)
    assert "45_59" not in stored and "?p=" not in stored  # nothing of visitor 1 in the browser's storage

    # the browser's Back button does not bring visitor 1 back either: Finish left no history entry to go back to
    page.go_back()
    page.wait_for_load_state()
    assert page.url == "about:blank" or f"kiosk=1&event={slug}" in page.url, page.url
    body = page.locator("body")
    expect(body).not_to_contain_text("45 to 59")
    expect(page.get_by_role("heading", name="Your result")).to_have_count(0)
    expect(body).not_to_contain_text("Scan this with your phone")
    expect(page.locator('[data-testid="stImage"] img')).to_have_count(0)
    expect(page.locator('[aria-valuetext="7"], [aria-valuetext="3"]')).to_have_count(0)


def test_leaving_kiosk_mode_needs_the_staff_passcode(kiosk: Page, slug: str, artifacts: Path) -> None:
    page = kiosk
    open_kiosk(page, slug)
    page.locator('[data-testid="stExpander"] summary', has_text="Staff").click()
    field = keyed(page, "kiosk_passcode").locator("input")
    field.fill("not-the-passcode")
    press(page, "Leave kiosk mode")
    wait_idle(page)
    expect(page.get_by_text("That passcode is not right.")).to_be_visible()
    expect_welcome(page)  # still the kiosk
    page.screenshot(path=artifacts / "01-wrong-passcode-view.png")

    field.fill(PASSCODE)
    press(page, "Leave kiosk mode")
    wait_idle(page)
    expect_step(page, 1, "About you")  # the runner's knee check ...
    menu = page.locator(MENU_LINKS)  # ... with the app's menu
    expect(menu.filter(has_text="My results")).to_be_visible()
    expect(menu.filter(has_text="My profile")).to_have_count(1)
    expect(page.get_by_role("button", name="Start", exact=True)).to_have_count(0)
    assert "kiosk=1" not in page.url
    page.screenshot(path=artifacts / "02-left-kiosk-view.png")


def test_few_taps_to_a_qr_code_that_opens_the_profile_on_a_phone(browser, kiosk: Page, kiosk_server: str,
                                                                  slug: str, artifacts: Path) -> None:  # noqa: ANN001
    """A runner who answers the safety check and skips every optional step (the self-tests too), then scans."""
    page = kiosk
    open_kiosk(page, slug)
    taps = Taps(page)
    taps.button("Start")
    expect_step(page, 1, "About you")
    taps.button("Skip this step")
    expect_step(page, 2, "Safety check")
    taps.tick("w_safety_none")
    taps.button("Next")
    for number, title in ((3, "Your knee pain"), (4, "Knee score"), (5, "Your running"), (6, "Self-tests")):
        expect_step(page, number, title)
        taps.button("Skip this step")
    expect_step(page, 7, "Your result")
    bottom = "e => e.getBoundingClientRect().bottom"
    take = page.get_by_role("button", name="Take it home")
    assert take.evaluate(bottom) <= TABLET["height"]  # on the first screen of the result: no scrolling to find it
    taps.button("Take it home")
    qr = qr_image(page)
    expect(qr).to_be_visible()
    done = page.get_by_role("button", name="Done, clear the tablet")
    assert done.evaluate(bottom) <= TABLET["height"], "the QR code and the button under it fit on the first screen"
    assert taps.count <= 25, taps.count
    assert taps.count == 9  # Start, Skip, None of these, Next, four Skips, Take it home
    shoot_at(page, artifacts, "01-result-with-qr", TABLET)

    # the QR code as the tablet shows it decodes to the runner's private link ...
    qr.scroll_into_view_if_needed()
    link = decode_qr(qr.screenshot(path=artifacts / "02-qr.png"))
    assert re.fullmatch(re.escape(kiosk_server) + r"/\?p=[A-Za-z0-9_-]{20,}", link), link
    profile = open_store().profile_by_token_hash(profiles.token_hash(link.split("?p=")[1]))
    assert profile is not None and profile.event == slug  # saved, and counted for the event
    assert len(open_store().list_records(SavedAssessment, profile.id)) == 1

    # ... which opens the runner's profile on their own phone
    phone = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
    try:
        runner = phone.new_page()
        runner.goto(link.replace("/?p=", "/profile?p="))
        wait_idle(runner)
        no_app_error(runner)
        expect(runner.get_by_role("heading", name="My profile", exact=True)).to_be_visible()
        expect(runner.locator('[data-testid="stCode"]').first).to_have_text(link)  # the same private link
        runner.screenshot(path=artifacts / "03-phone-profile.png")
    finally:
        phone.close()

    # scanned: the button under the QR code clears the tablet for the next visitor
    page.evaluate("window.__visitor1 = true")
    done.click()
    page.wait_for_function("window.__visitor1 === undefined")
    wait_idle(page)
    expect(page.get_by_role("button", name="Start")).to_be_visible()


def test_the_private_link_itself_then_my_profile(browser, kiosk_server: str) -> None:  # noqa: ANN001
    token = profiles.new_token()
    open_store().create_profile(profiles.token_hash(token))
    link = profiles.profile_link(kiosk_server, token)
    phone = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
    try:
        runner = phone.new_page()
        runner.goto(link)  # what the phone's camera opens
        wait_idle(runner)
        runner.get_by_test_id("stExpandSidebarButton").click()
        runner.get_by_role("link", name="My profile").click()
        expect(runner.get_by_role("heading", name="My profile", exact=True)).to_be_visible()
        wait_idle(runner)
        expect(runner.locator('[data-testid="stCode"]')).to_have_text([link], timeout=2_000)
    finally:
        phone.close()


def test_inactivity_shows_a_countdown_then_resets(browser, idle_kiosk_server: str, slug: str,
                                                  artifacts: Path) -> None:  # noqa: ANN001
    context = tablet_context(browser, idle_kiosk_server)
    page = context.new_page()
    try:
        open_kiosk(page, slug)
        overlay, left = page.locator("#ka-idle"), page.locator("#ka-left")
        press(page, "Start")
        expect_step(page, 1, "About you")
        radio(page, "w_age_band", "30 to 44")
        radio(page, "w_painful_side", "Right")
        page.wait_for_timeout(2_000)  # a runner reading the next question is not warned at once
        expect(overlay).to_have_count(0)

        # wait without touching: the countdown appears, with the seconds left
        expect(overlay).to_be_visible(timeout=IDLE_TIMEOUT_S * 1000)
        expect(left).to_have_text(re.compile(r"^\d{1,2}$"))
        first = int(left.inner_text())
        assert 1 <= first <= IDLE_TIMEOUT_S
        page.screenshot(path=artifacts / "01-countdown-view.png")

        # "I am still here" dismisses it; the answers are still there
        page.locator("#ka-stay").tap()
        expect(overlay).to_have_count(0)
        expect(radio_input(page, "w_age_band", "30 to 44")).to_be_checked()

        # no touch again: the countdown comes back, counts down, and the page is replaced by a fresh kiosk
        page.evaluate("window.__visitor = true")  # gone only when the page is really replaced
        expect(overlay).to_be_visible(timeout=(IDLE_TIMEOUT_S + 2) * 1000)
        expect(left).not_to_have_text(left.inner_text(), timeout=3_000)
        page.wait_for_function("window.__visitor === undefined", timeout=(IDLE_TIMEOUT_S + 5) * 1000)
        wait_idle(page)
        expect_welcome(page)
        assert f"kiosk=1&event={slug}" in page.url
        press(page, "Start")
        expect_step(page, 1, "About you")
        expect(keyed(page, "w_age_band").locator("input:checked")).to_have_count(0)  # nothing of before
        page.screenshot(path=artifacts / "02-after-reset-view.png")
    finally:
        context.close()


def test_a_lost_connection_is_shown_and_the_answers_survive_it(browser, kiosk_server: str, slug: str,
                                                               artifacts: Path) -> None:  # noqa: ANN001
    """Event Wi-Fi drops: the tablet says so at once, and when the link is back the visitor is where they were."""
    context = tablet_context(browser, kiosk_server)
    link = {"down": False, "open": []}

    def stream(ws) -> None:  # noqa: ANN001 - every WebSocket of the page passes through here
        if link["down"]:
            ws.close()  # the network is gone: reconnection attempts fail
            return
        ws.connect_to_server()
        link["open"].append(ws)

    try:
        page = context.new_page()
        page.route_web_socket(re.compile(r".*/_stcore/stream$"), stream)
        open_kiosk(page, slug)
        press(page, "Start")
        expect_step(page, 1, "About you")
        press(page, "Skip this step")
        expect_step(page, 2, "Safety check")
        tick(page, "w_safety_none")

        link["down"] = True
        for ws in link["open"]:
            ws.close()
        banner = page.locator("#ka-offline")
        expect(banner).to_be_visible(timeout=10_000)
        expect(banner).to_have_text("Connection lost. Reconnecting… Your answers are kept.")
        page.screenshot(path=artifacts / "01-connection-lost.png")

        link["down"] = False  # back: Streamlit reconnects to the same session
        expect(banner).to_have_count(0, timeout=30_000)
        wait_idle(page)
        expect_step(page, 2, "Safety check")  # not back at the welcome screen
        press(page, "Next")
        expect_step(page, 3, "Your knee pain")  # the tick made before the drop was kept
    finally:
        context.close()
