"""Every exercise and self-test illustration embeds in a PDF (fpdf2 draws the SVG) at the plan's size."""

from __future__ import annotations

import pytest
from fpdf import FPDF

from kneeassess import illustrations
from tests.conftest import ROOT
from tests.unit.test_illustrations import ALL


@pytest.mark.parametrize("item_id", ALL)
def test_illustration_embeds_in_a_pdf(item_id):
    pdf = FPDF()
    pdf.add_font("DejaVu Sans", "", str(ROOT / "data" / "fonts" / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu Sans", "B", str(ROOT / "data" / "fonts" / "DejaVuSans-Bold.ttf"))
    pdf.add_page()
    info = pdf.image(illustrations.drawing_only(item_id).encode(), x=10, y=10, w=120)
    assert round(info.rendered_height) == 60
    assert bytes(pdf.output()).startswith(b"%PDF")
