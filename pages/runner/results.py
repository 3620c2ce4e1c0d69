"""Step 7 of 7 (or the saved latest check): the answer first in one card, then the detail."""

import streamlit as st

from kneeassess.content import NO_PLAN_LEVELS, clinic
from kneeassess.ui import account, flow, results, saving
from kneeassess.ui.navigation import go_to
from kneeassess.ui.session_results import shown_assessment
from kneeassess.ui.state import TOTAL_STEPS, restart, screening
from kneeassess.ui.text import day_text

s = screening()
profile = account.current_profile()
shown = shown_assessment(s, profile)
if shown is None:
    st.title("Your results")
    st.info("You have not finished a knee check yet.", icon=":material/info:")
    st.button("Start the knee check", type="primary", on_click=go_to, args=("pages/runner/screening.py",))
    st.stop()
a, saved_at = shown

if saved_at is None:
    flow.header(TOTAL_STEPS, "Your results")
else:
    st.header("Your results")  # the same level as the knee check's "Your results" (its sections are h3)
    st.caption(f"Your latest saved knee check, from {day_text(saved_at.date())}.")
saved_profile = profile if saved_at else None  # a saved check: the profile's safety status (it may have moved on)
plan_ok = results.summary_card(a, key="results", profile=saved_profile, safety_of=saved_profile,
                               actions=lambda ok: results.next_actions(s, a, saved=saved_at is not None, plan=ok))
if saved_at is None:
    saving.saved_note(s)
if a.triage in NO_PLAN_LEVELS:
    st.caption(a.disclaimer)
    results.clinic_contact(main_action=False)
else:
    results.notes(a)
    results.weak_links(a)
    results.knee_score(a)
    results.training_load(a, clinic().colours.primary, s.unit)
    if plan_ok:
        results.phase_and_plan(a)
        results.take_away(a)
    else:
        st.info("Your exercise plan is hidden because one of your answers needs a clinician's check first. The "
                "button at the top shows general exercises if you choose to see them.", icon=":material/info:")
    results.not_judged(a)
    st.caption(a.disclaimer)
    results.clinic_contact(button=False)

if saved_at is None:
    st.divider()
    left, right = st.columns(2)
    left.button("Change my answers", width="stretch", on_click=go_to,
                args=("pages/runner/screening.py", lambda: setattr(s, "finished", False)))
    right.button("Start again", width="stretch", on_click=go_to, args=("pages/runner/screening.py", restart))
