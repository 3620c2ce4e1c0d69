"""From landmarks per frame to the figures: which squat, repetitions per leg, and per repetition the FPPA,
pelvic drop, trunk lean and depth at its deepest point; then left against right (clinical-reference section 7).

Pure functions on numbers: no video, no MediaPipe, no Streamlit.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from statistics import median

import numpy as np
import numpy.typing as npt

from kneeassess.movement.models import (
    SIDES,
    Comparison,
    Leg,
    Measurement,
    MovementRejected,
    Problem,
    Rep,
    Side,
    SquatKind,
    problem,
)
from kneeassess.movement.pose import Landmarks
from kneeassess.movement.rules import MovementRules

SHOULDER = {"left": 11, "right": 12}
HIP = {"left": 23, "right": 24}
KNEE = {"left": 25, "right": 26}
ANKLE = {"left": 27, "right": 28}
OTHER: dict[Side, Side] = {"left": "right", "right": "left"}

Vec = npt.NDArray[np.float64]

LIMITS = [
    "This is a screening figure read from a flat video, not the angle of your knee joint: it agrees only "
    "moderately with 3D motion capture, and for the knee moving inwards sometimes poorly.",
    "A difference under about {sdd:g}° between your legs, or between one week and the next, cannot be told from "
    "measurement error.",
    "It does not show what causes your pain, and a large figure does not predict injury or mean that changing "
    "it will cure it: hip and knee exercises help whatever your squat looks like.",
    "Camera height and angle change the figure: film from the front at knee height, the same way each time.",
]


@dataclass
class Measured:
    measurement: Measurement
    deepest_frames: dict[Side, int]  # frame index of the picture per leg


def _pt(lm: Landmarks, i: int) -> Vec:
    return lm[i, :2]


def fppa(lm: Landmarks, side: Side) -> float:
    """Frontal-plane projection angle, degrees: positive when the knee lies inwards of the hip-ankle line."""
    hip, knee, ankle, other = _pt(lm, HIP[side]), _pt(lm, KNEE[side]), _pt(lm, ANKLE[side]), _pt(lm, HIP[OTHER[side]])
    thigh, shank = knee - hip, ankle - knee
    cos = float(np.dot(thigh, shank) / (np.linalg.norm(thigh) * np.linalg.norm(shank) + 1e-9))
    angle = math.degrees(math.acos(max(-1.0, min(1.0, cos))))
    axis = ankle - hip
    offset = (knee - hip) - axis * float(np.dot(knee - hip, axis) / (np.dot(axis, axis) + 1e-9))
    medial = float(np.dot(offset, other - hip)) > 0
    return angle if medial else -angle


def pelvic_drop(lm: Landmarks, side: Side) -> float:
    """The hip line against the horizontal, degrees: positive when the other side's hip is lower."""
    stance, other = _pt(lm, HIP[side]), _pt(lm, HIP[OTHER[side]])
    return math.degrees(math.atan2(other[1] - stance[1], abs(other[0] - stance[0]) + 1e-9))


def trunk_lean(lm: Landmarks, side: Side) -> float:
    """Mid-hip to mid-shoulder against the vertical, degrees: positive when leaning towards the standing leg."""
    hips = (_pt(lm, 23) + _pt(lm, 24)) / 2
    shoulders = (_pt(lm, 11) + _pt(lm, 12)) / 2
    v = shoulders - hips
    angle = math.degrees(math.atan2(abs(v[0]), -v[1] + 1e-9))
    towards = float(v[0] * (_pt(lm, HIP[side])[0] - _pt(lm, HIP[OTHER[side]])[0])) > 0
    return angle if towards else -angle


def _in_view(lm: Landmarks, idx: tuple[int, int], size: tuple[int, int], vis: float) -> bool:
    w, h = size
    return all(lm[i, 3] >= vis and -0.02 * w <= lm[i, 0] <= 1.02 * w and -0.02 * h <= lm[i, 1] <= 1.02 * h for i in idx)


def check_quality(
    lms: list[Landmarks | None], size: tuple[int, int], *, brightness: float, sharpness: float, uniform: bool,
    rules: MovementRules
) -> None:
    """Raise :class:`MovementRejected` with every problem that makes the figures untrustworthy."""
    q = rules.quality
    found = [lm for lm in lms if lm is not None]
    problems: list[Problem] = []
    if brightness < q.min_brightness:
        problems.append(problem("too_dark"))
    if not found:
        raise MovementRejected([*problems, problem("nobody_in_view")])
    if not uniform and sharpness < q.min_sharpness:
        problems.append(problem("too_blurred"))
    if len(found) < q.min_person_share * len(lms):
        problems.append(problem("person_lost"))
    hips = sum(_in_view(lm, (23, 24), size, q.min_landmark_visibility) for lm in found) / len(found)
    feet = sum(_in_view(lm, (27, 28), size, q.min_landmark_visibility) for lm in found) / len(found)
    if hips < q.min_in_frame_share:
        problems.append(problem("hips_out_of_frame"))
    if feet < q.min_in_frame_share:
        problems.append(problem("feet_out_of_frame"))
    ratios, stances = [], []
    for lm in found:
        torso = float(np.linalg.norm((_pt(lm, 11) + _pt(lm, 12)) / 2 - (_pt(lm, 23) + _pt(lm, 24)) / 2))
        shoulders = abs(lm[11, 0] - lm[12, 0])
        ratios.append(shoulders / (torso + 1e-9))
        stances.append(abs(lm[27, 0] - lm[28, 0]) / (shoulders + 1e-9))
    # facing sideways (shoulders seen edge-on), or the legs spread across the picture (a lunge seen from its side)
    if median(ratios) < q.min_width_ratio or median(stances) > q.max_stance_ratio:
        problems.append(problem("side_view"))
    if problems:
        raise MovementRejected(problems)


