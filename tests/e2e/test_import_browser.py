"""Uploading a Strava export ZIP on the Log page: preview, save, and a second upload adds nothing."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

from playwright.sync_api import expect

from kneeassess import profiles
from kneeassess.imports import read_paths
from kneeassess.records import Run, SavedAssessment
from kneeassess.screening import assess
from kneeassess.storage import open_store
from tests.e2e.conftest import wait_idle
from tests.e2e.ui import keyed, no_app_error, press
from tests.factories import HIP_RUNNER
from tests.imports.conftest import gz, make_zip, read


def test_upload_a_strava_export_and_save_the_runs(browser, app_url: str, fx, tmp_path: Path, artifacts: Path):  # noqa: ANN001
    export = make_zip(tmp_path / "export_4242.zip", {
        "activities.csv": read("strava-export-activities.csv"),
        "activities/9001.fit.gz": gz(read("activity-small-fenix2-run.fit")),
        "activities/9002.fit": read("cycling-sample-activity.fit"),
    })
    expected = read_paths([export])
    assert len(expected.runs) == 43  # the CSV's 42 runs and the Fenix 2 run; the ride is skipped

    store = open_store()
    token = profiles.new_token()
    p = store.create_profile(profiles.token_hash(token))
    store.add(SavedAssessment(profile_id=p.id, created_at=datetime.now(UTC), answers=HIP_RUNNER,
                              result=assess(HIP_RUNNER).model_dump(mode="json")))

    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(f"{app_url}/log?p={token}")
    wait_idle(page)
    keyed(page, "import_files").locator('input[type="file"]').set_input_files(str(export))
    wait_idle(page)
    press(page, "Read the files")
    wait_idle(page)
    no_app_error(page)
    expect(page.get_by_text("Skipped (", exact=False)).to_be_visible()
    page.screenshot(path=artifacts / "01-preview.png", full_page=True)
    press(page, "Save 43 new runs")
    wait_idle(page)
    expect(page.get_by_text("Saved 43 runs.")).to_be_visible()
    assert len(store.list_records(Run, p.id)) == 43

    # the same export again: everything is already in the log
    keyed(page, "import_files").locator('input[type="file"]').set_input_files(str(export))
    wait_idle(page)
    press(page, "Read the files")
    wait_idle(page)
    expect(page.get_by_role("button", name=re.compile(r"^Save \d+ new run"))).to_have_count(0)
    assert len(store.list_records(Run, p.id)) == 43
    context.close()
