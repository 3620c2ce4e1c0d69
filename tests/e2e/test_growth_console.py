"""The clinic's working day and its growth dashboard, in a real browser at 1440×900.

A runner from the newsletter (``?utm_source=newsletter``) and one from an event finish the knee check; the event
runner asks for a consultation. Staff see it counted on the home, open it by clicking its row, move it to booked
then attended; the dashboard's funnel per source and per event shows exactly those numbers, and each chart's PNG
(Plotly's camera button) and CSV download. The app runs on a database of its own, so the counts are only these.

Screenshots: ``test-artifacts/test_a_working_day_and_its_funnel/``.
"""

from __future__ import annotations

import csv
import io
import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from kneeassess import events, leads
from kneeassess.staff_auth import hash_passcode
from kneeassess.storage import open_store
from tests.e2e.conftest import serve, wait_idle
from tests.e2e.ui import click_row, keyed, no_app_error, pill, press, quick_screening, radio, shoot_at, staff_file, tick

DESKTOP = {"width": 1440, "height": 900}
PASSCODE = "growth-passcode-4"
RUN = uuid.uuid4().hex[:6]
SLUG = f"harbour-5k-{RUN}"
RUNNER = f"Eve Event {RUN}"
STEPS = ["Visits", "Finished the check", "Saved or took home", "Consultation requested", "Booked", "Attended"]


@pytest.fixture(scope="module")
def db_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    return f"sqlite:///{tmp_path_factory.mktemp('growth') / 'kneeassess.db'}"


@pytest.fixture(scope="module")
def server(db_url: str) -> Iterator[str]:
    events.create_event(open_store(db_url), "Harbour 5k", date.today(), "Harbour", SLUG)
    env = {"KNEEASSESS_STAFF_PASSCODE_HASH": hash_passcode(PASSCODE), "KNEEASSESS_DATABASE_URL": db_url}
    with serve("e2e-server-growth.log", env=env) as url:
        yield url


def new_page(browser: Browser, url: str) -> Page:
    context = browser.new_context(viewport=DESKTOP, base_url=url, accept_downloads=True)
    context.set_default_timeout(30_000)
    return context.new_page()


def table_rows(table: Locator) -> dict[str, list[str]]:
    """A data frame's rows by their first cell (the grid keeps an accessible copy of the table in the page)."""
    rows: dict[str, list[str]] = {}
    for row in table.locator("tbody tr").all():
        cells = [c.inner_text().strip() for c in row.locator("td").all()]
        if cells:
            rows[cells[0]] = cells[1:]
    return rows


