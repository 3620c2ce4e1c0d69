"""Training-load findings (product brief §5; clinical-reference §3). Descriptive, never an injury prediction."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from kneeassess.models import LoadFindings

BIG_RATIO = 1.5  # Gabbett 2016 "danger zone" (team sports); shown only as "consider easing off"
BIG_TWO_WEEK_RISE_PCT = 30.0  # Nielsen 2014: > 30% over two weeks
RATIO_NOTE = (
    "Last 7 days ÷ average of the 3 weeks before = {ratio:g}. This ratio only describes your training; it cannot "
    "predict injury (Impellizzeri 2021)."
)


def change_pct(last: float, before: Sequence[float]) -> float | None:
    """Change of ``last`` against the mean of ``before``, in %; None when that mean is 0."""
    base = sum(before) / len(before)
    if base == 0:
        return None
    return round((last - base) / base * 100, 1)


def uncoupled_acwr(last: float, before: Sequence[float], digits: int | None = 2) -> float | None:
    """Last 7 days against the mean of the previous weeks (days 8-28): 3A/B for three weeks. Rounded for display;
    ``digits=None`` gives the exact ratio, which is what the threshold is compared with."""
    base = sum(before) / len(before)
    if base == 0:
        return None
    return last / base if digits is None else round(last / base, digits)


def ewma(daily_loads: Sequence[float], n: int) -> list[float]:
    """Exponentially weighted moving average, λ = 2/(N+1), seeded with the first day (Williams 2017)."""
    lam = 2 / (n + 1)
    out: list[float] = []
    for i, load in enumerate(daily_loads):
        out.append(load if i == 0 else lam * load + (1 - lam) * out[-1])
    return out


def ewma_acwr(daily_loads: Sequence[float], acute: int = 7, chronic: int = 28) -> float | None:
    """EWMA acute:chronic ratio for logged daily data; None before 28 days of data or with no load."""
    if len(daily_loads) < chronic:
        return None
    a, c = ewma(daily_loads, acute)[-1], ewma(daily_loads, chronic)[-1]
    return None if c == 0 else round(a / c, 2)


def load_findings(answers: dict[str, Any]) -> LoadFindings:
    weeks = [answers.get(f"km_week_{i}") for i in (3, 2, 1, 0)]  # oldest to newest
    flags: list[str] = []
    findings: list[str] = []
    change = wow = acwr = None
    known = [float(w) for w in weeks if w is not None]
    if len(known) == len(weeks):
        w3, w2, w1, w0 = known
        change = change_pct(w0, [w1, w2, w3])
        acwr = uncoupled_acwr(w0, [w1, w2, w3])
        wow = change_pct(w0, [w1])
        if change is not None:
            findings.append(
                f"Last week you ran {w0:g} km, {abs(change):g}% {'more' if change >= 0 else 'less'} than your "
                f"average of {round((w1 + w2 + w3) / 3, 1):g} km over the three weeks before."
            )
        elif w0 > 0:
            findings.append("You started running again last week after three weeks without running.")
        # the thresholds are compared with the exact figures, not the rounded ones shown (1.504 is above 1.5)
        exact_ratio = uncoupled_acwr(w0, [w1, w2, w3], digits=None)
        exact_wow = None if w1 == 0 else (w0 - w1) / w1 * 100
        if (exact_ratio is not None and exact_ratio > BIG_RATIO) or (
            exact_wow is not None and exact_wow > BIG_TWO_WEEK_RISE_PCT
        ):
            flags.append("big_jump")
            findings.append(
                "That is a large jump in distance. Consider easing off for a week or two and building up more "
                "gradually. (A big jump is not a prediction that you will get injured; quick rises in distance or "
                "speed are the most cited training factor you can change, Nielsen 2014; Esculier 2018.)"
            )
    else:
        findings.append("You did not give all four weeks of distance, so we could not look at your training load.")
    if answers.get("easy_share") == "almost_all" and answers.get("speed_work") == "none":
        flags.append("steady_only")
        findings.append(
            "Almost all your running is at one steady pace. The clinic's approach is to add short, fast efforts "
            "(15 seconds or less, with up to 90 seconds rest) once your knee allows; that rule is the clinic's "
            "own, not from research."
        )
    after_change = bool(answers.get("onset_after_change"))
    after_break = "returned_after_break" in (answers.get("recent_changes") or [])
    if after_change or after_break:
        flags.append("build_back_gradually")
        what = ("Your pain began after a change in your running." if after_change
                else "You came back to running after a break in the last two months.")
        findings.append(
            f"{what} Build back gradually: runner's knee often follows a recent increase in distance or speed "
            "(Esculier 2018)."
        )
    return LoadFindings(
        weekly_km=[None if w is None else round(float(w), 2) for w in weeks],
        change_pct=change,
        week_on_week_pct=wow,
        acwr=acwr,
        flags=flags,
        findings=findings,
    )
