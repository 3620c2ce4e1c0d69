"""A link to a page as the very first request a fresh server gets: the private link (/progress?p=…) and a
kiosk link on a runner page (/results?kiosk=1).

Streamlit 1.67 runs a fresh server in its old multipage mode (a folder named ``pages`` beside app.py) until
``st.navigation`` has been called once; that mode opens ``pages/<name>.py`` on its own, without app.py's
navigation, theme and content checks, and says "Page not found" for a path it has no file for. Each case here
starts its own server, so that its request really is the first one.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from kneeassess import profiles
from kneeassess.content import clinic
from kneeassess.logbook import record_checkin, record_run
from kneeassess.storage import open_store
from tests.e2e.conftest import serve, wait_idle
from tests.e2e.ui import no_app_error

NAV = '[data-testid="stTopNavLink"], [data-testid="stNavLink"], [data-testid="stSidebarNav"]'


def rgb(hex_colour: str) -> str:
    r, g, b = (int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))
    return f"rgb({r}, {g}, {b})"


def is_the_full_app(page: Page) -> None:
    """app.py ran: no "page not found" notice, the clinic's theme and style sheet, no error."""
    wait_idle(page)
    no_app_error(page)
    expect(page.get_by_text("Page not found")).to_have_count(0)
    expect(page.get_by_text(re.compile("does not seem to exist|no corresponding file"))).to_have_count(0)
    expect(page.locator('[data-testid="stApp"]')).to_have_css("background-color", rgb(clinic().colours.background))
    expect(page.locator('[data-testid="stApp"]')).to_have_css("color", rgb(clinic().colours.text))
    # kneeassess/ui/style.css, which only app.py's content check adds
    assert page.evaluate("() => document.documentElement.innerHTML.includes('st-key-bk_website')")


@pytest.fixture
def runner_with_a_week() -> str:
    """A saved profile with a few runs and pain ratings: the token of its private link."""
    from datetime import date, timedelta

    store, today = open_store(), date.today()
    token = profiles.new_token()
    p = store.create_profile(profiles.token_hash(token))
    for d in (6, 4, 2):
        record_run(store, p, day=today - timedelta(days=d), distance=5, minutes=30, effort=4, today=today)
        record_checkin(store, p, day=today - timedelta(days=d), during=3, next_morning=1, today=today)
    return token


def test_private_link_to_progress_on_a_fresh_server(browser, runner_with_a_week: str) -> None:  # noqa: ANN001
    with serve("e2e-server-deep-link.log") as url:
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.goto(f"{url}/progress?p={runner_with_a_week}")
        is_the_full_app(page)
        expect(page.get_by_role("heading", name="Progress", exact=True)).to_be_visible()
        expect(page.locator('[data-testid="stPlotlyChart"]').first).to_be_visible()  # the profile's charts
        expect(page.get_by_text("Save your results first")).to_have_count(0)
        nav = page.locator(NAV)
        for title in ("Knee check", "My results", "Progress", "My profile"):  # app.py's navigation, its titles
            expect(nav.filter(has_text=title).first).to_be_visible()
        expect(nav.filter(has_text=re.compile(r"^(app|progress|screening)$"))).to_have_count(0)  # not file names
        assert page.url.split("?")[0].endswith("/progress")
        context.close()


def test_kiosk_link_to_a_runner_page_on_a_fresh_server(browser) -> None:  # noqa: ANN001
    with serve("e2e-server-deep-link-kiosk.log") as url:
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.goto(f"{url}/results?kiosk=1")
        is_the_full_app(page)
        # the kiosk's one page, its welcome, and no menu to the runner's pages
        expect(page.get_by_role("heading", name="Runner's knee check", exact=True)).to_be_visible()
        expect(page.locator(".st-key-kiosk_start")).to_be_visible()
        expect(page.locator(NAV)).to_have_count(0)
        context.close()
