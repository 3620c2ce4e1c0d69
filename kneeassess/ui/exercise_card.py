"""One exercise of the catalogue, as a card."""

from __future__ import annotations

import streamlit as st

from kneeassess.content import Exercise, LinkInfo, PhaseInfo
from kneeassess.ui.pictures import picture

ORIGIN_BADGE = {"article": ":blue-badge[From the clinic's article]", "addition": ":violet-badge[Addition]"}


def exercise_card(ex: Exercise, links: dict[str, LinkInfo], phases: dict[str, PhaseInfo]) -> None:
    """A few larger Markdown elements rather than one per line (the page draws ten cards: the browser's work grows
    with the number of elements, the expanders' contents included)."""
    with st.container(border=True):
        st.header(ex.name)
        st.markdown(ORIGIN_BADGE[ex.origin])
        picture(ex.id)
        served = ", ".join(links[lk].name for lk in ex.links) or "Your knee itself (knee-targeted)"
        st.markdown(f"{ex.summary}\n\n**Trains:** {served}")
        if ex.links:
            st.caption("\n\n".join(f"Why {links[lk].name.lower()}: {links[lk].what}" for lk in ex.links))
        levels = [f"**Level {lvl}:** {dose.text}" + (f" · {dose.load}" if dose.load and dose.load not in dose.text
                                                     else "") for lvl, dose in sorted(ex.levels.items())]
        st.markdown("\n\n".join(["**Phases:** " + ", ".join(phases[p].title for p in ex.phases), *levels]))
        with st.expander("How to do it"):
            parts = ["\n".join(f"{i}. {line}" for i, line in enumerate(ex.steps, 1))]
            if ex.equipment:
                parts.append(f"**You need:** {ex.equipment}")
            parts += ["**Cues**", "\n".join(f"- {cue}" for cue in ex.cues),
                      "**Mistakes to avoid**", "\n".join(f"- {m}" for m in ex.mistakes),
                      "**When to stop:** pain up to 5 out of 10 is acceptable if it has settled by the next "
                      "morning. Stop and ease off if it goes above 5/10 or is worse the next day."]
            st.markdown("\n\n".join(parts))
            st.caption(f"Source: {ex.source}" + (f"\n\nEvidence: {ex.evidence_note}" if ex.evidence_note else ""))
