"""Phases of the pain-monitoring model (product brief §7; Silbernagel 2007, clinical-reference §4.4)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from kneeassess.content import Phase

SAFE_MAX = 2  # 0-2: safe
ACCEPTABLE_MAX = 5  # up to 5: acceptable if it settles by next morning; above 5: too much
SETTLED_MAX = 2  # next-morning pain at or below this counts as settled


ORDER: tuple[Phase, ...] = ("settle", "build", "progress")


def phase_for(worst: int | None, morning: int | None) -> tuple[Phase, str]:
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


CAPPED_AT: Phase = "build"  # an unresolved see_clinician flag: never above build (brief §7)
CAP_REASON = (
    "Because one of your answers needs a clinician's check, you stay at the build phase at most (no hop landings, "
    "no strides) until a clinician has checked your knee or a new knee check no longer shows the warning sign."
)


def cap_phase(phase: Phase, reason: str | None) -> tuple[Phase, str]:
    """The phase held at ``build`` at most, for a runner with an unresolved see_clinician flag."""
    if ORDER.index(phase) <= ORDER.index(CAPPED_AT):
        return phase, reason or ""
    return CAPPED_AT, f"{reason} {CAP_REASON}" if reason else CAP_REASON


# --------------------------------------------------------------------------------------------------
# Week by week from logged check-ins (brief §7): progress after two good weeks, drop back on a bad one.
# --------------------------------------------------------------------------------------------------

MEANINGFUL_RISE = 2  # a change of 2 points on the 0-10 scale is meaningful for one person (Farrar 2001)


@dataclass(frozen=True)
class WeekPain:
    week_start: date  # Monday
    worst: int | None  # worst pain during or after runs that week
    morning: int | None  # worst next-morning pain that week
    mean: float | None  # mean of the during-run ratings


@dataclass(frozen=True)
class PhaseDecision:
    week_start: date
    phase: Phase
    changed: bool
    reason: str


def monday(d: date) -> date:
    return d - timedelta(days=d.weekday())


def weekly_pain(checkins: list[tuple[date, int | None, int | None]]) -> list[WeekPain]:
    """Check-ins (day, during, next morning) grouped into weeks, oldest first."""
    weeks: dict[date, list[tuple[int | None, int | None]]] = {}
    for day, during, morning in checkins:
        weeks.setdefault(monday(day), []).append((during, morning))
    out = []
    for start in sorted(weeks):
        runs = [d for d, _ in weeks[start] if d is not None]
        mornings = [m for _, m in weeks[start] if m is not None]
        out.append(
            WeekPain(
                week_start=start,
                worst=max(runs) if runs else None,
                morning=max(mornings) if mornings else None,
                mean=round(sum(runs) / len(runs), 2) if runs else None,
            )
        )
    return out


def _drop_reason(week: WeekPain, before: WeekPain | None) -> str | None:
    if week.worst is not None and week.worst > ACCEPTABLE_MAX:
        return f"pain reached {week.worst}/10 during or after a run (above 5)"
    if week.morning is not None and week.morning > SETTLED_MAX:
        return f"next-morning pain was {week.morning}/10, so it did not settle overnight"
    if before and before.mean is not None and week.mean is not None and week.mean - before.mean >= MEANINGFUL_RISE:
        return f"your average running pain rose from {before.mean:g} to {week.mean:g} out of 10"
    return None


def _good_for(phase: str, week: WeekPain) -> bool:
    """A week that counts towards moving up from ``phase``."""
    if week.worst is None or week.morning is None:
        return False  # both ratings are needed to know the pain settled
    if phase == "settle":
        return week.worst <= ACCEPTABLE_MAX and week.morning <= SETTLED_MAX
    return week.worst <= SAFE_MAX and week.morning <= SETTLED_MAX


def weekly_phases(
    start_phase: Phase, weeks: list[WeekPain], until: date, max_phase: Phase = "progress"
) -> list[PhaseDecision]:
    """Replay the weeks after the assessment: two good weeks in a row move up a phase, a bad week drops back.

    Only complete weeks (ending before ``until``'s week) decide; the current week is still being lived. The phase
    never moves above ``max_phase`` (``build`` while a see_clinician flag is unresolved, brief §7).
    """
    if ORDER.index(start_phase) > ORDER.index(max_phase):
        start_phase = max_phase
    phase, streak, before = start_phase, 0, None
    decisions = []
    for week in weeks:
        if week.week_start >= monday(until):
            break
        if before and (week.week_start - before.week_start).days > 7:
            streak, before = 0, None  # a week without check-ins breaks a run of good weeks
        drop = _drop_reason(week, before)
        if drop:
            new = ORDER[max(0, ORDER.index(phase) - 1)]
            reason = f"Week of {week.week_start:%d %b}: {drop}" + (
                f", so back to {new}." if new != phase else f", so stay in {phase}."
            )
            decisions.append(PhaseDecision(week.week_start, new, new != phase, reason))
            phase, streak = new, 0
        elif _good_for(phase, week):
            streak += 1
            if streak >= 2 and phase == max_phase != ORDER[-1]:
                decisions.append(PhaseDecision(
                    week.week_start, phase, False,
                    f"Week of {week.week_start:%d %b}: a good week, but you stay at {phase}. {CAP_REASON}",
                ))
                streak = 0
            elif streak >= 2 and phase != ORDER[-1]:
                new = ORDER[ORDER.index(phase) + 1]
                limit = "5" if phase == "settle" else "2"
                decisions.append(PhaseDecision(
                    week.week_start, new, True,
                    f"Two weeks with running pain at or below {limit}/10 that settled overnight, so on to {new}.",
                ))
                phase, streak = new, 0
            else:
                decisions.append(PhaseDecision(
                    week.week_start, phase, False, f"Week of {week.week_start:%d %b}: a good week ({streak} of 2)."
                ))
        else:
            streak = 0
            decisions.append(PhaseDecision(
                week.week_start, phase, False,
                f"Week of {week.week_start:%d %b}: pain was acceptable but not low enough to move on, so hold.",
            ))
        before = week
    return decisions
