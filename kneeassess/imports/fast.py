"""Fast running from a speed stream, by one transparent rule, and moving time from the same stream.

The rule (what "fast minutes" means for an imported run):

* The stream is a list of (seconds, speed in m/s) samples. Each sample's speed holds until the next sample.
  A gap of more than ``MAX_GAP_S`` (30 s) between two samples is a pause: it is neither moving nor fast.
* **Moving** means faster than ``MOVING_MPS`` = 1.0 m/s (3.6 km/h, a slow walk: 16:40 per km). Standing at a
  crossing or walking slowly is not moving.
* The **median moving speed** is the median over moving time (each sample weighted by how long it holds).
* **Fast** means a speed at least ``FAST_FACTOR`` = 1.15 times that median, i.e. a pace at least 15% faster
  than the run's median moving pace (median 6:00/km -> 5:13/km or quicker).
* Only **stretches of ``MIN_STRETCH_S`` = 10 s or more** of uninterrupted fast running count: a few seconds
  of GPS jitter or a downhill step are not fast running. Fast minutes = the summed length of those stretches.

Speeds come from the file's own speed field when it has one (watches smooth it); otherwise they are derived
from the distance stream over a window of about five samples (see :func:`derived_speeds`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

MOVING_MPS = 1.0
FAST_FACTOR = 1.15
MIN_STRETCH_S = 10.0
MAX_GAP_S = 30.0

Stream = Sequence[tuple[float, float]]  # (seconds since start, speed m/s), by time


def _intervals(stream: Stream) -> list[tuple[float, float]]:
    """(duration, speed) for each sample: it holds until the next sample; the last holds for the usual step."""
    if not stream:
        return []
    steps = [b[0] - a[0] for a, b in zip(stream, stream[1:], strict=False) if b[0] > a[0]]
    usual = sorted(steps)[len(steps) // 2] if steps else 1.0
    out = []
    for i, (t, v) in enumerate(stream):
        dt = (stream[i + 1][0] - t) if i + 1 < len(stream) else min(usual, MAX_GAP_S)
        out.append((max(dt, 0.0), v))
    return out


def moving_seconds(stream: Stream) -> float:
    """Seconds spent faster than the walking threshold (pauses longer than MAX_GAP_S excluded)."""
    return sum(dt for dt, v in _intervals(stream) if dt <= MAX_GAP_S and v > MOVING_MPS)


def median_moving_speed(stream: Stream) -> float | None:
    moving = sorted((v, dt) for dt, v in _intervals(stream) if dt <= MAX_GAP_S and v > MOVING_MPS and dt > 0)
    total = sum(dt for _, dt in moving)
    if total <= 0:
        return None
    half, acc = total / 2, 0.0
    for v, dt in moving:
        acc += dt
        if acc >= half:
            return v
    return moving[-1][0]  # pragma: no cover - float rounding


def fast_minutes(stream: Stream) -> float:
    """Minutes of fast running by the rule above; 0 for a steady run or a stream without movement."""
    median = median_moving_speed(stream)
    if median is None:
        return 0.0
    threshold = median * FAST_FACTOR
    total = stretch = 0.0
    for dt, v in _intervals(stream):
        if dt <= MAX_GAP_S and v >= threshold:
            stretch += dt
            continue
        if stretch >= MIN_STRETCH_S:
            total += stretch
        stretch = 0.0
    if stretch >= MIN_STRETCH_S:
        total += stretch
    return round(total / 60, 2)


def derived_speeds(points: Sequence[tuple[float, float]], half_window: int = 2) -> list[tuple[float, float]]:
    """Speeds from a (seconds, cumulative metres) stream: distance over time across about five samples.

    The speed given to sample i is the one over [i - half_window, i + 1 + half_window], i.e. it describes the
    interval from sample i to the next one, which is how :func:`_intervals` uses it.
    """
    n = len(points)
    out = []
    for i in range(n):
        a = max(i - half_window, 0)
        b = min(i + 1 + half_window, n - 1)
        dt = points[b][0] - points[a][0]
        dd = points[b][1] - points[a][1]
        v = dd / dt if dt > 0 and dd >= 0 else 0.0
        out.append((points[i][0], v if math.isfinite(v) else 0.0))
    return out
