"""Showing what people typed (and what files are called): as text, never as Markdown or HTML.

Escaping Markdown is not enough: the renderer still turns ``www.example.com`` and ``ann@example.com`` into links, and
a backtick in a ZIP entry's name ends a code span. So user text never goes into ``st.markdown``, ``st.write``,
``st.caption``, ``st.success``... : it goes through :func:`show_plain` (``st.text``: no parsing at all) or into a
table (``st.dataframe`` draws text).
"""

from __future__ import annotations

from datetime import date

import streamlit as st


def show_plain(text: str | None, label: str = "") -> None:
    """``label`` (the app's own words) followed by ``text`` exactly as it is: no links, images or formatting."""
    st.text(f"{label}{text or ''}")


def count(n: int, singular: str, plural: str | None = None) -> str:
    """``1 run``, ``2 runs``; ``plural`` for words that do not just add an s."""
    return f"{n} {singular if n == 1 else plural or singular + 's'}"


DATE_FORMAT = "DD/MM/YYYY"  # the clinic's (UK) way of writing dates: forms, tables and text use it alike


def day_text(d: date) -> str:
    """A date as DATE_FORMAT: 02/12/2026."""
    return d.strftime("%d/%m/%Y")
