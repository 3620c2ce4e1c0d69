"""The shape of the codebase: only kneeassess/ui imports Streamlit; app.py only builds navigation; lint clean."""

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    names = set()
    for node in ast.walk(tree):
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
    for page in (ROOT / "pages").glob("*.py"):
        text = page.read_text()
        assert "sqlalchemy" not in text and "SELECT " not in text, page


def test_ruff_is_clean():
    out = subprocess.run([sys.executable, "-m", "ruff", "check", str(ROOT)], capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr


def _code_files() -> list[Path]:
    return [*(ROOT / "kneeassess").rglob("*.py"), *(ROOT / "pages").rglob("*.py"), ROOT / "app.py"]


def _calls(path: Path, dotted: str) -> list[int]:
    """Lines where the code reads or calls ``dotted`` (e.g. ``os.environ``, ``st.rerun``)."""
    base, _, attr = dotted.rpartition(".")
    return [node.lineno for node in ast.walk(ast.parse(path.read_text()))
            if isinstance(node, ast.Attribute) and node.attr == attr
            and isinstance(node.value, ast.Name) and node.value.id == base]


def test_settings_are_read_in_one_place():
    """The environment only in kneeassess/settings.py, Streamlit's secrets only in kneeassess/ui/config.py (which
    passes them in as a mapping): nothing else reads them, and nothing writes a secret into the environment."""
    readers = {str(p.relative_to(ROOT)) for p in _code_files()
               if _calls(p, "os.environ") or _calls(p, "os.getenv") or _calls(p, "st.secrets")}
    assert readers <= {"kneeassess/settings.py", "kneeassess/ui/config.py"}, readers


def test_clicks_act_in_callbacks_not_reruns():
    """A click runs the script once: no st.rerun() except the countdown's (a timer, not a click)."""
    reruns = {str(p.relative_to(ROOT)): _calls(p, "st.rerun") for p in _code_files() if _calls(p, "st.rerun")}
    allowed = {"kneeassess/ui/guided_session.py", "kneeassess/ui/staff_gate.py"}  # countdown; st.logout's sign-out
    assert set(reruns) <= allowed, reruns
