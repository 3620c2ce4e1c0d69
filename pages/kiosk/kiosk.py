"""Kiosk mode: welcome → the screening → the result → take it home / book → finish (cleared for the next)."""

import streamlit as st

from kneeassess.content import NO_PLAN_LEVELS
from kneeassess.ui import flow, kiosk, results, safety
from kneeassess.ui.session_results import current_assessment
from kneeassess.ui.staff_gate import verify_passcode
from kneeassess.ui.state import TOTAL_STEPS, screening

kiosk.inactivity_guard()
if not kiosk.welcome():
    kiosk.leave_kiosk(verify_passcode)
    st.stop()

s = screening()
a = current_assessment(s)
if a is None:
    flow.draw_step(s, results_page=None)
    st.stop()

flow.header(TOTAL_STEPS, "Your result")
plan_ok = safety.render_safety(a, key="kiosk", show_ok=True)
if a.triage not in NO_PLAN_LEVELS:
    kiosk.take_home(s, a)
    results.weak_links(a)
    if a.plan and plan_ok:
        st.subheader("This week's exercises")
        for item in a.plan:
            st.markdown(f"- **{item.name}**: {item.dose}")
st.caption(a.disclaimer)
results.clinic_contact(key="kiosk_book", main_action=a.triage not in NO_PLAN_LEVELS)
kiosk.finish_button()
