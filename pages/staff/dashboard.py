"""Staff: the growth dashboard — where runners come from and how far they get. Counts only, no personal data."""

import streamlit as st

from kneeassess.ui import dashboard
from kneeassess.ui.staff_gate import require_staff

require_staff()

st.title("Growth dashboard")
st.caption("Counts only: nobody is named. Visits are first pages of a browser session; sources come from the "
           "links' ?event= and utm_source / utm_medium / utm_campaign. Requests count by the day they came in.")
first, last = dashboard.chosen_range()
by = dashboard.group_by()
data = dashboard.data(first, last)

dashboard.funnel(data, by)
left, right = st.columns(2, gap="large")
with left:
    dashboard.trend(data)
    dashboard.bars(dashboard.growth.triage_mix(data), "Triage", "Triage levels of finished checks", "triage-mix",
                   "dash_triage", "#8e5ea2")
with right:
    dashboard.first_contact(data)
    dashboard.bars(dashboard.growth.top_weak_links(data), "Weak link", "Most likely weak link", "weak-links",
                   "dash_links", "#d9822b")
dashboard.reminder_figures(first, last)
