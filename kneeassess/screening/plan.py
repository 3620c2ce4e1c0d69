"""This week's plan: exercises from ``data/exercises.yaml`` chosen by phase and weak links (brief §6, §7).

Dosing rules (revised 2026-12-02): ``settle`` takes only the exercises that list it (hip-dominant work, plus the
bent-knee calf raise for a foot link; no reverse lunge); from ``build`` on every plan has a hip exercise; each
likely or possible link has at least one exercise of its own; hop landings and strides start at level 1 and go
to level 2 only when ``ready_for_level_2`` names them; exercises left out by a self-test answer stay out.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from kneeassess.content import Catalogue, Exercise, catalogue
from kneeassess.models import PlanItem, PlanLimit, WeakLink
from kneeassess.screening.weak_links import holds

LINK_WORDS = {"foot": "foot and calf", "hamstring": "hamstrings", "hip": "hip stabilisers"}
SIDES = ("left", "right")


def target_links(weak_links: list[WeakLink]) -> list[str]:
    """Links rated likely or possible; with none, all three (a general programme)."""
    found: list[str] = [w.link for w in weak_links if w.level in ("likely", "possible")]
    return found or [w.link for w in weak_links]


def plan_limits(answers: dict[str, Any], cat: Catalogue | None = None) -> list[PlanLimit]:
    """Self-test answers that take exercises out of the plan (e.g. a painful single-leg squat), with the reason."""
    cat = cat or catalogue()
    out = []
    for limit in cat.dose_limits:
        if limit.per_side:
            sides = [s for s in SIDES if holds(limit.when, answers, s)]
            if sides:
                out.append(PlanLimit(id=limit.id, text=limit.text.replace("{sides}", " and ".join(sides)),
                                     without=list(limit.without)))
        elif holds(limit.when, answers):
            out.append(PlanLimit(id=limit.id, text=limit.text, without=list(limit.without)))
    return out


def _selected(ex: Exercise, phase: str, targets: list[str], without: Collection[str]) -> bool:
    if phase not in ex.phases or ex.id in without:
        return False
    return ex.include == "always" or bool(set(ex.links) & set(targets))


def _why(ex: Exercise, phase: str, served: list[str], general: bool) -> str:
    origin = "from the clinic's article" if ex.origin == "article" else "an addition to the article"
    if ex.include == "always" and not served:
        reason = f"part of every {phase}-phase plan"
    elif general:
        reason = "part of a general programme, since no link stood out"
    else:
        reason = "for your " + " and ".join(LINK_WORDS[lk] for lk in served)
    return f"{reason[:1].upper()}{reason[1:]}; {origin}."


def build_plan(
    phase: str | None, weak_links: list[WeakLink], cat: Catalogue | None = None, *,
    limits: list[PlanLimit] | None = None, ready_for_level_2: Collection[str] = (),
) -> list[PlanItem]:
    if phase is None:
        return []
    cat = cat or catalogue()
    without = {x for limit in limits or [] for x in limit.without}
    targets = target_links(weak_links)
    general = not any(w.level in ("likely", "possible") for w in weak_links)
    chosen = [ex for ex in cat.exercises if _selected(ex, phase, targets, without)]
    # each target link has at least one exercise of its own
    for link in targets:
        if not any(link in ex.links for ex in chosen):
            extra = next((ex for ex in cat.exercises if phase in ex.phases and link in ex.links
                          and ex.id not in without), None)
            if extra:
                chosen.append(extra)
    # from build on, at least one hip exercise whatever the weak links (hip- plus knee-targeted exercise)
    added_hip: str | None = None
    if phase != "settle" and not any(ex.id in cat.hip_exercises for ex in chosen):
        hip = next((cat.get(x) for x in cat.hip_exercises if phase in cat.get(x).phases and x not in without), None)
        if hip:
            chosen.append(hip)
            added_hip = hip.id
    chosen = [ex for ex in cat.exercises if ex in chosen]  # the catalogue's order
    level = 2 if phase == "progress" else 1
    plan = []
    for ex in chosen:
        lvl = level if level in ex.levels else 1
        if ex.id in cat.first_weeks_at_level_1 and ex.id not in ready_for_level_2:
            lvl = 1  # first two weeks of hop landings and strides: level 1 whatever the phase
        dose = ex.levels[lvl]
        served: list[str] = [lk for lk in ex.links if lk in targets]
        origin = "from the clinic's article" if ex.origin == "article" else "an addition to the article"
        why = f"{cat.hip_exercise_why}; {origin}." if ex.id == added_hip else _why(ex, phase, served, general)
        if ex.id in cat.first_weeks_at_level_1 and lvl == 1 and phase == "progress":
            why += " Level 1 for your first two logged weeks with it, then level 2 if your pain stays at 0–2/10."
        plan.append(
            PlanItem(
                exercise=ex.id,
                name=ex.name,
                level=lvl,
                sets=dose.sets,
                reps=dose.reps,
                seconds=dose.seconds,
                seconds_max=dose.seconds_max,
                rest_seconds=dose.rest_seconds,
                per_side=dose.per_side,
                load=dose.load,
                dose=dose.text,
                origin=ex.origin,
                why=why,
                serves=served if ex.id != added_hip else ["hip"],
            )
        )
    return plan


PHASE_ORDER = ("settle", "build", "progress")


def unserved_links(plan: list[PlanItem], weak_links: list[WeakLink], phase: str | None,
                   cat: Catalogue | None = None) -> list[tuple[str, str | None]]:
    """Flagged links (likely or possible) that no exercise of ``plan`` trains, each with the first later phase
    whose exercises train it (None: no later phase does)."""
    cat = cat or catalogue()
    if phase is None or phase not in PHASE_ORDER:
        return []
    by_id = {ex.id: ex for ex in cat.exercises}
    served = {lk for p in plan if p.exercise in by_id for lk in by_id[p.exercise].links}
    later = PHASE_ORDER[PHASE_ORDER.index(phase) + 1:]
    out: list[tuple[str, str | None]] = []
    for w in weak_links:
        if w.level not in ("likely", "possible") or w.link in served:
            continue
        first = next((ph for ph in later for ex in cat.exercises
                      if w.link in ex.links and _selected(ex, ph, [w.link], ())), None)
        out.append((w.link, first))
    return out

