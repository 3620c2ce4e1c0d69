"""Issue 14 item 9: the staff CSV export is not downloadable from its /media/ URL after the click: the served copy
is removed from memory shortly after it is made. Checked on Streamlit's own media file manager."""

from __future__ import annotations

import threading
from types import SimpleNamespace

import pytest
import streamlit.runtime
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.runtime.media_file_storage import MediaFileKind, MediaFileStorageError
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage

from kneeassess.ui import downloads


def test_the_served_copy_of_an_expiring_download_is_removed(monkeypatch: pytest.MonkeyPatch):
    storage = MemoryMediaFileStorage("/media")
    manager = MediaFileManager(storage)
    monkeypatch.setattr(streamlit.runtime, "get_instance", lambda: SimpleNamespace(media_file_mgr=manager))
    monkeypatch.setenv("KNEEASSESS_DOWNLOAD_EXPIRES_S", "1")
    done = threading.Event()
    monkeypatch.setattr(downloads, "forget_media_file",
                        lambda file_id, real=downloads.forget_media_file: (real(file_id), done.set()))

    body = downloads.expiring(lambda: b"id,name\n1,Ann\n", "text/csv", "consultation-requests.csv")()
    # what Streamlit does with a deferred download's bytes when the button is clicked
    file_id = storage.load_and_get_id(body, "text/csv", MediaFileKind.DOWNLOADABLE, "consultation-requests.csv")
    assert storage.get_file(file_id).content == body  # served at /media/<id>.csv for now
    assert done.wait(10)
    with pytest.raises(MediaFileStorageError):
        storage.get_file(file_id)  # gone: the URL answers 404
