#!/usr/bin/env python3
"""Draws the exercise and self-test illustrations in this folder: ``python data/illustrations/make.py``.

The app only reads the SVG files this writes; run it again after changing a pose and commit its output.
Style: pictogram people in the clinic's primary colour (the far-side limbs in a lighter tint), two panels
("1 Start", "2 End"), a grey floor, and one highlight colour (amber) for arrows, guide lines and the key cue.
The SVG stays within what fpdf2 can embed in a PDF: rect, line, circle, polyline, polygon, path and text,
presentation attributes only (no CSS, no markers, no transforms).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

HERE = Path(__file__).resolve().parent

W, H = 480, 240
PANEL = 240
FLOOR = 196
PRIMARY = "#0f6e6e"
FAR = "#8dbdbd"  # the far-side arm and leg: the primary colour mixed with white
AMBER = "#d97706"
INK = "#1b2330"
PROP_FILL = "#e8ecef"
PROP_LINE = "#9aa5b1"
BAND = "#4b5563"  # the loop band
FONT = "DejaVu Sans, Verdana, Arial, sans-serif"

# segment lengths of the figure (px)
TORSO, NECK, HEAD_R = 52, 5, 11
THIGH, SHIN, FOOT = 40, 38, 14
UPPER, FORE = 30, 28
LIMB_W, TORSO_W = 8, 9
S_STEP = 0.85  # a figure standing on a step is drawn smaller so its head fits

Pt = tuple[float, float]


def at(p: Pt, angle: float, length: float) -> Pt:
    """The point ``length`` away from ``p`` at ``angle`` degrees (0 = right, 90 = down, as on screen)."""
    a = math.radians(angle)
    return (p[0] + length * math.cos(a), p[1] + length * math.sin(a))


def angle_of(a: Pt, b: Pt) -> float:
    return math.degrees(math.atan2(b[1] - a[1], b[0] - a[0]))


def ik(root: Pt, end: Pt, l1: float, l2: float, bend: int = 1) -> Pt:
    """The middle joint (knee, elbow) of a two-segment limb from ``root`` to ``end``; ``bend`` picks the side."""
    d = min(math.dist(root, end), l1 + l2 - 0.01)
    base = angle_of(root, end)
    cos_a = (l1 * l1 + d * d - l2 * l2) / (2 * l1 * d)
    a = math.degrees(math.acos(max(-1.0, min(1.0, cos_a))))
    return at(root, base - bend * a, l1)


def f(v: float) -> str:
    return f"{v:.1f}".rstrip("0").rstrip(".")


def pts(*ps: Pt) -> str:
    return " ".join(f"{f(x)},{f(y)}" for x, y in ps)


# --------------------------------------------------------------------------------------------------
# Drawing primitives (SVG strings)
# --------------------------------------------------------------------------------------------------


def limb(*ps: Pt, colour: str = PRIMARY, width: float = LIMB_W) -> str:
    return (
        f'<polyline points="{pts(*ps)}" fill="none" stroke="{colour}" stroke-width="{f(width)}" '
        'stroke-linecap="round" stroke-linejoin="round"/>'
    )


def line(a: Pt, b: Pt, colour: str = AMBER, width: float = 3, dash: str | None = None) -> str:
    d = f' stroke-dasharray="{dash}"' if dash else ""
    return (
        f'<line x1="{f(a[0])}" y1="{f(a[1])}" x2="{f(b[0])}" y2="{f(b[1])}" stroke="{colour}" '
        f'stroke-width="{f(width)}" stroke-linecap="round"{d}/>'
    )


def head_at(p: Pt, colour: str = PRIMARY, r: float = HEAD_R) -> str:
    return f'<circle cx="{f(p[0])}" cy="{f(p[1])}" r="{f(r)}" fill="{colour}"/>'


def arrow_head(tip: Pt, angle: float, colour: str = AMBER, size: float = 11) -> str:
    left = at(tip, angle + 180 - 28, size)
    right = at(tip, angle + 180 + 28, size)
    return f'<polygon points="{pts(tip, left, right)}" fill="{colour}"/>'


def arrow(a: Pt, b: Pt, colour: str = AMBER, width: float = 3.5, dash: str | None = None) -> str:
    """A straight arrow from ``a`` to ``b``."""
    ang = angle_of(a, b)
    shaft_end = at(b, ang + 180, 8)
    return line(a, shaft_end, colour, width, dash) + arrow_head(b, ang, colour)


def curved_arrow(a: Pt, c: Pt, b: Pt, colour: str = AMBER, width: float = 3.5, dash: str | None = None) -> str:
    """A curved arrow from ``a`` to ``b`` bending towards the control point ``c``."""
    ang = angle_of(c, b)
    shaft_end = at(b, ang + 180, 8)
    d = f' stroke-dasharray="{dash}"' if dash else ""
    return (
        f'<path d="M{f(a[0])},{f(a[1])} Q{f(c[0])},{f(c[1])} {f(shaft_end[0])},{f(shaft_end[1])}" fill="none" '
        f'stroke="{colour}" stroke-width="{f(width)}" stroke-linecap="round"{d}/>' + arrow_head(b, ang, colour)
    )


def right_angle(corner: Pt, a1: float, a2: float, size: float = 11) -> str:
    """A small square marking a 90-degree angle at ``corner`` between the directions ``a1`` and ``a2``."""
    p1 = at(corner, a1, size)
    p3 = at(corner, a2, size)
    p2 = (p1[0] + p3[0] - corner[0], p1[1] + p3[1] - corner[1])
    return (
        f'<polyline points="{pts(p1, p2, p3)}" fill="none" stroke="{AMBER}" stroke-width="3" '
        'stroke-linejoin="round"/>'
    )


def text(x: float, y: float, s: str, size: int = 15, colour: str = INK, anchor: str = "start",
         bold: bool = False) -> str:
    weight = ' font-weight="bold"' if bold else ""
    return (
        f'<text x="{f(x)}" y="{f(y)}" font-family="{FONT}" font-size="{size}" fill="{colour}" '
        f'text-anchor="{anchor}"{weight}>{escape(s)}</text>'
    )


def rect(x: float, y: float, w: float, h: float, fill: str = PROP_FILL, stroke: str = PROP_LINE) -> str:
    return (
        f'<rect x="{f(x)}" y="{f(y)}" width="{f(w)}" height="{f(h)}" rx="3" fill="{fill}" stroke="{stroke}" '
        'stroke-width="2"/>'
    )


def step(x: float, w: float, h: float) -> str:
    return rect(x, FLOOR - h, w, h)


def wall(x: float, w: float = 12, top: float = 44) -> str:
    return rect(x, top, w, FLOOR - top)


def chair(x: float, seat: float) -> str:
    """A chair seen from the side, seat front edge at ``x``, seat top ``seat`` px above the floor."""
    y = FLOOR - seat
    return (
        rect(x, y, 44, 7)
        + line((x + 5, y + 7), (x + 5, FLOOR), PROP_LINE, 4)
        + line((x + 39, y + 7), (x + 39, FLOOR), PROP_LINE, 4)
        + line((x + 41, y), (x + 46, y - 42), PROP_LINE, 5)
    )


def stopwatch(cx: float, cy: float, r: float = 13) -> str:
    return (
        f'<circle cx="{f(cx)}" cy="{f(cy)}" r="{f(r)}" fill="none" stroke="{AMBER}" stroke-width="3"/>'
        + line((cx, cy - r - 2), (cx, cy - r - 6), AMBER, 4)
        + line((cx, cy), (cx + r * 0.45, cy - r * 0.55), AMBER, 3)
    )


# --------------------------------------------------------------------------------------------------
# The figure
# --------------------------------------------------------------------------------------------------


@dataclass
class Figure:
    """Joint positions of a side-view pictogram person. ``n_`` = the near side (dark), ``f_`` = far (light)."""

    j: dict[str, Pt] = field(default_factory=dict)
    s: float = 1.0  # scale of the segment lengths

    def __getitem__(self, k: str) -> Pt:
        return self.j[k]

    def moved(self, dx: float, dy: float) -> Figure:
        return Figure({k: (x + dx, y + dy) for k, (x, y) in self.j.items()}, self.s)

    def placed(self, joint: str, target: Pt) -> Figure:
        x, y = self.j[joint]
        return self.moved(target[0] - x, target[1] - y)

    def svg(self, far_arm: bool = True, far_leg: bool = True) -> str:
        j = self.j
        out = []
        if far_arm and "f_hand" in j:
            out.append(limb(j["shoulder"], j["f_elbow"], j["f_hand"], colour=FAR))
        if far_leg and "f_toe" in j:
            out.append(limb(j["hip"], j["f_knee"], j["f_ankle"], j["f_toe"], colour=FAR))
        out.append(limb(j["hip"], j["shoulder"], width=TORSO_W))
        out.append(limb(j["hip"], j["n_knee"], j["n_ankle"], j["n_toe"]))
        out.append(limb(j["shoulder"], j["n_elbow"], j["n_hand"]))
        out.append(head_at(j["head"], r=HEAD_R * self.s))
        return "".join(out)


Leg = tuple[float, float, float]  # thigh, shin, foot angles
Arm = tuple[float, float]  # upper arm, forearm angles


def pose(torso: float = -90, head: float | None = None, near_leg: Leg = (90, 90, 0), far_leg: Leg = (90, 90, 0),
         near_arm: Arm = (95, 85), far_arm: Arm = (85, 95), s: float = 1.0) -> Figure:
    """A figure built from segment angles (degrees, 0 = right, 90 = down), hip at (0, 0), lengths scaled by s."""
    hip = (0.0, 0.0)
    shoulder = at(hip, torso, TORSO * s)
    j = {"hip": hip, "shoulder": shoulder,
         "head": at(shoulder, torso if head is None else head, (NECK + HEAD_R) * s)}
    for side, (thigh, shin, foot) in (("n", near_leg), ("f", far_leg)):
        j[f"{side}_knee"] = at(hip, thigh, THIGH * s)
        j[f"{side}_ankle"] = at(j[f"{side}_knee"], shin, SHIN * s)
        j[f"{side}_toe"] = at(j[f"{side}_ankle"], foot, FOOT * s)
    for side, (upper, fore) in (("n", near_arm), ("f", far_arm)):
        j[f"{side}_elbow"] = at(shoulder, upper, UPPER * s)
        j[f"{side}_hand"] = at(j[f"{side}_elbow"], fore, FORE * s)
    return Figure(j, s)


def set_leg(fig: Figure, side: str, ankle: Pt, foot: float, bend: int = 1) -> Figure:
    """Put a leg's ankle at ``ankle`` (the knee found by inverse kinematics)."""
    j = dict(fig.j)
    j[f"{side}_ankle"] = ankle
    j[f"{side}_knee"] = ik(j["hip"], ankle, THIGH * fig.s, SHIN * fig.s, bend)
    j[f"{side}_toe"] = at(ankle, foot, FOOT * fig.s)
    return Figure(j, fig.s)


