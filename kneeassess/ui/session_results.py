"""The assessment of the current tab's answers, worked out once per set of answers."""

from __future__ import annotations

import contextlib
from datetime import datetime

import streamlit as st

from kneeassess import events
from kneeassess.answers import InvalidAnswers
from kneeassess.models import Assessment
from kneeassess.progress import latest
from kneeassess.records import Profile
from kneeassess.screening import assess
from kneeassess.storage import StorageError
from kneeassess.ui import account
from kneeassess.ui.navigation import EVENT_KEY
from kneeassess.ui.state import Screening
from kneeassess.ui.visits import current_source


def current_assessment(s: Screening) -> Assessment | None:
    if not s.finished:
        return None
    try:
        a = assess(s.answers)
    except InvalidAnswers as exc:  # cannot happen through the forms; say so plainly if it does
        st.error("Some answers need another look: " + "; ".join(exc.problems.values()))
        return None
    count_screening(s, a)
    return a


def shown_assessment(s: Screening, profile: Profile | None) -> tuple[Assessment, datetime | None] | None:
    """The check to show: this tab's finished one, else the open profile's latest saved one (with when it was
    saved), else None."""
    a = current_assessment(s)
    if a is not None:
        return a, None
    if profile is None:
        return None
    found = latest(account.records(profile).assessments)
    if found is None:
        return None
    return found[1], found[0].created_at


def count_screening(s: Screening, a: Assessment) -> None:
    """Count a finished screening once for the clinic's event figures (no answers, nothing personal)."""
    if s.counted_id is not None:
        return
    top = a.weak_links[0] if a.weak_links and a.weak_links[0].level != "unlikely" else None
    with contextlib.suppress(StorageError):  # on failure the figures miss one screening; the result is unaffected
        s.counted_id = events.record_screening(
            account.store(), triage=a.triage, top_weak_link=top.link if top else None,
            event=st.session_state.get(EVENT_KEY), source=current_source()).id

