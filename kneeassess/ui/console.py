"""The staff console's pieces: request list with filters, a request's detail, status workflow, erase.

Everything a person typed is shown as text: in tables (st.dataframe draws text), with st.text, or escaped
before it goes into Markdown, so script, HTML and Markdown payloads show as what they are.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta, tzinfo
from typing import Any, Literal, cast
from urllib.parse import quote
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import pandas as pd
import streamlit as st

from kneeassess import leads
from kneeassess.content import clinic
from kneeassess.models import Assessment
from kneeassess.records import Request
from kneeassess.reports.pdf import plan_pdf
from kneeassess.storage import LeadStore, NotFound, StorageError
from kneeassess.ui import account, forms
from kneeassess.ui.downloads import staff_download
from kneeassess.ui.text import show_plain


def _id(r: Request) -> int:
    """The id of a request read from the store (only a request not yet stored has none)."""
    if r.id is None:
        raise NotFound("this request is not stored")
    return r.id


def filters(events: list[str]) -> dict[str, Any]:
    cols = st.columns([1, 1, 1.4])
    status = cols[0].selectbox("Status", ["all", *leads.STATUSES], format_func=lambda s: "All" if s == "all"
                               else leads.STATUS_LABELS[s], key="f_status")
    event = cols[1].selectbox("Event", ["all", *events], key="f_event",
                              format_func=lambda e: "All" if e == "all" else e)
    days = cols[2].date_input("Received between", value=[], key="f_days", format="DD/MM/YYYY")
    search = st.text_input("Search name, email, phone or message", key="f_search", max_chars=100)
    since = until = None
    if isinstance(days, tuple) and len(days) == 2:
        since = datetime.combine(days[0], time.min, tzinfo=UTC)
        until = datetime.combine(days[1], time.min, tzinfo=UTC) + timedelta(days=1)
    return dict(status=None if status == "all" else status, event=None if event == "all" else event,
                since=since, until=until, search=search or None)


def _lead_store() -> LeadStore:
    return cast(LeadStore, account.store())  # the one store implements both interfaces


def local_tz() -> tzinfo:
    """The staff member's time zone (their browser's), for times on screen and in the export."""
    try:
        return ZoneInfo(st.context.timezone or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return UTC


def _when(at: datetime) -> str:
    return f"{at.astimezone(local_tz()):%a %d %b %H:%M}"


def request_rows(found: list[Request]) -> pd.DataFrame:
    return pd.DataFrame([{
        "Received": _when(r.created_at), "Name": r.name, "Email": r.email or "", "Phone": r.phone or "",
        "Event": r.event or "", "Source": r.utm_source or "", "Status": leads.STATUS_LABELS[r.status],
        "Triage": triage_words(r),
    } for r in found])


def clickable_requests(found: list[Request], key: str, height: int | Literal["auto"] = "auto",
                       empty: str = "None right now.") -> int | None:
    """The requests as a table; click a row to open it. Returns the id of the request just clicked, else None.

    A click selects a row *position* in the table the staff member saw: it is mapped to a request with the ids
    of that table (kept from the run that drew it), not with the list read now (a request that came in between
    would shift the rows). After a click the table is drawn afresh (a new key), so no stale selection stays."""
    if not found:
        st.caption(empty) if empty == "None right now." else st.info(empty)
        return None
    generation = st.session_state.get(f"{key}_gen", 0)
    shown = st.session_state.get(f"{key}_ids", [])
    event = st.dataframe(request_rows(found), hide_index=True, width="stretch", height=height, on_select="rerun",
                         selection_mode="single-row", key=f"{key}_{generation}")
    st.session_state[f"{key}_ids"] = [r.id for r in found]
    rows = event.selection.rows if event is not None else []
    if rows and rows[0] < len(shown):
        st.session_state[f"{key}_gen"] = generation + 1
        return int(shown[rows[0]])
    return None


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
    staff_download("Clinician summary (PDF)", lambda: plan_pdf(a, clinic(), for_clinician=True),
                   "assessment-summary.pdf", mime="application/pdf", key="dl_clin")


OPEN_KEY = "console_open"
FLASH_KEY = "console_flash"


def open_request(request_id: int) -> None:
    st.session_state[OPEN_KEY] = request_id


def detail(r: Request, staff: str) -> None:
    top = st.columns([4, 1], vertical_alignment="center")
    top[0].subheader(f"Request #{r.id}")
    top[1].button("Close", key=f"close_{r.id}", icon=":material/close:", width="stretch",
                  on_click=lambda: st.session_state.pop(OPEN_KEY, None))
    show_plain(r.name, "Name: ")
    st.markdown(f"**{leads.STATUS_LABELS[r.status]}**"
                + (f" ({leads.NOT_BOOKED_REASONS.get(r.not_booked_reason or '', '')})" if r.not_booked_reason
                   and r.status == "not_booked" else "")
                + f" · received {_when(r.created_at)}")
    source = " · ".join(x for x in (r.event and f"event {r.event}", r.utm_source and f"from {r.utm_source}",
                                    r.utm_campaign and f"campaign {r.utm_campaign}") if x)
    if source:
        show_plain(source, "Source: ")
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
    if r.assessment and r.consent_assessment:
        with st.container(border=True):
            st.markdown("**The runner's knee check** (attached with their consent)")
            assessment_summary(r.assessment)
    workflow(r, staff)
    timeline(r)
    history(r)
    erase(r, staff)


def _save_status(request_id: int, staff: str) -> None:
    """The status form's callback: runs before the rerun that redraws the request."""
    key = f"status_{request_id}"
    status = str(st.session_state.get(f"{key}_to") or "")
    reason = st.session_state.get(f"{key}_reason")
    note = st.session_state.get(f"{key}_note") or ""
    try:
        leads.set_status(_lead_store(), request_id, status, note, staff,
                         reason=reason if status == "not_booked" else None)
    except (leads.InvalidStatus, NotFound, StorageError, ValueError) as exc:
        st.session_state[f"{key}_error"] = str(exc) or "Could not save."
        return
    st.session_state.pop(f"{key}_error", None)
    st.session_state[f"{key}_note"] = ""
    st.session_state[FLASH_KEY] = f"Request #{request_id}: saved ({leads.STATUS_LABELS.get(status, status)})."


