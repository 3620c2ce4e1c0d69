"""The staff console's pieces: request list with filters, a request's detail, status workflow, erase.

Everything a person typed is shown as text: in tables (st.dataframe draws text), with st.text, or escaped
before it goes into Markdown, so script, HTML and Markdown payloads show as what they are.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import Any
from urllib.parse import quote

import pandas as pd
import streamlit as st

from kneeassess import leads
from kneeassess.content import clinic
from kneeassess.models import Assessment
from kneeassess.records import Request
from kneeassess.reports.pdf import plan_pdf
from kneeassess.storage import NotFound, StorageError
from kneeassess.ui import account
from kneeassess.ui.text import show_plain


def _id(r: Request) -> int:
    """The id of a request read from the store (only a request not yet stored has none)."""
    if r.id is None:
        raise NotFound("this request is not stored")
    return r.id


def filters(events: list[str]) -> dict[str, Any]:
    cols = st.columns([1, 1, 2])
    status = cols[0].selectbox("Status", ["all", *leads.STATUSES], format_func=lambda s: "All" if s == "all"
                               else leads.STATUS_LABELS[s], key="f_status")
    event = cols[1].selectbox("Event", ["all", *events], key="f_event")
    days = cols[2].date_input("Received between", value=[], key="f_days", format="DD/MM/YYYY")
    search = st.text_input("Search name, email, phone or message", key="f_search", max_chars=100)
    since = until = None
    if isinstance(days, tuple) and len(days) == 2:
        since = datetime.combine(days[0], time.min, tzinfo=UTC)
        until = datetime.combine(days[1], time.min, tzinfo=UTC) + timedelta(days=1)
    return dict(status=None if status == "all" else status, event=None if event == "all" else event,
                since=since, until=until, search=search or None)


def requests_table(found: list[Request]) -> None:
    if not found:
        st.info("No requests match.")
        return
    st.dataframe(pd.DataFrame([{
        "#": r.id, "Received": r.created_at.astimezone().strftime("%d %b %H:%M"), "Name": r.name,
        "Email": r.email or "", "Phone": r.phone or "", "Event": r.event or "", "Status": leads.STATUS_LABELS[r.status],
        "Triage": triage_words(r),
    } for r in found]), hide_index=True, width="stretch")


TRIAGE_WORDS = {"urgent": "URGENT (today)", "see_clinician_soon": "See clinician within 2 days",
                "see_clinician": "See clinician", "self_care": "Self-care"}


def triage_words(r: Request) -> str:
    """The triage level of the attached assessment (only shared with the runner's consent)."""
    level = (r.assessment or {}).get("triage") if r.consent_assessment else None
    return TRIAGE_WORDS.get(str(level), "not shared") if level else "not shared"


def assessment_summary(result: dict[str, Any]) -> None:
    try:
        a = Assessment.model_validate(result)
    except ValueError:
        st.caption("The attached assessment could not be read.")
        return
    st.markdown(f"**Triage:** {TRIAGE_WORDS.get(a.triage, a.triage)}" + (
        f" · red flags: {', '.join(a.red_flags)}" if a.red_flags else ""))
    st.markdown(" · ".join(f"**{w.link}** {w.score}/100 ({w.level})" for w in a.weak_links))
    st.markdown(f"**Kujala:** {a.akps if a.akps is not None else 'not complete'} · **Phase:** {a.phase or '—'}")
    if a.load.weekly_km and all(v is not None for v in a.load.weekly_km):
        st.markdown(f"**Weekly km (oldest → newest):** {', '.join(f'{v:g}' for v in a.load.weekly_km)}"
                    f" · change {a.load.change_pct}% · ratio {a.load.acwr}")
    st.download_button("Clinician summary (PDF)", lambda: plan_pdf(a, clinic(), for_clinician=True),
                       "assessment-summary.pdf", mime="application/pdf", on_click="ignore", key="dl_clin")


def detail(r: Request, staff: str) -> None:
    st.subheader(f"Request #{r.id}")
    show_plain(r.name, "Name: ")
    st.caption(f"Received {r.created_at.astimezone():%d %b %Y %H:%M} · status {leads.STATUS_LABELS[r.status]}")
    if r.event:
        show_plain(r.event, "Event: ")
    if r.email:
        show_plain(r.email, "Email: ")
        st.link_button("Write an email", f"mailto:{quote(r.email, safe='@')}", key=f"mail_{r.id}")
    if r.phone:
        show_plain(r.phone, "Phone: ")
    if r.preferred_days or r.preferred_time:
        show_plain(f"{', '.join(r.preferred_days)} {r.preferred_time}".strip(), "Prefers: ")
    if r.message:
        st.markdown("**Message**")
        show_plain(r.message)
    st.caption(f"Consents: contact {'yes' if r.consent_contact else 'no'} · marketing "
               f"{'yes' if r.consent_marketing else 'no'} · assessment attached "
               f"{'yes' if r.consent_assessment else 'no'}")
    if r.assessment:
        with st.expander("Attached assessment", expanded=True):
            assessment_summary(r.assessment)
    workflow(r, staff)
    history(r)
    erase(r, staff)


def workflow(r: Request, staff: str) -> None:
    with st.form(f"status_{r.id}", clear_on_submit=True):
        nexts = [r.status, *[s for s in leads.STATUSES if s in leads.TRANSITIONS[r.status]]]
        status = st.selectbox("Status", nexts, format_func=lambda s: leads.STATUS_LABELS[s], key=f"st_{r.id}")
        note = st.text_area("Note", max_chars=leads.NOTE_MAX, key=f"note_{r.id}")
        if st.form_submit_button("Save", type="primary"):
            try:
                leads.set_status(account.store(), _id(r), status, note, staff)
            except (leads.InvalidStatus, NotFound, StorageError, ValueError) as exc:
                st.error(str(exc) or "Could not save.")
                return
            st.rerun()
    for n in reversed(r.notes):
        change = (f" · {leads.STATUS_LABELS[n.status_from]} → {leads.STATUS_LABELS[n.status_to]}"
                  if n.status_from and n.status_to else "")
        show_plain(f"{n.at.astimezone():%d %b %H:%M} · {n.staff}{change}")
        if n.text:
            show_plain(n.text)


def history(r: Request) -> None:
    with st.expander("Delivery to the clinic"):
        items = leads.delivery_history(account.store(), _id(r))
        if not items:
            st.caption("No delivery channel was configured when this request came in (it is only listed here).")
        for item in items:
            st.markdown(f"**{item.channel}**: {item.status} after {item.attempts} attempt(s)"
                        + (f", next try {item.next_attempt_at.astimezone():%H:%M}"
                           if item.status in ("pending", "sending") else "")
                        + (" — **needs attention**: not retried; contact the person directly"
                           if item.status == "failed" else ""))
            for att in item.history:
                show_plain(f"{att.at.astimezone():%d %b %H:%M:%S} · {att.outcome}"  # the error quotes the receiver
                           + (f" · HTTP {att.http_status}" if att.http_status else "")
                           + (f" · {att.error}" if att.error else ""))


def erase(r: Request, staff: str) -> None:
    with st.expander("Erase this person"):
        st.write("Deletes this request, any other request with the same email or phone, their delivery records "
                 "and the linked runner profile. An audit entry (without personal data) is kept.")
        sure = st.checkbox("I am sure: erase this person's data", key=f"erase_ok_{r.id}")
        if st.button("Erase", type="primary", disabled=not sure, key=f"erase_{r.id}"):
            try:
                counts = leads.erase_person(account.store(), _id(r), staff)
            except (NotFound, StorageError) as exc:
                st.error(f"Could not erase: {exc}")
                return
            st.session_state["console_flash"] = f"Erased: {counts}"
            st.session_state.pop("console_open", None)
            st.rerun()
