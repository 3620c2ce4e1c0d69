"""The open profile of this browser tab: from the private link (?p=TOKEN) or from saving results."""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from typing import Any
from urllib.parse import urlsplit

import streamlit as st

from kneeassess import profiles
from kneeassess.records import Profile
from kneeassess.storage import AppStore, StorageError, open_store

TOKEN_KEY = "kneeassess_token"


DATABASE_DOWN = ("The database cannot be reached right now, so this page cannot be shown. Nothing you saved is "
                 "lost: please try again in a moment (this page tries again by itself).")


@st.cache_resource(show_spinner=False)
def store() -> AppStore:
    """One store (engine and connection pool) per process. When the database cannot be reached nothing is cached,
    so the next rerun tries again (the failure is logged once a minute by the store, without a traceback)."""
    return open_store()


def run_page(page: Any) -> None:
    """Run the navigation's page; a database that went away shows a clear message instead of Streamlit's error,
    and the page recovers on a later rerun once the database is back."""
    try:
        page.run()
    except StorageError:
        st.error(DATABASE_DOWN, icon=":material/cloud_off:")


DELIVERY_SECRETS = {  # secrets [delivery] key -> environment variable read by kneeassess.outbox
    "webhook_url": "KNEEASSESS_WEBHOOK_URL", "webhook_secret": "KNEEASSESS_WEBHOOK_SECRET",
    "smtp_host": "KNEEASSESS_SMTP_HOST", "smtp_port": "KNEEASSESS_SMTP_PORT", "smtp_user": "KNEEASSESS_SMTP_USER",
    "smtp_password": "KNEEASSESS_SMTP_PASSWORD", "smtp_from": "KNEEASSESS_SMTP_FROM", "smtp_to": "KNEEASSESS_SMTP_TO",
    "smtp_starttls": "KNEEASSESS_SMTP_STARTTLS",
}


@st.cache_resource(show_spinner=False)
def delivery_worker() -> object:
    """Map the ``[delivery]`` secrets to the outbox's settings and start this process's delivery thread once."""
    from kneeassess import outbox

    if os.environ.get("KNEEASSESS_DELIVERY_WORKER", "1") == "0":
        return None  # delivery left to `python -m kneeassess deliver` (and to tests that start their own)
    try:
        section = dict(st.secrets.get("delivery", {}))
    except Exception:  # no secrets file: settings come from the environment only
        section = {}
    for key, env in DELIVERY_SECRETS.items():
        if key in section and env not in os.environ:
            os.environ[env] = str(section[key])
    worker = outbox.start_worker(store())
    from kneeassess import reminders
    from kneeassess.storage.sql import SqlStore

    shared = store()
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


def base_url() -> str:
    configured = os.environ.get("KNEEASSESS_PUBLIC_URL")
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
