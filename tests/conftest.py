"""Shared test policy: missing set-up (Chromium, PostgreSQL) skips locally but fails in CI."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts"
FIXTURES = ROOT.parent / "shared" / "fixtures" / "activities"  # real activity files, beside the checkout
_saved: list[Path] = []


@pytest.fixture(autouse=True, scope="session")
def _private_database(tmp_path_factory: pytest.TempPathFactory) -> None:
    """The app under test (AppTest and the served app) writes to a throw-away SQLite file, not var/."""
    if "KNEEASSESS_DATABASE_URL" not in os.environ:
        os.environ["KNEEASSESS_VAR_DIR"] = str(tmp_path_factory.mktemp("var"))
    os.environ["KNEEASSESS_DELIVERY_WORKER"] = "0"  # the outbox tests start their own workers


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


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if _saved:
        terminalreporter.section("screenshots")
        for folder in _saved:
            count = len(list(folder.glob("*.png")))
            terminalreporter.write_line(f"{count:3d} screenshots in {folder.relative_to(ROOT)}/")
