"""Loads and validates the content in ``data/``: questionnaire, weak-link rules, exercises, clinic settings.

Every file is validated with pydantic at load. A broken file raises :class:`ContentError` whose message
names the file, the item (by its id where it has one) and the problem, so the clinic can fix it.
"""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path
from typing import Annotated, Any, Literal, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from kneeassess.errors import problems_from
from kneeassess.settings import current

SIDES = ("left", "right")
LINKS: tuple[Link, ...] = ("foot", "hamstring", "hip")
PHASES = ("settle", "build", "progress")
TRIAGE_LEVELS = ("self_care", "see_clinician", "see_clinician_soon", "urgent")  # least to most severe
NO_PLAN_LEVELS = ("see_clinician_soon", "urgent")  # no exercise plan at all (brief §2)

Link = Literal["foot", "hamstring", "hip"]
Phase = Literal["settle", "build", "progress"]
Triage = Literal["self_care", "see_clinician", "see_clinician_soon", "urgent"]


class ContentError(Exception):
    """A data file is missing or invalid. The message names the file, the item and the problem."""


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# --------------------------------------------------------------------------------------------------
# Questionnaire
# --------------------------------------------------------------------------------------------------


class Option(Strict):
    value: str | int
    label: str
    hint: str | None = None


QuestionKind = Literal["choice", "multi", "bool", "int", "number", "distance", "pain"]


