"""Free-consultation requests: validated, rate-limited, stored with their delivery in one transaction, never lost.

    request = submit_request(store, {"name": ..., "email": ..., "consent_contact": True, ...}, session_key)

:func:`submit_request` returns only after the request and one outbox row per delivery channel are committed
together (so "thank you" may be shown); :mod:`kneeassess.outbox` then forwards it to the clinic with retries.

Errors a person may see (all :class:`LeadError`, messages in plain English):

- :class:`LeadProblems` — ``problems`` maps a field to what is wrong with it. A missing contact (neither email nor
  phone) is reported on both ``email`` and ``phone``.
- :class:`Rejected` — the hidden honeypot field was filled in (a bot). The message says nothing about why.
- :class:`RateLimited` — too many requests from this browser session (per hour) or for this email / phone (per
  day). Checked before storing; the message asks the person to call the clinic instead, so no genuine request
  disappears silently.

Storage failures are :class:`kneeassess.storage.StorageError` (nothing stored; the form should say so and keep the
person's input).

Settings (:mod:`kneeassess.settings`, from environment variables):

- ``KNEEASSESS_PHONE_REGION``: region for phone numbers written without a country code (default ``GB``).
- ``KNEEASSESS_REQUESTS_PER_SESSION_HOUR`` (default 3), ``KNEEASSESS_REQUESTS_PER_CONTACT_DAY`` (default 3).

Staff console: :func:`list_requests`, :func:`get_request`, :func:`set_status`, :func:`add_note`,
:func:`delivery_history`, :func:`status_history`, :func:`work_queue`, :func:`export_csv`, :func:`erase_person`.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo
from typing import Any

import phonenumbers
from email_validator import EmailNotValidError, validate_email
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import ErrorDetails, PydanticCustomError

from kneeassess.errors import FieldProblems, Problem, first_field, problems_from
from kneeassess.events import valid_slug
from kneeassess.plaintext import has_breaking, multi_line, one_line
from kneeassess.records import AuditEntry, OutboxItem, Request, StaffNote, StatusChange
from kneeassess.settings import Settings, current
from kneeassess.storage import LeadStore, LimitReached, NotFound, RateCheck

NAME_MAX = 100
TIME_MAX = 200
MESSAGE_MAX = 1000
NOTE_MAX = 2000
ASSESSMENT_MAX_CHARS = 100_000  # the JSON summary of one assessment is a few kB
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
PROFILE_ID = re.compile(r"^[0-9a-f]{32}$")

STATUSES = ("new", "contacted", "booked", "attended", "not_booked")
TRANSITIONS: dict[str, frozenset[str]] = {
    "new": frozenset({"contacted", "booked", "not_booked"}),
    "contacted": frozenset({"new", "booked", "not_booked"}),
    "booked": frozenset({"contacted", "attended", "not_booked"}),
    "attended": frozenset({"booked"}),  # a slip corrected
    "not_booked": frozenset({"contacted", "booked"}),  # reopened
}
STATUS_LABELS = {"new": "New", "contacted": "Contacted", "booked": "Booked", "attended": "Attended",
                 "not_booked": "Not booked"}
NOT_BOOKED_REASONS = {
    "no_reply": "Did not reply", "not_needed": "No longer needed", "went_elsewhere": "Went elsewhere",
    "cost": "Cost", "times": "No time that suits", "no_show": "Booked but did not come", "other": "Other",
}

CONSENT_MESSAGE = "Please tick the box to let the clinic contact you: they need it to reply to your request."
CONTACT_MESSAGE = "Please give an email address or a phone number (or both) so the clinic can reach you."
PHONE_MESSAGE = ("That phone number does not look right. Please check it, and start with + and the country code "
                 "if it is not a local number.")
FALLBACK_MESSAGES = {
    "name": "Please enter your name.",
    "email": "Please check the email address.",
    "phone": PHONE_MESSAGE,
    "preferred_days": "Please choose days from Monday to Sunday.",
    "preferred_time": f"Please describe the times that suit you in up to {TIME_MAX} characters.",
    "message": f"Please keep your message to {MESSAGE_MAX} characters or fewer.",
    "consent_contact": CONSENT_MESSAGE,
    "consent_marketing": "Please tick or untick the box about news from the clinic.",
    "consent_assessment": "Please tick or untick the box about sending your results.",
    "assessment": "Your results could not be attached. Untick 'send my results' and try again.",
}


# --------------------------------------------------------------------------------------------------
# Errors
# --------------------------------------------------------------------------------------------------


class LeadError(Exception):
    """An error whose message may be shown to the person as it is."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class LeadProblems(FieldProblems, LeadError):
    """The form has problems: ``problems`` maps each field to a message for the person."""

    def __init__(self, problems: dict[str, str]) -> None:
        FieldProblems.__init__(self, problems)
        self.message = str(self)


