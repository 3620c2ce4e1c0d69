"""Chromium draws every exercise and self-test illustration: a white card with a figure in the clinic's colour."""

from __future__ import annotations

import subprocess
from pathlib import Path

from PIL import Image

from kneeassess import illustrations
from tests.conftest import missing_setup
from tests.unit.test_illustrations import ALL

CHROMIUM = "/usr/bin/chromium"


def test_chromium_renders_every_illustration(tmp_path: Path, artifacts: Path):
    if not Path(CHROMIUM).exists():
        missing_setup("Debian's chromium is not installed (apt-get install chromium)")
    cells = "".join(
        f'<img src="{illustrations.illustration_path(i).as_uri()}" width="480" height="240" alt="">' for i in ALL
    )
    page = tmp_path / "sheet.html"
    page.write_text(
        "<!doctype html><html><body style='margin:0;background:#808080;width:960px;line-height:0'>"
        f"<div style='display:flex;flex-wrap:wrap;width:960px'>{cells}</div></body></html>"
    )
    rows = (len(ALL) + 1) // 2
    shot = artifacts / "illustrations.png"
    subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--allow-file-access-from-files",
         f"--screenshot={shot}", f"--window-size=960,{rows * 240}", page.as_uri()],
        capture_output=True, timeout=120, check=False,
    )
    assert shot.exists(), "chromium wrote no screenshot"
    sheet = Image.open(shot).convert("RGB")
    for k, item_id in enumerate(ALL):
        x, y = (k % 2) * 480, (k // 2) * 240
        cell = sheet.crop((x, y, x + 480, y + 240))
        colours = cell.getcolors(maxcolors=480 * 240) or []
        teal = sum(n for n, (r, g, b) in colours if r < 60 and 90 < g < 130 and 90 < b < 130)
        white = sum(n for n, (r, g, b) in colours if min(r, g, b) > 245)
        assert white > 480 * 240 * 0.5, f"{item_id}: the drawing did not render (no white card)"
        assert teal > 800, f"{item_id}: no figure in the clinic colour"
