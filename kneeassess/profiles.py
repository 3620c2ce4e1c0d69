"""Profiles without passwords: a private link holds a random token; only its hash is stored."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import secrets
import zipfile
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import segno

from kneeassess.models import Assessment
from kneeassess.records import AssessmentKind, CheckIn, ExerciseSession, Profile, Record, Run, SavedAssessment, Unit
from kneeassess.storage import AppStore, Store

TOKEN_BYTES = 24  # 192 random bits
TOKEN_PATTERN = re.compile(r"^[A-Za-z0-9_-]{32}$")
KINDS: dict[str, type[Record]] = {
    "runs": Run, "checkins": CheckIn, "exercise_sessions": ExerciseSession, "assessments": SavedAssessment,
}


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def token_hash(token: str) -> str:
    """SHA-256 is enough for a 192-bit random token (no dictionary to guess from); compared by index lookup."""
    return hashlib.sha256(token.encode()).hexdigest()


def looks_like_token(token: str | None) -> bool:
    return bool(token) and bool(TOKEN_PATTERN.match(token or ""))


def profile_link(base_url: str, token: str) -> str:
    return f"{base_url.rstrip('/')}/?p={token}"


def save_results(
    store: AppStore, answers: dict[str, Any], assessment: Assessment, *, unit: Unit = "km",
    event: str | None = None, profile: Profile | None = None, kind: AssessmentKind = "screening",
    screening_id: int | None = None,
) -> tuple[Profile, str | None]:
    """Save an assessment: to ``profile`` when one is open, else to a new profile whose token is returned.

    ``screening_id``: the counted screening (:func:`kneeassess.events.record_screening`) these results come from,
    marked as taken home. One transaction: the new profile, the assessment and the mark are saved together or not
    at all (never a profile whose token was lost)."""
    token = None
    with store.transaction():
        if profile is None:
            token = new_token()
            profile = store.create_profile(token_hash(token), unit=unit, event=event)
        store.add(SavedAssessment(
            profile_id=profile.id, created_at=datetime.now(UTC), kind=kind, answers=answers,
            result=assessment.model_dump(mode="json"),
        ))
        if screening_id is not None:
            store.set_screening_took_home(screening_id, True)
    return profile, token


def record_clinician_check(store: Store, profile: Profile, day: date) -> None:
    """The runner records that a clinician has checked the knee (brief §2): resolves a see_clinician flag raised on
    or before ``day``. The date is kept and shown in the data export."""
    if day > date.today():
        raise ValueError("the date of the clinician's check cannot be in the future")
    store.set_clinician_checked(profile.id, day)


def open_profile(store: Store, token: str | None) -> Profile | None:
    if token is None or not looks_like_token(token):
        return None
    return store.profile_by_token_hash(token_hash(token))


@dataclass(frozen=True)
class ProfileRecords:
    """Everything logged in a profile, oldest first, read at (or after) ``revision``: what the log and progress
    pages draw from. Shared between the sessions that have the profile open: read it, never change it."""

    revision: int
    assessments: list[SavedAssessment]
    checkins: list[CheckIn]
    runs: list[Run]
    sessions: list[ExerciseSession]


def load_records(store: Store, profile: Profile) -> ProfileRecords:
    return ProfileRecords(
        revision=profile.revision,
        assessments=store.list_records(SavedAssessment, profile.id),
        checkins=store.list_records(CheckIn, profile.id),
        runs=store.list_records(Run, profile.id),
        sessions=store.list_records(ExerciseSession, profile.id),
    )


def delete_profile(store: Store, profile: Profile) -> int:
    """Delete the profile, everything in it and the consultation requests sent from it: how many of those."""
    return store.delete_profile(profile.id)


def qr_svg(link: str) -> str:
    """The profile link as a QR code (SVG), large modules for a phone camera."""
    buf = io.BytesIO()
    segno.make(link, error="m").save(buf, kind="svg", scale=8, border=2, dark="#111111", light="#ffffff")
    return buf.getvalue().decode()


def qr_png(link: str) -> bytes:
    buf = io.BytesIO()
    segno.make(link, error="m").save(buf, kind="png", scale=10, border=2)
    return buf.getvalue()


def export_json(store: Store, profile: Profile) -> str:
    data: dict[str, Any] = {"profile": profile.model_dump(mode="json", exclude={"revision"})}
    for name, kind in KINDS.items():
        data[name] = [r.model_dump(mode="json", exclude={"profile_id"}) for r in store.list_records(kind, profile.id)]
    return json.dumps(data, indent=2, ensure_ascii=False)


def safe_cell(value: Any) -> Any:
    """Neutralise spreadsheet formulas: a cell starting with = + - @, tab or CR is prefixed with a quote."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def export_csv_zip(store: Store, profile: Profile) -> bytes:
    """One CSV per kind of record, in a ZIP."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        text = io.StringIO()
        row = profile.model_dump(mode="json", exclude={"revision"})
        writer = csv.DictWriter(text, fieldnames=list(row))
        writer.writeheader()
        writer.writerow({k: safe_cell(json.dumps(v) if isinstance(v, dict | list) else v) for k, v in row.items()})
        zf.writestr("profile.csv", text.getvalue())
        for name, kind in KINDS.items():
            rows = [r.model_dump(mode="json", exclude={"profile_id"}) for r in store.list_records(kind, profile.id)]
            fields = [f for f in kind.model_fields if f != "profile_id"]
            text = io.StringIO()
            writer = csv.DictWriter(text, fieldnames=fields)
            writer.writeheader()
            for row in rows:
                writer.writerow({k: safe_cell(json.dumps(v) if isinstance(v, dict | list) else v)
                                 for k, v in row.items()})
            zf.writestr(f"{name}.csv", text.getvalue())
    return out.getvalue()