def _smooth(x: Vec) -> Vec:
    if len(x) < 3:
        return x
    padded = np.concatenate([x[:1], x, x[-1:]])
    out: Vec = np.median(np.stack([padded[:-2], padded[1:-1], padded[2:]]), axis=0)
    return out


def find_reps(depth: Vec, rules: MovementRules) -> list[tuple[int, int, int]]:
    """Repetitions in a depth signal (share of leg length, 0 = standing): (start, deepest, end) indices.

    A repetition goes down by at least ``min_depth`` and comes up again by at least ``min_rise`` of its own dip,
    so its deepest point is known (a last squat cut off at its bottom is not counted)."""
    s = rules.squat
    reps: list[tuple[int, int, int]] = []
    start, bottom, down, armed = 0, 0, False, True
    for i, d in enumerate(depth):
        if not down:
            if d < s.min_depth / 2:  # back up near standing: the next squat may start
                start, armed = i, True
            if armed and d >= s.min_depth:
                down, bottom = True, i
        else:
            if d > depth[bottom]:
                bottom = i
            if d <= depth[bottom] * (1 - s.min_rise):
                end = i
                while end + 1 < len(depth) and depth[end + 1] <= depth[end] and depth[end] >= s.min_depth / 2:
                    end += 1
                reps.append((start, bottom, end))
                down, armed = False, False
    return reps


def _raised_foot(lm: Landmarks, leg_length: float, rules: MovementRules) -> Side | None:
    gap = lm[ANKLE["left"], 1] - lm[ANKLE["right"], 1]  # image y grows downwards
    if gap < -rules.squat.foot_off_floor * leg_length:
        return "left"
    if gap > rules.squat.foot_off_floor * leg_length:
        return "right"
    return None


def _rep(number: int, frame: int, time_s: float, lm: Landmarks, side: Side, depth: float | None) -> Rep:
    return Rep(
        number=number, frame=frame, time_s=round(time_s, 2), fppa=round(fppa(lm, side), 1),
        pelvic_drop=round(pelvic_drop(lm, side), 1), trunk_lean=round(trunk_lean(lm, side), 1),
        depth_pct=None if depth is None else round(depth * 100, 0),
    )


def measure(
    lms: list[Landmarks | None], times: list[float], *, photo: bool, rules: MovementRules,
    side: str = "both", sex: str | None = None,
) -> Measured:
    """The figures. Assumes :func:`check_quality` passed. Raises MovementRejected for no / too few squats."""
    wanted: tuple[Side, ...] = SIDES if side == "both" else (side,)  # type: ignore[assignment]
    idx = [i for i, lm in enumerate(lms) if lm is not None]
    found: list[Landmarks] = [lm for lm in lms if lm is not None]
    hip_y = np.array([(lm[23, 1] + lm[24, 1]) / 2 for lm in found])
    ankle_y = np.array([max(lm[27, 1], lm[28, 1]) for lm in found])
    leg_length = float(np.percentile(ankle_y - hip_y, 90))
    per_leg: dict[Side, list[Rep]] = {"left": [], "right": []}
    kind: SquatKind
    if photo:
        kind = "photo"
        raised = _raised_foot(found[0], leg_length, rules)
        legs: tuple[Side, ...] = SIDES if raised is None else (OTHER[raised],)
        for leg in legs:
            per_leg[leg].append(_rep(1, idx[0], 0.0, found[0], leg, None))
    else:
        depth = _smooth((hip_y - float(np.percentile(hip_y, 10))) / max(leg_length, 1.0))
        reps = find_reps(depth, rules)
        if not reps:
            raise MovementRejected([problem("no_squat")])
        single = False
        counter = {"left": 0, "right": 0}
        plan: list[tuple[int, tuple[Side, ...]]] = []
        for start, bottom, end in reps:
            feet = [_raised_foot(found[i], leg_length, rules) for i in range(start, end + 1)]
            stance: tuple[Side, ...] = SIDES
            for up in SIDES:
                if feet.count(up) >= rules.squat.single_leg_share * len(feet):
                    stance, single = (OTHER[up],), True
            plan.append((bottom, stance))
        if single:  # a single-leg video: two-leg squats in it (e.g. a warm-up) are not measured
            plan = [(b, st) for b, st in plan if len(st) == 1]
        kind = "single_leg" if single else "two_leg"
        for bottom, stance in plan:
            for leg in stance:
                counter[leg] += 1
                per_leg[leg].append(_rep(counter[leg], idx[bottom], times[idx[bottom]], found[bottom], leg,
                                         float(depth[bottom])))
        problems = [
            problem("too_few_reps", found=len(per_leg[leg]), side=leg, limit=rules.squat.min_reps)
            for leg in wanted
            if (len(per_leg[leg]) > 0 or side != "both") and len(per_leg[leg]) < rules.squat.min_reps
        ]
        if not any(per_leg[leg] for leg in wanted):
            problems = problems or [problem("no_squat")]
        if problems:
            raise MovementRejected(problems)
    return _summarise(kind, per_leg, wanted, lms, rules, sex)


