"""Every page of every role (runner, kiosk, staff), at phone (390×844) and desktop (1440×900) size: axe-core finds
no serious or critical violation, the page opens scrolled to its top with focus on its heading after an in-app
move, and the browser reports no uncaught exception and no console error.

Screenshots: ``test-artifacts/<test>/``; the server's log: ``test-artifacts/e2e-server-walk.log``.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from kneeassess import logbook, profiles
from kneeassess.records import SavedAssessment
from kneeassess.screening import assess
from kneeassess.staff_auth import hash_passcode
from kneeassess.storage import open_store
from tests.e2e.a11y import BrowserErrors, axe_violations, describe, focused_heading, require_axe, scroll_position
from tests.e2e.conftest import serve, wait_idle
from tests.e2e.ui import expect_step, keyed, press, shoot_at, tick
from tests.factories import HIP_RUNNER

SIZES = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1440, "height": 900}}
PASSCODE = "walk-passcode-7"
RUNNER_PAGES = ("/results", "/session", "/log", "/progress", "/exercises", "/learn", "/book", "/profile")


@pytest.fixture(scope="module")
def walk_server() -> Iterator[str]:
    require_axe()
    with serve("e2e-server-walk.log", env={"KNEEASSESS_STAFF_PASSCODE_HASH": hash_passcode(PASSCODE)}) as url:
        yield url


@pytest.fixture(scope="module")
def token(walk_server: str) -> str:
    """A runner with a saved check three weeks ago, and runs, pain ratings and sessions since."""
    store = open_store()
    token = profiles.new_token()
    p = store.create_profile(profiles.token_hash(token))
    store.add(SavedAssessment(profile_id=p.id, created_at=datetime.now(UTC) - timedelta(weeks=3), answers=HIP_RUNNER,
                              result=assess(HIP_RUNNER).model_dump(mode="json")))
    today = date.today()
    for i in range(1, 20, 2):
        day = today - timedelta(days=i)
        logbook.record_run(store, p, day=day, distance=5 + i % 3, minutes=30 + i)
        logbook.record_checkin(store, p, day=day, during=3, next_morning=1)
        logbook.record_session(store, p, day=day, exercise="side_plank", sets=3, seconds=25)
    return token


class Walk:
    """One browser context of one size; ``check`` collects every problem rather than stopping at the first."""

    def __init__(self, browser: Browser, url: str, size: str, folder: Path) -> None:
        self.viewport = SIZES[size]
        self.context = browser.new_context(viewport=self.viewport, base_url=url, is_mobile=size == "phone",
                                           has_touch=size == "phone")
        self.context.set_default_timeout(30_000)
        self.page = self.context.new_page()
        self.errors = BrowserErrors(self.page)
        self.size, self.folder = size, folder
        self.problems: list[str] = []
        self.count = 0

    def go(self, path: str) -> None:
        self.page.goto(path)
        wait_idle(self.page)

    def scroll_down(self) -> None:
        """Scroll to the bottom, as a person who read the page would be before moving on."""
        self.page.evaluate("(() => { const m = document.querySelector('[data-testid=stMain]');"
                           " if (m) { m.scrollTop = m.scrollHeight; } window.scrollTo(0, document.body.scrollHeight);"
                           " })()")

    def check(self, name: str, moved: bool = True) -> None:
        """axe, scroll position (and, after an in-app move, focus on the heading), browser errors."""
        page = self.page
        wait_idle(page)
        expect(page.locator('[data-stale="true"]')).to_have_count(0)
        if moved:  # the page-top script runs once the script run has finished: wait for it, bounded
            with contextlib.suppress(PlaywrightTimeout):  # reported below with the figures
                page.wait_for_function(
                    "(() => { const m = document.querySelector('[data-testid=stMain]');"
                    " const a = document.activeElement;"
                    " return window.scrollY === 0 && (!m || m.scrollTop === 0) && a && /^H[12]$/.test(a.tagName); })()",
                    timeout=10_000)
            if focused_heading(page) is None:
                self.problems.append(f"{self.size} {name}: focus is not on the heading")
        if (pos := scroll_position(page)) != (0, 0):
            self.problems.append(f"{self.size} {name}: not at the top (window, main) = {pos}")
        if found := axe_violations(page):
            self.problems.append(f"{self.size} {name}: axe\n{describe(found)}")
        if errs := self.errors.take():
            self.problems.append(f"{self.size} {name}: browser errors {errs}")
        self.count += 1
        shoot_at(page, self.folder, f"{self.size}-{self.count:02d}-{re.sub(r'[^a-z0-9]+', '-', name.lower())}",
                 self.viewport, view=True)


@pytest.mark.parametrize("size", list(SIZES))
def test_every_page_is_accessible_opens_at_its_top_and_logs_no_error(
        browser: Browser, walk_server: str, token: str, size: str, artifacts: Path) -> None:
    problems: list[str] = []
    pages = 0

    # --- a first-time visitor: the knee check step by step (in-app moves), then the results -----------------
    walk = Walk(browser, walk_server, size, artifacts)
    walk.go("/")
    expect_step(walk.page, 1, "About you")
    walk.check("step 1", moved=False)
    walk.scroll_down()
    press(walk.page, "Skip this step")
    expect_step(walk.page, 2, "Safety check")
    walk.check("step 2")
    tick(walk.page, "w_safety_none")
    walk.scroll_down()
    press(walk.page, "Next")
    for number, title in ((3, "Your knee pain"), (4, "Knee score"), (5, "Your running"), (6, "Self-tests")):
        expect_step(walk.page, number, title)
        walk.check(f"step {number}")
        walk.scroll_down()
        press(walk.page, "Next" if number == 3 else "Skip this step")
    expect_step(walk.page, 7, "Your results")
    walk.check("results")
    for path in RUNNER_PAGES[1:]:  # without a saved profile: what each page says instead
        walk.go(path)
        walk.check(f"{path} (no profile)", moved=False)
    problems += walk.problems
    pages += walk.count
    walk.context.close()

    # --- a returning runner: Home by the private link, then every page through the app's own links ----------
    walk = Walk(browser, walk_server, size, artifacts)
    walk.go(f"/?p={token}")
    expect(walk.page.get_by_role("heading", name="Welcome back")).to_be_visible()
    walk.check("home", moved=False)
    for path in RUNNER_PAGES:
        walk.scroll_down()
        link = walk.page.locator(f'.st-key-ka_linkbar a[href="{path[1:]}"]:visible, '
                                 f'header a[href$="{path}"]:visible').first
        if link.count():
            link.click()
            walk.check(path)
        else:
            walk.go(f"{path}?p={token}")
            walk.check(path, moved=False)
    problems += walk.problems
    pages += walk.count
    walk.context.close()

    # --- an event tablet in kiosk mode -------------------------------------------------------------------------
    walk = Walk(browser, walk_server, size, artifacts)
    walk.go("/?kiosk=1")
    walk.check("kiosk", moved=False)
    problems += walk.problems
    pages += walk.count
    walk.context.close()

    # --- clinic staff: sign in, the console, events -------------------------------------------------------------
    walk = Walk(browser, walk_server, size, artifacts)
    walk.go("/staff")
    walk.check("staff sign-in", moved=False)
    keyed(walk.page, "staff_name").locator("input").fill("Walker")
    keyed(walk.page, "staff_code").locator("input").fill(PASSCODE)
    press(walk.page, "Sign in")
    wait_idle(walk.page)
    expect(walk.page.get_by_text("Signed in as Walker.")).to_be_visible()
    walk.check("staff home", moved=False)
    press(walk.page, "All requests")
    walk.check("staff requests")
    walk.page.go_back()  # staff pages exist only after sign-in: moved to in the app (a new load signs out)
    wait_idle(walk.page)
    expect(walk.page.get_by_text("Signed in as Walker.")).to_be_visible()
    walk.errors.take()
    press(walk.page, "Events and kiosk")
    walk.check("staff events")
    problems += walk.problems
    pages += walk.count
    walk.context.close()

    assert pages >= 25
    assert not problems, f"{len(problems)} problems on {pages} pages:\n" + "\n".join(problems)
