"""Part 5: where a page's server-side time goes — pyinstrument on the script thread of AppTest runs.

AppTest runs each script in a thread of its own, so the profiler is started and stopped around
``ScriptRunner._run_script`` (in this process only). The text reports go to ``bench/profiles/<page>.txt``.
"""

from __future__ import annotations

from pathlib import Path

from bench.common import BENCH_ROOT, ROOT

PROFILED = [  # (label, page, with the profile's revision raised before each run: nothing of it cached)
    ("progress", "pages/runner/progress.py", False), ("progress-after-a-write", "pages/runner/progress.py", True),
    ("log", "pages/runner/log.py", False), ("results", "pages/runner/results.py", False),
]
OUT = Path(__file__).resolve().parent / "profiles"


def run(token: str, runs: int = 10) -> dict:
    from pyinstrument import Profiler
    from streamlit.runtime.scriptrunner import script_runner
    from streamlit.testing.v1 import AppTest

    from bench.server_side import _finished_screening, _raise_revision

    current: dict[str, Profiler | None] = {"p": None}
    original = script_runner.ScriptRunner._run_script

    def profiled(self, rerun_data):  # noqa: ANN001, ANN202
        p = current["p"]
        if p is None:
            return original(self, rerun_data)
        p.start()
        try:
            return original(self, rerun_data)
        finally:
            p.stop()

    script_runner.ScriptRunner._run_script = profiled
    OUT.mkdir(exist_ok=True)
    written = {}
    try:
        for label, page, cold in PROFILED:
            at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
            at.query_params["p"] = token
            if label == "results":
                at.session_state["kneeassess_screening"] = _finished_screening()
            at.run()
            at.switch_page(page)
            at.run()
            at.run()
            profiler = Profiler(interval=0.001)
            current["p"] = profiler
            touch = _raise_revision(token) if cold else None
            for _ in range(runs):
                if touch:
                    touch()  # not profiled: the profiler runs inside _run_script only
                at.run()
            current["p"] = None
            path = OUT / f"{label}.txt"
            path.write_text(profiler.output_text(unicode=True, color=False, show_all=False))
            written[label] = str(path.relative_to(BENCH_ROOT))
    finally:
        script_runner.ScriptRunner._run_script = original
    return {"runs": runs, "files": written}
