"""The screening: ``assess(answers)`` is its one door. Pure functions; no Streamlit, no storage."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from kneeassess.answers import validate_answers
from kneeassess.models import Assessment
from kneeassess.screening.kujala import kujala
from kneeassess.screening.load import load_findings
from kneeassess.screening.phase import phase_for
from kneeassess.screening.plan import build_plan
from kneeassess.screening.triage import age_note, red_flags, triage_level
from kneeassess.screening.weak_links import score_links

DISCLAIMER = (
    "This is a self-screening, not a diagnosis. It cannot examine your knee. If your pain gets worse, does not "
    "improve within a few weeks, or you notice any of the warning signs in the safety check, see a "
    "physiotherapist or doctor."
)

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


def assess(raw_answers: dict[str, Any]) -> Assessment:
    """Validate the answers and work out the whole assessment. Raises InvalidAnswers on bad input."""
    answers = validate_answers(raw_answers)
    flags = red_flags(answers)
    triage = triage_level(flags)
    notes: list[str] = []
    if triage == "urgent":
        notes.append("Get medical help today: go to urgent care or A&E, or call your doctor or 111 now.")
    elif triage == "see_clinician":
        notes.append(
            "See a physiotherapist or doctor before you rely on self-help. The general exercises are shown only "
            "if you choose to see them."
        )
    if note := age_note(answers):
        notes.append(note)
    for loc in answers.get("pain_location", []):
        if loc in LOCATION_NOTES:
            notes.append(LOCATION_NOTES[loc])

    k = kujala(answers)
    links = score_links(answers)
    load = load_findings(answers)
    if triage == "urgent":
        phase = reason = None
    else:
        phase, reason = phase_for(answers.get("pain_run_worst"), answers.get("pain_next_morning"))
    plan = build_plan(phase, links)
    untested = [w.link for w in links if not w.tested]
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
        not_judged=_not_judged(answers, k.answered, untested),
        disclaimer=DISCLAIMER,
    )
