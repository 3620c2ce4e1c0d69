"""The ONE place the safety advice is drawn: ``render_safety`` (brief §2, §10).

Every page that shows a plan or a session calls it first (results, today's session, log, progress, exercises,
kiosk). It draws the triage advice of ``data/safety.yaml`` (title, what to do, by when, tap-to-call buttons for the
region's numbers and the clinic's phone), the flags with the answers that raised them, and, for an unresolved
``see_clinician`` flag, the standing warning with the "I understand, show me general exercises anyway"
confirmation. It returns whether a plan may be shown on this page.

    if not render_safety(current_status(), key="log"):
        ...  # no plan here
"""

from __future__ import annotations

from datetime import date

import streamlit as st

from kneeassess import profiles
from kneeassess.content import Triage, clinic
from kneeassess.models import Assessment, RedFlag, TriageAdvice
from kneeassess.records import Profile
from kneeassess.safety import NO_FLAG, SafetyStatus, safety_status, status_of_assessment
from kneeassess.screening.advice import triage_advice
from kneeassess.screening.triage import flag_label
from kneeassess.storage import NotFound, StorageError
from kneeassess.ui import forms

CONFIRM_LABEL = "I understand, show me general exercises anyway"
CONFIRMED_KEY = "safety_confirmed"  # session state: the keys of the flags this tab confirmed
ICONS = {"urgent": ":material/emergency:", "see_clinician_soon": ":material/medical_services:",
         "see_clinician": ":material/warning:", "self_care": ":material/check_circle:"}


def current_status() -> SafetyStatus:
    """The safety status of what this tab shows: the open profile's, else the finished screening's, else none."""
    from kneeassess.ui import account
    from kneeassess.ui.session_results import current_assessment
    from kneeassess.ui.state import screening

    profile = account.current_profile()
    if profile is not None:
        return safety_status(profile)
    a = current_assessment(screening())
    return NO_FLAG if a is None else status_of_assessment(a)


def confirmed(status: SafetyStatus) -> bool:
    return status.key in st.session_state.get(CONFIRMED_KEY, set())


def _confirm(status_key: str) -> None:
    st.session_state[CONFIRMED_KEY] = st.session_state.get(CONFIRMED_KEY, set()) | {status_key}


def call_buttons(advice: TriageAdvice, *, key: str, large: bool) -> None:
    """Tap-to-call buttons (``tel:`` links), in the data file's order: the region's numbers, then the clinic."""
    if not advice.call:
        return
    with st.container(key=f"safety_calls_{key}" + ("_large" if large else "")):
        for i, c in enumerate(advice.call):
            st.link_button(f"Call {c.label}", f"tel:{c.tel}", type="primary" if (large and i == 0) else "secondary",
                           icon=":material/call:", width="stretch")


def _advice_box(advice: TriageAdvice, *, title: bool = True) -> None:
    text = (f"**{advice.title}**\n\n" if title else "") + f"{advice.what_to_do}\n\n**By when:** {advice.by_when}"
    level = advice.level
    if level in ("urgent", "see_clinician_soon"):
        st.error(text, icon=ICONS[level])
    elif level == "see_clinician":
        st.warning(text, icon=ICONS[level])
    else:
        st.success(text, icon=ICONS[level])


def _why(flags: list[RedFlag] | None, status: SafetyStatus) -> None:
    if flags is not None:
        if flags:
            st.markdown("**Why:**")
        for f in flags:
            st.markdown(f"- {f.text}." + (f" {f.advice}" if f.advice else ""))
            if f.id.startswith("xf_"):  # raised by an answer outside the safety check: name it
                for words in f.raised_by:
                    st.caption(f"Your answer: {words}")
    elif status.flags:
        st.markdown("**Why:** " + "; ".join(flag_label(f) for f in status.flags) + ".")


