"""Importing runs from Strava exports and watch files: read, preview, save without duplicates.

    result = read_uploads([(f.name, f.getvalue()) for f in uploaded], progress=lambda done, total: ...)
    result.runs      # ImportedRun, by start: show them (date, km, time, pace, heart rate, fast minutes, note)
    result.skipped   # Skipped(source, reason): rides, walks, files without a track, doubles within the batch
    result.errors    # ImportError_(source, error): damaged, refused or unreadable files, one entry each
    preview_rows(result, store.list_records(Run, profile.id))  # rows: date, km, time, pace, HR, fast, status, note
    saved, duplicates = save_runs(store, profile, result)

Accepted: a Strava bulk-export ZIP (``activities.csv`` + ``activities/``), a lone ``activities.csv`` (English
or German), ``.fit``/``.gpx``/``.tcx`` files, each optionally ``.gz``; ``read_paths`` also takes an unzipped
export folder. Only runs are imported (road, trail, treadmill, virtual). Caps: see ``archive.Limits``.
Fast minutes: see ``fast.py``. Nothing here imports Streamlit.
"""

from kneeassess.imports.archive import Limits
from kneeassess.imports.fast import FAST_FACTOR, MIN_STRETCH_S, MOVING_MPS
from kneeassess.imports.model import ImportedRun, ImportError_, ImportResult, Skipped
from kneeassess.imports.reading import read_paths, read_uploads
from kneeassess.imports.saving import is_duplicate, preview_rows, save_runs, to_run

UPLOAD_TYPES = ["zip", "csv", "fit", "gpx", "tcx", "gz"]  # for st.file_uploader(type=...)

__all__ = [
    "FAST_FACTOR",
    "MIN_STRETCH_S",
    "MOVING_MPS",
    "UPLOAD_TYPES",
    "ImportError_",
    "ImportResult",
    "ImportedRun",
    "Limits",
    "Skipped",
    "is_duplicate",
    "preview_rows",
    "read_paths",
    "read_uploads",
    "save_runs",
    "to_run",
]