def front_figure(cx: float, *, squat: float = 0.0, knee_in: float = 0.0, lift: float = 22) -> str:
    """A front-view figure standing on its left-hand leg (as seen), the other foot lifted ``lift`` px.

    ``squat`` 0..1 bends the standing knee (the thigh looks shorter as it points forward); ``knee_in`` moves the
    standing knee towards the midline.
    """
    ankle = (cx - 11, FLOOR - 5)
    thigh = THIGH * (1 - 0.45 * squat)
    shin = SHIN * (1 - 0.12 * squat)
    knee = (ankle[0] - knee_in, ankle[1] - shin)
    hip_y = knee[1] - thigh
    pelvis = (cx, hip_y)
    hip_n = (cx - 11, hip_y)
    hip_f = (cx + 11, hip_y)
    neck = (cx, hip_y - TORSO)
    sh_n, sh_f = (cx - 17, neck[1] + 4), (cx + 17, neck[1] + 4)
    f_ankle = (cx + 15, FLOOR - 5 - lift)
    f_knee = (cx + 16, f_ankle[1] - SHIN * 0.75)
    out = [
        limb(hip_f, f_knee, f_ankle, colour=FAR),
        limb(f_ankle, (f_ankle[0] + 9, f_ankle[1] + 2), colour=FAR),
        limb(pelvis, neck, width=TORSO_W),
        limb(hip_n, hip_f),
        limb(sh_n, sh_f),
        limb(hip_n, knee, ankle),
        limb(ankle, (ankle[0] - 10, ankle[1] + 1)),
        limb(sh_n, (sh_n[0] - 16, sh_n[1] + 22), (sh_n[0] - 26, sh_n[1] + 44)),
        limb(sh_f, (sh_f[0] + 16, sh_f[1] + 22), (sh_f[0] + 26, sh_f[1] + 44)),
        head_at((cx, neck[1] - NECK - HEAD_R + 2)),
    ]
    return "".join(out)


