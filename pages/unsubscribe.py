"""Stop reminder emails: one click from the email, no sign-in."""

import streamlit as st

from kneeassess.ui.app_setup import leave_legacy_pages_mode
from kneeassess.ui.reminder_ui import unsubscribe_page

leave_legacy_pages_mode()

st.title("Stop reminder emails")
unsubscribe_page()
