"""Characters that break a line or control a terminal, for every field a person types (issue 14).

Python (and email, CSV, logs) treat more than ``\\n`` as a line break: ``\\r``, ``\\x0b``, ``\\x0c``,
``\\x1c``-``\\x1e``, NEL (U+0085), LINE SEPARATOR (U+2028) and PARAGRAPH SEPARATOR (U+2029).
:data:`BREAKING` is every character of
the Unicode categories Cc (controls, C0 and C1), Zl and Zp. A single-line field refuses or collapses them
(:func:`one_line`); a multi-line field keeps its line breaks as ``\\n`` and drops the rest (:func:`multi_line`).
"""

from __future__ import annotations

import re

BREAKING = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")  # Cc, Zl, Zp: exactly these code points
_LINE_ENDS = re.compile(r"\r\n|[\r\n\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
_NOT_TEXT = re.compile(r"[\x00-\x08\x0e-\x1b\x1f\x7f-\x84\x86-\x9f]")  # controls that are not whitespace


def has_breaking(text: str) -> bool:
    return BREAKING.search(text) is not None


def one_line(text: str) -> str:
    """The text on one line: controls and separators become spaces, runs of white space one space, trimmed."""
    return " ".join(BREAKING.sub(" ", text).split())


def multi_line(text: str) -> str:
    """Line breaks of every kind as ``\\n``; other controls (NUL, ESC, C1...) removed; tabs kept."""
    return _NOT_TEXT.sub("", _LINE_ENDS.sub("\n", text))
