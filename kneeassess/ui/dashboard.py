"""The growth dashboard's screen: a date range, the funnel per source or event, weekly trend, triage mix, weak
links, time to first contact. Counts only (kneeassess.growth). Each chart: PNG from its camera button (Plotly's
modebar, drawn in the browser) and its numbers as CSV."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from typing import Any, cast

import pandas as pd
import streamlit as st

from kneeassess import charts, growth
from kneeassess.storage import LeadStore
from kneeassess.ui import account
from kneeassess.ui.downloads import staff_download

DEFAULT_WEEKS = 8


def chosen_range() -> tuple[date, date]:
    today = date.today()
    cols = st.columns([2, 2, 3])
    picked = cols[0].date_input("Dates", value=(today - timedelta(weeks=DEFAULT_WEEKS) + timedelta(days=1), today),
                                key="dash_days", format="DD/MM/YYYY", max_value=today + timedelta(days=1))
    if isinstance(picked, tuple) and len(picked) == 2:
        return picked[0], picked[1]
    if isinstance(picked, tuple) and len(picked) == 1:
        return picked[0], picked[0]
    return (picked, picked) if isinstance(picked, date) else (today, today)


def group_by() -> growth.GroupBy:
    by: growth.GroupBy = st.radio("Funnel by", list(growth.GROUPS), format_func=lambda k: growth.GROUP_LABELS[k],
                                  key="dash_by", horizontal=True) or "source"
    return by


def data(first: date, last: date) -> growth.DashboardData:
    since, until = growth.day_range(first, last)
    return growth.dashboard_data(cast(LeadStore, account.store()), since, until)


def chart(fig: Any, name: str, rows: Sequence[Mapping[str, object]], key: str) -> None:
    """A chart with its PNG (the camera button, top right of the chart) and its numbers as CSV under it."""
    with st.container(key=f"{key}_chart"):
        st.plotly_chart(fig, width="stretch", key=f"{key}_plot", config={
            "displaylogo": False, "modeBarButtonsToRemove": ["select2d", "lasso2d"],
            "toImageButtonOptions": {"format": "png", "filename": name, "scale": 2},
        })
    left, right = st.columns([1, 1])
    with right:
        staff_download("Numbers (CSV)", growth.table_csv(rows), f"{name}.csv", mime="text/csv", key=f"{key}_csv",
                       width="stretch")
    left.caption("PNG: the camera button at the chart's top right.")


def funnel(d: growth.DashboardData, by: growth.GroupBy) -> None:
    rows = growth.funnel(d, by)
    table = growth.funnel_table(rows, by)
    shown = rows if len(rows) <= 6 else rows[:6]  # All and the five biggest groups on the chart; all in the table
    steps = [growth.STEP_LABELS[s] for s in growth.STEPS]
    fig = charts.funnel_figure(steps, {r.group: [r.counts[s] for s in growth.STEPS] for r in shown})
    st.subheader(f"Funnel by {growth.GROUP_LABELS[by].lower()}")
    chart(fig, f"funnel-by-{by}", table, "dash_funnel")
    with st.container(key="dash_funnel_table"):
        st.dataframe(pd.DataFrame(table), hide_index=True, width="stretch")


def trend(d: growth.DashboardData) -> None:
    rows = growth.weekly_trend(d)
    st.subheader("Screenings and requests per week")
    fig = charts.weekly_counts_figure([cast(date, r["Week of"]) for r in rows], {
        "Screenings": [int(str(r["Screenings"])) for r in rows], "Requests": [int(str(r["Requests"])) for r in rows]})
    chart(fig, "weekly-trend", rows, "dash_trend")


def bars(rows: list[dict[str, object]], label: str, title: str, name: str, key: str, colour: str) -> None:
    st.subheader(title)
    labels = [str(r[label]) for r in rows]
    counts = [int(str(r[next(k for k in r if k != label)])) for r in rows]
    chart(charts.count_bars_figure(labels, counts, next(k for k in rows[0] if k != label).lower(), colour),
          name, rows, key)


def first_contact(d: growth.DashboardData) -> None:
    fc = growth.first_contact(d)
    st.subheader("Time from request to first contact")
    cols = st.columns(3)
    median = fc.median_hours
    cols[0].metric("Median", "—" if median is None else f"{round(median * 60)} min" if median < 1 else f"{median:g} h")
    cols[1].metric("Contacted", fc.contacted)
    cols[2].metric("Not yet", fc.waiting)
    labels = [str(r["Time to first contact"]) for r in fc.buckets]
    counts = [int(str(r["Requests"])) for r in fc.buckets]
    chart(charts.count_bars_figure(labels, counts, "requests", "#2a9d8f"), "time-to-first-contact", fc.buckets,
          "dash_contact")


def reminder_figures(first: date, last: date) -> None:
    """Follow-up reminders: asked for, sent, opened the link, unsubscribed (anonymous counts)."""
    from kneeassess import reminders
    from kneeassess.storage.sql import SqlStore

    store = account.store()
    if not isinstance(store, SqlStore):
        return
    since, until = growth.day_range(first, last)
    rows = reminders.reminder_counts(store, since, until)
    st.subheader("Follow-up reminders")
    with st.container(key="dash_reminders"):
        st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
    staff_download("Numbers (CSV)", growth.table_csv(rows), "reminders.csv", mime="text/csv",
                   key="dash_reminders_csv")
