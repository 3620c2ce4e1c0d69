"""Part 4: consultation requests and log writes per second with 20 concurrent writers, SQLite and PostgreSQL.

20 threads share one ``SqlStore`` (one engine and its pool), as the sessions of one app process do. Each thread
writes for ``seconds`` (at most ``max_ops``): consultation requests through ``kneeassess.leads.submit_request``
(validation, rate-limit checks and the outbox in one transaction; a fresh session key and email each time, so no
limit is hit), or runs through ``kneeassess.logbook.record_run`` (each writer on a profile of its own). PostgreSQL
works in a fresh schema of its own, dropped afterwards; SQLite in a temp file (WAL, as the app opens it).
"""

from __future__ import annotations

import os
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

from bench.common import ms, pct, table

WRITERS = 20
POSTGRES_URL = os.environ.get("KNEEASSESS_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def _with_query(url: str, **query: str) -> str:
    import sqlalchemy as sa

    return sa.make_url(url).update_query_dict(query).render_as_string(hide_password=False)


def _hammer(work: Callable[[int, int], None], seconds: float, max_ops: int) -> dict:
    """Run ``work(writer, i)`` in WRITERS threads started together; ops/s, latency, errors."""
    latencies: list[list[float]] = [[] for _ in range(WRITERS)]
    errors: list[str] = []
    start = threading.Barrier(WRITERS + 1)

    def writer(w: int) -> None:
        start.wait()
        deadline = time.perf_counter() + seconds
        for i in range(max_ops):
            if time.perf_counter() > deadline:
                break
            t = time.perf_counter()
            try:
                work(w, i)
            except Exception as exc:  # noqa: BLE001 - counted and reported
                errors.append(f"{type(exc).__name__}: {exc}"[:160])
                continue
            latencies[w].append((time.perf_counter() - t) * 1000)

    threads = [threading.Thread(target=writer, args=(w,)) for w in range(WRITERS)]
    for t in threads:
        t.start()
    start.wait()
    began = time.perf_counter()
    for t in threads:
        t.join()
    wall = time.perf_counter() - began
    flat = [x for lat in latencies for x in lat]
    return {"ops": len(flat), "per_s": len(flat) / wall, "p50": pct(flat, 50), "p95": pct(flat, 95),
            "errors": len(errors), "error_kinds": sorted(set(errors))[:3], "wall_s": wall}


def _measure(url: str, seconds: float, max_ops: int) -> dict:
    from kneeassess import leads, logbook, profiles
    from kneeassess.storage.sql import SqlStore

    store = SqlStore(url)
    try:
        tag = uuid.uuid4().hex[:8]

        def request(w: int, i: int) -> None:
            leads.submit_request(store, {"name": f"Bench Runner {w}", "email": f"bench-{tag}-{w}-{i}@example.com",
                                         "consent_contact": True, "preferred_days": ["Monday"],
                                         "message": "A bench request"},
                                 session_key=f"bench-{tag}-{w}-{i}", channels=[])

        people = [store.create_profile(profiles.token_hash(profiles.new_token())) for _ in range(WRITERS)]
        today = date.today()

        def run(w: int, i: int) -> None:
            logbook.record_run(store, people[w], day=today - timedelta(days=i % 700), distance=5 + i % 10,
                               minutes=30 + i % 20, today=today)

        request(0, -1)  # warm: connections, statements
        run(0, 10_000)
        return {"requests": _hammer(request, seconds, max_ops), "runs": _hammer(run, seconds, max_ops)}
    finally:
        store.close()


def run(seconds: float = 5.0, max_ops: int = 400) -> dict:
    results: dict[str, dict] = {}
    with tempfile.TemporaryDirectory(prefix="kneeassess-bench-db-") as folder:
        results["SQLite (WAL, one file)"] = _measure(f"sqlite:///{Path(folder) / 'bench.db'}", seconds, max_ops)
    pg = _postgres_schema()
    if pg is None:
        results["PostgreSQL"] = {"skipped": f"not reachable at {POSTGRES_URL}"}
    else:
        url, drop = pg
        try:
            results["PostgreSQL"] = _measure(url, seconds, max_ops)
        finally:
            drop()
    rows = []
    for engine, r in results.items():
        if "skipped" in r:
            rows.append([engine, "–", "skipped: " + r["skipped"], "", "", "", ""])
            continue
        for kind, label in (("requests", "consultation requests"), ("runs", "log writes (runs)")):
            x = r[kind]
            rows.append([engine, label, f"{x['per_s']:.0f}", ms(x["p50"]), ms(x["p95"]), x["ops"], x["errors"]])
    text = table([f"engine ({WRITERS} writer threads, one store)", "write", "per second", "p50 ms", "p95 ms",
                  "writes", "errors"], rows)
    return {"writers": WRITERS, "seconds": seconds, "engines": results, "table": text}


def _postgres_schema():  # -> (url, drop) | None
    import sqlalchemy as sa

    admin = sa.create_engine(_with_query(POSTGRES_URL, connect_timeout="3"), poolclass=sa.NullPool)
    try:
        with admin.connect() as conn:
            conn.execute(sa.text("SELECT 1"))
    except sa.exc.OperationalError:
        admin.dispose()
        return None
    schema = f"kneeassess_bench_{uuid.uuid4().hex[:12]}"
    with admin.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))

    def drop() -> None:
        with admin.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()

    return _with_query(POSTGRES_URL, options=f"-csearch_path={schema}"), drop


