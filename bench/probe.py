"""Start ``streamlit`` with every script run timed on the server side (for the browser parts of the bench).

    python -m bench.probe RUNS_FILE run app.py --server.port ...

Each finished ``ScriptRunner._run_script`` call appends ``<unix time> <wall ms> <CPU ms of the script thread>`` to
RUNS_FILE. Streamlit 1.67 runs a ``st.rerun()`` / ``st.switch_page()`` chain inside one such call, so a line is
everything one click made the server run (two script executions for a click that calls ``st.rerun()``). Only the
bench starts the app this way; the app is unchanged.
"""

from __future__ import annotations

import sys
import threading
import time
from pathlib import Path


def install(path: Path) -> None:
    from streamlit.runtime.scriptrunner import script_runner

    lock = threading.Lock()
    out = path.open("a", buffering=1)
    original = script_runner.ScriptRunner._run_script

    def timed(self, rerun_data):  # noqa: ANN001, ANN202
        start, cpu = time.perf_counter(), time.thread_time()
        try:
            return original(self, rerun_data)
        finally:
            took, used = (time.perf_counter() - start) * 1000, (time.thread_time() - cpu) * 1000
            with lock:
                out.write(f"{time.time():.3f} {took:.2f} {used:.2f}\n")

    script_runner.ScriptRunner._run_script = timed


def read(path: Path, since: float = 0.0, until: float = float("inf"), cpu: bool = False) -> list[float]:
    """The run times (wall ms, or with ``cpu`` the script thread's CPU ms) recorded between two unix times."""
    if not path.exists():
        return []
    runs = []
    for line in path.read_text().splitlines():
        at, took, used = line.split()
        if since <= float(at) <= until:
            runs.append(float(used if cpu else took))
    return runs


if __name__ == "__main__":
    install(Path(sys.argv[1]))
    from streamlit.web.cli import main

    sys.argv = ["streamlit", *sys.argv[2:]]
    main()
