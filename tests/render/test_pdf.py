"""The plan as a PDF (runner's and clinician's): built, read back, and drawn page by page with pdftoppm."""

from __future__ import annotations

import io
import shutil
import subprocess
from datetime import date

import pytest
from pypdf import PdfReader

from kneeassess.content import clinic
from kneeassess.reports import plan_pdf
from kneeassess.reports.pdf import SECTION_TITLES
from kneeassess.screening import assess
from tests.conftest import missing_setup
from tests.factories import HIP_RUNNER

CREATED = date(2025, 11, 24)  # a Monday


@pytest.fixture(scope="module")
def hip():
    return assess(HIP_RUNNER)


@pytest.fixture(scope="module")
def runner_pdf(hip) -> bytes:
    return plan_pdf(hip, clinic(), created=CREATED)


def pages(pdf: bytes) -> list[str]:
    """The text of each page, whitespace collapsed."""
    return [" ".join((p.extract_text() or "").split()) for p in PdfReader(io.BytesIO(pdf)).pages]


def flat(pdf: bytes) -> str:
    return " ".join(pages(pdf))

# --------------------------------------------------------------------------------------------------- PDF


FURNITURE = 140  # characters of running header and footer on every page


def test_runner_pdf_has_its_four_sections_in_order_and_no_nearly_empty_page(runner_pdf):
    assert runner_pdf.startswith(b"%PDF")
    texts = pages(runner_pdf)
    assert len(texts) >= 3
    where = [next((i, t.index(title)) for i, t in enumerate(texts) if title in t) for title in SECTION_TITLES]
    assert where == sorted(where), where
    assert texts[0].index(SECTION_TITLES[0]) < 60  # the first heading opens the document
    for n, t in enumerate(texts[:-1], 1):  # a few lines spilling over start no page of their own
        assert len(t) - FURNITURE > 900, (n, len(t), t[:200])


def test_runner_pdf_says_what_the_assessment_found(runner_pdf, hip):
    text = flat(runner_pdf)
    assert "Safe to start with self-care" in text
    assert "Hip stabilisers" in text and "Likely weak link · 80/100" in text
    assert "+25 Knee drifted inwards in the single-leg squat (right)" in text
    assert "Knee score (Kujala)" in text and "95 / 100" in text
    assert "Your phase: Build strength" in text and hip.phase_reason in text
    assert "Side plank" in text and "25 s hold, 10 s rest, × 5 each side" in text
    assert "20–30 s hold × 3" in text  # en-dash and × print
    assert "Keep a straight line from knee to hip to shoulder on the back leg." in text  # a cue
    assert "0–2 out of 10" in text and "Above 5 out of 10" in text and "Never push through pain above 5/10" in text
    assert "Get medical help today" in text and "could not take four steps" in text
    assert hip.disclaimer in text


def test_every_page_has_the_footer(runner_pdf):
    texts = pages(runner_pdf)
    for n, t in enumerate(texts, 1):
        assert "Self-screening, not a diagnosis" in t
        assert f"Page {n} of {len(texts)}" in t
        assert "ReSync Physiotherapy" in t


def test_accented_clinic_name_round_trips_and_empty_contact_says_how_to_ask(hip):
    name = "Zoë Ó Súilleabháin – Łukasz × Physio"
    c = clinic().model_copy(update={"name": name, "phone": "", "email": "", "booking_url": "", "address": ""})
    text = flat(plan_pdf(hip, c, created=CREATED))
    assert name in text
    assert "not configured" not in text  # a runner is never told about the app's set-up
    assert "choose “Free consultation”" in text


def test_configured_contact_details_are_printed(hip):
    c = clinic().model_copy(update={"phone": "+353 1 234 5678", "email": "hello@example.ie",
                                    "booking_url": "https://example.ie/book"})
    text = flat(plan_pdf(hip, c, created=CREATED))
    assert "+353 1 234 5678" in text and "hello@example.ie" in text and "https://example.ie/book" in text
    assert "not configured" not in text


def test_urgent_pdf_gives_no_exercises(hip):
    a = assess(HIP_RUNNER | {"rf_hot_red_fever": True})
    text = flat(plan_pdf(a, clinic(), created=CREATED))
    assert "Get medical help today" in text and "infection in the joint" in text
    assert "No exercises for now" in text
    assert "25 s hold" not in text


def test_see_clinician_pdf_keeps_the_warning_with_the_exercises():
    a = assess(HIP_RUNNER | {"rf_giving_way": True})
    text = flat(plan_pdf(a, clinic(), created=CREATED))
    assert "See a physiotherapist or doctor before you rely on self-help" in text
    assert text.count("See a physiotherapist or doctor before you rely on self-help") >= 2, "on the exercises too"
    assert "Side plank" in text


def test_clinician_pdf_is_compact_with_load_figures_and_rule_sources(hip):
    pdf = plan_pdf(hip, clinic(), for_clinician=True, created=CREATED)
    texts = pages(pdf)
    assert 1 <= len(texts) <= 2
    text = " ".join(texts)
    assert "summary for a clinician" in text
    assert "Flags raised None" in text
    assert "95 / 100 (13 of 13 items answered)" in text
    assert "21 · 22 · 20 · 36" in text and "+71.4%" in text and "+80%" in text and "1.71" in text
    assert "big_jump" in text
    assert "[rule hip_sls_knee_in]" in text
    assert "Source: Single-leg squat quality reflects hip-abductor function (Crossley 2011)." in text
    assert "Phase build" in text and "Side plank level 1: 25 s hold, 10 s rest, × 5 each side" in text


def test_clinician_pdf_lists_red_flags_answered_yes():
    a = assess(HIP_RUNNER | {"rf_locking": True})
    text = flat(plan_pdf(a, clinic(), for_clinician=True, created=CREATED))
    assert "The knee locks or gets stuck and will not straighten [rf_locking, see_clinician]" in text


def test_clinician_pdf_names_the_answer_that_raised_a_secondary_flag():
    a = assess(HIP_RUNNER | {"akps_kneecap": 2})
    text = flat(plan_pdf(a, clinic(), for_clinician=True, created=CREATED))
    assert "[xf_dislocations, see_clinician] (answer: Knee score:" in text
    assert "At least one documented dislocation" in text and "J Orthop 2023" in text


def test_pdf_pages_render_with_pdftoppm(runner_pdf, hip, tmp_path, artifacts):
    if not shutil.which("pdftoppm"):
        missing_setup("pdftoppm is not installed (apt-get install poppler-utils)")
    for name, pdf in (("runner", runner_pdf), ("clinician", plan_pdf(hip, clinic(), for_clinician=True,
                                                                     created=CREATED))):
        src = tmp_path / f"{name}.pdf"
        src.write_bytes(pdf)
        out = subprocess.run(["pdftoppm", "-r", "60", "-png", str(src), str(artifacts / name)],
                             capture_output=True, text=True, timeout=120)
        assert out.returncode == 0 and not out.stderr.strip(), out.stderr
        pngs = sorted(artifacts.glob(f"{name}-*.png"))
        assert len(pngs) == len(PdfReader(io.BytesIO(pdf)).pages)
        assert all(p.stat().st_size > 5_000 for p in pngs)