class Question(Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    kind: QuestionKind
    label: str
    help: str | None = None
    options: list[Option] = []
    min: float | None = None
    max: float | None = None
    unit: str | None = None
    per_side: bool = False
    side_label: str = "{Side} leg"  # how each side is named on screen: "{Side} side down"
    required: bool = False
    exclusive: str | None = None  # in a multi: the option that cannot be combined with others ("none")
    ask_when: dict[str, list[str]] | None = None  # e.g. {age_band: [under_16]}
    triage: Triage | None = None  # safety items only
    urgent_advice: str | None = None

    @model_validator(mode="after")
    def _check_kind(self) -> Question:
        if self.kind in ("choice", "multi"):
            if len(self.options) < 2:
                raise ValueError(f"a '{self.kind}' question needs at least two options")
            values = [o.value for o in self.options]
            if len(set(values)) != len(values):
                raise ValueError("option values must be unique within the question")
        elif self.options:
            raise ValueError(f"a '{self.kind}' question takes no options")
        if self.kind in ("int", "number", "distance") and (self.min is None or self.max is None):
            raise ValueError(f"a '{self.kind}' question needs min and max")
        if self.exclusive is not None and self.exclusive not in [o.value for o in self.options]:
            raise ValueError(f"exclusive option '{self.exclusive}' is not one of the options")
        return self

    @property
    def bounds(self) -> tuple[float, float]:
        """The (min, max) of an int, number or distance question (the loader checks that both are given)."""
        if self.min is None or self.max is None:
            raise ValueError(f"the question {self.id!r} has no min and max")
        return self.min, self.max

    @property
    def answer_ids(self) -> list[str]:
        """The ids this question writes into the answers: one, or one per side."""
        return [f"{self.id}_{s}" for s in SIDES] if self.per_side else [self.id]

    def option_label(self, value: Any) -> str:
        for o in self.options:
            if o.value == value:
                return o.label
        return str(value)


class Section(Strict):
    id: str | None = None
    title: str | None = None
    how_to: list[str] = []
    safety: str | None = None
    questions: list[Question]


class Step(Strict):
    id: str
    title: str
    intro: str | None = None
    optional: bool = True
    sections: list[Section]

    @property
    def questions(self) -> list[Question]:
        return [q for s in self.sections for q in s.questions]


class Questionnaire(Strict):
    steps: list[Step]

    @model_validator(mode="after")
    def _unique_ids(self) -> Questionnaire:
        seen: set[str] = set()
        for q in self.questions:
            for aid in q.answer_ids:
                if aid in seen:
                    raise ValueError(f"answer id '{aid}' is used twice")
                seen.add(aid)
        for q in self.questions:
            for dep in (q.ask_when or {}):
                if dep not in seen:
                    raise ValueError(f"question '{q.id}': ask_when refers to unknown id '{dep}'")
        return self

    @property
    def questions(self) -> list[Question]:
        return [q for s in self.steps for q in s.questions]

    def step(self, step_id: str) -> Step:
        return next(s for s in self.steps if s.id == step_id)

    def question(self, qid: str) -> Question:
        """The question for a question id or an answer id (``heel_raise_reps_left``)."""
        for q in self.questions:
            if qid in (q.id, *q.answer_ids):
                return q
        raise KeyError(qid)


# --------------------------------------------------------------------------------------------------
# Weak-link rules
# --------------------------------------------------------------------------------------------------

CompareOp = Literal["lt", "le", "gt", "ge", "eq", "ne", "in", "contains_any", "is_true"]


class Compare(Strict):
    """``answer OP value``. In a per-side rule, ``{side}`` in ``answer`` is replaced by left/right."""

    answer: str
    op: CompareOp
    value: Any = None
    if_skipped: bool = False  # what the condition is when the answer was skipped (default: no evidence)


class Asymmetry(Strict):
    """The weaker side is more than ``gt_pct`` % below the stronger side (needs both sides answered)."""

    asymmetry: str  # answer id without the side: heel_raise_reps
    gt_pct: float


class AllOf(Strict):
    all: list[Condition]


class AnyOf(Strict):
    any: list[Condition]


Condition = Annotated[Compare | Asymmetry | AllOf | AnyOf, Field(union_mode="left_to_right")]
AllOf.model_rebuild()
AnyOf.model_rebuild()


class Rule(Strict):
    id: str
    link: Link
    points: int = Field(ge=0, le=100)
    text: str  # may use {sides}: "left", "right" or "left and right"
    per_side: bool = False
    when: Condition
    source: str


class LinkInfo(Strict):
    name: str
    what: str
    self_tests: list[str]  # answer ids without side: a link is "tested" when any of them was answered
    evidence: str


class Levels(Strict):
    likely: int = 60
    possible: int = 30


class RuleBook(Strict):
    levels: Levels
    links: dict[Link, LinkInfo]
    rules: list[Rule]

    @model_validator(mode="after")
    def _all_links(self) -> RuleBook:
        missing = set(LINKS) - set(self.links)
        if missing:
            raise ValueError(f"links missing: {', '.join(sorted(missing))}")
        ids = [r.id for r in self.rules]
        if len(set(ids)) != len(ids):
            raise ValueError("rule ids must be unique")
        return self


# --------------------------------------------------------------------------------------------------
# Exercises
# --------------------------------------------------------------------------------------------------


class Dose(Strict):
    sets: int = Field(ge=1, le=20)
    reps: int | None = Field(default=None, ge=1, le=100)
    seconds: int | None = Field(default=None, ge=1, le=600)
    seconds_max: int | None = None
    rest_seconds: int | None = None
    per_side: bool = True
    load: str | None = None
    text: str  # how the dose reads to a runner: "12 × 3 each leg"

    @model_validator(mode="after")
    def _reps_or_seconds(self) -> Dose:
        if (self.reps is None) == (self.seconds is None):
            raise ValueError("a dose has either reps or seconds")
        return self


class Exercise(Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name: str
    summary: str
    origin: Literal["article", "addition"]
    links: list[Link]
    include: Literal["matching", "always"] = "matching"
    hip_dominant: bool = False
    knee_targeted: bool = False
    phases: list[Phase]
    levels: dict[int, Dose]
    steps: list[str]
    cues: list[str]
    mistakes: list[str]
    equipment: str | None = None
    source: str
    evidence_note: str | None = None
    links_url: list[str] = []

    @field_validator("levels")
    @classmethod
    def _levels(cls, v: dict[int, Dose]) -> dict[int, Dose]:
        if 1 not in v:
            raise ValueError("level 1 is required")
        if set(v) - {1, 2}:
            raise ValueError("levels are 1 and 2")
        return v


class PhaseInfo(Strict):
    title: str
    running: str
    exercise: str
    rule: str


class DoseLimit(Strict):
    """Self-test answers that take exercises out of the plan until a reassessment (brief §3.2a, §6)."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    per_side: bool = False
    when: Condition
    text: str  # the reason shown with the plan; may use {sides}
    without: list[str]  # exercise ids left out


class Catalogue(Strict):
    sessions_per_week: int = Field(ge=1, le=7)
    sessions_note: str
    phases: dict[Phase, PhaseInfo]
    hip_exercises: list[str]  # from build on, every plan has at least one of them (the first is added if none)
    hip_exercise_why: str
    first_weeks_at_level_1: list[str]  # level 2 only after two logged weeks with them, pain in the green zone
    dose_limits: list[DoseLimit] = []
    exercises: list[Exercise]

    @model_validator(mode="after")
    def _unique(self) -> Catalogue:
        ids = [e.id for e in self.exercises]
        if len(set(ids)) != len(ids):
            raise ValueError("exercise ids must be unique")
        named = [*self.hip_exercises, *self.first_weeks_at_level_1,
                 *(x for limit in self.dose_limits for x in limit.without)]
        unknown = sorted({x for x in named if x not in ids})
        if unknown:
            raise ValueError(f"unknown exercise id(s): {', '.join(unknown)}")
        if not self.hip_exercises:
            raise ValueError("hip_exercises: name at least one exercise")
        return self

    def get(self, exercise_id: str) -> Exercise:
        return next(e for e in self.exercises if e.id == exercise_id)


# --------------------------------------------------------------------------------------------------
# Clinic settings
# --------------------------------------------------------------------------------------------------


READABLE = 4.5  # WCAG 2 AA contrast for body text


def contrast_ratio(a: str, b: str) -> float:
    """WCAG 2 contrast ratio of two #rrggbb colours (1 to 21)."""

    def luminance(colour: str) -> float:
        channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


class Colours(Strict):
    primary: str = Field(pattern=r"^#[0-9a-fA-F]{6}$")
    background: str = Field(pattern=r"^#[0-9a-fA-F]{6}$")
    text: str = Field(pattern=r"^#[0-9a-fA-F]{6}$")

    @model_validator(mode="after")
    def _readable(self) -> Colours:
        """Text on the background, and the primary colour (links, the chosen tab, white button labels on it), must be
        readable: a runner in daylight on a phone, a visitor at an event tablet."""
        pairs = [("text", self.text, "the background", self.background),
                 ("primary", self.primary, "the background", self.background),
                 ("primary", self.primary, "white button text", "#ffffff")]
        for field, colour, against, other in pairs:
            ratio = contrast_ratio(colour, other)
            if ratio < READABLE:
                raise ValueError(f"{field} {colour} on {against} ({other}) has a contrast of {ratio:.1f}:1; "
                                 f"at least {READABLE}:1 is needed to be readable (WCAG AA)")
        return self


class Number(Strict):
    """A number to call, shown as a tap-to-call button (``tel:``)."""

    label: str = Field(min_length=1, max_length=60)
    tel: str = Field(pattern=r"^\+?[0-9]{2,15}$")


class Numbers(Strict):
    """The emergency and urgent-advice numbers of the clinic's region (UK defaults: 999 and NHS 111)."""

    emergency: Number = Number(label="999 (emergency)", tel="999")
    urgent_advice: Number = Number(label="NHS 111 (urgent medical advice)", tel="111")


class Clinic(Strict):
    name: str = Field(min_length=1)
    numbers: Numbers = Numbers()
    tagline: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""
    booking_url: str = ""
    website: str = ""
    logo: str = ""  # path relative to the config file, or empty
    colours: Colours

    @field_validator("booking_url", "website")
    @classmethod
    def _url(cls, v: str) -> str:
        if v and not v.startswith(("https://", "http://")):
            raise ValueError("must start with https:// or http://")
        return v

    @property
    def has_contact(self) -> bool:
        return bool(self.phone or self.email or self.booking_url)


# --------------------------------------------------------------------------------------------------
# Safety advice and secondary flags (data/safety.yaml; brief §2, §3.2a, §10)
# --------------------------------------------------------------------------------------------------

CallKey = Literal["emergency", "urgent_advice", "clinic"]
PLACEHOLDERS = ("{emergency}", "{urgent_advice}")


class LevelAdvice(Strict):
    title: str = Field(min_length=1)
    what_to_do: str = Field(min_length=1)  # may name {emergency} and {urgent_advice}: the region's numbers
    by_when: str = Field(min_length=1)
    call: list[CallKey]
    disclaimer: str = Field(min_length=1)

    @field_validator("what_to_do", "by_when")
    @classmethod
    def _placeholders(cls, v: str) -> str:
        import re

        for name in re.findall(r"\{[^}]*\}", v):
            if name not in PLACEHOLDERS:
                raise ValueError(f"unknown placeholder {name}; use {' or '.join(PLACEHOLDERS)}")
        return v


class SecondaryFlag(Strict):
    """A flag raised by an answer outside the safety screen (ids start with ``xf_``)."""

    id: str = Field(pattern=r"^xf_[a-z0-9_]+$")
    triage: Literal["see_clinician", "see_clinician_soon", "urgent"]
    label: str = Field(min_length=1)
    advice: str | None = None
    when: Condition


class SelfTestsNotAsked(Strict):
    after: list[str]  # flag ids (rf_ or xf_)
    sections: list[str]  # self-test section ids
    answers: list[str]  # answer ids without the side, ignored if given anyway
    reason: str = Field(min_length=1)


class SafetyBook(Strict):
    levels: dict[Triage, LevelAdvice]
    secondary_flags: list[SecondaryFlag]
    self_tests_not_asked: SelfTestsNotAsked

    @model_validator(mode="after")
    def _complete(self) -> SafetyBook:
        missing = [lv for lv in TRIAGE_LEVELS if lv not in self.levels]
        if missing:
            raise ValueError(f"levels: advice missing for {', '.join(missing)}")
        ids = [f.id for f in self.secondary_flags]
        if len(set(ids)) != len(ids):
            raise ValueError("secondary flag ids must be unique")
        return self


# --------------------------------------------------------------------------------------------------
# Loading
# --------------------------------------------------------------------------------------------------


def _place(loc: tuple[int | str, ...], raw: Any) -> str:
    """Where in the file: the path into it, with the ids of items that have one."""
    parts: list[str] = []
    node = raw
    for part in loc:
        if isinstance(part, int) and isinstance(node, list) and part < len(node):
            node = node[part]
            ident = node.get("id") if isinstance(node, dict) else None
            parts.append(f"[{part}]" + (f" (id={ident})" if ident else ""))
        else:
            node = node.get(part) if isinstance(node, dict) else None
            # pydantic adds union member names ("Compare") to the location: skip those
            if isinstance(part, str) and part[:1].isupper():
                continue
            parts.append(f".{part}" if parts else str(part))
    return "".join(parts) or "(top level)"


def _describe(err: ValidationError, raw: Any) -> list[str]:
    """One line per problem: the path into the file with ids where items have one."""
    return [str(p) for p in problems_from(err, where=lambda e: _place(e["loc"], raw))]


# libyaml's parser where PyYAML was built with it: the same documents, read about ten times faster than by the
# pure-Python SafeLoader (every start of the app, every test that loads a changed copy of the content)
_YAML_LOADER: type[yaml.SafeLoader] | type[yaml.CSafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _yaml(text: str) -> Any:
    try:
        return yaml.load(text, Loader=_YAML_LOADER)
    except yaml.YAMLError:  # a broken file: the pure-Python parser's message quotes the line, a caret under the fault
        return yaml.safe_load(text)


def _read(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise ContentError(f"{path}: file not found") from exc
    try:
        if path.suffix == ".toml":
            return tomllib.loads(text)
        return _yaml(text)
    except (yaml.YAMLError, tomllib.TOMLDecodeError) as exc:
        raise ContentError(f"{path}: not valid {path.suffix[1:].upper()}: {exc}") from exc


M = TypeVar("M", bound=BaseModel)


def load_model(model: type[M], path: Path) -> M:
    raw = _read(path)
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        problems = "\n  ".join(_describe(exc, raw))
        raise ContentError(f"{path}: invalid content\n  {problems}") from exc


def data_dir() -> Path:
    """The content folder (setting KNEEASSESS_DATA_DIR). The files are read once per process (tests that point
    the settings at another folder call :func:`reload`)."""
    return current().data_dir


def clinic_path() -> Path:
    return current().clinic_path


@cache
def questionnaire() -> Questionnaire:
    return load_model(Questionnaire, data_dir() / "questionnaire.yaml")


@cache
def rulebook() -> RuleBook:
    book: RuleBook = load_model(RuleBook, data_dir() / "rules.yaml")
    known = {aid for q in questionnaire().questions for aid in q.answer_ids} | {
        q.id for q in questionnaire().questions
    }
    for rule in book.rules:
        for name in _answers_named(rule.when):
            if name.replace("{side}", "left") not in known and name not in known:
                raise ContentError(
                    f"{data_dir() / 'rules.yaml'}: rule '{rule.id}' refers to unknown answer '{name}'"
                )
    return book


def _answers_named(cond: Any) -> list[str]:
    if isinstance(cond, Compare):
        return [cond.answer]
    if isinstance(cond, Asymmetry):
        return [f"{cond.asymmetry}_left"]
    return [n for c in (cond.all if isinstance(cond, AllOf) else cond.any) for n in _answers_named(c)]


@cache
def catalogue() -> Catalogue:
    cat: Catalogue = load_model(Catalogue, data_dir() / "exercises.yaml")
    known = {aid for q in questionnaire().questions for aid in q.answer_ids}
    for limit in cat.dose_limits:
        for name in _answers_named(limit.when):
            if name.replace("{side}", "left") not in known:
                raise ContentError(
                    f"{data_dir() / 'exercises.yaml'}: dose_limits (id={limit.id}).when refers to unknown answer "
                    f"'{name}'"
                )
    return cat


@cache
def clinic() -> Clinic:
    return load_model(Clinic, clinic_path())


@cache
def safety_book() -> SafetyBook:
    path = data_dir() / "safety.yaml"
    book: SafetyBook = load_model(SafetyBook, path)
    qn = questionnaire()
    known = {aid for q in qn.questions for aid in q.answer_ids} | {q.id for q in qn.questions}
    for flag in book.secondary_flags:
        for name in _answers_named(flag.when):
            if name not in known:
                raise ContentError(f"{path}: secondary_flags (id={flag.id}).when refers to unknown answer '{name}'")
    flag_ids = {q.id for q in qn.step("safety").questions} | {f.id for f in book.secondary_flags}
    skip = book.self_tests_not_asked
    for fid in skip.after:
        if fid not in flag_ids:
            raise ContentError(f"{path}: self_tests_not_asked.after names unknown flag '{fid}'")
    sections = {sec.id for sec in qn.step("self_tests").sections}
    for sid in skip.sections:
        if sid not in sections:
            raise ContentError(f"{path}: self_tests_not_asked.sections names unknown self-test '{sid}'")
    for aid in skip.answers:
        if aid not in known:
            raise ContentError(f"{path}: self_tests_not_asked.answers names unknown answer '{aid}'")
    return book


def reload() -> None:
    """Forget the files read so far: the next use reads them again (from the settings' data folder)."""
    for loader in (questionnaire, rulebook, catalogue, clinic, safety_book):
        loader.cache_clear()


def load_all() -> None:
    """Load every content file once, so a broken file stops the app at start with its message."""
    questionnaire()
    rulebook()
    catalogue()
    clinic()
    safety_book()
