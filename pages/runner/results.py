"""Step 7 of 7: the results of the screening and this week's plan."""

import streamlit as st

from kneeassess.content import clinic
from kneeassess.ui import flow, results, saving
from kneeassess.ui.navigation import go_to
from kneeassess.ui.session_results import current_assessment
from kneeassess.ui.state import TOTAL_STEPS, restart, screening

s = screening()
a = current_assessment(s)
if a is None:
    st.title("Your results")
    st.info("You have not finished a knee check yet.", icon=":material/info:")
    st.button("Start the knee check", type="primary", on_click=go_to, args=("pages/runner/screening.py",))
    st.stop()

flow.header(TOTAL_STEPS, "Your results")
results.triage_banner(a)
if a.triage == "urgent":
    results.clinic_contact()
    st.caption(a.disclaimer)
else:
    results.notes(a)
    results.weak_links(a)
    results.knee_score(a)
    results.training_load(a, clinic().colours.primary, s.unit)
    if a.triage == "see_clinician" and not s.show_plan_anyway:
        st.warning("Your exercise plan is hidden because one of your answers needs a clinician's check first.")
        st.button("I understand, show me general exercises anyway", on_click=setattr,
                  args=(s, "show_plan_anyway", True))
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
    saving.save_box(s, a)
    results.clinic_contact()

st.divider()
left, right = st.columns(2)
left.button("Change my answers", width="stretch", on_click=go_to,
            args=("pages/runner/screening.py", lambda: setattr(s, "finished", False)))
right.button("Start again", width="stretch", on_click=go_to, args=("pages/runner/screening.py", restart))
