"""One way for a form to save and report problems: each message next to its field, what was typed kept.

A form's submit button runs the save in its callback (``on_click``), before the one script run the click causes:

    st.form_submit_button("Save run", on_click=forms.attempt_later, args=("run_new", save_run, "Run saved"))
    ...
    forms.show("run_new", "km")          # under the distance field: its message, if the last save had one

:func:`attempt` turns a :class:`kneeassess.errors.FieldProblems` into messages by field, and the failures it is
told about (the database away, an entry deleted meanwhile) into a message for the whole form ("form"). The
messages stay in the session until the form is saved again.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import streamlit as st

from kneeassess.errors import FieldProblems
from kneeassess.storage import NotFound, StorageError

FORM = "form"  # the field name of a message about the whole form
SAVE_FAILED = "Saving failed: we could not reach the database. What you typed is still here; try again."
GONE = "That entry no longer exists (deleted elsewhere?)."
SAVE_FAILURES: Mapping[type[Exception], str | None] = {NotFound: GONE, StorageError: SAVE_FAILED}


def _key(form: str) -> str:
    return f"errors_{form}"


def errors(form: str) -> dict[str, str]:
    """The messages of the form's last save, by field."""
    found: dict[str, str] = st.session_state.get(_key(form), {})
    return found


def report(form: str, problems: Mapping[str, str]) -> None:
    """Keep these messages for the form's fields (shown by :func:`show` until the next save)."""
    st.session_state[_key(form)] = dict(problems)


def clear(form: str) -> None:
    st.session_state[_key(form)] = {}


def show(form: str, *fields: str) -> None:
    """Under a field: its message from the form's last save, if any."""
    for field in fields:
        if msg := errors(form).get(field):
            st.error(msg, icon=":material/error:")


def attempt(
    form: str, action: Callable[[], Any], success: str | None = None, *,
    failures: Mapping[type[Exception], str | None] = SAVE_FAILURES,
) -> bool:
    """Run a save. True when it worked (the form's messages cleared, ``success`` as a toast). Otherwise False,
    with the messages kept for :func:`show`: a :class:`FieldProblems` by field, a failure of a type in
    ``failures`` as its message for the whole form (None: the exception's own message)."""
    try:
        action()
    except FieldProblems as exc:
        report(form, exc.problems)
        return False
    except tuple(failures) as exc:
        message = next(m for kind, m in failures.items() if isinstance(exc, kind))
        report(form, {FORM: str(exc) if message is None else message})
        return False
    clear(form)
    if success:
        st.toast(success, icon=":material/check:")
    return True


def reset_widgets(values: Mapping[str, Any]) -> None:
    """In a callback, after a save: put the form's widgets back to these values for the coming run. (Widgets
    whose keys are set here are drawn without a ``value=`` of their own; :func:`init_widgets` gives the first.)"""
    for key, value in values.items():
        st.session_state[key] = value


def init_widgets(values: Mapping[str, Any]) -> None:
    """Before a form's widgets are first drawn: their starting values (kept as typed afterwards)."""
    for key, value in values.items():
        if key not in st.session_state:
            st.session_state[key] = value
