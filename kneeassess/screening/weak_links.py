"""Weak-link scoring (product brief §4): evaluates the rules of ``data/rules.yaml``; holds no rules itself."""

from __future__ import annotations

from typing import Any

from kneeassess.content import LINKS, SIDES, AllOf, AnyOf, Asymmetry, Compare, Link, Rule, RuleBook, rulebook
from kneeassess.models import Reason, WeakLink


def _compare(cond: Compare, answers: dict[str, Any], side: str | None) -> bool:
    name = cond.answer.replace("{side}", side) if side else cond.answer
    value = answers.get(name)
    if value is None:
        return cond.if_skipped  # a skipped answer never counts as evidence unless the rule says what it means
    op, ref = cond.op, cond.value
    if op == "is_true":
        return value is True
    if op == "contains_any":
        return bool(set(value) & set(ref))
    if op == "in":
        return value in ref
    if op == "eq":
        return bool(value == ref)
    if op == "ne":
        return bool(value != ref)
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    return bool({"lt": value < ref, "le": value <= ref, "gt": value > ref, "ge": value >= ref}[op])


def asymmetry_pct(answers: dict[str, Any], base: str) -> float | None:
    """How far the weaker side is below the stronger, in % of the stronger; None unless both sides answered."""
    left, right = answers.get(f"{base}_left"), answers.get(f"{base}_right")
    if left is None or right is None:
        return None
    strong = max(left, right)
    if strong == 0:
        return 0.0
    return float((strong - min(left, right)) / strong * 100)


def holds(cond: Any, answers: dict[str, Any], side: str | None = None) -> bool:
    if isinstance(cond, Compare):
        return _compare(cond, answers, side)
    if isinstance(cond, Asymmetry):
        pct = asymmetry_pct(answers, cond.asymmetry)
        return pct is not None and pct > cond.gt_pct
    if isinstance(cond, AllOf):
        return all(holds(c, answers, side) for c in cond.all)
    if isinstance(cond, AnyOf):
        return any(holds(c, answers, side) for c in cond.any)
    raise TypeError(f"unknown condition {cond!r}")


def fire(rule: Rule, answers: dict[str, Any]) -> Reason | None:
    if rule.per_side:
        sides = [s for s in SIDES if holds(rule.when, answers, s)]
        if not sides:
            return None
        text = rule.text.replace("{sides}", " and ".join(sides))
    else:
        if not holds(rule.when, answers):
            return None
        text = rule.text
    return Reason(text=text, points=rule.points, rule=rule.id, source=rule.source)


def level(score: int, book: RuleBook) -> str:
    if score >= book.levels.likely:
        return "likely"
    if score >= book.levels.possible:
        return "possible"
    return "unlikely"


def tested(link: Link, answers: dict[str, Any], book: RuleBook) -> bool:
    return any(
        answers.get(f"{t}_{s}") is not None for t in book.links[link].self_tests for s in SIDES
    )


def score_links(answers: dict[str, Any], book: RuleBook | None = None) -> list[WeakLink]:
    """All three links, highest score first (ties in the brief's order: foot, hamstring, hip)."""
    book = book or rulebook()
    results = []
    for link in LINKS:
        reasons = [r for rule in book.rules if rule.link == link and (r := fire(rule, answers))]
        score = min(100, sum(r.points for r in reasons))
        was_tested = tested(link, answers, book)
        results.append(
            WeakLink(
                link=link,
                score=score,
                level=level(score, book),
                tested=was_tested,
                reasons=reasons,
                untested_note=None
                if was_tested
                else "You skipped the self-tests for this link, so this rests on your symptoms alone.",
            )
        )
    return sorted(results, key=lambda w: -w.score)
