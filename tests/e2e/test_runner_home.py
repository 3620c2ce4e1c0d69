"""A runner comes back on another device: the private link opens Home with the saved result, this week's plan,
the PDF and a Copy button that copies the link; "My results" shows the saved check; booking attaches it and the
clinic's console shows it attached.

Screenshots: ``test-artifacts/<test>/``; the server's log: ``test-artifacts/e2e-server-home.log``.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from kneeassess import leads, profiles
from kneeassess.staff_auth import hash_passcode
from kneeassess.storage import open_store
from tests.e2e.a11y import BrowserErrors
from tests.e2e.conftest import PHONE, serve, wait_idle
from tests.e2e.ui import keyed, no_app_error, open_row, press, quick_screening, shoot, shoot_at, tick

PASSCODE = "home-passcode-3"
DESKTOP = {"width": 1440, "height": 900}


@pytest.fixture(scope="module")
def home_server() -> Iterator[str]:
    with serve("e2e-server-home.log", env={"KNEEASSESS_STAFF_PASSCODE_HASH": hash_passcode(PASSCODE)}) as url:
        yield url


def phone_page(browser: Browser, url: str) -> Page:
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True,
                                  base_url=url)
    context.set_default_timeout(30_000)
    return context.new_page()


def test_private_link_opens_home_results_and_booking_on_another_phone(
        browser: Browser, home_server: str, artifacts: Path) -> None:
    # --- phone 1: the knee check, saved -------------------------------------------------------------------------
    first = phone_page(browser, home_server)
    errors = BrowserErrors(first)
    quick_screening(first)
    press(first, "Save my results")
    wait_idle(first)
    main = first.locator('[data-testid="stMain"]')
    expect(main.get_by_text("Saved to your profile.")).to_be_visible()
    link = main.locator('[data-testid="stCode"]').first.inner_text().strip()
    assert profiles.looks_like_token(link.split("?p=")[1])
    expect(main.get_by_role("img", name="QR code of your private link")).to_be_hidden()  # the phone is the phone
    expect(main.get_by_role("button", name="Copy link")).to_be_visible()
    assert errors.take() == []
    first.context.close()

    # --- phone 2, a fresh browser: the link opens Home -------------------------------------------------------------
    page = phone_page(browser, home_server)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=home_server)
    errors = BrowserErrors(page)
    page.goto(link.replace(link.split("/?")[0], ""))  # the same path and token, on this test's base URL
    wait_idle(page)
    no_app_error(page)
    main = page.locator('[data-testid="stMain"]')
    expect(main.get_by_role("heading", name="Welcome back")).to_be_visible()
    card = page.locator(".st-key-home_card")
    expect(card.get_by_text("Safe to start with self-care")).to_be_visible()
    expect(card.get_by_text("This week: Build strength")).to_be_visible()
    expect(main.get_by_role("heading", name="This week's plan")).to_be_visible()
    expect(main.get_by_text("Side plank", exact=False).first).to_be_visible()
    expect(page.get_by_role("button", name="Start today's session")).to_be_visible()
    for label in ("Log a run", "Rate my pain", "Tick off exercises", "Start a re-check"):
        expect(page.get_by_role("button", name=label)).to_be_visible()
    expect(main.get_by_text("No runs logged yet.")).to_be_visible()
    shoot(page, artifacts, "01-home-phone", view=True)

    with page.expect_download() as download:
        page.get_by_role("button", name="My plan (PDF)").click()
    assert Path(download.value.path()).read_bytes()[:5] == b"%PDF-"

    copy = page.get_by_role("button", name="Copy link")
    copy.scroll_into_view_if_needed()
    expect(copy).to_be_visible()
    copy.click()
    expect(page.get_by_role("status").filter(has_text="Link copied")).to_be_visible()
    assert page.evaluate("navigator.clipboard.readText()") == link
    expect(main.get_by_role("img", name="QR code of your private link")).to_be_hidden()
    assert errors.take() == []

    # "My results" shows the saved check in this tab that did not do it
    page.locator(".st-key-ka_linkbar").get_by_role("link", name="Results").click()
    wait_idle(page)
    expect(main.get_by_role("heading", name="Your results")).to_be_visible()
    expect(main.get_by_text("Your latest saved knee check", exact=False)).to_be_visible()
    expect(main.get_by_text("You have not finished a knee check yet.")).to_have_count(0)
    expect(main.get_by_text("Saved to your profile")).to_be_visible()
    shoot(page, artifacts, "02-results-saved-phone", view=True)

    # booking offers to attach the saved check
    press(page, "Book a free consultation")
    wait_idle(page)
    expect(main.get_by_role("heading", name="Book a free consultation")).to_be_visible()
    name = f"Home Runner {uuid.uuid4().hex[:6]}"
    keyed(page, "bk_name").locator("input").fill(name)
    keyed(page, "bk_email").locator("input").fill("home.runner@example.com")
    honeypot = keyed(page, "bk_website").locator("input")
    assert honeypot.evaluate("e => getComputedStyle(e).visibility") == "hidden"  # out of the keyboard's reach
    tick(page, "bk_consent")
    tick(page, "bk_attach")
    press(page, "Send my request")
    wait_idle(page)
    expect(main.get_by_text("Your request has reached", exact=False)).to_be_visible()
    (request,) = [r for r in leads.list_requests(open_store(), search=name) if r.name == name]
    assert request.consent_assessment and request.assessment is not None
    assert errors.take() == []
    page.context.close()

    # --- the clinic's console shows it attached -------------------------------------------------------------------
    staff = browser.new_context(viewport=DESKTOP, base_url=home_server).new_page()
    staff.goto("/staff")
    wait_idle(staff)
    keyed(staff, "staff_name").locator("input").fill("Dana")
    keyed(staff, "staff_code").locator("input").fill(PASSCODE)
    press(staff, "Sign in")
    wait_idle(staff)
    press(staff, "All requests")
    wait_idle(staff)
    search = keyed(staff, "f_search").locator("input")
    search.fill(name)
    search.press("Enter")  # the list holds every test's requests: show this one
    wait_idle(staff)
    rows = staff.locator('[class*="st-key-requests_"] [data-testid="stDataFrame"] tbody tr')
    expect(rows).to_have_count(1)  # the search has been applied (before it, the list has every test's requests)
    expect(rows.filter(has_text=name)).to_have_count(1)
    open_row(staff, name)
    expect(staff.get_by_role("heading", name=f"Request #{request.id}", exact=True)).to_be_visible()
    expect(staff.get_by_text("assessment attached yes", exact=False)).to_be_visible()
    expect(staff.get_by_text("The runner's knee check", exact=False)).to_be_visible()
    shoot_at(staff, artifacts, "03-console-attached", DESKTOP)
    staff.context.close()
