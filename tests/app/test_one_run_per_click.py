"""One script run per click: the knee check's steps and the log's forms act in widget callbacks, so a click
changes the state before the one run that draws the new screen (a ``st.rerun()`` after the click would run the
script twice: each test here fails then)."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date, timedelta

import pytest

from kneeassess import logbook
from kneeassess.content import questionnaire
from kneeassess.records import CheckIn, ExerciseSession, Run
from kneeassess.ui import app_setup
from tests.app.driver import ROOT, button, fill_step, start
from tests.app.test_profile import open_with_link, seeded_profile
from tests.factories import HIP_RUNNER


@pytest.fixture
def runs(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """One entry per script run: app.py calls ``load_content_or_stop`` once at the top of every run."""
    seen: list[int] = []
    real = app_setup.load_content_or_stop

    def counted():  # noqa: ANN202
        seen.append(1)
        return real()

    monkeypatch.setattr(app_setup, "load_content_or_stop", counted)
    return seen


def click(at, label: str, runs: list[int]) -> int:  # noqa: ANN001
    """Click the button and run: how many script runs it took."""
    before = len(runs)
    button(at, label).click().run()
    assert not at.exception, at.exception
    return len(runs) - before


def test_every_knee_check_step_is_one_run(runs: list[int]):
    at = start()
    steps = questionnaire().steps
    for i, step in enumerate(steps):
        assert step.title in [h.value for h in at.header]
        if step.id == "safety":  # Next with a problem: the message shows in the same one run
            assert click(at, "Next", runs) == 1
            assert "Tick every sign that applies to you, or tick 'None of these apply to me'." in [
                e.value for e in at.error]
        fill_step(at, HIP_RUNNER, step.id)
        if i == 2:  # Back, then Next again: one run each
            assert click(at, "Back", runs) == 1
            assert steps[1].title in [h.value for h in at.header]
            assert click(at, "Next", runs) == 1
            assert step.title in [h.value for h in at.header]
            fill_step(at, HIP_RUNNER, step.id)
        label = "Skip this step" if step.id == "knee_score" else "Next"
        assert click(at, label, runs) == 1, f"{step.id}: {label}"
    assert "Your results" in [h.value for h in at.header]  # the last step's click switched to the results page
    assert click(at, "Change my answers", runs) == 1  # a button that opens another page: that page's one run
    assert steps[-1].title in [h.value for h in at.header]


def test_each_log_form_saves_in_one_run(store, runs: list[int]):
    p, token = seeded_profile(store)
    logbook.record_run(store, p, day=date.today() - timedelta(days=1), distance=5, minutes=30)
    at = open_with_link(token, "pages/runner/log.py")

    at.pills(key="morning_rating").set_value(1)
    assert click(at, "Save", runs) == 1
    assert not any("How is your knee this morning" in m.value for m in at.markdown)

    at.number_input(key="run_new_km").set_value(5)
    at.number_input(key="run_new_min").set_value(30)
    at.number_input(key="run_new_fast").set_value(40)
    assert click(at, "Save run", runs) == 1  # refused: the message by the field, in the same run
    assert "Fast minutes cannot be more than the run's minutes." in [e.value for e in at.error]
    at.number_input(key="run_new_fast").set_value(5)
    assert click(at, "Save run", runs) == 1
    assert at.number_input(key="run_new_km").value is None  # the form is empty for the next run
    assert len(store.list_records(Run, p.id)) == 2

    at.session_state["log_tab"] = "Pain"
    at.run()
    at.pills(key="checkin_new_during").set_value(3)
    assert click(at, "Save pain rating", runs) == 1
    assert any(c.during == 3 for c in store.list_records(CheckIn, p.id))

    at.session_state["log_tab"] = "Exercises"
    at.run()
    assert click(at, "Log this session", runs) == 1  # nothing ticked: said in the same run
    assert "Tick the exercises you did." in [e.value for e in at.error]
    next(cb for cb in at.checkbox if cb.key.startswith("sess_done_")).check()
    assert click(at, "Log this session", runs) == 1
    assert len(store.list_records(ExerciseSession, p.id)) == 1


HOME_BUTTONS = [  # (button, what only the page it opens shows)
    ("See my full results", "Your results"),
    ("Book a free consultation", "Book a free consultation"),
    ("Start today's session", "Today's session"),
    ("Log a run", "Add a run"),
    ("See my progress", "Progress"),
    ("Start a re-check", "Runner's knee check"),
]


@pytest.mark.parametrize(("label", "heading"), HOME_BUTTONS)
def test_each_home_button_opens_its_page_in_one_run(store, runs: list[int], label: str, heading: str):
    """Home's buttons open their page from the callback: the click's one run is that page's (not Home, then it)."""
    _, token = seeded_profile(store)
    at = open_with_link(token, "pages/runner/home.py")
    assert "Welcome back" in [t.value for t in at.title]
    assert click(at, label, runs) == 1
    assert heading in [h.value for h in [*at.title, *at.header]], label


SAVE_TWO_RUNS = """
import sys
from kneeassess import profiles
from kneeassess.storage import open_store
from streamlit.testing.v1 import AppTest

store = open_store()
token = profiles.new_token()
store.create_profile(profiles.token_hash(token))
at = AppTest.from_file(sys.argv[1], default_timeout=60)
at.query_params["p"] = token
at.run()
at.switch_page("pages/runner/log.py").run()
for km in (4, 6):
    at.number_input(key="run_new_km").set_value(km)
    at.number_input(key="run_new_min").set_value(25)
    next(b for b in at.button if b.label == "Save run").click().run()
    assert not at.exception, at.exception
    at.run()
print("saved two runs")
"""


def test_saving_a_run_gives_no_widget_state_warning(tmp_path):
    """The form starts empty after a save without Streamlit's "created with a default value but also had its value
    set via the Session State API" warning (logged once per process, so in a process of its own)."""
    env = {**os.environ, "KNEEASSESS_VAR_DIR": str(tmp_path), "PYTHONPATH": str(ROOT)}
    env.pop("KNEEASSESS_DATABASE_URL", None)
    out = subprocess.run([sys.executable, "-c", SAVE_TWO_RUNS, str(ROOT / "app.py")], capture_output=True,
                         text=True, env=env, cwd=ROOT, timeout=300)
    assert out.returncode == 0 and "saved two runs" in out.stdout, out.stderr[-2000:]
    assert "had its value set via the Session State API" not in out.stderr + out.stdout, out.stderr[-2000:]
