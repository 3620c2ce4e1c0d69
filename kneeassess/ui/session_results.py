"""The assessment of the current tab's answers, worked out once per set of answers."""

from __future__ import annotations

import streamlit as st

from kneeassess.answers import InvalidAnswers
from kneeassess.models import Assessment
from kneeassess.screening import assess
from kneeassess.ui.state import Screening


def current_assessment(s: Screening) -> Assessment | None:
    if not s.finished:
        return None
    try:
        return assess(s.answers)
    except InvalidAnswers as exc:  # cannot happen through the forms; say so plainly if it does
        st.error("Some answers need another look: " + "; ".join(p.message_for_people() for p in exc.problems))
        return None
