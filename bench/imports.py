"""Importing a 20,000-row Strava activities.csv: the CLI's wall time, and another session's latency meanwhile.

    .venv/bin/python -m bench.imports [--rows 20000] [--rounds 3]

1. CLI: ``python -m kneeassess import activities.csv --profile TOKEN`` in a fresh process on a fresh SQLite file
   (read, de-duplicate, save all in one transaction, print the JSON): wall time per round.
2. Responsiveness: in one process (as Streamlit's sessions share one), one thread imports the same file with
   ``read_uploads`` + ``save_runs`` (the upload page's work) while the main thread assesses an example runner's
   answers (a results page's work) again and again; its latency alone and during the import.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from kneeassess.imports import read_uploads, save_runs
from kneeassess.profiles import new_token, token_hash
from kneeassess.screening import assess
from kneeassess.storage.sql import SqlStore
from tests.factories import HIP_RUNNER
from tests.imports.conftest import strava_csv


def cli_seconds(csv_file: Path, work: Path) -> float:
    db = work / f"cli-{time.monotonic_ns()}.db"
    store = SqlStore(f"sqlite:///{db}")
    token = new_token()
    store.create_profile(token_hash(token))
    store.close()
    env = dict(os.environ, KNEEASSESS_DATABASE_URL=f"sqlite:///{db}")
    t = time.perf_counter()
    out = subprocess.run([sys.executable, "-m", "kneeassess", "import", str(csv_file), "--profile", token],
                         capture_output=True, text=True, env=env, check=False)
    took = time.perf_counter() - t
    if out.returncode != 0 or '"saved": ' not in out.stdout:
        raise SystemExit(f"the import failed: {out.stderr[-500:]}")
    return took


def latencies(seconds: float) -> list[float]:
    out, end = [], time.perf_counter() + seconds
    while time.perf_counter() < end:
        t = time.perf_counter()
        assess(HIP_RUNNER)
        out.append(time.perf_counter() - t)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.imports", description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="kneeassess-bench-import-"))
    data = strava_csv(args.rows)
    csv_file = work / "activities.csv"
    csv_file.write_bytes(data)
    print(f"{args.rows:,} rows, {len(data) / 2**20:.1f} MB; load average {os.getloadavg()[0]:.1f}")
    times = [cli_seconds(csv_file, work) for _ in range(args.rounds)]
    print(f"CLI import --profile: median {statistics.median(times):.2f} s, max {max(times):.2f} s "
          f"({', '.join(f'{t:.2f}' for t in times)})")

    store = SqlStore(f"sqlite:///{work / 'upload.db'}")
    profile = store.create_profile(token_hash(new_token()))
    alone = latencies(3)
    done = threading.Event()
    took: list[float] = []

    def upload() -> None:
        t = time.perf_counter()
        save_runs(store, profile, read_uploads([("activities.csv", data)]))
        took.append(time.perf_counter() - t)
        done.set()

    threading.Thread(target=upload).start()
    during: list[float] = []
    while not done.is_set():
        during += latencies(0.2)
    ms = lambda xs, q: 1000 * statistics.quantiles(xs, n=100)[q - 1] if len(xs) > 1 else 1000 * xs[0]  # noqa: E731
    print(f"upload page's work in a thread: {took[0]:.2f} s")
    print(f"another session's assess(): alone p50 {ms(alone, 50):.1f} ms p95 {ms(alone, 95):.1f} ms; "
          f"during the import p50 {ms(during, 50):.1f} ms p95 {ms(during, 95):.1f} ms max {1000 * max(during):.1f} ms "
          f"({len(during)} calls)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
