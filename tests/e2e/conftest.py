"""Real-browser fixtures: the app as a subprocess, Debian's Chromium through Playwright, a phone-sized page.

Every test in this folder is marked ``e2e``. Screenshots go to the ``artifacts`` folder (tests/conftest.py); the
server's log goes to ``test-artifacts/e2e-server.log`` and must not contain a Python traceback.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from kneeassess.ui.app_setup import theme_flags
from tests import browser_log
from tests.conftest import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, EXPECT_TIMEOUT_MS, ROOT, free_port  # noqa: F401 (re-exported)
from tests.waiting import NotInTime, stop, wait_until

START_TIMEOUT_S = 60
READY_TIMEOUT_S = 150  # the first run of app.py, cold imports included, on a busy machine (Streamlit's own limit: 60 s)
PORT_ATTEMPTS = 3
IDLE_TIMEOUT_MS = 60_000  # bounds, not delays: a passing test never waits them out
PHONE = {"width": 390, "height": 844}

APP = '[data-testid="stApp"]'


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).resolve().parent
    for item in items:
        if here in Path(str(item.fspath)).resolve().parents:
            item.add_marker(pytest.mark.e2e)


def _healthy(url: str, path: str = "/_stcore/health", timeout: float = 2) -> bool:
    try:
        with urllib.request.urlopen(f"{url}{path}", timeout=timeout) as resp:
            return resp.status == 200 and resp.read().decode().strip() == "ok"
    except (urllib.error.URLError, OSError):
        return False


def ready(url: str) -> bool:
    """The app has run app.py once (``/_stcore/script-health-check``, .streamlit/config.toml): as every launcher
    waits before the app takes visitors (dev.py app, the Dockerfile, the systemd unit)."""
    return _healthy(url, "/_stcore/script-health-check", timeout=70)


@contextlib.contextmanager
def serve(log_name: str, env: dict[str, str] | None = None, script: Path | None = None,
          flags: tuple[str, ...] = ()) -> Iterator[str]:
    """Run ``streamlit run app.py`` (or ``script``, with the app's .streamlit/config.toml all the same) on a free
    port, with ``flags`` after the usual ones; yield its URL; stop it and check its log for tracebacks."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    log_path = ARTIFACTS / log_name
    python = ROOT / ".venv" / "bin" / "python"
    for attempt in range(PORT_ATTEMPTS):
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        cmd = [
            str(python) if python.exists() else sys.executable, "-m", "streamlit", "run", str(script or "app.py"),
            "--server.headless", "true",
            "--server.port", str(port),
            "--server.address", "127.0.0.1",
            "--browser.gatherUsageStats", "false",
            "--server.fileWatcherType", "none",
            *theme_flags(),  # as dev.py starts it
            *flags,
        ]  # fmt: skip
        with log_path.open("w") as log:
            proc = subprocess.Popen(cmd, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
                                    env={**os.environ, **(env or {})})

            def exited(proc: subprocess.Popen = proc) -> str | None:
                return f"exited with {proc.returncode}" if proc.poll() is not None else None

            try:
                try:
                    wait_until(lambda url=url: _healthy(url), START_TIMEOUT_S, interval=0.25, give_up=exited,
                               what="streamlit answering /_stcore/health")
                    wait_until(lambda url=url: ready(url), READY_TIMEOUT_S, interval=0.5, give_up=exited,
                               what="streamlit running app.py (/_stcore/script-health-check)")
                except NotInTime as exc:
                    text = log_path.read_text()
                    if ("is not available" in text or "already in use" in text) and attempt + 1 < PORT_ATTEMPTS:
                        continue  # another process took the free port between free_port() and the bind: next one
                    pytest.fail(f"{exc} ({' '.join(cmd)}); its log:\n{text}", pytrace=False)
                yield url
                break
            finally:
                stop(proc)
    text = log_path.read_text()
    assert "Traceback" not in text, f"the server logged a traceback ({log_path}):\n{text}"


@pytest.fixture(scope="session")
def app_url() -> Iterator[str]:
    """The app on SQLite (a throw-away file, tests/conftest.py), shared by the tests of the session."""
    with serve("e2e-server.log") as url:
        yield url


@pytest.fixture
def phone(browser, app_url: str) -> Iterator[object]:
    """A fresh phone-sized tab (390×844, 2× pixels, touch) whose relative URLs go to the app: ``page.goto("/")``.
    The test fails if the page threw an uncaught exception (``pageerror``) on the way."""
    from tests.e2e.a11y import BrowserErrors

    context = browser.new_context(
        viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True, base_url=app_url
    )
    context.set_default_timeout(IDLE_TIMEOUT_MS)
    page = context.new_page()
    errors = BrowserErrors(page, console=False)
    try:
        yield page
    finally:
        context.close()
    assert errors.take() == [], "the page threw in the browser"


def wait_idle(page) -> None:
    """Wait until the app is connected, has answered the page's last request (tests/browser_log.py: a click's
    rerun has started and finished, not just "no script running", which a click leaves unchanged until the
    server answers), its script is not running and nothing is still loading."""
    page.wait_for_selector(f'{APP}[data-test-connection-state="CONNECTED"]', timeout=IDLE_TIMEOUT_MS)

    def answered() -> bool:
        page.wait_for_timeout(20)  # Playwright hands over the page's websocket events while the test waits on it
        return browser_log.answered(page)

    wait_until(answered, IDLE_TIMEOUT_MS / 1000, interval=0, what="the app answering the page's last request")
    page.wait_for_selector(f'{APP}[data-test-script-state="notRunning"]', timeout=IDLE_TIMEOUT_MS)
    page.wait_for_selector('[data-testid="stSkeleton"]', state="detached", timeout=IDLE_TIMEOUT_MS)
