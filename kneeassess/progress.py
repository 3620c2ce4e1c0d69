"""What the progress page shows, worked out from a profile's records. Pure: no Streamlit, no database."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from kneeassess.content import Phase
from kneeassess.models import Assessment, PlanItem
from kneeassess.records import CheckIn, ExerciseSession, Run, SavedAssessment
from kneeassess.safety import SafetyStatus
from kneeassess.screening.advice import triage_advice
from kneeassess.screening.load import ewma
from kneeassess.screening.phase import PhaseDecision, cap_phase, monday, weekly_pain, weekly_phases
from kneeassess.screening.plan import build_plan

SELF_TESTS = {
    "heel_raise_reps": "Heel raises",
    "bridge_reps": "Hamstring bridges",
    "side_plank_seconds": "Side plank (s)",
}


@dataclass(frozen=True)
class CurrentPhase:
    phase: Phase | None
    reason: str
    decisions: list[PhaseDecision]
    since: date | None


def latest(assessments: list[SavedAssessment]) -> tuple[SavedAssessment, Assessment] | None:
    if not assessments:
        return None
    rec = assessments[-1]
    return rec, Assessment.model_validate(rec.result)


def current_phase(
    assessments: list[SavedAssessment], checkins: list[CheckIn], today: date, safety: SafetyStatus | None = None
) -> CurrentPhase:
    """The latest assessment's phase, moved week by week by the check-ins logged since, never above what the
    profile's safety status allows (brief §7). Without ``safety``, the latest assessment's flag counts as
    unresolved."""
    found = latest(assessments)
    if found is None:
        return CurrentPhase(None, "No assessment yet.", [], None)
    rec, a = found
    if safety is None:
        safety = SafetyStatus(a.triage, tuple(a.red_flags), rec.created_at)
    if a.phase is None or safety.blocks_plan:
        title = triage_advice(safety.level).title
        return CurrentPhase(None, f"Your last knee check found a warning sign ({title}): no exercise plan until a "
                                  "new knee check no longer shows it.", [], None)
    start = rec.created_at.date()
    after = [(c.day, c.during, c.next_morning) for c in checkins if monday(c.day) > monday(start)]
    start_phase = a.phase
    start_reason = a.phase_reason or ""
    if safety.max_phase == "build":
        start_phase, start_reason = cap_phase(start_phase, start_reason)
    decisions = weekly_phases(start_phase, weekly_pain(after), today, max_phase=safety.max_phase)
    if not decisions:
        return CurrentPhase(start_phase, start_reason, [], start)
    last_change = next((d for d in reversed(decisions) if d.changed), None)
    reason = decisions[-1].reason if last_change is None else last_change.reason
    return CurrentPhase(decisions[-1].phase, reason, decisions, last_change.week_start if last_change else start)


GREEN_MAX = 2  # pain 0-2: the green zone
LEVEL_2_AFTER_WEEKS = 2


def ready_for_level_2(sessions: list[ExerciseSession], since: date, today: date) -> set[str]:
    """Exercises logged in two complete weeks since ``since`` with every rated pain in the green zone (0-2) and at
    least one rating each week: the first-weeks-at-level-1 exercises may then go to level 2 (brief §6)."""
    weeks: dict[str, dict[date, list[int | None]]] = {}
    for s in sessions:
        if s.day >= since and monday(s.day) < monday(today):
            weeks.setdefault(s.exercise, {}).setdefault(monday(s.day), []).append(s.pain)
    ready = set()
    for exercise, by_week in weeks.items():
        good = [w for w, pains in by_week.items()
                if any(p is not None for p in pains) and all(p is None or p <= GREEN_MAX for p in pains)]
        if len(good) >= LEVEL_2_AFTER_WEEKS:
            ready.add(exercise)
    return ready


def this_weeks_plan(
    assessments: list[SavedAssessment], phase: CurrentPhase, sessions: list[ExerciseSession] | None = None,
    today: date | None = None,
) -> list[PlanItem]:
    """This week's plan at the current phase: the assessment's limits (a painful self-test) still apply, and hop
    landings and strides stay at level 1 until two logged green weeks with them."""
    found = latest(assessments)
    if found is None or phase.phase is None:
        return []
    rec, a = found
    ready = ready_for_level_2(sessions or [], rec.created_at.date(), today or date.today())
    return build_plan(phase.phase, a.weak_links, limits=a.plan_limits, ready_for_level_2=ready)


@dataclass(frozen=True)
class WeekLoad:
    week_start: date
    km: float
    change_pct: float | None  # against the week before
    runs: int
    fast_minutes: float


PERIOD_WEEKS = 12  # what the progress page shows unless "Everything" is chosen


def window_start(today: date, weeks: int | None) -> date | None:
    """The first day of the last ``weeks`` weeks, this week included (None: no limit)."""
    return None if weeks is None else monday(today) - timedelta(weeks=weeks - 1)


def weekly_load(runs: list[Run], today: date, weeks: int | None = PERIOD_WEEKS) -> list[WeekLoad]:
    """Weeks (Monday to Sunday) from the first logged run, at most ``weeks`` (None: all), ending with this week."""
    if not runs:
        return []
    first = max(monday(min(r.day for r in runs)), window_start(today, weeks) or date.min)
    out: list[WeekLoad] = []
    start = first
    while start <= monday(today):
        inside = [r for r in runs if start <= r.day < start + timedelta(days=7)]
        km = round(sum(r.km for r in inside), 2)
        prev = out[-1].km if out else None
        change = None if not prev else round((km - prev) / prev * 100, 1)
        out.append(WeekLoad(start, km, change, len(inside), round(sum(r.fast_minutes for r in inside), 1)))
        start += timedelta(days=7)
    return out


@dataclass(frozen=True)
class DailyLoad:
    days: list[date]
    km: list[float]
    acute: list[float]
    chronic: list[float]
    ratio: list[float | None]  # shown only from day 28 on (EWMA needs a warm-up)


def daily_load(runs: list[Run], today: date) -> DailyLoad | None:
    """Daily km with the EWMA acute (7) and chronic (28) loads and their ratio (Williams 2017)."""
    if not runs:
        return None
    first = min(r.day for r in runs)
    n = (today - first).days + 1
    days = [first + timedelta(days=i) for i in range(n)]
    per_day: dict[date, float] = {}
    for r in runs:
        per_day[r.day] = per_day.get(r.day, 0) + r.km
    km = [round(per_day.get(d, 0.0), 2) for d in days]
    acute, chronic = ewma(km, 7), ewma(km, 28)
    ratio = [None if i < 27 or c == 0 else round(a / c, 2) for i, (a, c) in enumerate(zip(acute, chronic, strict=True))]
    return DailyLoad(days, km, acute, chronic, ratio)


@dataclass(frozen=True)
class WeekSessions:
    week_start: date
    done: int  # days with at least one exercise session logged
    planned: int


def sessions_vs_planned(
    sessions: list[ExerciseSession], planned: int, today: date, weeks: int | None = PERIOD_WEEKS
) -> list[WeekSessions]:
    if not sessions:
        return []
    first = max(monday(min(s.day for s in sessions)), window_start(today, weeks) or date.min)
    out, start = [], first
    while start <= monday(today):
        days = {s.day for s in sessions if start <= s.day < start + timedelta(days=7)}
        out.append(WeekSessions(start, len(days), planned))
        start += timedelta(days=7)
    return out


def kujala_series(assessments: list[SavedAssessment]) -> list[tuple[date, int]]:
    return [(a.created_at.date(), a.result["akps"]) for a in assessments if a.result.get("akps") is not None]


def link_scores(assessments: list[SavedAssessment]) -> list[tuple[date, str, int]]:
    return [(a.created_at.date(), w["link"], w["score"]) for a in assessments for w in a.result.get("weak_links", [])]


@dataclass(frozen=True)
class SideResult:
    test: str
    label: str
    day: date
    left: float | None
    right: float | None

    @property
    def asymmetry_pct(self) -> float | None:
        if self.left is None or self.right is None or max(self.left, self.right) == 0:
            return None
        return round(abs(self.left - self.right) / max(self.left, self.right) * 100, 1)


def self_test_results(assessments: list[SavedAssessment]) -> list[SideResult]:
    out = []
    for a in assessments:
        for test, label in SELF_TESTS.items():
            left, right = a.answers.get(f"{test}_left"), a.answers.get(f"{test}_right")
            if left is not None or right is not None:
                out.append(SideResult(test, label, a.created_at.date(), left, right))
    return out


# --------------------------------------------------------------------------------------------------
# One-line readings of the charts, in words
# --------------------------------------------------------------------------------------------------


def weekly_pain_reading(checkins: list[CheckIn]) -> str:
    weeks = weekly_pain([(c.day, c.during, c.next_morning) for c in checkins])
    last = weeks[-1]
    parts = []
    if last.worst is not None:
        zone = "safe (0–2)" if last.worst <= 2 else "acceptable (3–5)" if last.worst <= 5 else "too high (over 5)"
        parts.append(f"worst running pain {last.worst}/10, {zone}")
    if last.morning is not None:
        parts.append("settled by the next morning" if last.morning <= 2 else f"next morning {last.morning}/10")
    return f"Week of {last.week_start:%d %b}: " + (", ".join(parts) or "no ratings") + "."


def distance_reading(weeks: list[WeekLoad], factor: float, unit: str) -> str:
    last = weeks[-1]
    text = f"This week so far: {last.km * factor:.1f} {unit} in {last.runs} run{'' if last.runs == 1 else 's'}"
    if len(weeks) > 1:
        prev = weeks[-2]
        text += f"; last week {prev.km * factor:.1f} {unit}"
        if prev.change_pct is not None:
            text += f" ({prev.change_pct:+.0f}% on the week before)"
    return text + "."


def kujala_reading(series: list[tuple[date, int]]) -> str:
    first, last = series[0][1], series[-1][1]
    if len(series) == 1:
        return (f"Your score is {first}/100. Reassess in a few weeks: a change of 10 points or more is the smallest "
                "change that matters clinically.")
    change = last - first
    verdict = ("a clinically important improvement" if change >= 10 else "a clinically important worsening"
               if change <= -10 else "not yet a clinically important change")
    return f"From {first} to {last} ({change:+d} points): {verdict} (10 points is the clinically important change)."


def self_test_reading(rows: list[SideResult]) -> str:
    worst = max((r for r in rows if r.asymmetry_pct is not None), key=lambda r: r.asymmetry_pct or 0, default=None)
    if worst is None:
        return "Do both sides of a test to see the difference between them."
    return f"Largest difference between sides: {worst.label.lower()}, {worst.asymmetry_pct:g}% ({worst.day:%d %b})."


def links_reading(assessments: list[SavedAssessment]) -> str:
    from kneeassess.content import rulebook

    top = assessments[-1].result["weak_links"][0]
    name = rulebook().links[top["link"]].name
    return f"At your last check, your most likely weak link was {name.lower()} ({top['score']} out of 100)."
