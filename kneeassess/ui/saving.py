"""Saving results to a private profile, and showing its link with a QR code and a copy button."""

from __future__ import annotations

import streamlit as st

from kneeassess import profiles
from kneeassess.models import Assessment
from kneeassess.records import AssessmentKind, SavedAssessment
from kneeassess.storage import StorageError
from kneeassess.ui import account
from kneeassess.ui.navigation import EVENT_KEY
from kneeassess.ui.reminder_ui import reminder_optin
from kneeassess.ui.state import Screening


def link_card(link: str) -> None:
    st.markdown("**Your private link.** Anyone with it can open your profile, so keep it to yourself.")
    st.code(link, language=None, wrap_lines=True)  # the code block has a copy button
    st.image(profiles.qr_png(link), caption="Scan with your phone's camera to open it there", width=240)


def save_box(s: Screening, a: Assessment) -> None:
    st.subheader("Keep your results")
    profile = account.current_profile()
    if s.saved:
        st.success("Saved to your profile.", icon=":material/check_circle:")
        if s.new_link:
            link_card(s.new_link)
        if saved := account.current_profile():
            reminder_optin(saved.id, account.link(), key="rm_save")
        if st.button("Go to my log", key="go_log"):
            st.switch_page("pages/runner/log.py")
        return
    if profile is None:
        st.write("Save your results to come back next week, log your runs and pain, and see whether it is working. "
                 "No password: you get a private link.")
        label = "Save my results"
    else:
        st.write("Add this check to your profile, next to your earlier ones.")
        label = "Save to my profile"
    if st.button(label, type="primary", key="save_results", width="stretch"):
        try:
            kind: AssessmentKind = "screening"
            if profile is not None and account.store().list_records(SavedAssessment, profile.id):
                kind = "reassessment"
            _, token = profiles.save_results(
                account.store(), s.answers, a, unit=s.unit, profile=profile, kind=kind,
                event=st.session_state.get(EVENT_KEY), screening_id=s.counted_id,
            )
        except StorageError:
            st.error("Saving failed: we could not reach the database. Your answers are still here; please try again.")
            return
        if token:
            account.remember(token)
            s.new_link = account.link()
        s.saved = True
        st.rerun()
