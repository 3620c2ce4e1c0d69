"""Kiosk mode on an event tablet (820×1180 and 1180×820, touch): the quick check in at most 15 taps and no typing,
the take-home QR code decoded and opened on a fresh phone (the runner's page with the quick answers and "Finish
your check"), one visitor after another with nothing of the first left for the second, the reset after inactivity
(not while the squat timer runs), the staff-only exit, a lost connection, axe-core on every kiosk screen.

Screenshots: ``test-artifacts/<test>/``; the servers' logs: ``test-artifacts/e2e-server-kiosk*.log``.
"""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, Error, Locator, Page, expect

from kneeassess import events, profiles
from kneeassess.records import SavedAssessment
from kneeassess.staff_auth import hash_passcode
from kneeassess.storage import open_store
from tests.conftest import ROOT, missing_setup
from tests.e2e.conftest import PHONE, serve, wait_idle
from tests.e2e.ui import Taps, keyed, no_app_error, open_expander, press, shoot_at, tick
from tests.qr_reader import decode_qr

TABLET = {"width": 820, "height": 1180}
PASSCODE = "tablet-passcode-5"
LANDSCAPE = {"width": 1180, "height": 820}
ORIENTATIONS = {"portrait": TABLET, "landscape": LANDSCAPE}
IDLE_TIMEOUT_S = 10  # the least the settings allow
TIMER_S = 20
MAX_TAPS = 15
AXE_FILES = (ROOT / "tests" / "e2e" / "node_modules" / "axe-core" / "axe.min.js",
             ROOT / "var" / "axe" / "node_modules" / "axe-core" / "axe.min.js")
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
    """The app with a short inactivity timeout and squat timer, for the reset tests only."""
    env = {"KNEEASSESS_STAFF_PASSCODE_HASH": passcode_hash, "KNEEASSESS_KIOSK_TIMEOUT_S": str(IDLE_TIMEOUT_S),
           "KNEEASSESS_KIOSK_TEST_TIMER_S": str(TIMER_S), "KNEEASSESS_KIOSK_OFFLINE_LONG_S": "4"}
    with serve("e2e-server-kiosk-idle.log", env=env) as url:
        yield url


@pytest.fixture(scope="module")
def slug() -> str:
    slug = f"tablet-{uuid.uuid4().hex[:8]}"
    events.create_event(open_store(), "Tablet test parkrun", date.today(), "Riverside park", slug)
    return slug


def tablet_context(browser, base_url: str, viewport: dict[str, int] = TABLET) -> BrowserContext:  # noqa: ANN001
    context = browser.new_context(viewport=viewport, is_mobile=True, has_touch=True, base_url=base_url)
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
    """The kiosk's welcome: its one Start button, no steps, no menu, the kiosk badge for staff."""
    main = page.locator('[data-testid="stMain"]')
    expect(main.get_by_role("button", name="Start the quick check", exact=True)).to_be_visible()
    expect(main.get_by_text("a two-minute check tells you", exact=False)).to_be_visible()
    expect(main.get_by_text(re.compile(r"step \d of 3$"))).to_have_count(0)
    expect(page.locator(".ka-badge")).to_have_text("Kiosk mode · Tablet test parkrun")
    expect_no_menu(page)
    no_app_error(page)


def expect_reset_to_welcome(page: Page, within_s: float) -> None:
    """This page (marked with ``window.__visitor = true``) is replaced by the kiosk's reset, then the welcome shows."""
    page.wait_for_function("window.__visitor === undefined", timeout=within_s * 1000)
    wait_idle(page)
    expect_welcome(page)


def expect_screen(page: Page, title: str) -> None:
    expect(page.locator('[data-testid="stMain"] h2', has_text=re.compile(rf"^{re.escape(title)}$"))).to_be_visible()
    wait_idle(page)


def chip(page: Page, key: str, option: str) -> Locator:
    text = re.compile(rf"^{re.escape(option)}$")
    return keyed(page, key).locator('button[data-variant="pills"]').filter(has_text=text)


