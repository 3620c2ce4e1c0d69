"""Saving a 700-run import: one transaction (``imports.save_runs``: ``add_many``) against one commit per run (what
it did before: ``store.add`` for each run), on SQLite (WAL, a temp file) and PostgreSQL (a schema of its own).
``save_runs`` also checks each run against the profile's runs for duplicates; ``add_many alone`` is the writes.

    .venv/bin/python -m bench.save_runs [RUNS] [ROUNDS]

Each round saves the runs into a fresh profile; the table gives the median of the rounds.
"""

from __future__ import annotations

import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench.common import median, ms, table
from bench.storage import POSTGRES_URL, _postgres_schema


def _result(n: int):  # -> ImportResult
    from kneeassess.imports import ImportResult
    from kneeassess.imports.model import ImportedRun

    start = datetime(2023, 1, 1, 7, 0, tzinfo=UTC)
    return ImportResult(runs=[
        ImportedRun(source=f"export.zip:activities/{i}.fit.gz", start=start + timedelta(days=i), distance_km=5 + i % 9,
                    moving_s=1800 + 7 * i, elapsed_s=None, avg_hr=140 + i % 30, fast_minutes=i % 12, sport="run")
        for i in range(n)
    ])


def _measure(url: str, n: int, rounds: int) -> dict[str, float]:
    from kneeassess import profiles
    from kneeassess.imports import save_runs, to_run
    from kneeassess.storage.sql import SqlStore

    store = SqlStore(url)
    result = _result(n)
    one_tx: list[float] = []
    add_many: list[float] = []
    per_run: list[float] = []
    try:
        for _ in range(rounds):
            profile = store.create_profile(profiles.token_hash(profiles.new_token()))
            t = time.perf_counter()
            saved, _ = save_runs(store, profile, result)
            one_tx.append((time.perf_counter() - t) * 1000)
            assert saved == n
            profile = store.create_profile(profiles.token_hash(profiles.new_token()))
            t = time.perf_counter()
            store.add_many([to_run(r, profile.id) for r in result.runs])  # the writes alone (no duplicate check)
            add_many.append((time.perf_counter() - t) * 1000)
            profile = store.create_profile(profiles.token_hash(profiles.new_token()))
            t = time.perf_counter()
            for r in result.runs:  # the old way: a transaction (and a commit) per run
                store.add(to_run(r, profile.id))
            per_run.append((time.perf_counter() - t) * 1000)
    finally:
        store.close()
    return {"one_tx_ms": median(one_tx), "add_many_ms": median(add_many), "per_run_ms": median(per_run)}


def run(n: int = 700, rounds: int = 3) -> dict[str, object]:
    results: dict[str, dict[str, float] | str] = {}
    with tempfile.TemporaryDirectory(prefix="kneeassess-bench-db-") as folder:
        results["SQLite (WAL, one file)"] = _measure(f"sqlite:///{Path(folder) / 'bench.db'}", n, rounds)
    pg = _postgres_schema()
    if pg is None:
        results["PostgreSQL"] = f"skipped: not reachable at {POSTGRES_URL}"
    else:
        url, drop = pg
        try:
            results["PostgreSQL"] = _measure(url, n, rounds)
        finally:
            drop()
    rows = [[engine, r, "", ""] if isinstance(r, str) else
            [engine, ms(r["per_run_ms"]), ms(r["add_many_ms"]), ms(r["one_tx_ms"])]
            for engine, r in results.items()]
    text = table([f"engine ({n} runs, median of {rounds})", "a commit per run (before), ms",
                  "add_many alone, ms", "save_runs (duplicate check + add_many), ms"], rows)
    return {"runs": n, "rounds": rounds, "engines": results, "table": text}


if __name__ == "__main__":
    args = [int(a) for a in sys.argv[1:3]]
    print(run(*args)["table"])
