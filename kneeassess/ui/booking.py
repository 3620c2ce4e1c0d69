"""The free-consultation request form. Stored (with its delivery to the clinic queued) before "thank you"."""

from __future__ import annotations

import secrets as random_secrets

import streamlit as st

from kneeassess import leads
from kneeassess.content import clinic
from kneeassess.models import Assessment
from kneeassess.records import Profile
from kneeassess.storage import StorageError
from kneeassess.ui import account, client
from kneeassess.ui.navigation import EVENT_KEY
from kneeassess.ui.reminder_ui import reminder_optin
from kneeassess.ui.text import show_plain
from kneeassess.ui.visits import current_source

SESSION_KEY = "kneeassess_booking_session"
SENT_KEY = "kneeassess_booking_sent"
ERRORS_KEY = "kneeassess_booking_errors"
HONEYPOT = "bk_website"  # hidden from people by CSS (style.css); bots fill it in


def _session_key() -> str:
    if SESSION_KEY not in st.session_state:
        st.session_state[SESSION_KEY] = random_secrets.token_hex(16)
    key: str = st.session_state[SESSION_KEY]
    return key


def _error(field: str) -> None:
    if msg := st.session_state.get(ERRORS_KEY, {}).get(field):
        st.error(msg, icon=":material/error:")


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
    if st.button("Send another request", key="bk_again"):
        st.session_state.pop(SENT_KEY, None)
        st.rerun()
    return True


def booking_form(assessment: Assessment | None, profile: Profile | None, key: str = "bk") -> None:
    """Draw the form; on success the thank-you replaces it. Nothing typed is lost on an error."""
    if thank_you():
        return
    c = clinic()
    st.write(f"{c.name} offers a free consultation for people who are unsure whether physiotherapy is right for "
             "them. Leave your details and the clinic will contact you.")
    with st.form(f"{key}_form", enter_to_submit=False):
        name = st.text_input("Your name", max_chars=leads.NAME_MAX, key=f"{key}_name")
        _error("name")
        email = st.text_input("Email", max_chars=254, key=f"{key}_email", placeholder="you@example.com")
        _error("email")
        phone = st.text_input("Phone", max_chars=30, key=f"{key}_phone", placeholder="+44 7400 123456")
        _error("phone")
        st.caption("An email address or a phone number is enough; both is fine.")
        days = st.pills("Days that suit you", list(leads.DAYS), selection_mode="multi", key=f"{key}_days")
        _error("preferred_days")
        when = st.text_input("Times that suit you", max_chars=leads.TIME_MAX, key=f"{key}_time",
                             placeholder="e.g. after 5 pm")
        _error("preferred_time")
        message = st.text_area("Anything you would like the clinic to know (optional)", max_chars=leads.MESSAGE_MAX,
                               key=f"{key}_message")
        _error("message")
        st.text_input("Website", key=HONEYPOT, label_visibility="collapsed", autocomplete="off")  # honeypot
        consent = st.checkbox(f"I agree that {c.name} contacts me about this request", key=f"{key}_consent")
        _error("consent_contact")
        marketing = st.checkbox(f"I would also like news and offers from {c.name} (optional)",
                                key=f"{key}_marketing")
        attach = False
        if assessment is not None:
            attach = st.checkbox("Attach my knee-check result so the physiotherapist can prepare (optional)",
                                 key=f"{key}_attach")
        _error("form")
        sent = st.form_submit_button("Send my request", type="primary", width="stretch")
    if not sent:
        return
    data = dict(
        name=name, email=email or None, phone=phone or None, preferred_days=days or [], preferred_time=when,
        message=message, consent_contact=consent, consent_marketing=marketing, consent_assessment=attach,
        assessment=assessment.model_dump(mode="json") if attach and assessment else None,
        event=st.session_state.get(EVENT_KEY), honeypot=st.session_state.get(HONEYPOT, ""),
        profile_id=profile.id if profile else None, **current_source().utm(),
    )
    try:
        request = leads.submit_request(account.store(), data, _session_key(), address=client.address())
    except leads.LeadProblems as exc:
        st.session_state[ERRORS_KEY] = exc.problems
        st.rerun()
    except (leads.Rejected, leads.RateLimited) as exc:
        st.session_state[ERRORS_KEY] = {"form": str(exc)}
        st.rerun()
    except StorageError:
        st.session_state[ERRORS_KEY] = {"form": "We could not send your request just now (our database is not "
                                                "answering). What you typed is still here: please try again."}
        st.rerun()
    st.session_state[ERRORS_KEY] = {}
    st.session_state[SENT_KEY] = {
        "name": request.name, "days": request.preferred_days, "time": request.preferred_time,
        "how": " or ".join(x for x in ("email" if request.email else "", "phone" if request.phone else "") if x),
        "email": request.email or "",
    }
    st.rerun()
