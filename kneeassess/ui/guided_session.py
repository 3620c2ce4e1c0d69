"""Do today's session: one step at a time, with a rep counter, countdowns for holds and rests, then logging."""

from __future__ import annotations

import time
from datetime import date, timedelta
from typing import TypedDict

import streamlit as st

from kneeassess import logbook
from kneeassess.guided import Step, done_exercises, position, remaining, steps_for, time_scale
from kneeassess.models import PlanItem
from kneeassess.records import Profile
from kneeassess.storage import StorageError
from kneeassess.ui import account, forms
from kneeassess.ui.pictures import picture

KEY = "kneeassess_guided"
PAIN = list(range(11))


class Guided(TypedDict):
    """Where this tab is in the session: the step, when its timer started, reps counted, whether it was logged."""

    index: int
    started: float | None
    reps: int
    logged: bool


def state() -> Guided:
    if KEY not in st.session_state:
        st.session_state[KEY] = {"index": 0, "started": None, "reps": 0, "logged": False}
    g: Guided = st.session_state[KEY]
    return g


def restart() -> None:
    st.session_state[KEY] = {"index": 0, "started": None, "reps": 0, "logged": False}


def _advance(g: Guided) -> None:
    g["index"] += 1
    g["started"] = None
    g["reps"] = 0


# The buttons act in their callbacks (on this tab's state), before the one script run of the click.


def next_step() -> None:
    _advance(state())


def add_rep(most: int) -> None:
    g = state()
    g["reps"] = min(most, g["reps"] + 1)


def start_timer() -> None:
    state()["started"] = time.time()


def reps_step(step: Step, g: Guided) -> None:
    st.metric("Reps done", f"{g['reps']} / {step.reps}")
    left, right = st.columns(2)
    left.button("+1 rep", key="rep_plus", width="stretch", on_click=add_rep, args=(step.reps or 0,))
    right.button("Set done", type="primary", key="set_done", width="stretch", on_click=next_step)


def timed_step(step: Step, g: Guided) -> None:
    if g["started"] is None:
        label = "Start the hold" if step.kind == "hold" else "Start resting"
        st.button(label, type="primary", key="timer_start", width="stretch", on_click=start_timer)
        if step.kind == "rest":
            st.button("Skip the rest", key="rest_skip", width="stretch", on_click=next_step)
        return
    countdown(step, g)
    st.button("Done early" if step.kind == "hold" else "Skip the rest", key="timer_done", width="stretch",
              on_click=next_step)


@st.fragment(run_every=timedelta(seconds=0.5))
def countdown(step: Step, g: Guided) -> None:
    started = g["started"]
    if started is None:  # not started (the step changed meanwhile)
        return
    left = remaining(step, started, time.time())
    st.metric("Hold" if step.kind == "hold" else "Rest", f"{left:.0f} s")
    st.progress(1 - left / (step.seconds or 1))
    if left <= 0:
        _advance(g)
        st.rerun(scope="app")


def finish(plan: list[PlanItem], steps: list[Step], g: Guided, profile: Profile | None) -> None:
    st.success("Session done. Well done!", icon=":material/celebration:")
    sets_done = {k: v for k, v in done_exercises(steps, g["index"]).items() if v}
    if g["logged"]:
        st.info("Logged to your profile.", icon=":material/check:")
        return
    if profile is None:
        st.info("Save your results (at the end of the knee check) to log your sessions and see them add up.")
        return
    with st.form("guided_log"):
        st.pills("Knee pain during the exercises (0 = none, 10 = worst imaginable)", PAIN, key="guided_pain")
        forms.show("guided_log", forms.FORM)
        st.form_submit_button("Log this session", type="primary", on_click=log_session,
                              args=(plan, sets_done, profile))


def log_session(plan: list[PlanItem], sets_done: dict[str, int], profile: Profile) -> None:
    try:  # one transaction: a failure saves nothing, so "try again" logs no exercise twice
        logbook.record_sessions(account.store(), profile, [
            logbook.ExerciseDone(item.exercise, sets_done[item.exercise], item.reps, item.seconds, item.load)
            for item in plan if item.exercise in sets_done
        ], day=date.today(), pain=st.session_state.get("guided_pain"))
    except (StorageError, logbook.LogProblems):
        forms.report("guided_log", {forms.FORM: "Logging failed: we could not save it. Please try again."})
        return
    forms.clear("guided_log")
    state()["logged"] = True


def draw(plan: list[PlanItem], profile: Profile | None) -> None:
    steps = steps_for(plan)
    g = state()
    st.progress(min(1.0, g["index"] / max(1, len(steps))), text=position(steps, g["index"]))
    if g["index"] >= len(steps):
        finish(plan, steps, g, profile)
        return
    step = steps[g["index"]]
    with st.container(border=True):
        st.header(step.title)
        if step.kind != "rest":
            picture(step.exercise, max_width=360)
        st.markdown(f"### {step.instruction}")
        if step.kind == "reps":
            reps_step(step, g)
        else:
            timed_step(step, g)
    st.caption("Pain guides the dose: up to 5/10 during exercise is acceptable if it settles by the next morning. "
               "Stop if it goes above 5/10." + (" (Timers are sped up.)" if time_scale() < 1 else ""))
