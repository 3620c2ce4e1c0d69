"""The screening: six steps of questions, one form each; step 7 is the results page."""

import streamlit as st

from kneeassess.content import clinic
from kneeassess.ui import flow
from kneeassess.ui.state import screening

s = screening()
if s.step == 0:
    st.title("Runner's knee check")
    st.write(
        f"Five to eight minutes of questions and simple self-tests from {clinic().name}. You will see whether "
        "it is safe to manage on your own, which weak link most likely drives your knee pain, and what to do "
        "this week."
    )
    st.caption("This is a self-screening, not a diagnosis. Your answers stay in this browser tab.")
flow.draw_step(s)
