"""Every real activity file in the fixtures: what a runner sees when importing it."""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta, timezone

import fitdecode

from kneeassess.imports import fit as fit_module
from kneeassess.imports import preview_rows, read_paths, read_uploads, to_run
from tests.imports.conftest import read


def session_totals(data: bytes) -> dict:
    """The FIT file's own session message, read with fitdecode here - independently of the importer."""
    with fitdecode.FitReader(io.BytesIO(data)) as reader:
        for frame in reader:
            if isinstance(frame, fitdecode.FitDataMessage) and frame.name == "session":
                return {f.name: f.value for f in frame.fields}
    raise AssertionError("no session message")


def within(value: float, expected: float, share: float = 0.01) -> bool:
    return abs(value - expected) <= share * abs(expected)


def test_fenix2_run_matches_the_files_own_session_totals(fx):
    data = read("activity-small-fenix2-run.fit")
    totals = session_totals(data)
    result = read_uploads([("activity-small-fenix2-run.fit", data)])
    assert result.errors == [] and result.skipped == []
    (run,) = result.runs
    assert within(run.distance_km * 1000, totals["total_distance"])  # 9,008 m
    assert within(run.moving_s, totals["total_timer_time"])  # 2,832 s: the ~47-minute run
    assert 46 <= run.moving_s / 60 <= 48
    assert run.start == totals["start_time"] == datetime(2015, 8, 15, 14, 45, 8, tzinfo=UTC)
    assert run.sport == "run" and run.note is None
    assert 120 <= run.avg_hr <= 180  # from the records' heart rate (the session has no average)
    assert run.fast_minutes is not None and 0 < run.fast_minutes < run.moving_s / 60
    saved = to_run(run, "p")
    assert saved.day.isoformat() == "2015-08-15" and saved.minutes == round(run.moving_s / 60, 2)
    assert run.utc_offset_s == 2 * 3600  # the watch's local time (the day is the local one)
    (row,) = preview_rows(result)
    assert (row["km"], row["time"], row["status"]) == (9.01, "47:12", "new")
    assert row["pace_per_km"] == "5:14" and row["fast_min"] == run.fast_minutes
    assert saved.fast_minutes == run.fast_minutes and saved.source == "activity-small-fenix2-run.fit"


def _golden_time(text: str) -> datetime:
    """'Sun Jun 11 07:34:09 PDT 2017' (Pacific time, as fitparse's CSV writes it)."""
    zone = {"PDT": timezone(timedelta(hours=-7)), "PST": timezone(timedelta(hours=-8))}[text.split()[4]]
    return datetime.strptime(text.replace(text.split()[4] + " ", ""), "%a %b %d %H:%M:%S %Y").replace(tzinfo=zone)


def test_fenix5_records_match_the_golden_csv(fx):
    golden = list(csv.DictReader(io.StringIO(read("garmin-fenix-5-run-records.csv").decode())))
    (activity,) = fit_module.parse(read("garmin-fenix-5-run.fit"), "garmin-fenix-5-run.fit")
    assert len(activity.samples) == len(golden) == 21
    for sample, row in zip(activity.samples, golden, strict=True):
        assert sample.time == _golden_time(row["timestamp"])
        assert sample.heart_rate == int(row["heart_rate"])
        assert abs(sample.speed_mps - float(row["speed"])) < 1e-3
        assert abs(sample.distance_m - float(row["distance"])) < 1e-3
    (run,) = read_uploads([("garmin-fenix-5-run.fit", read("garmin-fenix-5-run.fit"))]).runs
    assert run.avg_hr == 90 and abs(run.distance_km - 0.158) < 0.001  # the session's own average and total


def test_strava_app_file_imports_without_heart_rate_despite_its_damaged_tail(fx):
    result = read_uploads([("strava-android-app-run.fit", read("strava-android-app-run.fit"))])
    assert result.errors == []
    (run,) = result.runs
    assert run.avg_hr is None
    assert abs(run.distance_km - 11.274) < 0.01 and run.moving_s == 3558  # the summary the app wrote first
    # the records stop after 5 minutes (the app crashed): too little speed data to count fast running
    assert run.fast_minutes is None and "damaged" in run.note and "fast minutes saved as 0" in run.note
    assert to_run(run, "p").fast_minutes == 0


def test_truncated_fit_is_an_error_and_the_other_files_still_import(fx):
    result = read_paths([fx / "activity-unexpected-eof.fit", fx / "activity-small-fenix2-run.fit"])
    assert [r.source for r in result.runs] == ["activity-small-fenix2-run.fit"]
    (error,) = result.errors
    assert error.source == "activity-unexpected-eof.fit"
    assert "cut short" in error.error and "771" in error.error  # its header announces 771 bytes, it has 768


def test_cycling_fit_is_skipped_as_not_a_run(fx):
    result = read_paths([fx / "cycling-sample-activity.fit"])
    assert result.runs == [] and result.errors == []
    assert [(s.source, s.reason) for s in result.skipped] == [("cycling-sample-activity.fit", "cycling: not a run")]


def test_gpx_with_only_a_waypoint_is_skipped_for_having_no_track(fx):
    """Skipped, not an error: the file is valid GPX - a saved place - it just holds no recorded activity."""
    result = read_paths([fx / "gpx_with_garmin_extension.gpx"])
    assert result.runs == [] and result.errors == []
    (skip,) = result.skipped
    assert skip.source == "gpx_with_garmin_extension.gpx" and "no track" in skip.reason


def test_tcx_run_matches_its_own_lap_totals(fx):
    data = read("running_activity_1.tcx")
    ns = {"t": "http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2"}
    laps = ET.fromstring(data).findall(".//t:Lap", ns)  # a trusted fixture: the stdlib parser is fine here
    distance = sum(float(lap.find("t:DistanceMeters", ns).text) for lap in laps)
    seconds = sum(float(lap.find("t:TotalTimeSeconds", ns).text) for lap in laps)
    assert len(laps) == 15
    (run,) = read_uploads([("running_activity_1.tcx", data)]).runs
    assert within(run.distance_km * 1000, distance) and abs(run.distance_km - 14.3) < 0.1
    assert within(run.moving_s, seconds)
    assert run.start == datetime(2014, 12, 26, 10, 0, 39, tzinfo=UTC)
    assert 140 <= run.avg_hr <= 190 and run.fast_minutes is not None


def test_all_fixtures_at_once_one_bad_file_does_not_stop_the_rest(fx):
    result = read_paths(sorted(p for p in fx.iterdir() if p.suffix in (".fit", ".gpx", ".tcx")))
    assert {r.source for r in result.runs} == {
        "activity-small-fenix2-run.fit", "garmin-fenix-5-run.fit", "strava-android-app-run.fit",
        "running_activity_1.tcx",
    }
    assert [r.start for r in result.runs] == sorted(r.start for r in result.runs)
    assert {s.source for s in result.skipped} == {"cycling-sample-activity.fit", "gpx_with_garmin_extension.gpx"}
    assert [e.source for e in result.errors] == ["activity-unexpected-eof.fit"]
