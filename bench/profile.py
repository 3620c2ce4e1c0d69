"""Part 5: where a page's server-side time goes — pyinstrument on the script thread of AppTest runs; and
(:func:`sampled`, used by part 3b at its largest level) py-spy on the served process under load.

AppTest runs each script in a thread of its own, so the profiler is started and stopped around
``ScriptRunner._run_script`` (in this process only). The text reports go to ``bench/profiles/<page>.txt``.
"""

from __future__ import annotations

import collections
import contextlib
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
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


# --- The served process under load: py-spy samples every thread of the server (the script threads and the event
# loop that sends every message), where pyinstrument above sees one script thread of AppTest.

SPY_RATE = 250  # samples a second


@contextlib.contextmanager
def sampled(pid: int, raw: Path) -> Iterator[Path | None]:
    """``py-spy record`` on the process ``pid`` while the block runs: its collapsed stacks (one line per stack with
    the thread first) go to ``raw``. Only the thread holding the GIL is sampled (``--gil``): the server's Python
    work, which is what limits one process (its threads take turns on one core). Yields None (and samples nothing)
    without py-spy."""
    spy = shutil.which("py-spy", path=str(Path(sys.executable).parent)) or shutil.which("py-spy")
    if spy is None:
        yield None
        return
    raw.unlink(missing_ok=True)
    proc = subprocess.Popen([spy, "record", "--pid", str(pid), "--rate", str(SPY_RATE), "--threads", "--gil",
                             "--nonblocking", "--format", "raw", "--output", str(raw)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        yield raw
    finally:
        proc.send_signal(signal.SIGINT)  # py-spy writes what it sampled and exits
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _frame(text: str) -> tuple[str, str]:
    """(function, file) of a py-spy frame ``func (path/to/file.py:123)``."""
    name, _, where = text.rpartition(" (")
    return (name or text), where.rstrip(")").rsplit(":", 1)[0]


PAGE_FILES = frozenset(p.name for p in (ROOT / "pages").glob("*/*.py"))


def _area(file: str) -> str:
    """The package a frame's file belongs to (py-spy names a file by its path below ``sys.path``)."""
    if file == "app.py" or file.startswith(("kneeassess/", "pages/")) or file in PAGE_FILES:
        return "kneeassess (the app: app.py, pages/, kneeassess/)"
    top = file.split("/", 1)[0] if "/" in file else ""
    known = {"streamlit": "streamlit", "tornado": "tornado", "asyncio": "asyncio (stdlib)", "google": "protobuf",
             "plotly": "plotly", "pandas": "pandas", "sqlalchemy": "sqlalchemy", "bench": "the bench's probe",
             "concurrent": "concurrent.futures (stdlib)", "json": "json (stdlib)", "orjson": "orjson"}
    return known.get(top, "other (stdlib, other libraries)")


PER_MESSAGE = {  # Streamlit's path of one element from the script thread to the browser, by function
    "ScriptRunContext.enqueue": "script thread: an element queued (ScriptRunContext.enqueue, waking the event loop)",
    "AppSession._handle_scriptrunner_event_on_event_loop": "event loop: the queued element handled",
    "populate_hash_if_needed": "either: the message hashed for the message cache (populate_hash_if_needed)",
    "serialize_forward_msg": "event loop: the message serialized (serialize_forward_msg)",
    "WebSocketsSansIOProtocol.send": "event loop: written to the WebSocket (uvicorn)",
}


def _thread(frame: str) -> str:
    """py-spy's thread frame ``thread (1234): ScriptRunner.scriptThread`` → the kind of thread."""
    name = frame.partition("): ")[2]
    if name.startswith("ScriptRunner"):
        return "script threads (running a session's page)"
    if name == "MainThread":
        return "main thread (the server's event loop, uvicorn: WebSocket messages, HTTP)"
    return f"other threads ({name.split('_')[0] or 'unnamed'})"


def summary(raw: Path, top: int = 25) -> str:
    """A text report of the collapsed stacks: the share of samples per kind of thread, per package (of the frame
    that was running), and the functions with the most samples in themselves and below them."""
    stacks = []
    for line in raw.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if stack and count.isdigit():
            stacks.append((stack.split(";"), int(count)))
    total = sum(n for _, n in stacks)
    if not total:
        return "no samples\n"
    threads: collections.Counter[str] = collections.Counter()
    areas: collections.Counter[str] = collections.Counter()
    own: collections.Counter[str] = collections.Counter()
    below: collections.Counter[str] = collections.Counter()
    app: collections.Counter[str] = collections.Counter()
    messages: collections.Counter[str] = collections.Counter()
    for frames, n in stacks:
        head, calls = (frames[0], frames[1:]) if frames[0].startswith("thread ") else ("", frames)
        threads[_thread(head)] += n
        if not calls:
            continue
        parsed = [_frame(f) for f in calls]
        name, file = parsed[-1]
        areas[_area(file)] += n
        own[f"{name} ({file})"] += n
        for key in {f"{fn} ({ff})" for fn, ff in parsed}:
            below[key] += n
        for key in {f"{fn} ({ff})" for fn, ff in parsed if _area(ff).startswith("kneeassess")}:
            app[key] += n
        for key in {fn for fn, _ in parsed if fn in PER_MESSAGE}:
            messages[PER_MESSAGE[key]] += n

    def share(counter: collections.Counter[str], limit: int) -> list[str]:
        return [f"  {100 * n / total:5.1f} %  {key}" for key, n in counter.most_common(limit)]

    return "\n".join([
        f"{total} samples at {SPY_RATE}/s of the thread holding the GIL (py-spy --gil: the process's Python work, "
        "which one core at most can do)", "",
        "Threads:", *share(threads, 6), "",
        "Package of the running frame:", *share(areas, 12), "",
        "Functions, own samples:", *share(own, top), "",
        "Streamlit's work per message (each element a run draws is one), inclusive:", *share(messages, 8), "",
        "The app's functions, with what they call (inclusive):", *share(app, top), "",
        "Functions, with what they call (inclusive):", *share(below, top), "",
    ])
