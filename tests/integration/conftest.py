"""Every test here runs on both engines: a SQLite file under tmp_path, and PostgreSQL in a schema of its own.

PostgreSQL: ``KNEEASSESS_TEST_POSTGRES_URL`` or the server at 127.0.0.1:5432 (database ``test``). Each test gets a
fresh schema, named in the URL's ``options=-csearch_path=...`` so tables and alembic's version table land there;
the schema is dropped afterwards. No server: skipped locally, a failure when CI is set (tests/conftest.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from kneeassess.storage.sql import SqlStore
from tests.conftest import fresh_schema


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store_url(request: pytest.FixtureRequest, tmp_path) -> Iterator[str]:
    """The URL of an empty database."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'kneeassess.db'}"
        return
    with fresh_schema(request.getfixturevalue("postgres_admin"), "kneeassess_test", connect_timeout="3") as url:
        yield url


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