def tap_chip(taps: Taps, key: str, option: str) -> None:
    target = chip(taps.page, key, option)
    taps.on(target)
    expect(target.and_(taps.page.locator('[aria-pressed="true"], [aria-checked="true"]'))).to_have_count(1)


def axe_serious(page: Page) -> list[str]:
    """axe-core's serious and critical violations of the page as it is now (ids and the first targets)."""
    path = next((p for p in AXE_FILES if p.exists()), None)
    if path is None:
        missing_setup("axe-core is not installed (npm install axe-core@4.10.2 in var/axe or tests/e2e)")
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(path))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    def nodes(v: dict) -> list[tuple]:
        return [(n["target"], n.get("html", "")[:300], n.get("failureSummary", "")[-120:]) for n in v["nodes"][:3]]

    return [f"{v['id']}: {nodes(v)}"
            for v in result["violations"]
            if v.get("impact") in ("serious", "critical")]


def small_targets(page: Page) -> list[str]:
    """Visible buttons and chips in the page's main area smaller than 48×48 px."""
    return page.evaluate("""() => [...document.querySelectorAll('[data-testid="stMain"] button')]
      .filter(b => b.offsetParent !== null)
      .map(b => [(b.innerText.trim() || b.getAttribute('aria-label') || b.dataset.testid || '').slice(0, 30),
                 b.getBoundingClientRect()])
      .filter(([, r]) => r.height < 48 || r.width < 48)
      .map(([t, r]) => t + ' ' + Math.round(r.width) + 'x' + Math.round(r.height))""")


def check_screen(page: Page, folder: Path, name: str, viewport: dict[str, int]) -> None:
    """Every kiosk screen: axe-core clean, touch targets of 48 px, no app error, a screenshot (screen and page)."""
    wait_idle(page)
    no_app_error(page)
    shoot_at(page, folder, name, viewport, view=True)
    assert axe_serious(page) == [], name
    assert small_targets(page) == [], name


def expect_no_menu(page: Page) -> None:
    expect(page.locator(MENU_LINKS)).to_have_count(0)
    expect(page.get_by_test_id("stExpandSidebarButton")).to_have_count(0)


def qr_image(page: Page) -> Locator:
    return page.locator("#ka-qr")


def browser_storage(page: Page) -> str:
    return page.evaluate("JSON.stringify([Object.entries(localStorage), Object.entries(sessionStorage)])")


def quick_check_taps(page: Page, taps: Taps, folder: Path | None = None, viewport: dict[str, int] = TABLET,
                     timer: bool = True) -> None:
    """A visitor who answers every quick question, from the welcome to the result (screens checked on the way)."""
    if folder:
        check_screen(page, folder, "01-welcome", viewport)
    taps.button("Start the quick check")
    expect_screen(page, "Safety check")
    if folder:
        check_screen(page, folder, "02-safety", viewport)
    taps.button("None of these apply to me")
    expect_screen(page, "Your knee")
    tap_chip(taps, "q_pain_location", "Around or behind the kneecap")
    tap_chip(taps, "q_pain_run_worst", "6")
    tap_chip(taps, "q_pain_next_morning", "3")
    tap_chip(taps, "q_last_week", "40 km")
    tap_chip(taps, "q_usual_week", "20 km")
    if folder:
        check_screen(page, folder, "03-your-knee", viewport)
    taps.button("Next: the self-test")
    expect_screen(page, "Self-test with our staff")
    if timer:
        taps.on(page.get_by_role("button", name=re.compile(r"^Start the timer")))
        expect(page.locator("#ka-timer")).to_have_text(re.compile(r"^Left leg: \d+ s$"))
    if folder:
        check_screen(page, folder, "04-squat-test", viewport)
    tap_chip(taps, "q_signs_left", "My knee drifted inwards, towards the other leg")
    tap_chip(taps, "q_sls_pain_left", "2")
    tap_chip(taps, "q_signs_right", "None of these")
    tap_chip(taps, "q_sls_pain_right", "1")
    taps.button("See my result")
    expect_screen(page, "Your result")


