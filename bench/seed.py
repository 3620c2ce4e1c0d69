"""A runner with two years of daily data, written through the store (no UI, no raw SQL).

About 730 runs, 730 pain check-ins, 1,500 exercise sessions and 26 assessments (one every four weeks), ending
today. The values are deterministic (a seeded RNG) so two runs of the bench measure the same profile.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from kneeassess import profiles
from kneeassess.content import catalogue, questionnaire
from kneeassess.records import CheckIn, ExerciseSession, Run, SavedAssessment
from kneeassess.screening import assess
from kneeassess.storage import Store

DAYS = 730
ASSESSMENTS = 26


@dataclass(frozen=True)
class Seeded:
    token: str
    profile_id: str
    counts: dict[str, int]


def answers(rng: random.Random, week: int) -> dict[str, Any]:
    """A full, valid set of answers (all steps) that improves slowly over the two years."""
    qs = questionnaire()
    safety = {q.id: False for q in qs.step("safety").questions if q.required}
    akps = {q.id: q.options[0 if rng.random() < 0.6 else 1].value for q in qs.step("knee_score").questions}
    pain = max(0, 5 - week // 20 + rng.randint(-1, 1))
    km = [round(20 + rng.uniform(-4, 10), 1) for _ in range(4)]
    return safety | akps | {
        "age_band": "30_44", "sex": "female", "painful_side": "right", "years_running": "1_to_3",
        "pain_location": ["around_kneecap"], "aggravators": ["stairs_down", "squatting"],
        "pain_run_worst": pain, "pain_next_morning": max(0, pain - 2),
        "km_week_0": km[0], "km_week_1": km[1], "km_week_2": km[2], "km_week_3": km[3],
        "sls_knee_in_left": False, "sls_pelvis_drop_left": False, "sls_trunk_lean_left": False,
        "sls_knee_in_right": True, "sls_pelvis_drop_right": rng.random() < 0.5, "sls_trunk_lean_right": False,
        "side_plank_seconds_left": 45, "side_plank_seconds_right": 20 + week // 4,
        "heel_raise_reps_left": 25, "heel_raise_reps_right": 18 + week // 8,
        "bridge_reps_left": 20, "bridge_reps_right": 15 + week // 10,
    }


def seed_two_years(store: Store, today: date | None = None, seed: int = 2024) -> Seeded:
    """Create the profile and its records through ``store``; returns its private-link token."""
    rng = random.Random(seed)
    today = today or date.today()
    first = today - timedelta(days=DAYS - 1)
    token = profiles.new_token()
    profile = store.create_profile(profiles.token_hash(token))
    exercises = [e.id for e in catalogue().exercises]
    counts = {"runs": 0, "checkins": 0, "exercise_sessions": 0, "assessments": 0}

    for i in range(ASSESSMENTS):  # every 28 days, the last one 6 days ago
        day = today - timedelta(days=6 + 28 * (ASSESSMENTS - 1 - i))
        a = answers(rng, i * 4)
        store.add(SavedAssessment(
            profile_id=profile.id, created_at=datetime.combine(day, time(7, 30), UTC),
            kind="screening" if i == 0 else "reassessment", answers=a, result=assess(a).model_dump(mode="json"),
        ))
        counts["assessments"] += 1

    for n in range(DAYS):
        day = first + timedelta(days=n)
        km = round(max(2.0, rng.gauss(6 + n / 150, 2)), 2)
        store.add(Run(profile_id=profile.id, day=day, km=km, minutes=round(km * rng.uniform(5, 6.5), 1),
                      effort=rng.randint(2, 8), fast_minutes=rng.choice([0, 0, 0, 5, 10])))
        store.add(CheckIn(profile_id=profile.id, day=day, during=rng.randint(0, 4),
                          next_morning=None if n == DAYS - 1 else rng.randint(0, 2)))
        counts["runs"] += 1
        counts["checkins"] += 1
        for _ in range(2 + (n % 17 == 0)):  # two a day, a third now and then: about 1,500
            store.add(ExerciseSession(profile_id=profile.id, day=day, exercise=rng.choice(exercises),
                                      sets=3, reps=rng.choice([8, 10, 12, 15]), pain=rng.randint(0, 3)))
            counts["exercise_sessions"] += 1
    return Seeded(token, profile.id, counts)


CLINIC_WEEKS = 8


def seed_clinic(store: Store, today: date | None = None, seed: int = 2025) -> dict[str, int]:
    """What the staff console and the growth dashboard show: over the last 8 weeks (the dashboard's default range)
    3 events, about 800 visits, 250 finished checks and 60 consultation requests, a third of them followed up.
    Through the modules the app uses (no raw SQL); deterministic."""
    from kneeassess import events, growth, leads
    from kneeassess.content import LINKS, TRIAGE_LEVELS

    rng = random.Random(seed)
    today = today or date.today()
    start = datetime.combine(today - timedelta(weeks=CLINIC_WEEKS), time(8, 0), UTC)
    slugs = []
    for i, name in enumerate(("Riverside parkrun", "Spring 10k", "Club night")):
        day = today - timedelta(days=7 + 14 * i)
        slugs.append(events.create_event(store, name, day, "Riverside park",
                                         now=datetime.combine(day, time(7), UTC)).slug)
    sources = [growth.Source(), growth.Source(utm_source="newsletter", utm_medium="email", utm_campaign="spring"),
               growth.Source(utm_source="instagram"), *(growth.Source(event=s) for s in slugs)]
    counts = {"events": len(slugs), "visits": 0, "screenings": 0, "requests": 0, "followed up": 0}
    limits = leads.Limits(per_session_hour=10**6, per_contact_day=10**6, per_address_hour=10**6, per_hour=10**6)
    span = (datetime.combine(today, time(8), UTC) - start).total_seconds()
    for n in range(800):
        at = start + timedelta(seconds=span * n / 800)
        source = rng.choice(sources)
        growth.record_visit(store, source, now=at)
        counts["visits"] += 1
        if rng.random() < 0.32:
            events.record_screening(store, triage=rng.choice(TRIAGE_LEVELS[:3]), top_weak_link=rng.choice(LINKS),
                                    took_home=rng.random() < 0.5, source=source, now=at)
            counts["screenings"] += 1
        if rng.random() < 0.075:
            request = leads.submit_request(
                store, {"name": f"Bench Runner {n}", "email": f"bench-runner-{n}@example.com",
                        "consent_contact": True, "preferred_days": ["Tuesday"], "message": "Knee pain on hills",
                        "event": source.event},
                f"bench-seed-{n}", now=at, channels=[], limits=limits)
            counts["requests"] += 1
            if rng.random() < 0.35:
                leads.set_status(store, request.id, "contacted", "Rang, left a message", "Bench",
                                 now=at + timedelta(hours=rng.uniform(1, 40)))
                counts["followed up"] += 1
    return counts
