"""Staff: consultation requests — filter, open one, move it along, export, erase a person on request."""

from datetime import timedelta

import streamlit as st

from kneeassess import events, leads, outbox
from kneeassess.storage import StorageError
from kneeassess.ui import account, console
from kneeassess.ui.staff_gate import require_staff

staff = require_staff()
st.set_page_config(layout="wide")

st.title("Consultation requests")
if not outbox.configured_channels():
    st.warning("No delivery channel (email or webhook) is configured: requests are kept here but not forwarded. "
               "See the README, section Configuration.", icon=":material/warning:")
if flash := st.session_state.pop("console_flash", None):
    st.success(flash)
store = account.store()
if failed := leads.deliveries_needing_attention(store):
    st.error(leads.attention_message(failed), icon=":material/error:")
chosen = console.filters([e.slug for e in events.list_events(store)])


@st.fragment(run_every=timedelta(seconds=15))
def live_list() -> list:
    """Redrawn every 15 s: new requests appear without reloading (and again once a lost database is back)."""
    try:
        found = leads.list_requests(store, **chosen)
    except StorageError:
        st.error(account.DATABASE_DOWN, icon=":material/cloud_off:")
        return []
    new = sum(1 for r in found if r.status == "new")
    st.caption(f"{len(found)} requests · {new} new · updated every 15 seconds")
    console.requests_table(found)
    return found


found = live_list()
st.download_button("Export CSV", lambda: leads.export_csv(leads.list_requests(store, **chosen)),
                   "consultation-requests.csv", mime="text/csv", on_click="ignore")

ids = [r.id for r in found]
opened = st.selectbox("Open a request", ids, index=None, placeholder="Choose by number", key="console_open",
                      format_func=lambda i: f"#{i}")
if opened in ids:
    console.detail(leads.get_request(store, opened), staff)
