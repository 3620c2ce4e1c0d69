"""The screening: ``assess(answers)`` is its one door. Pure functions; no Streamlit, no storage."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from kneeassess.answers import validate_answers
from kneeassess.content import NO_PLAN_LEVELS, safety_book
from kneeassess.models import Assessment
from kneeassess.screening.advice import disclaimer, triage_advice
from kneeassess.screening.kujala import kujala
from kneeassess.screening.load import load_findings
from kneeassess.screening.phase import cap_phase, phase_for
from kneeassess.screening.plan import build_plan, plan_limits
from kneeassess.screening.triage import age_note, red_flags, self_tests_not_asked, triage_level
from kneeassess.screening.weak_links import score_links

# Pain locations that point away from runner's knee (clinical-reference §5.4)
LOCATION_NOTES = {
    "outside_knee": (
        "Pain on the outside of the knee, often worse downhill, fits iliotibial band (ITB) pain better than "
        "runner's knee. This plan may not fit; a physiotherapist can tell them apart."
    ),
    "below_kneecap": (
        "Pain just below the kneecap, worse with jumping, fits the patellar tendon (jumper's knee) better than "
        "runner's knee. This plan may not fit; a physiotherapist can tell them apart."
    ),
    "inside_knee": (
        "Pain on the inside of the knee points to other causes (for example the pes anserine bursa or the "
        "meniscus) more than runner's knee. This plan may not fit; get it checked."
    ),
    "back_of_knee": (
        "Pain at the back of the knee is not typical of runner's knee and has other causes. This plan may not "
        "fit; get it checked."
    ),
}


def _not_judged(answers: dict[str, Any], akps_answered: int, untested: Sequence[str]) -> list[str]:
    out = []
    if "pain_run_worst" not in answers or "pain_next_morning" not in answers:
        out.append("How your pain responds to running (you skipped a pain rating), so your phase is cautious.")
    if akps_answered < 13:
        out.append(f"Your knee score: you answered {akps_answered} of 13 questions.")
    if any(f"km_week_{i}" not in answers for i in range(4)):
        out.append("Your training load: four weeks of distance are needed.")
    if not answers.get("pain_location"):
        out.append("Whether this looks like runner's knee: you did not say where it hurts.")
    if untested:
        out.append("Self-tests skipped for: " + ", ".join(untested) + ". Those results rest on symptoms alone.")
    return out


def _without_provoking_tests(answers: dict[str, Any]) -> tuple[dict[str, Any], str | None]:
    """After an instability or child-hip flag the single-leg squat and hop landing are not asked (brief §2); if
    their answers came anyway (the CLI), they are not used, and the result says why."""
    skipped = self_tests_not_asked(answers)
    if skipped is None:
        return answers, None
    bases = safety_book().self_tests_not_asked.answers
    kept = {k: v for k, v in answers.items() if not any(k in (b, f"{b}_left", f"{b}_right") for b in bases)}
    return kept, skipped[1]


def assess(raw_answers: dict[str, Any]) -> Assessment:
    """Validate the answers and work out the whole assessment. Raises InvalidAnswers on bad input."""
    answers = validate_answers(raw_answers)
    flags = red_flags(answers)
    triage = triage_level(flags)
    answers, not_asked = _without_provoking_tests(answers)
    notes: list[str] = []  # never triage advice: that is triage_advice (brief §10)
    if note := age_note(answers):
        notes.append(note)
    for loc in answers.get("pain_location", []):
        if loc in LOCATION_NOTES:
            notes.append(LOCATION_NOTES[loc])

    k = kujala(answers)
    links = score_links(answers)
    load = load_findings(answers)
    limits = plan_limits(answers)
    if triage in NO_PLAN_LEVELS:
        phase = reason = None
    else:
        phase, reason = phase_for(answers.get("pain_run_worst"), answers.get("pain_next_morning"))
        if triage == "see_clinician":
            phase, reason = cap_phase(phase, reason)
    plan = build_plan(phase, links, limits=limits)
    untested = [w.link for w in links if not w.tested]
    judged = _not_judged(answers, k.answered, untested)
    if not_asked:
        judged.append(not_asked)
    return Assessment(
        triage=triage,
        red_flags=[f.id for f in flags],
        red_flag_details=flags,
        notes=notes,
        akps=k.total,
        kujala=k,
        weak_links=links,
        load=load,
        phase=phase,
        phase_reason=reason,
        plan=plan,
        not_judged=judged,
        disclaimer=disclaimer(triage),
        triage_advice=triage_advice(triage),
        plan_limits=limits if phase else [],
        self_tests_not_asked=not_asked,
    )