def test_a_working_day_and_its_funnel(browser: Browser, server: str, db_url: str, artifacts: Path) -> None:
    # --- two runners ---------------------------------------------------------------------------------------
    newsletter = new_page(browser, server)
    quick_screening(newsletter, "/?utm_source=newsletter&utm_medium=email&utm_campaign=spring")
    no_app_error(newsletter)

    runner = new_page(browser, server)
    quick_screening(runner, f"/?event={SLUG}")
    press(runner, "Book a free consultation")
    wait_idle(runner)
    keyed(runner, "bk_name").locator("input").fill(RUNNER)
    keyed(runner, "bk_email").locator("input").fill(f"eve-{RUN}@example.com")
    pill(runner, "bk_days", "Thursday")
    tick(runner, "bk_consent")
    tick(runner, "bk_attach")  # the knee check goes with the request
    press(runner, "Send my request")
    wait_idle(runner)
    expect(runner.get_by_text(f"Thank you, {RUNNER}.", exact=False)).to_be_visible()
    store = open_store(db_url)
    (request,) = leads.list_requests(store)
    assert (request.name, request.event, request.utm_source) == (RUNNER, SLUG, None)

    # --- staff: the home counts it, a click opens it ---------------------------------------------------------
    page = new_page(browser, server)
    page.goto("/staff")
    wait_idle(page)
    keyed(page, "staff_name").locator("input").fill("Dana")
    keyed(page, "staff_code").locator("input").fill(PASSCODE)
    press(page, "Sign in")
    wait_idle(page)
    main = page.locator('[data-testid="stMain"]')
    new_metric = main.locator('[data-testid="stMetric"]', has_text="New requests")
    expect(new_metric.locator('[data-testid="stMetricValue"]')).to_have_text("1")
    expect(main.locator('[data-testid="stMetric"]', has_text="Follow-ups due")
           .locator('[data-testid="stMetricValue"]')).to_have_text("0")
    new_table = keyed(page, "home_new_0")
    expect(new_table.locator("tbody tr", has_text=RUNNER)).to_have_count(1)
    layout_width = main.locator('[data-testid="stMainBlockContainer"]').bounding_box()
    assert layout_width is not None and layout_width["width"] >= 1200  # the wide layout (capped at 1200 px)
    shoot_at(page, artifacts, "01-staff-home", DESKTOP)

    click_row(new_table.locator('[data-testid="stDataFrame"]'), 0)
    expect(main.get_by_role("heading", name=f"Request #{request.id}", exact=True)).to_be_visible()
    expect(main.get_by_test_id("stText").filter(has_text=f"Name: {RUNNER}")).to_be_visible()  # typed text: plain
    wait_idle(page)
    assert page.url.endswith("/staff_requests")
    expect(main.get_by_text("The runner's knee check (attached with their consent)")).to_be_visible()
    expect(main.get_by_text("Triage:", exact=False)).to_be_visible()
    assert (main.locator('[data-testid="stMainBlockContainer"]').bounding_box() or {}).get("width", 0) >= 1200

    radio(page, f"status_{request.id}_to", "Booked")
    keyed(page, f"status_{request.id}_note").locator("textarea").fill("Thursday 6 pm with Sam")
    keyed(page, f"status_{request.id}_note").locator("textarea").press("Control+Enter")  # saves from the keyboard
    wait_idle(page)
    no_app_error(page)
    expect(main.get_by_text(f"Request #{request.id}: saved (Booked).")).to_be_visible()
    assert leads.get_request(store, request.id).status == "booked"
    radio(page, f"status_{request.id}_to", "Attended")
    press(page, "Save")
    wait_idle(page)
    expect(main.get_by_text(f"Request #{request.id}: saved (Attended).")).to_be_visible()
    expect(main.get_by_text("Status history: New ", exact=False)).to_be_visible()
    assert leads.get_request(store, request.id).status == "attended"
    shoot_at(page, artifacts, "02-staff-request", DESKTOP)

    # the export opens in a spreadsheet as it is
    export = staff_file(page, "Export for a spreadsheet (CSV)", "consultation-requests.csv")
    (row,) = csv.DictReader(io.StringIO(Path(export.path()).read_text("utf-8-sig")))
    assert row["Status"] == "Attended" and row["Name"] == RUNNER and row["Event"] == SLUG
    assert "id" not in row and len(row["Received"]) == len("2026-12-02 10:30")

    # --- the dashboard: exactly these numbers -----------------------------------------------------------------
    page.get_by_role("link", name="Dashboard", exact=True).first.click()  # the staff's top menu
    wait_idle(page)
    expect(main.get_by_role("heading", name="Growth dashboard")).to_be_visible()
    funnel = keyed(page, "dash_funnel_table")
    expect(funnel.locator("tbody tr", has_text="newsletter")).to_have_count(1)
    rows = table_rows(funnel)
    assert rows["All"] == ["2", "2", "0", "1", "1", "1"]
    assert rows["newsletter"] == ["1", "1", "0", "0", "0", "0"]
    assert rows["(none)"] == ["1", "1", "0", "1", "1", "1"]  # the event runner came without utm_source
    shoot_at(page, artifacts, "03-dashboard", DESKTOP)

    radio(page, "dash_by", "Event")
    wait_idle(page)
    expect(funnel.locator("tbody tr", has_text=SLUG)).to_have_count(1)
    rows = table_rows(funnel)
    assert rows[SLUG] == ["1", "1", "0", "1", "1", "1"]
    assert rows["(none)"] == ["1", "1", "0", "0", "0", "0"]

    # each chart: its numbers as CSV, its picture as PNG
    with page.expect_download() as download:
        keyed(page, "dash_funnel_csv").get_by_role("button").click()
    assert download.value.suggested_filename == "funnel-by-event.csv"
    numbers = list(csv.DictReader(io.StringIO(Path(download.value.path()).read_text("utf-8-sig"))))
    assert [list(r.values()) for r in numbers if r["Event"] == SLUG] == [[SLUG, "1", "1", "0", "1", "1", "1"]]
    assert list(numbers[0]) == ["Event", *STEPS]
    chart = keyed(page, "dash_funnel_chart")
    chart.hover()
    with page.expect_download() as download:
        chart.get_by_role("button", name="Download plot as a PNG").click()
    assert download.value.suggested_filename == "funnel-by-event.png"
    assert Path(download.value.path()).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    for key, name in (("dash_trend", "weekly-trend"), ("dash_contact", "time-to-first-contact"),
                      ("dash_triage", "triage-mix"), ("dash_links", "weak-links")):
        with page.expect_download() as download:
            keyed(page, f"{key}_csv").get_by_role("button").click()
        assert download.value.suggested_filename == f"{name}.csv"
    no_app_error(page)
    for p in (page, runner, newsletter):
        p.context.close()
