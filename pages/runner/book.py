"""Book a free consultation: the request form, stored before "thank you" and forwarded to the clinic."""

import streamlit as st

from kneeassess.content import clinic
from kneeassess.ui import account, booking
from kneeassess.ui.results import contact_lines
from kneeassess.ui.session_results import shown_assessment
from kneeassess.ui.state import screening

st.title("Book a free consultation")
profile = account.current_profile()
shown = shown_assessment(screening(), profile)  # this tab's check, else the profile's latest saved one
booking.booking_form(shown[0] if shown else None, profile)
if lines := contact_lines(clinic()):
    st.caption("Or contact the clinic directly:")
    st.markdown("  \n".join(lines))
