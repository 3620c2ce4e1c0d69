"""What the entrypoint needs: content loaded (a broken file stops the app with its message) and the theme."""

from __future__ import annotations

import gc
import logging
from pathlib import Path

import streamlit as st

from kneeassess.content import Clinic, ContentError, clinic, load_all
from kneeassess.storage import StorageError
from kneeassess.ui.config import settings

STYLE = Path(__file__).with_name("style.css")


def theme_options(c: Clinic) -> dict[str, str]:
    """Streamlit theme options from the clinic's colours, passed as flags by every launcher (``theme_flags``):
    Streamlit lets a script set only its ``client.*`` options, so the theme is the server's, set at start."""
    return {
        "theme.primaryColor": c.colours.primary,
        "theme.backgroundColor": c.colours.background,
        "theme.textColor": c.colours.text,
    }


def load_content_or_stop() -> Clinic:
    settings()  # first: the environment and the secrets, read once per process
    try:
        load_all()
    except ContentError as exc:
        st.error("**KneeAssess cannot start: a content file is broken.**")
        st.code(str(exc), language=None)
        st.stop()
    c = clinic()
    st.html(STYLE)
    freeze_startup_objects()
    from kneeassess.ui.account import delivery_worker

    try:
        delivery_worker()  # once per process: forwards consultation requests to the clinic
    except StorageError:
        pass  # the database is unreachable: logged by the store; the worker starts on a later rerun
    except Exception:  # noqa: BLE001 - requests stay in the outbox; `python -m kneeassess deliver` sends them
        logging.getLogger(__name__).exception("the delivery worker did not start")
    return c


@st.cache_resource(show_spinner=False)
def freeze_startup_objects() -> bool:
    """Once per process, after the heavy imports: move the ~200,000 long-lived objects (plotly, pandas,
    SQLAlchemy, pydantic, content) out of the garbage collector's sight. Streamlit runs ``gc.collect(2)`` after
    every script run; over those objects it took ~115 ms a run, after this under 1 ms. Objects made later are
    collected as usual."""
    import kneeassess.reports.pdf  # noqa: F401 - imported now so that its objects are frozen too
    import kneeassess.ui.progress_charts  # noqa: F401
    import kneeassess.ui.results  # noqa: F401

    gc.collect()
    gc.freeze()
    return True


def theme_flags() -> list[str]:
    """``streamlit run`` flags for the clinic's theme, so that the very first page has the clinic's colours."""
    return [f"--{k}={v}" for k, v in theme_options(clinic()).items()]

