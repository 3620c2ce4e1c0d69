"""Strava's activities.csv: the real header's traps, a German export, columns moved, added or missing."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from datetime import UTC, date, datetime

from kneeassess.imports import read_uploads, to_run
from kneeassess.imports.strava_csv import number, parse_date
from tests.imports.conftest import read

WEEKLY_KM = [18, 20, 21, 22, 20, 24, 25, 38, 30, 26]


def weekly_km(runs) -> list[float]:
    weeks: dict[int, float] = defaultdict(float)
    for r in runs:
        weeks[(to_run(r, "p").day - date(2026, 8, 3)).days // 7] += r.distance_km
    return [round(weeks[i], 2) for i in range(max(weeks) + 1)]


def rows_of(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))


def to_csv(rows: list[list[str]], delimiter: str = ",") -> bytes:
    buf = io.StringIO()
    csv.writer(buf, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return buf.getvalue().encode("utf-8")


def test_the_strava_export_gives_42_runs_and_the_weekly_km(fx):
    result = read_uploads([("activities.csv", read("strava-export-activities.csv"))])
    assert result.errors == []
    assert len(result.runs) == 42
    assert sorted((s.source.split("#")[1], s.reason) for s in result.skipped) == [
        ("15800400104", "Ride: not a run"), ("15801156326", "Ride: not a run"),
        ("15801231494", "Walk: not a run"), ("15801955372", "Ride: not a run"),
    ]
    assert all(abs(got - want) <= 0.5 for got, want in zip(weekly_km(result.runs), WEEKLY_KM, strict=True)), (
        weekly_km(result.runs))
    # a CSV has no speed stream: no fast minutes in the preview, 0 when saved, and the note says so
    assert all(r.fast_minutes is None and "no speed data" in r.note for r in result.runs)
    assert {to_run(r, "p").fast_minutes for r in result.runs} == {0}


def test_commas_in_names_and_multi_line_descriptions_do_not_shift_columns(fx):
    runs = {r.source.split("#")[1]: r for r in read_uploads([("a.csv", read("strava-export-activities.csv"))]).runs}
    strides = runs["15800088959"]  # "6 x 15s strides at the end,\nfull walk-back recovery"
    assert strides.start == datetime(2026, 8, 5, 6, 47, tzinfo=UTC)
    assert (strides.distance_km, strides.moving_s, strides.elapsed_s, strides.avg_hr) == (4.211, 1495, 1589, 141)
    parkrun = runs["15800271884"]  # "Parkrun, then coffee"
    assert (parkrun.distance_km, parkrun.moving_s, parkrun.avg_hr) == (5.398, 1830, 150)


def test_columns_found_by_name_when_reordered_added_or_removed(fx):
    rows = rows_of(read("strava-export-activities.csv"))
    header = rows[0]
    keep = [i for i, h in enumerate(header) if h not in ("Max Speed", "Calories", "Elevation Gain", "Relative Effort")]
    keep.reverse()  # every column moves (the two Distance columns swap places too)
    moved = [[*(r[i] if i < len(r) else "" for i in keep), "extra"] for r in rows]
    moved[0][-1] = "Some New Column 2027"
    result = read_uploads([("activities.csv", to_csv(moved))])
    assert result.errors == [] and len(result.runs) == 42
    assert all(abs(g - w) <= 0.5 for g, w in zip(weekly_km(result.runs), WEEKLY_KM, strict=True))


def test_only_the_first_distance_column_in_miles_is_converted_by_the_learnt_unit():
    header = ["Activity ID", "Activity Date", "Activity Type", "Distance", "Moving Time", "Distance"]
    rows = [header,
            ["1", "Aug 3, 2026, 6:40:00 AM", "Run", "3.11", "1800", "5004.9"],  # miles, metres
            ["2", "Aug 4, 2026, 6:40:00 AM", "Run", "6.21", "3600", "9994.0"],
            ["3", "Aug 5, 2026, 6:40:00 AM", "Run", "1.00", "600", ""]]  # no metres: 1 mile
    runs = read_uploads([("a.csv", to_csv(rows))]).runs
    assert [r.distance_km for r in runs] == [5.005, 9.994, 1.609]


def test_a_lone_distance_column_with_metres_is_recognised_by_its_magnitude():
    rows = [["Activity ID", "Activity Date", "Activity Type", "Elapsed Time", "Distance"],
            ["1", "2026-08-03 06:40:00", "Trail Run", "1800", "4550.9"],
            ["2", "2026-08-04 06:40:00", "Virtual Run", "1500", "4000"]]
    runs = read_uploads([("a.csv", to_csv(rows))]).runs
    assert [(r.distance_km, r.sport) for r in runs] == [(4.551, "trail run"), (4.0, "virtual run")]
    assert all("elapsed time used" in r.note for r in runs)  # no Moving Time column


GERMAN_HEADER = [
    "Aktivitäts-ID", "Aktivitätsdatum", "Name der Aktivität", "Aktivitätsart", "Aktivitätsbeschreibung",
    "Verstrichene Zeit", "Distanz", "Max. Herzfrequenz", "Relative Leistung", "Pendeln", "Aktivitätsausrüstung",
    "Dateiname", "Verstrichene Zeit", "Bewegungszeit", "Distanz", "Höchstgeschw.",
    "Durchschnittliche Geschwindigkeit", "Max. Herzfrequenz", "Durchschnittliche Herzfrequenz", "Kalorien",
]


def german_row(ident: str, when: str, kind: str, km: str, metres: str, moving: str, hr: str) -> list[str]:
    row = dict.fromkeys(range(len(GERMAN_HEADER)), "")
    row.update({0: ident, 1: when, 2: "Lauf am Morgen, locker", 3: kind, 4: "Zeile eins\nZeile zwei", 5: moving,
                6: km, 12: moving, 13: moving, 14: metres, 18: hr})
    return [row[i] for i in range(len(GERMAN_HEADER))]


def test_a_german_export_with_decimal_commas_and_german_dates():
    rows = [GERMAN_HEADER,
            german_row("1", "09.12.2022, 15:24:49", "Lauf", "9,44", "9440,7", "3120,0", "151,4"),
            german_row("2", "10.12.2022, 08:05:00", "Radfahrt", "30,10", "30100,0", "3600,0", "120,0"),
            german_row("3", "11.12.2022, 07:00:00", "Lauf", "5,02", "", "1500,0", "")]
    result = read_uploads([("activities.csv", b"\xef\xbb\xbf" + to_csv(rows))])  # with the BOM Strava writes
    assert result.errors == []
    first, second = result.runs
    assert first.start == datetime(2022, 12, 9, 15, 24, 49, tzinfo=UTC)
    assert (first.distance_km, first.moving_s, first.avg_hr, first.sport) == (9.441, 3120, 151, "run")
    assert (second.distance_km, second.avg_hr) == (5.02, None)  # first Distanz, km as learnt from row 1
    assert [(s.source, s.reason) for s in result.skipped] == [("activities.csv#2", "Radfahrt: not a run")]


def test_a_german_export_re_saved_by_a_spreadsheet_with_semicolons():
    rows = [GERMAN_HEADER, german_row("1", "09.12.2022, 15:24:49", "Lauf", "9,44", "9440,7", "3120,0", "151")]
    (run,) = read_uploads([("activities.csv", to_csv(rows, delimiter=";"))]).runs
    assert run.distance_km == 9.441


def test_unreadable_rows_and_files_are_reported_not_guessed():
    rows = [["Activity ID", "Activity Date", "Activity Type", "Distance", "Moving Time"],
            ["1", "sometime last week", "Run", "5.0", "1800"],
            ["2", "sometime", "Ride", "30.0", "3600"],
            ["3", "Aug 3, 2026, 6:40:00 AM", "Run", "5.0", "1800"]]
    result = read_uploads([("a.csv", to_csv(rows)), ("people.csv", b"Name,Age\nAda,36\n")])
    assert [r.source for r in result.runs] == ["a.csv#3"]
    assert [(e.source, e.error.split(":")[0]) for e in result.errors] == [
        ("a.csv#1", "date not understood"), ("people.csv", "not a Strava activities.csv")]
    assert [s.source for s in result.skipped] == ["a.csv#2"]  # a ride: its date does not matter


def test_number_and_date_formats():
    assert [number(t) for t in ("9,44", "9.44", "1.234,5", "1,234.5", "", "n/a", " 42 ")] == [
        9.44, 9.44, 1234.5, 1234.5, None, None, 42.0]
    utc = datetime(2026, 8, 3, 18, 40, tzinfo=UTC)
    for text in ("Aug 3, 2026, 6:40:00 PM", "Aug 3, 2026, 6:40:00\u202fPM", "03.08.2026, 18:40:00",
                 "2026-08-03 18:40:00", "2026-08-03T20:40:00+02:00", "August 3, 2026, 6:40 PM"):
        assert parse_date(text) == utc, text
    assert parse_date("Aug 3, 2026, 12:05:00 AM") == datetime(2026, 8, 3, 0, 5, tzinfo=UTC)
    assert parse_date("31.02.2026, 10:00:00") is None
