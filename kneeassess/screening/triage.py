"""Safety triage (product brief §2, §3.2): the most severe level among the red flags, else self_care."""

from __future__ import annotations

from typing import Any

from kneeassess.content import TRIAGE_LEVELS, Triage, questionnaire
from kneeassess.models import RedFlag


def red_flags(answers: dict[str, Any]) -> list[RedFlag]:
    flags = []
    for q in questionnaire().step("safety").questions:
        if q.triage and answers.get(q.id) is True:
            flags.append(RedFlag(id=q.id, triage=q.triage, text=q.label, advice=q.urgent_advice))
    return flags


def triage_level(flags: list[RedFlag]) -> Triage:
    return max((f.triage for f in flags), key=TRIAGE_LEVELS.index, default="self_care")


def age_note(answers: dict[str, Any]) -> str | None:
    if answers.get("age_band") in ("45_59", "60_plus"):
        return (
            "From your mid-forties, knee pain from wear of the joint (osteoarthritis) becomes more common than "
            "runner's knee. This is not a warning sign, but a check with a physiotherapist or GP is worthwhile."
        )
    return None
