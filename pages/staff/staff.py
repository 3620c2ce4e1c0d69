"""Staff: sign in (the clinic's identity provider or the staff passcode); then what needs doing now."""

from datetime import timedelta

import streamlit as st

from kneeassess.ui import console
from kneeassess.ui.navigation import go_to
from kneeassess.ui.staff_gate import sign_in_form, sign_out, signed_in
from kneeassess.ui.text import show_plain

st.title("Clinic staff")
who = signed_in()
if who is None:
    st.write("Sign in to see consultation requests and events.")
    with st.columns([1, 1])[0]:
        sign_in_form()
    st.stop()

top = st.columns([3, 1.2, 1.2, 1.2, 1], vertical_alignment="center")
with top[0]:
    show_plain(f"Signed in as {who}.")
top[1].button("All requests", type="primary", width="stretch", icon=":material/inbox:", on_click=go_to,
              args=("pages/staff/staff_requests.py",))
top[2].button("Events and kiosk", width="stretch", icon=":material/event:", on_click=go_to,
              args=("pages/staff/staff_events.py",))
top[3].button("Growth dashboard", width="stretch", icon=":material/monitoring:", on_click=go_to,
              args=("pages/staff/dashboard.py",))
if top[4].button("Sign out", width="stretch"):
    sign_out()


@st.fragment(run_every=timedelta(seconds=15))
def live_work() -> None:
    """Redrawn every 15 s: counts and lists change as requests come in."""
    if (clicked := console.work_today()) is not None:
        console.open_request(clicked)
        st.switch_page("pages/staff/staff_requests.py")
    st.caption("Updated every 15 seconds.")


live_work()
