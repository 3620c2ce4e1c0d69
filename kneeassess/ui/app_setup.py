"""What the entrypoint needs: content loaded (a broken file stops the app with its message) and the theme."""

from __future__ import annotations

from pathlib import Path

import streamlit as st
from streamlit import config as st_config

from kneeassess.content import Clinic, ContentError, clinic, load_all

STYLE = Path(__file__).with_name("style.css")


def theme_options(c: Clinic) -> dict[str, str]:
    """Streamlit theme options from the clinic's colours (also passed as flags by ``dev.py app``)."""
    return {
        "theme.primaryColor": c.colours.primary,
        "theme.backgroundColor": c.colours.background,
        "theme.textColor": c.colours.text,
    }


def load_content_or_stop() -> Clinic:
    try:
        load_all()
    except ContentError as exc:
        st.error("**KneeAssess cannot start: a content file is broken.**")
        st.code(str(exc), language=None)
        st.stop()
    c = clinic()
    changed = False
    for key, value in theme_options(c).items():
        if st_config.get_option(key) != value:
            st_config.set_option(key, value)
            changed = True
    st.html(STYLE)
    if changed:
        # Streamlit sends the theme when a run starts: rerun once so the very first page shows the
        # clinic's colours too (later sessions of this process get them from the start).
        st.rerun()
    return c
