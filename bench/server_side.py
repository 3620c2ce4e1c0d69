"""Part 1: server-side rerun time of every runner page through AppTest, with the two-year profile open.

Each page gets its own AppTest (``app.py`` with ``?p=<token>``, then ``switch_page``), a few warm-up runs, then
``runs`` timed ``at.run()`` calls. A bare one-line Streamlit script is timed the same way, in a fresh interpreter
started by this run (only Streamlit imported, as a bare app's server would have): AppTest's own overhead (the
element tree, the script thread) is in both, so the ratio is the app's cost over the framework's floor.

AppTest does not run Streamlit's full garbage collection after each script run (``runner.postScriptGC``); a real
server does. Its cost is measured on its own (``gc_ms``): ``gc.collect(2)`` in this process once the app's modules
are imported, as the server pays it after every run.
"""

from __future__ import annotations

import gc
import json
import random
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from bench.common import BARE_PAGE, BENCH_ROOT, ROOT, bare_script, median, ms, pct, table

PAGES = [  # (label, page file); staff pages need a sign-in and the kiosk its own navigation: not measured here
    ("home", "pages/runner/home.py"),
    ("screening (step 1)", "pages/runner/screening.py"),
    ("results", "pages/runner/results.py"),
    ("session", "pages/runner/session.py"),
    ("log", "pages/runner/log.py"),
    ("progress", "pages/runner/progress.py"),
    ("exercises", "pages/runner/exercises.py"),
    ("learn", "pages/runner/learn.py"),
    ("book", "pages/runner/book.py"),
    ("profile", "pages/runner/profile.py"),
]
COLD = [  # the same pages with the profile's revision raised before each timed run (as a logged run does)
    ("log, first view after a write", "pages/runner/log.py"),
    ("progress, first view after a write", "pages/runner/progress.py"),
]
WARMUP = 3
TIMEOUT_S = 120  # the first run of a fresh AppTest imports plotly, pandas...


@dataclass
class PageTiming:
    label: str
    runs_ms: list[float]
    charts: int
    error: str | None = None

    @property
    def median(self) -> float:
        return median(self.runs_ms)

    @property
    def p95(self) -> float:
        return pct(self.runs_ms, 95)


def _finished_screening():
    """A finished screening in session state, so the results page draws a full result (all steps answered)."""
    from bench.seed import answers
    from kneeassess.ui.state import Screening

    return Screening(step=5, answers=answers(random.Random(7), 40), finished=True)


def time_script(script: Path, runs: int, page: str | None = None, token: str | None = None,
                results: bool = False, before_each=None) -> PageTiming:
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(script), default_timeout=TIMEOUT_S)
    if token:
        at.query_params["p"] = token
    if results:
        at.session_state["kneeassess_screening"] = _finished_screening()
    at.run()
    if page:
        at.switch_page(page)
    for _ in range(WARMUP):
        at.run()
    label = page or script.name
    if at.exception:
        return PageTiming(label, [], 0, error=str(at.exception[0].value)[:200])
    times = []
    for _ in range(runs):
        if before_each:
            before_each()  # untimed
        start = time.perf_counter()
        at.run()
        times.append((time.perf_counter() - start) * 1000)
    error = str(at.exception[0].value)[:200] if at.exception else None
    return PageTiming(label, times, len(at.get("plotly_chart")), error)


def _raise_revision(token: str):
    """A write that changes no data but raises the profile's revision (its unit, set to what it is)."""
    from kneeassess import profiles
    from kneeassess.ui import account

    store = account.store()
    profile = store.profile_by_token_hash(profiles.token_hash(token))
    assert profile is not None
    return lambda: store.set_unit(profile.id, profile.unit)


def bare_in_fresh_process(runs: int) -> list[float]:
    out = subprocess.run([sys.executable, "-m", "bench.server_side", "--bare", str(runs)], cwd=BENCH_ROOT,
                         capture_output=True, text=True, timeout=300, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def gc_cost(times: int = 5) -> float:
    """What ``gc.collect(2)`` costs (ms) in a process that has imported the app: a real server's after-run GC."""
    costs = []
    for _ in range(times):
        start = time.perf_counter()
        gc.collect(2)
        costs.append((time.perf_counter() - start) * 1000)
    return median(costs)


def run(token: str, runs: int = 30) -> dict:
    bare_before = bare_in_fresh_process(runs)
    pages = []
    for label, page in PAGES:
        t = time_script(ROOT / "app.py", runs, page=page, token=token, results=page == "pages/runner/results.py")
        t.label = label
        pages.append(t)
    touch = _raise_revision(token)  # the first view after a write: nothing of the profile's pages is cached
    for label, page in COLD:
        t = time_script(ROOT / "app.py", runs, page=page, token=token, before_each=touch)
        t.label = label
        pages.append(t)
    bare_after = bare_in_fresh_process(runs)  # again at the end: the floor must not have moved during the run
    bare = bare_before + bare_after
    floor = median(bare)
    gc_ms = gc_cost()
    rows = [["bare one-line page (fresh process)", ms(floor), ms(pct(bare, 95)), "1.0", "–"]]
    for t in pages:
        rows.append([t.label, ms(t.median), ms(t.p95), f"{t.median / floor:.1f}" if t.runs_ms else "–",
                     t.charts if not t.error else f"ERROR {t.error}"])
    text = table(["page (two-year profile)", "median ms", "p95 ms", "× bare", "charts"], rows)
    text += (f"\n\nNot in these figures: Streamlit's default `gc.collect(2)` after every script run "
             f"(`runner.postScriptGC`, switched off in `.streamlit/config.toml`) would cost {gc_ms:.0f} ms a run in "
             f"a process with the app imported, at the end of this part.")
    return {
        "runs": runs,
        "gc_ms": gc_ms,
        "baseline_ms": {"median": floor, "p95": pct(bare, 95), "before": median(bare_before),
                        "after": median(bare_after)},
        "pages": {t.label: {"median": t.median, "p95": t.p95, "charts": t.charts, "error": t.error}
                  for t in pages},
        "table": text,
    }


if __name__ == "__main__":  # python -m bench.server_side --bare RUNS: the baseline in a fresh interpreter
    if sys.argv[1:2] == ["--bare"]:
        with bare_script(BARE_PAGE) as script:
            print(json.dumps(time_script(script, int(sys.argv[2])).runs_ms))
