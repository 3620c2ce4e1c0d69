"""Issue 14 item 1: de-duplication that scales (a 20,000-row CSV must not hold a core for minutes), and a row and
time budget on every import with a clear message. Speed itself is measured by ``bench/imports.py``; these tests
assert the work done (comparisons), the results and the messages."""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

import kneeassess.imports.saving as saving
from kneeassess.imports import read_uploads, save_runs
from kneeassess.imports.archive import Limits
from kneeassess.imports.model import ImportedRun, ImportResult
from kneeassess.imports.saving import same_run, unique_runs
from kneeassess.profiles import new_token, profile_link, token_hash
from kneeassess.records import Run
from kneeassess.storage.sql import SqlStore
from tests.imports.conftest import strava_csv
from tests.imports.test_cli import cli

T0 = datetime(2026, 5, 4, 6, 0, tzinfo=UTC)


def run(start: datetime, km: float, fast: float | None = None, source: str = "x") -> ImportedRun:
    return ImportedRun(source=source, start=start, distance_km=km, moving_s=km * 330, elapsed_s=None, avg_hr=None,
                       fast_minutes=fast, sport="run")


def test_de_duplicating_compares_each_run_only_with_runs_that_started_near_it(monkeypatch):
    calls = 0

    def counting(*args):  # noqa: ANN002, ANN202
        nonlocal calls
        calls += 1
        return same_run(*args)

    monkeypatch.setattr(saving, "same_run", counting)
    runs = [run(T0 + timedelta(minutes=37 * i), 5 + i % 3) for i in range(1500)]
    kept, dropped = unique_runs(runs)
    assert len(kept) == 1500 and dropped == []
    assert calls <= 3 * len(runs)  # comparing with every kept run was 1,124,250 comparisons


def reference(runs: list[ImportedRun]) -> tuple[list[str], list[tuple[str, str]]]:
    """The rule as it reads (each run against every kept run, in start order): the O(n^2) definition."""
    kept: list[ImportedRun] = []
    dropped = []
    for r in sorted(runs, key=lambda r: r.start):
        twin = next((k for k in kept if same_run(k.start, k.distance_km, r.start, r.distance_km)), None)
        if twin is None:
            kept.append(r)
        elif twin.fast_minutes is None and r.fast_minutes is not None:
            kept[kept.index(twin)] = r
            dropped.append((twin, r))
        else:
            dropped.append((r, twin))
    return [k.source for k in kept], [(d.source, k.source) for d, k in dropped]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 600), st.sampled_from([5.0, 5.05, 5.09, 5.2, 10.0]), st.booleans()),
                max_size=25))
def test_the_fast_de_duplication_keeps_and_drops_exactly_what_the_rule_says(spec):
    runs = [run(T0 + timedelta(seconds=s), km, 3.0 if fast else None, source=f"r{i}")
            for i, (s, km, fast) in enumerate(spec)]
    kept, dropped = unique_runs(runs)
    assert ([k.source for k in kept], [(d.source, k.source) for d, k in dropped]) == reference(runs)


def test_runs_a_minute_boundary_apart_are_still_the_same_run():
    a = run(datetime(2026, 5, 4, 6, 0, 50, tzinfo=UTC), 5.0)
    b = run(datetime(2026, 5, 4, 6, 1, 45, tzinfo=UTC), 5.0, fast=2.0)
    c = run(datetime(2026, 5, 4, 6, 2, 46, tzinfo=UTC), 5.0)  # 61 s after b
    kept, dropped = unique_runs([a, b, c])
    assert kept == [b, c] and dropped == [(a, b)]


def test_a_csv_over_the_row_budget_is_refused_with_a_clear_message():
    result = read_uploads([("activities.csv", strava_csv(11))], limits=Limits(csv_rows=10))
    assert result.runs == []
    (error,) = result.errors
    assert error.source == "activities.csv"
    assert error.error.startswith("11 rows: more than the 10 one import reads; not read")
    assert len(read_uploads([("activities.csv", strava_csv(10))], limits=Limits(csv_rows=10)).runs) == 10


def test_files_not_started_within_the_time_budget_are_reported_not_read():
    files = [("a.csv", strava_csv(3)), ("b.csv", strava_csv(3))]
    result = read_uploads(files, limits=Limits(seconds=0))
    assert result.runs == []
    assert [e.source for e in result.errors] == ["a.csv", "b.csv"]
    assert all("took longer than 0 s in all; import fewer files at a time" in e.error for e in result.errors)


def test_saving_a_large_import_is_one_write_and_importing_it_again_saves_nothing(tmp_path: Path):
    store = SqlStore(f"sqlite:///{tmp_path / 'k.db'}")
    profile = store.create_profile(token_hash(new_token()))
    result = read_uploads([("activities.csv", strava_csv(3000))])
    assert save_runs(store, profile, result) == (3000, 0)
    assert len(store.list_records(Run, profile.id)) == 3000
    shuffled = ImportResult(runs=random.Random(1).sample(result.runs, len(result.runs)))
    assert save_runs(store, profile, shuffled) == (0, 3000)


def test_the_cli_imports_a_20000_row_strava_csv(tmp_path: Path):
    db = tmp_path / "k.db"
    store = SqlStore(f"sqlite:///{db}")
    token = new_token()
    store.create_profile(token_hash(token))
    store.close()
    csv_file = tmp_path / "activities.csv"
    csv_file.write_bytes(strava_csv(20_000))
    out = cli(str(csv_file), "--profile", profile_link("http://x", token), db=db)
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert (data["saved"], data["duplicates"], data["errors"]) == (20_000, 0, [])
