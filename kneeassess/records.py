"""What a runner's profile holds: assessments, runs, pain check-ins, exercise sessions. Validated values."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

from kneeassess.content import Triage

Unit = Literal["km", "mi"]


class Record(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)

    id: int | None = None
    profile_id: str = ""


class Profile(BaseModel):
    id: str
    created_at: datetime
    unit: Unit = "km"
    event: str | None = None
    revision: int = 0  # raised by every write to the profile (a run, a rating, a check, the unit): a cache key
    # the flag follows the runner (brief §2): the latest assessment's triage and flags, and the day the runner
    # recorded that a clinician has checked the knee
    triage: Triage | None = None
    red_flags: list[str] = []
    triage_at: datetime | None = None
    clinician_checked_on: date | None = None


AssessmentKind = Literal["screening", "reassessment"]


class SavedAssessment(Record):
    created_at: datetime
    kind: AssessmentKind = "screening"
    answers: dict[str, Any]
    result: dict[str, Any]  # the Assessment as JSON, as shown when it was made


class Run(Record):
    day: date
    km: float = Field(gt=0, le=400, description="distance in km")
    minutes: float = Field(gt=0, le=24 * 60)
    effort: int | None = Field(default=None, ge=0, le=10, description="how hard it felt, 0-10")
    fast_minutes: float = Field(default=0, ge=0, description="minutes of fast running")
    source: str = "manual"
    started_at: datetime | None = None  # imported runs: matched on start time and distance
    avg_hr: int | None = Field(default=None, ge=20, le=250)

    @field_validator("fast_minutes")
    @classmethod
    def _fast_within_run(cls, v: float, info: ValidationInfo) -> float:
        minutes = info.data.get("minutes")
        if minutes is not None and v > minutes:
            raise ValueError("fast minutes cannot be more than the run's minutes")
        return v


class CheckIn(Record):
    day: date  # the day of the run the ratings are about
    during: int | None = Field(default=None, ge=0, le=10, description="worst knee pain during or after the run")
    next_morning: int | None = Field(default=None, ge=0, le=10, description="knee pain the next morning")

    @model_validator(mode="after")
    def _something(self) -> CheckIn:
        if self.during is None and self.next_morning is None:
            raise ValueError("give at least one pain rating")
        return self


class ExerciseSession(Record):
    day: date
    exercise: str = Field(min_length=1, max_length=60)
    sets: int = Field(ge=0, le=20)
    reps: int | None = Field(default=None, ge=0, le=200)
    seconds: int | None = Field(default=None, ge=0, le=600)
    load: str | None = Field(default=None, max_length=40)
    pain: int | None = Field(default=None, ge=0, le=10)


class MovementCheck(Record):
    """A confirmed movement check (squat video): the figures only, never the video."""

    created_at: datetime
    squat: Literal["single_leg", "two_leg", "photo"]
    fppa_left: float | None = Field(default=None, ge=-180, le=180)
    fppa_right: float | None = Field(default=None, ge=-180, le=180)
    figures: dict[str, Any]  # the Measurement as JSON (reps, pelvic drop, trunk lean, depth, notes)


LogRecord = Run | CheckIn | ExerciseSession | SavedAssessment | MovementCheck


# --------------------------------------------------------------------------------------------------
# Consultation requests, their delivery to the clinic, events, screenings, staff audit (kneeassess.leads)
# --------------------------------------------------------------------------------------------------

RequestStatus = Literal["new", "contacted", "booked", "attended", "not_booked"]
Channel = Literal["webhook", "email"]
OutboxStatus = Literal["pending", "sending", "delivered", "failed"]  # failed: given up, needs staff attention


class StaffNote(BaseModel):
    at: datetime
    staff: str
    text: str = ""
    status_from: str | None = None  # set when the note came with a change of status
    status_to: str | None = None


class Request(BaseModel):
    """A free-consultation request as stored (validated on the way in by :class:`kneeassess.leads.RequestIn`)."""

    id: int | None = None
    created_at: datetime
    updated_at: datetime
    status: RequestStatus = "new"
    name: str
    email: str | None = None
    phone: str | None = None  # E.164
    preferred_days: list[str] = []
    preferred_time: str = ""
    message: str = ""
    consent_contact: bool
    consent_marketing: bool = False
    consent_assessment: bool = False
    assessment: dict[str, Any] | None = None  # only when consent_assessment
    event: str | None = None
    utm_source: str | None = None  # where the runner came from (the link's utm_* parameters), for the dashboard
    utm_medium: str | None = None
    utm_campaign: str | None = None
    not_booked_reason: str | None = None  # with status not_booked: one of kneeassess.leads.NOT_BOOKED_REASONS
    profile_id: str | None = None
    notes: list[StaffNote] = []


class DeliveryAttempt(BaseModel):
    id: int | None = None
    outbox_id: int
    request_id: int
    at: datetime
    channel: Channel
    outcome: Literal["delivered", "failed"]
    http_status: int | None = None
    error: str | None = None


class OutboxItem(BaseModel):
    """One delivery of one request on one channel, with its attempts (oldest first) when asked for."""

    id: int
    request_id: int
    channel: Channel
    status: OutboxStatus
    attempts: int = 0
    created_at: datetime
    next_attempt_at: datetime
    claimed_until: datetime | None = None
    delivered_at: datetime | None = None
    last_error: str | None = None
    history: list[DeliveryAttempt] = []


class OutboxClaim(BaseModel):
    """A claimed outbox row: the worker holds it until ``item.claimed_until`` (the lease) with ``token``."""

    item: OutboxItem
    token: str
    request: Request


class Event(BaseModel):
    id: int | None = None
    slug: str
    name: str
    day: date
    place: str = ""
    created_at: datetime


class Screening(BaseModel):
    """One screening, for event statistics: no answers, no personal data."""

    id: int | None = None
    created_at: datetime
    event: str | None = None
    triage: str
    top_weak_link: str | None = None
    took_home: bool = False
    utm_source: str | None = None
    utm_medium: str | None = None
    utm_campaign: str | None = None


class Visit(BaseModel):
    """A visitor's first page in a browser session, for the growth funnel: where they came from, nothing else."""

    id: int | None = None
    created_at: datetime
    event: str | None = None
    utm_source: str | None = None
    utm_medium: str | None = None
    utm_campaign: str | None = None


class StatusChange(BaseModel):
    """One step of a request's outcome (``status_from`` None: the request arrived), kept for the funnel.

    Anonymous on its own: ``lead_key`` is a random key of the request (the same on all its steps) and
    ``request_id`` is cleared when the person is erased, so the counts survive erasure without naming anyone."""

    id: int | None = None
    request_id: int | None = None
    lead_key: str
    request_created_at: datetime
    at: datetime
    status_from: str | None = None
    status_to: str
    reason: str | None = None
    event: str | None = None
    utm_source: str | None = None
    utm_medium: str | None = None
    utm_campaign: str | None = None


class AuditEntry(BaseModel):
    id: int | None = None
    at: datetime
    staff: str
    action: str
    details: dict[str, Any] = {}


# --------------------------------------------------------------------------------------------------
# Follow-up reminders (kneeassess.reminders)
# --------------------------------------------------------------------------------------------------


class ReminderClaim(BaseModel):
    """A due reminder claimed by one worker until ``claimed_until`` (the lease), with what the email needs."""

    id: int
    token: str
    consent_id: int
    kind: str
    email: str
    home_link: str
    due_at: datetime
    attempts: int
    claimed_until: datetime
