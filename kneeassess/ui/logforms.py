"""The log's forms. A failed save shows its message next to the field and keeps what was typed."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pandas as pd
import streamlit as st

from kneeassess import logbook
from kneeassess.answers import km_to_miles
from kneeassess.content import catalogue
from kneeassess.models import PlanItem
from kneeassess.records import CheckIn, Profile, Run
from kneeassess.storage import NotFound, StorageError
from kneeassess.ui import account

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
        st.markdown(f"**How is your knee this morning, after your run on {day:%A %d %B}?**")
        with st.form("morning"):
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
    with st.form(form, clear_on_submit=False, border=run is None):
        day = st.date_input("Date", value=run.day if run else today, max_value=today + timedelta(days=1),
                            format="DD/MM/YYYY", key=f"{form}_day")
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
    with st.form(form, border=checkin is None):
        day = st.date_input("Day of the run", value=checkin.day if checkin else today,
                            max_value=today + timedelta(days=1), format="DD/MM/YYYY", key=f"{form}_day")
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
    """Tick off this week's plan: one row per exercise, prefilled with the planned dose."""
    form = "sessions"
    defaults: dict[str, Any] = {"sess_day": today, "sess_pain": None}
    for p in plan:
        defaults |= {f"sess_done_{p.exercise}": False, f"sess_sets_{p.exercise}": p.sets,
                     f"sess_load_{p.exercise}": p.load or ""}
        defaults[f"sess_reps_{p.exercise}" if p.reps is not None else f"sess_secs_{p.exercise}"] = p.reps or p.seconds
    _start(form, defaults)
    with st.form(form):
        day = st.date_input("Date", value=today, max_value=today + timedelta(days=1), format="DD/MM/YYYY",
                            key="sess_day")
        rows: list[dict[str, Any]] = []
        for p in plan:
            with st.container(border=True):
                done = st.checkbox(f"{p.name}: {p.dose}", key=f"sess_done_{p.exercise}")
                cols = st.columns(3)
                sets = cols[0].number_input("Sets", 0, 20, p.sets, key=f"sess_sets_{p.exercise}")
                amount: int | None
                if p.reps is not None:
                    amount = cols[1].number_input("Reps", 0, 200, p.reps, key=f"sess_reps_{p.exercise}")
                else:
                    amount = cols[1].number_input("Seconds", 0, 600, p.seconds, key=f"sess_secs_{p.exercise}")
                load = cols[2].text_input("Load", p.load or "", max_chars=40, key=f"sess_load_{p.exercise}")
                rows.append(dict(done=done, p=p, sets=sets, amount=amount, load=load))
        pain = st.pills("Knee pain during the exercises", PAIN, key="sess_pain")
        _show(form, "form")
        _show(form, "exercise")
        save = st.form_submit_button("Log this session", type="primary")
    if not save:
        return
    chosen = [r for r in rows if r["done"]]
    if not chosen:
        st.session_state[f"errors_{form}"] = {"form": "Tick the exercises you did."}
        st.rerun()

    def log_all() -> None:  # one transaction: a failure saves none of them
        logbook.record_sessions(account.store(), profile, [
            logbook.ExerciseDone(r["p"].exercise, r["sets"], reps=r["amount"] if r["p"].reps is not None else None,
                                 seconds=None if r["p"].reps is not None else r["amount"], load=r["load"])
            for r in chosen
        ], day=day, pain=pain, today=today)

    if _attempt(form, log_all, f"{len(chosen)} exercises logged"):
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
    return f"{r.day:%a %d %b %Y} · {dist:g} {unit} · {r.minutes:g} min"


def checkin_label(c: CheckIn) -> str:
    def show(v: int | None) -> str:
        return "–" if v is None else f"{v}/10"

    return f"{c.day:%a %d %b %Y} · during {show(c.during)} · next morning {show(c.next_morning)}"


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
    factor = 1 / 1.609344 if unit == "mi" else 1
    df = pd.DataFrame([{
        "Date": r.day, f"Distance ({unit})": round(r.km * factor, 2), "Minutes": r.minutes,
        "Effort": r.effort, "Fast min": r.fast_minutes, "Source": r.source,
    } for r in reversed(runs)])
    st.dataframe(df, hide_index=True, width="stretch")


@TABLES_CACHE
def _sessions_table(profile_id: str, revision: int, _profile: Profile) -> None:
    sessions = account.records(_profile).sessions
    if not sessions:
        st.caption("No exercise sessions logged yet.")
        return
    names = {e.id: e.name for e in catalogue().exercises}
    df = pd.DataFrame([{
        "Date": s.day, "Exercise": names.get(s.exercise, s.exercise), "Sets": s.sets,
        "Reps / s": s.reps if s.reps is not None else s.seconds, "Load": s.load, "Pain": s.pain,
    } for s in reversed(sessions)])
    st.dataframe(df, hide_index=True, width="stretch")
