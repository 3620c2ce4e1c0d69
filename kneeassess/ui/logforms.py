"""The log's forms. A failed save shows its message next to the field and keeps what was typed."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pandas as pd
import streamlit as st

from kneeassess import logbook
from kneeassess.answers import KM_PER_MILE, km_to_miles
from kneeassess.content import catalogue
from kneeassess.models import PlanItem
from kneeassess.records import CheckIn, ExerciseSession, Profile, Run
from kneeassess.ui import account, forms
from kneeassess.ui.lazy import drawn_when_open
from kneeassess.ui.text import DATE_FORMAT, count, day_text

PAIN = list(range(11))


def _show(form: str, field: str) -> None:
    forms.show(form, field)


def _attempt(form: str, action: Callable[[], Any], success: str) -> bool:
    """Run a save; on failure keep the form as typed and put the messages by the fields."""
    return forms.attempt(form, action, success)


# Each form saves in its submit button's callback (before the one script run of the click); the widgets' values
# are read from the session state by their keys.


def _save_morning(profile: Profile, day: date, today: date) -> None:
    rating = st.session_state.get("morning_rating")
    if rating is None:
        forms.report("morning", {"next_morning": "Choose a number from 0 to 10."})
        return
    _attempt("morning", lambda: logbook.record_checkin(
        account.store(), profile, day=day, during=None, next_morning=rating, today=today), "Morning rating saved")


def morning_prompt(profile: Profile, runs: list[Run], checkins: list[CheckIn], today: date) -> None:
    day = logbook.pending_morning(runs, checkins, today)
    if day is None:
        return
    with st.container(border=True):
        st.markdown(f"**How is your knee this morning, after your run on {day:%A} {day_text(day)}?**")
        with st.form("morning", enter_to_submit=False):
            st.pills("Knee pain now (0 = none, 10 = worst imaginable)", PAIN, key="morning_rating")
            _show("morning", "next_morning")
            _show("morning", "form")
            st.form_submit_button("Save", type="primary", on_click=_save_morning, args=(profile, day, today))


def _run_defaults(form: str, today: date) -> dict[str, Any]:
    return {f"{form}_day": today, f"{form}_km": None, f"{form}_min": None, f"{form}_effort": None,
            f"{form}_fast": 0.0}


def _save_run(form: str, profile: Profile, today: date, run: Run | None) -> None:
    state = st.session_state
    if _attempt(form, lambda: logbook.record_run(
            account.store(), profile, day=state[f"{form}_day"], distance=state[f"{form}_km"],
            minutes=state[f"{form}_min"], effort=state[f"{form}_effort"], fast_minutes=state[f"{form}_fast"],
            unit=profile.unit, run_id=run.id if run else None, today=today), "Run saved") and run is None:
        forms.reset_widgets(_run_defaults(form, today))


def _delete_run(form: str, profile: Profile, run: Run) -> None:
    _attempt(form, lambda: logbook.remove(account.store(), profile, Run, run.id or 0), "Run deleted")


def run_form(profile: Profile, today: date, run: Run | None = None) -> None:
    """A new run (empty after each save) or the changes to a logged one."""
    unit = profile.unit
    form = f"run_{run.id if run else 'new'}"
    if run is None:  # its widgets take their values from the session state only (reset after a save)
        forms.init_widgets(_run_defaults(form, today))
        start: dict[str, Any] = {}
    else:
        start = {"day": run.day, "km": km_to_miles(run.km) if unit == "mi" else run.km, "min": run.minutes,
                 "effort": run.effort, "fast": run.fast_minutes}

    def initial(name: str) -> dict[str, Any]:
        """A logged run's value for the widget; none for a new run's (the session state holds those), except
        an explicit empty distance and time (a number input otherwise starts at its minimum)."""
        if run is None:
            return {"value": None} if name in ("km", "min") else {}
        return {"default" if name == "effort" else "value": start[name]}

    with st.form(form, clear_on_submit=False, border=run is None, enter_to_submit=False):
        st.date_input("Date", max_value=today + timedelta(days=1), format=DATE_FORMAT, key=f"{form}_day",
                      **initial("day"))
        _show(form, "day")
        cols = st.columns(2)
        cols[0].number_input(f"Distance ({unit})", min_value=0.0, max_value=400.0, step=0.5, format="%g",
                             key=f"{form}_km", **initial("km"))
        cols[1].number_input("Time (minutes)", min_value=0.0, max_value=1440.0, step=1.0, format="%g",
                             key=f"{form}_min", **initial("min"))
        with cols[0]:
            _show(form, "km")
        with cols[1]:
            _show(form, "minutes")
        st.pills("How hard did it feel? (0 = rest, 10 = maximal)", PAIN, key=f"{form}_effort", **initial("effort"))
        st.number_input("Minutes of fast running (strides, intervals, hills, tempo)", min_value=0.0,
                        max_value=1440.0, step=1.0, format="%g", key=f"{form}_fast", **initial("fast"))
        _show(form, "fast_minutes")
        _show(form, "form")
        st.form_submit_button("Save run" if run is None else "Save changes", type="primary",
                              on_click=_save_run, args=(form, profile, today, run))
        if run is not None:
            st.form_submit_button("Delete this run", on_click=_delete_run, args=(form, profile, run))


def _checkin_defaults(form: str, today: date) -> dict[str, Any]:
    return {f"{form}_day": today, f"{form}_during": None, f"{form}_morning": None}


def _save_checkin(form: str, profile: Profile, today: date, checkin: CheckIn | None) -> None:
    state = st.session_state
    if _attempt(form, lambda: logbook.record_checkin(
            account.store(), profile, day=state[f"{form}_day"], during=state[f"{form}_during"],
            next_morning=state[f"{form}_morning"], checkin_id=checkin.id if checkin else None, today=today),
            "Pain rating saved") and checkin is None:
        forms.reset_widgets(_checkin_defaults(form, today))


def _delete_checkin(form: str, profile: Profile, checkin: CheckIn) -> None:
    _attempt(form, lambda: logbook.remove(account.store(), profile, CheckIn, checkin.id or 0), "Pain rating deleted")


def checkin_form(profile: Profile, today: date, checkin: CheckIn | None = None) -> None:
    form = f"checkin_{checkin.id if checkin else 'new'}"
    if checkin is None:
        forms.init_widgets(_checkin_defaults(form, today))

    def initial(name: str, value: Any) -> dict[str, Any]:
        return {} if checkin is None else {name: value}

    with st.form(form, border=checkin is None, enter_to_submit=False):
        st.date_input("Day of the run", max_value=today + timedelta(days=1), format=DATE_FORMAT,
                      key=f"{form}_day", **initial("value", checkin.day if checkin else None))
        _show(form, "day")
        st.pills("Worst knee pain during or after the run", PAIN, key=f"{form}_during",
                 **initial("default", checkin.during if checkin else None))
        st.pills("Knee pain the next morning (leave empty until then)", PAIN, key=f"{form}_morning",
                 **initial("default", checkin.next_morning if checkin else None))
        _show(form, "during")
        _show(form, "next_morning")
        _show(form, "form")
        st.form_submit_button("Save pain rating" if checkin is None else "Save changes", type="primary",
                              on_click=_save_checkin, args=(form, profile, today, checkin))
        if checkin is not None:
            st.form_submit_button("Delete", on_click=_delete_checkin, args=(form, profile, checkin))


def _session_defaults(today: date, plan: list[PlanItem]) -> dict[str, Any]:
    return {"sess_day": today, "sess_pain": None} | {f"sess_done_{p.exercise}": False for p in plan}


def _save_session(profile: Profile, today: date, plan: list[PlanItem]) -> None:
    """The tick-off form's callback: the ticked exercises logged at their planned dose, in one transaction."""
    form, state = "sessions", st.session_state
    chosen = [p for p in plan if state.get(f"sess_done_{p.exercise}")]
    if not chosen:
        forms.report(form, {"form": "Tick the exercises you did."})
        return

    def log_all() -> None:  # one transaction: a failure saves none of them
        logbook.record_sessions(account.store(), profile, [
            logbook.ExerciseDone(p.exercise, p.sets, reps=p.reps, seconds=None if p.reps is not None else p.seconds,
                                 load=p.load)
            for p in chosen
        ], day=state["sess_day"], pain=state.get("sess_pain"), today=today)

    if _attempt(form, log_all, f"{count(len(chosen), 'exercise')} logged"):
        forms.reset_widgets(_session_defaults(today, plan))


