"""Fixtures of the AppTest tests."""

import pytest

from kneeassess.storage import open_store
from kneeassess.ui import account


@pytest.fixture
def store():
    """The store the app under test uses (a fresh engine: AppTest runs share this process's cached one)."""
    account.store.clear()
    return open_store()
