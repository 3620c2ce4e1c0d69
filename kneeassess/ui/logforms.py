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
from kneeassess.records import CheckIn, Profile, Run
from kneeassess.storage import NotFound, StorageError
from kneeassess.ui import account
from kneeassess.ui.text import DATE_FORMAT, count, day_text

PAIN = list(range(11))


def _errors(form: str) -> dict[str, str]:
    errors: dict[str, str] = st.session_state.get(f"errors_{form}", {})
    return errors


def _show(form: str, field: str) -> None:
    if msg := _errors(form).get(field):
        st.error(msg, icon=":material/error:")


def _attempt(form: str, action: Callable[[], object], success: str) -> bool:
    """Run a save; on failure keep the form as typed and put the messages by the fields."""
    try:
        action()
    except logbook.LogProblems as exc:
        st.session_state[f"errors_{form}"] = exc.problems
        return False
    except NotFound:
        st.session_state[f"errors_{form}"] = {"form": "That entry no longer exists (deleted elsewhere?)."}
        return False
    except StorageError:
        st.session_state[f"errors_{form}"] = {
            "form": "Saving failed: we could not reach the database. What you typed is still here; try again."
        }
        return False
    st.session_state[f"errors_{form}"] = {}
    st.toast(success, icon=":material/check:")
    return True


def morning_prompt(profile: Profile, runs: list[Run], checkins: list[CheckIn], today: date) -> None:
    day = logbook.pending_morning(runs, checkins, today)
    if day is None:
        return
    with st.container(border=True):
        st.markdown(f"**How is your knee this morning, after your run on {day:%A} {day_text(day)}?**")
        with st.form("morning", enter_to_submit=False):
            rating = st.pills("Knee pain now (0 = none, 10 = worst imaginable)", PAIN, key="morning_rating")
            _show("morning", "next_morning")
            _show("morning", "form")
            if st.form_submit_button("Save", type="primary"):
                if rating is None:
                    st.session_state["errors_morning"] = {"next_morning": "Choose a number from 0 to 10."}
                    st.rerun()
                if _attempt("morning", lambda: logbook.record_checkin(
                        account.store(), profile, day=day, during=None, next_morning=rating, today=today),
                        "Morning rating saved"):
                    st.rerun()
                st.rerun()


def run_form(profile: Profile, today: date, run: Run | None = None) -> None:
    unit = profile.unit
    form = f"run_{run.id if run else 'new'}"
    if run is None:
        _start(form, {f"{form}_day": today, f"{form}_km": None, f"{form}_min": None, f"{form}_effort": None,
                      f"{form}_fast": 0.0})
    with st.form(form, clear_on_submit=False, border=run is None, enter_to_submit=False):
        day = st.date_input("Date", value=run.day if run else today, max_value=today + timedelta(days=1),
                            format=DATE_FORMAT, key=f"{form}_day")
        _show(form, "day")
        shown = None if run is None else (km_to_miles(run.km) if unit == "mi" else run.km)
        cols = st.columns(2)
        distance = cols[0].number_input(f"Distance ({unit})", min_value=0.0, max_value=400.0, value=shown,
                                        step=0.5, format="%g", key=f"{form}_km")
        minutes = cols[1].number_input("Time (minutes)", min_value=0.0, max_value=1440.0,
                                       value=run.minutes if run else None, step=1.0, format="%g", key=f"{form}_min")
        with cols[0]:
            _show(form, "km")
        with cols[1]:
            _show(form, "minutes")
        effort = st.pills("How hard did it feel? (0 = rest, 10 = maximal)", PAIN,
                          default=run.effort if run else None, key=f"{form}_effort")
        fast = st.number_input("Minutes of fast running (strides, intervals, hills, tempo)", min_value=0.0,
                               max_value=1440.0, value=run.fast_minutes if run else 0.0, step=1.0, format="%g",
                               key=f"{form}_fast")
        _show(form, "fast_minutes")
        _show(form, "form")
        save = st.form_submit_button("Save run" if run is None else "Save changes", type="primary")
        delete = run is not None and st.form_submit_button("Delete this run")
    if save and _attempt(form, lambda: logbook.record_run(
            account.store(), profile, day=day, distance=distance, minutes=minutes, effort=effort,
            fast_minutes=fast, unit=unit, run_id=run.id if run else None, today=today), "Run saved"):
        _reset(form)
    elif save:
        st.rerun()
    run_id = run.id if run else None
    if delete and run_id is not None and _attempt(
            form, lambda: logbook.remove(account.store(), profile, Run, run_id), "Run deleted"):
        _reset(form)


def checkin_form(profile: Profile, today: date, checkin: CheckIn | None = None) -> None:
    form = f"checkin_{checkin.id if checkin else 'new'}"
    if checkin is None:
        _start(form, {f"{form}_day": today, f"{form}_during": None, f"{form}_morning": None})
    with st.form(form, border=checkin is None, enter_to_submit=False):
        day = st.date_input("Day of the run", value=checkin.day if checkin else today,
                            max_value=today + timedelta(days=1), format=DATE_FORMAT, key=f"{form}_day")
        _show(form, "day")
        during = st.pills("Worst knee pain during or after the run", PAIN,
                          default=checkin.during if checkin else None, key=f"{form}_during")
        morning = st.pills("Knee pain the next morning (leave empty until then)", PAIN,
                           default=checkin.next_morning if checkin else None, key=f"{form}_morning")
        _show(form, "during")
        _show(form, "next_morning")
        _show(form, "form")
        save = st.form_submit_button("Save pain rating" if checkin is None else "Save changes", type="primary")
        delete = checkin is not None and st.form_submit_button("Delete")
    if save and _attempt(form, lambda: logbook.record_checkin(
            account.store(), profile, day=day, during=during, next_morning=morning,
            checkin_id=checkin.id if checkin else None, today=today), "Pain rating saved"):
        _reset(form)
    elif save:
        st.rerun()
    checkin_id = checkin.id if checkin else None
    if delete and checkin_id is not None and _attempt(
            form, lambda: logbook.remove(account.store(), profile, CheckIn, checkin_id), "Pain rating deleted"):
        _reset(form)


