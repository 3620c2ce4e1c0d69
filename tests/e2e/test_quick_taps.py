"""A tap that arrives while the last tap's callback is still running: Streamlit 1.67 cuts that callback short and
never runs it again, so an answer recorded in a callback is lost while its chip shows it picked. The kiosk's quick
check therefore records each chip's answer as the screen is drawn (kneeassess/ui/quick_check.py).

Stress run 6 of 2026-12-03 (tests/stress.sh) lost a kiosk visitor's left-leg squat answer that way: "My knee drifted
inwards" and, 70 ms later, the pain chip; the saved quick check had the pain and no squat signs.

A small app shows the cut without luck in the timing: the first chip's callback takes 1.5 s (a busy server) and the
second chip is tapped while it runs. It is served as the app is (the same launcher and .streamlit/config.toml).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from tests.e2e.conftest import serve, wait_idle

APP = '''
import time

import streamlit as st


def slow_callback() -> None:
    time.sleep(1.5)  # still running when the next tap arrives, as on a busy server
    st.session_state.in_callback = st.session_state.first  # the first session-state read: where the cut falls


st.pills("First question", ["first answer"], key="first", on_change=slow_callback)
st.pills("Second question", ["second answer"], key="second")
st.markdown(f"Recorded in the callback: {st.session_state.get('in_callback')}")
st.markdown(f"Recorded as drawn: {st.session_state.first}, {st.session_state.second}")
'''


def chip(page: Page, option: str) -> Locator:
    return page.locator('button[data-variant="pills"]').filter(has_text=option)


@pytest.fixture(scope="module")
def taps_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    script = tmp_path_factory.mktemp("quick-taps") / "taps_app.py"
    script.write_text(APP)
    with serve("e2e-server-quick-taps.log", script=script) as url:
        yield url


def test_an_answer_recorded_as_drawn_survives_a_tap_during_the_last_callback(browser: Browser,
                                                                             taps_app: str) -> None:
    context = browser.new_context(viewport={"width": 820, "height": 1180}, is_mobile=True, has_touch=True)
    try:
        page = context.new_page()
        page.goto(taps_app)
        wait_idle(page)
        main = page.locator('[data-testid="stMain"]')
        drawn = main.get_by_text("Recorded as drawn:")
        expect(drawn).to_have_text("Recorded as drawn: None, None")
        chip(page, "first answer").tap()
        page.wait_for_selector('[data-testid="stApp"][data-test-script-state="running"]')  # its run has begun:
        page.wait_for_timeout(300)  # the first chip's callback is running on the server
        chip(page, "second answer").tap()
        expect(drawn).to_have_text("Recorded as drawn: first answer, second answer", timeout=15_000)
        page.wait_for_timeout(2000)  # the first callback's 1.5 s are over: nothing else comes
        wait_idle(page)
        expect(drawn).to_have_text("Recorded as drawn: first answer, second answer")
        # the cut itself, which the quick check avoids: the callback never recorded the first answer (if a later
        # Streamlit runs it to the end, this line fails, and the quick check could record in callbacks again)
        expect(main.get_by_text("Recorded in the callback:")).to_have_text("Recorded in the callback: None")
    finally:
        context.close()
