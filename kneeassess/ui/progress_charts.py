"""The progress page's sections: this week's phase and plan, then the charts, each with an empty state saying what
to log and a one-line reading.

All parts are drawn by functions cached per profile revision (``st.cache_data`` records the elements they draw
and replays them): a rerun that changed nothing neither reads the records nor builds a figure, and any write to
the profile raises its revision, so nothing stale is shown (bench/RESULTS.md, part 1).
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

import streamlit as st

from kneeassess import charts, progress
from kneeassess.answers import KM_PER_MILE
from kneeassess.content import catalogue, clinic, rulebook
from kneeassess.profiles import ProfileRecords
from kneeassess.records import CheckIn, ExerciseSession, Profile, Run, SavedAssessment
from kneeassess.screening.kujala import MCID
from kneeassess.screening.phase import weekly_pain
from kneeassess.ui import account
from kneeassess.ui.lazy import drawn_when_open
from kneeassess.ui.results import plan_item

if TYPE_CHECKING:
    import plotly.graph_objects as go

CHART_CONFIG = {"displayModeBar": False}
PERIODS = {"recent": f"Last {progress.PERIOD_WEEKS} weeks", "all": "Everything"}
CACHE = st.cache_data(show_spinner=False, max_entries=128, ttl=900)


def period_choice() -> str:
    st.divider()
    chosen = st.segmented_control("Show", list(PERIODS), default="recent", format_func=PERIODS.__getitem__,
                                  key="progress_period")
    return chosen or "recent"


def this_week(profile: Profile, show_plan: bool = True) -> None:
    """This week's phase and, when the safety status allows it here (``show_plan``), the plan: in an expander
    whose exercise cards are drawn only while it is open (``on_change="rerun"``); closed, they would still be
    sent and laid out on every view of the page (over a hundred elements)."""
    today = date.today()
    if not _this_week(profile.id, profile.revision, today, show_plan, _profile=profile):
        return
    drawn_when_open(f"This week's plan ({catalogue().sessions_per_week} sessions)", "progress_plan",
                    lambda: _plan(profile.id, profile.revision, today, _profile=profile))


TABS = ["Pain and running", "Exercises", "Knee checks"]


def charts_for(profile: Profile, period: str) -> None:
    """Three tabs, only the open one drawn (``on_change="rerun"``): knee pain, weekly distance and recent against
    usual load; exercise sessions; knee score, self-tests and weak links. Over ``period``."""
    key = (profile.id, profile.revision, date.today(), profile.unit, period)
    running, exercises, checks = st.tabs(TABS, key="progress_tab", on_change="rerun")
    if running.open:
        with running:
            _running(*key, _profile=profile)
    if exercises.open:
        with exercises:
            _exercises(*key, _profile=profile)
    if checks.open:
        with checks:
            _checks(*key, _profile=profile)


@CACHE
def _this_week(profile_id: str, revision: int, today: date, show_plan: bool, _profile: Profile) -> bool:
    """The phase's heading and reason; whether its plan may follow."""
    from kneeassess.ui.plan_source import profile_plan

    phase, _ = profile_plan(_profile, today)
    if not phase.phase:
        st.info(phase.reason)
        return False
    info = catalogue().phases[phase.phase]
    st.header(f"This week: {info.title}")
    st.write(phase.reason)
    if not show_plan:
        st.info("This week's plan is shown once you confirm the warning at the top of the page.")
        return False
    return True


@CACHE
def _plan(profile_id: str, revision: int, today: date, _profile: Profile) -> None:
    from kneeassess.ui.plan_source import profile_plan

    for item in profile_plan(_profile, today)[1]:
        plan_item(item)


def _weeks(period: str) -> int | None:
    return None if period == "all" else progress.PERIOD_WEEKS


@CACHE
def _running(profile_id: str, revision: int, today: date, unit: str, period: str, _profile: Profile) -> None:
    recs: ProfileRecords = account.records(_profile)
    pain(recs.checkins, progress.window_start(today, _weeks(period)))
    distance(recs.runs, today, unit, clinic().colours.primary, _weeks(period))


@CACHE
def _exercises(profile_id: str, revision: int, today: date, unit: str, period: str, _profile: Profile) -> None:
    recs: ProfileRecords = account.records(_profile)
    sessions(recs.sessions, catalogue().sessions_per_week, today, clinic().colours.primary, _weeks(period))


@CACHE
def _checks(profile_id: str, revision: int, today: date, unit: str, period: str, _profile: Profile) -> None:
    recs: ProfileRecords = account.records(_profile)
    kujala(recs.assessments)
    self_tests(recs.assessments, progress.window_start(today, _weeks(period)))
    links(recs.assessments)


