"""The shape of the codebase: only kneeassess/ui imports Streamlit, and none of Streamlit's internals; pages by role.

(Lint and types: tests/static.)"""

import ast
import functools
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


@functools.cache
def nodes(source: str) -> tuple[ast.AST, ...]:
    """Every node of a module's source, parsed once per run: the checks below each read every file."""
    return tuple(ast.walk(ast.parse(source)))


def imports(path: Path) -> set[str]:
    names = set()
    for node in nodes(path.read_text()):
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_only_ui_imports_streamlit():
    offenders = [
        str(p.relative_to(ROOT))
        for p in (ROOT / "kneeassess").rglob("*.py")
        if "ui" not in p.relative_to(ROOT / "kneeassess").parts and "streamlit" in imports(p)
    ]
    assert offenders == []


def test_pages_write_no_sql_and_import_no_storage_internals():
    pages = list((ROOT / "pages").rglob("*.py"))
    assert pages
    for page in pages:
        text = page.read_text()
        assert "sqlalchemy" not in text and "SELECT " not in text, page


# Streamlit's public API is ``streamlit`` itself (``st.*``) and the versioned ``streamlit.components.v1`` and
# ``streamlit.components.v2`` (``st.components.v2.component``: the staff downloads, kneeassess/ui/downloads.py).
# Everything else is its machinery: importing or patching it ties the app to one release's internals (the
# PagesManager patch that once made deep links work is the example this test exists for).
PUBLIC_STREAMLIT = {"streamlit", "streamlit.components.v1", "streamlit.components.v2"}
PRIVATE_ATTRIBUTES = {"runtime", "source_util", "web", "config", "proto", "elements", "commands", "watcher",
                      "delta_generator", "scriptrunner", "util"}
PRIVATE_NAMES = ("PagesManager", "uses_pages_directory", "_mpa_v1", "get_script_run_ctx", "ScriptRunContext",
                 "add_script_run_ctx", "SessionManager", "AppSession")


def app_sources() -> list[Path]:
    return [ROOT / "app.py", *(ROOT / "kneeassess").rglob("*.py"), *(ROOT / "pages").rglob("*.py")]


def streamlit_internals(path: Path) -> list[str]:
    """What this file uses of Streamlit beyond its public API: imports, attributes, patched names."""
    text = path.read_text()
    found = [name for name in PRIVATE_NAMES if name in text]
    for node in nodes(text):
        if isinstance(node, ast.Import):
            found += [a.name for a in node.names if a.name.startswith("streamlit.") and a.name not in PUBLIC_STREAMLIT]
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "streamlit":
            modules = [node.module] if node.module != "streamlit" else [f"streamlit.{a.name}" for a in node.names]
            found += [m for m in modules if m not in PUBLIC_STREAMLIT
                      and (node.module != "streamlit" or m.split(".")[1] in PRIVATE_ATTRIBUTES)]
        elif (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
              and node.value.id in {"st", "streamlit"} and node.attr in PRIVATE_ATTRIBUTES):
            found.append(f"{node.value.id}.{node.attr}")
    return found


def test_nothing_imports_or_patches_streamlit_internals():
    offenders = {str(p.relative_to(ROOT)): found for p in app_sources() if (found := streamlit_internals(p))}
    assert offenders == {}


def test_the_internals_check_sees_each_way_in(tmp_path: Path):
    for source in ("from streamlit.runtime.pages_manager import PagesManager",
                   "import streamlit.source_util", "from streamlit import config as c",
                   "import streamlit as st\nst.runtime.exists()",
                   "import streamlit as st\nPagesManager = None"):
        probe = tmp_path / "probe.py"
        probe.write_text(source)
        assert streamlit_internals(probe), source
    probe.write_text("import streamlit as st\nimport streamlit.components.v1 as components\nst.navigation([])\n"
                     "st.components.v2.component('x', js='')")
    assert streamlit_internals(probe) == []


def test_pages_are_grouped_by_role_and_every_page_path_exists():
    """Page files live in pages/runner/, pages/staff/, pages/kiosk/ only: Streamlit 1.67's old multipage mode
    runs ``pages/*.py`` on its own for a deep link (README, "Pages and deep links"). Every "pages/..." path
    written in the code, the tests and the benchmarks names a file that exists."""
    assert sorted(p.name for p in (ROOT / "pages").glob("*.py")) == []
    assert sorted(p.name for p in (ROOT / "pages").iterdir() if p.is_dir() and p.name != "__pycache__") == [
        "kiosk", "runner", "staff"]
    written = set()
    for path in [*app_sources(), *(ROOT / "tests").rglob("*.py"), *(ROOT / "bench").rglob("*.py")]:
        written |= set(re.findall(r"[\"'](pages/[a-z_]+/[a-z_]+\.py)[\"']", path.read_text()))
    assert written
    assert sorted(p for p in written if not (ROOT / p).is_file()) == []


def _code_files() -> list[Path]:
    return [*(ROOT / "kneeassess").rglob("*.py"), *(ROOT / "pages").rglob("*.py"), ROOT / "app.py"]


def _calls(path: Path, dotted: str) -> list[int]:
    """Lines where the code reads or calls ``dotted`` (e.g. ``os.environ``, ``st.rerun``)."""
    base, _, attr = dotted.rpartition(".")
    return [node.lineno for node in nodes(path.read_text())
            if isinstance(node, ast.Attribute) and node.attr == attr
            and isinstance(node.value, ast.Name) and node.value.id == base]


def test_settings_are_read_in_one_place():
    """The environment only in kneeassess/settings.py, Streamlit's secrets only in kneeassess/ui/config.py (which
    passes them in as a mapping): nothing else reads them, and nothing writes a secret into the environment."""
    readers = {str(p.relative_to(ROOT)) for p in _code_files()
               if _calls(p, "os.environ") or _calls(p, "os.getenv") or _calls(p, "st.secrets")}
    quiet = {"kneeassess/movement/pose.py", "kneeassess/movement/video.py"}  # set native libraries' log levels only
    assert readers <= {"kneeassess/settings.py", "kneeassess/ui/config.py", *quiet}, readers


def test_clicks_act_in_callbacks_not_reruns():
    """A click runs the script once: no st.rerun() except the countdown's (a timer, not a click)."""
    reruns = {str(p.relative_to(ROOT)): _calls(p, "st.rerun") for p in _code_files() if _calls(p, "st.rerun")}
    allowed = {"kneeassess/ui/guided_session.py", "kneeassess/ui/staff_gate.py",  # countdown; st.logout's sign-out
               "pages/staff/staff_requests.py"}  # a row clicked in the live list's fragment opens it beside the list
    assert set(reruns) <= allowed, reruns


def test_a_unit_test_cannot_start_a_process():
    """tests/unit/conftest.py stops any process a unit test would start (and fails the test)."""
    import os
    import subprocess

    import pytest

    from tests.unit import conftest as guard

    with pytest.raises(guard.StartsAProcess):
        subprocess.run(["true"], check=False)
    with pytest.raises(guard.StartsAProcess):
        os.system("true")  # noqa: S605, S607
    assert len(guard._started) == 2
    guard._started.clear()  # this test's own probes: not a failure
