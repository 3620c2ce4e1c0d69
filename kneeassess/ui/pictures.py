"""Illustrations on screen, with their alt text."""

from __future__ import annotations

from html import escape

import streamlit as st

from kneeassess import illustrations


def picture(item_id: str, max_width: int = 480) -> None:
    if not illustrations.has_illustration(item_id):
        return
    st.html(
        f'<img src="{illustrations.data_uri(item_id)}" alt="{escape(illustrations.alt_text(item_id))}" '
        f'style="width:100%;max-width:{max_width}px;height:auto;display:block;margin:0 auto">'
    )