class Rejected(LeadError):
    """Refused without saying why (the honeypot field was filled in: a bot)."""

    def __init__(self, message: str = "") -> None:
        super().__init__(message or "Sorry, this request could not be sent. Please contact the clinic directly.")


class RateLimited(LeadError):
    """Too many requests from this browser session or for this email / phone. Nothing was stored."""

    def __init__(self, message: str, kind: str) -> None:
        super().__init__(message)
        self.kind = kind


class InvalidStatus(LeadError, ValueError):
    """An unknown status, or a change of status the workflow does not allow."""


# --------------------------------------------------------------------------------------------------
# The form, validated on the server
# --------------------------------------------------------------------------------------------------


def phone_region() -> str:
    return current().phone_region


def _problem(message: str, kind: str = "lead") -> PydanticCustomError:
    return PydanticCustomError(kind, "{message}", {"message": message})


def _text(value: Any) -> str | None:
    """A string with surrounding whitespace removed; None for a non-string."""
    return value.strip() if isinstance(value, str) else None


def normalise_phone(value: str, region: str | None = None) -> str | None:
    """The number in E.164 (``+447400123456``), or None when it is not a valid number."""
    try:
        number = phonenumbers.parse(value, region or phone_region())
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


class RequestIn(BaseModel):
    """A consultation request as the form sends it. Every check runs here, on the server."""

    model_config = ConfigDict(extra="forbid")

    name: str
    email: str | None = Field(default=None, validate_default=True)
    phone: str | None = Field(default=None, validate_default=True)  # stored in E.164
    preferred_days: list[str] = []
    preferred_time: str = ""
    message: str = ""
    consent_contact: bool = Field(default=False, validate_default=True)  # must be True
    consent_marketing: bool = False
    consent_assessment: bool = False
    assessment: dict[str, Any] | None = None  # the assessment's JSON summary; kept only with consent_assessment
    event: str | None = None  # from ?event=<slug>; a malformed slug is dropped, never an error for the person
    utm_source: str | None = None  # from the link the runner came by; malformed values are dropped, likewise
    utm_medium: str | None = None
    utm_campaign: str | None = None
    honeypot: str = ""  # a hidden field people never see: filled in → Rejected
    profile_id: str | None = None

    @field_validator("name", mode="before")
    @classmethod
    def _name(cls, v: Any) -> str:
        text = _text(v)
        if not text:
            raise _problem("Please enter your name.")
        if len(text) > NAME_MAX:
            raise _problem(f"Please shorten your name to {NAME_MAX} characters or fewer.")
        if has_breaking(text):  # NEL, U+2028 and U+2029 break lines too (in email headers, CSV, logs)
            raise _problem("Please write your name on one line, without special characters.")
        return text

    @field_validator("email", mode="before")
    @classmethod
    def _email(cls, v: Any) -> str | None:
        if v is None or (isinstance(v, str) and not v.strip()):
            return None
        text = _text(v)
        if text is None:
            raise _problem(FALLBACK_MESSAGES["email"])
        try:
            return validate_email(text, check_deliverability=False).normalized
        except EmailNotValidError as e:
            raise _problem(f"That email address does not look right: {e}") from None

    @field_validator("phone", mode="before")
    @classmethod
    def _phone(cls, v: Any) -> str | None:
        if v is None or (isinstance(v, str) and not v.strip()):
            return None
        text = _text(v)
        if text is None or len(text) > 40:
            raise _problem(PHONE_MESSAGE)
        e164 = normalise_phone(text)
        if e164 is None:
            raise _problem(PHONE_MESSAGE)
        return e164

    @field_validator("phone", mode="after")
    @classmethod
    def _email_or_phone(cls, v: str | None, info: ValidationInfo) -> str | None:
        # "email" is missing from info.data when it failed its own check: that problem is reported already
        if v is None and "email" in info.data and info.data["email"] is None:
            raise _problem(CONTACT_MESSAGE, "lead_contact")
        return v

    @field_validator("preferred_days", mode="before")
    @classmethod
    def _days(cls, v: Any) -> list[str]:
        if v is None:
            return []
        if isinstance(v, str):
            v = [v]
        if not isinstance(v, list | tuple | set | frozenset):
            raise _problem(FALLBACK_MESSAGES["preferred_days"])
        by_name = {d.lower(): d for d in DAYS} | {d[:3].lower(): d for d in DAYS}
        chosen = set()
        for item in v:
            day = by_name.get(item.strip().lower()) if isinstance(item, str) else None
            if day is None:
                raise _problem(FALLBACK_MESSAGES["preferred_days"])
            chosen.add(day)
        return [d for d in DAYS if d in chosen]

    @field_validator("preferred_time", mode="before")
    @classmethod
    def _time(cls, v: Any) -> str:
        if v is None:
            return ""
        text = _text(v)
        if text is None:
            raise _problem(FALLBACK_MESSAGES["preferred_time"])
        text = one_line(text)
        if len(text) > TIME_MAX:
            raise _problem(f"Please keep the times that suit you to {TIME_MAX} characters or fewer.")
        return text

    @field_validator("message", mode="before")
    @classmethod
    def _message(cls, v: Any) -> str:
        if v is None:
            return ""
        text = _text(v)
        if text is None:
            raise _problem(FALLBACK_MESSAGES["message"])
        text = multi_line(text)
        if len(text) > MESSAGE_MAX:
            raise _problem(f"Please shorten your message to {MESSAGE_MAX} characters or fewer "
                           f"(it has {len(text)}).")
        return text

    @field_validator("consent_contact", mode="before")
    @classmethod
    def _consent(cls, v: Any) -> bool:
        if v is not True:
            raise _problem(CONSENT_MESSAGE)
        return True

    @field_validator("event", mode="before")
    @classmethod
    def _event(cls, v: Any) -> str | None:
        return v if valid_slug(v) else None

    @field_validator("utm_source", "utm_medium", "utm_campaign", mode="before")
    @classmethod
    def _utm(cls, v: Any) -> str | None:
        from kneeassess.growth import clean_utm

        return clean_utm(v)

    @field_validator("profile_id", mode="before")
    @classmethod
    def _profile(cls, v: Any) -> str | None:
        return v if isinstance(v, str) and PROFILE_ID.match(v) else None

    @field_validator("honeypot", mode="before")
    @classmethod
    def _honeypot(cls, v: Any) -> str:
        return "" if v is None else str(v)

    @field_validator("assessment", mode="after")
    @classmethod
    def _assessment(cls, v: dict[str, Any] | None) -> dict[str, Any] | None:
        if v is None:
            return None
        try:
            size = len(json.dumps(v))
        except (TypeError, ValueError):
            raise _problem(FALLBACK_MESSAGES["assessment"]) from None
        if size > ASSESSMENT_MAX_CHARS:
            raise _problem(FALLBACK_MESSAGES["assessment"])
        return v

    @model_validator(mode="after")
    def _only_with_consent(self) -> RequestIn:
        if not self.consent_assessment and self.assessment is not None:
            self.assessment = None
        return self