def _words(value: float) -> str:
    return f"{abs(value):.0f}° {'inwards' if value >= 0 else 'outwards'}"


def _summarise(
    kind: SquatKind, per_leg: dict[Side, list[Rep]], wanted: tuple[Side, ...], lms: list[Landmarks | None],
    rules: MovementRules, sex: str | None,
) -> Measured:
    threshold, threshold_sex = rules.fppa_threshold(sex)
    sdd = rules.smallest_detectable_difference.fppa_degrees
    legs: dict[Side, Leg] = {}
    pictures: dict[Side, int] = {}
    sentences: list[str] = []
    for side in wanted:
        reps = per_leg[side]
        if not reps:
            continue
        deepest = max(reps, key=lambda r: r.depth_pct or 0)
        pictures[side] = deepest.frame
        depths = [r.depth_pct for r in reps if r.depth_pct is not None]
        leg = Leg(
            side=side, reps=reps,
            fppa=round(median(r.fppa for r in reps), 1),
            pelvic_drop=round(median(r.pelvic_drop for r in reps), 1),
            trunk_lean=round(median(r.trunk_lean for r in reps), 1),
            depth_pct=round(median(depths), 0) if depths else None,
            deepest_rep=deepest.number, knee_in=False, pelvis_drop=False, trunk_lean_proposed=False,
        )
        leg = leg.model_copy(update={
            "knee_in": leg.fppa > threshold,
            "pelvis_drop": leg.pelvic_drop > rules.pelvic_drop_propose_degrees.value,
            "trunk_lean_proposed": abs(leg.trunk_lean) > rules.trunk_lean_propose_degrees.value,
        })
        legs[side] = leg
        squats = "the photo" if kind == "photo" else f"the middle of {len(reps)} squats"
        sentences.append(
            f"{side.capitalize()} leg ({squats}): your knee was {_words(leg.fppa)} of the hip-to-ankle line at the "
            f"deepest point; the hip on the other side {'dropped' if leg.pelvic_drop >= 0 else 'rose'} "
            f"{abs(leg.pelvic_drop):.0f}°; your upper body leaned {abs(leg.trunk_lean):.0f}° "
            f"{'towards' if leg.trunk_lean >= 0 else 'away from'} the standing leg"
            + (f"; your hips went down by {leg.depth_pct:.0f}% of your leg length." if leg.depth_pct else ".")
        )
    comparison = None
    if len(legs) == 2:
        left, right = legs["left"].fppa, legs["right"].fppa
        diff = round(left - right, 1)
        counts = abs(diff) >= sdd
        further: Side | None = ("left" if diff > 0 else "right") if counts else None
        if further is not None:
            lo = OTHER[further]
            sentence = (f"Your {further} knee drifted further inwards than your {lo}: "
                        f"{_words(legs[further].fppa)} against {_words(legs[lo].fppa)}.")
        else:
            sentence = (f"Your left and right knees moved about the same ({_words(left)} and {_words(right)}): a "
                        f"difference under {sdd:g}° cannot be told from measurement error.")
        comparison = Comparison(fppa_difference=diff, counts=counts, further_in=further,
                                smallest_detectable_difference=sdd, sentence=sentence)
        sentences.insert(0, sentence)
    notes = [
        f"Up to {threshold:g}° inwards is taken as usual in a single-leg squat (sex used: {threshold_sex}). This is "
        "a starting point: published ranges differ between studies."
    ]
    if any(abs(leg.fppa) > 30 for leg in legs.values()):
        notes.insert(0, "A figure over 30° usually means the camera was not square to you, or the squat went much "
                        "deeper than the test asks (knee over the toes): film again from the front at knee height.")
    if kind == "two_leg":
        notes.insert(0, "This was a two-leg squat: both knees were measured, but the single-leg squat is the better "
                        "test. Film 5 squats on each leg for the figures the self-test uses.")
    if kind == "single_leg" and len(legs) == 1 and len(wanted) == 2:
        only = next(iter(legs))
        notes.insert(0, f"Only the {only} leg was filmed standing: film the {OTHER[only]} leg too to compare them.")
    return Measured(
        Measurement(
            squat=kind, legs=legs, comparison=comparison, frames_measured=len(lms),
            person_found=sum(lm is not None for lm in lms), fppa_threshold=threshold,
            fppa_threshold_sex=threshold_sex, sentences=sentences, notes=notes,
            limits=[t.format(sdd=sdd) for t in LIMITS],
        ),
        pictures,
    )