# --------------------------------------------------------------------------------------------------
# Composition
# --------------------------------------------------------------------------------------------------


@dataclass
class Panel:
    label: str
    body: str
    caption: str = ""


def document(item_id: str, title: str, desc: str, left: Panel, right: Panel) -> str:
    parts = [
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 480 240" width="480" height="240" role="img" '
        f'aria-labelledby="{item_id}-title {item_id}-desc">',
        f'<title id="{item_id}-title">{escape(title)}</title>',
        f'<desc id="{item_id}-desc">{escape(desc)}</desc>',
        f'<rect x="0" y="0" width="{W}" height="{H}" rx="14" fill="#ffffff"/>',
        line((PANEL, 14), (PANEL, H - 14), "#d5dbe1", 2, "4 6"),
    ]
    for i, panel in enumerate((left, right)):
        x0 = i * PANEL
        parts.append(line((x0 + 12, FLOOR), (x0 + PANEL - 12, FLOOR), PROP_LINE, 3))
        parts.append(panel.body)
        parts.append(text(x0 + 14, 26, panel.label, 16, INK, bold=True))
        if panel.caption:
            parts.append(text(x0 + PANEL / 2, 224, panel.caption, 15, AMBER, "middle", bold=True))
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


START, END = "1  Start", "2  End"

# ---------------------------------------------------------------------------------------------- exercises