def _message(e: ErrorDetails) -> str:
    if e["type"] in ("lead", "lead_contact"):  # our own words (raised by the validators above)
        return e["msg"]
    if e["type"] == "extra_forbidden":
        return "This is not a field of the request form."
    return FALLBACK_MESSAGES.get(first_field(e), "Please check this field.")


def problems_of(error: ValidationError) -> dict[str, str]:
    """One message for a person per field (the first problem of each). A missing contact is told on both email
    and phone."""
    found = []
    for p in problems_from(error, message=_message):
        found += [Problem("email", p.message), Problem("phone", p.message)] if p.kind == "lead_contact" else [p]
    return FieldProblems.of(found)


def parse_request(data: Mapping[str, Any] | RequestIn) -> RequestIn:
    """Validate the form: :class:`Rejected` for a filled-in honeypot, :class:`LeadProblems` per field."""
    if isinstance(data, RequestIn):
        if data.honeypot:
            raise Rejected()
        return data
    if data.get("honeypot") not in (None, ""):
        raise Rejected()
    try:
        return RequestIn.model_validate(dict(data))
    except ValidationError as e:
        raise LeadProblems(problems_of(e)) from None


# --------------------------------------------------------------------------------------------------
# Submitting: rate limits, then request + outbox in one transaction
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Limits:
    per_session_hour: int = 3
    per_contact_day: int = 3  # the same email (``+tags`` and, at Gmail, dots ignored) or phone number
    per_address_hour: int = 10  # one client address (a reload or a new session keeps it; an event's Wi-Fi shares it)
    per_hour: int = 60  # everyone together: a flood from many addresses stops here

    @classmethod
    def from_settings(cls, settings: Settings | None = None) -> Limits:
        s = settings or current()
        return cls(s.requests_per_session_hour, s.requests_per_contact_day, s.requests_per_address_hour,
                   s.requests_per_hour)


