"""One widget per question kind. Each returns the answers it read, by answer id (None = skipped)."""

from __future__ import annotations

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
    return list(chosen) or None


NOT_RATED = "not rated"


def _pain(q: Question, aid: str, label: str, s: Screening) -> int | None:
    """A 0-10 slider (the usual pain scale); it starts at "not rated" so skipping stays possible."""
    value = st.select_slider(
        label,
        [NOT_RATED, *PAIN_SCALE],
        value=s.answers.get(aid, NOT_RATED),
        key=f"w_{aid}",
        help=q.help or "0 = no pain, 10 = the worst pain you can imagine.",
    )
    return None if value == NOT_RATED else int(value)


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
        placeholder=s.unit, key=f"w_{aid}_{s.unit}", help=q.help,
    )
    if value is None:
        return None
    return miles_to_km(value) if s.unit == "mi" else round(float(value), 2)


def _bool(q: Question, aid: str, label: str, s: Screening) -> bool | None:
    current = s.answers.get(aid)
    choice = st.radio(
        label, ["yes", "no"], index=None if current is None else (0 if current else 1),
        format_func=str.capitalize, horizontal=True, key=f"w_{aid}", help=q.help,
    )
    return None if choice is None else choice == "yes"


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
        picked = [p for p in picked if p != NONE_SEEN] if len(picked) > 1 else picked
        for q in questions:
            out[f"{q.id}_{side}"] = None if not picked else q.id in picked
        _error(s, *ids)
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
