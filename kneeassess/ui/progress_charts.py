"""The progress page's charts: each with an empty state saying what to log, and a one-line reading."""

from __future__ import annotations

from datetime import date

import streamlit as st

from kneeassess import charts, progress
from kneeassess.answers import KM_PER_MILE
from kneeassess.records import CheckIn, ExerciseSession, Run, SavedAssessment
from kneeassess.screening.kujala import MCID

CHART_CONFIG = {"displayModeBar": False}


def _show(fig, key: str) -> None:
    st.plotly_chart(fig, width="stretch", config=CHART_CONFIG, key=key)


def pain(checkins: list[CheckIn]) -> None:
    st.subheader("Knee pain")
    if not checkins:
        st.info("Rate your pain after a run and the next morning (Log → Pain) to see it here.")
        return
    _show(charts.pain_figure([c.day for c in checkins], [c.during for c in checkins],
                             [c.next_morning for c in checkins]), "pain")
    weeks = progress.weekly_pain_reading(checkins)
    st.caption(weeks)


def distance(runs: list[Run], today: date, unit: str, primary: str) -> None:
    st.subheader("Weekly distance")
    weeks = progress.weekly_load(runs, today)
    if not weeks:
        st.info("Log your runs (Log → Runs) to see your weekly distance.")
        return
    factor = 1 / KM_PER_MILE if unit == "mi" else 1
    _show(charts.weekly_distance_figure([w.week_start for w in weeks], [round(w.km * factor, 1) for w in weeks],
                                        [w.change_pct for w in weeks], unit, primary), "distance")
    st.caption(progress.distance_reading(weeks, factor, unit))
    daily = progress.daily_load(runs, today)
    if daily and any(r is not None for r in daily.ratio):
        st.markdown("**Recent against usual load**")
        _show(charts.load_ratio_figure(daily.days, [a * factor for a in daily.acute],
                                       [c * factor for c in daily.chronic], daily.ratio, unit), "ratio")
        latest = next(r for r in reversed(daily.ratio) if r is not None)
        st.caption(
            f"Your recent load is {latest:g} times your usual load (exponentially weighted, 7 and 28 days). "
            "This describes your training; it does not predict injury. Large, sudden jumps are worth easing."
        )
    else:
        st.caption("The recent-against-usual ratio appears after 28 days of logged runs.")


def sessions(items: list[ExerciseSession], planned: int, today: date, primary: str) -> None:
    st.subheader("Exercise sessions")
    weeks = progress.sessions_vs_planned(items, planned, today)
    if not weeks:
        st.info("Tick off your exercises (Log → Exercises) to see sessions done against planned.")
        return
    _show(charts.sessions_figure([w.week_start for w in weeks], [w.done for w in weeks],
                                 [w.planned for w in weeks], primary), "sessions")
    st.caption(f"This week: {weeks[-1].done} of {planned} planned sessions.")


def kujala(assessments: list[SavedAssessment]) -> None:
    st.subheader("Knee score (Kujala)")
    series = progress.kujala_series(assessments)
    if not series:
        st.info("Answer all 13 knee-score questions in a check or reassessment to see your score here.")
        return
    _show(charts.kujala_figure([d for d, _ in series], [t for _, t in series], MCID), "kujala")
    st.caption(progress.kujala_reading(series))


def self_tests(assessments: list[SavedAssessment]) -> None:
    st.subheader("Self-tests, left and right")
    rows = progress.self_test_results(assessments)
    if not rows:
        st.info("Do the self-tests in a check or reassessment to compare your two sides here.")
        return
    _show(charts.self_tests_figure([(r.label, f"{r.day:%d %b}", r.left, r.right, r.asymmetry_pct) for r in rows]),
          "selftests")
    st.caption(progress.self_test_reading(rows))


def links(assessments: list[SavedAssessment]) -> None:
    st.subheader("Weak links over time")
    scores = progress.link_scores(assessments)
    if not scores:
        st.info("Your weak-link scores appear here after your first saved check.")
        return
    days = sorted({d for d, _, _ in scores})
    by_link = {lk: [next((s for d2, l2, s in scores if d2 == d and l2 == lk), None) for d in days]
               for lk in ("foot", "hamstring", "hip")}
    _show(charts.link_scores_figure(days, by_link), "links")
    st.caption(progress.links_reading(assessments))
