"""Staff see a request's triage level in the console, only when the runner agreed to attach the assessment."""

from __future__ import annotations

from datetime import UTC, datetime

from kneeassess.records import Request
from kneeassess.screening import assess
from kneeassess.ui.console import triage_words
from tests.factories import safe


def _request(assessment: dict | None, consent: bool) -> Request:
    now = datetime.now(UTC)
    return Request(created_at=now, updated_at=now, name="A Runner", email="a@example.org", consent_contact=True,
                   consent_assessment=consent, assessment=assessment)


def test_the_console_names_the_triage_level_of_an_attached_assessment():
    urgent = assess(safe(rf_calf_swelling=True)).model_dump(mode="json")
    assert triage_words(_request(urgent, True)) == "URGENT (today)"
    soon = assess(safe(rf_night_rest_pain=True)).model_dump(mode="json")
    assert triage_words(_request(soon, True)) == "See clinician within 2 days"


def test_without_consent_the_level_is_not_shown():
    urgent = assess(safe(rf_calf_swelling=True)).model_dump(mode="json")
    assert triage_words(_request(urgent, False)) == "not shared"
    assert triage_words(_request(None, False)) == "not shared"
