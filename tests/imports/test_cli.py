"""python -m kneeassess import: JSON on stdout, exit 0 when it ran; usage errors exit 2 with nothing on stdout."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from kneeassess.profiles import new_token, profile_link, token_hash
from kneeassess.records import Run
from kneeassess.storage.sql import SqlStore
from tests.imports.conftest import make_zip, read

RUN_KEYS = {"source", "start", "distance_km", "moving_s", "avg_hr", "fast_minutes"}


def cli(*args: str, db: Path | None = None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "KNEEASSESS_DATABASE_URL"}
    if db is not None:
        env["KNEEASSESS_DATABASE_URL"] = f"sqlite:///{db}"
    return subprocess.run(
        [sys.executable, "-m", "kneeassess", "import", *args], capture_output=True, text=True, env=env, timeout=60
    )


def test_dry_run_prints_runs_skipped_and_errors(fx):
    out = cli(str(fx / "activity-small-fenix2-run.fit"), str(fx / "cycling-sample-activity.fit"),
              str(fx / "activity-unexpected-eof.fit"), str(fx / "strava-export-activities.csv"), "--dry-run")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert set(data) == {"runs", "skipped", "errors"}
    assert len(data["runs"]) == 43 and all(set(r) >= RUN_KEYS for r in data["runs"])
    fenix = data["runs"][0]
    assert fenix["source"] == "activity-small-fenix2-run.fit"
    assert fenix["start"] == "2015-08-15T14:45:08+00:00"
    assert abs(fenix["distance_km"] - 9.008) < 0.01 and fenix["moving_s"] == 2832
    assert isinstance(fenix["avg_hr"], int) and fenix["fast_minutes"] > 0
    csv_run = data["runs"][1]
    assert csv_run["fast_minutes"] is None and "no speed data" in csv_run["note"]
    assert {"source": "cycling-sample-activity.fit", "reason": "cycling: not a run"} in data["skipped"]
    assert [e["source"] for e in data["errors"]] == ["activity-unexpected-eof.fit"]
    assert "cut short" in data["errors"][0]["error"]


def test_a_zip_entry_source_names_the_archive_and_the_entry(fx, tmp_path: Path):
    archive = make_zip(tmp_path / "export.zip", {"activities/123.fit": read("garmin-fenix-5-run.fit")})
    data = json.loads(cli(str(archive), "--dry-run").stdout)
    assert [r["source"] for r in data["runs"]] == ["export.zip:activities/123.fit"]


def test_usage_errors_exit_2_with_a_message_and_nothing_on_stdout(fx, tmp_path: Path):
    good = str(fx / "garmin-fenix-5-run.fit")
    cases = [
        ((), "required: PATH"),  # no paths
        ((str(tmp_path / "nope.fit"), "--dry-run"), "no such file"),
        ((good,), "--profile"),  # neither --dry-run nor --profile
        ((good, "--profile", "not-a-token"), "profile does not open"),
    ]
    for args, message in cases:
        out = cli(*args, db=tmp_path / "k.db")
        assert out.returncode == 2, (args, out.stderr)
        assert out.stdout == "" and message in out.stderr, (args, out.stderr)


def test_profile_saves_and_a_second_import_reports_duplicates(fx, tmp_path: Path):
    db = tmp_path / "k.db"
    store = SqlStore(f"sqlite:///{db}")
    token = new_token()
    profile = store.create_profile(token_hash(token))
    files = [str(fx / "garmin-fenix-5-run.fit"), str(fx / "running_activity_1.tcx"),
             str(fx / "gpx_with_garmin_extension.gpx")]

    first = cli(*files, "--profile", profile_link("http://localhost:8501", token), db=db)
    assert first.returncode == 0, first.stderr
    data = json.loads(first.stdout)
    assert (data["saved"], data["duplicates"], len(data["runs"]), len(data["skipped"])) == (2, 0, 2, 1)

    dry = cli(*files, "--dry-run", "--profile", token, db=db)
    assert dry.returncode == 0, dry.stderr
    preview = json.loads(dry.stdout)
    assert preview["duplicates"] == 2 and "saved" not in preview

    second = json.loads(cli(*files, "--profile", token, db=db).stdout)  # the bare token works too
    assert (second["saved"], second["duplicates"]) == (0, 2)
    runs = store.list_records(Run, profile.id)
    assert len(runs) == 2 and {r.source for r in runs} == {"garmin-fenix-5-run.fit", "running_activity_1.tcx"}
    store.close()
