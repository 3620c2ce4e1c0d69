"""Showing what people typed: as text, never as Markdown or HTML."""

from __future__ import annotations

import re
from datetime import date

MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!<>|~$:])")


def plain(text: str | None) -> str:
    """Text made safe to place inside Markdown: every character that means something there is escaped."""
    return MARKDOWN_SPECIAL.sub(r"\\\1", text or "")


def count(n: int, singular: str, plural: str | None = None) -> str:
    """``1 run``, ``2 runs``; ``plural`` for words that do not just add an s."""
    return f"{n} {singular if n == 1 else plural or singular + 's'}"


DATE_FORMAT = "DD/MM/YYYY"  # the clinic's (UK) way of writing dates: forms, tables and text use it alike


def day_text(d: date) -> str:
    """A date as DATE_FORMAT: 02/12/2026."""
    return d.strftime("%d/%m/%Y")