GMAIL_LIKE = {"gmail.com", "googlemail.com"}


def mailbox_key(email: str) -> str:
    """One key per mailbox: ``Ann+x@Example.org`` and ``ann@example.org`` count together (``+tags`` reach the same
    inbox almost everywhere), and at Gmail ``a.n.n@gmail.com`` too (dots are ignored there)."""
    local, _, domain = email.casefold().rpartition("@")
    local = local.split("+", 1)[0]
    if domain in GMAIL_LIKE:
        local, domain = local.replace(".", ""), "gmail.com"
    return f"{local}@{domain}"


def rate_key(kind: str, value: str) -> str:
    """SHA-256 of what is counted (a session key, an email, a phone number): the rate table keeps no contact."""
    return hashlib.sha256(f"kneeassess:{kind}:{value}".encode()).hexdigest()


def _contact_keys(email: str | None, phone: str | None) -> list[str]:
    keys = []
    if email:
        keys.append(rate_key("email", mailbox_key(email)))
    if phone:
        keys.append(rate_key("phone", phone))
    return keys


def _call_the_clinic() -> str:
    try:
        from kneeassess.content import clinic

        c = clinic()
        phone, email = c.phone, c.email
    except Exception:  # the content files are checked at start; a message must not fail here
        phone = email = ""
    if phone:
        return f"please call the clinic on {phone}"
    if email:
        return f"please email the clinic at {email}"
    return "please phone or email the clinic directly"


def _limit_message(kind: str) -> str:
    if kind == "session":
        return ("We have received several requests from this browser in the last hour, so this one was not sent. "
                f"To make sure the clinic hears from you, {_call_the_clinic()}.")
    if kind == "address":
        return ("We have received several requests from this network in the last hour, so this one was not sent. "
                f"To make sure the clinic hears from you, {_call_the_clinic()}.")
    if kind == "global":
        return ("The clinic has received an unusual number of requests in the last hour, so this one was not sent "
                f"for now. To make sure the clinic hears from you, {_call_the_clinic()}.")
    return ("We have received several requests with this email address or phone number today, so this one was "
            f"not sent. To make sure the clinic hears from you, {_call_the_clinic()}.")


def submit_request(
    store: LeadStore, request_in: RequestIn | Mapping[str, Any], session_key: str, *,
    now: datetime | None = None, channels: Sequence[str] | None = None, limits: Limits | None = None,
    address: str | None = None,
) -> Request:
    """Validate, check the rate limits, and store the request with one outbox row per delivery channel in one
    transaction. Returns the stored request (with its id) only once that is committed.

    ``session_key``: a random id of the browser session (not personal data; only its hash is stored).
    ``address``: the client's address when known (:mod:`kneeassess.clients`; only its hash is stored).
    Limits (:class:`Limits`, configurable): per session, per contact, per address, and for everyone together.
    ``channels``: the delivery channels; default those configured (:attr:`Settings.delivery_channels`).
    With none configured the request is still stored and listed in the staff console, but not forwarded.
    """
    from kneeassess import outbox

    request_in = parse_request(request_in)
    if not session_key:
        raise ValueError("a session key is needed for the rate limit")
    now = now or datetime.now(UTC)
    limits = limits or Limits.from_settings()
    channels = current().delivery_channels if channels is None else list(channels)
    request = Request(
        created_at=now, updated_at=now, status="new",
        **request_in.model_dump(exclude={"honeypot"}),
    )
    checks = [RateCheck("session", rate_key("session", session_key), limits.per_session_hour, timedelta(hours=1))]
    checks += [RateCheck("contact", key, limits.per_contact_day, timedelta(days=1))
               for key in _contact_keys(request.email, request.phone)]
    if address:
        checks.append(RateCheck("address", rate_key("address", address), limits.per_address_hour, timedelta(hours=1)))
    checks.append(RateCheck("global", rate_key("global", "all"), limits.per_hour, timedelta(hours=1)))
    try:
        stored = store.add_request(request, channels, checks, now)
    except LimitReached as e:
        raise RateLimited(_limit_message(e.check.kind), e.check.kind) from None
    outbox.nudge()
    return stored


