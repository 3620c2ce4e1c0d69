"""A reminder email's link: counted as opened, then the runner's own page."""

import streamlit as st

from kneeassess.ui.reminder_ui import open_reminder_page

st.title("Welcome back")
open_reminder_page()
