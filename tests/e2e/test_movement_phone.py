"""The movement check on a phone (and on the kiosk tablet): upload the squat video on the self-test step, watch
the progress bar, see the annotated deepest frames and the figures, confirm them, then find them in the hip link's
"Why?" and on progress.

Real pose estimation on the shared fixture video (../shared/fixtures/movement), read from there, never copied.
"""

from __future__ import annotations

import re
import uuid
from datetime import date
from pathlib import Path

from playwright.sync_api import Page, expect

from kneeassess import events
from kneeassess.movement import pose_available
from kneeassess.staff_auth import hash_passcode
from kneeassess.storage import open_store
from tests.conftest import missing_setup
from tests.e2e.conftest import serve, wait_idle
from tests.e2e.ui import expect_step, keyed, no_app_error, open_app, open_expander, press, shoot, shoot_at, slide, tick
from tests.movement.conftest import VIDEO

ANALYSIS_MS = 180_000  # the pose estimation of 65 frames, on a machine shared with other test runs


def test_film_measure_confirm_and_find_the_figures(phone: Page, artifacts: Path) -> None:
    if not VIDEO.is_file() or not pose_available():
        missing_setup("the movement fixture or the pose library (mediapipe) is missing")
    page = phone
    open_app(page)
    press(page, "Skip this step")
    expect_step(page, 2, "Safety check")
    tick(page, "w_safety_none")
    press(page, "Next")
    expect_step(page, 3, "Your knee pain")
    slide(page, "w_pain_run_worst", 4)
    press(page, "Next")
    for number, title in ((4, "Knee score"), (5, "Your running")):
        expect_step(page, number, title)
        press(page, "Skip this step")
    expect_step(page, 6, "Self-tests")

    main = page.locator('[data-testid="stMain"]')
    expect(main.get_by_text("Film your single-leg squat (optional)")).to_be_visible()
    expect(main.get_by_text("Your video stays private.")).to_be_visible()
    expect(main.get_by_role("img", name=re.compile("phone stands upright"))).to_be_visible()  # the how-to drawing
    shoot(page, artifacts, "01-how-to", view=True)

    keyed(page, "w_movement_upload_0").locator("input[type=file]").set_input_files(str(VIDEO))
    measure = keyed(page, "movement_measure").get_by_role("button")
    expect(measure).to_be_enabled(timeout=60_000)  # once the upload is in
    wait_idle(page)
    measure.click()
    bar = main.locator('[data-testid="stProgress"]').filter(has_text=re.compile("Reading the video|Finding your"))
    expect(bar).to_be_visible(timeout=ANALYSIS_MS)
    shoot(page, artifacts, "02-progress-bar", view=True)

    figures = main.get_by_text(re.compile(r"Your (left|right) knee drifted further inwards than your"))
    expect(figures.first).to_be_visible(timeout=ANALYSIS_MS)
    wait_idle(page)
    no_app_error(page)
    pictures = main.locator('[data-testid="stImage"] img')
    expect(pictures).to_have_count(2)  # the deepest frame of each leg, side by side
    expect(main.get_by_text(re.compile(r"Left leg, deepest squat: knee \d+°"))).to_be_visible()
    expect(main.get_by_text(re.compile(r"Right leg, deepest squat: knee \d+°"))).to_be_visible()
    expect(main.locator(".st-key-movement_reps")).to_be_visible()  # the angle over the repetitions
    expect(main.get_by_text("the single-leg squat is the better test", exact=False)).to_be_visible()
    open_expander(main, "What this figure cannot tell")
    expect(main.get_by_text("not the angle of your knee joint", exact=False)).to_be_visible()
    shoot(page, artifacts, "03-figures")

    press(page, "Use these answers")
    wait_idle(page)
    expect(main.get_by_text("These figures answer the single-leg squat questions below")).to_be_visible()
    # the fixture's right knee is well inwards of the usual figure: the answer comes from the video (the results'
    # "Why?" below shows the rule it fired), not from a tap on the pills
    shoot(page, artifacts, "04-confirmed")
    press(page, "Next")

    expect_step(page, 7, "Your results")
    hip = main.locator('[data-testid="stVerticalBlock"]').filter(
        has=page.get_by_text("Hip stabilisers", exact=True)).last
    open_expander(hip, "Why?")
    expect(hip.get_by_text("Knee drifted inwards in the single-leg squat (right)")).to_be_visible()
    expect(hip.get_by_text(re.compile(r"Movement check \(video\), knee inwards at the deepest point: left \d+° "
                                      r"outwards, right \d+° inwards"))).to_be_visible()
    shoot(page, artifacts, "05-why")

    press(page, "Save my results")
    wait_idle(page)
    expect(main.get_by_text("Saved to your profile.")).to_be_visible()
    token = main.locator('[data-testid="stCode"]').first.inner_text().strip().split("?p=")[1]
    page.goto(f"/progress?p={token}")
    wait_idle(page)
    no_app_error(page)
    expect(page.get_by_role("heading", name="Movement check")).to_be_visible()
    expect(main.locator(".st-key-movement_history")).to_be_visible()
    expect(main.get_by_text(re.compile(r"latest \(\d\d \w+\): left \d+° outwards, right \d+° inwards"))).to_be_visible()
    shoot(page, artifacts, "06-progress")


