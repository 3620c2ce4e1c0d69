"""The app's settings: built once per process from the environment and Streamlit's secrets.

Only this module reads ``st.secrets``; it hands them to :meth:`kneeassess.settings.Settings.load` as a plain
mapping and never copies a secret into the environment. Settings installed before (a test session's) are kept.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

import streamlit as st

from kneeassess import settings as config
from kneeassess.settings import Settings


def _secrets() -> Mapping[str, Any]:
    """The secrets file's tables as plain dicts; {} without a secrets file."""
    try:
        return {key: (dict(value) if isinstance(value, Mapping) else value) for key, value in st.secrets.items()}
    except Exception:  # no secrets file at all: st.secrets raises its own error type
        return {}


def settings() -> Settings:
    """The process's settings (read once: later calls return the same object)."""
    found = config.installed()
    if found is None:
        found = config.install(Settings.load(os.environ, _secrets()))
    return found
