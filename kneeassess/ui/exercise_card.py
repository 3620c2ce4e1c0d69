"""One exercise of the catalogue, as a card."""

from __future__ import annotations

import streamlit as st

from kneeassess.content import Exercise, LinkInfo, PhaseInfo
from kneeassess.ui.pictures import picture

ORIGIN_BADGE = {"article": ":blue-badge[From the clinic's article]", "addition": ":violet-badge[Addition]"}


def exercise_card(ex: Exercise, links: dict[str, LinkInfo], phases: dict[str, PhaseInfo]) -> None:
    with st.container(border=True):
        st.header(ex.name)
        st.markdown(ORIGIN_BADGE[ex.origin])
        picture(ex.id)
        st.write(ex.summary)
        served = ", ".join(links[lk].name for lk in ex.links) or "Your knee itself (knee-targeted)"
        st.markdown(f"**Trains:** {served}")
        for lk in ex.links:
            st.caption(f"Why {links[lk].name.lower()}: {links[lk].what}")
        st.markdown("**Phases:** " + ", ".join(phases[p].title for p in ex.phases))
        for lvl, dose in sorted(ex.levels.items()):
            st.markdown(f"**Level {lvl}:** {dose.text}" + (f" · {dose.load}" if dose.load and dose.load not in
                                                             dose.text else ""))
        with st.expander("How to do it"):
            for i, line in enumerate(ex.steps, 1):
                st.markdown(f"{i}. {line}")
            if ex.equipment:
                st.markdown(f"**You need:** {ex.equipment}")
            st.markdown("**Cues**")
            for cue in ex.cues:
                st.markdown(f"- {cue}")
            st.markdown("**Mistakes to avoid**")
            for m in ex.mistakes:
                st.markdown(f"- {m}")
            st.markdown("**When to stop:** pain up to 5 out of 10 is acceptable if it has settled by the next "
                        "morning. Stop and ease off if it goes above 5/10 or is worse the next day.")
            st.caption(f"Source: {ex.source}")
            if ex.evidence_note:
                st.caption(f"Evidence: {ex.evidence_note}")