@pytest.mark.parametrize("orientation", list(ORIENTATIONS))
def test_quick_check_in_15_taps_then_the_runners_phone_carries_on(browser, kiosk_server: str, slug: str,
                                                                   orientation: str, artifacts: Path) -> None:  # noqa: ANN001
    viewport = ORIENTATIONS[orientation]
    context = tablet_context(browser, kiosk_server, viewport)
    page = context.new_page()
    try:
        open_kiosk(page, slug)
        page.evaluate("document.addEventListener('keydown', e => (window.__keys = (window.__keys || 0) + 1), true)")
        taps = Taps(page)
        started = time.monotonic()
        quick_check_taps(page, taps, artifacts, viewport)
        main = page.locator('[data-testid="stMain"]')
        expect(main.get_by_text("Firm from your quick check")).to_be_visible()
        expect(main.get_by_text("Needs the full check")).to_be_visible()
        expect(main.get_by_text("Hip control, from the single-leg squat", exact=False)).to_be_visible()
        expect(main.get_by_role("heading", name="This week's exercises")).to_be_visible()
        take = page.get_by_role("button", name="Take it home")
        bottom = "e => e.getBoundingClientRect().bottom"
        assert take.evaluate(bottom) <= viewport["height"]  # above the fold
        check_screen(page, artifacts, "05-result", viewport)
        taps.button("Take it home")
        qr = qr_image(page)
        expect(qr).to_be_visible()
        seconds = time.monotonic() - started
        done = page.get_by_role("button", name="Done, clear the tablet")
        assert qr.evaluate(bottom) <= viewport["height"], "the QR code is on the first screen"
        assert done.evaluate(bottom) <= viewport["height"], "the button under it too"
        assert taps.count <= MAX_TAPS, taps.count
        assert taps.count == 15  # Start, None, 5 chips, Next, timer, 4 chips, See my result, Take it home
        assert page.evaluate("window.__keys || 0") == 0  # no typing
        assert main.locator("input[type=text], input[type=number], textarea").count() == 0
        print(f"\nkiosk quick check ({orientation}): {taps.count} taps, {seconds:.1f} s from Start to the QR code")
        (artifacts / "taps.txt").write_text(f"{taps.count} taps, {seconds:.1f} s\n")
        check_screen(page, artifacts, "06-qr", viewport)

        # the QR code as the tablet shows it decodes to the runner's private link ...
        link = decode_qr(qr.screenshot(path=artifacts / "07-qr.png"))
        assert re.fullmatch(re.escape(kiosk_server) + r"/\?p=[A-Za-z0-9_-]{20,}", link), link
        profile = open_store().profile_by_token_hash(profiles.token_hash(link.split("?p=")[1]))
        assert profile is not None and profile.event == slug
        (saved,) = open_store().list_records(SavedAssessment, profile.id)
        assert saved.kind == "quick_check" and saved.answers["km_week_0"] == 40

        # ... which a fresh phone opens: the runner's page with the quick answers and "Finish your check"
        phone = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
        try:
            runner = phone.new_page()
            runner.goto(link)
            wait_idle(runner)
            no_app_error(runner)
            card = runner.locator('[class*="st-key-finish_check_card"]')
            expect(card.get_by_role("heading", name="Finish your check")).to_be_visible()
            for text in ("Around or behind the kneecap", "6 out of 10", "40 km", "20 km",
                         "My knee drifted inwards, towards the other leg (pain 2/10)"):
                expect(card.get_by_text(text, exact=False)).to_be_visible()
            assert axe_serious(runner) == []
            runner.screenshot(path=artifacts / "08-phone-home.png")
            runner.get_by_role("button", name="Finish your check").click()
            wait_idle(runner)
            expect(card).to_have_count(0)
            expect(runner.get_by_text("Step 1 of 7")).to_be_visible()  # the full check, quick answers filled in
        finally:
            phone.close()

        # scanned: the button under the QR code clears the tablet; visitor 2 finds nothing of visitor 1
        page.evaluate("window.__visitor1 = true")
        done.tap()
        page.wait_for_function("window.__visitor1 === undefined")
        wait_idle(page)
        expect_welcome(page)
        assert f"kiosk=1&event={slug}" in page.url
        expect(qr_image(page)).to_have_count(0)
        press(page, "Start the quick check")
        expect_screen(page, "Safety check")
        expect(main.locator("input[type=checkbox]:checked")).to_have_count(0)
        press(page, "None of these apply to me")
        expect_screen(page, "Your knee")
        expect(main.locator('button[data-variant="pills"][aria-pressed="true"], '
                            'button[data-variant="pills"][aria-checked="true"]')).to_have_count(0)
        stored = browser_storage(page)
        assert "?p=" not in stored and "kneecap" not in stored  # nothing of visitor 1 in the browser's storage
        page.go_back()
        page.wait_for_load_state()
        body = page.locator("body")
        expect(body).not_to_contain_text("Scan with your phone")
        expect(page.locator("#ka-qr")).to_have_count(0)
    finally:
        context.close()


