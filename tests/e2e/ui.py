"""Using the app in a real browser: find widgets by key, set them as a person would, wait, screenshot.

Widgets are found through the CSS class Streamlit gives each keyed widget's container: ``.st-key-<key>``.
"""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Download, Locator, Page, expect

from tests import browser_log
from tests.e2e.conftest import IDLE_TIMEOUT_MS, PHONE, wait_idle
from tests.waiting import NotInTime, wait_until

STEP = re.compile(r"^Step \d of 7$")
SELECT_WAIT_S = 5  # a data frame's row click sends its rerun at once; nothing after this long: it was dropped


# --- finding and using widgets ------------------------------------------------------------------------------


def keyed(page: Page, key: str) -> Locator:
    """The container of the widget with this key (Streamlit adds the class ``st-key-<key>``)."""
    box = page.locator(f".st-key-{key}")
    expect(box).to_have_count(1)
    return box


def radio(page: Page, key: str, option: str) -> None:
    keyed(page, key).locator('[data-testid="stRadioOption"]').get_by_text(option, exact=True).click()
    expect(radio_input(page, key, option)).to_be_checked()


def radio_input(page: Page, key: str, option: str) -> Locator:
    exact = re.compile(rf"^{re.escape(option)}$")
    return keyed(page, key).locator('[data-testid="stRadioOption"]', has_text=exact).locator("input")


def pill(page: Page, key: str, option: str) -> None:
    """Tap the pill whose text is ``option`` and check it is now chosen.

    Multi-select pills are toggle buttons (``aria-pressed``); single-select ones, like the 0-10 pain scales,
    are radios (``aria-checked``).
    """
    text = re.compile(rf"^{re.escape(option)}$")
    pills = keyed(page, key).locator('button[data-variant="pills"]')
    button = pills.filter(has_text=text)
    expect(button).to_have_count(1)
    button.click()
    chosen = pills.and_(page.locator('[aria-pressed="true"], [aria-checked="true"]')).filter(has_text=text)
    expect(chosen).to_have_count(1)


def slide(page: Page, key: str, value: int) -> None:
    """Set a 0-10 pain slider with the keyboard (focus its handle, step with the arrows): the accessible way,
    and exact where a drag on a narrow track is not. The scale starts at "not rated", one step below 0.
    """
    handle = keyed(page, key).get_by_role("slider")
    handle.scroll_into_view_if_needed()
    handle.focus()
    handle.press("Home")
    for _ in range(value + 1):
        handle.press("ArrowRight")
    expect(handle).to_have_attribute("aria-valuetext", str(value))


def tick(page: Page, key: str) -> None:
    box = keyed(page, key)
    box.locator("label").click()
    expect(box.locator("input[type=checkbox]")).to_be_checked()


def type_number(page: Page, key: str, value: int | float) -> None:
    field = keyed(page, key).locator("input")
    field.click()
    field.fill(str(value))
    expect(field).to_have_value(str(value))


def open_expander(scope: Page | Locator, label: str) -> None:
    """Open the expander labelled ``label`` as a person would, and wait until it has finished opening: Streamlit
    animates its height, and a tap on its content while it still grows can land on something else."""
    summary = scope.locator('[data-testid="stExpander"] summary', has_text=label)
    summary.click()
    details = summary.locator("xpath=..")
    expect(details).to_have_attribute("open", "")
    summary.page.wait_for_function("d => d.open && !d.style.height", arg=details.element_handle())


def press(page: Page, label: str) -> None:
    """Tap a button by its visible text (the one the runner can see; there is only one of each)."""
    button = page.get_by_role("button", name=label, exact=True)
    expect(button).to_have_count(1)
    expect(button).to_be_enabled()
    button.click()


def staff_file(page: Page, label: str, file_name: str) -> Download:
    """Save a staff file (kneeassess/ui/downloads.py): press ``label`` (the server makes the file), then
    "Save ``file_name``" (the tab saves it). Returns the download."""
    press(page, label)
    wait_idle(page)
    no_app_error(page)
    with page.expect_download() as download:
        press(page, f"Save {file_name}")
    assert download.value.suggested_filename == file_name
    return download.value


# --- the staff console ----------------------------------------------------------------------------------------


def open_row(page: Page, name: str) -> None:
    """Click the selection box of the request's row in the list, and wait for the app's answer."""
    table = page.locator('[class*="st-key-requests_"] [data-testid="stDataFrame"]')
    expect(table.locator("tbody tr", has_text=name)).to_have_count(1)  # the grid has drawn its rows
    # one read of every row (the list is a fragment redrawn every 15 s: reading row by row can meet a redraw)
    names = table.locator("tbody tr").evaluate_all("rows => rows.map(row => row.innerText)")
    (index,) = [i for i, text in enumerate(names) if name in text]
    click_row(table, index)
    no_app_error(page)


