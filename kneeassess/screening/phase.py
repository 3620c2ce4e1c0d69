"""Phases of the pain-monitoring model (product brief §7; Silbernagel 2007, clinical-reference §4.4)."""

from __future__ import annotations

SAFE_MAX = 2  # 0-2: safe
ACCEPTABLE_MAX = 5  # up to 5: acceptable if it settles by next morning; above 5: too much
SETTLED_MAX = 2  # next-morning pain at or below this counts as settled


def phase_for(worst: int | None, morning: int | None) -> tuple[str, str]:
    """The phase and the reason in words, from the worst running pain and the next-morning pain (0-10)."""
    if worst is not None and worst > ACCEPTABLE_MAX:
        return "settle", f"Your worst running pain was {worst}/10, above 5/10, so the first job is to let it settle."
    if morning is not None and morning > SETTLED_MAX:
        return "settle", (
            f"Your knee still hurt {morning}/10 the morning after running, so it has not settled overnight; "
            "the first job is to let it settle."
        )
    if worst is None:
        return "settle", "You did not rate your running pain, so we start gently."
    if morning is None:
        return "build", (
            f"Your worst running pain was {worst}/10, but we do not know whether it settles by the next morning, "
            "so we do not progress yet."
        )
    if worst > SAFE_MAX:
        return "build", (
            f"Your worst running pain was {worst}/10 (acceptable: 3 to 5) and it settled by the next morning."
        )
    return "progress", f"Your worst running pain was {worst}/10 (2 or less) and it settled by the next morning."