def floor_reach() -> tuple[Panel, Panel]:
    a = pose(near_arm=(72, 84), far_arm=(80, 88), far_leg=(88, 92, 0)).placed("n_ankle", (104, FLOOR - 5))
    b = pose(torso=-14, head=-8, near_leg=(70, 97, 0), far_leg=(72, 95, 0), near_arm=(84, 88),
             far_arm=(90, 86)).placed("n_ankle", (PANEL + 104, FLOOR - 5))
    hip = b["hip"]
    cue = curved_arrow((hip[0] + 4, hip[1] - 22), (hip[0] - 22, hip[1] - 30), (hip[0] - 32, hip[1] - 6))
    back = line(at(hip, -104, 14), at(b["shoulder"], -104, 14), AMBER, 3, "2 7")
    return (
        Panel(START, a.svg(), "Stand tall"),
        Panel(END, back + b.svg() + cue, "Hinge at the hips"),
    )


LYING_ARM: Arm = (8, 0)


def banded_hip_flexion() -> tuple[Panel, Panel]:
    a = pose(torso=183, head=185, near_leg=(0, 0, -80), far_leg=(1, 0, -80), near_arm=LYING_ARM,
             far_arm=LYING_ARM).placed("hip", (126, FLOOR - 6))
    band_a = (
        f'<ellipse cx="{f(a["n_ankle"][0] + 2)}" cy="{f(a["n_ankle"][1] - 5)}" rx="7" ry="10" fill="none" '
        f'stroke="{BAND}" stroke-width="3"/>'
    )
    b = pose(torso=183, head=185, near_leg=(-102, -12, -100), far_leg=(1, 0, -80), near_arm=LYING_ARM,
             far_arm=LYING_ARM).placed("hip", (PANEL + 110, FLOOR - 6))
    na, fa = b["n_ankle"], b["f_ankle"]
    band_b = line((na[0] - 1, na[1] - 5), (fa[0] + 2, fa[1] - 9), BAND, 2.5) + line(
        (na[0] + 1, na[1] + 5), (fa[0] - 2, fa[1] + 1), BAND, 2.5
    )
    knee = a["n_knee"]
    lift = curved_arrow((knee[0] + 6, knee[1] - 18), (knee[0] + 2, knee[1] - 62), (knee[0] - 34, knee[1] - 62))
    mark = right_angle(b["n_knee"], 78, -12, 12)
    label = text(b["n_knee"][0] - 14, b["n_knee"][1] - 14, "90°", 16, AMBER, "end", bold=True)
    return (
        Panel(START, a.svg() + band_a + lift, "Loop band round both feet"),
        Panel(END, b.svg() + band_b + mark + label, "Knee to chest, keep 90°"),
    )


def _hop(step_h: float, label: str | None = None) -> tuple[Panel, Panel]:
    top = FLOOR - step_h
    a = pose(torso=-88, near_leg=(90, 90, 0), far_leg=(115, 170, 120), near_arm=(105, 60), far_arm=(95, 70),
             s=S_STEP).placed("n_ankle", (76, top - 5))
    step_a = step(30, 84, step_h)
    hop = curved_arrow((134, top - 10), (184, top - 44), (198, FLOOR - 14), dash="7 6")
    b = pose(torso=-74, near_leg=(58, 112, 0), far_leg=(118, 168, 125), near_arm=(40, -10), far_arm=(150, 170),
             s=S_STEP).placed("n_ankle", (PANEL + 146, FLOOR - 5))
    step_b = step(PANEL + 18, 70, step_h)
    knee = b["n_knee"]
    guide = line((knee[0], knee[1] - 2), (knee[0], FLOOR - 8), AMBER, 3, "3 6")
    extra = text(72, top + step_h / 2 + 5, label, 14, INK, "middle") if label else ""
    return (
        Panel(START, step_a + extra + a.svg() + hop, "Hop down"),
        Panel(END, step_b + guide + b.svg(), "Land on one leg"),
    )


def single_leg_hop_landing() -> tuple[Panel, Panel]:
    left, right = _hop(24)
    right.caption = "Land softly, knee over toes"
    return left, right


def _side_plank() -> tuple[Figure, Figure]:
    # Start: hips on the floor, elbow under the shoulder, legs along the floor.
    elbow = (166.0, FLOOR - 5)
    shoulder = (elbow[0], elbow[1] - UPPER)
    hip_a = (shoulder[0] - math.sqrt(TORSO**2 - (FLOOR - 6 - shoulder[1]) ** 2), FLOOR - 6)
    a = _plank(shoulder, hip_a, 180)
    # End: one straight line from shoulder to feet, feet on the floor.
    slope = math.degrees(math.asin((FLOOR - 6 - shoulder[1]) / (TORSO + THIGH + SHIN)))
    hip_b = at(shoulder, 180 - slope, TORSO)
    b = _plank(shoulder, hip_b, 180 - slope)
    return a, b


