"""Downloads that do not outlive their click: Streamlit serves a download's bytes at an unauthenticated
``/media/<id>`` URL for as long as the session keeps it. For personal data (the staff CSV export) the file is
removed from the server's memory ``KNEEASSESS_DOWNLOAD_EXPIRES_S`` seconds (default 60) after it was made: the
browser fetches it at once; a URL copied from the downloads list, history or a log stops working.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable

log = logging.getLogger(__name__)
EXPIRES_S = 60.0


def expires_s() -> float:
    try:
        return max(1.0, float(os.environ.get("KNEEASSESS_DOWNLOAD_EXPIRES_S") or EXPIRES_S))
    except ValueError:
        return EXPIRES_S


def forget_media_file(file_id: str) -> None:
    """Remove one served file from Streamlit's media store (Streamlit has no public call for it)."""
    try:
        from streamlit.runtime import get_instance

        manager = get_instance().media_file_mgr
        with manager._lock:  # noqa: SLF001 - as the manager's own clean-up does
            manager._delete_file(file_id)  # noqa: SLF001
    except Exception:  # noqa: BLE001 - no runtime (bare runs) or Streamlit changed: logged, never fatal
        log.warning("could not remove the download %s from memory", file_id, exc_info=True)


def expiring(make: Callable[[], bytes], mime: str, filename: str) -> Callable[[], bytes]:
    """Deferred ``data`` for ``st.download_button(filename, ..., mime=mime)``: the bytes, and their served copy removed
    a short while later."""
    def data() -> bytes:
        body = make()
        try:
            from streamlit.runtime.memory_media_file_storage import _calculate_file_id

            file_id = _calculate_file_id(body, mime, filename)  # the id Streamlit gives this download
        except Exception:  # noqa: BLE001
            log.warning("could not schedule the removal of a download", exc_info=True)
            return body
        timer = threading.Timer(expires_s(), forget_media_file, args=(file_id,))
        timer.daemon = True
        timer.start()
        return body

    return data
