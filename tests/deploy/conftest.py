"""Deployment tests: the app as it is deployed (replicas, a proxy), driven through Debian's Chromium."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
import sqlalchemy as sa

from tests.conftest import missing_setup
from tests.integration.conftest import POSTGRES_URL, with_query


@pytest.fixture(scope="session")
def chromium(browser: object) -> object:
    """The run's one browser (tests/conftest.py): Playwright's sync API allows one instance per thread."""
    return browser


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
