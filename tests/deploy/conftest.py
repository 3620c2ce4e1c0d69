"""Deployment tests: the app as it is deployed (replicas, a proxy), driven through Debian's Chromium."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
import sqlalchemy as sa

from tests.conftest import missing_setup
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, EXPECT_TIMEOUT_MS
from tests.integration.conftest import POSTGRES_URL, with_query


@pytest.fixture(scope="session")
def chromium() -> Iterator[object]:
    if not CHROMIUM.exists():
        missing_setup("Debian's chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=EXPECT_TIMEOUT_MS)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A fresh schema on the test PostgreSQL (shared by the replicas), dropped afterwards."""
    admin = sa.create_engine(with_query(POSTGRES_URL, connect_timeout="3"), poolclass=sa.NullPool)
    try:
        with admin.connect() as conn:
            conn.execute(sa.text("SELECT 1"))
    except sa.exc.OperationalError:
        admin.dispose()
        missing_setup("PostgreSQL at 127.0.0.1:5432 is not reachable")
    schema = f"kneeassess_deploy_{uuid.uuid4().hex[:12]}"
    with admin.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield with_query(POSTGRES_URL, options=f"-csearch_path={schema}")
    finally:
        with admin.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
