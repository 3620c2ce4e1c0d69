"""The fast-running rule: stretches of 10 s or more at 15% or more above the median moving speed."""

from __future__ import annotations

from kneeassess.imports import fast, read_uploads
from tests.imports.conftest import strides, track_gpx


def stream(speeds: list[float]) -> list[tuple[float, float]]:
    return [(float(t), v) for t, v in enumerate(speeds)]


def test_six_15_second_strides_make_one_and_a_half_fast_minutes():
    assert fast.fast_minutes(stream(strides())) == 1.5


def test_stretches_shorter_than_10_seconds_do_not_count():
    assert fast.fast_minutes(stream(strides(length=8))) == 0
    assert fast.fast_minutes(stream(strides(length=10))) == 1.0  # exactly 10 s counts: 6 x 10 s


def test_a_steady_run_has_no_fast_minutes():
    wobble = [3.0 + (0.08 if t % 7 < 3 else -0.08) for t in range(1800)]  # +-3%: GPS noise, not strides
    assert fast.fast_minutes(stream(wobble)) == 0


def test_just_under_15_percent_faster_is_not_fast():
    assert fast.fast_minutes(stream(strides(fast=3.0 * 1.14))) == 0
    assert fast.fast_minutes(stream(strides(fast=3.0 * 1.16))) == 1.5


def test_stops_are_not_moving_and_do_not_lower_the_median():
    speeds = strides()
    speeds[300:420] = [0.0] * 120  # two minutes at a crossing, between strides 4 and 5
    assert fast.moving_seconds(stream(speeds)) == 600 - 120
    assert fast.median_moving_speed(stream(speeds)) == 3.0
    walk_only = stream([0.8] * 300)  # below the 1.0 m/s walking threshold throughout
    assert fast.moving_seconds(walk_only) == 0 and fast.fast_minutes(walk_only) == 0


def test_a_gap_in_recording_breaks_a_stretch():
    pts = [(float(t), 3.0) for t in range(300)] + [(300.0, 4.0), (306.0, 4.0), (345.0, 4.0), (350.0, 4.0)]
    pts += [(351.0 + t, 3.0) for t in range(300)]
    # 300-306-345: 6 s then a 39 s gap (a pause: over 30 s) then 5 s + 1 s: each part under 10 s
    assert fast.fast_minutes(pts) == 0


def test_a_gpx_with_strides_gets_its_fast_minutes_from_positions():
    """End to end: speeds derived from GPS positions (a 5-sample window) still find the six strides."""
    result = read_uploads([("strides.gpx", track_gpx(strides(), sport="running"))])
    (run,) = result.runs
    assert abs(run.fast_minutes - 1.5) <= 0.25, run
    assert abs(run.distance_km - sum(strides()) / 1000) < 0.005
    assert abs(run.moving_s - 600) <= 2 and run.avg_hr == 150 and run.sport == "run" and run.note is None
