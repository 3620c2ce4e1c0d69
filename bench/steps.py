"""Server time per click of the knee check's steps and the log's run form, without a browser (AppTest).

    .venv/bin/python -m bench.steps [--rounds 10]
    KNEEASSESS_BENCH_APP=/path/to/another/copy .venv/bin/python -m bench.steps   # e.g. before a change

The clicks of part 2 (``bench/clicks.py``) as AppTest clicks, with the two-year profile open: each click's script
runs (counted: ``load_content_or_stop`` is called once at the top of every run of app.py), its wall time and the
CPU time of this process (the script thread included; AppTest has no browser, so nearly all of it is the
server's work). CPU time is the steadier figure on a busy machine; a ``st.rerun()`` after a click shows as 2 runs
and about twice the CPU. Nothing is written.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

CLICKS = [  # (label, button label or None for a page switch, page)
    ("screening: step 1 → 2 (skip)", "Skip this step", None),
    ("screening: step 2 → 3 (safety, Next)", "Next", None),
    ("screening: step 3 → 4 (skip)", "Skip this step", None),
    ("screening: step 4 → 5 (skip)", "Skip this step", None),
    ("screening: step 5 → 6 (skip)", "Skip this step", None),
    ("results page (step 6 → results)", "Skip this step", None),
    ("log form: save a run", "Save run", "log.py"),  # the Log page's file, found under pages/
]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.steps", description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=10, help="journeys timed (after one warm-up)")
    args = parser.parse_args(argv)
    app = os.environ.get("KNEEASSESS_BENCH_APP")
    if app:  # that copy's kneeassess, not this checkout's
        sys.path.insert(0, str(Path(app).resolve()))
    work = Path(tempfile.mkdtemp(prefix="kneeassess-steps-"))
    os.environ.pop("KNEEASSESS_DATABASE_URL", None)
    os.environ["KNEEASSESS_VAR_DIR"] = str(work)
    os.environ["KNEEASSESS_DELIVERY_WORKER"] = "0"

    from streamlit.testing.v1 import AppTest

    from bench.common import ROOT, median, ms, pct, table
    from bench.seed import seed_two_years
    from kneeassess.storage import open_store
    from kneeassess.ui import app_setup

    runs: list[int] = []
    real = app_setup.load_content_or_stop

    def counted():  # noqa: ANN202
        runs.append(1)
        return real()

    app_setup.load_content_or_stop = counted  # type: ignore[assignment]
    token = seed_two_years(open_store()).token
    wall: dict[str, list[float]] = {}
    cpu: dict[str, list[float]] = {}
    count: dict[str, list[int]] = {}
    for round_no in range(args.rounds + 1):
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
        at.query_params["p"] = token
        at.run()
        for label, button, page in CLICKS:
            if page:
                at.switch_page(str(next((ROOT / "pages").rglob(page)).relative_to(ROOT))).run()
                at.number_input(key="run_new_km").set_value(7.5)
                at.number_input(key="run_new_min").set_value(41)
            if label.startswith("screening: step 2"):
                at.checkbox(key="w_safety_none").check()
            found = [b for b in at.button if b.label == button]
            assert found, f"{label}: no button {button!r}"
            before, started, used = len(runs), time.perf_counter(), time.process_time()
            found[0].click().run()
            took, spent = (time.perf_counter() - started) * 1000, (time.process_time() - used) * 1000
            assert not at.exception, at.exception
            if round_no:  # 0: warm-up
                wall.setdefault(label, []).append(took)
                cpu.setdefault(label, []).append(spent)
                count.setdefault(label, []).append(len(runs) - before)
    headers = ["click (AppTest, two-year profile)", "script runs", "wall ms p50", "wall ms p95", "CPU ms p50"]
    rows = []
    for label, _, _ in CLICKS:
        rows.append([label, f"{max(count[label])}", ms(median(wall[label])), ms(pct(wall[label], 95)),
                     ms(median(cpu[label]))])
    print(f"app: {ROOT}, {args.rounds} rounds")
    print(table(headers, rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
