"""The quick check on the runner's site: the kiosk's three short screens, the result, save it, finish later."""

import streamlit as st

from kneeassess.content import NO_PLAN_LEVELS
from kneeassess.ui import quick_check, results

q = quick_check.state()
if q.screen == "safety":
    st.title("Quick knee check")
    st.write("Two minutes: the safety check, your knee, and one squat test. The full check adds the rest later.")
if quick_check.questions(q):
    st.stop()

a = quick_check.assessment(q)
if a is None:
    st.stop()
quick_check.header(q)
plan_ok = quick_check.reading(q, a, key="quick")
if a.triage not in NO_PLAN_LEVELS:
    quick_check.save_box(q, a)
    quick_check.plan_or_invitation(q, a, plan_ok)
st.caption(a.disclaimer)
results.clinic_contact(key="quick_book", main_action=a.triage not in NO_PLAN_LEVELS)
st.button("Start again", width="stretch", key="quick_again", on_click=quick_check.clear)
