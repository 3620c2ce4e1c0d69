"""My profile: the private link with its QR code, units, download my data, delete all my data."""

import streamlit as st

from kneeassess import profiles
from kneeassess.storage import StorageError
from kneeassess.ui import account
from kneeassess.ui.navigation import go_to
from kneeassess.ui.saving import link_card

st.title("My profile")
profile = account.current_profile()
if profile is None:
    st.info("You have no saved profile open. Finish a knee check and choose “Save my results”, or open your "
            "private link.", icon=":material/info:")
    st.button("Start the knee check", type="primary", on_click=go_to, args=("pages/runner/screening.py",))
    st.stop()

link_card(account.link())

st.header("Units")
st.segmented_control("Show distances in", ["km", "mi"], default=profile.unit, key="profile_unit",
                     format_func=lambda u: "kilometres" if u == "km" else "miles", on_change=account.save_unit,
                     args=(profile,))

st.header("Your data")
store = account.store()
left, right = st.columns(2)
# made when pressed, not on every rerun (two years of data: ~170 ms a rerun otherwise, bench/NOTES.md)
left.download_button("Download my data (JSON)", lambda: profiles.export_json(store, profile), "kneeassess-data.json",
                     mime="application/json", width="stretch", on_click="ignore")
right.download_button("Download my data (CSV)", lambda: profiles.export_csv_zip(store, profile),
                      "kneeassess-data.zip", mime="application/zip", width="stretch", on_click="ignore")

st.header("Delete all my data")
st.write("This deletes your profile, every check, run, pain rating and exercise session, and any free "
         "consultation request you sent from it (the clinic will no longer see it: phone them if you still want "
         "one). It cannot be undone, and your private link will stop working.")
sure = st.checkbox("I understand, delete everything", key="confirm_delete")
if st.button("Delete all my data", type="primary", disabled=not sure):
    try:
        requests_erased = profiles.delete_profile(store, profile)
    except StorageError:
        st.error("Deleting failed: we could not reach the database. Nothing was deleted; please try again.")
        st.stop()
    account.drop_records(profile.id)
    account.forget()
    st.session_state.clear()
    st.success("Your data has been deleted" + (
        f", with {requests_erased} consultation request{'s' if requests_erased != 1 else ''}." if requests_erased
        else "."))
