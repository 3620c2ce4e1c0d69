"""Staff: sign in (the clinic's identity provider or the staff passcode); then what needs doing now."""

from datetime import timedelta

import streamlit as st

from kneeassess.ui import console
from kneeassess.ui.app_setup import leave_legacy_pages_mode
from kneeassess.ui.staff_gate import sign_in_form, sign_out, signed_in

leave_legacy_pages_mode()

st.title("Clinic staff")
who = signed_in()
if who is None:
    st.write("Sign in to see consultation requests and events.")
    with st.columns([1, 1])[0]:
        sign_in_form()
    st.stop()

st.success(f"Signed in as {who}.")


@st.fragment(run_every=timedelta(seconds=15))
def live_work() -> None:
    """Redrawn every 15 s: counts and lists change as requests come in."""
    if (clicked := console.work_today()) is not None:
        console.open_request(clicked)
        st.switch_page("pages/staff_requests.py")
    st.caption("Updated every 15 seconds.")


live_work()
st.divider()
left, middle, right, out = st.columns(4)
if left.button("All requests", type="primary", width="stretch"):
    st.switch_page("pages/staff_requests.py")
if middle.button("Events and kiosk", width="stretch"):
    st.switch_page("pages/staff_events.py")
if right.button("Growth dashboard", width="stretch"):
    st.switch_page("pages/staff/dashboard.py")
if out.button("Sign out", width="stretch"):
    sign_out()
