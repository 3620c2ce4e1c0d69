"""Problems with what someone entered, reported one way: per field, in words a person can act on.

One hierarchy (every class here or derived from one here)::

    FieldProblems (ValueError)     ``problems``: field -> message for the person, the first problem of each field
    ├── answers.InvalidAnswers     the screening answers; ``items`` keeps every problem in order (the CLI prints
    │                              one line each)
    ├── logbook.LogProblems        a run, pain check-in or exercise session
    ├── leads.LeadProblems         a consultation request (also a leads.LeadError)
    └── events.EventProblems       an event, for staff
        └── events.SlugTaken       another event has the slug

and one translator from pydantic's errors to :class:`Problem` (:func:`problems_from`): each caller says only how
it names a field and words a message, so content files, answers, log forms, requests and imported runs share
the walk over ``ValidationError.errors()``. ``kneeassess.ui.forms`` shows a :class:`FieldProblems` next to the
fields of the form that raised it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError
from pydantic_core import ErrorDetails

VALUE_ERROR = "Value error, "  # pydantic's prefix to a ValueError's message raised in a validator


@dataclass(frozen=True)
class Problem:
    """One problem: the field (or place in a file) and the message; ``kind`` is pydantic's error type."""

    field: str
    message: str
    kind: str = ""

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


class FieldProblems(ValueError):
    """What someone entered has problems: ``problems`` maps each field to a message for the person."""

    def __init__(self, problems: Mapping[str, str]) -> None:
        super().__init__("; ".join(f"{field}: {message}" for field, message in problems.items()))
        self.problems: dict[str, str] = dict(problems)

    @classmethod
    def of(cls, problems: Iterable[Problem]) -> dict[str, str]:
        """The first message of each field, in order."""
        out: dict[str, str] = {}
        for p in problems:
            out.setdefault(p.field, p.message)
        return out


def first_field(e: ErrorDetails) -> str:
    """The field an error is about: the first part of its location; "form" for the model as a whole."""
    return str(e["loc"][0]) if e["loc"] else "form"


def plain(message: str) -> str:
    """pydantic's message in plain words: without "Value error, ", and "Input should be" said "must be"."""
    return message.removeprefix(VALUE_ERROR).replace("Input should be", "must be")


def sentence(message: str) -> str:
    """A message as a sentence on screen: a capital first letter and a full stop."""
    text = plain(message)
    return text[:1].upper() + text[1:] + ("" if text.endswith((".", "?", "!")) else ".")


def pydantic_message(e: ErrorDetails) -> str:
    return e["msg"]


def problems_from(
    error: ValidationError, *,
    where: Callable[[ErrorDetails], str] = first_field,
    message: Callable[[ErrorDetails], str] = pydantic_message,
    split_model_lines: bool = False,
) -> list[Problem]:
    """One :class:`Problem` per pydantic error, in order, repeats dropped.

    ``where`` names the field (default: the first part of the location), ``message`` words the problem (default:
    pydantic's own message). With ``split_model_lines``, a model-level error whose text is lines of
    ``field: message`` (a model validator checking several fields at once) becomes one problem per line.
    """
    out: list[Problem] = []
    for e in error.errors():
        if split_model_lines and not e["loc"]:
            ctx: dict[str, Any] = dict(e.get("ctx") or {})
            text = str(ctx["error"]) if "error" in ctx else e["msg"]
            for line in text.splitlines():
                field, _, msg = line.partition(": ")
                out.append(Problem(field, msg, e["type"]) if msg else Problem(where(e), line, e["type"]))
            continue
        out.append(Problem(where(e), message(e), e["type"]))
    seen: set[tuple[str, str]] = set()
    unique = []
    for p in out:
        if (p.field, p.message) not in seen:
            seen.add((p.field, p.message))
            unique.append(p)
    return unique
