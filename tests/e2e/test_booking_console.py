"""A runner at an event books a free consultation; the clinic's staff find it in the console (desktop, 1280×900),
move it along, export it and erase it. What people typed is shown as text, never run as HTML or Markdown.

Screenshots: ``test-artifacts/<test>/``; the server's log: ``test-artifacts/e2e-server-console.log``.
"""

from __future__ import annotations

import csv
import io
import re
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, BrowserContext, Locator, Page, expect

from kneeassess import events, leads
from kneeassess.screening import assess
from kneeassess.staff_auth import hash_passcode
from kneeassess.storage import NotFound, open_store
from tests.e2e.a11y import BrowserErrors, axe_violations, describe
from tests.e2e.conftest import PHONE, serve, wait_idle
from tests.e2e.ui import (
    keyed,
    no_app_error,
    open_expander,
    open_row,
    pill,
    press,
    quick_screening,
    radio,
    shoot_at,
    staff_file,
    tick,
)
from tests.factories import safe

DESKTOP = {"width": 1280, "height": 900}
PASSCODE = "console-passcode-9"
RUN = uuid.uuid4().hex[:6]
SCRIPT = "<script>window.__pwned=1</script>"
IMG = '<img src=x onerror="window.__pwned=1">'
MARKDOWN = "[click](javascript:alert(1)) **bold**"
RUNNER = f"Ann Example {RUN}"
FORMULA = f'=HYPERLINK("http://evil.example/{RUN}","Click me")'


@pytest.fixture(scope="module")
def console_server() -> Iterator[str]:
    env = {"KNEEASSESS_STAFF_PASSCODE_HASH": hash_passcode(PASSCODE)}
    with serve("e2e-server-console.log", env=env) as url:
        yield url


@pytest.fixture(scope="module")
def slug() -> str:
    slug = f"spring-10k-{RUN}"
    events.create_event(open_store(), "Spring 10k", date.today(), "Riverside park", slug)
    return slug


@pytest.fixture
def desktop(browser: Browser, console_server: str) -> Iterator[Callable[[], Page]]:
    """Opens a fresh desktop browser (another person's computer) on the app; all closed after the test."""
    opened: list[BrowserContext] = []

    def new() -> Page:
        context = browser.new_context(viewport=DESKTOP, base_url=console_server)
        context.set_default_timeout(30_000)
        opened.append(context)
        return context.new_page()

    yield new
    for context in opened:
        context.close()


def go(page: Page, path: str) -> None:
    page.goto(path)
    wait_idle(page)
    no_app_error(page)


def choose(page: Page, key: str, option: str) -> None:
    """Pick ``option`` in the select box with this key."""
    combo = keyed(page, key).get_by_role("combobox")
    open_options(combo)
    page.get_by_role("option", name=option, exact=True).click()
    expect(combo).to_have_value(option)
    wait_idle(page)


def open_options(combo: Locator) -> None:
    """Open a select box's list from the keyboard (a first click may only focus it)."""
    combo.focus()
    combo.press("ArrowDown")
    expect(combo).to_have_attribute("aria-expanded", "true")


def type_into(page: Page, key: str, text: str) -> None:
    field = keyed(page, key).locator("input, textarea").first
    field.fill(text)
    expect(field).to_have_value(text)


def send_request(page: Page, name: str, email: str, days: tuple[str, ...] = (), time: str = "",
                 message: str = "") -> None:
    type_into(page, "bk_name", name)
    type_into(page, "bk_email", email)
    for day in days:
        pill(page, "bk_days", day)
    if time:
        type_into(page, "bk_time", time)
    if message:
        type_into(page, "bk_message", message)
    tick(page, "bk_consent")
    press(page, "Send my request")
    wait_idle(page)
    no_app_error(page)
    expect(page.get_by_text("Your request has reached ReSync Physiotherapy.", exact=False)).to_be_visible()


