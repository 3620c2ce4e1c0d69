"""Safety advice per triage level (brief §10): the one source of the safety wording, from ``data/safety.yaml``
with the clinic's region's numbers (``data/clinic.toml``). Every screen, the PDF, the kiosk and the CLI use it."""

from __future__ import annotations

from kneeassess.content import Clinic, Triage, clinic, safety_book
from kneeassess.models import Call, TriageAdvice


def fill_numbers(text: str, c: Clinic | None = None) -> str:
    """``{emergency}`` and ``{urgent_advice}`` replaced by the numbers of the clinic's region."""
    c = c or clinic()
    return text.replace("{emergency}", c.numbers.emergency.tel).replace("{urgent_advice}", c.numbers.urgent_advice.tel)


def calls(level: Triage, c: Clinic | None = None) -> list[Call]:
    c = c or clinic()
    out = []
    for key in safety_book().levels[level].call:
        if key == "emergency":
            out.append(Call(label=c.numbers.emergency.label, tel=c.numbers.emergency.tel))
        elif key == "urgent_advice":
            out.append(Call(label=c.numbers.urgent_advice.label, tel=c.numbers.urgent_advice.tel))
        elif c.phone:  # the clinic's phone, left out while it is not configured
            tel = "".join(ch for ch in c.phone if ch.isdigit() or ch == "+")
            out.append(Call(label=f"{c.name} ({c.phone})", tel=tel))
    return out


def triage_advice(level: Triage, c: Clinic | None = None) -> TriageAdvice:
    c = c or clinic()
    lv = safety_book().levels[level]
    return TriageAdvice(level=level, title=lv.title, what_to_do=fill_numbers(lv.what_to_do, c),
                        by_when=fill_numbers(lv.by_when, c), call=calls(level, c))


def disclaimer(level: Triage) -> str:
    return safety_book().levels[level].disclaimer


def advice_lines(advice: TriageAdvice) -> list[str]:
    """The advice as plain lines, the same on screen, in the PDF and in the kiosk."""
    lines = [advice.title, advice.what_to_do, f"By when: {advice.by_when}"]
    if advice.call:
        lines.append("Call: " + " · ".join(c.label for c in advice.call))
    return lines
