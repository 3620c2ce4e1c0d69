"""Issue 14 item 8: a database that cannot be reached shows a clear message (no Streamlit error, no traceback in
the log per rerun) on runner and staff pages, and the app recovers by itself when the database is back."""

from __future__ import annotations

import logging

import pytest

from kneeassess.storage import default_url
from kneeassess.ui import account
from tests.app.driver import start
from tests.app.test_profile import seeded_profile
from tests.app.test_staff import passcode, sign_in  # noqa: F401 - passcode: autouse

UNREACHABLE = "postgresql+psycopg://postgres@127.0.0.1:9/none?connect_timeout=1"


def test_an_unreachable_database_says_so_once_and_the_app_recovers(store, configure, caplog):
    _, token = seeded_profile(store)
    working = default_url()
    caplog.set_level(logging.INFO)
    configure(database_url=UNREACHABLE)
    account.store.clear()
    at = start()
    at.query_params["p"] = token
    at.switch_page("pages/runner/log.py").run()
    at.run()
    assert not at.exception, at.exception
    shown = [e.value for e in at.error]
    assert shown and all("try again" in m.lower() for m in shown), shown
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == 1 and errors[0].exc_info is None, [r.getMessage() for r in errors]

    configure(database_url=working)  # the database is back
    at.run()
    assert not at.exception and not [e for e in at.error if "database" in e.value.lower()]
    assert "Log" in [t.value for t in at.title] or at.header


def test_the_staff_console_says_so_when_the_database_goes_away(store, configure):
    working = default_url()
    at = start()
    sign_in(at, "clinic-passcode-7")
    configure(database_url=UNREACHABLE)
    account.store.clear()
    at.switch_page("pages/staff/staff_requests.py").run()
    assert not at.exception, at.exception
    assert account.DATABASE_DOWN in [e.value for e in at.error]
    configure(database_url=working)  # the database is back
    account.store.clear()
    at.run()
    assert not at.exception and account.DATABASE_DOWN not in [e.value for e in at.error]
    assert [t.value for t in at.title] == ["Consultation requests"]


@pytest.fixture(autouse=True)
def fresh_store_afterwards():
    yield
    account.store.clear()