def _plank(shoulder: Pt, hip: Pt, legs: float) -> Figure:
    torso = angle_of(hip, shoulder)
    j: dict[str, Pt] = {"hip": hip, "shoulder": shoulder, "head": at(shoulder, torso - 6, NECK + HEAD_R)}
    for side, off in (("n", 0), ("f", 2)):
        j[f"{side}_knee"] = at(hip, legs + off, THIGH)
        j[f"{side}_ankle"] = at(j[f"{side}_knee"], legs + off, SHIN)
        j[f"{side}_toe"] = at(j[f"{side}_ankle"], legs - 90, FOOT - 3)
    j["n_elbow"] = (shoulder[0], shoulder[1] + UPPER)
    j["n_hand"] = (shoulder[0] + FORE, shoulder[1] + UPPER)
    j["f_elbow"] = at(shoulder, torso + 180 - 35, UPPER)
    j["f_hand"] = at(hip, torso - 60, 8)
    return Figure(j)


def side_plank() -> tuple[Panel, Panel]:
    a, b = _side_plank()
    b = b.moved(PANEL, 0)
    up = arrow((a["hip"][0], a["hip"][1] - 12), (a["hip"][0], a["hip"][1] - 46))
    ang = angle_of(b["n_ankle"], b["shoulder"])
    straight = line(at(b["n_ankle"], ang - 90, 14), at(b["shoulder"], ang - 90, 14), AMBER, 3, "3 7")
    return (
        Panel(START, a.svg() + up, "Elbow under shoulder"),
        Panel(END, straight + b.svg(), "Hips up, body straight"),
    )


HANDS_ON_HIPS: Arm = (112, 10)


def reverse_lunge() -> tuple[Panel, Panel]:
    a = pose(near_arm=HANDS_ON_HIPS, far_arm=HANDS_ON_HIPS, far_leg=(88, 92, 0)).placed("n_ankle", (120, FLOOR - 5))
    back = curved_arrow((a["n_ankle"][0] - 14, FLOOR - 16), (a["n_ankle"][0] - 40, FLOOR - 40),
                        (a["n_ankle"][0] - 76, FLOOR - 14))
    b = pose(near_leg=(90, 177, 62), far_leg=(14, 90, 0), near_arm=HANDS_ON_HIPS,
             far_arm=HANDS_ON_HIPS).placed("f_ankle", (PANEL + 162, FLOOR - 5))
    b = b.moved(0, FLOOR - 5 - b["n_toe"][1])
    guide = line((b["n_knee"][0] - 16, b["n_knee"][1] + 4), (b["shoulder"][0] - 16, b["shoulder"][1] - 6), AMBER, 3,
                 "3 7")
    return (
        Panel(START, a.svg() + back, "Step one leg back"),
        Panel(END, guide + b.svg(), "Knee–hip–shoulder in line"),
    )


def _calf_raise(x: float, knee_bent: bool, on_step: bool, up: bool) -> tuple[Figure, str]:
    """A figure on one leg facing a wall at the right, rising onto its toes when ``up``."""
    leg: Leg = (80, 101, 0) if knee_bent else (90, 90, 0)
    foot = 50 if up else (-24 if on_step else 0)
    near_leg = (leg[0], leg[1], foot)
    s = S_STEP if on_step else 1.0
    fig = pose(torso=-88, near_leg=near_leg, far_leg=(108, 165, 120), near_arm=(-12, 0), far_arm=(100, 80), s=s)
    step_h = 24 if on_step else 0
    toe = (x + 12, FLOOR - step_h - 5)
    fig = fig.placed("n_toe", toe)
    props = ""
    if on_step:
        props += step(toe[0] - 6, 60, step_h)
    hand = fig["n_hand"]
    props += wall(hand[0] + 3, 12, 40)
    return fig, props


def _calf_panels(knee_bent: bool, on_step: bool, captions: tuple[str, str]) -> tuple[Panel, Panel]:
    a, props_a = _calf_raise(96, knee_bent, on_step, up=False)
    b, props_b = _calf_raise(PANEL + 96, knee_bent, on_step, up=True)
    heel_x = b["n_ankle"][0] - 16
    base = FLOOR - (24 if on_step else 0)
    up = arrow((heel_x, base - 6), (heel_x, base - 42))
    return (
        Panel(START, props_a + a.svg(), captions[0]),
        Panel(END, props_b + b.svg() + up, captions[1]),
    )


def bent_knee_calf_raise() -> tuple[Panel, Panel]:
    return _calf_panels(True, False, ("Knee slightly bent", "Keep it bent, rise high"))


def single_leg_calf_raise() -> tuple[Panel, Panel]:
    return _calf_panels(False, True, ("Heel below the step", "Knee straight, rise high"))


