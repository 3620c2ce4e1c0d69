"""Every exercise and self-test has an illustration that parses and carries alt text (in a PDF: tests/render;
drawn by Chromium: tests/e2e/test_illustrations_drawn.py)."""

from __future__ import annotations

import importlib.util
import sys
import xml.etree.ElementTree as ET

import pytest

from kneeassess import illustrations
from kneeassess.content import catalogue, questionnaire
from tests.conftest import ROOT

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
