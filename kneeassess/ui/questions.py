"""One widget per question kind. Each returns the answers it read, by answer id (None = skipped)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import streamlit as st

from kneeassess.answers import km_to_miles, miles_to_km
from kneeassess.content import SIDES, Question, Section
from kneeassess.ui.state import Screening

PAIN_SCALE = list(range(11))


def _error(s: Screening, *ids: str) -> None:
    for aid in ids:
        if aid in s.errors:
            st.error(s.errors[aid], icon=":material/error:")


def _choice(q: Question, aid: str, label: str, s: Screening) -> Any:
    values = [o.value for o in q.options]
    current = s.answers.get(aid)
    short = all(len(o.label) <= 14 for o in q.options) and len(q.options) <= 5
    return st.radio(
        label,
        values,
        index=values.index(current) if current in values else None,
        format_func=q.option_label,
        horizontal=short,
        key=f"w_{aid}",
        help=q.help,
    )


def _multi(q: Question, aid: str, s: Screening) -> list[Any] | None:
    values = [o.value for o in q.options]
    chosen = st.pills(
        q.label,
        values,
        selection_mode="multi",
        default=[v for v in s.answers.get(aid, []) if v in values],
        format_func=q.option_label,
        key=f"w_{aid}",
        help=q.help,
    )
    multi: list[Any] | None = answer(q, chosen, s)
    return multi


NOT_RATED = "not rated"


def _pain(q: Question, aid: str, label: str, s: Screening) -> int | None:
    """A 0-10 slider (the usual pain scale); it starts at "not rated" so skipping stays possible."""
    value = st.select_slider(
        label,
        [NOT_RATED, *PAIN_SCALE],
        value=s.answers.get(aid, NOT_RATED),
        key=widget_key(q, aid, s),
        help=q.help or "0 = no pain, 10 = the worst pain you can imagine.",
    )
    rating: int | None = answer(q, value, s)
    return rating


def _number(q: Question, aid: str, label: str, s: Screening) -> Any:
    if q.kind == "int":
        return st.number_input(
            label, min_value=int(q.bounds[0]), max_value=int(q.bounds[1]), value=s.answers.get(aid), step=1,
            placeholder=q.unit or "", key=f"w_{aid}", help=q.help,
        )
    km = s.answers.get(aid)
    shown = None if km is None else (km_to_miles(km) if s.unit == "mi" else km)
    top = q.bounds[1] if s.unit == "km" else km_to_miles(q.bounds[1])
    value = st.number_input(
        f"{label} ({s.unit})", min_value=0.0, max_value=top, value=shown, step=1.0, format="%g",
        placeholder=s.unit, key=widget_key(q, aid, s), help=q.help,
    )
    return answer(q, value, s)


def _bool(q: Question, aid: str, label: str, s: Screening) -> bool | None:
    current = s.answers.get(aid)
    choice = st.radio(
        label, ["yes", "no"], index=None if current is None else (0 if current else 1),
        format_func=str.capitalize, horizontal=True, key=f"w_{aid}", help=q.help,
    )
    yes: bool | None = answer(q, choice, s)
    return yes


def question(q: Question, s: Screening) -> dict[str, Any]:
    """Draw one question (both sides if per side) with its errors under it."""
    out: dict[str, Any] = {}
    if q.kind == "multi":
        out[q.id] = _multi(q, q.id, s)
    elif not q.per_side:
        out[q.id] = _draw_one(q, q.id, q.label, s)
    else:
        st.markdown(f"**{q.label}**")
        # numbers side by side; scales and choices one under the other, full width on a phone
        cols = st.columns(2) if q.kind == "int" else [st.container(), st.container()]
        for col, side in zip(cols, SIDES, strict=True):
            with col:
                name = q.side_label.replace("{Side}", side.capitalize()).replace("{side}", side)
                out[f"{q.id}_{side}"] = _draw_one(q, f"{q.id}_{side}", name, s)
    _error(s, *q.answer_ids)
    return out


def _draw_one(q: Question, aid: str, label: str, s: Screening) -> Any:
    if q.kind == "choice":
        return _choice(q, aid, label, s)
    if q.kind == "pain":
        return _pain(q, aid, label, s)
    if q.kind == "bool":
        return _bool(q, aid, label, s)
    return _number(q, aid, label, s)


NONE_SEEN = "__none__"


def side_checks(questions: list[Question], s: Screening) -> dict[str, Any]:
    """Per-side yes/no signs of one test as one choice per leg: what you saw, or "none of these".

    Nothing chosen for a leg means the test was skipped on that leg (all its answers stay empty).
    """
    out: dict[str, Any] = {}
    labels = {q.id: q.label for q in questions}
    labels[NONE_SEEN] = "None of these"
    for side in SIDES:
        ids = [f"{q.id}_{side}" for q in questions]
        seen = [q.id for q in questions if s.answers.get(f"{q.id}_{side}") is True]
        answered = any(s.answers.get(i) is not None for i in ids)
        default = seen or ([NONE_SEEN] if answered else [])
        picked = st.pills(
            f"What did you see on the {side} leg?", list(labels), selection_mode="multi",
            default=default, format_func=labels.__getitem__, key=f"w_signs_{side}",
        )
        out |= _signs(questions, side, picked)
        _error(s, *ids)
    return out


def _signs(questions: list[Question], side: str, picked: list[str] | None) -> dict[str, Any]:
    """The side's answers from what was picked: "none of these" with a sign counts as the sign alone."""
    picked = list(picked or [])
    picked = [p for p in picked if p != NONE_SEEN] if len(picked) > 1 else picked
    return {f"{q.id}_{side}": None if not picked else q.id in picked for q in questions}


def widget_key(q: Question, aid: str, s: Screening) -> str:
    """The key of the widget of one answer (a distance's widget is per unit: its number is in that unit)."""
    return f"w_{aid}_{s.unit}" if q.kind in ("number", "distance") else f"w_{aid}"


def answer(q: Question, value: Any, s: Screening) -> Any:
    """The answer from its widget's value (None: skipped): distances in km, pain 0-10, yes/no as a bool."""
    if q.kind == "multi":
        return list(value or []) or None
    if q.kind == "pain":
        return None if value is None or value == NOT_RATED else int(value)
    if q.kind == "bool":
        return None if value is None else value == "yes"
    if q.kind in ("number", "distance"):
        if value is None:
            return None
        return miles_to_km(value) if s.unit == "mi" else round(float(value), 2)
    return value


def section_values(sec: Section, s: Screening, state: Mapping[str, Any]) -> dict[str, Any]:
    """What :func:`section` drew, read back from the widgets' values (in a callback, before the script runs)."""
    out: dict[str, Any] = {}
    checks = [q for q in sec.questions if q.kind == "bool" and q.per_side]
    for side in SIDES if checks else ():
        out |= _signs(checks, side, state.get(f"w_signs_{side}"))
    for q in sec.questions:
        if q in checks:
            continue
        for aid in q.answer_ids:
            out[aid] = answer(q, state.get(widget_key(q, aid, s)), s)
    return out


def section(sec: Section, s: Screening) -> dict[str, Any]:
    out: dict[str, Any] = {}
    checks = [q for q in sec.questions if q.kind == "bool" and q.per_side]
    if checks:
        out |= side_checks(checks, s)
    for q in sec.questions:
        if q in checks:
            continue
        out |= question(q, s)
    return out