# --------------------------------------------------------------------------------------------------
# Staff console
# --------------------------------------------------------------------------------------------------


def _phone_digits(text: str) -> str | None:
    """The digits of a search term that looks like (part of) a phone number."""
    if re.fullmatch(r"[\d\s()+.\-/]+", text) and sum(c.isdigit() for c in text) >= 3:
        return re.sub(r"\D", "", text)
    return None


def _matches(request: Request, term: str) -> bool:
    needle = term.casefold()
    haystack = [request.name, request.email or "", request.phone or "", request.message]
    if any(needle in text.casefold() for text in haystack):
        return True
    digits = _phone_digits(term)
    if digits and request.phone:
        if digits in request.phone:
            return True
        return normalise_phone(term) == request.phone
    return False


def list_requests(
    store: LeadStore, status: str | None = None, event: str | None = None,
    since: datetime | None = None, until: datetime | None = None, search: str | None = None,
) -> list[Request]:
    """Newest first. ``since`` inclusive, ``until`` exclusive; ``search`` looks in name, email, phone (also as
    typed locally, e.g. ``07400 123456``) and message, ignoring case."""
    if status is not None and status not in STATUSES:
        raise InvalidStatus(f"Unknown status {status!r}.")
    found = store.list_requests(status=status, event=event, since=since, until=until)
    term = (search or "").strip()
    # searched here rather than in SQL: case-insensitive for every alphabet on both engines (SQLite's lower()
    # knows only ASCII); a clinic's requests are hundreds, not millions
    return [r for r in found if _matches(r, term)] if term else found


def get_request(store: LeadStore, request_id: int) -> Request:
    request = store.get_request(request_id)
    if request is None:
        raise NotFound(f"no request {request_id}")
    return request


def set_status(
    store: LeadStore, request_id: int, status: str, note: str, staff: str, *, reason: str | None = None,
    now: datetime | None = None,
) -> Request:
    """Move a request along new → contacted → booked → attended, or to not_booked with a ``reason`` (one of
    ``NOT_BOOKED_REASONS``; or back, see ``TRANSITIONS``), with a timestamped note. Each change of status is
    dated in the request's history (:meth:`LeadStore.status_history`). The same status again just adds the note.
    :class:`InvalidStatus` otherwise."""
    if status not in STATUSES:
        raise InvalidStatus(f"Unknown status {status!r}; use one of: {', '.join(STATUSES)}.")
    staff = (staff or "").strip()
    if not staff:
        raise ValueError("who made the change is needed")
    note = multi_line((note or "").strip())[:NOTE_MAX]
    at = now or datetime.now(UTC)

    def change(request: Request) -> Request:
        if status != request.status and status not in TRANSITIONS[request.status]:
            raise InvalidStatus(
                f"A request that is '{STATUS_LABELS[request.status]}' cannot become '{STATUS_LABELS[status]}'."
            )
        if status == request.status and not note:
            return request
        moved = status != request.status
        if moved and status == "not_booked" and reason not in NOT_BOOKED_REASONS:
            raise InvalidStatus("Please choose why the consultation was not booked.")
        text = note
        if moved and status == "not_booked" and reason:
            text = f"{NOT_BOOKED_REASONS[reason]}." + (f" {note}" if note else "")
        entry = StaffNote(at=at, staff=staff[:100], text=text,
                          status_from=request.status if moved else None, status_to=status if moved else None)
        return request.model_copy(update={
            "status": status, "updated_at": at, "notes": [*request.notes, entry],
            "not_booked_reason": (reason if status == "not_booked" else None) if moved else request.not_booked_reason,
        })

    return store.modify_request(request_id, change)


