#!/usr/bin/env python3
"""The project's two commands. Needs only Python 3.11+; everything else is installed on first use.

    python3 dev.py app     # run the app on http://localhost:8501
    python3 dev.py test    # run the whole test suite (unit, AppTest, PostgreSQL, browser)

Extra arguments go to streamlit / pytest, e.g. ``python3 dev.py test -k kujala``.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / ("python.exe" if os.name == "nt" else "python")
STAMP = VENV / ".kneeassess-installed"
NODEPS = ROOT / "requirements-nodeps.txt"  # mediapipe==0.10.14 without its metadata's protobuf<5 pin (README)
CHROMIUM = "/usr/bin/chromium"


def say(msg: str) -> None:
    print(f"[dev] {msg}", flush=True)


def _stamp(extras: str) -> str:
    files = (ROOT / "pyproject.toml").read_bytes() + NODEPS.read_bytes()
    return hashlib.sha256(files).hexdigest() + ":" + extras


def ensure_env(extras: str) -> None:
    """Create .venv and install the project (with ``extras``) when pyproject.toml or requirements-nodeps.txt changed.

    Two steps: the project with its dependencies, then requirements-nodeps.txt with ``--no-deps`` (mediapipe, whose
    metadata pins protobuf<5 while Streamlit needs >=5.26.1; what its imports need is in pyproject.toml)."""
    if not PY.exists():
        say("creating .venv")
        venv.create(VENV, with_pip=True)
    want = _stamp(extras)
    have = STAMP.read_text().strip() if STAMP.exists() else ""
    if have == want or have == _stamp("test"):  # the test install includes the app's dependencies
        return
    say(f"installing dependencies{' (' + extras + ')' if extras else ''} into .venv")
    target = f".[{extras}]" if extras else "."
    subprocess.run([PY, "-m", "pip", "install", "--quiet", "--upgrade", "pip"], check=True)
    subprocess.run([PY, "-m", "pip", "install", "--quiet", "-e", target], check=True, cwd=ROOT)
    subprocess.run([PY, "-m", "pip", "install", "--quiet", "--no-deps", "-r", NODEPS], check=True, cwd=ROOT)
    STAMP.write_text(want)


def theme_flags() -> list[str]:
    """The clinic's colours as Streamlit theme flags (the app also applies them itself)."""
    code = "from kneeassess.ui.app_setup import theme_flags; print(' '.join(theme_flags()))"
    out = subprocess.run([PY, "-c", code], capture_output=True, text=True, cwd=ROOT)
    return out.stdout.split() if out.returncode == 0 else []


def ensure_test_tools() -> None:
    """Debian's Chromium (browser tests), poppler-utils (PDF pages to PNG), nginx and npm (axe-core for the
    accessibility checks); apt-get installs them as root."""
    tools = (("chromium", CHROMIUM), ("poppler-utils", "pdftoppm"), ("nginx", "/usr/sbin/nginx"), ("npm", "npm"))
    missing = [pkg for pkg, path in tools
               if not (Path(path).exists() or shutil.which(path))]
    if missing and shutil.which("apt-get") and hasattr(os, "geteuid") and os.geteuid() == 0:
        say(f"installing Debian's {' '.join(missing)} for the tests")
        subprocess.run(["apt-get", "update", "-qq"], check=False)
        subprocess.run(["apt-get", "install", "-y", "-qq", *missing], check=False)
    if not Path(CHROMIUM).exists():
        say(f"{CHROMIUM} not found: browser tests will be skipped (install Debian's 'chromium' package)")
    axe = ROOT / "tests" / "e2e" / "node_modules" / "axe-core" / "axe.min.js"
    if shutil.which("npm") and not axe.exists():
        say("installing axe-core (pinned in tests/e2e/package-lock.json) for the accessibility checks")
        subprocess.run(["npm", "ci", "--prefix", str(ROOT / "tests" / "e2e"), "--no-audit", "--no-fund"], check=False)
    if not axe.exists():
        say("axe-core not found: the accessibility checks will fail (install npm, then `npm ci --prefix tests/e2e`)")
    if not shutil.which("pdftoppm"):
        say("pdftoppm not found: the PDF rendering test will be skipped (install 'poppler-utils')")


def port_of(args: list[str]) -> str | None:
    """The port given as ``--server.port N`` or ``--server.port=N`` (the last one wins, as for Streamlit)."""
    port = None
    for i, arg in enumerate(args):
        if arg == "--server.port" and i + 1 < len(args):
            port = args[i + 1]
        elif arg.startswith("--server.port="):
            port = arg.split("=", 1)[1]
    return port


def warm_up(port: str, proc: subprocess.Popen, timeout: float = 120) -> bool:
    """Wait until the app has run app.py once (``/_stcore/script-health-check``, .streamlit/config.toml): then
    a first visitor's deep link gets the app's navigation, and the imports are warm. False if it never did."""
    import time
    import urllib.error
    import urllib.request

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            url = f"http://127.0.0.1:{port}/_stcore/script-health-check"
            with urllib.request.urlopen(url, timeout=timeout) as resp:
                return resp.status == 200
        except urllib.error.HTTPError:  # 503: app.py failed (its message is in the log above)
            return False
        except OSError:  # not listening yet (URLError is an OSError)
            time.sleep(0.5)
    return False


def app(args: list[str]) -> int:
    ensure_env("")
    port = port_of(args) or os.environ.get("STREAMLIT_SERVER_PORT") or "8501"
    given = port_of(args) is not None
    cmd = [PY, "-m", "streamlit", "run", "app.py", *([] if given else ["--server.port", port]), *theme_flags(), *args]
    proc = subprocess.Popen(cmd, cwd=ROOT)
    try:
        if warm_up(port, proc):
            say(f"KneeAssess on http://localhost:{port} (Ctrl+C to stop)")
        elif proc.poll() is None:
            say(f"the app on port {port} did not run its first page: see the messages above")
        return proc.wait()
    except KeyboardInterrupt:
        proc.terminate()
        return proc.wait()


WORKERS = ["--numprocesses", "3", "--dist", "loadfile"]  # pytest-xdist: the whole suite in three processes


def test(args: list[str]) -> int:
    """The whole suite (no arguments) runs in three worker processes, a test file's tests in one of them: the
    browser, server and container tests mostly wait, so three share two cores well (measured: README, "Tests").
    With arguments (a folder, ``-k``, ``-n 0`` …) pytest gets exactly those."""
    ensure_env("test")
    ensure_test_tools()
    return subprocess.call([PY, "-m", "pytest", *(args or WORKERS)], cwd=ROOT)


def main() -> int:
    commands = {"app": app, "test": test}
    if len(sys.argv) < 2 or sys.argv[1] not in commands:
        print(__doc__)
        return 2
    return commands[sys.argv[1]](sys.argv[2:])


if __name__ == "__main__":
    sys.exit(main())
