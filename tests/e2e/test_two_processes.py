"""Two app processes on one PostgreSQL: what a runner logs through one is there through the other."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from kneeassess import profiles
from kneeassess.records import Run, SavedAssessment
from kneeassess.screening import assess
from kneeassess.storage.sql import SqlStore
from tests.conftest import missing_setup
from tests.e2e.conftest import PHONE, serve, wait_idle
from tests.e2e.ui import no_app_error, press, type_number
from tests.factories import HIP_RUNNER
from tests.integration.conftest import POSTGRES_URL, with_query

pytestmark = pytest.mark.postgres


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A fresh schema on the test PostgreSQL, dropped afterwards."""
    admin = sa.create_engine(with_query(POSTGRES_URL, connect_timeout="3"), poolclass=sa.NullPool)
    try:
        with admin.connect() as conn:
            conn.execute(sa.text("SELECT 1"))
    except sa.exc.OperationalError:
        missing_setup("PostgreSQL at 127.0.0.1:5432 is not reachable")
    schema = f"kneeassess_e2e_{uuid.uuid4().hex[:12]}"
    with admin.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield with_query(POSTGRES_URL, options=f"-csearch_path={schema}")
    finally:
        with admin.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


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
        assert [(r.km, r.minutes) for r in store.list(Run, p.id)] == [(7.5, 41)]

        page.goto(f"{url_b}/progress?p={token}")
        wait_idle(page)
        no_app_error(page)
        expect(page.get_by_text("This week so far: 7.5 km in 1 run.")).to_be_visible()
        context.close()
        store.close()