def add_note(store: LeadStore, request_id: int, note: str, staff: str, *, now: datetime | None = None) -> Request:
    return set_status(store, request_id, get_request(store, request_id).status, note, staff, now=now)


def deliveries_needing_attention(store: LeadStore) -> list[OutboxItem]:
    """Deliveries given up on (the same permanent failure several times): staff must forward these by hand."""
    return store.failed_deliveries()


def attention_message(failed: Sequence[OutboxItem]) -> str:
    ids = ", ".join(f"#{i}" for i in sorted({f.request_id for f in failed}))
    return (f"{len(failed)} deliveries to the clinic failed the same way repeatedly and are no longer retried "
            f"(requests {ids}). Open each request, read the reason under \"Delivery to the clinic\", and contact "
            "the person directly.")


def delivery_history(store: LeadStore, request_id: int) -> list[OutboxItem]:
    """Each channel's delivery of the request (status, attempts, next try) with every attempt in ``history``."""
    return store.outbox_for_request(request_id)


CSV_COLUMNS = [
    "Received", "Last change", "Status", "Reason not booked", "Name", "Email", "Phone", "Preferred days",
    "Preferred times", "Message", "May contact", "Marketing", "Assessment attached", "Triage", "Weak links",
    "Phase", "Kujala score", "Event", "Source", "Medium", "Campaign", "Notes",
]


def _local(at: datetime, tz: tzinfo | None) -> str:
    """A time as a spreadsheet reads it: local, to the minute (``2025-03-01 10:30``)."""
    return f"{at.astimezone(tz):%Y-%m-%d %H:%M}"


def assessment_facts(assessment: dict[str, Any] | None) -> dict[str, str]:
    """Triage, weak links (likely first), phase and Kujala score of an attached assessment, as words."""
    if not assessment:
        return {"Triage": "", "Weak links": "", "Phase": "", "Kujala score": ""}
    triage = str(assessment.get("triage") or "")
    links = assessment.get("weak_links") or []
    weak = ", ".join(
        f"{w.get('link')} {w.get('score')}/100 ({w.get('level')})" for w in links
        if isinstance(w, dict) and w.get("link")
    )
    akps = assessment.get("akps")
    return {"Triage": triage.replace("_", " "), "Weak links": weak, "Phase": str(assessment.get("phase") or ""),
            "Kujala score": "" if akps is None else f"{akps}/100"}


def _row(request: Request, tz: tzinfo | None) -> dict[str, Any]:
    def yes(value: bool) -> str:
        return "yes" if value else "no"

    notes = "\n".join(
        f"{_local(n.at, tz)} {n.staff}: "
        + (f"[{STATUS_LABELS.get(n.status_from or '', n.status_from)} → {STATUS_LABELS.get(n.status_to, n.status_to)}] "
           if n.status_to else "") + n.text
        for n in request.notes
    )
    return {
        "Received": _local(request.created_at, tz), "Last change": _local(request.updated_at, tz),
        "Status": STATUS_LABELS[request.status],
        "Reason not booked": NOT_BOOKED_REASONS.get(request.not_booked_reason or "", ""),
        "Name": request.name, "Email": request.email or "", "Phone": request.phone or "",
        "Preferred days": ", ".join(request.preferred_days), "Preferred times": request.preferred_time,
        "Message": request.message, "May contact": yes(request.consent_contact),
        "Marketing": yes(request.consent_marketing),
        "Assessment attached": yes(request.consent_assessment and request.assessment is not None),
        **assessment_facts(request.assessment if request.consent_assessment else None),
        "Event": request.event or "", "Source": request.utm_source or "", "Medium": request.utm_medium or "",
        "Campaign": request.utm_campaign or "", "Notes": notes,
    }


def export_csv(requests: Sequence[Request], tz: tzinfo | None = None) -> bytes:
    """The requests as a spreadsheet opens them: UTF-8 with a BOM, human column names and statuses, times local
    (``tz``; default this computer's zone) to the minute, no internal ids. Every text cell that a spreadsheet
    would run as a formula (starting with = + - @, tab or CR) gets a leading apostrophe."""
    from kneeassess.profiles import safe_cell

    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(CSV_COLUMNS)
    for request in requests:
        row = _row(request, tz)
        writer.writerow([safe_cell(row[column]) for column in CSV_COLUMNS])
    return text.getvalue().encode("utf-8-sig")


