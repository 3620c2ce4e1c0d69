"""An expander whose contents are drawn only while it is open.

``st.expander(..., on_change="rerun")`` reruns the page when it is opened or closed; closed, nothing inside is
drawn, so its elements are neither sent nor laid out on every view of the page (and the browser loads an element
type's code only when a runner opens it)."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st


def drawn_when_open(label: str, key: str, draw: Callable[[], object]) -> None:
    box = st.expander(label, key=key, on_change="rerun")
    if box.open:
        with box:
            draw()
