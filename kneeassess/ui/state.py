"""The screening's state for one browser tab (``st.session_state``): answers, current step, errors."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import streamlit as st

from kneeassess.content import Step, questionnaire
from kneeassess.records import AssessmentKind, SavedAssessment, Unit

KEY = "kneeassess_screening"
TOTAL_STEPS = 7  # six question steps and the results


@dataclass
class Screening:
    step: int = 0  # index into the questionnaire's steps
    answers: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    unit: Unit = "km"
    safety_none: bool = False  # "none of these apply to me" on the safety screen
    finished: bool = False
    saved: bool = False  # this screening's result is in the open profile
    new_link: str | None = None  # the private link made when saving created the profile
    kind: AssessmentKind = "screening"
    counted_id: int | None = None  # the row that counts this screening for the clinic's event figures
    movement: dict[str, Any] | None = None  # the movement check's figures, once the runner confirmed them

    @property
    def current(self) -> Step:
        return questionnaire().steps[self.step]


def screening() -> Screening:
    if KEY not in st.session_state:
        st.session_state[KEY] = Screening()
    s: Screening = st.session_state[KEY]
    return s


def restart() -> None:
    st.session_state[KEY] = Screening()
    st.session_state.pop("kneeassess_movement", None)  # the movement check's figures (kneeassess/ui/movement.py)
    for k in [k for k in st.session_state if str(k).startswith("w_")]:
        del st.session_state[k]


KEEP_ON_REASSESS = ("about", "symptoms", "training")  # prefilled; safety, knee score and self-tests asked afresh
ASK_AFRESH = {"pain_run_worst", "pain_next_morning"}


def start_reassessment(previous: list[SavedAssessment], logged_weeks: dict[str, float] | None = None) -> None:
    """Start the screening again with the last answers where they still apply.

    With runs logged, the four weeks of distance come from the log instead of the last answers.
    """
    restart()
    s = screening()
    s.kind = "reassessment"
    if previous:
        last = previous[-1].answers
        keep = {aid for sid in KEEP_ON_REASSESS for q in questionnaire().step(sid).questions for aid in q.answer_ids}
        s.answers = {k: v for k, v in last.items() if k in keep - ASK_AFRESH}
    if logged_weeks:
        s.answers |= logged_weeks
