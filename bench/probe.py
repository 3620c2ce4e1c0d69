"""Start ``streamlit`` with every script run timed and counted on the server side (for the served parts).

    python -m bench.probe RUNS_FILE run app.py --server.port ...

Each finished ``ScriptRunner._run_script`` call appends a line to RUNS_FILE:
``<unix time> <wall ms> <CPU ms of the script thread> <script executions> <auto> <fragment>``. Streamlit 1.67 runs
a ``st.rerun()`` / ``st.switch_page()`` chain inside one such call, so a line is everything one click made the
server run; the executions of the script body in it are counted by wrapping ``ScriptRunContext.on_script_start``,
which ``_run_script`` calls once per pass of the chain that goes on to run the script (2 for a click that calls
``st.rerun()`` in the script). A widget callback that calls ``st.rerun()`` or ``st.switch_page()`` makes the runner
start over before the script's first line, so that pass does not count: the click runs the new page's script once.
(Counting ``exec_func_with_error_handling`` calls, as the bench did until 2026-12, counted that callback-only pass
too.) ``auto`` is 1
for a fragment's timer rerun (``st.fragment(run_every=...)``: no click caused it), ``fragment`` 1 for a
fragment-only run.

The movement check's analyses (``kneeassess.movement.queue`` calls ``analyse_squat`` on its worker thread) are
timed too, once that module is imported: ``<start unix time> <end unix time> <ms>`` per analysis in the file beside
RUNS_FILE with the suffix ``.analyses``.

Only the bench starts the app this way; the app is unchanged.
"""

from __future__ import annotations

import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path


def install(path: Path) -> None:
    from streamlit.runtime.scriptrunner import script_runner
    from streamlit.runtime.scriptrunner_utils.script_run_context import ScriptRunContext

    lock = threading.Lock()
    out = path.open("a", buffering=1)
    analyses = analyses_file(path).open("a", buffering=1)
    local = threading.local()
    original_run = script_runner.ScriptRunner._run_script
    original_start = ScriptRunContext.on_script_start

    def counted_start(self):  # noqa: ANN001, ANN202 - one execution of the script body (or its fragments)
        local.execs = getattr(local, "execs", 0) + 1
        return original_start(self)

    def timed_analysis(original):  # noqa: ANN001, ANN202
        def analyse(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
            at, start = time.time(), time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                took = (time.perf_counter() - start) * 1000
                with lock:
                    analyses.write(f"{at:.3f} {time.time():.3f} {took:.1f}\n")

        analyse.bench_timed = True  # type: ignore[attr-defined]
        return analyse

    def watch_movement() -> None:
        queue = sys.modules.get("kneeassess.movement.queue")
        if queue is not None and not getattr(queue.analyse_squat, "bench_timed", False):
            queue.analyse_squat = timed_analysis(queue.analyse_squat)

    def timed(self, rerun_data):  # noqa: ANN001, ANN202
        watch_movement()
        local.execs = 0
        auto, fragment = bool(rerun_data.is_auto_rerun), bool(rerun_data.fragment_id_queue)
        start, cpu = time.perf_counter(), time.thread_time()
        try:
            return original_run(self, rerun_data)
        finally:
            took, used = (time.perf_counter() - start) * 1000, (time.thread_time() - cpu) * 1000
            watch_movement()  # the run that imported it: patched before any click can start an analysis
            with lock:
                out.write(f"{time.time():.3f} {took:.2f} {used:.2f} {local.execs} {int(auto)} {int(fragment)}\n")

    ScriptRunContext.on_script_start = counted_start  # type: ignore[method-assign]
    script_runner.ScriptRunner._run_script = timed


@dataclass(frozen=True)
class Run:
    """One ``_run_script`` call: a click's whole rerun chain."""

    at: float  # unix time at its end
    wall_ms: float
    cpu_ms: float
    execs: int  # executions of the script body (1 per pass of a st.rerun() chain that reached the script)
    auto: bool  # a fragment's timer rerun: not caused by a click
    fragment: bool


def runs(path: Path, since: float = 0.0, until: float = float("inf")) -> list[Run]:
    """The runs recorded between two unix times."""
    if not path.exists():
        return []
    found = []
    for line in path.read_text().splitlines():
        fields = line.split()
        if len(fields) < 3:
            continue  # a line being written
        at = float(fields[0])
        if since <= at <= until:
            execs, auto, fragment = (int(x) for x in (fields[3:6] if len(fields) >= 6 else ("1", "0", "0")))
            found.append(Run(at, float(fields[1]), float(fields[2]), execs, bool(auto), bool(fragment)))
    return found


def read(path: Path, since: float = 0.0, until: float = float("inf"), cpu: bool = False) -> list[float]:
    """The run times (wall ms, or with ``cpu`` the script thread's CPU ms) recorded between two unix times."""
    return [r.cpu_ms if cpu else r.wall_ms for r in runs(path, since, until)]


def clicked(path: Path, since: float, until: float) -> tuple[float, int]:
    """What a click made the server do between two unix times: (wall ms of its runs, script executions), fragment
    timer reruns left out."""
    mine = [r for r in runs(path, since, until) if not r.auto]
    return sum(r.wall_ms for r in mine), sum(r.execs for r in mine)


def analyses_file(path: Path) -> Path:
    return path.with_suffix(".analyses")


def analyses(path: Path, since: float = 0.0, until: float = float("inf")) -> list[tuple[float, float, float]]:
    """The movement analyses (start, end, ms) that ended between two unix times; ``path`` is the RUNS_FILE."""
    file = analyses_file(path)
    if not file.exists():
        return []
    found = []
    for line in file.read_text().splitlines():
        fields = line.split()
        if len(fields) == 3 and since <= float(fields[1]) <= until:
            found.append((float(fields[0]), float(fields[1]), float(fields[2])))
    return found


if __name__ == "__main__":
    install(Path(sys.argv[1]))
    from streamlit.web.cli import main

    sys.argv = ["streamlit", *sys.argv[2:]]
    main()
