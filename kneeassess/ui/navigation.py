"""Which pages this visitor gets: a runner, a kiosk tablet at an event, or signed-in clinic staff.

Staff pages are registered only after sign-in (and each staff page checks again), so they are not reachable
by URL before it. A kiosk tablet gets its one page and no menu.
"""

from __future__ import annotations

import re
from pathlib import Path

import streamlit as st

EVENT_KEY = "kneeassess_event"
KIOSK_KEY = "kneeassess_kiosk"
STAFF_KEY = "kneeassess_staff"
SLUG = re.compile(r"^[a-z0-9-]{2,40}$")
PAGES = Path(__file__).resolve().parents[2] / "pages"  # one folder per role: runner/, staff/, kiosk/


def note_event() -> str | None:
    """``?event=<slug>`` tags this visit's screenings and requests; it stays for the session."""
    slug = st.query_params.get("event")
    if slug and SLUG.match(slug):
        st.session_state[EVENT_KEY] = slug
    return st.session_state.get(EVENT_KEY)


def in_kiosk() -> bool:
    if st.query_params.get("kiosk") == "1":
        st.session_state[KIOSK_KEY] = True
    return bool(st.session_state.get(KIOSK_KEY))


def staff_name() -> str | None:
    return st.session_state.get(STAFF_KEY)


def runner_pages() -> list[st.Page]:
    return [
        st.Page("pages/runner/screening.py", title="Knee check", icon=":material/checklist:", default=True),
        st.Page("pages/runner/results.py", title="My results", icon=":material/insights:"),
        st.Page("pages/runner/session.py", title="Today's session", icon=":material/timer:"),
        st.Page("pages/runner/log.py", title="Log", icon=":material/edit_note:"),
        st.Page("pages/runner/progress.py", title="Progress", icon=":material/trending_up:"),
        st.Page("pages/runner/exercises.py", title="Exercises", icon=":material/fitness_center:"),
        st.Page("pages/runner/learn.py", title="Your knee", icon=":material/menu_book:"),
        st.Page("pages/runner/book.py", title="Free consultation", icon=":material/event_available:"),
        st.Page("pages/runner/profile.py", title="My profile", icon=":material/person:"),
    ]


def staff_pages() -> list[st.Page]:
    return [
        st.Page("pages/staff/staff_requests.py", title="Requests", icon=":material/inbox:"),
        st.Page("pages/staff/staff_events.py", title="Events", icon=":material/event:"),
        st.Page("pages/staff/dashboard.py", title="Dashboard", icon=":material/monitoring:", url_path="dashboard"),
    ]


STAFF_URL_PATHS = frozenset({"staff", "staff_requests", "staff_events", "dashboard"})


def page_layout(page: st.Page) -> str:
    """Every staff page is wide (tables, side-by-side request); the runner's pages are centred."""
    return "wide" if getattr(page, "url_path", "") in STAFF_URL_PATHS else "centered"


def kiosk_navigation() -> st.Page:
    """The kiosk's one page, and no menu. It also answers at every other page's address, so that a kiosk link
    such as ``/results?kiosk=1`` opens the kiosk rather than a "page not found" notice."""
    kiosk = "pages/kiosk/kiosk.py"
    others = sorted({p.stem for p in PAGES.glob("*/*.py")} - {Path(kiosk).stem})
    return st.navigation([st.Page(kiosk, title="Knee check", default=True),
                          *(st.Page(kiosk, title="Knee check", url_path=name) for name in others)],
                         position="hidden")


def visitor_navigation() -> st.Page:
    """The navigation for this visitor; call ``.run()`` on the result."""
    from kneeassess.ui.staff_gate import signed_in
    from kneeassess.ui.visits import count_visit, note_source

    note_event()
    note_source()
    if st.query_params.get("p") and not in_kiosk():
        from kneeassess.ui.account import current_profile

        current_profile()  # the private link opens the profile on whichever page it points at
    if in_kiosk():
        page = kiosk_navigation()
    else:
        sign_in = st.Page("pages/staff/staff.py", title="Staff", icon=":material/badge:", url_path="staff",
                          visibility="visible" if signed_in() else "hidden")
        links = [st.Page("pages/runner/reminder.py", title="Welcome back", url_path="reminder", visibility="hidden"),
                 st.Page("pages/runner/unsubscribe.py", title="Stop reminders", url_path="unsubscribe",
                         visibility="hidden")]
        if signed_in():
            page = st.navigation({"Runner": [*runner_pages(), *links], "Clinic": [sign_in, *staff_pages()]},
                                 position="top")
        else:
            page = st.navigation([*runner_pages(), sign_in, *links], position="top")
    count_visit(staff=page.url_path in STAFF_URL_PATHS or page.url_path == "unsubscribe" or signed_in() is not None)
    return page