def sign_in(page: Page) -> None:
    """Sign in as Dana and open the list of all requests."""
    go(page, "/staff")
    type_into(page, "staff_name", "Dana")
    type_into(page, "staff_code", PASSCODE)
    press(page, "Sign in")
    wait_idle(page)
    expect(page.get_by_text("Signed in as Dana.")).to_be_visible()
    press(page, "All requests")
    wait_idle(page)


def stored(name: str) -> leads.Request:
    (request,) = [r for r in leads.list_requests(open_store(), search=name) if r.name == name]
    return request


def test_staff_pages_by_url_show_nothing_before_sign_in(desktop: Callable[[], Page]) -> None:
    """The first requests this fresh server gets are for the console itself, from someone not signed in."""
    secret = f"Seeded Sam {RUN}"
    leads.submit_request(open_store(), {"name": secret, "email": f"sam-{RUN}@example.com", "consent_contact": True},
                         f"seed-{RUN}", channels=[])
    page = desktop()
    for path in ("/staff_requests", "/staff_events"):
        go(page, path)
        expect(page.get_by_role("heading", name="Runner's knee check")).to_be_visible()
        for heading in ("Consultation requests", "Events"):
            expect(page.get_by_role("heading", name=heading, exact=True)).to_have_count(0)
        expect(page.get_by_text(secret)).to_have_count(0)
        expect(page.locator('[data-testid="stDataFrame"]')).to_have_count(0)
        expect(page.get_by_role("button", name="Export for a spreadsheet (CSV)")).to_have_count(0)


