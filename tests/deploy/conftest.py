"""Deployment tests: the app as it is deployed (replicas, a proxy), driven through Debian's Chromium."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def chromium(browser: object) -> object:
    """The run's one browser (tests/conftest.py): Playwright's sync API allows one instance per thread."""
    return browser
