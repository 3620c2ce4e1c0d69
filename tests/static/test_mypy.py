"""The type check is part of the suite: mypy, strict for ``kneeassess/``, as configured in pyproject.toml.

Slow (a subprocess; a minute or more on a cold cache), so not under tests/unit. Run the same by hand with
``.venv/bin/python -m mypy``.
"""

from __future__ import annotations

import subprocess
import sys
import tomllib

from tests.conftest import ROOT

MYPY_TIMEOUT_S = 900


def test_the_type_check_is_strict_for_the_package_and_ignores_nothing_globally():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["mypy"]
    assert config["files"] == ["kneeassess"] and config["strict"] is True
    assert "ignore-without-code" in config["enable_error_code"]
    for loosening in ("ignore_missing_imports", "ignore_errors", "follow_imports", "disable_error_code"):
        assert loosening not in config, f"{loosening} set for every module: set it per module, where needed"
    for override in config.get("overrides", []):
        assert not any(m.startswith("kneeassess") for m in override["module"]), "the package itself is never loosened"


def test_kneeassess_has_no_type_errors():
    done = subprocess.run(
        [sys.executable, "-m", "mypy"], cwd=ROOT, capture_output=True, text=True, timeout=MYPY_TIMEOUT_S,
    )
    assert "No module named mypy" not in done.stderr, "mypy is missing: install the test extras (pyproject.toml)"
    assert done.returncode == 0, f"mypy found type errors:\n{done.stdout}{done.stderr}"
