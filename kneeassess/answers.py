"""The answers: one flat object, question id -> value (product brief §3).

The pydantic model is built from the questionnaire data file, so the questions, the validation, the JSON
Schema and the screens share one definition.
"""

from __future__ import annotations

from functools import cache
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, create_model, model_validator
from pydantic_core import ErrorDetails

from kneeassess.content import Question, questionnaire
from kneeassess.errors import FieldProblems, Problem, problems_from, sentence

KM_PER_MILE = 1.609344


class AnswerProblem(Problem):
    """A problem with one answer, worded for the CLI ("must be ..."); :meth:`message_for_people` for screens."""

    def message_for_people(self) -> str:
        """The message as shown next to a field on screen."""
        if self.message == "is required":
            return "Please answer this question."
        return sentence(self.message)


class InvalidAnswers(FieldProblems):
    """The answers have problems: ``problems`` maps each answer id to its first message as shown on screen;
    ``items`` lists every problem (the CLI prints one line each)."""

    def __init__(self, items: list[AnswerProblem]):
        super().__init__(FieldProblems.of(Problem(p.field, p.message_for_people()) for p in items))
        self.items = items
        self.args = ("; ".join(map(str, items)),)


def _field_type(q: Question) -> Any:
    desc = q.label
    if q.kind == "choice":
        values = tuple(o.value for o in q.options)
        return Annotated[Literal[values], Field(description=desc)]
    if q.kind == "multi":
        values = tuple(o.value for o in q.options)
        # the options come from the data file at run time: a Literal mypy cannot know (pydantic checks it)
        return Annotated[list[Literal[values]], Field(description=desc)]  # type: ignore[valid-type]
    if q.kind == "bool":
        return Annotated[bool, Field(strict=True, description=desc)]
    if q.kind == "pain":
        return Annotated[int, Field(strict=True, ge=0, le=10, description=desc + " (0-10)")]
    if q.kind == "int":
        return Annotated[int, Field(strict=True, ge=int(q.bounds[0]), le=int(q.bounds[1]), description=desc)]
    # number, distance (kilometres)
    unit = " (km)" if q.kind == "distance" else ""
    return Annotated[float, Field(strict=True, ge=q.min, le=q.max, description=desc + unit)]


def _normalise_choice(q: Question, value: Any) -> Any:
    """Accept ``"5"`` for 5 and ``0`` for ``"0"`` in choices whose option values are unambiguous."""
    if isinstance(value, bool):
        return str(value).lower()  # never let True/False pass as 1/0
    values = [o.value for o in q.options]
    if value in values:
        return value
    for v in values:
        if str(v) == str(value):
            return v
    return value


class _AnswersBase(BaseModel):
    model_config = ConfigDict(extra="forbid")

    @model_validator(mode="before")
    @classmethod
    def _before(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            raise ValueError("answers must be a JSON object of question id -> value")
        out = dict(data)
        qn = questionnaire()
        for key, value in data.items():
            try:
                q = qn.question(key)
            except KeyError:
                continue
            if q.kind == "choice":
                out[key] = _normalise_choice(q, value)
            elif q.kind == "multi" and isinstance(value, list):
                out[key] = [_normalise_choice(q, v) for v in value]
            elif q.kind in ("number", "distance") and isinstance(value, int) and not isinstance(value, bool):
                out[key] = float(value)
        return out



@cache
def answers_model() -> type[BaseModel]:
    fields: dict[str, Any] = {}
    for q in questionnaire().questions:
        for aid in q.answer_ids:
            fields[aid] = (_field_type(q) | None, None)
    return create_model("Answers", __base__=_AnswersBase, **fields)


def _message(e: ErrorDetails) -> str:
    if e["type"] == "extra_forbidden":
        return "is not a question of this questionnaire"
    if e["type"] == "literal_error":
        return e["msg"].replace("Input should be", "must be one of")
    return e["msg"].replace("Input should be", "must be")


def _problems(exc: ValidationError) -> list[AnswerProblem]:
    """One line per field and problem, in a stable order; model-level lines "field: message" are split, and
    "answers must be an object" is about "(answers)"."""
    found = problems_from(exc, message=_message, split_model_lines=True,
                          where=lambda e: str(e["loc"][0]) if e["loc"] else "(answers)")
    return [AnswerProblem(p.field, p.message, p.kind) for p in found]


def missing_required(raw: dict[str, Any]) -> list[AnswerProblem]:
    """Safety items may not be skipped; rf_child_hip_limp only when it is asked (age under 16)."""
    out = []
    for q in questionnaire().questions:
        if not (q.required or q.ask_when):
            continue
        if q.ask_when and not all(raw.get(k) in allowed for k, allowed in q.ask_when.items()):
            continue
        out += [AnswerProblem(a, "is required") for a in q.answer_ids if raw.get(a) is None]
    return out


def multi_problems(raw: dict[str, Any]) -> list[AnswerProblem]:
    """A multi-choice lists each choice once, and its 'none' option alone."""
    out = []
    for q in questionnaire().questions:
        if q.kind != "multi":
            continue
        for aid in q.answer_ids:
            chosen = raw.get(aid)
            if not isinstance(chosen, list):
                continue
            if q.exclusive in chosen and len(chosen) > 1:
                out.append(AnswerProblem(aid, f"'{q.exclusive}' cannot be combined with other choices"))
            if len(set(map(str, chosen))) != len(chosen):
                out.append(AnswerProblem(aid, "a choice is listed twice"))
    return out


def check(raw: dict[str, Any], only: set[str] | None = None) -> list[AnswerProblem]:
    """Every problem with these answers; with ``only``, just those of the given answer ids (one step)."""
    problems = missing_required(raw) + multi_problems(raw)
    try:
        answers_model().model_validate(raw)
    except ValidationError as exc:
        problems = _problems(exc) + problems
    return [p for p in problems if only is None or p.field in only]


def validate_answers(raw: Any) -> dict[str, Any]:
    """Return the answers with skipped (None) items dropped, or raise :class:`InvalidAnswers`."""
    if not isinstance(raw, dict):
        raise InvalidAnswers([AnswerProblem("(answers)", "must be a JSON object of id -> value")])
    problems = check(raw)
    if problems:
        raise InvalidAnswers(problems)
    model = answers_model().model_validate(raw)
    return {k: v for k, v in model.model_dump().items() if v is not None}


def answers_schema() -> dict[str, Any]:
    schema = answers_model().model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "KneeAssess answers"
    schema["description"] = (
        "Screening answers: one flat object, question id -> value. Items asked per leg end in _left/_right. "
        "Every item except the safety screen (rf_*) may be left out; rf_child_hip_limp is required only when "
        "age_band is under_16. Kujala (akps_*) values are the points of the chosen option. Distances in km."
    )
    required = [
        aid for q in questionnaire().questions if q.required for aid in q.answer_ids
    ]
    schema["required"] = required
    schema["additionalProperties"] = False
    schema["if"] = {"properties": {"age_band": {"const": "under_16"}}, "required": ["age_band"]}
    schema["then"] = {"required": ["rf_child_hip_limp"]}
    return schema


def miles_to_km(miles: float) -> float:
    return round(miles * KM_PER_MILE, 2)


def km_to_miles(km: float) -> float:
    return round(km / KM_PER_MILE, 2)
