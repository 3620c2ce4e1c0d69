"""Staff: sign in (the clinic's identity provider or the staff passcode), sign out, start a kiosk."""

import streamlit as st

from kneeassess.ui.staff_gate import sign_in_form, sign_out, signed_in
from kneeassess.ui.text import show_plain

st.title("Clinic staff")
who = signed_in()
if who is None:
    st.write("Sign in to see consultation requests and events.")
    sign_in_form()
    st.stop()

show_plain(f"Signed in as {who}.")
left, right = st.columns(2)
if left.button("Consultation requests", type="primary", width="stretch"):
    st.switch_page("pages/staff/staff_requests.py")
if right.button("Events and kiosk", width="stretch"):
    st.switch_page("pages/staff/staff_events.py")
st.divider()
if st.button("Sign out"):
    sign_out()