TABLET = {"width": 820, "height": 1180}


def test_kiosk_tablet_films_the_visitor(browser, artifacts: Path) -> None:  # noqa: ANN001
    """At an event, staff film the visitor with the tablet during the quick check's squat test: the figures in the
    result, and nothing of it left for the next visitor."""
    if not VIDEO.is_file() or not pose_available():
        missing_setup("the movement fixture or the pose library (mediapipe) is missing")
    slug = f"movement-{uuid.uuid4().hex[:8]}"
    events.create_event(open_store(), "Movement test 10k", date.today(), "Riverside park", slug)
    with serve("e2e-server-movement-kiosk.log",
               env={"KNEEASSESS_STAFF_PASSCODE_HASH": hash_passcode("tablet-passcode-5")}) as url:
        context = browser.new_context(viewport=TABLET, is_mobile=True, has_touch=True, base_url=url)
        context.set_default_timeout(30_000)
        page = context.new_page()
        try:
            page.goto(f"/?kiosk=1&event={slug}")
            wait_idle(page)
            press(page, "Start the quick check")
            press(page, "None of these apply to me")
            press(page, "Next: the self-test")
            main = page.locator('[data-testid="stMain"]')
            keyed(page, "w_movement_upload_0").locator("input[type=file]").set_input_files(str(VIDEO))
            measure = keyed(page, "movement_measure").get_by_role("button")
            expect(measure).to_be_enabled(timeout=60_000)  # once the upload is in
            wait_idle(page)
            measure.click()
            expect(main.locator('[data-testid="stProgress"]').filter(
                has_text=re.compile("Reading the video|Finding your|In the queue"))).to_be_visible(timeout=ANALYSIS_MS)
            expect(main.get_by_text(re.compile(r"drifted further inwards than your")).first).to_be_visible(
                timeout=ANALYSIS_MS)
            wait_idle(page)
            expect(main.locator('[data-testid="stImage"] img')).to_have_count(2)
            expect(main.get_by_text("sex used: unknown", exact=False)).to_be_visible()  # the quick check asks none
            shoot_at(page, artifacts, "01-kiosk-figures", TABLET)
            press(page, "Use these answers")
            wait_idle(page)
            press(page, "See my result")
            wait_idle(page)
            expect(main.get_by_text("Movement check (video)", exact=True)).to_be_visible()
            expect(main.get_by_text(re.compile(r"Movement check \(video\), knee inwards.*sex used: unknown"))
                   ).to_be_visible()
            no_app_error(page)
            shoot_at(page, artifacts, "02-kiosk-why", TABLET)

            page.evaluate("window.__visitor1 = true")
            press(page, "Finish, clear the tablet")
            page.wait_for_function("window.__visitor1 === undefined")
            wait_idle(page)
            press(page, "Start the quick check")
            press(page, "None of these apply to me")
            press(page, "Next: the self-test")
            expect(keyed(page, "movement_measure").get_by_role("button")).to_be_disabled()  # nothing uploaded
            expect(main.locator('[data-testid="stImage"] img')).to_have_count(0)  # no frames of the last visitor
            expect(main.get_by_text(re.compile("drifted further inwards"))).to_have_count(0)
        finally:
            context.close()