def test_no_symptoms_and_no_test_shows_the_safety_result_and_invites_the_full_check(kiosk: Page, slug: str,
                                                                                    artifacts: Path) -> None:
    page = kiosk
    open_kiosk(page, slug)
    press(page, "Start the quick check")
    expect_screen(page, "Safety check")
    press(page, "None of these apply to me")
    expect_screen(page, "Your knee")
    press(page, "Next: the self-test")
    expect_screen(page, "Self-test with our staff")
    press(page, "See my result")
    expect_screen(page, "Your result")
    main = page.locator('[data-testid="stMain"]')
    expect(main.get_by_text("Safe to start with self-care", exact=False)).to_be_visible()
    expect(main.get_by_text("cannot suggest exercises yet", exact=False)).to_be_visible()
    expect(main.get_by_role("heading", name="This week's exercises")).to_have_count(0)
    check_screen(page, artifacts, "01-nothing-answered", TABLET)


def test_an_urgent_sign_goes_straight_to_the_advice(kiosk: Page, slug: str, artifacts: Path) -> None:
    page = kiosk
    open_kiosk(page, slug)
    press(page, "Start the quick check")
    expect_screen(page, "Safety check")
    tick(page, "q_rf_hot_red_fever")
    press(page, "Continue")
    expect_screen(page, "Your result")
    expect(page.get_by_role("button", name="Take it home")).to_have_count(0)
    check_screen(page, artifacts, "01-urgent", TABLET)
    page.set_viewport_size(LANDSCAPE)
    check_screen(page, artifacts, "02-urgent-landscape", LANDSCAPE)


def test_leaving_kiosk_mode_needs_the_staff_passcode(kiosk: Page, slug: str, artifacts: Path) -> None:
    page = kiosk
    open_kiosk(page, slug)
    open_expander(page, "Staff")
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
    expect(page.get_by_text("Step 1 of 7")).to_be_visible()  # the runner's knee check ...
    menu = page.locator(MENU_LINKS)  # ... with the app's menu
    expect(menu.filter(has_text="My results")).to_be_visible()
    expect(page.locator(".ka-badge")).to_have_count(0)
    assert "kiosk=1" not in page.url


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


# In every page of the context: when the kiosk page began its reset (the navigation its countdown starts) and when
# "I am still here" was tapped, in the tab's sessionStorage (it outlives the page the reset replaces). The countdown
# of the test server lasts 5 s; on a loaded machine a test's tap can reach the page after it, while the page the
# reset replaces is still on screen (stress run 18 of 2026-12-03): the order, read in the page, tells that apart
# from a reset that ignored the tap.
ORDER_OF_STAY_AND_RESET = """
window.navigation && window.navigation.addEventListener('navigate', (event) => {
  if (!event.destination.sameDocument && !sessionStorage.getItem('ka-test-reset-began')) {
    sessionStorage.setItem('ka-test-reset-began', String(Date.now()));  // the page replaced, not a history entry
  }
});
document.addEventListener('pointerdown', (event) => {
  if (event.target && event.target.id === 'ka-stay') { sessionStorage.setItem('ka-test-stay', String(Date.now())); }
}, {capture: true});
"""


