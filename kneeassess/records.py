"""What a runner's profile holds: assessments, runs, pain check-ins, exercise sessions. Validated values."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

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


class SavedAssessment(Record):
    created_at: datetime
    kind: Literal["screening", "reassessment"] = "screening"
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


LogRecord = Run | CheckIn | ExerciseSession | SavedAssessment
