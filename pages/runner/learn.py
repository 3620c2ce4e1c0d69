"""Understand your knee: what loads it, why jumps in running matter, the clinic's view, the pain rules, help."""

from pathlib import Path

import streamlit as st

from kneeassess.content import clinic, data_dir
from kneeassess.screening.advice import fill_numbers
from kneeassess.ui.results import clinic_contact

st.title("Understand your knee")
st.caption(f"From {clinic().name}'s article and the research behind it. Self-help information, not a diagnosis.")
st.markdown(fill_numbers(Path(data_dir() / "learn.md").read_text(encoding="utf-8")))
clinic_contact(key="learn_book")
