"""Showing what people typed (and what files are called): as text, never as Markdown or HTML.

Escaping Markdown is not enough: the renderer still turns ``www.example.com`` and ``ann@example.com`` into links, and
a backtick in a ZIP entry's name ends a code span. So user text never goes into ``st.markdown``, ``st.write``,
``st.caption``, ``st.success``... : it goes through :func:`show_plain` (``st.text``: no parsing at all) or into a
table (``st.dataframe`` draws text).
"""

from __future__ import annotations

import streamlit as st


def show_plain(text: str | None, label: str = "") -> None:
    """``label`` (the app's own words) followed by ``text`` exactly as it is: no links, images or formatting."""
    st.text(f"{label}{text or ''}")
