"""Do today's session: this week's plan, exercise by exercise, with counters and countdowns."""

import streamlit as st

from kneeassess.ui import account, guided_session, safety
from kneeassess.ui.navigation import go_to
from kneeassess.ui.plan_source import current_plan

st.title("Today's session")
profile = account.current_profile()
if not safety.safety_gate("session"):
    st.stop()
plan = current_plan(profile)
if not plan:
    st.info("Do the knee check first: your session is this week's plan from it.", icon=":material/info:")
    st.button("Start the knee check", type="primary", on_click=go_to, args=("pages/runner/screening.py",))
    st.stop()

guided_session.draw(plan, profile)
st.button("Start the session again", key="guided_restart", on_click=guided_session.restart)
