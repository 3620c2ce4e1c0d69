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
    id: str
    triage: Triage
    text: str
    advice: str | None = None


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
