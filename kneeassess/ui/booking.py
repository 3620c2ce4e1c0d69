"""The free-consultation request form. Stored (with its delivery to the clinic queued) before "thank you"."""

from __future__ import annotations

import secrets as random_secrets

import streamlit as st

from kneeassess import leads
from kneeassess.content import clinic
from kneeassess.models import Assessment
from kneeassess.records import Profile, Request
from kneeassess.storage import StorageError
from kneeassess.ui import account, client, forms
from kneeassess.ui.navigation import EVENT_KEY
from kneeassess.ui.reminder_ui import reminder_optin
from kneeassess.ui.text import show_plain
from kneeassess.ui.visits import current_source

SESSION_KEY = "kneeassess_booking_session"
SENT_KEY = "kneeassess_booking_sent"
HONEYPOT = "bk_website"  # hidden from people by CSS (style.css); bots fill it in


def _session_key() -> str:
    if SESSION_KEY not in st.session_state:
        st.session_state[SESSION_KEY] = random_secrets.token_hex(16)
    key: str = st.session_state[SESSION_KEY]
    return key


FORM = "booking"  # its messages: kneeassess.ui.forms
SEND_FAILED = ("We could not send your request just now (our database is not answering). What you typed is still "
               "here: please try again.")


def _error(field: str) -> None:
    forms.show(FORM, field)


def thank_you() -> bool:
    sent = st.session_state.get(SENT_KEY)
    if not sent:
        return False
    c = clinic()
    show_plain(f"Thank you, {sent['name']}.")
    st.success(f"Your request has reached {c.name}.", icon=":material/check_circle:")
    st.write(f"Someone from the clinic will contact you by {sent['how']} to arrange your free consultation.")
    if sent.get("days"):
        show_plain(", ".join(sent["days"]) + (f", {sent['time']}" if sent["time"] else ""), "You said you prefer: ")
    if profile := account.current_profile():  # with a saved profile: a reminder can link to it
        reminder_optin(profile.id, account.link(), email=sent.get("email") or "", key="rm_book")
    st.button("Send another request", key="bk_again", on_click=st.session_state.pop, args=(SENT_KEY, None))
    return True


def booking_form(assessment: Assessment | None, profile: Profile | None, key: str = "bk") -> None:
    """Draw the form; on success the thank-you replaces it. Nothing typed is lost on an error."""
    if thank_you():
        return
    c = clinic()
    st.write(f"{c.name} offers a free consultation for people who are unsure whether physiotherapy is right for "
             "them. Leave your details and the clinic will contact you.")
    with st.form(f"{key}_form", enter_to_submit=False):
        st.text_input("Your name", max_chars=leads.NAME_MAX, key=f"{key}_name")
        _error("name")
        st.text_input("Email", max_chars=254, key=f"{key}_email", placeholder="you@example.com")
        _error("email")
        st.text_input("Phone", max_chars=30, key=f"{key}_phone", placeholder="+44 7400 123456")
        _error("phone")
        st.caption("An email address or a phone number is enough; both is fine.")
        st.pills("Days that suit you", list(leads.DAYS), selection_mode="multi", key=f"{key}_days")
        _error("preferred_days")
        st.text_input("Times that suit you", max_chars=leads.TIME_MAX, key=f"{key}_time",
                             placeholder="e.g. after 5 pm")
        _error("preferred_time")
        st.text_area("Anything you would like the clinic to know (optional)", max_chars=leads.MESSAGE_MAX,
                               key=f"{key}_message")
        _error("message")
        st.text_input("Website", key=HONEYPOT, label_visibility="collapsed", autocomplete="off")  # honeypot
        st.checkbox(f"I agree that {c.name} contacts me about this request", key=f"{key}_consent")
        _error("consent_contact")
        st.checkbox(f"I would also like news and offers from {c.name} (optional)",
                                key=f"{key}_marketing")
        if assessment is not None:
            st.checkbox("Attach my knee-check result so the physiotherapist can prepare (optional)",
                                 key=f"{key}_attach")
        _error("form")
        st.form_submit_button("Send my request", type="primary", width="stretch", on_click=_send,
                              args=(key, assessment, profile))


def _send(key: str, assessment: Assessment | None, profile: Profile | None) -> None:
    """The submit button's callback: store the request (its delivery queued) before the click's one run shows
    the thank-you; or keep the messages by the fields and what was typed."""
    state = st.session_state
    attach = bool(state.get(f"{key}_attach")) and assessment is not None
    data = dict(
        name=state.get(f"{key}_name"), email=state.get(f"{key}_email") or None,
        phone=state.get(f"{key}_phone") or None, preferred_days=state.get(f"{key}_days") or [],
        preferred_time=state.get(f"{key}_time"), message=state.get(f"{key}_message"),
        consent_contact=bool(state.get(f"{key}_consent")), consent_marketing=bool(state.get(f"{key}_marketing")),
        consent_assessment=attach, assessment=assessment.model_dump(mode="json") if attach and assessment else None,
        event=state.get(EVENT_KEY), honeypot=state.get(HONEYPOT, ""), profile_id=profile.id if profile else None,
        **current_source().utm(),
    )
    sent: list[Request] = []
    if not forms.attempt(FORM, lambda: sent.append(leads.submit_request(account.store(), data, _session_key(),
                                                                           address=client.address())),
                         failures={leads.Rejected: None, leads.RateLimited: None, StorageError: SEND_FAILED}):
        return
    request = sent[0]
    state[SENT_KEY] = {
        "name": request.name, "days": request.preferred_days, "time": request.preferred_time,
        "how": " or ".join(x for x in ("email" if request.email else "", "phone" if request.phone else "") if x),
        "email": request.email or "",
    }