def _bridge(x: float, hips_up: bool, heel: Pt, other_leg: float | None, knee_bend: int = 1) -> Figure:
    """Lying on the back, head to the left, one heel at ``heel``; the other leg straight at ``other_leg``
    (None: in line with the working thigh)."""
    shoulder = (x, FLOOR - 7)
    hip = (shoulder[0] + TORSO - 1, FLOOR - 7)
    if hips_up:
        # shoulder, hip and knee in one line, as high as the shin allows
        for tenth in range(600, 0, -5):
            rise = -tenth / 10
            knee = at(shoulder, rise, TORSO + THIGH)
            if math.dist(knee, heel) <= SHIN:
                hip = at(shoulder, rise, TORSO)
                break
    torso = angle_of(hip, shoulder)
    j: dict[str, Pt] = {"hip": hip, "shoulder": shoulder, "head": (shoulder[0] - NECK - HEAD_R + 2, FLOOR - HEAD_R - 1)}
    j["n_knee"] = ik(hip, heel, THIGH, SHIN, knee_bend)
    j["n_ankle"] = heel
    j["n_toe"] = at(heel, -62, FOOT)
    other = angle_of(hip, j["n_knee"]) if other_leg is None else other_leg
    j["f_knee"] = at(hip, other, THIGH)
    j["f_ankle"] = at(j["f_knee"], other, SHIN)
    j["f_toe"] = at(j["f_ankle"], other - 80, FOOT - 2)
    j["n_elbow"] = at(shoulder, torso + 180 + 8, UPPER)
    j["n_hand"] = at(j["n_elbow"], torso + 180 + 4, FORE)
    j["f_elbow"], j["f_hand"] = j["n_elbow"], j["n_hand"]
    return Figure(j)


def single_leg_bridge() -> tuple[Panel, Panel]:
    heel = (146.0, FLOOR - 5)
    a = _bridge(52, False, heel, -38)
    b = _bridge(PANEL + 52, True, (PANEL + heel[0], heel[1]), None)
    up = arrow((a["hip"][0], a["hip"][1] - 12), (a["hip"][0], a["hip"][1] - 44))
    ang = angle_of(b["shoulder"], b["n_knee"])
    guide = line(at(b["shoulder"], ang - 90, 13), at(b["n_knee"], ang - 90, 13), AMBER, 3, "3 7")
    return (
        Panel(START, a.svg(far_arm=False) + up, "One leg up, heel down"),
        Panel(END, guide + b.svg(far_arm=False), "Hips up to a straight line"),
    )


def wall_sit() -> tuple[Panel, Panel]:
    wall_x = 40
    ankle = (wall_x + 12 + 6 + THIGH * math.cos(math.radians(8)) + 2, FLOOR - 5)

    def sit(x0: float, hip_y: float, arms: Arm) -> Figure:
        fig = pose(torso=-90, near_arm=arms, far_arm=arms).placed("hip", (x0 + wall_x + 12 + 7, hip_y))
        fig = set_leg(fig, "n", (x0 + ankle[0], ankle[1]), 0, bend=1)
        return set_leg(fig, "f", (x0 + ankle[0] + 3, ankle[1]), 0, bend=1)

    a = sit(0, FLOOR - 5 - math.sqrt((THIGH + SHIN - 1) ** 2 - (ankle[0] - wall_x - 19) ** 2), (80, 95))
    b = sit(PANEL, FLOOR - 5 - SHIN - 3, (70, 20))
    down = arrow((a["hip"][0] + 40, a["hip"][1] - 36), (a["hip"][0] + 40, a["hip"][1] + 4))
    knee = b["n_knee"]
    guide = line((knee[0] + 4, knee[1] - 4), (knee[0] + 4, FLOOR - 8), AMBER, 3, "3 6")
    return (
        Panel(START, wall(wall_x) + a.svg() + down, "Back on the wall"),
        Panel(END, wall(PANEL + wall_x) + guide + b.svg(), "Slide down, knees over toes"),
    )


def strides() -> tuple[Panel, Panel]:
    run = pose(torso=-76, head=-80, near_leg=(38, 118, 10), far_leg=(118, 150, 95), near_arm=(118, 40),
               far_arm=(60, -40))
    run = run.placed("f_toe", (120, FLOOR - 3))
    lines = "".join(
        line((run["hip"][0] - 44 - d, y), (run["hip"][0] - 16 - d, y), AMBER, 4)
        for d, y in ((0, run["shoulder"][1] + 6), (12, run["hip"][1] - 8), (4, run["hip"][1] + 22))
    )
    walk = pose(torso=-88, near_leg=(68, 102, 0), far_leg=(112, 100, 25), near_arm=(112, 95),
                far_arm=(68, 60)).placed("n_ankle", (PANEL + 150, FLOOR - 5))
    walk = walk.moved(0, FLOOR - 5 - max(walk["n_ankle"][1], walk["f_toe"][1] - 4))
    clock = stopwatch(PANEL + 206, 64)
    return (
        Panel("1  Fast, 15 s or less", lines + run.svg(), "Fast but relaxed"),
        Panel("2  Easy, up to 90 s", walk.svg() + clock, "Walk or jog to recover"),
    )


