"""The whole screening on a phone (390×844), clicked and typed the way a runner fills it in.

Widgets are found through the CSS class Streamlit gives each keyed widget's container: ``.st-key-<key>``
(the keys are the ones tests/app/driver.py uses: ``w_<answer id>``). Each step is screenshotted as the runner
sees it (``NN-<step>-view.png``: the phone screen, at the scroll position the app left it) and in full
(``NN-<step>.png``); ``NN-<step>-filled.png`` is the step filled in, just before Next.
"""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.e2e.conftest import wait_idle
from tests.e2e.ui import (
    expect_step,
    keyed,
    no_app_error,
    open_app,
    open_expander,
    pill,
    press,
    radio,
    radio_input,
    shoot,
    slide,
    tick,
    type_number,
)

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
    open_expander(hip, "Why?")
    expect(hip.get_by_text("Knee drifted inwards in the single-leg squat (right)")).to_be_visible()

    expect(main.get_by_text(re.compile(r"Last week you ran 36 km, 71\.4% more"))).to_be_visible()
    expect(main.get_by_role("img", name=re.compile(r"^Weekly distance in km: 3 weeks before"))).to_be_visible()

    # the knee-score step was skipped: the results say it could not be judged, and show no score
    expect(main.get_by_text("You answered 0 of 13 knee-score questions")).to_be_visible()
    expect(main.locator('[data-testid="stMetric"]')).to_have_count(0)
    open_expander(main, "What we could not judge")
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
    expect(page.get_by_role("heading", name="Book a free consultation", exact=True)).to_be_visible()
    expect(keyed(page, "bk_name").locator("input")).to_be_visible()
    no_app_error(page)
    shoot(page, artifacts, "08-book")


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