def test_runner_books_and_staff_follow_it_up(desktop: Callable[[], Page], slug: str, artifacts: Path) -> None:
    # --- the runner, who came by the event's link --------------------------------------------------------
    runner = desktop()
    quick_screening(runner, f"/?event={slug}")
    press(runner, "Book a free consultation")
    wait_idle(runner)
    expect(runner.get_by_role("heading", name="Book a free consultation")).to_be_visible()
    send_request(runner, RUNNER, f"ann-{RUN}@example.com", days=("Tuesday",), time="after 5 pm")
    expect(runner.get_by_text(f"Thank you, {RUNNER}.", exact=False)).to_be_visible()
    shoot_at(runner, artifacts, "01-runner-thank-you", DESKTOP)
    # two more from the same browser, within the limit of three an hour: a formula and markup in the fields
    press(runner, "Send another request")
    wait_idle(runner)
    send_request(runner, FORMULA, f"formula-{RUN}@example.com")
    press(runner, "Send another request")
    wait_idle(runner)
    send_request(runner, SCRIPT, f"markup-{RUN}@example.com", days=("Monday",), time=IMG,
                 message=f"{MARKDOWN}\n{SCRIPT}")
    expect(runner.get_by_text(f"Thank you, {SCRIPT}.", exact=False)).to_be_visible()  # shown as text
    expect(runner.get_by_text(IMG, exact=False)).to_be_visible()
    assert runner.evaluate("window.__pwned") is None
    shoot_at(runner, artifacts, "02-runner-thank-you-markup", DESKTOP)
    first, formula, markup = stored(RUNNER), stored(FORMULA), stored(SCRIPT)
    assert first.event == formula.event == markup.event == slug

    # --- the clinic's staff, on another computer ----------------------------------------------------------
    page = desktop()
    sign_in(page)
    main = page.locator('[data-testid="stMain"]')
    expect(main.get_by_role("heading", name="Consultation requests", exact=True)).to_be_visible()

    choose(page, "f_event", slug)
    expect(main.get_by_text("3 requests · 3 new", exact=False)).to_be_visible()
    table = main.locator('[data-testid="stDataFrame"]')
    expect(table.locator("tr", has_text=RUNNER)).to_have_count(1)
    expect(table.get_by_text(f"Seeded Sam {RUN}")).to_have_count(0)  # not from this event
    shoot_at(page, artifacts, "03-console-list", DESKTOP)

    # open it, mark it contacted with a note
    open_row(page, RUNNER)
    expect(main.get_by_role("heading", name=f"Request #{first.id}", exact=True)).to_be_visible()
    expect(main.get_by_test_id("stText").filter(has_text=f"Name: {RUNNER}")).to_be_visible()
    expect(main.get_by_text(f"Email: ann-{RUN}@example.com")).to_be_visible()
    email = main.get_by_role("link", name="Write an email")
    expect(email).to_have_attribute("href", f"mailto:ann-{RUN}@example.com")
    expect(main.get_by_text("Prefers: Tuesday after 5 pm")).to_be_visible()
    radio(page, f"status_{first.id}_to", "Contacted")
    type_into(page, f"status_{first.id}_note", "Rang her, booked Thursday 6 pm")
    press(page, "Save")
    wait_idle(page)
    no_app_error(page)
    expect(main.get_by_text(f"Request #{first.id}: saved (Contacted).")).to_be_visible()
    expect(main.get_by_text("Dana · New → Contacted", exact=False)).to_be_visible()
    expect(main.get_by_test_id("stText").filter(has_text="Rang her, booked Thursday 6 pm")).to_be_visible()
    assert leads.get_request(open_store(), first.id).status == "contacted"
    shoot_at(page, artifacts, "04-console-contacted", DESKTOP)

    # the CSV export: what the list shows, formulas made harmless
    export = staff_file(page, "Export for a spreadsheet (CSV)", "consultation-requests.csv")
    rows = {r["Email"]: r for r in csv.DictReader(io.StringIO(Path(export.path()).read_text("utf-8-sig")))}
    assert set(rows) == {first.email, formula.email, markup.email}
    assert rows[first.email]["Name"] == RUNNER
    assert rows[first.email]["Status"] == "Contacted"
    assert "Rang her, booked Thursday 6 pm" in rows[first.email]["Notes"]
    assert rows[first.email]["Event"] == slug
    assert rows[formula.email]["Name"] == "'" + FORMULA  # a spreadsheet shows it, does not run it
    assert rows[markup.email]["Name"] == SCRIPT

    # markup typed by a person shows as text in the console
    open_row(page, SCRIPT)
    expect(main.get_by_role("heading", name=f"Request #{markup.id}", exact=True)).to_be_visible()
    expect(main.get_by_test_id("stText").filter(has_text=f"Name: {SCRIPT}")).to_have_count(1)
    expect(main.get_by_text(f"Prefers: Monday {IMG}")).to_be_visible()
    expect(main.get_by_text(MARKDOWN, exact=False)).to_be_visible()
    expect(main.get_by_test_id("stText").filter(has_text=SCRIPT)).to_have_count(2)  # the name and the message
    expect(page.locator('a[href^="javascript"]')).to_have_count(0)
    expect(page.locator('img[src="x"]')).to_have_count(0)
    expect(main.locator("strong, b").filter(has_text=re.compile(r"^bold$"))).to_have_count(0)
    assert page.evaluate("window.__pwned") is None
    shoot_at(page, artifacts, "05-console-markup-as-text", DESKTOP)

    # erase the first runner on request
    open_row(page, RUNNER)
    open_expander(main, "Erase this person")
    erase = page.get_by_role("button", name="Erase", exact=True)
    expect(erase).to_be_disabled()
    tick(page, f"erase_ok_{first.id}")
    press(page, "Erase")
    wait_idle(page)
    no_app_error(page)
    expect(main.get_by_text("Erased 1 request(s)", exact=False)).to_be_visible()
    expect(main.get_by_text("2 requests · 2 new", exact=False)).to_be_visible()
    expect(table.locator("tr", has_text=RUNNER)).to_have_count(0)
    expect(main.get_by_role("heading", name=re.compile(rf"^Request #{first.id}$"))).to_have_count(0)
    expect(main.get_by_text("Click a request in the list to open it here.")).to_be_visible()
    with pytest.raises(NotFound):
        leads.get_request(open_store(), first.id)
    shoot_at(page, artifacts, "06-console-erased", DESKTOP)