def session_form(profile: Profile, today: date, plan: list[PlanItem]) -> None:
    """Tick off today's exercises: one card per planned exercise, logged at the planned dose."""
    form = "sessions"
    defaults: dict[str, Any] = {"sess_day": today, "sess_pain": None}
    defaults |= {f"sess_done_{p.exercise}": False for p in plan}
    _start(form, defaults)
    with st.form(form, enter_to_submit=False):
        day = st.date_input("Date", value=today, max_value=today + timedelta(days=1), format=DATE_FORMAT,
                            key="sess_day")
        done: dict[str, bool] = {}
        for i in range(0, len(plan), 2):  # two cards a row on a desktop, one column on a phone
            for col, p in zip(st.columns(2), plan[i:i + 2], strict=False):
                with col, st.container(border=True):
                    done[p.exercise] = st.checkbox(f"**{p.name}**", key=f"sess_done_{p.exercise}")
                    st.caption(p.dose)
        pain = st.pills("Knee pain during the exercises", PAIN, key="sess_pain")
        _show(form, "form")
        _show(form, "exercise")
        save = st.form_submit_button("Log this session", type="primary")
    if not save:
        return
    chosen = [p for p in plan if done.get(p.exercise)]
    if not chosen:
        st.session_state[f"errors_{form}"] = {"form": "Tick the exercises you did."}
        st.rerun()

    def log_all() -> None:  # one transaction: a failure saves none of them
        logbook.record_sessions(account.store(), profile, [
            logbook.ExerciseDone(p.exercise, p.sets, reps=p.reps, seconds=None if p.reps is not None else p.seconds,
                                 load=p.load)
            for p in chosen
        ], day=day, pain=pain, today=today)

    if _attempt(form, log_all, f"{count(len(chosen), 'exercise')} logged"):
        _reset(form)
    else:
        st.rerun()


def _reset(form: str) -> None:
    """After a successful save: ask for the form's widgets to start empty on the next run."""
    st.session_state[f"reset_{form}"] = True
    st.rerun()


def _start(form: str, defaults: dict[str, Any]) -> None:
    """Before a form's widgets are drawn: put them back to their defaults if the last save asked for it.

    (Widget values can only be set before the widget is drawn in a run; deleting the keys is not enough, as
    the browser sends the old values back.)
    """
    if st.session_state.pop(f"reset_{form}", False):
        for key, value in defaults.items():
            st.session_state[key] = value


def run_label(r: Run, unit: str) -> str:
    dist = km_to_miles(r.km) if unit == "mi" else r.km
    return f"{r.day:%a} {day_text(r.day)} · {dist:g} {unit} · {r.minutes:g} min"


def checkin_label(c: CheckIn) -> str:
    def show(v: int | None) -> str:
        return "–" if v is None else f"{v}/10"

    return f"{c.day:%a} {day_text(c.day)} · during {show(c.during)} · next morning {show(c.next_morning)}"


def edit_run(profile: Profile, runs: list[Run], today: date) -> None:
    if not runs:
        return
    by_id = {r.id: r for r in reversed(runs)}
    chosen = st.selectbox("Edit or delete a run", list(by_id), index=None, placeholder="Choose a run",
                          format_func=lambda i: run_label(by_id[i], profile.unit), key="edit_run")
    if chosen in by_id:
        run_form(profile, today, by_id[chosen])


def edit_checkin(profile: Profile, checkins: list[CheckIn], today: date) -> None:
    if not checkins:
        return
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
# that changed nothing; any write raises the revision).
TABLES_CACHE = st.cache_data(show_spinner=False, max_entries=64, ttl=900)


def runs_table(profile: Profile) -> None:
    _runs_table(profile.id, profile.revision, profile.unit, _profile=profile)


def sessions_table(profile: Profile) -> None:
    _sessions_table(profile.id, profile.revision, _profile=profile)


@TABLES_CACHE
def _runs_table(profile_id: str, revision: int, unit: str, _profile: Profile) -> None:
    runs = account.records(_profile).runs
    if not runs:
        st.caption("No runs logged yet.")
        return
    factor = 1 / KM_PER_MILE if unit == "mi" else 1
    df = pd.DataFrame([{
        "Date": r.day, f"Distance ({unit})": round(r.km * factor, 2), "Minutes": r.minutes,
        "Effort": _shown(r.effort), "Fast min": r.fast_minutes, "Source": r.source,
    } for r in reversed(runs)])
    st.dataframe(df, hide_index=True, width="stretch", column_config=DATE_COLUMN)


@TABLES_CACHE
def _sessions_table(profile_id: str, revision: int, _profile: Profile) -> None:
    sessions = account.records(_profile).sessions
    if not sessions:
        st.caption("No exercise sessions logged yet.")
        return
    names = {e.id: e.name for e in catalogue().exercises}
    df = pd.DataFrame([{
        "Date": s.day, "Exercise": names.get(s.exercise, s.exercise), "Sets": s.sets,
        "Reps or seconds": (f"{s.reps} reps" if s.reps is not None else f"{s.seconds} s" if s.seconds is not None
                            else NOT_GIVEN),
        "Load": s.load or NOT_GIVEN, "Pain": _shown(s.pain),
    } for s in reversed(sessions)])
    st.dataframe(df, hide_index=True, width="stretch", column_config=DATE_COLUMN)
