"""KneeAssess entrypoint: page config and navigation, nothing else."""

import streamlit as st

from kneeassess.ui.account import run_page
from kneeassess.ui.app_setup import load_content_or_stop
from kneeassess.ui.navigation import visitor_navigation

clinic = load_content_or_stop()
st.set_page_config(page_title=f"Knee check · {clinic.name}", page_icon="🦵", layout="wide")
run_page(visitor_navigation())
