"""The runner's header: the clinic's name (and logo, from data/clinic.toml) and the main destinations as a
compact bar that a phone shows without opening a menu."""

from __future__ import annotations

import streamlit as st

from kneeassess.content import clinic, data_dir


def _logo() -> None:
    c = clinic()
    if c.logo:
        path = (data_dir() / c.logo).resolve()
        if path.is_file():
            st.logo(str(path), size="large", link=None)


def link_bar(has_profile: bool) -> None:
    """Clinic name, then Home/Knee check, My results, Today's session, Log, Progress (the rest are in the menu)."""
    _logo()
    with st.container(key="ka_linkbar", horizontal=True, gap="small"):
        st.markdown(f"**{clinic().name}**", width="content")
        first = ("pages/runner/home.py", "Home", ":material/home:") if has_profile else (
            "pages/runner/screening.py", "Knee check", ":material/checklist:")
        for target, label, icon in (first,
                                    ("pages/runner/results.py", "Results", ":material/insights:"),
                                    ("pages/runner/session.py", "Session", ":material/timer:"),
                                    ("pages/runner/log.py", "Log", ":material/edit_note:"),
                                    ("pages/runner/progress.py", "Progress", ":material/trending_up:")):
            st.page_link(target, label=label, icon=icon, width="content")