# ---------------------------------------------------------------------------------------------- self-tests


def single_leg_squat_test() -> tuple[Panel, Panel]:
    side = pose(torso=-72, near_leg=(40, 118, 0), far_leg=(14, 40, -20), near_arm=(-8, -4),
                far_arm=(-2, -8)).placed("n_ankle", (96, FLOOR - 5))
    knee = side["n_knee"]
    over = line((knee[0], knee[1] - 2), (knee[0], FLOOR - 8), AMBER, 3, "3 6")
    cx = PANEL + 120
    front = front_figure(cx, squat=1.0)
    knee_x = cx - 11
    hips_y = FLOOR - 5 - SHIN * 0.88 - THIGH * 0.55
    guide = line((knee_x, hips_y + 12), (knee_x, FLOOR - 4), AMBER, 3, "2 6")
    level = line((cx - 34, hips_y), (cx + 34, hips_y), AMBER, 3, "3 6")
    return (
        Panel("1  Squat on one leg", over + side.svg(), "Knee goes over the toes"),
        Panel("2  Watch from the front", level + front + guide, "Knee in line, hips level"),
    )


def heel_raise_test() -> tuple[Panel, Panel]:
    return _calf_panels(False, False, ("Fingertips on the wall", "Rise high, count reps"))


def hamstring_bridge_test() -> tuple[Panel, Panel]:
    seat = 44

    def build(x0: float, up: bool) -> tuple[Figure, str]:
        heel = (x0 + 155.0, FLOOR - seat - 5)
        return _bridge(x0 + 36, up, heel, -88, knee_bend=1), chair(x0 + 149, seat)

    a, chair_a = build(0, False)
    b, chair_b = build(PANEL, True)
    up = arrow((a["hip"][0] + 2, a["hip"][1] - 12), (a["hip"][0] + 2, a["hip"][1] - 44))
    return (
        Panel(START, chair_a + a.svg(far_arm=False) + up, "Heel on a chair"),
        Panel(END, chair_b + b.svg(far_arm=False), "Push through heel, hips up"),
    )


def side_plank_test() -> tuple[Panel, Panel]:
    left, right = side_plank()
    right.body += stopwatch(PANEL + 208, 60) + text(PANEL + 208, 96, "Time it", 14, AMBER, "middle", bold=True)
    right.caption = "Hold a straight line"
    return left, right


def hop_landing_test() -> tuple[Panel, Panel]:
    left, right = _hop(26, "20 cm")
    left.caption = "One leg on a low step"
    right.caption = "Land on it, hold 3 s"
    return left, right


# --------------------------------------------------------------------------------------------------
# The catalogue of pictures: id -> (title, description / alt text, drawing)
# --------------------------------------------------------------------------------------------------

