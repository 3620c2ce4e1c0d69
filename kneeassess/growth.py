"""The growth dashboard's numbers: where visitors come from and how far they get. Counts only, nobody named.

    source = Source.from_query({"utm_source": "newsletter", "event": "riverside-parkrun"})
    data = dashboard_data(store, since, until)          # the rows (anonymous) of a date range
    funnel(data, by="source")                            # visits → finished → took home → requested → booked → attended
    weekly_trend(data) / triage_mix(data) / top_weak_links(data) / first_contact(data)

A visit is a visitor's first page in a browser session (with ``?event=`` and the link's ``utm_source`` /
``utm_medium`` / ``utm_campaign``); the screening and the consultation request made in that session carry the
same source. Requests count by the steps of their status history (:class:`~kneeassess.records.StatusChange`),
which outlives an erased request without its id, so the figures survive erasure.

Everything below :func:`dashboard_data` is pure: plain rows in, plain numbers out.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import cached_property
from statistics import median
from typing import Literal

from kneeassess.content import LINKS, TRIAGE_LEVELS
from kneeassess.records import Screening, StatusChange, Visit
from kneeassess.storage import LeadStore

UTM_KEYS = ("utm_source", "utm_medium", "utm_campaign")
UTM_VALUE = re.compile(r"^[a-z0-9][a-z0-9 ._+-]{0,99}$")
EVENT_SLUG = re.compile(r"^[a-z0-9-]{2,40}$")

STEPS = ("visits", "finished", "took_home", "requested", "booked", "attended")
STEP_LABELS = {
    "visits": "Visits", "finished": "Finished the check", "took_home": "Saved or took home",
    "requested": "Consultation requested", "booked": "Booked", "attended": "Attended",
}
GroupBy = Literal["source", "medium", "campaign", "event"]
GROUPS: tuple[GroupBy, ...] = ("source", "medium", "campaign", "event")
GROUP_FIELDS: dict[str, str] = {"source": "utm_source", "medium": "utm_medium", "campaign": "utm_campaign",
                                "event": "event"}
GROUP_LABELS = {"source": "Source", "medium": "Medium", "campaign": "Campaign", "event": "Event"}
NONE = "(none)"
ALL = "All"
TRIAGE_LABELS = {"self_care": "Self-care", "see_clinician": "See a clinician",
                 "see_clinician_soon": "See a clinician soon", "urgent": "Urgent"}  # content.TRIAGE_LEVELS
CONTACT_BUCKETS = ("under 4 hours", "4 to 24 hours", "1 to 2 days", "2 to 7 days", "over 7 days", "not yet")


def clean_utm(value: object) -> str | None:
    """A ``utm_*`` value as it is kept: trimmed, lower case, letters, digits, space and ``._+-`` only, at most 100
    characters; anything else is dropped (None) — never an error for the visitor."""
    if not isinstance(value, str):
        return None
    text = " ".join(value.split()).lower()
    return text if UTM_VALUE.match(text) else None


@dataclass(frozen=True)
class Source:
    """Where a visitor came from: the event's link and the campaign's ``utm_*`` parameters (each may be None)."""

    event: str | None = None
    utm_source: str | None = None
    utm_medium: str | None = None
    utm_campaign: str | None = None

    @classmethod
    def from_query(cls, query: Mapping[str, object]) -> Source:
        event = query.get("event")
        return cls(
            event=event if isinstance(event, str) and EVENT_SLUG.match(event) else None,
            utm_source=clean_utm(query.get("utm_source")), utm_medium=clean_utm(query.get("utm_medium")),
            utm_campaign=clean_utm(query.get("utm_campaign")),
        )

    def utm(self) -> dict[str, str | None]:
        return {"utm_source": self.utm_source, "utm_medium": self.utm_medium, "utm_campaign": self.utm_campaign}


def record_visit(store: LeadStore, source: Source, *, now: datetime | None = None) -> Visit:
    """Count a visitor's first page (no personal data: the time and the source)."""
    return store.add_visit(Visit(created_at=now or datetime.now(UTC), event=source.event,
                                 utm_source=source.utm_source, utm_medium=source.utm_medium,
                                 utm_campaign=source.utm_campaign))


# --------------------------------------------------------------------------------------------------
# The rows of a date range
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DashboardData:
    since: datetime
    until: datetime
    visits: Sequence[Visit]
    screenings: Sequence[Screening]
    changes: Sequence[StatusChange]  # every step of the requests made in the range

    @cached_property
    def leads(self) -> list[Lead]:
        """The requests' outcomes, worked out once for every chart."""
        return leads_of(self.changes)


def dashboard_data(store: LeadStore, since: datetime, until: datetime) -> DashboardData:
    """Visits, screenings and requests (by the time they were made) from ``since`` up to ``until`` (exclusive)."""
    return DashboardData(since, until, store.visits_between(since, until), store.screenings_between(since, until),
                         store.status_changes_between(since, until))


def day_range(first: date, last: date) -> tuple[datetime, datetime]:
    """From the start of ``first`` to the end of ``last`` (UTC days)."""
    return (datetime(first.year, first.month, first.day, tzinfo=UTC),
            datetime(last.year, last.month, last.day, tzinfo=UTC) + timedelta(days=1))


# --------------------------------------------------------------------------------------------------
# Pure counting
# --------------------------------------------------------------------------------------------------


@dataclass
class Lead:
    """One request's outcome from its steps: when it came, whether it was ever booked or attended."""

    key: str
    created_at: datetime
    source: dict[str, str | None]
    reached: set[str] = field(default_factory=set)
    first_contact_at: datetime | None = None


