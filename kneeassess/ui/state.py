"""The screening's state for one browser tab (``st.session_state``): answers, current step, errors."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import streamlit as st

from kneeassess.content import Step, questionnaire

KEY = "kneeassess_screening"
TOTAL_STEPS = 7  # six question steps and the results


@dataclass
class Screening:
    step: int = 0  # index into the questionnaire's steps
    answers: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    unit: str = "km"
    safety_none: bool = False  # "none of these apply to me" on the safety screen
    show_plan_anyway: bool = False  # see_clinician: "I understand, show me general exercises anyway"
    finished: bool = False

    @property
    def current(self) -> Step:
        return questionnaire().steps[self.step]


def screening() -> Screening:
    if KEY not in st.session_state:
        st.session_state[KEY] = Screening()
    return st.session_state[KEY]


def restart() -> None:
    st.session_state[KEY] = Screening()
    for k in [k for k in st.session_state if str(k).startswith("w_")]:
        del st.session_state[k]
