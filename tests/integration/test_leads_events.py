"""Events on both engines: slugs, uniqueness, screenings and the statistics per event."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

import pytest

from kneeassess import events, leads
from kneeassess.events import EventProblems, SlugTaken, create_event, event_stats, record_screening
from kneeassess.storage.sql import SqlStore

T0 = datetime(2025, 5, 3, 9, 0, tzinfo=UTC)


def test_create_list_and_get(store: SqlStore):
    a = create_event(store, "Riverside parkrun", date(2025, 5, 3), "Riverside park", "riverside-parkrun", now=T0)
    b = create_event(store, "Club night", date(2025, 6, 1), slug="club-night")
    assert a.id is not None and events.get_event(store, "riverside-parkrun") == a
    assert [e.slug for e in events.list_events(store)] == ["club-night", "riverside-parkrun"]  # newest date first
    assert events.get_event(store, "nope") is None and events.get_event(store, "Bad Slug") is None
    assert b.place == ""


@pytest.mark.parametrize("slug", ["a", "Riverside", "river side", "x" * 41, "über", "a_b", "a/b"])
def test_slug_must_be_2_to_40_lowercase_letters_digits_hyphens(store: SqlStore, slug: str):
    with pytest.raises(EventProblems) as caught:
        create_event(store, "Parkrun", date(2025, 5, 3), slug=slug)
    assert set(caught.value.problems) == {"slug"}
    assert events.list_events(store) == []


def test_other_fields_are_checked_too(store: SqlStore):
    with pytest.raises(EventProblems) as caught:
        create_event(store, " ", "2025-05-03", "x" * 201, "ok-slug")  # type: ignore[arg-type]
    assert set(caught.value.problems) == {"name", "day", "place"}


def test_slug_is_unique(store: SqlStore):
    create_event(store, "Parkrun", date(2025, 5, 3), slug="parkrun")
    with pytest.raises(SlugTaken) as caught:
        create_event(store, "Another parkrun", date(2025, 5, 10), slug="parkrun")
    assert "parkrun" in caught.value.problems["slug"]
    assert len(events.list_events(store)) == 1


def test_a_slug_is_suggested_from_the_name(store: SqlStore):
    event = create_event(store, "Läufer-Treff: Stadtpark!", date(2025, 5, 3))
    assert event.slug == "laufer-treff-stadtpark-2025-05-03"
    assert events.valid_slug(events.suggest_slug("x" * 80, date(2025, 5, 3)))


def test_record_screening_checks_its_values(store: SqlStore):
    s = record_screening(store, triage="self_care", top_weak_link="hip", event="Not A Slug", now=T0)
    assert s.id is not None and s.event is None and s.took_home is False
    events.mark_took_home(store, s.id)
    with pytest.raises(ValueError):
        record_screening(store, triage="fine")
    with pytest.raises(ValueError):
        record_screening(store, triage="self_care", top_weak_link="knee")


def test_event_stats(store: SqlStore):
    create_event(store, "Parkrun", date(2025, 5, 3), slug="parkrun")
    create_event(store, "Club night", date(2025, 6, 1), slug="club-night")
    create_event(store, "Expo", date(2025, 7, 1), slug="expo")
    for triage, link in [("self_care", "hip"), ("self_care", "hip"), ("see_clinician", "foot"), ("urgent", None)]:
        record_screening(store, triage=triage, top_weak_link=link, event="parkrun", now=T0)
    record_screening(store, triage="self_care", top_weak_link="hamstring", event="club-night")
    record_screening(store, triage="self_care", top_weak_link="hip")  # no event: in no event's numbers
    record_screening(store, triage="self_care", top_weak_link="hip", event="unknown-event")
    for event in ["parkrun", "parkrun", "expo", None]:
        leads.submit_request(store, {"name": "Ann", "email": f"{uuid.uuid4().hex[:8]}@example.org",
                                     "consent_contact": True, "event": event}, uuid.uuid4().hex, channels=[])

    stats = {s.slug: s for s in event_stats(store)}
    assert [s.slug for s in event_stats(store)] == ["expo", "club-night", "parkrun"]
    parkrun = stats["parkrun"]
    assert (parkrun.screenings, parkrun.requests, parkrun.conversion) == (4, 2, 0.5)
    assert parkrun.weak_links == {"foot": 1, "hamstring": 0, "hip": 2, "none": 1}
    assert parkrun.triage == {"self_care": 2, "see_clinician": 1, "see_clinician_soon": 0, "urgent": 1}
    club = stats["club-night"]
    assert (club.screenings, club.requests, club.conversion) == (1, 0, 0.0)
    expo = stats["expo"]
    assert (expo.screenings, expo.requests, expo.conversion) == (0, 1, None)
    assert sum(expo.triage.values()) == 0
