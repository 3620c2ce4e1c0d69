"""Step 7 of 7 (or the saved latest check): the answer first in one card, then the detail."""

import streamlit as st

from kneeassess.content import clinic
from kneeassess.ui import account, flow, results, saving
from kneeassess.ui.app_setup import leave_legacy_pages_mode
from kneeassess.ui.session_results import shown_assessment
from kneeassess.ui.state import TOTAL_STEPS, restart, screening
from kneeassess.ui.text import day_text

leave_legacy_pages_mode()
s = screening()
profile = account.current_profile()
shown = shown_assessment(s, profile)
if shown is None:
    st.title("Your results")
    st.info("You have not finished a knee check yet.", icon=":material/info:")
    if st.button("Start the knee check", type="primary"):
        st.switch_page("pages/screening.py")
    st.stop()
a, saved_at = shown

if saved_at is None:
    flow.header(TOTAL_STEPS, "Your results")
else:
    st.header("Your results")  # the same level as the knee check's "Your results" (its sections are h3)
    st.caption(f"Your latest saved knee check, from {day_text(saved_at.date())}.")
card = results.summary_card(a)
plan_hidden = a.triage == "see_clinician" and not s.show_plan_anyway
with card:
    if a.triage != "urgent":
        results.next_actions(s, a, saved=saved_at is not None, plan=not plan_hidden)
if saved_at is None:
    saving.saved_note(s)
if a.triage == "urgent":
    results.clinic_contact()
    st.caption(a.disclaimer)
else:
    results.notes(a)
    results.weak_links(a)
    results.knee_score(a)
    results.training_load(a, clinic().colours.primary, s.unit)
    if plan_hidden:
        st.warning("Your exercise plan is hidden because one of your answers needs a clinician's check first.")
        s.show_plan_anyway = st.button("I understand, show me general exercises anyway")
        if s.show_plan_anyway:
            st.rerun()
    else:
        if a.triage == "see_clinician":
            st.warning(
                "Reminder: see a physiotherapist or doctor about the warning sign above. These are general "
                "exercises only.",
                icon=":material/warning:",
            )
        results.phase_and_plan(a)
        results.take_away(a)
    results.not_judged(a)
    st.caption(a.disclaimer)
    results.clinic_contact(button=False)

if saved_at is None:
    st.divider()
    left, right = st.columns(2)
    if left.button("Change my answers", width="stretch"):
        s.finished = False
        st.switch_page("pages/screening.py")
    if right.button("Start again", width="stretch"):
        restart()
        st.switch_page("pages/screening.py")