def leads_of(changes: Sequence[StatusChange]) -> list[Lead]:
    found: dict[str, Lead] = {}
    for c in sorted(changes, key=lambda c: (c.at, c.id or 0)):
        lead = found.get(c.lead_key)
        if lead is None:
            lead = found[c.lead_key] = Lead(c.lead_key, c.request_created_at, {
                "event": c.event, "utm_source": c.utm_source, "utm_medium": c.utm_medium,
                "utm_campaign": c.utm_campaign})
        lead.reached.add(c.status_to)
        if c.status_from is not None and c.status_to != "new" and lead.first_contact_at is None:
            lead.first_contact_at = c.at
    return list(found.values())


def _group(value: str | None) -> str:
    return value or NONE


@dataclass
class FunnelRow:
    group: str
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(STEPS, 0))


def funnel(data: DashboardData, by: GroupBy = "source") -> list[FunnelRow]:
    """Per group (a source, medium, campaign or event; ``(none)`` for none), how many got to each step; the
    first row is everyone (``All``), then the groups by visits, most first. A request counts as booked when it was
    ever booked (also when it then did not happen), attended when it was ever marked attended."""
    attr = GROUP_FIELDS[by]
    rows: dict[str, FunnelRow] = {ALL: FunnelRow(ALL)}

    def add(group: str | None, step: str) -> None:
        rows[ALL].counts[step] += 1
        key = group or NONE
        row = rows.get(key)
        if row is None:
            row = rows[key] = FunnelRow(key)
        row.counts[step] += 1

    for v in data.visits:
        add(getattr(v, attr), "visits")
    for s in data.screenings:
        add(getattr(s, attr), "finished")
        if s.took_home:
            add(getattr(s, attr), "took_home")
    for lead in data.leads:
        group = lead.source[attr]
        add(group, "requested")
        if lead.reached & {"booked", "attended"}:
            add(group, "booked")
        if "attended" in lead.reached:
            add(group, "attended")
    others = sorted((r for k, r in rows.items() if k != ALL), key=lambda r: (-r.counts["visits"],
                                                                             -r.counts["finished"], r.group))
    return [rows[ALL], *others]


def funnel_table(rows: Sequence[FunnelRow], by: GroupBy = "source") -> list[dict[str, object]]:
    """The funnel as table rows with human column names (for the screen and the CSV)."""
    return [{GROUP_LABELS[by]: r.group, **{STEP_LABELS[s]: r.counts[s] for s in STEPS}} for r in rows]


def monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def weekly_trend(data: DashboardData) -> list[dict[str, object]]:
    """Per week (Mondays, every week of the range, empty ones too): screenings finished and requests made."""
    first, last = monday(data.since.date()), monday((data.until - timedelta(microseconds=1)).date())
    weeks = {first + timedelta(weeks=i): [0, 0] for i in range((last - first).days // 7 + 1)}
    for s in data.screenings:
        weeks.setdefault(monday(s.created_at.date()), [0, 0])[0] += 1
    for lead in data.leads:
        weeks.setdefault(monday(lead.created_at.date()), [0, 0])[1] += 1
    return [{"Week of": w, "Screenings": n[0], "Requests": n[1]} for w, n in sorted(weeks.items())]


def triage_mix(data: DashboardData) -> list[dict[str, object]]:
    """How many screenings ended at each triage level (least to most severe)."""
    counts = Counter(s.triage for s in data.screenings)
    return [{"Triage": TRIAGE_LABELS.get(level, level), "Screenings": counts.get(level, 0)}
            for level in (*TRIAGE_LEVELS, *sorted(set(counts) - set(TRIAGE_LEVELS)))]


def top_weak_links(data: DashboardData) -> list[dict[str, object]]:
    """How many screenings had each link as the most likely weak link, most first (and how many had none)."""
    counts = Counter(s.top_weak_link or "none" for s in data.screenings)
    order = sorted((*LINKS, "none"), key=lambda k: (-counts.get(k, 0), k == "none", k))
    return [{"Weak link": k.capitalize() if k != "none" else "None likely", "Screenings": counts.get(k, 0)}
            for k in order]


def _bucket(hours: float | None) -> str:
    if hours is None:
        return "not yet"
    for limit, label in ((4, "under 4 hours"), (24, "4 to 24 hours"), (48, "1 to 2 days"), (168, "2 to 7 days")):
        if hours < limit:
            return label
    return "over 7 days"


@dataclass(frozen=True)
class FirstContact:
    buckets: list[dict[str, object]]  # {"Time to first contact": label, "Requests": n}
    median_hours: float | None  # of the requests contacted so far
    contacted: int
    waiting: int


def first_contact(data: DashboardData) -> FirstContact:
    """How long requests waited for their first step after ``new`` (contacted, booked or not booked)."""
    hours = [None if lead.first_contact_at is None else
             (lead.first_contact_at - lead.created_at).total_seconds() / 3600 for lead in data.leads]
    counts = Counter(_bucket(h) for h in hours)
    done = [h for h in hours if h is not None]
    return FirstContact([{"Time to first contact": b, "Requests": counts.get(b, 0)} for b in CONTACT_BUCKETS],
                        round(median(done), 1) if done else None, len(done), len(hours) - len(done))


def table_csv(rows: Sequence[Mapping[str, object]]) -> bytes:
    """A chart's numbers as CSV (UTF-8 with a BOM, for spreadsheet programs; formula-safe)."""
    import csv
    import io

    from kneeassess.profiles import safe_cell

    text = io.StringIO()
    if rows:
        writer = csv.writer(text)
        writer.writerow(list(rows[0]))
        for row in rows:
            writer.writerow([safe_cell(v) for v in row.values()])
    return text.getvalue().encode("utf-8-sig")
