"""Log: runs, pain check-ins, exercise sessions ticked off from this week's plan, and a reassessment.

Only the open tab is drawn (``on_change="rerun"``): two years of runs and sessions are not sent for tabs that
nobody looks at."""

from datetime import date

import streamlit as st

from kneeassess.logbook import weekly_km_from_runs
from kneeassess.ui import account, importer, logforms, safety
from kneeassess.ui.navigation import go_to
from kneeassess.ui.plan_source import profile_plan
from kneeassess.ui.state import start_reassessment

st.title("Log")
profile = account.current_profile()
if profile is None:
    st.info("Save your results first (at the end of the knee check) to keep a log.", icon=":material/info:")
    st.stop()

plan_ok = safety.render_safety(profile, key="log")
today = date.today()
records = account.records(profile)
logforms.morning_prompt(profile, records.runs, records.checkins, today)

runs_tab, pain_tab, exercise_tab, reassess_tab = st.tabs(
    ["Runs", "Pain", "Exercises", "Reassess"], key="log_tab", on_change="rerun"
)
if runs_tab.open:
    with runs_tab:
        st.header("Add a run")
        logforms.run_form(profile, today)
        importer.import_section(profile, records.runs)
        st.header("Your runs")
        logforms.runs_table(profile)
        logforms.edit_run(profile, records.runs, today)

if pain_tab.open:
    with pain_tab:
        st.header("Rate your knee pain")
        logforms.checkin_form(profile, today)
        logforms.edit_checkin(profile, records.checkins, today)

if exercise_tab.open:
    with exercise_tab:
        phase, plan = profile_plan(profile, today)
        if plan and plan_ok:
            st.header("Tick off today's session")
            st.caption(f"This week's plan ({phase.phase} phase).")
            logforms.session_form(profile, today, plan)
        elif plan:
            st.info("This week's plan is shown once you confirm the warning at the top of the page.")
        else:
            st.info(phase.reason)
        logforms.sessions_table(profile)

if reassess_tab.open:
    with reassess_tab:
        st.header("Reassess")
        st.write("Repeat the knee score and the self-tests every few weeks to see what has changed. It takes the "
                 "same steps as the first check; your earlier answers are filled in where they still apply.")
        st.button("Start a reassessment", type="primary", on_click=go_to, args=(
            "pages/runner/screening.py", lambda: start_reassessment(
                records.assessments, weekly_km_from_runs(records.runs, today) if records.runs else None)))