def _clinician_check(profile: Profile, status: SafetyStatus, key: str) -> None:
    with st.expander("A clinician has checked my knee"):
        st.write("Record the day a physiotherapist or doctor examined your knee. Follow their advice; the app then "
                 "lets your plan progress again. The date is kept in your data.")
        st.date_input("Day of the check", value=date.today(), max_value=date.today(), key=f"{key}_ccheck_day",
                      format="DD/MM/YYYY")
        st.button("Record the clinician's check", key=f"{key}_ccheck", on_click=_record_check, args=(profile, key))
        forms.show(f"{key}_ccheck", forms.FORM)


def _record_check(profile: Profile, key: str) -> None:
    """The button's callback: recorded before the click's one run shows the plan progressing again."""
    from kneeassess.ui import account

    form = f"{key}_ccheck"
    try:
        profiles.record_clinician_check(account.store(), profile, st.session_state[f"{key}_ccheck_day"])
    except (StorageError, NotFound):
        forms.report(form, {forms.FORM: "We could not save that right now. Nothing was changed; please try again."})
        return
    except ValueError as exc:
        forms.report(form, {forms.FORM: str(exc).capitalize() + "."})
        return
    forms.clear(form)


def render_safety(
    subject: Assessment | Profile | SafetyStatus | Triage | None, *, key: str, show_ok: bool = False,
    profile: Profile | None = None,
) -> bool:
    """Draw the safety advice for ``subject`` (an assessment, a saved profile, a status or a triage level) and
    return whether a plan may be shown on this page.

    ``urgent`` / ``see_clinician_soon``: the advice with tap-to-call buttons first; never a plan (False).
    ``see_clinician``, unresolved: the standing warning; a plan only after the confirmation (True once given).
    ``self_care`` (or a resolved flag): True; the advice box is drawn only with ``show_ok`` (the results page).
    ``profile``: the open profile, which can record "a clinician has checked my knee".
    """
    flags: list[RedFlag] | None = None
    if isinstance(subject, Assessment):
        status, flags = status_of_assessment(subject), subject.red_flag_details
    elif isinstance(subject, Profile):
        status, profile = safety_status(subject), profile or subject
    elif isinstance(subject, str):
        status = SafetyStatus(subject)
    else:
        status = subject or NO_FLAG
    advice = triage_advice(status.level)
    if status.blocks_plan:
        st.markdown(f"## {advice.title}")
        call_buttons(advice, key=key, large=True)
        _advice_box(advice, title=False)  # the title is the heading above
        _why(flags, status)
        if not clinic().phone:
            st.caption(f"{clinic().name}'s phone number is not configured in this app.")
        return False
    if status.level == "see_clinician" and status.resolved:
        st.info(f"You recorded that a clinician checked your knee on {status.clinician_checked_on:%d %b %Y}. Follow "
                "their advice; if anything new worries you, take the knee check again.", icon=":material/verified:")
        return True
    if status.needs_confirmation:
        _advice_box(advice)
        _why(flags, status)
        call_buttons(advice, key=key, large=False)
        if profile is not None:
            _clinician_check(profile, status, key)
        if not confirmed(status):
            st.button(CONFIRM_LABEL, key=f"{key}_confirm", on_click=_confirm, args=(status.key,))
            return False
        st.warning("General exercises only, shown at your request. Stop any exercise that makes your knee lock, give "
                   "way or your kneecap slip.", icon=ICONS["see_clinician"])
        return True
    if show_ok:
        _advice_box(advice)
    return True


def safety_gate(key: str) -> bool:
    """``render_safety`` for what this tab shows (the open profile, else the finished screening): the pages of the
    plan and the session call this first. Returns whether the plan may be shown."""
    from kneeassess.ui import account
    from kneeassess.ui.session_results import current_assessment
    from kneeassess.ui.state import screening

    profile = account.current_profile()
    if profile is not None:
        return render_safety(profile, key=key)
    a = current_assessment(screening())
    return render_safety(a, key=key) if a is not None else True
