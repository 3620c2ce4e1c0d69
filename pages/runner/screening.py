"""The screening: six steps of questions, one form each; step 7 is the results page."""

import streamlit as st

from kneeassess.content import clinic
from kneeassess.ui import account, flow, quick_check
from kneeassess.ui.navigation import go_to
from kneeassess.ui.state import screening

s = screening()
if s.step == 0:
    st.title("Runner's knee check")
    if not s.answers and st.query_params.get("p"):
        quick_check.finish_offer(account.current_profile())  # a quick check from an event stand: finish it here
    st.write(
        f"Five to eight minutes of questions and simple self-tests from {clinic().name}. You will see whether "
        "it is safe to manage on your own, which weak link most likely drives your knee pain, and what to do "
        "this week."
    )
    if not s.answers:
        st.button("In a hurry? The 2-minute quick check", icon=":material/bolt:", key="go_quick_check",
                  on_click=go_to, args=("pages/runner/quick_check.py",))
    st.caption("This is a self-screening, not a diagnosis. Your answers stay in this browser tab.")
flow.draw_step(s)
