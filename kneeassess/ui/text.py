"""Showing what people typed: as text, never as Markdown or HTML."""

from __future__ import annotations

import re

MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!<>|~$:])")


def plain(text: str | None) -> str:
    """Text made safe to place inside Markdown: every character that means something there is escaped."""
    return MARKDOWN_SPECIAL.sub(r"\\\1", text or "")
