"""The runner's home, opened by the private link on any device: the latest result at a glance, this week's plan,
quick log actions, a progress glance, the plan to take away, when to re-check, and the link to keep."""

from __future__ import annotations

from datetime import date
from functools import partial

import streamlit as st

from kneeassess import progress
from kneeassess.answers import KM_PER_MILE
from kneeassess.content import catalogue, clinic
from kneeassess.logbook import weekly_km_from_runs
from kneeassess.models import Assessment, PlanItem
from kneeassess.profiles import ProfileRecords
from kneeassess.records import Profile
from kneeassess.reports.calendar import plan_ics
from kneeassess.reports.pdf import plan_pdf
from kneeassess.ui import account, quick_check, results, saving
from kneeassess.ui.navigation import go_to
from kneeassess.ui.plan_source import profile_plan
from kneeassess.ui.state import start_reassessment
from kneeassess.ui.text import count, day_text

LOG_PAGE = "pages/runner/log.py"
SCREENING_PAGE = "pages/runner/screening.py"

# Every button here opens another page from its callback (``go_to``): the click's one run is that page's (a
# ``st.switch_page`` after the button would draw Home again first, then the page).


def _go_log(tab: str) -> None:
    st.session_state["log_tab"] = tab  # the log opens on this tab


def _card_actions(plan_ok: bool) -> None:
    cols = st.columns(2)
    cols[0].button("See my full results", key="home_results", width="stretch", on_click=go_to,
                   args=("pages/runner/results.py",))
    cols[1].button("Book a free consultation", key="home_book", width="stretch", on_click=go_to,
                   args=("pages/runner/book.py",))


def draw(profile: Profile, today: date) -> None:
    recs = account.records(profile)
    found = progress.latest(recs.assessments)
    st.title("Welcome back")
    if found is None:
        st.write("Your profile has no saved knee check yet.")
        st.button("Start the knee check", type="primary", on_click=go_to, args=(SCREENING_PAGE,))
        return
    rec, a = found
    phase, plan = profile_plan(profile, today)
    st.caption(f"Your knee at a glance, from your latest knee check ({day_text(rec.created_at.date())}).")

    quick_check.finish_offer(profile, go_to=SCREENING_PAGE)  # saved from a quick check at a stand
    plan_ok = results.summary_card(a, phase=phase.phase, key="home", profile=profile, safety_of=profile,
                                   actions=_card_actions)
    if not plan_ok:
        plan = []

    left, right = st.columns(2, gap="large")
    with left:
        this_weeks_plan(plan, phase.phase, phase.reason if plan_ok else
                        "This week's plan is shown once you confirm the warning at the top of the page.")
    with right:
        quick_log()
        glance(profile, today)
    left, right = st.columns(2, gap="large")
    with left:
        take_away(a, plan, today)
    with right:
        recheck(rec.created_at.date(), today, recs)
    st.header("Your private link")
    link = account.link()
    if link:
        saving.link_card(link, key="home_share")


def this_weeks_plan(plan: list[PlanItem], phase: str | None, reason: str) -> None:
    st.header("This week's plan")
    if not plan or phase is None:
        st.info(reason, icon=":material/info:")
        return
    info = catalogue().phases[phase]  # type: ignore[index]
    st.markdown(f"**{info.title}** · {catalogue().sessions_per_week} sessions this week")
    st.markdown("\n".join(f"- **{p.name}**: {p.dose}" for p in plan))
    st.button("Start today's session", type="primary", key="home_session", width="stretch", on_click=go_to,
              args=("pages/runner/session.py",))


def quick_log() -> None:
    st.header("Log")
    cols = st.columns(3)
    for col, (label, tab) in zip(cols, (("Log a run", "Runs"), ("Rate my pain", "Pain"),
                                        ("Tick off exercises", "Exercises")), strict=True):
        col.button(label, key=f"home_log_{tab}", width="stretch", on_click=go_to,
                   args=(LOG_PAGE, partial(_go_log, tab)))


def glance(profile: Profile, today: date) -> None:
    recs = account.records(profile)
    st.header("Progress at a glance")
    if recs.checkins:
        st.markdown(":material/monitor_heart: " + progress.weekly_pain_reading(recs.checkins))
    else:
        st.markdown(":material/monitor_heart: No pain ratings yet: rate your knee after your next run.")
    weeks = progress.weekly_load(recs.runs, today, weeks=2)
    if weeks:
        factor, unit = (1 / KM_PER_MILE, "mi") if profile.unit == "mi" else (1.0, "km")
        this = weeks[-1].km * factor
        last = weeks[-2].km * factor if len(weeks) > 1 else 0.0
        st.markdown(f":material/directions_run: This week so far: **{this:.1f} {unit}**; last week {last:.1f} {unit}.")
    else:
        st.markdown(":material/directions_run: No runs logged yet.")
    st.button("See my progress", key="home_progress", width="stretch", on_click=go_to,
              args=("pages/runner/progress.py",))


def take_away(a: Assessment, plan: list[PlanItem], today: date) -> None:
    st.header("Take your plan with you")
    st.download_button("My plan (PDF)", lambda: plan_pdf(a, clinic()), "knee-plan.pdf", mime="application/pdf",
                       width="stretch", key="home_pdf", on_click="ignore")
    if plan:
        tz = st.context.timezone or "Europe/London"
        st.download_button(
            "Add my sessions to my calendar",
            lambda: plan_ics(plan, today, catalogue().sessions_per_week, clinic_name=clinic().name, tz=tz),
            "knee-sessions.ics", mime="text/calendar", width="stretch", key="home_ics", on_click="ignore")


def recheck(last: date, today: date, recs: ProfileRecords) -> None:
    st.header("When to re-check")
    weeks = (today - last).days // 7
    ago = "this week" if weeks == 0 else f"{count(weeks, 'week')} ago"
    st.markdown(f"Your last knee check was on {day_text(last)} ({ago}). Repeat the knee score and the "
                "self-tests every few weeks to see what has changed.")
    st.button("Start a re-check", key="home_recheck", width="stretch", on_click=go_to, args=(
        SCREENING_PAGE, lambda: start_reassessment(
            recs.assessments, weekly_km_from_runs(recs.runs, today) if recs.runs else None)))
