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
