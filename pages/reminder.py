"""A reminder email's link: counted as opened, then the runner's own page."""

import streamlit as st

from kneeassess.ui.app_setup import leave_legacy_pages_mode
from kneeassess.ui.reminder_ui import open_reminder_page

leave_legacy_pages_mode()

st.title("Welcome back")
open_reminder_page()
