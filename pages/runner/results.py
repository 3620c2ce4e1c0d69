"""Step 7 of 7: the results of the screening and this week's plan."""

import streamlit as st

from kneeassess.content import NO_PLAN_LEVELS, clinic
from kneeassess.ui import flow, results, safety, saving
from kneeassess.ui.session_results import current_assessment
from kneeassess.ui.state import TOTAL_STEPS, restart, screening

s = screening()
a = current_assessment(s)
if a is None:
    st.title("Your results")
    st.info("You have not finished a knee check yet.", icon=":material/info:")
    if st.button("Start the knee check", type="primary"):
        st.switch_page("pages/runner/screening.py")
    st.stop()

flow.header(TOTAL_STEPS, "Your results")
plan_ok = safety.render_safety(a, key="results", show_ok=True)
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
    saving.save_box(s, a)
    results.clinic_contact()

st.divider()
left, right = st.columns(2)
if left.button("Change my answers", width="stretch"):
    s.finished = False
    st.switch_page("pages/runner/screening.py")
if right.button("Start again", width="stretch"):
    restart()
    st.switch_page("pages/runner/screening.py")
