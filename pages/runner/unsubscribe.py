"""Stop reminder emails: one click from the email, no sign-in."""

import streamlit as st

from kneeassess.ui.reminder_ui import unsubscribe_page

st.title("Stop reminder emails")
unsubscribe_page()
