"""Two app processes on one PostgreSQL: what a runner logs through one is there through the other."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from playwright.sync_api import expect

from kneeassess import profiles
from kneeassess.records import Run, SavedAssessment
from kneeassess.screening import assess
from kneeassess.storage.sql import SqlStore
from tests.e2e.conftest import PHONE, serve, wait_idle
from tests.e2e.ui import no_app_error, press, type_number
from tests.factories import HIP_RUNNER

pytestmark = pytest.mark.postgres


def test_a_run_logged_through_one_process_is_read_through_the_other(browser, postgres_url: str) -> None:  # noqa: ANN001
    env = {"KNEEASSESS_DATABASE_URL": postgres_url}
    with serve("e2e-server-a.log", env) as url_a, serve("e2e-server-b.log", env) as url_b:
        store = SqlStore(postgres_url)
        token = profiles.new_token()
        p = store.create_profile(profiles.token_hash(token))
        store.add(SavedAssessment(profile_id=p.id, created_at=datetime.now(UTC), answers=HIP_RUNNER,
                                  result=assess(HIP_RUNNER).model_dump(mode="json")))

        context = browser.new_context(viewport=PHONE)
        page = context.new_page()
        page.goto(f"{url_a}/log?p={token}")
        wait_idle(page)
        type_number(page, "run_new_km", 7.5)
        type_number(page, "run_new_min", 41)
        press(page, "Save run")
        wait_idle(page)
        no_app_error(page)
        assert [(r.km, r.minutes) for r in store.list_records(Run, p.id)] == [(7.5, 41)]

        page.goto(f"{url_b}/progress?p={token}")
        wait_idle(page)
        no_app_error(page)
        expect(page.get_by_text("This week so far: 7.5 km in 1 run.")).to_be_visible()
        context.close()
        store.close()