ILLUSTRATIONS = {
    "floor_reach": (
        "Floor reach",
        "Two pictures of a person seen from the side. Start: standing tall, feet hip-width apart, arms by the "
        "sides. End: hips pushed back with a soft bend in the knees, back long and almost flat, hands reaching "
        "down towards the floor. An arrow shows the hips moving back. Cue: hinge at the hips.",
        floor_reach,
    ),
    "banded_hip_flexion": (
        "Banded hip flexion",
        "Two pictures of a person lying on their back with a loop band around both feet. Start: both legs "
        "straight on the floor; an arrow shows one knee coming up. End: one knee pulled towards the chest "
        "against the band, bent at a right angle (90 degrees), the other leg straight on the floor. Cue: knee to "
        "chest, keep 90 degrees.",
        banded_hip_flexion,
    ),
    "single_leg_hop_landing": (
        "Single-leg hop landing",
        "Two pictures seen from the side. Start: standing on one leg on a low step, the other foot lifted "
        "behind; a dashed arrow shows the hop down. End: landed on the floor on the same leg, knee bent and "
        "over the toes, arms out for balance. Cue: land softly with the knee over the toes.",
        single_leg_hop_landing,
    ),
    "side_plank": (
        "Side plank",
        "Two pictures of a person lying on their side, seen from the front. Start: elbow on the floor under the "
        "shoulder, hips on the floor, legs straight; an arrow shows the hips lifting. End: hips lifted so the "
        "body is one straight line from the shoulder to the feet, resting on the elbow and the feet. Cue: hips "
        "up, body straight.",
        side_plank,
    ),
    "reverse_lunge": (
        "Reverse lunge",
        "Two pictures seen from the side. Start: standing tall; an arrow shows one leg stepping back. End: the "
        "back knee lowered towards the floor, the front knee bent to about 90 degrees, the body upright, with a "
        "dashed line showing the back knee, hip and shoulder in one straight line. Cue: knee, hip and shoulder "
        "in line.",
        reverse_lunge,
    ),
    "bent_knee_calf_raise": (
        "Bent-knee calf raise",
        "Two pictures seen from the side of a person standing on one leg with a hand on a wall, the other foot "
        "lifted behind. Start: the standing knee slightly bent, foot flat. End: risen high onto the ball of the "
        "foot with the knee still bent; an arrow shows the heel lifting. Cue: keep the knee bent and rise high.",
        bent_knee_calf_raise,
    ),
    "single_leg_calf_raise": (
        "Single-leg calf raise",
        "Two pictures seen from the side of a person standing on one leg on the edge of a step, a hand on a "
        "wall, the other foot lifted behind. Start: the heel lowered below the step (level 2; at level 1 you "
        "stand on the floor). End: risen high onto the ball of the foot with the knee straight; an arrow shows "
        "the heel lifting. Cue: knee straight, rise high.",
        single_leg_calf_raise,
    ),
    "single_leg_bridge": (
        "Single-leg bridge",
        "Two pictures of a person lying on their back. Start: one knee bent with the heel on the floor, the "
        "other leg lifted straight; an arrow shows the hips lifting. End: hips lifted so the shoulder, hip and "
        "knee make one straight line, with the lifted leg in line with the thigh. Cue: hips up to a straight "
        "line.",
        single_leg_bridge,
    ),
    "wall_sit": (
        "Wall sit",
        "Two pictures seen from the side. Start: back against a wall, feet a step out in front; an arrow shows "
        "sliding down. End: slid down the wall with the knees bent and over the toes, only as deep as is "
        "comfortable. Cue: slide down, knees over toes.",
        wall_sit,
    ),
    "strides": (
        "Strides",
        "Two pictures seen from the side. First: a person running fast, leaning slightly forward with motion "
        "lines behind, for 15 seconds or less. Second: the same person walking, with a stopwatch, recovering "
        "for up to 90 seconds. Cue: fast but relaxed, then walk or jog to recover.",
        strides,
    ),
    "single_leg_squat": (
        "Single-leg squat self-test",
        "Two pictures of a person squatting on one leg, the other foot off the floor. First, seen from the "
        "side: the knee bends forward until it is over the toes (a dashed line runs down from the knee to the "
        "toes). Second, seen from the front as in a mirror: the knee stays in line over the foot (a dashed line "
        "from the hip to the foot) and the hips stay level (a dashed line across the hips). Cue: knee in line, "
        "hips level.",
        single_leg_squat_test,
    ),
    "heel_raise": (
        "Single-leg heel raise self-test",
        "Two pictures seen from the side of a person standing on one leg on the floor, fingertips on a wall, the "
        "other foot lifted behind. Start: foot flat, knee straight. End: risen high onto the ball of the foot; "
        "an arrow shows the heel lifting. Cue: rise high and count the repetitions.",
        heel_raise_test,
    ),
    "hamstring_bridge": (
        "Single-leg hamstring bridge self-test",
        "Two pictures of a person lying on their back with one heel on a chair seat, knee slightly bent, and the "
        "other leg pointing up. Start: hips on the floor; an arrow shows the hips lifting. End: hips lifted off "
        "the floor by pushing through the heel on the chair. Cue: push through the heel, hips up.",
        hamstring_bridge_test,
    ),
    "side_plank_test": (
        "Side plank self-test",
        "Two pictures of a person lying on their side, seen from the front. Start: elbow under the shoulder, "
        "hips on the floor; an arrow shows the hips lifting. End: hips lifted so the body is one straight line "
        "from the shoulder to the feet, with a stopwatch: time how long you can hold it. Cue: hold a straight "
        "line.",
        side_plank_test,
    ),
    "hop_landing_test": (
        "Step-down hop landing self-test",
        "Two pictures seen from the side. Start: standing on one leg on a low step about 20 cm high; a dashed "
        "arrow shows the hop down. End: landed on the floor on the same leg, knee bent and over the toes, arms "
        "out for balance. Cue: land on one leg and hold it for 3 seconds.",
        hop_landing_test,
    ),
}


def render(item_id: str) -> str:
    title, desc, draw = ILLUSTRATIONS[item_id]
    left, right = draw()
    return document(item_id, title, desc, left, right)


def main() -> None:
    for item_id in ILLUSTRATIONS:
        (HERE / f"{item_id}.svg").write_text(render(item_id), encoding="utf-8")
        print(f"wrote {item_id}.svg")


if __name__ == "__main__":
    main()
