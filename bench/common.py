"""What the bench parts share: statistics, a served app (or a bare page) on 127.0.0.1, Chromium, the machine."""

from __future__ import annotations

import contextlib
import math
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from tests.waiting import stop  # a served process ends as the tests' servers do

BENCH_ROOT = Path(__file__).resolve().parents[1]
# The app measured: this checkout, or another copy of it (KNEEASSESS_BENCH_APP=/path/to/copy, e.g. to measure a
# proposed fix before it is made here; its kneeassess package is imported instead of this one's).
ROOT = Path(os.environ.get("KNEEASSESS_BENCH_APP") or BENCH_ROOT).resolve()
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [  # as tests/e2e/conftest.py
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--disable-quic",
]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
START_TIMEOUT_S = 60
READY_TIMEOUT_S = 150  # the first run of app.py, cold imports included, on a busy machine

BARE_PAGE = 'import streamlit as st\nst.write("Hello")\n'
BARE_BUTTON = (
    "import streamlit as st\n"
    "st.session_state.setdefault('n', 0)\n"
    "if st.button('Click'):\n"
    "    st.session_state.n += 1\n"
    "st.write(f\"Clicked {st.session_state.n} times\")\n"
)


# --- statistics ---------------------------------------------------------------------------------------------


def pct(values: Sequence[float], p: float) -> float:
    """The p-th percentile by the nearest-rank method (p95 of 20 values is the 19th smallest)."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[rank - 1]


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else math.nan


def ms(value: float) -> str:
    return "n/a" if value is None or math.isnan(value) else f"{value:,.0f}" if value >= 100 else f"{value:.1f}"


def table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A GitHub-flavoured Markdown table (also readable as printed text)."""
    cells = [[str(c) for c in headers]] + [[str(c) for c in row] for row in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    line = lambda r: "| " + " | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) + " |"  # noqa: E731
    sep = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    return "\n".join([line(cells[0]), sep, *(line(r) for r in cells[1:])])


# --- the machine --------------------------------------------------------------------------------------------


def machine() -> dict[str, str]:
    import psutil
    import streamlit

    cpu = platform.processor() or ""
    with contextlib.suppress(OSError):
        for row in Path("/proc/cpuinfo").read_text().splitlines():
            if row.startswith("model name"):
                cpu = row.split(":", 1)[1].strip()
                break
    chromium = ""
    if CHROMIUM.exists():
        with contextlib.suppress(OSError, subprocess.SubprocessError):
            chromium = subprocess.run([str(CHROMIUM), "--version"], capture_output=True, text=True,
                                      timeout=20).stdout.strip()
    pg = ""
    if shutil.which("psql"):
        with contextlib.suppress(OSError, subprocess.SubprocessError):
            pg = subprocess.run(["psql", "--version"], capture_output=True, text=True, timeout=10).stdout.strip()
    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "cpu": cpu,
        "cores": f"{psutil.cpu_count(logical=True)} logical ({psutil.cpu_count(logical=False)} physical)",
        "memory": f"{psutil.virtual_memory().total / 2**30:.1f} GiB",
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "streamlit": streamlit.__version__,
        "plotly": _version("plotly"),
        "sqlalchemy": _version("sqlalchemy"),
        "playwright": _version("playwright"),
        "chromium": chromium,
        "postgresql client": pg,
        "load average at start (1, 5, 15 min)": load_average(),
    }


def load_average() -> str:
    """Other work on the machine skews every figure: it is written down at the start and the end of a run."""
    return ", ".join(f"{x:.2f}" for x in os.getloadavg())


def _version(name: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(name)
    except PackageNotFoundError:
        return "not installed"


# --- serving an app -----------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def healthy(url: str, path: str = "/_stcore/health", timeout: float = 2) -> bool:
    try:
        with urllib.request.urlopen(f"{url}{path}", timeout=timeout) as resp:
            return resp.status == 200
    except (urllib.error.URLError, OSError):
        return False


def ready(url: str) -> bool:
    """The app has run app.py once (``/_stcore/script-health-check``, .streamlit/config.toml), as every launcher of
    the app waits for before it takes visitors: until then Streamlit 1.67 runs a fresh process in its old
    ``pages/`` mode, whose first run answers a deep link (/progress?p=...) with a "Page not found" notice."""
    return healthy(url, "/_stcore/script-health-check", timeout=70)


def theme_flags() -> list[str]:
    from kneeassess.ui.app_setup import theme_flags as flags

    return flags()


@dataclass
class Served:
    url: str
    proc: subprocess.Popen
    log: Path


@contextlib.contextmanager
def serve(script: Path, cwd: Path, log: Path, env: dict[str, str] | None = None,
          extra: Sequence[str] = (), runs_file: Path | None = None) -> Iterator[Served]:
    """``streamlit run script`` on a free 127.0.0.1 port, as the e2e tests and dev.py start it; stopped after.
    The app (``app.py``) is waited for as its launchers do: until it has run once (:func:`ready`).

    With ``runs_file``, through ``bench.probe``: every script run's server-side time is appended to that file.
    """
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    launcher = ["-m", "bench.probe", str(runs_file)] if runs_file else ["-m", "streamlit"]
    cmd = [
        sys.executable, *launcher, "run", str(script),
        "--server.headless", "true", "--server.port", str(port), "--server.address", "127.0.0.1",
        "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none", *extra,
    ]  # fmt: skip
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("w") as out:
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=out, stderr=subprocess.STDOUT,
                                env={**os.environ, "PYTHONPATH": f"{ROOT}{os.pathsep}{BENCH_ROOT}", **(env or {})})
        try:
            deadline = time.monotonic() + START_TIMEOUT_S
            while not healthy(url):
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"streamlit did not start ({' '.join(cmd)}); log: {log}")
                time.sleep(0.2)
            deadline = time.monotonic() + READY_TIMEOUT_S
            while script.name == "app.py" and not ready(url):
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"app.py did not run (/_stcore/script-health-check); log: {log}")
                time.sleep(0.5)
            yield Served(url, proc, log)
        finally:
            stop(proc)


def app_runner_flags() -> list[str]:
    """The app's own ``[runner]`` settings as flags, for the bare page's server: the same Streamlit settings on both
    sides of a ratio (the app switches the after-run ``gc.collect`` off; a bare page would pay it otherwise)."""
    import tomllib

    runner = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text()).get("runner", {})
    return [flag for key, value in runner.items() for flag in (f"--runner.{key}", str(value).lower())]


@contextlib.contextmanager
def bare_script(source: str) -> Iterator[Path]:
    """A one-file Streamlit app in a temp dir (the baseline the app is compared with)."""
    with tempfile.TemporaryDirectory(prefix="kneeassess-bare-") as folder:
        path = Path(folder) / "bare.py"
        path.write_text(source)
        yield path


STAFF_PASSCODE = "bench-staff-passcode-19"  # the staff sign-in of the served app (its hash in the environment)


def staff_env() -> dict[str, str]:
    """The staff passcode as the app takes it (KNEEASSESS_STAFF_PASSCODE_HASH: an Argon2 hash), as the e2e tests
    set it up."""
    from kneeassess.staff_auth import hash_passcode

    return {"KNEEASSESS_STAFF_PASSCODE_HASH": hash_passcode(STAFF_PASSCODE)}


def app_env(var_dir: Path) -> dict[str, str]:
    """The served app on the bench's seeded SQLite file (never var/ of the checkout)."""
    return {"KNEEASSESS_VAR_DIR": str(var_dir), "KNEEASSESS_DATABASE_URL": "", "KNEEASSESS_DELIVERY_WORKER": "1"}


