"""A guided exercise session: this week's plan as a list of steps (work, hold, rest), one at a time.

Pure: the page keeps the step index and the start time of a timed step; everything else is derived here.
"""

from __future__ import annotations

from dataclasses import dataclass

from kneeassess.models import PlanItem
from kneeassess.settings import current

REST_BETWEEN_SETS_S = 60  # when an exercise gives no rest time: a minute, skippable ("rest as long as you need")


def time_scale() -> float:
    """Seconds on the clock per second of exercise. Tests shorten sessions with KNEEASSESS_TIME_SCALE=0.01."""
    return current().time_scale


@dataclass(frozen=True)
class Step:
    kind: str  # "reps" | "hold" | "rest"
    exercise: str
    name: str
    set_no: int
    sets: int
    side: str | None  # "left" | "right" | None
    reps: int | None = None
    seconds: int | None = None  # hold or rest length

    @property
    def title(self) -> str:
        if self.kind == "rest":
            return f"Rest · next: {self.name}"
        side = f" · {self.side} side" if self.side else ""
        return f"{self.name} · set {self.set_no} of {self.sets}{side}"

    @property
    def instruction(self) -> str:
        if self.kind == "reps":
            return f"{self.reps} reps"
        if self.kind == "hold":
            return f"Hold for {self.seconds} seconds"
        return f"Rest for up to {self.seconds} seconds"


def steps_for(plan: list[PlanItem]) -> list[Step]:
    out: list[Step] = []
    for item in plan:
        sides: list[str | None] = ["left", "right"] if item.per_side else [None]
        rest = item.rest_seconds or REST_BETWEEN_SETS_S
        for set_no in range(1, item.sets + 1):
            for side in sides:
                if item.reps is not None:
                    out.append(Step("reps", item.exercise, item.name, set_no, item.sets, side, reps=item.reps))
                else:
                    out.append(Step("hold", item.exercise, item.name, set_no, item.sets, side, seconds=item.seconds))
            if set_no < item.sets:
                out.append(Step("rest", item.exercise, item.name, set_no, item.sets, None, seconds=rest))
    return out


def remaining(step: Step, started_at: float, now: float) -> float:
    """Seconds of the timed step still to go (in exercise seconds), never below 0."""
    if step.seconds is None:
        return 0.0
    elapsed = (now - started_at) / time_scale()
    return max(0.0, step.seconds - elapsed)


def done_exercises(steps: list[Step], completed: int) -> dict[str, int]:
    """Sets completed per exercise after ``completed`` steps (a set counts when all its sides are done)."""
    counts: dict[tuple[str, int], int] = {}
    needed: dict[tuple[str, int], int] = {}
    for i, s in enumerate(steps):
        if s.kind == "rest":
            continue
        key = (s.exercise, s.set_no)
        needed[key] = needed.get(key, 0) + 1
        if i < completed:
            counts[key] = counts.get(key, 0) + 1
    out: dict[str, int] = {exercise: 0 for exercise, _ in needed}
    for key, n in counts.items():
        if n == needed[key]:
            out[key[0]] += 1
    return out


def position(steps: list[Step], index: int) -> str:
    """Where the runner is, in words: "Exercise 2 of 8 · set 1 of 3" (rests are not steps of their own)."""
    exercises = list(dict.fromkeys(s.exercise for s in steps))
    if not exercises:
        return ""
    if index >= len(steps):
        return f"All {len(exercises)} exercises done"
    s = steps[index]
    if s.kind == "rest":  # a rest belongs to the set after it
        return f"Exercise {exercises.index(s.exercise) + 1} of {len(exercises)} · rest before set {s.set_no + 1}"
    return f"Exercise {exercises.index(s.exercise) + 1} of {len(exercises)} · set {s.set_no} of {s.sets}"
