"""Which pages this visitor gets: a runner, a kiosk tablet at an event, or signed-in clinic staff.

Staff pages are registered only after sign-in (and each staff page checks again), so they are not reachable
by URL before it. A kiosk tablet gets its one page and no menu.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Literal

import streamlit as st

from kneeassess.events import valid_slug

EVENT_KEY = "kneeassess_event"
KIOSK_KEY = "kneeassess_kiosk"
STAFF_KEY = "kneeassess_staff"
PAGES = Path(__file__).resolve().parents[2] / "pages"  # one folder per role: runner/, staff/, kiosk/


def go_to(page: str, before: Callable[[], object] | None = None) -> None:
    """A button's callback that opens ``page`` (its path, e.g. ``pages/runner/log.py``): the click's one run is
    that page's. ``before`` changes the state first. (An st.Page stands for the registered page with its URL path:
    in a callback no run has registered the pages yet.)"""
    if before is not None:
        before()
    st.switch_page(st.Page(page))


def note_event() -> str | None:
    """``?event=<slug>`` tags this visit's screenings and requests; it stays for the session."""
    slug = st.query_params.get("event")
    if valid_slug(slug):
        st.session_state[EVENT_KEY] = slug
    return st.session_state.get(EVENT_KEY)


def in_kiosk() -> bool:
    if st.query_params.get("kiosk") == "1":
        st.session_state[KIOSK_KEY] = True
    return bool(st.session_state.get(KIOSK_KEY))


def staff_name() -> str | None:
    return st.session_state.get(STAFF_KEY)


HOME_PAGE = "pages/runner/home.py"
SCREENING_PAGE = "pages/runner/screening.py"


def runner_pages(has_profile: bool = False, hidden: bool = False) -> list[st.Page]:
    """The runner's pages. With a profile open, Home (``/``) is the runner's own page; a first-time visitor's
    home is the knee check. ``hidden``: reachable by URL but not in the menu (signed-in staff)."""
    shown: Literal["visible", "hidden"] = "hidden" if hidden else "visible"
    home = st.Page(HOME_PAGE, title="Home", icon=":material/home:", url_path="home",
                   default=has_profile and not hidden, visibility="hidden" if hidden or not has_profile else "visible")
    return [
        home,
        st.Page(SCREENING_PAGE, title="Knee check", icon=":material/checklist:",
                default=not has_profile and not hidden, visibility=shown),
        st.Page("pages/runner/results.py", title="My results", icon=":material/insights:", visibility=shown),
        st.Page("pages/runner/session.py", title="Today's session", icon=":material/timer:", visibility=shown),
        st.Page("pages/runner/log.py", title="Log", icon=":material/edit_note:", visibility=shown),
        st.Page("pages/runner/progress.py", title="Progress", icon=":material/trending_up:", visibility=shown),
        st.Page("pages/runner/exercises.py", title="Exercises", icon=":material/fitness_center:", visibility=shown),
        st.Page("pages/runner/learn.py", title="Your knee", icon=":material/menu_book:", visibility=shown),
        st.Page("pages/runner/book.py", title="Free consultation", icon=":material/event_available:",
                visibility=shown),
        st.Page("pages/runner/profile.py", title="My profile", icon=":material/person:", visibility=shown),
    ]


def staff_pages() -> list[st.Page]:
    return [
        st.Page("pages/staff/staff_requests.py", title="Requests", icon=":material/inbox:"),
        st.Page("pages/staff/staff_events.py", title="Events", icon=":material/event:"),
        st.Page("pages/staff/dashboard.py", title="Dashboard", icon=":material/monitoring:", url_path="dashboard"),
    ]


STAFF_URL_PATHS = frozenset({"staff", "staff_requests", "staff_events", "dashboard"})


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
    from kneeassess.ui import header
    from kneeassess.ui.page_top import open_at_top
    from kneeassess.ui.staff_gate import signed_in
    from kneeassess.ui.visits import count_visit, note_source

    note_event()
    note_source()
    has_profile = False
    if not in_kiosk() and (st.query_params.get("p") or st.session_state.get("kneeassess_token")):
        from kneeassess.ui.account import current_profile

        has_profile = current_profile() is not None  # the private link opens the profile on any page it points at
    if in_kiosk():
        page = kiosk_navigation()
    else:
        staff = signed_in()
        sign_in = st.Page("pages/staff/staff.py", title="Staff", icon=":material/badge:", url_path="staff",
                          visibility="visible" if staff else "hidden", default=bool(staff))
        links = [st.Page("pages/runner/reminder.py", title="Welcome back", url_path="reminder", visibility="hidden"),
                 st.Page("pages/runner/unsubscribe.py", title="Stop reminders", url_path="unsubscribe",
                         visibility="hidden")]
        if staff:  # staff see the clinic's pages only; the runner's stay reachable by URL
            page = st.navigation([sign_in, *staff_pages(), *runner_pages(hidden=True), *links], position="top")
        else:
            page = st.navigation([*runner_pages(has_profile), sign_in, *links], position="top")
            header.link_bar(has_profile)
    count_visit(staff=page.url_path in STAFF_URL_PATHS or page.url_path == "unsubscribe" or signed_in() is not None)
    open_at_top("page", page.url_path)
    return page
