"""Where this visitor came from: ``?event=`` and the link's ``utm_*`` parameters, read on their first page, kept
for the browser session and counted once as a visit (for the growth dashboard: no personal data)."""

from __future__ import annotations

import contextlib
import logging
from typing import cast

import streamlit as st

from kneeassess.growth import Source, record_visit
from kneeassess.storage import LeadStore, StorageError

SOURCE_KEY = "kneeassess_source"
COUNTED_KEY = "kneeassess_visit_counted"


def note_source() -> Source:
    """The source of this session: taken from the first page's address; a later page's ``?event=`` (a runner who
    opens an event link in a tab they had) updates the event and keeps the rest."""
    source: Source | None = st.session_state.get(SOURCE_KEY)
    query = {k: st.query_params.get(k) for k in ("event", "utm_source", "utm_medium", "utm_campaign")}
    if source is None:
        source = Source.from_query(query)
    elif (event := Source.from_query(query).event) and event != source.event:
        source = Source(event=event, utm_source=source.utm_source, utm_medium=source.utm_medium,
                        utm_campaign=source.utm_campaign)
    st.session_state[SOURCE_KEY] = source
    return source


def current_source() -> Source:
    source = st.session_state.get(SOURCE_KEY)
    return source if isinstance(source, Source) else Source()


def _from_a_browser() -> bool:
    """A session behind a browser's request (it has headers); not the server's own start-up run of app.py
    (``/_stcore/script-health-check``, which the launchers call before taking visitors)."""
    try:
        return bool(st.context.headers)
    except Exception:  # noqa: BLE001 - no request context at all: not a visitor
        return False


def count_visit(*, staff: bool) -> None:
    """Count this session once, on its first page; a session that starts on the staff sign-in is not a visitor,
    nor is the server's own health-check run."""
    if st.session_state.get(COUNTED_KEY):
        return
    st.session_state[COUNTED_KEY] = True
    if staff or not _from_a_browser():
        return
    from kneeassess.ui import account

    with contextlib.suppress(StorageError):  # on failure the figures miss one visit; the visitor is unaffected
        record_visit(cast(LeadStore, account.store()), current_source())
        return
    logging.getLogger(__name__).warning("a visit could not be counted")
