"""A private link to a page (e.g. /progress?p=…) as the very first request a fresh server gets."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.e2e.conftest import serve, wait_idle
from tests.e2e.ui import no_app_error


def test_deep_link_on_a_fresh_server_gets_the_apps_navigation(browser) -> None:  # noqa: ANN001
    with serve("e2e-server-deep-link.log") as url:
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.goto(f"{url}/progress")
        wait_idle(page)
        no_app_error(page)
        expect(page.get_by_role("heading", name="Progress", exact=True)).to_be_visible()
        nav = page.locator('[data-testid="stTopNavLink"], [data-testid="stNavLink"]')
        expect(nav.filter(has_text="Knee check")).to_have_count(1)  # app.py's navigation, with its titles
        expect(nav.filter(has_text="app")).to_have_count(0)  # not the file names of Streamlit's legacy mode
        context.close()
