"""What the movement check returns: the figures (JSON-ready), or the problems that stopped it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from pydantic import BaseModel, ConfigDict

Side = Literal["left", "right"]
SIDES: tuple[Side, Side] = ("left", "right")
SquatKind = Literal["single_leg", "two_leg", "photo"]

# Each problem: what went wrong, and how to film it again. One place for the wording (CLI and screens).
PROBLEMS: dict[str, tuple[str, str]] = {
    "not_a_video": (
        "This file is not a video or a photo we can read.",
        "Record the squat with your phone's camera app and upload that file (MP4, MOV or WebM; a photo as JPEG or "
        "PNG).",
    ),
    "damaged": (
        "The video file is damaged or incomplete: it could not be read to the end.",
        "Upload the original from your phone's gallery again (files sent through messaging apps are often cut short).",
    ),
    "too_large": (
        "The video is too large (over {limit:g} MB).",
        "Film only the squats: 5 on each leg takes about 20 seconds.",
    ),
    "too_long": (
        "The video is too long (over {limit:g} seconds).",
        "Film only the squats: 5 on each leg takes about 20 seconds. Start recording just before the first one.",
    ),
    "nobody_in_view": (
        "Nobody could be seen in the video.",
        "Stand 2 to 3 metres from the camera, facing it, with your whole body in the picture.",
    ),
    "person_lost": (
        "You were out of view for part of the video.",
        "Stay in the middle of the picture the whole time, 2 to 3 metres from the camera.",
    ),
    "multiple_people": (
        "More than one person is in the picture.",
        "Film with only you in view; the person filming stays behind the camera.",
    ),
    "hips_out_of_frame": (
        "Your hips were out of the picture.",
        "Step back or hold the phone further away so your whole body, head to feet, is in view.",
    ),
    "feet_out_of_frame": (
        "Your feet were out of the picture.",
        "Hold the phone at knee height, 2 to 3 metres away, so your feet are in view the whole time.",
    ),
    "side_view": (
        "You were filmed from the side: the check needs you facing the camera.",
        "Face the camera square on, both hips towards it, and film from the front at knee height.",
    ),
    "too_dark": (
        "The video is too dark to see your knees and hips.",
        "Film in a well-lit room or outdoors, with the light behind the camera, not behind you.",
    ),
    "too_blurred": (
        "The video is too blurred to see your knees and hips.",
        "Rest the phone on something steady, wipe the lens and squat slowly.",
    ),
    "no_squat": (
        "No squat was found in the video.",
        "Squat down slowly until your knee is over your toes, then stand up; do 5 on each leg.",
    ),
    "too_few_reps": (
        "Too few squats were found ({found} on the {side} leg; at least {limit} are needed).",
        "Do 5 slow squats on each leg, standing up fully between them.",
    ),
    "pose_unavailable": (
        "The movement check is not available on this computer (the pose library could not be loaded).",
        "Answer the mirror questions instead; the rest of the check works as usual.",
    ),
}


@dataclass(frozen=True)
class Problem:
    code: str
    message: str
    how_to_refilm: str

    def line(self) -> str:
        return f"{self.message} {self.how_to_refilm}"


def problem(code: str, **values: object) -> Problem:
    message, how = PROBLEMS[code]
    return Problem(code, message.format(**values), how.format(**values))


class MovementRejected(Exception):
    """The video (or photo) could not be measured honestly. ``problems`` says why and how to film it again."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(p.message for p in problems))
        self.problems = problems


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Rep(_Model):
    number: int  # 1, 2, ... in the order filmed
    frame: int  # index of the deepest measured frame
    time_s: float
    fppa: float  # degrees; positive = knee inwards of the hip-ankle line
    pelvic_drop: float  # degrees; positive = the hip on the other side lower
    trunk_lean: float  # degrees from vertical; positive = towards the standing leg
    depth_pct: float | None  # hips lowered, % of leg length (None for a photo)


class Leg(_Model):
    side: Side
    reps: list[Rep]
    fppa: float  # median over the reps
    pelvic_drop: float
    trunk_lean: float
    depth_pct: float | None
    deepest_rep: int  # Rep.number shown in the picture
    knee_in: bool  # proposed answers, used only when the runner confirms them
    pelvis_drop: bool
    trunk_lean_proposed: bool


class Comparison(_Model):
    fppa_difference: float  # left minus right, degrees
    counts: bool  # larger than the smallest detectable difference
    further_in: Side | None
    smallest_detectable_difference: float
    sentence: str


class Measurement(_Model):
    squat: SquatKind
    legs: dict[Side, Leg]
    comparison: Comparison | None
    frames_measured: int
    person_found: int
    fppa_threshold: float
    fppa_threshold_sex: str
    sentences: list[str]
    notes: list[str]
    limits: list[str]


@dataclass
class MovementResult:
    """The figures, the annotated deepest frame of each leg (PNG), and the landmarks per measured frame."""

    measurement: Measurement
    pictures: dict[Side, bytes] = field(default_factory=dict)
    landmarks: list[list[list[float]] | None] = field(default_factory=list)  # per frame: 33 x [x, y, z, vis] px
    frame_size: tuple[int, int] = (0, 0)  # width, height of the original video
