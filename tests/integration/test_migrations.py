"""The Alembic migrations on both engines: up from empty, down to nothing, up again; concurrent first starts."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from kneeassess.storage.migrate import downgrade, upgrade
from kneeassess.storage.sql import SqlStore, make_engine, metadata
from tests.conftest import ROOT

TABLES = {
    "profiles", "assessments", "runs", "checkins", "exercise_sessions",  # 0001
    "requests", "outbox", "delivery_attempts", "events", "screenings", "rate_events", "login_failures", "audit",  # 0002
    "visits", "status_history",  # 0005
    "reminder_consents", "reminders", "email_suppressions", "reminder_counts",  # 0006
    "movement_checks",  # 0007
}


def tables(url: str) -> set[str]:
    engine = make_engine(url, migrating=True)
    try:
        with engine.connect() as conn:
            return set(sa.inspect(conn).get_table_names()) - {"alembic_version"}
    finally:
        engine.dispose()


def test_upgrade_downgrade_upgrade(store_url: str):
    assert tables(store_url) == set()
    upgrade(store_url)
    assert tables(store_url) == TABLES
    upgrade(store_url)  # at head already: nothing to do
    downgrade(store_url, "base")
    assert tables(store_url) == set()
    upgrade(store_url)
    assert tables(store_url) == TABLES


def test_migrated_schema_matches_the_tables_the_store_uses(store_url: str):
    upgrade(store_url)
    engine = make_engine(store_url, migrating=True)
    try:
        with engine.connect() as conn:
            inspector = sa.inspect(conn)
            assert {
                fk["options"].get("ondelete") for t in TABLES - {"profiles"} for fk in inspector.get_foreign_keys(t)
            } == {"CASCADE"}
            assert {"ix_runs_profile_id_started_at", "ix_runs_profile_id"} <= {
                i["name"] for i in inspector.get_indexes("runs")
            }
            diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), metadata)
    finally:
        engine.dispose()
    assert diff == []


def test_processes_starting_at_once_on_an_empty_database(store_url: str):
    """Several app processes open the store at the same moment: they take turns migrating, none fails."""
    # each process imports the app, says so, and opens the store when told: all at once, however long the
    # imports took on a busy machine
    code = (
        "import sys; from kneeassess.storage.sql import SqlStore; "
        "print('ready', flush=True); sys.stdin.readline(); SqlStore(sys.argv[1]).close()"
    )
    procs = [
        subprocess.Popen([sys.executable, "-c", code, store_url], cwd=ROOT, stdin=subprocess.PIPE,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(4)
    ]
    assert [p.stdout.readline().strip() for p in procs] == ["ready"] * 4  # blocks until each has imported
    for p in procs:
        p.stdin.write("go\n")
        p.stdin.flush()
    failures = [p.stderr.read() for p in procs if p.wait(timeout=120) != 0]
    assert failures == []
    assert tables(store_url) == TABLES


def test_threads_opening_stores_at_once(store_url: str):
    stores: list[SqlStore] = []
    errors: list[BaseException] = []
    start = threading.Barrier(4)

    def open_store() -> None:
        try:
            start.wait()
            stores.append(SqlStore(store_url))
        except BaseException as e:  # noqa: BLE001 - reported below
            errors.append(e)

    threads = [threading.Thread(target=open_store) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not any(t.is_alive() for t in threads), "a thread is stuck"
    for store in stores:
        store.close()
    assert errors == []
    assert tables(store_url) == TABLES


def test_0005_renames_old_statuses_and_dates_their_history(store_url: str):
    """Requests made before outcome tracking: closed / no_show become not_booked (with a reason), and their
    arrival and recorded status changes become dated steps of the funnel."""
    upgrade(store_url, "0004")
    engine = make_engine(store_url)
    at = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)
    notes = [{"at": "2025-03-02T10:00:00Z", "staff": "Kim", "text": "", "status_from": "new", "status_to": "booked"},
             {"at": "2025-03-09T10:00:00Z", "staff": "Kim", "text": "", "status_from": "booked",
              "status_to": "no_show"}]
    try:
        with engine.begin() as conn:
            conn.execute(sa.text(
                "INSERT INTO requests (created_at, updated_at, status, name, preferred_days, preferred_time, message,"
                " consent_contact, consent_marketing, consent_assessment, event, notes) VALUES (:at, :at, 'no_show',"
                " 'Ann', '[]', '', '', true, false, false, 'parkrun-a', :notes)"
            ), {"at": at if engine.dialect.name != "sqlite" else at.replace(tzinfo=None), "notes": json.dumps(notes)})
    finally:
        engine.dispose()
    store = SqlStore(store_url)  # migrates to head
    try:
        (request,) = store.list_requests()
        assert request.status == "not_booked" and request.not_booked_reason == "no_show"
        steps = store.status_history(request.id)
        assert [(s.status_from, s.status_to, s.reason, s.at) for s in steps] == [
            (None, "new", None, at),
            ("new", "booked", None, datetime(2025, 3, 2, 10, 0, tzinfo=UTC)),
            ("booked", "not_booked", "no_show", datetime(2025, 3, 9, 10, 0, tzinfo=UTC)),
        ]
        assert {s.event for s in steps} == {"parkrun-a"} and len({s.lead_key for s in steps}) == 1
    finally:
        store.close()
