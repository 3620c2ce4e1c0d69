"""Home: the runner's own page, opened by the private link (a first-time visitor's home is the knee check)."""

from datetime import date

import streamlit as st

from kneeassess.ui import account, home

profile = account.current_profile()
if profile is None:
    st.switch_page("pages/runner/screening.py")
home.draw(profile, date.today())