def workflow(r: Request, staff: str) -> None:
    """Status and note in one form, all by keyboard: Tab to the status, arrow keys to choose, Tab to the note,
    Ctrl+Enter (⌘+Enter) to save."""
    key = f"status_{r.id}"
    with st.form(key, border=True, enter_to_submit=True):
        nexts = [r.status, *[s for s in leads.STATUSES if s in leads.TRANSITIONS[r.status]]]
        st.radio("Status", nexts, format_func=lambda s: leads.STATUS_LABELS[s]
                 + (" (now)" if s == r.status else ""), key=f"{key}_to", horizontal=True)
        if "not_booked" in nexts:
            st.selectbox("If not booked: why", list(leads.NOT_BOOKED_REASONS), index=None,
                         format_func=lambda k: leads.NOT_BOOKED_REASONS[k], key=f"{key}_reason",
                         placeholder="Choose a reason")
        st.text_area("Note (optional)", max_chars=leads.NOTE_MAX, key=f"{key}_note", height=80)
        st.form_submit_button("Save", type="primary", on_click=_save_status, args=(r.id, staff),
                              help="Ctrl+Enter in the note saves too")
    if error := st.session_state.get(f"{key}_error"):
        st.error(error)
    for n in reversed(r.notes):
        change = (f" · {leads.STATUS_LABELS.get(n.status_from or '', n.status_from)} → "
                  f"{leads.STATUS_LABELS.get(n.status_to, n.status_to)}") if n.status_to else ""
        show_plain(f"{_when(n.at)} · {n.staff}{change}")
        if n.text:
            show_plain(n.text)


def timeline(r: Request) -> None:
    steps = leads.status_history(_lead_store(), r.id) if r.id is not None else []
    if steps:
        st.caption("Status history: " + " → ".join(
            f"{leads.STATUS_LABELS.get(s.status_to, s.status_to)} {_when(s.at)}" for s in steps))


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
        st.button("Erase", type="primary", disabled=not sure, key=f"erase_{r.id}", on_click=_erase,
                  args=(r.id, staff))
        forms.show(f"erase_{r.id}", forms.FORM)


def _erase(request_id: int, staff: str) -> None:
    try:
        counts = leads.erase_person(account.store(), request_id, staff)
    except (NotFound, StorageError) as exc:
        forms.report(f"erase_{request_id}", {forms.FORM: f"Could not erase: {exc}"})
        return
    forms.clear(f"erase_{request_id}")
    st.session_state[FLASH_KEY] = (f"Erased {counts.get('requests', 0)} request(s) and "
                                   f"{counts.get('linked_profiles', 0)} linked profile(s).")
    st.session_state.pop(OPEN_KEY, None)


# --------------------------------------------------------------------------------------------------
# The staff home: what needs doing now
# --------------------------------------------------------------------------------------------------

HOME_LISTS = {
    "new": ("New requests", "Not contacted yet."),
    "waiting": ("Waiting more than a working day", "New, and nobody has been in touch for over a working day."),
    "follow_ups": ("Follow-ups due", f"Contacted, and nothing has happened for {leads.FOLLOW_UP_AFTER_WORKING_DAYS} "
                                     "working days: chase or close them."),
}


def work_today() -> int | None:
    """Counts and lists of what needs doing; returns the id of a request clicked in one of the lists."""
    queue = leads.work_queue(_lead_store())
    lists = {"new": queue.new, "waiting": queue.waiting, "follow_ups": queue.follow_ups}
    cols = st.columns(3)
    for col, (name, found) in zip(cols, lists.items(), strict=True):
        col.metric(HOME_LISTS[name][0], len(found), border=True)
    clicked = None
    for name, found in lists.items():
        title, explain = HOME_LISTS[name]
        st.markdown(f"#### {title} ({len(found)})")
        st.caption(explain + " Click a row to open the request.")
        clicked = clickable_requests(found, f"home_{name}", height=min(400, 38 + 35 * max(1, len(found))) if found
                                     else "auto") or clicked
    return clicked
