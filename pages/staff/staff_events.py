"""Staff: events — create one, its link and kiosk link, live counters, and what each event brought."""

from datetime import date, timedelta

import pandas as pd
import streamlit as st

from kneeassess import events, profiles
from kneeassess.ui import account, forms
from kneeassess.ui.navigation import EVENT_KEY, KIOSK_KEY
from kneeassess.ui.staff_gate import require_staff
from kneeassess.ui.text import show_plain

require_staff()

st.title("Events")
store = account.store()


def create_event() -> None:
    state = st.session_state
    forms.attempt("new_event", lambda: events.create_event(
        store, state["ev_name"], state["ev_day"], state["ev_place"], state["ev_slug"] or None))


def start_kiosk(slug: str) -> None:
    st.session_state[KIOSK_KEY] = True
    st.session_state[EVENT_KEY] = slug
    st.query_params.from_dict({"kiosk": "1", "event": slug})


with st.expander("New event", expanded=not events.list_events(store)), st.form("new_event"):
    st.text_input("Name", max_chars=events.NAME_MAX, key="ev_name", placeholder="Riverside parkrun")
    st.date_input("Date", value=date.today(), key="ev_day", format="DD/MM/YYYY")
    st.text_input("Place", max_chars=events.PLACE_MAX, key="ev_place")
    st.text_input("Link name (optional)", max_chars=40, key="ev_slug",
                  help="Lowercase letters, digits and hyphens. Made from the name when empty.")
    forms.show("new_event", "name", "day", "place", "slug")
    st.form_submit_button("Create event", type="primary", on_click=create_event)


@st.fragment(run_every=timedelta(seconds=10))
def live_figures() -> None:
    stats = events.event_stats(store)
    if not stats:
        st.info("No events yet.")
        return
    today = [s for s in stats if s.day == date.today()]
    for s in today:
        show_plain(s.name, "Today: ")
        cols = st.columns(3)
        cols[0].metric("Screenings", s.screenings)
        cols[1].metric("Took it home", s.took_home)
        cols[2].metric("Consultation requests", s.requests)
    st.dataframe(pd.DataFrame([{
        "Event": s.name, "Date": s.day, "Place": s.place, "Screenings": s.screenings, "Took it home": s.took_home,
        "Requests": s.requests, "Conversion": None if s.conversion is None else f"{s.conversion:.0%}",
        "Foot": s.weak_links.get("foot", 0), "Hamstring": s.weak_links.get("hamstring", 0),
        "Hip": s.weak_links.get("hip", 0), "Self-care": s.triage.get("self_care", 0),
        "See clinician": s.triage.get("see_clinician", 0),
        "See clinician within 2 days": s.triage.get("see_clinician_soon", 0), "Urgent": s.triage.get("urgent", 0),
    } for s in stats]), hide_index=True, width="stretch")
    st.caption("Counts only: no personal data. Updated every 10 seconds.")


live_figures()

st.subheader("Links")
all_events = events.list_events(store)
if all_events:
    slug = st.selectbox("Event", [e.slug for e in all_events], key="ev_links",
                        format_func=lambda s: next(e.name for e in all_events if e.slug == s))
    link = events.event_link(account.base_url(), slug)
    kiosk_link = events.event_link(account.base_url(), slug, kiosk=True)
    st.markdown("**Share this link** (newsletter, club chat): screenings and requests made through it count for "
                "the event.")
    st.code(link, language=None, wrap_lines=True)  # wrapped: no scrolling region on a phone
    st.image(profiles.qr_png(link), width=200, alt=f"QR code of the event link {link}")
    st.markdown("**Kiosk link** for the event tablet (leaving kiosk mode needs the staff passcode):")
    st.code(kiosk_link, language=None, wrap_lines=True)
    st.button("Start kiosk mode on this device", type="primary", key="ev_kiosk", on_click=start_kiosk, args=(slug,))
