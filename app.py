"""KneeAssess entrypoint: page config and navigation, nothing else."""

import streamlit as st

from kneeassess.ui.app_setup import load_content_or_stop

clinic = load_content_or_stop()
st.set_page_config(page_title=f"Knee check · {clinic.name}", page_icon="🦵", layout="centered")

pages = [
    st.Page("pages/screening.py", title="Knee check", icon=":material/checklist:", default=True),
    st.Page("pages/results.py", title="My results", icon=":material/insights:"),
    st.Page("pages/session.py", title="Today's session", icon=":material/timer:"),
    st.Page("pages/log.py", title="Log", icon=":material/edit_note:"),
    st.Page("pages/progress.py", title="Progress", icon=":material/trending_up:"),
    st.Page("pages/exercises.py", title="Exercises", icon=":material/fitness_center:"),
    st.Page("pages/learn.py", title="Your knee", icon=":material/menu_book:"),
    st.Page("pages/profile.py", title="My profile", icon=":material/person:"),
]
st.navigation(pages, position="top").run()
