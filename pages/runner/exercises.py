"""The whole exercise catalogue: each exercise with its levels, cues, mistakes and the links it serves."""

import streamlit as st

from kneeassess.content import catalogue, rulebook
from kneeassess.ui import safety
from kneeassess.ui.exercise_card import exercise_card

cat = catalogue()
links = rulebook().links
st.title("Exercises")
if not safety.safety_gate("exercises"):
    st.stop()
st.write(
    "The five exercises from the clinic's article, and additions (labelled) from the research on runner's knee. "
    "Your results page picks the ones for you and your phase."
)
article = st.toggle("Only the article's five", key="ex_article_only")
for ex in cat.exercises:
    if article and ex.origin != "article":
        continue
    exercise_card(ex, links, cat.phases)
