"""This week's plan: exercises from ``data/exercises.yaml`` chosen by phase and weak links (brief §6, §7)."""

from __future__ import annotations

from kneeassess.content import Catalogue, Exercise, catalogue
from kneeassess.models import PlanItem, WeakLink

LINK_WORDS = {"foot": "foot and calf", "hamstring": "hamstrings", "hip": "hip stabilisers"}


def target_links(weak_links: list[WeakLink]) -> list[str]:
    """Links rated likely or possible; with none, all three (a general programme)."""
    found = [w.link for w in weak_links if w.level in ("likely", "possible")]
    return found or [w.link for w in weak_links]


def _selected(ex: Exercise, phase: str, targets: list[str]) -> bool:
    if phase not in ex.phases:
        return False
    if phase == "settle" and not ex.hip_dominant:
        return False  # settle: hip-dominant exercises only
    return ex.include == "always" or bool(set(ex.links) & set(targets))


def _why(ex: Exercise, phase: str, targets: list[str], general: bool) -> str:
    served = [LINK_WORDS[lk] for lk in ex.links if lk in targets]
    origin = "from the clinic's article" if ex.origin == "article" else "an addition to the article"
    if ex.include == "always" and not served:
        reason = f"part of every {phase}-phase plan"
    elif general:
        reason = "part of a general programme, since no link stood out"
    else:
        reason = "for your " + " and ".join(served)
    return f"{reason.capitalize()}; {origin}."


def build_plan(phase: str | None, weak_links: list[WeakLink], cat: Catalogue | None = None) -> list[PlanItem]:
    if phase is None:
        return []
    cat = cat or catalogue()
    targets = target_links(weak_links)
    general = not any(w.level in ("likely", "possible") for w in weak_links)
    level = 2 if phase == "progress" else 1
    chosen = [ex for ex in cat.exercises if _selected(ex, phase, targets)]
    if not any(ex.include == "matching" for ex in chosen):
        # no exercise of this phase trains the weak link (e.g. settle allows only hip-dominant work, and the
        # link is the foot): a general programme of the phase rather than an empty plan
        general, targets = True, list(LINK_WORDS)
        chosen = [ex for ex in cat.exercises if _selected(ex, phase, targets)]
    plan = []
    for ex in chosen:
        lvl = level if level in ex.levels else 1
        dose = ex.levels[lvl]
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
                why=_why(ex, phase, targets, general),
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
                      if w.link in ex.links and _selected(ex, ph, [w.link])), None)
        out.append((w.link, first))
    return out


def served_by(exercise_id: str, weak_links: list[WeakLink], cat: Catalogue | None = None) -> list[str]:
    """The flagged links (likely or possible) this exercise trains, in the weak links' order."""
    cat = cat or catalogue()
    ex = next((e for e in cat.exercises if e.id == exercise_id), None)
    if ex is None:
        return []
    return [w.link for w in weak_links if w.level in ("likely", "possible") and w.link in ex.links]
