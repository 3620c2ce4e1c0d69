"""Book a free consultation: the request form, stored before "thank you" and forwarded to the clinic."""

import streamlit as st

from kneeassess.content import clinic
from kneeassess.ui import account, booking
from kneeassess.ui.results import contact_lines
from kneeassess.ui.session_results import current_assessment
from kneeassess.ui.state import screening

st.title("Book a free consultation")
booking.booking_form(current_assessment(screening()), account.current_profile())
if lines := contact_lines(clinic()):
    st.caption("Or contact the clinic directly:")
    st.markdown("  \n".join(lines))