def tapped_after_the_reset_began(page: Page) -> bool:
    """Whether the last tap on "I am still here" came after the kiosk's reset had begun (see
    ``ORDER_OF_STAY_AND_RESET``); the stamps are then cleared for the next try."""
    for _ in range(20):
        try:
            began, stay = page.evaluate("""() => {
                const stamps = [sessionStorage.getItem('ka-test-reset-began'), sessionStorage.getItem('ka-test-stay')];
                sessionStorage.removeItem('ka-test-reset-began');
                sessionStorage.removeItem('ka-test-stay');
                return stamps;
            }""")
            break
        except Error:  # the page was being replaced as we asked: ask the new one (same tab, same storage)
            page.wait_for_load_state()
    else:
        raise AssertionError("the kiosk page could not be read after the tap")
    assert stay is not None, "the tap on 'I am still here' did not reach the page"
    return began is not None and int(began) <= int(stay)


def test_the_reset_waits_for_the_squat_timer_and_fires_when_idle(browser, idle_kiosk_server: str, slug: str,
                                                                 artifacts: Path) -> None:  # noqa: ANN001
    context = tablet_context(browser, idle_kiosk_server)
    context.add_init_script(ORDER_OF_STAY_AND_RESET)
    page = context.new_page()
    try:
        open_kiosk(page, slug)
        overlay, left = page.locator("#ka-idle"), page.locator("#ka-left")
        press(page, "Start the quick check")
        expect_screen(page, "Safety check")
        press(page, "None of these apply to me")
        expect_screen(page, "Your knee")
        press(page, "Next: the self-test")
        expect_screen(page, "Self-test with our staff")
        page.get_by_role("button", name=re.compile(r"^Start the timer")).tap()
        expect(page.locator("#ka-timer")).to_be_visible()
        page.evaluate("window.__visitor = true")  # gone only when the page is really replaced
        page.evaluate("""() => new MutationObserver(() => {  // what the timer said when the warning first showed
            if (window.__timerAtWarning === undefined && document.getElementById('ka-idle')) {
                window.__timerAtWarning = (document.getElementById('ka-timer') || {}).textContent || null;
            }
        }).observe(document.body, {childList: true, subtree: true})""")

        # no touch for longer than the idle time while the timer runs: no warning, no reset
        page.wait_for_timeout((IDLE_TIMEOUT_S + 4) * 1000)
        expect(overlay).to_have_count(0)
        assert page.evaluate("window.__visitor === true")
        expect(page.locator("#ka-timer")).to_have_text(re.compile(r"^(Left|Right) leg: \d+ s$"))
        page.screenshot(path=artifacts / "01-timer-running-no-reset.png")

        # the timer ends: the idle time counts from then, with a visible countdown, then the reset
        expect(page.locator("#ka-timer")).to_have_text("Time is up: what did you see?", timeout=TIMER_S * 1000)
        expect(overlay).to_be_visible(timeout=(IDLE_TIMEOUT_S + 2) * 1000)
        # not before the timer had run out: read in the page when the warning appeared, not by a clock here
        assert page.evaluate("window.__timerAtWarning") == "Time is up: what did you see?"
        expect(left).to_have_text(re.compile(r"^\d$"))
        page.screenshot(path=artifacts / "02-countdown.png")
        expect_reset_to_welcome(page, within_s=IDLE_TIMEOUT_S + 5)

        # idle on an ordinary screen: the countdown, "I am still here" keeps the answers, then the reset
        page.evaluate("sessionStorage.removeItem('ka-test-reset-began')")  # the reset above began one
        for attempt in range(1, 4):
            page.evaluate("window.__visitor = true")  # gone only when this page is replaced (the reset waits read it)
            press(page, "Start the quick check")
            expect_screen(page, "Safety check")
            press(page, "None of these apply to me")
            expect_screen(page, "Your knee")
            chip(page, "q_pain_run_worst", "5").tap()
            expect(overlay).to_be_visible(timeout=(IDLE_TIMEOUT_S + 2) * 1000)
            page.locator("#ka-stay").tap()
            if not tapped_after_the_reset_began(page):
                break
            # the tap reached the page only after the countdown had ended and the reset had begun (the test was
            # late, not the app): wait for the fresh page and do it again
            assert attempt < 3, "three taps on 'I am still here' all came after the countdown had ended"
            expect_reset_to_welcome(page, within_s=IDLE_TIMEOUT_S + 5)
        expect(overlay).to_have_count(0)
        expect(chip(page, "q_pain_run_worst", "5")).to_have_attribute("aria-checked", "true")
        expect_reset_to_welcome(page, within_s=IDLE_TIMEOUT_S + 5)
        page.screenshot(path=artifacts / "03-after-reset.png")
    finally:
        context.close()


