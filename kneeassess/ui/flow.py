"""The screening steps: one form per step, Back keeps answers, optional steps can be skipped."""

from __future__ import annotations

from typing import Any

import streamlit as st

from kneeassess.answers import check
from kneeassess.content import NO_PLAN_LEVELS, Question, Step, questionnaire
from kneeassess.screening.triage import red_flags, self_tests_not_asked, triage_level
from kneeassess.ui import movement, questions
from kneeassess.ui.page_top import open_at_top
from kneeassess.ui.pictures import picture
from kneeassess.ui.state import TOTAL_STEPS, Screening

RESULTS_PAGE = "pages/runner/results.py"
NONE_KEY = "safety_none"


def header(number: int, title: str) -> None:
    st.caption(f"Step {number} of {TOTAL_STEPS}")
    st.progress(number / TOTAL_STEPS)
    st.header(title)


def asked(q: Question, answers: dict[str, Any]) -> bool:
    return not q.ask_when or all(answers.get(k) in allowed for k, allowed in q.ask_when.items())


def safety_form(step: Step, s: Screening) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for q in step.questions:
        if not asked(q, s.answers):
            continue
        out[q.id] = st.checkbox(q.label, value=bool(s.answers.get(q.id)), key=f"w_{q.id}", help=q.help)
    st.divider()
    s.safety_none = st.checkbox(
        "None of these apply to me", value=s.safety_none, key=f"w_{NONE_KEY}"
    )
    if NONE_KEY in s.errors:
        st.error(s.errors[NONE_KEY], icon=":material/error:")
    return out


def safety_problem(values: dict[str, Any], none_ticked: bool) -> str | None:
    ticked = any(values.values())
    if not ticked and not none_ticked:
        return "Tick every sign that applies to you, or tick 'None of these apply to me'."
    if ticked and none_ticked:
        return "You ticked a sign and 'None of these apply to me'. Please untick one of them."
    return None


def step_ids(step: Step, answers: dict[str, Any]) -> list[str]:
    return [aid for q in step.questions if asked(q, answers) for aid in q.answer_ids]


def save(step: Step, s: Screening, values: dict[str, Any]) -> None:
    for q in step.questions:
        for aid in q.answer_ids:
            value = values.get(aid) if asked(q, {**s.answers, **values}) else None
            if value is None:
                s.answers.pop(aid, None)
            else:
                s.answers[aid] = value


def validate(step: Step, s: Screening, values: dict[str, Any]) -> dict[str, str]:
    merged = {**s.answers, **values}
    ids = set(step_ids(step, merged))
    errors = {p.field: p.message_for_people() for p in check(merged, only=ids)}
    if not step.optional and (problem := safety_problem(values, s.safety_none)):
        errors[NONE_KEY] = problem
    return errors


def step_values(step: Step, s: Screening) -> dict[str, Any]:
    """The step's answers as its widgets hold them (read in a button's callback, before the script runs)."""
    state = st.session_state.to_dict()
    if step.id == "safety":
        s.safety_none = bool(state.get(f"w_{NONE_KEY}", s.safety_none))
        return {q.id: bool(state.get(f"w_{q.id}", False)) for q in step.questions if asked(q, s.answers)}
    values: dict[str, Any] = {}
    for sec in step.sections:
        values |= questions.section_values(sec, s, state)
    return values


# The step's buttons act in their callbacks: the answers are checked and saved, and the step changes, before the
# one script run of the click draws the new step (no st.rerun()).


def go_next(s: Screening, results_page: str | None) -> None:
    step = s.current
    values = step_values(step, s)
    s.errors = validate(step, s, values)
    if s.errors:
        return
    save(step, s, values)
    advance(s, results_page)


def go_back(s: Screening) -> None:
    step = s.current
    values = step_values(step, s)
    errors = validate(step, s, values)
    save(step, s, {k: v for k, v in values.items() if k not in errors})
    s.errors = {}
    s.step = max(0, s.step - 1)


def skip_step(s: Screening, results_page: str | None) -> None:
    save(s.current, s, {})
    advance(s, results_page)


def draw_step(s: Screening, results_page: str | None = RESULTS_PAGE) -> None:
    """Draw the current step's form; at the end go to ``results_page`` (None: the caller shows the results in the
    same run)."""
    step = s.current
    number = s.step + 1
    header(number, step.title)
    if step.intro:
        st.write(step.intro)
    if step.id == "training":
        s.unit = st.segmented_control(
            "Distances in", ["km", "mi"], default=s.unit, key="w_unit",
            format_func=lambda u: "kilometres" if u == "km" else "miles",
        ) or s.unit

    open_at_top("step", str(s.step))
    skipped = self_tests_not_asked(s.answers) if step.id == "self_tests" else None
    if step.id == "self_tests" and not (skipped and "single_leg_squat" in skipped[0]):
        movement.movement_check(s)  # outside the form: the upload and its progress bar run on their own click
    with st.form(f"form_{step.id}", border=False, enter_to_submit=False):
        if step.id == "safety":
            safety_form(step, s)
        else:
            not_asked = self_tests_not_asked(s.answers) if step.id == "self_tests" else None
            if not_asked:
                st.info(not_asked[1], icon=":material/health_and_safety:")
            for sec in step.sections:
                if not_asked and sec.id in not_asked[0]:
                    continue  # the movements that provoke an unstable knee or a child's hip (brief §2)
                if sec.title:
                    st.subheader(sec.title)
                    if sec.id:
                        picture(sec.id, max_width=420)
                    if sec.how_to:  # one list, one element
                        st.markdown("\n".join(f"- {line}" for line in sec.how_to))
                    if sec.safety:
                        st.info(sec.safety, icon=":material/health_and_safety:")
                questions.section(sec, s)
                if sec.title:
                    st.divider()
        cols = st.columns(3 if step.optional else 2)
        cols[0].form_submit_button("Next", type="primary", width="stretch", on_click=go_next,
                                   args=(s, results_page))
        cols[1].form_submit_button("Back", disabled=s.step == 0, width="stretch", on_click=go_back, args=(s,))
        if step.optional:
            cols[2].form_submit_button("Skip this step", width="stretch", on_click=skip_step,
                                       args=(s, results_page))


def advance(s: Screening, results_page: str | None) -> None:
    s.errors = {}
    steps = questionnaire().steps
    no_plan = triage_level(red_flags(s.answers)) in NO_PLAN_LEVELS  # no plan: the rest of the steps are moot
    if no_plan or s.step + 1 >= len(steps):
        s.finished, s.saved = True, False
        if results_page:
            # From a callback a page is named by an st.Page (it stands for the registered page with its URL path;
            # a file path is looked up among the pages of a run, and none has run yet): the click's one run is
            # the results page's.
            st.switch_page(st.Page(results_page))
        return
    s.step += 1