def session_form(profile: Profile, today: date, plan: list[PlanItem]) -> None:
    """Tick off today's exercises: one card per planned exercise, logged at the planned dose."""
    form = "sessions"
    forms.init_widgets(_session_defaults(today, plan))
    with st.form(form, enter_to_submit=False):
        st.date_input("Date", max_value=today + timedelta(days=1), format=DATE_FORMAT, key="sess_day")
        for i in range(0, len(plan), 2):  # two cards a row on a desktop, one column on a phone
            for col, p in zip(st.columns(2), plan[i:i + 2], strict=False):
                with col, st.container(border=True):
                    st.checkbox(f"**{p.name}**", key=f"sess_done_{p.exercise}")
                    st.caption(p.dose)
        st.pills("Knee pain during the exercises", PAIN, key="sess_pain")
        _show(form, "form")
        _show(form, "exercise")
        st.form_submit_button("Log this session", type="primary", on_click=_save_session,
                              args=(profile, today, plan))


def run_label(r: Run, unit: str) -> str:
    dist = km_to_miles(r.km) if unit == "mi" else r.km
    return f"{r.day:%a} {day_text(r.day)} · {dist:g} {unit} · {r.minutes:g} min"


def checkin_label(c: CheckIn) -> str:
    def show(v: int | None) -> str:
        return "–" if v is None else f"{v}/10"

    return f"{c.day:%a} {day_text(c.day)} · during {show(c.during)} · next morning {show(c.next_morning)}"