def test_the_qr_screen_waits_longer(browser, idle_kiosk_server: str, slug: str) -> None:  # noqa: ANN001
    context = tablet_context(browser, idle_kiosk_server)
    page = context.new_page()
    try:
        open_kiosk(page, slug)
        press(page, "Start the quick check")
        press(page, "None of these apply to me")
        expect_screen(page, "Your knee")
        press(page, "Next: the self-test")
        expect_screen(page, "Self-test with our staff")
        press(page, "See my result")
        expect_screen(page, "Your result")
        press(page, "Take it home")
        expect(qr_image(page)).to_be_visible()
        page.wait_for_timeout((IDLE_TIMEOUT_S + 2) * 1000)  # past the usual idle time: the QR is still there
        expect(qr_image(page)).to_be_visible()
        expect(page.locator("#ka-idle")).to_have_count(0)
        page.evaluate("window.__visitor = true")  # after three times the idle time it clears itself all the same
        expect_reset_to_welcome(page, within_s=3 * IDLE_TIMEOUT_S + 5)
    finally:
        context.close()


def test_a_lost_connection_is_shown_and_the_answers_survive_it(browser, idle_kiosk_server: str, slug: str,
                                                               artifacts: Path) -> None:  # noqa: ANN001
    """Event Wi-Fi drops: the tablet says so at once, and when the link is back the visitor is where they were."""
    context = tablet_context(browser, idle_kiosk_server)
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
        press(page, "Start the quick check")
        expect_screen(page, "Safety check")
        tick(page, "q_rf_giving_way")
        expect(page.get_by_role("button", name="Continue")).to_be_visible()  # the tick reached the server
        wait_idle(page)

        link["down"] = True
        for ws in link["open"]:
            ws.close()
        banner = page.locator("#ka-offline")
        expect(banner).to_be_visible(timeout=10_000)
        expect(banner).to_have_text("Connection lost. Reconnecting… Your answers are kept.")
        page.screenshot(path=artifacts / "01-connection-lost.png")
        # lost for long (4 s here, 30 s by default): it says what to do; the idle reset waits meanwhile
        expect(banner).to_contain_text("Staff: check the tablet's Wi-Fi", timeout=10_000)
        page.wait_for_timeout((IDLE_TIMEOUT_S + 1) * 1000)
        expect(page.locator("#ka-idle")).to_have_count(0)
        page.screenshot(path=artifacts / "02-connection-lost-long.png")

        link["down"] = False  # back: Streamlit reconnects to the same session
        expect(banner).to_have_count(0, timeout=30_000)
        wait_idle(page)
        expect_screen(page, "Safety check")  # not back at the welcome screen
        press(page, "Continue")  # the tick made before the drop was kept: the button says Continue
        expect_screen(page, "Your knee")
    finally:
        context.close()
