"""One source of safety advice: the results page, the kiosk and the PDF show the same triage_advice text
(data/safety.yaml with the region's numbers) for every level, and the plan follows the same confirmation."""

from __future__ import annotations

import uuid
from datetime import date

import pytest

from kneeassess import events
from kneeassess.content import clinic, questionnaire
from kneeassess.reports.pdf import plan_pdf
from kneeassess.screening import assess
from kneeassess.screening.advice import triage_advice
from tests.app.driver import button, fill_step, walk
from tests.app.test_flow import texts
from tests.app.test_kiosk import kiosk_tablet
from tests.factories import safe
from tests.render.test_pdf import flat

LEVELS = {
    "urgent": safe(rf_calf_swelling=True),
    "see_clinician_soon": safe(rf_night_rest_pain=True),
    "see_clinician": safe(rf_giving_way=True, pain_run_worst=3, pain_next_morning=0),
    "self_care": safe(pain_run_worst=3, pain_next_morning=0),
}


def squash(text: str) -> str:
    return " ".join(text.replace("**", "").split())


def advice_parts(level: str) -> list[str]:
    adv = triage_advice(level)
    return [adv.title, adv.what_to_do, adv.by_when, *(c.label for c in adv.call)]


def kiosk_result(store, answers: dict) -> str:  # noqa: ANN001
    slug = f"kiosk-ev-{uuid.uuid4().hex[:8]}"
    events.create_event(store, "Advice test event", date.today(), slug=slug)
    at = kiosk_tablet(slug)
    button(at, "Start").click().run()
    for step in questionnaire().steps:
        if "Your result" in [h.value for h in at.header]:
            break
        if step.optional:
            button(at, "Skip this step").click().run()
        else:
            fill_step(at, answers, step.id)
            button(at, "Next").click().run()
        assert not at.exception, at.exception
    assert [h.value for h in at.header] == ["Your result"]
    page = texts(at) + "\n" + "\n".join(b.label for b in at.get("link_button"))
    return squash(page)


@pytest.mark.parametrize("level", sorted(LEVELS))
def test_results_kiosk_and_pdf_show_the_same_advice(level, store):
    answers = LEVELS[level]
    assert assess(answers).triage == level
    results = walk(answers, skip=("about", "symptoms", "knee_score", "training", "self_tests"))
    results_text = squash(texts(results) + "\n" + "\n".join(b.label for b in results.get("link_button")))
    kiosk_text = kiosk_result(store, answers)
    pdf_text = squash(flat(plan_pdf(assess(answers), clinic())))
    for part in advice_parts(level):
        part = squash(part)
        if part.startswith(clinic().name):
            continue
        assert part in results_text, f"results page misses: {part}"
        assert part in kiosk_text, f"kiosk misses: {part}"
        if part in [squash(c.label) for c in triage_advice(level).call]:
            continue  # the PDF has no buttons; the numbers are in the advice text
        assert part in pdf_text, f"PDF misses: {part}"


@pytest.mark.parametrize("level", ["urgent", "see_clinician_soon"])
def test_no_plan_and_no_filled_booking_button_on_the_urgent_screens(level):
    at = walk(LEVELS[level], skip=("about", "symptoms", "knee_score", "training", "self_tests"))
    page = texts(at)
    assert "Your plan" not in page and "This week" not in page
    book = [b for b in at.button if b.label == "Book a free consultation"]
    assert book and all(b.proto.type != "primary" for b in book), "booking is never the main action here"
    calls = [b.proto.url for b in at.get("link_button")]
    expected = [f"tel:{c.tel}" for c in triage_advice(level).call]
    assert calls[: len(expected)] == expected
