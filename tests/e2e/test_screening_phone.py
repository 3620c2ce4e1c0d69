"""The whole screening on a phone (390×844), clicked and typed the way a runner fills it in.

Widgets are found through the CSS class Streamlit gives each keyed widget's container: ``.st-key-<key>``
(the keys are the ones tests/app/driver.py uses: ``w_<answer id>``). Each step is screenshotted as the runner
sees it (``NN-<step>-view.png``: the phone screen, at the scroll position the app left it) and in full
(``NN-<step>.png``); ``NN-<step>-filled.png`` is the step filled in, just before Next.
"""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Locator, Page, expect

from tests.e2e.conftest import PHONE, wait_idle

STEP = re.compile(r"^Step \d of 7$")


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


def press(page: Page, label: str) -> None:
    """Tap a button by its visible text (the one the runner can see; there is only one of each)."""
    button = page.get_by_role("button", name=label, exact=True)
    expect(button).to_have_count(1)
    expect(button).to_be_enabled()
    button.click()


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
    expect(captions.filter(has_text=f"Step {number} of 7")).to_be_visible(timeout=30_000)
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


# --- the steps ----------------------------------------------------------------------------------------------


def fill_about(page: Page, age: str = "30 to 44") -> None:
    radio(page, "w_age_band", age)
    radio(page, "w_sex", "Female")
    radio(page, "w_painful_side", "Right")
    radio(page, "w_years_running", "1 to 3 years")


def test_hip_weak_link_runner_on_a_phone(phone: Page, artifacts: Path) -> None:
    page = phone
    open_app(page)
    shoot(page, artifacts, "01-about", view=True)
    fill_about(page)
    shoot(page, artifacts, "01-about-filled")
    press(page, "Next")

    expect_step(page, 2, "Safety check")
    shoot(page, artifacts, "02-safety", view=True)
    tick(page, "w_safety_none")
    shoot(page, artifacts, "02-safety-filled")
    press(page, "Next")

    expect_step(page, 3, "Your knee pain")
    shoot(page, artifacts, "03-symptoms", view=True)
    pill(page, "w_pain_location", "Around or behind the kneecap")
    pill(page, "w_aggravators", "Going down stairs")
    pill(page, "w_aggravators", "Squatting")
    slide(page, "w_pain_run_worst", 4)
    slide(page, "w_pain_next_morning", 1)
    shoot(page, artifacts, "03-symptoms-filled")
    press(page, "Next")

    expect_step(page, 4, "Knee score")
    shoot(page, artifacts, "04-knee-score", view=True)
    press(page, "Skip this step")

    expect_step(page, 5, "Your running")
    shoot(page, artifacts, "05-training", view=True)
    for week, km in enumerate([36, 20, 22, 21]):  # last 7 days, the week before, two and three weeks before
        type_number(page, f"w_km_week_{week}_km", km)
    shoot(page, artifacts, "05-training-filled")
    press(page, "Next")

    expect_step(page, 6, "Self-tests")
    shoot(page, artifacts, "06-self-tests", view=True)
    pill(page, "w_signs_right", "My knee drifted inwards, towards the other leg")
    pill(page, "w_signs_right", "The hip on the other side dropped")
    pill(page, "w_signs_left", "None of these")
    type_number(page, "w_side_plank_seconds_left", 45)
    type_number(page, "w_side_plank_seconds_right", 22)
    shoot(page, artifacts, "06-self-tests-filled")
    press(page, "Next")

    expect_step(page, 7, "Your results")
    shoot(page, artifacts, "07-results", view=True)
    main = page.locator('[data-testid="stMain"]')
    expect(main.get_by_text("Safe to start with self-care")).to_be_visible()

    hip = (
        main.locator('[data-testid="stVerticalBlock"]').filter(has=page.get_by_text("Hip stabilisers", exact=True)).last
    )
    expect(hip).to_contain_text("Likely weak link")
    hip.locator('[data-testid="stExpander"] summary', has_text="Why?").click()
    expect(hip.get_by_text("Knee drifted inwards in the single-leg squat (right)")).to_be_visible()

    expect(main.get_by_text(re.compile(r"Last week you ran 36 km, 71\.4% more"))).to_be_visible()
    expect(main.locator('[data-testid="stPlotlyChart"], .js-plotly-plot').first).to_be_visible()

    # the knee-score step was skipped: the results say it could not be judged, and show no score
    expect(main.get_by_text("You answered 0 of 13 knee-score questions")).to_be_visible()
    expect(main.locator('[data-testid="stMetric"]')).to_have_count(0)
    main.locator('[data-testid="stExpander"] summary', has_text="What we could not judge").click()
    expect(main.get_by_text("Your knee score: you answered 0 of 13 questions.")).to_be_visible()

    side_plank = (
        main.locator('[data-testid="stVerticalBlock"]')
        .filter(has=page.get_by_role("heading", name="Side plank", exact=True))
        .last
    )
    expect(side_plank).to_contain_text("25 s hold, 10 s rest, × 5 each side")
    expect(main.get_by_text("This is a self-screening, not a diagnosis", exact=False).first).to_be_visible()

    press(page, "Book a free consultation")
    wait_idle(page)
    expect(main.get_by_text(re.compile(r"contact details have not been set up"))).to_be_visible()
    no_app_error(page)
    shoot(page, artifacts, "07-results-booked")


def test_urgent_red_flag_stops_at_once(phone: Page, artifacts: Path) -> None:
    page = phone
    open_app(page)
    press(page, "Skip this step")

    expect_step(page, 2, "Safety check")
    tick(page, "w_rf_hot_red_fever")
    shoot(page, artifacts, "02-safety-filled")
    press(page, "Next")

    expect_step(page, 7, "Your results")
    shoot(page, artifacts, "07-results-urgent", view=True)
    main = page.locator('[data-testid="stMain"]')
    expect(main.get_by_text("Get medical help today")).to_be_visible()
    expect(main.get_by_text("hot, red and swollen", exact=False).first).to_be_visible()
    expect(main.get_by_text("Your plan")).to_have_count(0)
    expect(main.get_by_text("Your weak links")).to_have_count(0)


def test_back_keeps_answers(phone: Page, artifacts: Path) -> None:
    page = phone
    open_app(page)
    radio(page, "w_age_band", "45 to 59")
    press(page, "Next")

    expect_step(page, 2, "Safety check")
    press(page, "Back")

    expect_step(page, 1, "About you")
    expect(radio_input(page, "w_age_band", "45 to 59")).to_be_checked()
    expect(radio_input(page, "w_age_band", "30 to 44")).not_to_be_checked()
    shoot(page, artifacts, "01-about-after-back", view=True)
