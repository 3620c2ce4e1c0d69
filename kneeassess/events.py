"""Events (a parkrun, a club night, an expo stand): a link with ``?event=<slug>`` tags the screenings and the
consultation requests made through it, so the clinic sees which event brought whom.

    create_event(store, "Riverside parkrun", date(2025, 5, 3), "Riverside park", "riverside-parkrun")
    record_screening(store, triage="self_care", top_weak_link="hip", event="riverside-parkrun")  # results page
    event_stats(store)      # per event: screenings, requests, conversion, weak-link and triage mix

Screenings are recorded without answers or anything personal: time, event, triage level, top weak link and
whether the runner took the results home (saved a profile). Statistics are aggregates only.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from kneeassess.content import LINKS, TRIAGE_LEVELS
from kneeassess.errors import FieldProblems
from kneeassess.growth import Source
from kneeassess.plaintext import one_line
from kneeassess.records import Event, Screening
from kneeassess.storage import AlreadyExists, LeadStore

SLUG = re.compile(r"^[a-z0-9-]{2,40}$")  # an event's link name (?event=<slug>): the one definition
NAME_MAX = 100
PLACE_MAX = 200
NO_WEAK_LINK = "none"


class EventProblems(FieldProblems):
    """The event cannot be saved: ``problems`` maps each field to a message for staff."""


class SlugTaken(EventProblems):
    """Another event has this slug already."""


def valid_slug(slug: object) -> bool:
    """Is this an event's link name (2 to 40 lowercase letters, digits and hyphens)?"""
    return isinstance(slug, str) and bool(SLUG.match(slug))


def suggest_slug(name: str, day: date | None = None) -> str:
    """A slug from the event's name (and date): ``Riverside Parkrun`` → ``riverside-parkrun-2025-05-03``."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name).strip("-")
    suffix = f"-{day:%Y-%m-%d}" if day else ""
    slug = slug[: 40 - len(suffix)].strip("-") + suffix
    return slug.strip("-") if len(slug.strip("-")) >= 2 else f"event{suffix}"


def event_link(base_url: str, slug: str, kiosk: bool = False) -> str:
    return f"{base_url.rstrip('/')}/?event={slug}" + ("&kiosk=1" if kiosk else "")


def create_event(
    store: LeadStore, name: str, day: date, place: str = "", slug: str | None = None, *,
    now: datetime | None = None,
) -> Event:
    """Save an event. :class:`EventProblems` per field; :class:`SlugTaken` when the slug is in use."""
    name, place = one_line(name or ""), one_line(place or "")  # no line breaks of any kind (U+2028...)
    slug = (slug or "").strip() or suggest_slug(name, day if isinstance(day, date) else None)
    problems = {}
    if not name or len(name) > NAME_MAX:
        problems["name"] = f"Please give the event a name (up to {NAME_MAX} characters)."
    if not isinstance(day, date):
        problems["day"] = "Please give the event's date."
    if len(place) > PLACE_MAX:
        problems["place"] = f"Please keep the place to {PLACE_MAX} characters or fewer."
    if not valid_slug(slug):
        problems["slug"] = ("Use 2 to 40 lowercase letters, digits and hyphens, e.g. riverside-parkrun "
                            "(it becomes part of the event's link).")
    if problems:
        raise EventProblems(problems)
    event = Event(slug=slug, name=name, day=day, place=place, created_at=now or datetime.now(UTC))
    try:
        return store.add_event(event)
    except AlreadyExists:
        raise SlugTaken({"slug": f"Another event uses '{slug}' already. Please choose another."}) from None


def list_events(store: LeadStore) -> list[Event]:
    """Newest date first."""
    return store.list_events()


def get_event(store: LeadStore, slug: str) -> Event | None:
    return store.event_by_slug(slug) if valid_slug(slug) else None


def record_screening(
    store: LeadStore, *, triage: str, top_weak_link: str | None = None, event: str | None = None,
    took_home: bool = False, source: Source | None = None, now: datetime | None = None,
) -> Screening:
    """Count a finished screening (no answers, nothing personal). A malformed event slug is recorded as none.
    ``source``: where the visitor came from (its event, if given, stands in for ``event``)."""
    source = source or Source()
    event = source.event or event
    if triage not in TRIAGE_LEVELS:
        raise ValueError(f"unknown triage level {triage!r}")
    if top_weak_link is not None and top_weak_link not in LINKS:
        raise ValueError(f"unknown weak link {top_weak_link!r}")
    return store.add_screening(Screening(
        created_at=now or datetime.now(UTC), event=event if valid_slug(event) else None, triage=triage,
        top_weak_link=top_weak_link, took_home=bool(took_home), utm_source=source.utm_source,
        utm_medium=source.utm_medium, utm_campaign=source.utm_campaign,
    ))


def mark_took_home(store: LeadStore, screening_id: int) -> None:
    """The runner saved the results (took them home) after the screening was recorded."""
    store.set_screening_took_home(screening_id, True)


@dataclass
class EventStats:
    slug: str
    name: str
    day: date
    place: str
    screenings: int = 0
    took_home: int = 0  # screenings whose result the runner saved (took home)
    requests: int = 0
    conversion: float | None = None  # requests / screenings; None without screenings
    weak_links: dict[str, int] = field(default_factory=lambda: {k: 0 for k in (*LINKS, NO_WEAK_LINK)})
    triage: dict[str, int] = field(default_factory=lambda: dict.fromkeys(TRIAGE_LEVELS, 0))


def event_stats(store: LeadStore) -> list[EventStats]:
    """Per event (newest first): screenings, consultation requests, conversion, top-weak-link and triage mix."""
    stats = {e.slug: EventStats(slug=e.slug, name=e.name, day=e.day, place=e.place) for e in store.list_events()}
    for slug, triage, link, count in store.screening_counts():
        s = stats.get(slug or "")
        if s is None:
            continue
        s.screenings += count
        s.triage[triage] = s.triage.get(triage, 0) + count
        key = link or NO_WEAK_LINK
        s.weak_links[key] = s.weak_links.get(key, 0) + count
    for slug, count in store.took_home_counts().items():
        if slug in stats:
            stats[slug].took_home = count
    for slug, count in store.request_counts_by_event().items():
        if slug in stats:
            stats[slug].requests = count
    for s in stats.values():
        s.conversion = s.requests / s.screenings if s.screenings else None
    return list(stats.values())
