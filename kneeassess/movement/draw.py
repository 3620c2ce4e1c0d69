"""The deepest frame of a leg with the skeleton drawn and the FPPA marked (PNG bytes)."""

from __future__ import annotations

import math

import cv2
import numpy as np

from kneeassess.movement.measure import ANKLE, HIP, KNEE, OTHER
from kneeassess.movement.models import Side
from kneeassess.movement.pose import Landmarks

_BONES = ((11, 12), (11, 23), (12, 24), (23, 24), (23, 25), (25, 27), (24, 26), (26, 28))
_GREY = (230, 230, 230)
_LEG = (0, 140, 255)  # BGR orange: the measured leg
_LINE = (255, 200, 0)  # BGR light blue: hip-to-ankle line


def annotate(jpeg: bytes, lm: Landmarks, scale: float, side: Side, fppa: float) -> bytes:
    """``lm`` in the measured frame's pixels; ``scale`` = picture pixels per measured pixel."""
    img = cv2.imdecode(np.frombuffer(jpeg, np.uint8), cv2.IMREAD_COLOR)
    if img is None:
        return b""
    h, w = img.shape[:2]
    thick = max(2, round(min(h, w) / 160))

    def p(i: int) -> tuple[int, int]:
        return round(float(lm[i, 0]) * scale), round(float(lm[i, 1]) * scale)

    for a, b in _BONES:
        cv2.line(img, p(a), p(b), _GREY, thick, cv2.LINE_AA)
    hip, knee, ankle = p(HIP[side]), p(KNEE[side]), p(ANKLE[side])
    cv2.line(img, hip, ankle, _LINE, max(1, thick // 2), cv2.LINE_AA)  # the straight line the knee is compared with
    cv2.line(img, hip, knee, _LEG, thick + 1, cv2.LINE_AA)
    cv2.line(img, knee, ankle, _LEG, thick + 1, cv2.LINE_AA)
    for pt in (hip, knee, ankle, p(HIP[OTHER[side]])):
        cv2.circle(img, pt, thick + 2, (255, 255, 255), -1, cv2.LINE_AA)
        cv2.circle(img, pt, thick + 2, _LEG, 1, cv2.LINE_AA)
    # the angle between the thigh's continuation and the shank, as an arc at the knee
    r = max(12, round(min(h, w) / 12))
    thigh = math.degrees(math.atan2(knee[1] - hip[1], knee[0] - hip[0]))
    shank = math.degrees(math.atan2(ankle[1] - knee[1], ankle[0] - knee[0]))
    start, end = sorted((thigh, shank))
    if end - start > 180:
        start, end = end, start + 360
    cv2.line(img, knee, (round(knee[0] + r * 1.4 * math.cos(math.radians(thigh))),
                         round(knee[1] + r * 1.4 * math.sin(math.radians(thigh)))), _LINE, 1, cv2.LINE_AA)
    cv2.ellipse(img, knee, (r, r), 0, start, end, _LEG, thick, cv2.LINE_AA)
    label = f"{fppa:+.0f} deg"
    font, fs = cv2.FONT_HERSHEY_SIMPLEX, min(h, w) / 500
    (tw, th), _ = cv2.getTextSize(label, font, fs, thick)
    x = min(max(4, knee[0] + r + 6), w - tw - 6)
    y = max(th + 6, knee[1])
    cv2.rectangle(img, (x - 4, y - th - 6), (x + tw + 4, y + 6), (30, 30, 30), -1)
    cv2.putText(img, label, (x, y), font, fs, (255, 255, 255), thick // 2 + 1, cv2.LINE_AA)
    ok, buf = cv2.imencode(".png", img)
    return buf.tobytes() if ok else b""
