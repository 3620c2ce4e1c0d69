"""Log: runs, pain check-ins, exercise sessions ticked off from this week's plan, and a reassessment."""

from datetime import date

import streamlit as st

from kneeassess.content import catalogue
from kneeassess.logbook import weekly_km_from_runs
from kneeassess.progress import current_phase, this_weeks_plan
from kneeassess.records import CheckIn, ExerciseSession, Run, SavedAssessment
from kneeassess.ui import account, importer, logforms
from kneeassess.ui.app_setup import leave_legacy_pages_mode
from kneeassess.ui.state import start_reassessment

leave_legacy_pages_mode()
st.title("Log")
profile = account.current_profile()
if profile is None:
    st.info("Save your results first (at the end of the knee check) to keep a log.", icon=":material/info:")
    st.stop()

store, today = account.store(), date.today()
runs, checkins = store.list(Run, profile.id), store.list(CheckIn, profile.id)
logforms.morning_prompt(profile, runs, checkins, today)

runs_tab, pain_tab, exercise_tab, reassess_tab = st.tabs(["Runs", "Pain", "Exercises", "Reassess"])
with runs_tab:
    st.subheader("Add a run")
    logforms.run_form(profile, today)
    importer.import_section(profile, runs)
    st.subheader("Your runs")
    logforms.runs_table(runs, profile.unit)
    if runs:
        by_id = {r.id: r for r in reversed(runs)}
        chosen = st.selectbox("Edit or delete a run", list(by_id), index=None, placeholder="Choose a run",
                              format_func=lambda i: logforms.run_label(by_id[i], profile.unit), key="edit_run")
        if chosen in by_id:
            logforms.run_form(profile, today, by_id[chosen])

with pain_tab:
    st.subheader("Rate your knee pain")
    logforms.checkin_form(profile, today)
    if checkins:
        by_id = {c.id: c for c in reversed(checkins)}
        chosen = st.selectbox("Edit or delete a rating", list(by_id), index=None, placeholder="Choose a day",
                              format_func=lambda i: logforms.checkin_label(by_id[i]), key="edit_checkin")
        if chosen in by_id:
            logforms.checkin_form(profile, today, by_id[chosen])

with exercise_tab:
    assessments = store.list(SavedAssessment, profile.id)
    phase = current_phase(assessments, checkins, today)
    plan = this_weeks_plan(assessments, phase)
    if plan:
        st.subheader("Tick off today's session")
        st.caption(f"This week's plan ({phase.phase} phase).")
        logforms.session_form(profile, today, plan)
    else:
        st.info(phase.reason)
    logforms.sessions_table(store.list(ExerciseSession, profile.id), {e.id: e.name for e in catalogue().exercises})

with reassess_tab:
    st.subheader("Reassess")
    st.write("Repeat the knee score and the self-tests every few weeks to see what has changed. It takes the same "
             "steps as the first check; your earlier answers are filled in where they still apply.")
    if st.button("Start a reassessment", type="primary"):
        start_reassessment(store.list(SavedAssessment, profile.id), weekly_km_from_runs(runs, today) if runs else None)
        st.switch_page("pages/screening.py")
