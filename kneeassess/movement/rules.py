"""The movement check's thresholds from ``data/movement.yaml``, validated at load (a broken file names the field)."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from kneeassess.content import data_dir, load_model

Sex = Literal["female", "male"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class FppaNormal(_Strict):
    starting_point: Literal[True]
    by_sex: dict[Sex, float]
    unknown_sex: float = Field(gt=0, le=45)
    source: str = Field(min_length=10)


class Sdd(_Strict):
    fppa_degrees: float = Field(gt=0, le=30)
    starting_point: Literal[True]
    source: str = Field(min_length=10)


class Propose(_Strict):
    value: float = Field(gt=0, le=45)
    starting_point: Literal[True]
    sex: Literal["any", "female", "male"]
    source: str = Field(min_length=10)


class VideoLimits(_Strict):
    max_seconds: float = Field(gt=0, le=600)
    max_megabytes: float = Field(gt=0, le=2000)
    max_short_side_px: int = Field(ge=120, le=2160)
    sample_fps: float = Field(gt=0, le=60)
    source: str


class Quality(_Strict):
    min_person_share: float = Field(gt=0, le=1)
    min_landmark_visibility: float = Field(ge=0, le=1)
    min_in_frame_share: float = Field(gt=0, le=1)
    min_width_ratio: float = Field(gt=0, le=2)
    max_stance_ratio: float = Field(gt=1, le=20)
    min_brightness: float = Field(ge=0, le=255)
    min_sharpness: float = Field(ge=0)
    source: str


class SquatRules(_Strict):
    min_reps: int = Field(ge=1, le=20)
    min_depth: float = Field(gt=0, le=1)
    min_rise: float = Field(gt=0, le=1)
    foot_off_floor: float = Field(gt=0, le=1)
    single_leg_share: float = Field(gt=0, le=1)
    source: str


class MovementRules(_Strict):
    fppa_upper_normal: FppaNormal
    smallest_detectable_difference: Sdd
    pelvic_drop_propose_degrees: Propose
    trunk_lean_propose_degrees: Propose
    video: VideoLimits
    quality: Quality
    squat: SquatRules

    def fppa_threshold(self, sex: str | None) -> tuple[float, str]:
        """The FPPA upper normal for this sex, and which sex's figure it is (for the label)."""
        if sex in self.fppa_upper_normal.by_sex:
            return self.fppa_upper_normal.by_sex[sex], str(sex)
        return self.fppa_upper_normal.unknown_sex, "unknown (uses the higher, women's figure)"


def rules_path() -> Path:
    return data_dir() / "movement.yaml"


@cache
def movement_rules() -> MovementRules:
    rules: MovementRules = load_model(MovementRules, rules_path())
    return rules