def fetched_without_cookie(url: str) -> str:
    """What a client with no cookie and no session gets at ``url``."""
    try:
        with urllib.request.urlopen(url, timeout=30) as resp:
            return f"HTTP {resp.status}: {len(resp.read())} bytes"
    except urllib.error.HTTPError as exc:
        return f"HTTP {exc.code}"


def test_staff_files_reach_only_the_signed_in_tab(desktop: Callable[[], Page], artifacts: Path) -> None:
    """Issue 14: the requests export and the clinician summary used to be served at ``/media/<id>`` URLs that any
    client could fetch without a cookie while the staff session lived. Now the file's bytes come over the staff
    member's own session (kneeassess/ui/downloads.py) and the tab saves them from a ``blob:`` object URL: no
    request for the file, no address another client could replay."""
    name = f"Kim Export {RUN}"
    kim = leads.submit_request(open_store(), {
        "name": name, "email": f"kim-{RUN}@example.com", "consent_contact": True, "consent_assessment": True,
        "assessment": assess(safe()).model_dump(mode="json")}, f"kim-{RUN}", channels=[])
    page = desktop()
    errors = BrowserErrors(page)
    asked: list[str] = []
    page.on("request", lambda request: asked.append(request.url))
    sign_in(page)
    search = keyed(page, "f_search").locator("input")
    search.fill(name)
    search.press("Enter")  # the list holds every test's requests: only this one
    wait_idle(page)
    main = page.locator('[data-testid="stMain"]')
    expect(main.locator('[data-testid="stDataFrame"] tbody tr')).to_have_count(1)
    expect(main.get_by_text("1 requests", exact=False)).to_be_visible()
    shoot_at(page, artifacts, "01-export-button", DESKTOP)

    # the export, from the keyboard: asked for (the server makes it), then saved by the tab
    export_button = page.get_by_role("button", name="Export for a spreadsheet (CSV)")
    export_button.focus()
    expect(export_button).to_be_focused()
    page.keyboard.press("Enter")
    wait_idle(page)
    said = keyed(page, "requests_export").get_by_role("status")
    expect(said).to_have_text("consultation-requests.csv is ready to save.")
    expect(page.get_by_role("button", name="Save consultation-requests.csv")).to_be_focused()  # focus stays
    assert axe_violations(page) == [], describe(axe_violations(page))
    shoot_at(page, artifacts, "02-export-ready", DESKTOP)
    page.set_viewport_size(PHONE)
    shoot_at(page, artifacts, "03-export-ready-phone", PHONE)
    page.set_viewport_size(DESKTOP)
    expect(page.get_by_role("button", name="Save consultation-requests.csv")).to_be_focused()
    with page.expect_download() as saving:
        page.keyboard.press("Enter")
    export = saving.value
    assert export.suggested_filename == "consultation-requests.csv"
    (row,) = csv.DictReader(io.StringIO(Path(export.path()).read_text("utf-8-sig")))
    assert (row["Name"], row["Email"], row["Assessment attached"]) == (name, kim.email, "yes")
    expect(export_button).to_be_focused()  # the next press makes it afresh

    # the clinician summary of the attached knee check
    open_row(page, name)
    expect(main.get_by_role("heading", name=f"Request #{kim.id}", exact=True)).to_be_visible()
    summary = staff_file(page, "Clinician summary (PDF)", "assessment-summary.pdf")
    assert Path(summary.path()).read_bytes()[:5] == b"%PDF-"
    shoot_at(page, artifacts, "04-summary-saved", DESKTOP)

    assert export.url.startswith("blob:") and summary.url.startswith("blob:"), (export.url, summary.url)
    media = [url for url in asked if urlsplit(url).path.startswith("/media/")]
    assert media == [], f"staff files had addresses: {[(url, fetched_without_cookie(url)) for url in media]}"
    assert errors.take() == []