def edit_run(profile: Profile, runs: list[Run], today: date) -> None:
    """In an expander drawn only while open: the list of runs is a select box, whose code the browser would
    otherwise load with every first view of the page."""
    if not runs:
        return
    drawn_when_open("Edit or delete a run", "log_edit_run", lambda: _edit_run(profile, runs, today))


def _edit_run(profile: Profile, runs: list[Run], today: date) -> None:
    by_id = {r.id: r for r in reversed(runs)}
    chosen = st.selectbox("Edit or delete a run", list(by_id), index=None, placeholder="Choose a run",
                          format_func=lambda i: run_label(by_id[i], profile.unit), key="edit_run")
    if chosen in by_id:
        run_form(profile, today, by_id[chosen])


def edit_checkin(profile: Profile, checkins: list[CheckIn], today: date) -> None:
    """In an expander drawn only while open (as ``edit_run``)."""
    if not checkins:
        return
    drawn_when_open("Edit or delete a rating", "log_edit_checkin", lambda: _edit_checkin(profile, checkins, today))


def _edit_checkin(profile: Profile, checkins: list[CheckIn], today: date) -> None:
    by_id = {c.id: c for c in reversed(checkins)}
    chosen = st.selectbox("Edit or delete a rating", list(by_id), index=None, placeholder="Choose a day",
                          format_func=lambda i: checkin_label(by_id[i]), key="edit_checkin")
    if chosen in by_id:
        checkin_form(profile, today, by_id[chosen])


NOT_GIVEN = "–"  # an empty cell in a table (pandas would show None)
DATE_COLUMN = {"Date": st.column_config.DateColumn(format=DATE_FORMAT)}


def _shown(v: int | None) -> str:
    return NOT_GIVEN if v is None else str(v)


# The two tables are drawn by functions cached per profile revision (their elements are replayed on a rerun
# that changed nothing; any write raises the revision). The latest entries are a plain table; every entry is in
# the data grid of an expander drawn only while it is open: the grid's code is the heaviest the browser loads for
# this page (bench/NOTES.md), and two years of runs are not sent with every view of it.
TABLES_CACHE = st.cache_data(show_spinner=False, max_entries=64, ttl=900)
LATEST = 10  # entries in the plain table


