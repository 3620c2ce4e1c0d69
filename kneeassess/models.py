"""The assessment: what the screening concludes and why (product brief §10 is its JSON form)."""

from __future__ import annotations

from pydantic import BaseModel

from kneeassess.content import Link, Phase, Triage


class Reason(BaseModel):
    text: str
    points: int
    rule: str
    source: str


class WeakLink(BaseModel):
    link: Link
    score: int
    level: str  # likely | possible | unlikely
    tested: bool
    reasons: list[Reason]
    untested_note: str | None = None


class RedFlag(BaseModel):
    id: str  # rf_ (safety screen) or xf_ (another answer cross-checked, brief §3.2a)
    triage: Triage
    text: str
    advice: str | None = None
    raised_by: list[str] = []  # the answer(s) that raised it, in words: "Can you put your full weight ...: No"


class Call(BaseModel):
    label: str
    tel: str


class TriageAdvice(BaseModel):
    """What to do for a triage level (brief §10): built from data/safety.yaml and the clinic's numbers."""

    level: Triage
    title: str
    what_to_do: str
    by_when: str
    call: list[Call]


class PlanLimit(BaseModel):
    """Exercises left out of the plan because of a self-test answer, and why (brief §3.2a, §6)."""

    id: str
    text: str
    without: list[str]


class LoadFindings(BaseModel):
    weekly_km: list[float | None]  # oldest to newest: km_week_3 .. km_week_0
    change_pct: float | None  # last week against the mean of the three before
    week_on_week_pct: float | None  # last week against the week before
    acwr: float | None  # uncoupled: last 7 days / mean of days 8-28
    flags: list[str]
    findings: list[str]  # the same in words


class KujalaResult(BaseModel):
    total: int | None
    answered: int
    meaning: str
    version: str = ""  # which published version is scored


class PlanItem(BaseModel):
    exercise: str
    name: str
    level: int
    sets: int
    reps: int | None
    seconds: int | None
    seconds_max: int | None = None
    rest_seconds: int | None = None
    per_side: bool
    load: str | None = None
    dose: str
    origin: str
    why: str
    serves: list[str] = []  # the weak links this exercise serves in this plan


class Assessment(BaseModel):
    triage: Triage
    red_flags: list[str]
    red_flag_details: list[RedFlag]
    notes: list[str]
    akps: int | None
    kujala: KujalaResult
    weak_links: list[WeakLink]
    load: LoadFindings
    phase: Phase | None
    phase_reason: str | None
    plan: list[PlanItem]
    not_judged: list[str]
    disclaimer: str
    triage_advice: TriageAdvice | None = None  # None only in results saved before 2026-12-02
    plan_limits: list[PlanLimit] = []
    self_tests_not_asked: str | None = None  # why the single-leg squat and hop landing were not asked