# --------------------------------------------------------------------------------------------------
# What needs doing now (the staff home)
# --------------------------------------------------------------------------------------------------

FOLLOW_UP_AFTER_WORKING_DAYS = 2


def working_days_between(start: datetime, end: datetime) -> float:
    """How much of Monday to Friday lies between two times (in days; weekends do not count)."""
    if end <= start:
        return 0.0
    total = 0.0
    day = datetime(start.year, start.month, start.day, tzinfo=start.tzinfo)
    while day < end:
        nxt = day + timedelta(days=1)
        if day.weekday() < 5:
            total += (min(nxt, end) - max(day, start)).total_seconds() / 86400
        day = nxt
    return total


@dataclass(frozen=True)
class WorkQueue:
    """The staff home's lists: each newest first."""

    new: list[Request]  # not yet contacted
    waiting: list[Request]  # new, for more than one working day
    follow_ups: list[Request]  # contacted, and nothing has happened for FOLLOW_UP_AFTER_WORKING_DAYS working days


def work_queue(store: LeadStore, *, now: datetime | None = None) -> WorkQueue:
    now = now or datetime.now(UTC)
    new = store.list_requests(status="new")
    contacted = store.list_requests(status="contacted")
    return WorkQueue(
        new=new,
        waiting=[r for r in new if working_days_between(r.created_at, now) > 1],
        follow_ups=[r for r in contacted
                    if working_days_between(r.updated_at, now) >= FOLLOW_UP_AFTER_WORKING_DAYS],
    )


def status_history(store: LeadStore, request_id: int) -> list[StatusChange]:
    """The request's dated steps, oldest first."""
    return store.status_history(request_id)


def _same_person(store: LeadStore, first: Request) -> dict[int | None, Request]:
    """The request and every request sharing an email or phone with it — and, in turn, with those."""
    found: dict[int | None, Request] = {first.id: first}
    emails: set[str] = set()
    phones: set[str] = set()
    todo = [first]
    while todo:
        request = todo.pop()
        email = request.email.casefold() if request.email and request.email.casefold() not in emails else None
        phone = request.phone if request.phone and request.phone not in phones else None
        if email:
            emails.add(email)
        if phone:
            phones.add(phone)
        for other in store.requests_by_contact(email, phone):
            if other.id not in found:
                found[other.id] = other
                todo.append(other)
    return found


def erase_person(store: LeadStore, request_id: int, staff: str, *, now: datetime | None = None) -> dict[str, int]:
    """Erase everything about the person who made this request: the request, every other request with the same
    email or phone (and, in turn, with the same email or phone as those), their outbox rows and delivery
    attempts, their rate-limit entries and the linked profiles (runs, check-ins, assessments...). Writes an audit
    entry with the counts only (no names, contacts or ids). Returns the counts.

    One transaction: everything is erased and audited, or (on a failure) nothing is.
    """
    staff = (staff or "").strip()
    if not staff:
        raise ValueError("who erases is needed for the audit log")
    with store.transaction():
        related = _same_person(store, get_request(store, request_id))
        profiles = sorted({r.profile_id for r in related.values() if r.profile_id})
        for profile_id in profiles:
            store.delete_profile(profile_id, with_requests=False)  # the requests: below, counted in the audit
        keys = sorted({key for r in related.values() for key in _contact_keys(r.email, r.phone)})
        reminders_gone: dict[str, int] = {}
        from kneeassess.storage.sql import SqlStore

        if isinstance(store, SqlStore):  # their reminders and consents go; a suppression entry (a hash) stays
            from kneeassess.reminders import erase_reminders

            reminders_gone = erase_reminders(store, profile_ids=profiles,
                                             emails=sorted({r.email for r in related.values() if r.email}), now=now)
        audit = AuditEntry(at=now or datetime.now(UTC), staff=staff[:100], action="erase",
                           details={"linked_profiles": len(profiles), **reminders_gone})
        counts = store.erase_requests([i for i in related if i is not None], keys, audit)
    return {**counts, "linked_profiles": len(profiles), **reminders_gone}
