"""Staff: consultation requests — filter, click one to open it, move it along, export, erase a person on request."""

from datetime import timedelta

import streamlit as st

from kneeassess import events, leads, outbox
from kneeassess.storage import StorageError
from kneeassess.ui import account, console
from kneeassess.ui.downloads import staff_download
from kneeassess.ui.staff_gate import require_staff

staff = require_staff()

st.title("Consultation requests")
if not outbox.configured_channels():
    st.warning("No delivery channel (email or webhook) is configured: requests are kept here but not forwarded. "
               "See the README, section Configuration.", icon=":material/warning:")
if flash := st.session_state.pop(console.FLASH_KEY, None):
    st.success(flash)
store = account.store()
if failed := leads.deliveries_needing_attention(store):
    st.error(leads.attention_message(failed), icon=":material/error:")
chosen = console.filters([e.slug for e in events.list_events(store)])
listing, opened = st.columns([3, 2], gap="large")


@st.fragment(run_every=timedelta(seconds=15))
def live_list() -> None:
    """Redrawn every 15 s: new requests appear without reloading (and again once a lost database is back). Click
    a row to open it."""
    try:
        found = leads.list_requests(store, **chosen)
    except StorageError:
        st.error(account.DATABASE_DOWN, icon=":material/cloud_off:")
        return
    new = sum(1 for r in found if r.status == "new")
    st.caption(f"{len(found)} requests · {new} new · click a row to open it · updated every 15 seconds")
    if (clicked := console.clickable_requests(found, "requests", empty="No requests match.")) is not None:
        console.open_request(clicked)
        st.rerun(scope="app")


with listing:
    live_list()
    staff_download("Export for a spreadsheet (CSV)",
                   lambda: leads.export_csv(leads.list_requests(store, **chosen), tz=console.local_tz()),
                   "consultation-requests.csv", mime="text/csv", key="requests_export")

with opened:
    request_id = st.session_state.get(console.OPEN_KEY)
    request = store.get_request(request_id) if isinstance(request_id, int) else None
    if request is None:
        st.info("Click a request in the list to open it here.")
    else:
        console.detail(request, staff)
