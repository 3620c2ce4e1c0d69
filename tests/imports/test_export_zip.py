"""A Strava bulk export ZIP end to end, saving to a profile, and re-importing it (nothing added)."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import pytest

from kneeassess.imports import (
    ImportResult,
    is_duplicate,
    preview_rows,
    read_paths,
    read_uploads,
    save_runs,
    to_run,
)
from kneeassess.records import Run
from kneeassess.storage.sql import SqlStore
from tests.imports.conftest import gz, make_zip, read, strides, track_gpx


def export_csv(links: list[str]) -> bytes:
    """The fixture's real header and its first rows, each row's Filename pointing at links[i]."""
    rows = list(csv.reader(io.StringIO(read("strava-export-activities.csv").decode(), newline="")))
    header, body = rows[0], rows[1:]
    body = [r for r in body if r[3] == "Run"][: len(links) - 1] + [next(r for r in body if r[3] == "Ride")]
    file_col = header.index("Filename")
    for row, link in zip(body, links, strict=True):
        row[file_col] = link
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows([header, *body])
    return buf.getvalue().encode()


LINKS = [
    "activities/1001.fit.gz",  # fenix2 run: the file's data must win over the row's
    "activities/1002.tcx.gz",  # the TCX run
    "activities/1003.gpx",  # a GPX track with strides
    "activities/1004.fit.gz",  # the truncated FIT: the row is used, the note says why
    "activities/1005.fit.gz",  # not in the archive: the row is used
    "activities/1006.fit.gz",  # the last row is a Ride (the cycling FIT): skipped without being opened
]


@pytest.fixture
def export_zip(fx, tmp_path: Path) -> Path:
    return make_zip(tmp_path / "export_12345.zip", {
        "activities.csv": export_csv(LINKS),
        "activities/1001.fit.gz": gz(read("activity-small-fenix2-run.fit")),
        "activities/1002.tcx.gz": gz(read("running_activity_1.tcx")),
        "activities/1003.gpx": track_gpx(strides()),
        "activities/1004.fit.gz": gz(read("activity-unexpected-eof.fit")),
        "activities/1006.fit.gz": gz(read("cycling-sample-activity.fit")),
        "activities/2001.fit": read("strava-android-app-run.fit"),  # no CSV row: imported from the file alone
        "media/photo.jpg": b"\xff\xd8\xff\xe0 not read",
        "__MACOSX/activities/._1001.fit.gz": b"\x00\x05\x16\x07 Finder metadata, not read",
        "profile.csv": b"not an activities file",
    })


def test_export_zip_end_to_end(export_zip: Path):
    calls: list[tuple[int, int]] = []
    result = read_paths([export_zip], progress=lambda done, total: calls.append((done, total)))
    runs = {r.source: r for r in result.runs}
    assert result.errors == []
    z = "export_12345.zip:"
    fenix = runs[z + "activities/1001.fit.gz"]
    assert abs(fenix.distance_km - 9.008) < 0.01 and fenix.moving_s == 2832  # the file's, not the row's 4.55 km
    assert fenix.fast_minutes is not None and fenix.avg_hr is not None and fenix.note is None
    assert abs(runs[z + "activities/1002.tcx.gz"].distance_km - 14.33) < 0.05
    gpx_run = runs[z + "activities/1003.gpx"]
    assert abs(gpx_run.fast_minutes - 1.5) <= 0.25 and gpx_run.sport == "run"  # the row says Run
    truncated = runs[z + "activities.csv#" + _row_id(3)]
    assert "cut short" in truncated.note and truncated.fast_minutes is None  # the CSV row stands in
    missing = runs[z + "activities.csv#" + _row_id(4)]
    assert "no speed data" in missing.note
    assert z + "activities/2001.fit" in runs
    assert len(runs) == 6
    assert [(s.source, s.reason) for s in result.skipped] == [(z + "activities.csv#" + _row_id(5), "Ride: not a run")]
    assert [r.start for r in result.runs] == sorted(r.start for r in result.runs)
    # one tick per entry read or accounted for (csv + 6 activity files), from 0 to the end
    assert calls[0] == (0, 7) and calls[-1] == (7, 7) and [d for d, _ in calls] == list(range(8))


def _row_id(i: int) -> str:
    rows = list(csv.reader(io.StringIO(export_csv(LINKS).decode(), newline="")))
    return rows[1 + i][0]


def test_uploading_the_zip_reads_the_same_as_the_path(export_zip: Path):
    by_path = read_paths([export_zip])
    by_upload = read_uploads([(export_zip.name, export_zip.read_bytes())])
    assert by_upload == by_path


def test_an_unzipped_export_folder_reads_like_the_zip(export_zip: Path, tmp_path: Path):
    folder = tmp_path / "export_12345"
    with zipfile.ZipFile(export_zip) as zf:
        zf.extractall(folder)
    from_zip, from_folder = read_paths([export_zip]), read_paths([folder])
    assert from_folder.errors == []
    assert [r.source.replace("export_12345/", "export_12345.zip:") for r in from_folder.runs] == [
        r.source for r in from_zip.runs]
    assert [(r.distance_km, r.moving_s, r.fast_minutes) for r in from_folder.runs] == [
        (r.distance_km, r.moving_s, r.fast_minutes) for r in from_zip.runs]


def test_saving_twice_adds_nothing_the_second_time(export_zip: Path, tmp_path: Path):
    store = SqlStore(f"sqlite:///{tmp_path / 'k.db'}")
    profile = store.create_profile("hash")
    result = read_paths([export_zip])
    assert save_runs(store, profile, result) == (6, 0)
    saved = store.list_records(Run, profile.id)
    assert len(saved) == 6 and all(r.started_at is not None for r in saved)
    fenix = next(r for r in saved if r.source == "1001.fit.gz")
    assert fenix.km == pytest.approx(9.008, abs=0.01) and fenix.day.isoformat() == "2015-08-15"
    assert all(r.fast_minutes <= r.minutes and len(r.source) <= 40 for r in saved)
    again = read_uploads([(export_zip.name, export_zip.read_bytes())])
    assert all(is_duplicate(r, saved) for r in again.runs)
    assert {row["status"] for row in preview_rows(again, saved)} == {"already in your log"}
    assert save_runs(store, profile, again) == (0, 6)
    assert len(store.list_records(Run, profile.id)) == 6
    store.close()


def test_a_csv_row_and_its_file_in_one_batch_are_one_run_the_files(fx, tmp_path: Path):
    """A lone activities.csv and the watch file uploaded side by side, without a Filename link."""
    header = ["Activity ID", "Activity Date", "Activity Type", "Distance", "Moving Time", "Distance"]
    row = ["77", "Aug 15, 2015, 2:45:10 PM", "Run", "9.01", "2832", "9008.2"]  # 2 s later than the file's start
    csv_bytes = ("\n".join(",".join(f'"{c}"' for c in r) for r in (header, row)) + "\n").encode()
    files = [("activities.csv", csv_bytes), ("run.fit", read("activity-small-fenix2-run.fit"))]
    result = read_uploads(files)
    assert [r.source for r in result.runs] == ["run.fit"]
    assert [s.reason for s in result.skipped] == ["the same run as run.fit in this import"]

    # save_runs de-duplicates a batch by itself too (say the UI merged two results), keeping the file's run
    both = ImportResult(runs=[*read_uploads(files[:1]).runs, *read_uploads(files[1:]).runs])
    store = SqlStore(f"sqlite:///{tmp_path / 'k.db'}")
    profile = store.create_profile("hash")
    assert save_runs(store, profile, both) == (1, 1)
    (saved,) = store.list_records(Run, profile.id)
    assert saved.source == "run.fit" and saved.fast_minutes > 0
    store.close()


def test_manual_runs_are_never_duplicates_and_matching_needs_both_time_and_distance(fx):
    (run,) = read_uploads([("run.fit", read("activity-small-fenix2-run.fit"))]).runs
    same = to_run(run, "p")
    manual = same.model_copy(update={"started_at": None})
    later = same.model_copy(update={"started_at": run.start.replace(minute=run.start.minute + 2)})
    longer = same.model_copy(update={"km": run.distance_km * 1.03})
    assert is_duplicate(run, [same])
    assert not is_duplicate(run, [manual, later, longer])
    close = same.model_copy(update={"km": run.distance_km * 1.015, "started_at": run.start.replace(second=50)})
    assert is_duplicate(run, [close])  # 42 s and 1.5% apart