def click_row(table: Locator, index: int, tries: int = 3) -> None:
    """Click the selection box of row ``index`` (0: the first under the header) of a data frame
    (``[data-testid="stDataFrame"]``) with the mouse, as a person does, and wait for the app's answer.

    The grid is drawn on a canvas, so the click goes to a position (rows are 35 px high under a 35 px header). A
    selection sends a rerun at once; a click the grid drops sends nothing (stress run 17 of 2026-12-03: under load,
    a click just after the page had been resized to a phone's width and back selected nothing, and the request
    never opened). So when the page has sent no rerun after ``SELECT_WAIT_S``, the click is given again: nothing was
    selected, so a second click cannot undo a selection."""
    page = table.page
    for attempt in range(1, tries + 1):
        before = browser_log.reruns_sent(page)
        table.scroll_into_view_if_needed()
        box = table.bounding_box()
        assert box is not None
        page.mouse.click(box["x"] + 16, box["y"] + 35 * (index + 1) + 17)

        def sent(before: int = before) -> bool:
            page.wait_for_timeout(20)  # Playwright hands over the page's websocket events while the test waits
            return browser_log.reruns_sent(page) > before

        try:
            wait_until(sent, SELECT_WAIT_S, interval=0, what=f"a rerun after click {attempt} on row {index}")
            break
        except NotInTime:
            if attempt == tries:
                raise
    wait_idle(page)


# --- where we are, and screenshots --------------------------------------------------------------------------


def open_app(page: Page) -> None:
    page.goto("/")
    wait_idle(page)
    expect_step(page, 1, "About you")


def expect_step(page: Page, number: int, title: str) -> None:
    """Wait until the screen shows "Step ``number`` of 7" and its heading, with the script finished.

    While a rerun is drawing the next step, the previous step's caption can still be on the page (stale), so
    wait for the new caption first, then for the run to end, then check it is the only one.
    """
    captions = page.locator('[data-testid="stCaptionContainer"]').filter(has_text=STEP)
    expect(captions.filter(has_text=f"Step {number} of 7")).to_be_visible(timeout=IDLE_TIMEOUT_MS)
    wait_idle(page)
    expect(page.locator('[data-stale="true"]')).to_have_count(0)
    expect(captions).to_have_text([f"Step {number} of 7"])
    expect(page.get_by_role("heading", name=title, exact=True)).to_be_visible()
    no_app_error(page)


def no_app_error(page: Page) -> None:
    expect(page.locator('[data-testid="stException"]')).to_have_count(0)
    expect(page.get_by_text("This app has encountered an error")).to_have_count(0)


def shoot(page: Page, folder: Path, name: str, view: bool = False) -> None:
    """Save the whole page as ``name``.png (and, with ``view``, the phone's screen as it is as ``name``-view.png).

    Streamlit scrolls inside ``stMain``, so Playwright's ``full_page`` sees only one screen: the viewport is
    made as tall as the content for the shot, then put back.
    """
    if view:
        page.screenshot(path=folder / f"{name}-view.png")
    box = page.locator('[data-testid="stMainBlockContainer"]').bounding_box()
    assert box is not None
    height = max(PHONE["height"], int(box["height"]) + 1)
    page.set_viewport_size({"width": PHONE["width"], "height": height})
    try:
        page.wait_for_timeout(300)  # let charts re-fit the taller window
        page.screenshot(path=folder / f"{name}.png", full_page=True)
    finally:
        page.set_viewport_size(PHONE)


# --- other screens: a tablet, a desktop; taps counted ------------------------------------------------------


def shoot_at(page: Page, folder: Path, name: str, viewport: dict[str, int], view: bool = False) -> None:
    """``shoot`` for a page of another size (a tablet, a desktop): the whole page as ``name``.png (and, with
    ``view``, the screen as it is as ``name``-view.png); the viewport is put back to ``viewport`` after."""
    if view:
        page.screenshot(path=folder / f"{name}-view.png")
    box = page.locator('[data-testid="stMainBlockContainer"]').bounding_box()
    assert box is not None
    page.set_viewport_size({"width": viewport["width"], "height": max(viewport["height"], int(box["height"]) + 1)})
    try:
        page.wait_for_timeout(300)  # let the layout re-fit the taller window
        page.screenshot(path=folder / f"{name}.png", full_page=True)
    finally:
        page.set_viewport_size(viewport)


class Taps:
    """A person's taps on a touch screen, counted (``taps.count``). The page's context needs ``has_touch``."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.count = 0

    def on(self, target: Locator) -> None:
        expect(target).to_have_count(1)
        target.tap()
        self.count += 1

    def button(self, label: str) -> None:
        """Tap the button with this visible text (there is only one)."""
        button = self.page.get_by_role("button", name=label, exact=True)
        expect(button).to_have_count(1)
        expect(button).to_be_enabled()
        self.on(button)

    def tick(self, key: str) -> None:
        box = keyed(self.page, key)
        self.on(box.locator("label"))
        expect(box.locator("input[type=checkbox]")).to_be_checked()


def quick_screening(page: Page, path: str = "/", morning: int | None = None) -> None:
    """The shortest knee check from ``path``: optional steps skipped, "none" on the safety screen, pain 4/10
    (and the next-morning rating when given), ending on the results."""
    page.goto(path)
    wait_idle(page)
    expect_step(page, 1, "About you")
    press(page, "Skip this step")
    expect_step(page, 2, "Safety check")
    tick(page, "w_safety_none")
    press(page, "Next")
    expect_step(page, 3, "Your knee pain")
    slide(page, "w_pain_run_worst", 4)
    if morning is not None:
        slide(page, "w_pain_next_morning", morning)
    press(page, "Next")
    for number, title in ((4, "Knee score"), (5, "Your running"), (6, "Self-tests")):
        expect_step(page, number, title)
        press(page, "Skip this step")
    expect_step(page, 7, "Your results")
