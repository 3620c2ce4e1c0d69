"""``wait_idle`` waits for the app's answer to the last click, not only for "no script running".

Between a click and the server's "run started", the page's own flag still says "not running" (from the run before).
A test that waited on that flag alone and then typed could have its text wiped by the late answer: stress run 5 of
2026-12-03 (tests/stress.sh) typed the next check-in's date while the last one's "Save pain rating" was on its
way, and the form, cleared by that save, showed today's date.

A small app shows it without luck in the timing: the server is paused (SIGSTOP) when the button is clicked, so the
click's answer comes only when it is resumed, a second later.
"""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from tests.e2e.conftest import APP, serve, wait_idle

COUNTER = '''
import os
from pathlib import Path

import streamlit as st

Path(os.environ["WAIT_IDLE_PID_FILE"]).write_text(str(os.getpid()))  # the server's process: the test pauses it
st.session_state.setdefault("clicks", 0)


def count() -> None:
    st.session_state.clicks += 1


st.button("Count", on_click=count)
st.markdown(f"Clicked {st.session_state.clicks} times")
'''


@pytest.fixture(scope="module")
def counter_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    folder = tmp_path_factory.mktemp("wait-idle")
    script = folder / "counter_app.py"
    script.write_text(COUNTER)
    pid_file = folder / "server.pid"
    with serve("e2e-server-wait-idle.log", env={"WAIT_IDLE_PID_FILE": str(pid_file)}, script=script) as url:
        yield url, pid_file


def test_wait_idle_returns_after_the_answer_to_a_click_the_server_had_not_started(
    browser: Browser, counter_app: tuple[str, Path]
) -> None:
    url, pid_file = counter_app
    context = browser.new_context(viewport={"width": 390, "height": 844})
    try:
        page = context.new_page()
        page.goto(url)
        wait_idle(page)
        main = page.locator('[data-testid="stMain"]')
        expect(main.get_by_text("Clicked 0 times")).to_be_visible()

        pid = int(pid_file.read_text())
        os.kill(pid, signal.SIGSTOP)
        resume = threading.Timer(1.0, os.kill, (pid, signal.SIGCONT))
        try:
            page.get_by_role("button", name="Count").click()
            # the race itself: the click is out, and the page's flag still says "not running"
            assert page.locator(f'{APP}[data-test-script-state="notRunning"]').count() == 1
            resume.start()
            wait_idle(page)
        finally:
            resume.cancel()
            os.kill(pid, signal.SIGCONT)
        # read once, without waiting: wait_idle has waited for the answer
        assert main.get_by_text("Clicked 1 times").count() == 1, main.inner_text()
    finally:
        context.close()
