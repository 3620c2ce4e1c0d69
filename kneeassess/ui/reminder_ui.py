"""Follow-up reminders on screen: the runner's opt-in (after saving results or booking), the reminder's "open my
page" link and the one-click unsubscribe page (no sign-in: the signed token in the address is enough)."""

from __future__ import annotations

import streamlit as st

from kneeassess import reminders
from kneeassess.storage import StorageError
from kneeassess.storage.sql import SqlStore
from kneeassess.ui import account

DONE_KEY = "kneeassess_reminders_set"


def _ask(key: str, profile_id: str | None, home_link: str) -> None:
    """The opt-in form's callback: each ticked kind of reminder recorded with its consent."""
    email = st.session_state.get(f"{key}_email") or ""
    kinds = [k for k in reminders.KINDS if st.session_state.get(f"{key}_{k}")]
    if not kinds:
        st.session_state[f"{key}_error"] = "Tick at least one kind of reminder."
        return
    store = account.store()
    if not isinstance(store, SqlStore):
        return
    try:
        for kind in kinds:
            reminders.ask_for_reminder(store, email=email, kind=kind, home_link=home_link, profile_id=profile_id)
    except reminders.ReminderProblem as exc:
        st.session_state[f"{key}_error"] = str(exc)
        return
    except StorageError:
        st.session_state[f"{key}_error"] = "We could not save this just now. Please try again."
        return
    st.session_state.pop(f"{key}_error", None)
    st.session_state[DONE_KEY] = [reminders.KINDS[k] for k in kinds]


def reminder_optin(profile_id: str | None, home_link: str | None, *, email: str = "", key: str = "rm") -> None:
    """Offer reminders by email (opt-in; nothing is ticked for the runner)."""
    if not home_link:
        return
    if done := st.session_state.get(DONE_KEY):
        st.success(f"We will email you {' and '.join(done)}. Every email has a link to stop them.",
                   icon=":material/notifications_active:")
        return
    with st.expander("Email me a reminder (optional)", icon=":material/notifications:"), st.form(f"{key}_form"):
        st.text_input("Email", value=email, max_chars=254, key=f"{key}_email", placeholder="you@example.com")
        st.checkbox("Remind me to re-check my knee in four weeks", key=f"{key}_recheck")
        st.checkbox("Send me a weekly nudge for my exercise plan", key=f"{key}_weekly_plan")
        st.caption("The emails link to your page and never mention your knee or your results. Stop them with one "
                   "click at any time.")
        st.form_submit_button("Remind me", on_click=_ask, args=(key, profile_id, home_link))
    if error := st.session_state.get(f"{key}_error"):
        st.error(error)


def open_reminder_page() -> None:
    store = account.store()
    token = st.query_params.get("t") or ""
    try:
        home = reminders.open_link(store, token) if isinstance(store, SqlStore) else None
    except (reminders.BadLink, StorageError) as exc:
        st.error(str(exc) if isinstance(exc, reminders.BadLink) else "Please try again in a moment.")
        return
    if home:
        st.write("Your page, with your results, plan and log:")
        st.link_button("Open my page", home, type="primary", icon=":material/open_in_new:")


def unsubscribe_page() -> None:
    store = account.store()
    token = st.query_params.get("t") or ""
    try:
        if isinstance(store, SqlStore):
            reminders.unsubscribe(store, token)
    except reminders.BadLink as exc:
        st.error(str(exc))
        return
    except StorageError:
        st.error("We could not record this just now. Please open the link again in a moment.")
        return
    st.success("Done: you will get no more reminders from us at this address.", icon=":material/check_circle:")
    st.caption("Changed your mind? Ask for reminders again after your next knee check.")
