"""Safety triage (product brief §2, §3.2, §3.2a): the most severe level among the red flags of the safety screen
and the secondary flags raised by the runner's other answers, else self_care."""

from __future__ import annotations

from typing import Any

from kneeassess.content import TRIAGE_LEVELS, AllOf, AnyOf, Compare, Triage, questionnaire, safety_book
from kneeassess.models import RedFlag
from kneeassess.screening.weak_links import holds


def _words(answer_id: str, value: Any) -> str:
    """An answer as the runner saw it: "Knee score: Can you put your full weight on the leg? No"."""
    qn = questionnaire()
    q = qn.question(answer_id)
    step = next(s for s in qn.steps if q in s.questions)
    shown = ("Yes" if value else "No") if q.kind == "bool" else q.option_label(value)
    return f"{step.title}: {q.label.rstrip('?')}? {shown}" if q.label.endswith("?") else (
        f"{step.title}: {q.label}: {shown}")


def _raised_by(cond: Any, answers: dict[str, Any]) -> list[str]:
    """The answers that made ``cond`` hold, in words (only the parts that held)."""
    if isinstance(cond, Compare):
        return [_words(cond.answer, answers[cond.answer])] if cond.answer in answers and holds(cond, answers) else []
    if isinstance(cond, AllOf | AnyOf):
        parts = cond.all if isinstance(cond, AllOf) else cond.any
        return [w for c in parts for w in _raised_by(c, answers)]
    return []


def red_flags(answers: dict[str, Any]) -> list[RedFlag]:
    """Safety-screen flags (rf_) in the questionnaire's order, then secondary flags (xf_) in safety.yaml's order."""
    flags = []
    for q in questionnaire().step("safety").questions:
        if q.triage and answers.get(q.id) is True:
            flags.append(RedFlag(id=q.id, triage=q.triage, text=q.label, advice=q.urgent_advice,
                                 raised_by=[_words(q.id, True)]))
    for xf in safety_book().secondary_flags:
        if holds(xf.when, answers):
            flags.append(RedFlag(id=xf.id, triage=xf.triage, text=xf.label, advice=xf.advice,
                                 raised_by=_raised_by(xf.when, answers)))
    return flags


def flag_label(flag_id: str) -> str:
    """The words of a flag (rf_ from the safety screen, xf_ from safety.yaml), for a saved profile's flag ids."""
    for q in questionnaire().step("safety").questions:
        if q.id == flag_id:
            return q.label
    return next((f.label for f in safety_book().secondary_flags if f.id == flag_id), flag_id)


def triage_level(flags: list[RedFlag]) -> Triage:
    return max((f.triage for f in flags), key=TRIAGE_LEVELS.index, default="self_care")


def self_tests_not_asked(answers: dict[str, Any]) -> tuple[list[str], str] | None:
    """The self-test sections not asked after an instability or child-hip flag, and why (brief §2); else None."""
    rule = safety_book().self_tests_not_asked
    raised = {f.id for f in red_flags(answers)}
    if raised & set(rule.after):
        return list(rule.sections), rule.reason
    return None


def age_note(answers: dict[str, Any]) -> str | None:
    if answers.get("age_band") in ("45_59", "60_plus"):
        return (
            "From your mid-forties, knee pain from wear of the joint (osteoarthritis) becomes more common than "
            "runner's knee. This is not a warning sign, but a check with a physiotherapist or GP is worthwhile."
        )
    return None
