"""Every exercise and self-test has an illustration that parses, carries alt text, embeds in a PDF and renders."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from fpdf import FPDF
from PIL import Image

from kneeassess import illustrations
from kneeassess.content import catalogue, questionnaire
from tests.conftest import ROOT, missing_setup

CHROMIUM = "/usr/bin/chromium"
NS = "{http://www.w3.org/2000/svg}"
EXERCISES = [e.id for e in catalogue().exercises]
SELF_TESTS = [s.id for s in questionnaire().step("self_tests").sections if s.id]
ALL = EXERCISES + SELF_TESTS


def _make():
    spec = importlib.util.spec_from_file_location("make_illustrations", ROOT / "data" / "illustrations" / "make.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the file runs
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def test_there_are_ten_exercises_and_five_self_tests():
    assert len(EXERCISES) == 10
    assert SELF_TESTS == ["single_leg_squat", "heel_raise", "hamstring_bridge", "side_plank_test", "hop_landing_test"]


@pytest.mark.parametrize("item_id", ALL)
def test_illustration_is_a_titled_svg_with_alt_text(item_id):
    path = illustrations.illustration_path(item_id)
    assert path.is_file() and path.name == f"{item_id}.svg"
    root = ET.fromstring(path.read_text(encoding="utf-8"))
    assert root.tag == f"{NS}svg"
    assert root.get("viewBox") == "0 0 480 240"
    assert root.get("role") == "img"
    title = root.find(f"{NS}title")
    desc = root.find(f"{NS}desc")
    assert title is not None and title.text and title.text.strip()
    assert desc is not None and len(desc.text or "") > 60
    assert illustrations.alt_text(item_id) == " ".join(desc.text.split())
    assert illustrations.title(item_id) == title.text.strip()
    texts = root.findall(f".//{NS}text")
    assert texts, "panel labels and the cue are text"
    assert all(float(t.get("font-size", "0")) >= 14 for t in texts)


@pytest.mark.parametrize("item_id", ALL)
def test_illustration_embeds_in_a_pdf(item_id):
    pdf = FPDF()
    pdf.add_font("DejaVu Sans", "", str(ROOT / "data" / "fonts" / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu Sans", "B", str(ROOT / "data" / "fonts" / "DejaVuSans-Bold.ttf"))
    pdf.add_page()
    info = pdf.image(illustrations.drawing_only(item_id).encode(), x=10, y=10, w=120)
    assert round(info.rendered_height) == 60
    assert bytes(pdf.output()).startswith(b"%PDF")


def test_committed_files_match_the_generator():
    make = _make()
    assert sorted(make.ILLUSTRATIONS) == sorted(ALL)
    for item_id in ALL:
        assert (ROOT / "data" / "illustrations" / f"{item_id}.svg").read_text(encoding="utf-8") == make.render(
            item_id
        ), f"{item_id}.svg is out of date: run python data/illustrations/make.py"


def test_unknown_or_unsafe_ids_are_refused():
    for bad in ("nope", "../clinic", "Side_Plank", ""):
        assert not illustrations.has_illustration(bad)
        with pytest.raises(KeyError):
            illustrations.illustration_path(bad)


def test_data_uri_and_svg_text():
    assert illustrations.data_uri("side_plank").startswith("data:image/svg+xml;base64,")
    assert illustrations.svg("side_plank").lstrip().startswith("<svg")
    assert "<title" not in illustrations.drawing_only("side_plank")


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
