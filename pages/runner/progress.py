"""Progress: this week's phase and plan, then pain, distance, sessions, knee score, self-tests, weak links."""

import streamlit as st

from kneeassess.ui import account, movement, progress_charts, safety

st.title("Progress")
profile = account.current_profile()
if profile is None:
    st.info("Save your results first (at the end of the knee check) to follow your progress.",
            icon=":material/info:")
    st.stop()

plan_ok = safety.render_safety(profile, key="progress")
progress_charts.this_week(profile, show_plan=plan_ok)
period = progress_charts.period_choice()
progress_charts.charts_for(profile, period)
movement.history(profile)
