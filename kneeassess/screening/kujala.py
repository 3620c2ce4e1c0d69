"""Kujala Anterior Knee Pain Scale (clinical-reference §1.1): 13 items, total 0-100, higher is better."""

from __future__ import annotations

from typing import Any

from kneeassess.content import questionnaire
from kneeassess.models import KujalaResult

MCID = 10  # Crossley 2004: a change of 10 points is clinically important
VERSION = (
    "Kujala Anterior Knee Pain Scale (Kujala 1993), 13 items scored 0 to 100 as in the table published in "
    "J Orthop 2023;42:54-62 (a constant limp scores 0; some other published versions score it 2)."
)


def item_ids() -> list[str]:
    return [q.id for q in questionnaire().step("knee_score").questions]


def kujala(answers: dict[str, Any]) -> KujalaResult:
    ids = item_ids()
    answered = [i for i in ids if answers.get(i) is not None]
    if len(answered) < len(ids):
        return KujalaResult(
            total=None,
            answered=len(answered),
            meaning=(
                f"You answered {len(answered)} of {len(ids)} knee-score questions. The score is only "
                "worked out when all are answered."
            ),
            version=VERSION,
        )
    total = sum(int(answers[i]) for i in ids)
    return KujalaResult(total=total, answered=len(ids), meaning=meaning(total), version=VERSION)


def meaning(total: int) -> str:
    """What the total means, told against published reference points rather than invented bands."""
    if total >= 100:
        where = "That is the best possible score, the score people without knee trouble usually get."
    else:
        where = (
            "People without knee trouble usually score 100. Young people with runner's knee averaged about 62 "
            "in one study. Adults starting treatment are often said to score around 65 to 80, but we could not "
            "confirm that range in a specific study."
        )
    return (
        f"{total} out of 100 (higher is better). {where} Repeat it in a few weeks: a change of {MCID} points "
        "or more is the smallest change that matters clinically (Crossley 2004)."
    )
