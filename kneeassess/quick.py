"""The quick check (issue 16): the safety screen and the few answers that change the result most, for a visitor
at an event stand (or a runner in a hurry). No Streamlit here: what is asked, how the quick answers become the
screening's answers, and what of the result is firm and what needs the full check.

The assessment itself is the screening's one door, ``kneeassess.screening.assess``: the triage and safety rules
are the same as for the full check.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

from kneeassess.content import NO_PLAN_LEVELS, SIDES, questionnaire
from kneeassess.models import Assessment

KIND: Final = "quick_check"  # SavedAssessment.kind of a result saved from the quick check

# Weekly distance chips (km): a tap, no keyboard. The full check asks the exact four weeks.
DISTANCE_CHIPS_KM: tuple[int, ...] = (0, 5, 10, 15, 20, 30, 40, 50, 70, 100)
PAIN_CHIPS: tuple[int, ...] = tuple(range(11))
SQUAT_SIGNS = ("sls_knee_in", "sls_pelvis_drop", "sls_trunk_lean")
NONE_SEEN = "none"

# The answers a quick check can give; everything else is left to the full check.
SYMPTOM_IDS = ("pain_location", "pain_run_worst", "pain_next_morning")
DISTANCE_IDS = ("km_week_0", "km_week_1", "km_week_2", "km_week_3")
SQUAT_IDS = tuple(f"{b}_{s}" for b in (*SQUAT_SIGNS, "sls_pain") for s in SIDES)

# What only the full check (on the runner's phone) adds
FULL_CHECK_ADDS = (
    "Your knee score (the 13 Kujala questions)",
    "Your training in detail: the last four weeks one by one, speed work, strength sessions, recent changes",
    "The other self-tests: heel raises (foot), hamstring bridge, side plank and hop landing",
)


def safety_ids(answers: dict[str, Any] | None = None) -> list[str]:
    """The safety screen's questions asked here (the child-hip question only follows an age of under 16, which the
    quick check does not ask)."""
    answers = answers or {}
    return [q.id for q in questionnaire().step("safety").questions
            if not q.ask_when or all(answers.get(k) in v for k, v in q.ask_when.items())]


def safety_answers(ticked: list[str], answers: dict[str, Any] | None = None) -> dict[str, bool]:
    """Every safety question answered: True for the ticked signs, False for the rest."""
    return {rid: rid in ticked for rid in safety_ids(answers)}


def usual_weeks(last_week_km: float | None, usual_km: float | None) -> dict[str, float]:
    """Last week's distance and the usual weekly distance as the screening's four weeks: the usual week stands for
    each of the three weeks before (what the load rule compares last week with)."""
    out: dict[str, float] = {}
    if last_week_km is not None:
        out["km_week_0"] = float(last_week_km)
    if usual_km is not None:
        for i in (1, 2, 3):
            out[f"km_week_{i}"] = float(usual_km)
    return out


def squat_answers(side: str, seen: list[str]) -> dict[str, bool]:
    """What staff and visitor saw on one leg's five squats (``seen`` holds sign ids or ``NONE_SEEN``)."""
    return {f"{b}_{side}": b in seen for b in SQUAT_SIGNS}


def has_symptoms(answers: dict[str, Any]) -> bool:
    return bool(answers.get("pain_location")) or any(answers.get(k) is not None for k in
                                                     ("pain_run_worst", "pain_next_morning"))


def has_test(answers: dict[str, Any]) -> bool:
    return any(answers.get(k) is not None for k in SQUAT_IDS)


def plan_has_a_basis(answers: dict[str, Any]) -> bool:
    """A plan is shown only when it rests on something: a symptom given or the self-test done."""
    return has_symptoms(answers) or has_test(answers)


@dataclass(frozen=True)
class QuickReading:
    """What a quick check's result can say firmly, and what needs the full check."""

    firm: list[str]
    needs_full_check: list[str]
    show_plan: bool


def read(answers: dict[str, Any], a: Assessment) -> QuickReading:
    """Sort the quick check's conclusions: firm (rests on what was answered) or needing the full check."""
    firm: list[str] = []
    needs: list[str] = []
    if a.triage in NO_PLAN_LEVELS:
        firm.append("Your safety check: see the advice above before you run again.")
        return QuickReading(firm=firm, needs_full_check=[], show_plan=False)
    firm.append("Your safety check: nothing you ticked stops you starting with self-care."
                if a.triage == "self_care" else "Your safety check: one answer needs a clinician's check (above).")
    if answers.get("pain_run_worst") is not None and answers.get("pain_next_morning") is not None and a.phase:
        firm.append(f"How hard to train the knee this week, from your two pain ratings ({a.phase} phase).")
    else:
        needs.append("How hard to train the knee: rate your pain during running and the next morning.")
    if answers.get("km_week_0") is not None and answers.get("km_week_1") is not None:
        jump = " That is a large jump: consider easing off." if "big_jump" in a.load.flags else ""
        firm.append(f"Your training load: {answers['km_week_0']:g} km last week against a usual "
                    f"{answers['km_week_1']:g} km.{jump}")
    else:
        needs.append("Your training load: give last week's and your usual weekly distance.")
    hip = next((w for w in a.weak_links if w.link == "hip"), None)
    if hip is not None and hip.tested:
        firm.append(f"Hip control, from the single-leg squat: {hip.level} weak link.")
    else:
        needs.append("Hip control: the single-leg squat was not done.")
    needs.append("Your knee score (the 13 Kujala questions), to follow your progress.")
    needs.append("Foot and hamstring as weak links: only the heel-raise and bridge tests of the full check show "
                 "them, so their ranking here rests on your answers alone.")
    if not answers.get("pain_location"):
        needs.append("Whether this looks like runner's knee: you did not say where it hurts.")
    return QuickReading(firm=firm, needs_full_check=needs, show_plan=plan_has_a_basis(answers))


def summary(answers: dict[str, Any]) -> list[tuple[str, str]]:
    """The quick answers in words, for the runner's phone: (question, answer)."""
    steps = questionnaire()
    out: list[tuple[str, str]] = []
    flags = [q.label for q in steps.step("safety").questions if answers.get(q.id) is True]
    out.append(("Safety check", "; ".join(flags) if flags else "None of the warning signs"))
    loc_q = next(q for q in steps.step("symptoms").questions if q.id == "pain_location")
    if answers.get("pain_location"):
        out.append(("Where it hurts", ", ".join(loc_q.option_label(v) for v in answers["pain_location"])))
    for aid, label in (("pain_run_worst", "Worst pain running, last 7 days"),
                       ("pain_next_morning", "Pain the next morning")):
        if answers.get(aid) is not None:
            out.append((label, f"{answers[aid]} out of 10"))
    if answers.get("km_week_0") is not None:
        out.append(("Last week", f"{answers['km_week_0']:g} km"))
    if answers.get("km_week_1") is not None:
        out.append(("Usual week", f"{answers['km_week_1']:g} km"))
    labels = {q.id: q.label for q in steps.step("self_tests").questions if q.id in SQUAT_SIGNS}
    for side in SIDES:
        if answers.get(f"sls_knee_in_{side}") is None:
            continue
        seen = [labels[b] for b in SQUAT_SIGNS if answers.get(f"{b}_{side}")]
        pain = answers.get(f"sls_pain_{side}")
        text = "; ".join(seen) if seen else "None of the signs"
        out.append((f"Single-leg squat, {side} leg", text + ("" if pain is None else f" (pain {pain}/10)")))
    return out
