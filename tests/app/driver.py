"""Drives the screening through AppTest the way a runner fills it in, step by step."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from streamlit.testing.v1 import AppTest

from kneeassess.answers import KM_PER_MILE
from kneeassess.content import questionnaire

ROOT = Path(__file__).resolve().parents[2]

SIGNS = ("sls_knee_in", "sls_pelvis_drop", "sls_trunk_lean")
NOT_REGISTERED = "Could not find a navigation page"  # AppTest's error for a page the navigation does not offer


def unique(prefix: str) -> str:
    """A name or address no other test uses (the test database is shared by the whole run)."""
    return f"{prefix}{uuid.uuid4().hex[:8]}"


def start() -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    assert not at.exception, at.exception
    return at


def button(at: AppTest, label: str) -> Any:
    matches = [b for b in at.button if b.label == label]
    assert matches, f"no button {label!r}; have {[b.label for b in at.button]}"
    return matches[0]


def step_caption(at: AppTest) -> str:
    return next(c.value for c in at.caption if c.value.startswith("Step "))


def widget(at: AppTest, key: str) -> Any:
    for kind in ("radio", "pills", "select_slider", "number_input", "checkbox", "segmented_control"):
        try:
            return getattr(at, kind)(key=key)
        except KeyError:
            continue
    raise KeyError(key)


def fill_step(at: AppTest, answers: dict[str, Any], step_id: str, unit: str = "km") -> None:
    """Set this step's widgets from an answers dict (distances given in km are typed in ``unit``)."""
    step = questionnaire().step(step_id)
    if step_id == "safety":
        flags = [q.id for q in step.questions if answers.get(q.id)]
        for q in step.questions:
            if answers.get(q.id) is not None:
                at.checkbox(key=f"w_{q.id}").set_value(bool(answers[q.id]))
        if not flags:
            at.checkbox(key="w_safety_none").check()
        return
    if step_id == "training" and unit != "km":
        at.segmented_control(key="w_unit").set_value(unit).run()
    for side in ("left", "right"):
        seen = [s for s in SIGNS if answers.get(f"{s}_{side}") is True]
        if step_id == "self_tests" and any(f"{s}_{side}" in answers for s in SIGNS):
            at.pills(key=f"w_signs_{side}").set_value(seen or ["__none__"])
    for q in step.questions:
        if q.kind == "bool" and q.per_side:
            continue
        for aid in q.answer_ids:
            if aid not in answers:
                continue
            value = answers[aid]
            if q.kind == "distance":
                at.number_input(key=f"w_{aid}_{unit}").set_value(value / KM_PER_MILE if unit == "mi" else value)
            elif q.kind == "bool":
                at.radio(key=f"w_{aid}").set_value("yes" if value else "no")
            else:
                widget(at, f"w_{aid}").set_value(value)


def walk(answers: dict[str, Any], skip: tuple[str, ...] = (), unit: str = "km") -> AppTest:
    """Answer every step from ``answers``, skipping the steps named; ends wherever the flow ends."""
    at = start()
    for step in questionnaire().steps:
        if "Your results" in [h.value for h in at.header]:
            break
        assert step.title in [h.value for h in at.header], [h.value for h in at.header]
        if step.id in skip:
            button(at, "Skip this step").click().run()
        else:
            fill_step(at, answers, step.id, unit)
            button(at, "Next").click().run()
        assert not at.exception, at.exception
    return at