def runs_table(profile: Profile) -> None:
    shown = _latest_runs(profile.id, profile.revision, profile.unit, _profile=profile)
    if shown > LATEST:
        drawn_when_open(f"All your runs ({shown})", "log_all_runs",
                        lambda: _runs_table(profile.id, profile.revision, profile.unit, _profile=profile))


def sessions_table(profile: Profile) -> None:
    shown = _latest_sessions(profile.id, profile.revision, _profile=profile)
    if shown > LATEST:
        drawn_when_open(f"All your exercise sessions ({shown})", "log_all_sessions",
                        lambda: _sessions_table(profile.id, profile.revision, _profile=profile))


def _number(v: float) -> str:
    return f"{v:g}"


def _run_rows(runs: list[Run], unit: str) -> list[dict[str, Any]]:
    factor = 1 / KM_PER_MILE if unit == "mi" else 1
    return [{
        "Date": r.day, f"Distance ({unit})": round(r.km * factor, 2), "Minutes": r.minutes,
        "Effort": _shown(r.effort), "Fast min": r.fast_minutes, "Source": r.source,
    } for r in reversed(runs)]


def markdown_table(rows: list[dict[str, Any]]) -> str:
    """A plain table as Markdown: no element code to load in the browser (the data grid's and st.table's are the
    heaviest of the page). For the app's own words and numbers only: never the runner's text (kneeassess.ui.text)."""
    head = list(rows[0])
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(str(r[k]) for k in head) + " |" for r in rows]
    return "\n".join(lines)


@TABLES_CACHE
def _latest_runs(profile_id: str, revision: int, unit: str, _profile: Profile) -> int:
    """The latest runs as a plain table; how many runs there are. An imported run's source is a file's name (the
    runner's text, shown by the grid only): here it is "file"."""
    runs = account.records(_profile).runs
    if not runs:
        st.caption("No runs logged yet.")
        return 0
    st.markdown(markdown_table([{
        **r, "Date": day_text(r["Date"]), **{k: _number(r[k]) for k in list(r)[1:3]},
        "Fast min": _number(r["Fast min"]), "Source": "by hand" if r["Source"] == "manual" else "file",
    } for r in _run_rows(runs[-LATEST:], unit)]))
    return len(runs)


@TABLES_CACHE
def _runs_table(profile_id: str, revision: int, unit: str, _profile: Profile) -> None:
    st.dataframe(pd.DataFrame(_run_rows(account.records(_profile).runs, unit)), hide_index=True, width="stretch",
                 column_config=DATE_COLUMN)


def _session_rows(sessions: list[ExerciseSession]) -> list[dict[str, Any]]:
    names = {e.id: e.name for e in catalogue().exercises}
    return [{
        "Date": s.day, "Exercise": names.get(s.exercise, s.exercise), "Sets": s.sets,
        "Reps or seconds": (f"{s.reps} reps" if s.reps is not None else f"{s.seconds} s" if s.seconds is not None
                            else NOT_GIVEN),
        "Load": s.load or NOT_GIVEN, "Pain": _shown(s.pain),
    } for s in reversed(sessions)]


@TABLES_CACHE
def _latest_sessions(profile_id: str, revision: int, _profile: Profile) -> int:
    """The latest sessions as a plain table (the catalogue's words and numbers only); how many there are."""
    sessions = account.records(_profile).sessions
    if not sessions:
        st.caption("No exercise sessions logged yet.")
        return 0
    st.markdown(markdown_table([{**r, "Date": day_text(r["Date"])} for r in _session_rows(sessions[-LATEST:])]))
    return len(sessions)


@TABLES_CACHE
def _sessions_table(profile_id: str, revision: int, _profile: Profile) -> None:
    st.dataframe(pd.DataFrame(_session_rows(account.records(_profile).sessions)), hide_index=True, width="stretch",
                 column_config=DATE_COLUMN)
