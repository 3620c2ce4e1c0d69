"""Every test here runs on both engines: a SQLite file under tmp_path, and PostgreSQL in a schema of its own.

PostgreSQL: ``KNEEASSESS_TEST_POSTGRES_URL`` or the server at 127.0.0.1:5432 (database ``test``). Each test gets a
fresh schema, named in the URL's ``options=-csearch_path=...`` so tables and alembic's version table land there;
the schema is dropped afterwards. No server: skipped locally, a failure when CI is set (tests/conftest.py).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator

import pytest
import sqlalchemy as sa

from kneeassess.storage.sql import SqlStore
from tests.conftest import missing_setup

POSTGRES_URL = os.environ.get("KNEEASSESS_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def with_query(url: str, **query: str) -> str:
    return sa.make_url(url).update_query_dict(query).render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def postgres_admin() -> Iterator[sa.Engine]:
    """An engine on the test database's default schema, used to create and drop the per-test schemas."""
    engine = sa.create_engine(with_query(POSTGRES_URL, connect_timeout="3"), poolclass=sa.NullPool)
    try:
        with engine.connect() as conn:
            conn.execute(sa.text("SELECT 1"))
    except sa.exc.OperationalError:
        engine.dispose()
        missing_setup("PostgreSQL at 127.0.0.1:5432 is not reachable")
    yield engine
    engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store_url(request: pytest.FixtureRequest, tmp_path) -> Iterator[str]:
    """The URL of an empty database."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'kneeassess.db'}"
        return
    admin: sa.Engine = request.getfixturevalue("postgres_admin")
    schema = f"kneeassess_test_{uuid.uuid4().hex[:12]}"
    with admin.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield with_query(POSTGRES_URL, options=f"-csearch_path={schema}", connect_timeout="3")
    finally:
        with admin.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))


@pytest.fixture
def open_store(store_url: str) -> Iterator[Callable[[], SqlStore]]:
    """Open stores on ``store_url`` (as many as a test wants); their connections are closed afterwards."""
    opened: list[SqlStore] = []

    def make() -> SqlStore:
        opened.append(SqlStore(store_url))
        return opened[-1]

    yield make
    for store in opened:
        store.close()


@pytest.fixture
def store(open_store: Callable[[], SqlStore]) -> SqlStore:
    return open_store()