def _show(fig: go.Figure, key: str) -> None:
    st.plotly_chart(fig, width="stretch", config=CHART_CONFIG, key=key)


def _older(what: str) -> None:
    st.info(f"No {what} in the last {progress.PERIOD_WEEKS} weeks. Choose “Everything” above to see older ones.")


def pain(checkins: list[CheckIn], since: date | None) -> None:
    st.subheader("Knee pain")
    if not checkins:
        st.info("Rate your pain after a run and the next morning (Log → Pain) to see it here.")
        return
    if since is None:  # everything: each week's worst (two years of daily points are a solid band on a phone)
        weeks = weekly_pain([(c.day, c.during, c.next_morning) for c in checkins])
        _show(charts.pain_figure([w.week_start for w in weeks], [w.worst for w in weeks],
                                 [w.morning for w in weeks], weekly=True), "pain")
        st.caption("Each point is the worst rating of its week. " + progress.weekly_pain_reading(checkins))
        return
    recent = [c for c in checkins if c.day >= since]
    if not recent:
        _older("pain ratings")
        return
    _show(charts.pain_figure([c.day for c in recent], [c.during for c in recent],
                             [c.next_morning for c in recent]), "pain")
    st.caption(progress.weekly_pain_reading(recent))


def distance(runs: list[Run], today: date, unit: str, primary: str, weeks: int | None) -> None:
    st.subheader("Weekly distance")
    load = progress.weekly_load(runs, today, weeks)
    if not load:
        st.info("Log your runs (Log → Runs) to see your weekly distance.")
        return
    factor = 1 / KM_PER_MILE if unit == "mi" else 1
    _show(charts.weekly_distance_figure([w.week_start for w in load], [round(w.km * factor, 1) for w in load],
                                        [w.change_pct for w in load], unit, primary), "distance")
    st.caption(progress.distance_reading(load, factor, unit))
    daily = progress.daily_load(runs, today)  # from the first run: the averages need the whole history
    if not daily or all(r is None for r in daily.ratio):
        st.caption("The recent-against-usual ratio appears after 28 days of logged runs.")
        return
    start = 0 if weeks is None else max(0, len(daily.days) - weeks * 7)
    st.markdown("**Recent against usual load**")
    _show(charts.load_ratio_figure(daily.days[start:], [a * factor for a in daily.acute[start:]],
                                   [c * factor for c in daily.chronic[start:]], daily.ratio[start:], unit), "ratio")
    latest = next(r for r in reversed(daily.ratio) if r is not None)
    st.caption(
        f"Your recent load is {latest:g} times your usual load (exponentially weighted, 7 and 28 days). "
        "This describes your training; it does not predict injury. Large, sudden jumps are worth easing."
    )


def sessions(items: list[ExerciseSession], planned: int, today: date, primary: str, weeks: int | None) -> None:
    st.subheader("Exercise sessions")
    done = progress.sessions_vs_planned(items, planned, today, weeks)
    if not done:
        st.info("Tick off your exercises (Log → Exercises) to see sessions done against planned.")
        return
    _show(charts.sessions_figure([w.week_start for w in done], [w.done for w in done],
                                 [w.planned for w in done], primary), "sessions")
    st.caption(f"This week: {done[-1].done} of {planned} planned sessions.")


def kujala(assessments: list[SavedAssessment]) -> None:
    st.subheader("Knee score (Kujala)")
    series = progress.kujala_series(assessments)
    if not series:
        st.info("Answer all 13 knee-score questions in a check or reassessment to see your score here.")
        return
    _show(charts.kujala_figure([d for d, _ in series], [t for _, t in series], MCID), "kujala")
    st.caption(progress.kujala_reading(series))


def self_tests(assessments: list[SavedAssessment], since: date | None) -> None:
    st.subheader("Self-tests, left and right")
    rows = progress.self_test_results(assessments)
    if not rows:
        st.info("Do the self-tests in a check or reassessment to compare your two sides here.")
        return
    if since is not None:  # the period's tests, or else the latest day's (the sides now)
        recent = [r for r in rows if r.day >= since]
        rows = recent or [r for r in rows if r.day == rows[-1].day]
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
    by_day = {(d, lk): s for d, lk, s in scores}
    by_link = {lk: [by_day.get((d, lk)) for d in days] for lk in ("foot", "hamstring", "hip")}
    names: dict[str, str] = {lk: info.name for lk, info in rulebook().links.items()}
    _show(charts.link_scores_figure(days, by_link, names), "links")
    st.caption(progress.links_reading(assessments))

