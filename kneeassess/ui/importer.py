"""Import runs on the Log page: upload, read with a progress bar, preview, then save (no duplicates)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from kneeassess.answers import KM_PER_MILE
from kneeassess.imports import UPLOAD_TYPES, preview_rows, read_uploads, save_runs
from kneeassess.records import Profile, Run
from kneeassess.storage import StorageError
from kneeassess.ui import account, forms
from kneeassess.ui.text import DATE_FORMAT, count, show_plain

RESULT_KEY = "kneeassess_import"


def import_section(profile: Profile, runs: list[Run]) -> None:
    st.header("Import from Strava or your watch")
    st.caption("A Strava bulk-export ZIP, its activities.csv, or .fit / .gpx / .tcx files (also .gz). Only runs "
               "are imported; you see them before anything is saved.")
    if done := st.session_state.pop("import_done", None):
        st.success(done, icon=":material/check_circle:")
    files = st.file_uploader("Files", type=UPLOAD_TYPES, accept_multiple_files=True, key="import_files",
                             label_visibility="collapsed")
    if files and st.button("Read the files", key="import_read"):
        bar = st.progress(0.0, text="Reading…")

        def progress(done: int, total: int) -> None:
            bar.progress(done / max(total, 1), text=f"Reading {done} of {total}")

        st.session_state[RESULT_KEY] = read_uploads([(f.name, f.getvalue()) for f in files], progress=progress)
        bar.empty()
    result = st.session_state.get(RESULT_KEY)
    if result is None:
        return
    rows = preview_rows(result, runs)
    new = sum(1 for r in rows if r["status"] == "new")
    if rows:
        factor, unit = (1 / KM_PER_MILE, "mi") if profile.unit == "mi" else (1, "km")
        st.dataframe(pd.DataFrame([{
            "Date": r["date"], f"Distance ({unit})": round(r["km"] * factor, 2), "Time": r["time"],
            "Pace /km": r["pace_per_km"], "Heart rate": r["avg_hr"],
            "Fast min": r["fast_min"], "Status": r["status"], "Note": r["note"],
        } for r in rows]), hide_index=True, width="stretch",
            column_config={"Fast min": st.column_config.NumberColumn(help="Empty: no speed data in the file"),
                           "Date": st.column_config.DateColumn(format=DATE_FORMAT)})
    else:
        st.info("No runs found in these files.")
    if result.skipped:
        with st.expander(f"Skipped ({len(result.skipped)})"):
            for s in result.skipped:
                show_plain(f"{s.source}: {s.reason}")  # file and entry names are the uploader's words
    if result.errors:
        with st.expander(f"Could not read ({len(result.errors)})", expanded=True):
            for e in result.errors:
                show_plain(f"{e.source}: {e.error}")
    if new:
        st.button(f"Save {count(new, 'new run')}", type="primary", key="import_save",
                  on_click=_save, args=(profile,))
        forms.show("import", forms.FORM)


def _save(profile: Profile) -> None:
    """The save button's callback: the click's one run shows what was saved."""
    result = st.session_state.get(RESULT_KEY)
    if result is None:
        return
    try:
        saved, duplicates = save_runs(account.store(), profile, result)
    except StorageError:
        forms.report("import", {forms.FORM: "Saving failed: we could not reach the database. Nothing is lost; "
                                            "please try again."})
        return
    forms.clear("import")
    st.session_state.pop(RESULT_KEY, None)
    st.session_state["import_done"] = f"Saved {count(saved, 'run')}" + (
        f"; {count(duplicates, 'was', 'were')} already in your log." if duplicates else ".")
