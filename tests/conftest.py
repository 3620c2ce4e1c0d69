"""Shared test policy: missing set-up (Chromium, PostgreSQL) skips locally but fails in CI."""

from __future__ import annotations

import os
import re
import socket
import sys
from collections.abc import Callable, Generator, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import pytest

from kneeassess.settings import Settings, current, install, using
from tests import browser_log

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
EXPECT_TIMEOUT_MS = 30_000  # generous: a script run can take many seconds on a busy 2-core machine (tests/stress.sh)
FIXTURES = ROOT.parent / "shared" / "fixtures" / "activities"  # real activity files, beside the checkout
_saved: list[Path] = []


@pytest.fixture(autouse=True, scope="session")
def _private_database(tmp_path_factory: pytest.TempPathFactory) -> None:
    """The app under test (AppTest and the served app) writes to a throw-away SQLite file, not var/."""
    if "KNEEASSESS_DATABASE_URL" not in os.environ:
        os.environ["KNEEASSESS_VAR_DIR"] = str(tmp_path_factory.mktemp("var"))
    os.environ["KNEEASSESS_DELIVERY_WORKER"] = "0"  # the outbox tests start their own workers
    # the environment above is for the apps and CLIs the tests start; this process (AppTest, services) gets
    # settings built from it, and a test changes them with `configure(...)`, not through the environment
    install(Settings.load(os.environ))


@pytest.fixture
def configure() -> Iterator[Callable[..., Settings]]:
    """``configure(phone_region="DE", ...)``: the process's settings with these changes, for this test only."""
    with ExitStack() as stack:
        yield lambda **changes: stack.enter_context(using(current().replace(**changes)))


def missing_setup(reason: str) -> None:
    """Skip for a missing tool on a developer's machine; fail when CI is set (nothing may be skipped there)."""
    if os.environ.get("CI"):
        pytest.fail(f"CI is set but the test set-up is missing: {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture
def fx() -> Path:
    """The shared activity-file fixtures (skips locally, fails in CI, when they are missing)."""
    if not (FIXTURES / "PROVENANCE.md").is_file():
        missing_setup(f"activity fixtures not found at {FIXTURES}")
    return FIXTURES


@pytest.fixture
def artifacts(request: pytest.FixtureRequest) -> Path:
    """A folder for this test's screenshots; the run lists it at the end."""
    name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.nodeid.split("::", 1)[-1])
    folder = ARTIFACTS / name
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.png"):
        old.unlink()
    _saved.append(folder)
    return folder


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The container tests last (their order among themselves kept): their image build, the longest wait of the
    run, then overlaps everything else when .ci/run has started it in the background."""
    items.sort(key=lambda item: item.get_closest_marker("container") is not None)


def pytest_collection_finish(session: pytest.Session) -> None:
    """Hypothesis's pytest plugin imports all of Hypothesis (about a second) for its end-of-run summary, even in a
    run that never used it. When no collected test module imported Hypothesis (a run of tests/unit, say), no test
    can be a Hypothesis test and the plugin has nothing to report: it is dropped. A run that includes
    tests/properties keeps it (statistics, failing examples)."""
    manager = session.config.pluginmanager
    plugin = manager.get_plugin("hypothesispytest")
    if plugin is not None and "hypothesis" not in sys.modules:
        manager.unregister(plugin)


def pytest_runtest_setup(item: pytest.Item) -> None:
    browser_log.start()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None],
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """A failed browser test's report ends with what its pages did (tests/browser_log.py)."""
    report = yield
    if report.failed and "browser" in getattr(item, "fixturenames", ()) and (events := browser_log.report()):
        report.sections.append(("browser events", events))
    return report


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if _saved:
        terminalreporter.section("screenshots")
        for folder in _saved:
            count = len(list(folder.glob("*.png")))
            terminalreporter.write_line(f"{count:3d} screenshots in {folder.relative_to(ROOT)}/")


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """One Chromium for the whole run (Playwright's sync API allows one instance per thread)."""
    if not CHROMIUM.exists():
        missing_setup("Debian's chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=EXPECT_TIMEOUT_MS)
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        browser_log.watch_browser(chromium)
        try:
            yield chromium
        finally:
            chromium.close()


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now (for the servers the tests start)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


POSTGRES_URL = os.environ.get("KNEEASSESS_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def with_query(url: str, **query: str) -> str:
    import sqlalchemy as sa

    return sa.make_url(url).update_query_dict(query).render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def postgres_admin():  # -> Iterator[sa.Engine]
    """An engine on the test database's default schema, used to create and drop the per-test schemas."""
    import sqlalchemy as sa

    engine = sa.create_engine(with_query(POSTGRES_URL, connect_timeout="3"), poolclass=sa.NullPool)
    try:
        with engine.connect() as conn:
            conn.execute(sa.text("SELECT 1"))
    except sa.exc.OperationalError:
        engine.dispose()
        missing_setup("PostgreSQL at 127.0.0.1:5432 is not reachable")
    yield engine
    engine.dispose()


@contextmanager
def fresh_schema(admin, prefix: str, **query: str) -> Iterator[str]:  # noqa: ANN001 - an sa.Engine
    """The URL of a new, empty schema on the test PostgreSQL (named in ``options=-csearch_path=...``, so tables
    and alembic's version table land there); dropped afterwards."""
    import uuid

    import sqlalchemy as sa

    schema = f"{prefix}_{uuid.uuid4().hex[:12]}"
    with admin.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield with_query(POSTGRES_URL, options=f"-csearch_path={schema}", **query)
    finally:
        with admin.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))


@pytest.fixture
def postgres_url(postgres_admin) -> Iterator[str]:  # noqa: ANN001
    """A fresh schema on the test PostgreSQL (for app processes sharing one database), dropped afterwards."""
    with fresh_schema(postgres_admin, "kneeassess_apps") as url:
        yield url
