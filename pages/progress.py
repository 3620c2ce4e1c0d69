"""Progress: this week's phase and plan, then pain, distance, sessions, knee score, self-tests, weak links."""

from datetime import date

import streamlit as st

from kneeassess.content import catalogue, clinic
from kneeassess.progress import current_phase, this_weeks_plan
from kneeassess.records import CheckIn, ExerciseSession, Run, SavedAssessment
from kneeassess.ui import account, progress_charts
from kneeassess.ui.app_setup import leave_legacy_pages_mode
from kneeassess.ui.results import plan_item

leave_legacy_pages_mode()
st.title("Progress")
profile = account.current_profile()
if profile is None:
    st.info("Save your results first (at the end of the knee check) to follow your progress.",
            icon=":material/info:")
    st.stop()

store, today, primary = account.store(), date.today(), clinic().colours.primary
assessments = store.list(SavedAssessment, profile.id)
checkins = store.list(CheckIn, profile.id)
runs = store.list(Run, profile.id)
phase = current_phase(assessments, checkins, today)

if phase.phase:
    info = catalogue().phases[phase.phase]
    st.subheader(f"This week: {info.title}")
    st.write(phase.reason)
    with st.expander(f"This week's plan ({catalogue().sessions_per_week} sessions)"):
        for item in this_weeks_plan(assessments, phase):
            plan_item(item)
else:
    st.info(phase.reason)

progress_charts.pain(checkins)
progress_charts.distance(runs, today, profile.unit, primary)
progress_charts.sessions(store.list(ExerciseSession, profile.id), catalogue().sessions_per_week, today, primary)
progress_charts.kujala(assessments)
progress_charts.self_tests(assessments)
progress_charts.links(assessments)
