"""The open profile of this browser tab: from the private link (?p=TOKEN) or from saving results."""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any
from urllib.parse import urlsplit

import streamlit as st

from kneeassess import profiles
from kneeassess.records import Profile
from kneeassess.storage import AppStore, StorageError, open_store
from kneeassess.ui.config import settings

TOKEN_KEY = "kneeassess_token"


DATABASE_DOWN = ("The database cannot be reached right now, so this page cannot be shown. Nothing you saved is "
                 "lost: please try again in a moment (this page tries again by itself).")


@st.cache_resource(show_spinner=False)
def store() -> AppStore:
    """One store (engine and connection pool) per process. When the database cannot be reached nothing is cached,
    so the next rerun tries again (the failure is logged once a minute by the store, without a traceback)."""
    return open_store(settings=settings())


def run_page(page: Any) -> None:
    """Run the navigation's page; a database that went away shows a clear message instead of Streamlit's error,
    and the page recovers on a later rerun once the database is back."""
    try:
        page.run()
    except StorageError:
        st.error(DATABASE_DOWN, icon=":material/cloud_off:")



@st.cache_resource(show_spinner=False)
def delivery_worker() -> object:
    """Start this process's delivery thread once, with the settings' delivery channels (environment + secrets)."""
    from kneeassess import outbox

    s = settings()
    if not s.delivery_worker:
        return None  # delivery left to `python -m kneeassess deliver` (and to tests that start their own)
    shared = store()
    worker = outbox.start_worker(shared, config=s.delivery)
    from kneeassess import reminders
    from kneeassess.storage.sql import SqlStore

    if isinstance(shared, SqlStore):  # follow-up reminders to runners who asked, through their own outbox
        reminders.start_worker(shared, base_url())
    return worker


RECORDS_KEPT = 32  # profiles whose records stay in memory (the most recently used)


@st.cache_resource(show_spinner=False)
def _records_cache() -> tuple[threading.Lock, OrderedDict[str, profiles.ProfileRecords]]:
    return threading.Lock(), OrderedDict()


def records(profile: Profile) -> profiles.ProfileRecords:
    """The profile's records at its current revision, read once and shared by the sessions that have it open: a
    rerun that changed nothing reads nothing, and any write raises the revision. One copy per profile (an older
    revision's is replaced), for the ``RECORDS_KEPT`` profiles used last."""
    lock, kept = _records_cache()
    with lock:
        found = kept.get(profile.id)
        if found is not None and found.revision >= profile.revision:
            kept.move_to_end(profile.id)
            return found
    loaded = profiles.load_records(store(), profile)  # outside the lock: one slow read does not hold up others
    with lock:
        newer = kept.get(profile.id)
        if newer is None or newer.revision < loaded.revision:  # a slower, older read never replaces a newer one
            kept[profile.id] = loaded
        kept.move_to_end(profile.id)
        while len(kept) > RECORDS_KEPT:
            kept.popitem(last=False)
    return loaded


def drop_records(profile_id: str) -> None:
    """After the profile was deleted: its records leave this process's memory too (the cached pages keyed by its
    id can no longer be reached and expire within 15 minutes)."""
    lock, kept = _records_cache()
    with lock:
        kept.pop(profile_id, None)


def save_unit(profile: Profile) -> None:
    """The unit control's callback: km or miles for this profile, before the change's one run."""
    unit = st.session_state.get("profile_unit")
    if unit in ("km", "mi") and unit != profile.unit:
        store().set_unit(profile.id, unit)


def base_url() -> str:
    configured = settings().public_url
    if configured:
        return configured
    url = st.context.url or "http://localhost:8501"
    parts = urlsplit(url)
    base = st.get_option("server.baseUrlPath").strip("/")
    return f"{parts.scheme}://{parts.netloc}/{base}".rstrip("/")


def remember(token: str) -> None:
    st.session_state[TOKEN_KEY] = token
    st.query_params["p"] = token


def forget() -> None:
    st.session_state.pop(TOKEN_KEY, None)
    st.query_params.pop("p", None)


def current_profile() -> Profile | None:
    """The profile this tab has open, or None. A link that opens nothing says so once and is dropped."""
    from_url = st.query_params.get("p")
    token = from_url or st.session_state.get(TOKEN_KEY)
    if not token:
        return None
    try:
        profile = profiles.open_profile(store(), token)
    except StorageError:
        st.error("We cannot reach your saved profile right now. Please try again in a minute.")
        return None
    if profile is None:
        forget()
        st.warning(
            "That private link does not open a profile. It may have been mistyped or the profile was deleted.",
            icon=":material/link_off:",
        )
        return None
    remember(token)
    return profile


def token() -> str | None:
    return st.session_state.get(TOKEN_KEY)


def link() -> str | None:
    t = token()
    return profiles.profile_link(base_url(), t) if t else None
