"""Pieces of the results screen. Each draws one part of an Assessment; none computes anything clinical."""

from __future__ import annotations

import base64
from collections.abc import Callable
from datetime import date
from html import escape

import streamlit as st

from kneeassess.answers import km_to_miles
from kneeassess.charts import weekly_km_svg
from kneeassess.content import NO_PLAN_LEVELS, Clinic, Exercise, Triage, catalogue, clinic, rulebook
from kneeassess.models import Assessment, PlanItem, WeakLink
from kneeassess.records import Profile
from kneeassess.reports.calendar import plan_ics
from kneeassess.reports.pdf import plan_pdf
from kneeassess.screening.advice import triage_advice
from kneeassess.screening.load import RATIO_NOTE
from kneeassess.screening.plan import LINK_WORDS, unserved_links
from kneeassess.ui import movement
from kneeassess.ui.navigation import go_to
from kneeassess.ui.pictures import picture
from kneeassess.ui.state import Screening, screening

LEVEL_WORDS = {"likely": "Likely weak link", "possible": "Possible weak link", "unlikely": "Unlikely"}
LEVEL_BADGES = {  # words and icon shapes, never colour alone
    "likely": ":red-badge[:material/priority_high: Likely weak link]",
    "possible": ":orange-badge[:material/help: Possible weak link]",
    "unlikely": ":green-badge[:material/check: Unlikely]",
}
UNTESTED_BADGE = ":gray-badge[:material/visibility_off: Not tested]"


def top_weak_link(a: Assessment) -> WeakLink | None:
    return next((w for w in a.weak_links if w.level != "unlikely"), None)


def summary_card(a: Assessment, phase: str | None = None, key: str = "summary",
                 profile: Profile | None = None, safety_of: Profile | None = None,
                 actions: Callable[[bool], None] | None = None) -> bool:
    """The answer first: the safety advice (kneeassess.ui.safety.render_safety, the one place it is drawn), the
    top weak link and what it means, this week's phase, then ``actions(plan_ok)`` (the page's next steps) inside
    the card. Returns whether a plan may be shown."""
    from kneeassess.ui.safety import render_safety

    card = st.container(border=True, key=f"{key}_card")
    with card:
        plan_ok = render_safety(safety_of or a, key=key, show_ok=True, profile=profile)  # ``safety_of``: the
        # profile's status (its flag may be resolved or confirmed since this check)
        if a.triage in NO_PLAN_LEVELS:
            return plan_ok
        cols = st.columns(2)
        with cols[0]:
            top = top_weak_link(a)
            if top is None:
                st.markdown("**Weak links:** none stood out, so your plan is a general programme.")
            else:
                info = rulebook().links[top.link]
                st.markdown(f"**Your top weak link: {info.name}** · {LEVEL_BADGES[top.level]} · {top.score}/100")
                st.markdown(info.what)
        with cols[1]:
            shown = phase if phase is not None else a.phase
            if shown:
                ph = catalogue().phases[shown]  # type: ignore[index]
                st.markdown(f"**This week: {ph.title}**")
                st.markdown(ph.running)
        if actions is not None:
            actions(plan_ok)
    return plan_ok


def next_actions(s: Screening, a: Assessment, *, saved: bool, plan: bool = True) -> None:
    """The card's three next steps: start today's session, save, book."""
    from kneeassess.ui import saving

    cols = st.columns(3)
    if plan:
        cols[0].button("Start today's session", type="primary", key="start_session", width="stretch",
                       on_click=go_to, args=("pages/runner/session.py",))
    with cols[1]:
        if saved:
            st.markdown(":material/check_circle: **Saved to your profile**")
        else:
            saving.save_action(s, a)
    cols[2].button("Book a free consultation", key="book", width="stretch", on_click=go_to,
                   args=("pages/runner/book.py",))


def notes(a: Assessment) -> None:
    """The assessment's notes (age, pain location). Safety advice is not among them: render_safety draws it."""
    for n in a.notes:
        st.info(n, icon=":material/info:")
    for limit in a.plan_limits:
        st.info(limit.text, icon=":material/do_not_disturb_on:")


def small(text: str) -> str:
    """Small print inside a Markdown element (what ``st.caption`` shows as an element of its own)."""
    return ":small[" + text.replace("[", "\\[").replace("]", "\\]") + "]"


# The cards below draw a few larger Markdown elements rather than one per line: the browser's work on every
# screen grows with the number of elements (expanders' contents included, drawn while closed; bench/NOTES.md).


def weak_link_card(w: WeakLink, measured: list[str] | None = None) -> None:
    info = rulebook().links[w.link]
    with st.container(border=True):
        badge = LEVEL_BADGES[w.level] if w.tested or w.level != "unlikely" else UNTESTED_BADGE
        st.markdown(f"**{info.name}**\n\n{badge} · **{w.score}**/100")
        st.progress(w.score / 100)
        if w.untested_note:
            st.caption(w.untested_note)
        with st.expander("Why?"):
            items = [f"- {r.text} (+{r.points})  \n  {small(f'Source: {r.source}')}" for r in w.reasons]
            items += [f"- {line}" for line in measured or []]  # the movement check's figures, as confirmed
            if not w.reasons:
                items.insert(0, "None of your answers pointed to this link.\n")
            st.markdown("\n".join(items))
            st.caption(f"{info.what}\n\nWhat the evidence says: {info.evidence}")


def weak_links(a: Assessment) -> None:
    st.subheader("Your weak links")
    st.caption("Scored from your answers and self-tests. Each point has a reason; tap “Why?” to see them.")
    figures = movement.why_lines(screening())  # the confirmed movement check: with the hip link's reasons
    for col, w in zip(st.columns(len(a.weak_links) or 1), a.weak_links, strict=False):  # side by side on a desktop
        with col:
            weak_link_card(w, figures if w.link == "hip" else None)


def knee_score(a: Assessment) -> None:
    st.subheader("Knee score (Kujala)")
    if a.kujala.total is not None:
        st.metric("Your score", f"{a.kujala.total} / 100")
    st.write(a.kujala.meaning)
    if a.kujala.version:
        st.caption(f"Version scored: {a.kujala.version}")


@st.cache_data(show_spinner=False, max_entries=256)
def weekly_km_chart(weekly: tuple[float, ...], primary: str, unit: str) -> None:
    """A static picture (its values are written on the bars): Plotly's code, the heaviest the browser can load,
    would be loaded and run for this one small chart on the first results a runner sees (bench/NOTES.md). Drawn
    once per set of four weeks, then replayed."""
    svg, alt = weekly_km_svg(list(weekly), primary, unit)
    st.html(f'<img src="data:image/svg+xml;base64,{base64.b64encode(svg.encode()).decode()}" alt="{escape(alt)}" '
            'style="width:100%;max-width:560px;height:auto;display:block">')


def training_load(a: Assessment, primary: str, unit: str) -> None:
    st.subheader("Your running load")
    km = a.load.weekly_km
    known = [v for v in km if v is not None]
    if len(known) == len(km):
        shown = [km_to_miles(v) for v in known] if unit == "mi" else known
        weekly_km_chart(tuple(shown), primary, unit)
    if a.load.findings:
        st.markdown("\n".join(f"- {f}" for f in a.load.findings))
    if a.load.acwr is not None:
        with st.expander("Why?"):
            st.markdown(RATIO_NOTE.format(ratio=a.load.acwr))


def how_to_do_it(ex: Exercise) -> None:
    """The steps, cues and mistakes of an exercise, in an expander (two elements)."""
    with st.expander("How to do it"):
        st.markdown("\n".join(f"{i}. {line}" for i, line in enumerate(ex.steps, 1))
                    + "\n\n**Cues:** " + " · ".join(ex.cues) + "\n\n**Avoid:** " + " · ".join(ex.mistakes))
        st.caption(f"Source: {ex.source}" + (f"\n\nEvidence: {ex.evidence_note}" if ex.evidence_note else ""))


def plan_item(p: PlanItem, weak: list[WeakLink] | None = None) -> None:
    with st.container(border=True):
        st.markdown(f"#### {p.name}")
        picture(p.exercise, max_width=360)
        flagged = {w.link for w in weak or [] if w.level in ("likely", "possible")}
        serves = [lk for lk in p.serves if lk in flagged]
        trains = (":material/target: **Trains your " + " and ".join(LINK_WORDS[s] for s in serves) + "**"
                  if serves else "")
        st.markdown(f"**{p.dose}** · level {p.level}" + (f"\n\n{trains}" if trains else ""))
        st.caption(p.why)
        how_to_do_it(catalogue().get(p.exercise))


def phase_and_plan(a: Assessment) -> None:
    if a.phase is None:  # urgent: no phase, no plan
        return
    cat = catalogue()
    info = cat.phases[a.phase]
    st.subheader(f"This week: {info.title}")
    first = ("\n\n**But first:** last week was a big jump in distance. Ease back towards your usual weekly "
             "distance before you build up again.") if "big_jump" in a.load.flags else ""
    st.markdown(f"{a.phase_reason}\n\n**Running:** {info.running}{first}\n\n**Exercises:** {info.exercise}")
    st.caption(f"Pain rule: {info.rule}")
    st.markdown(f"#### Your plan: {cat.sessions_per_week} sessions this week")
    st.caption(cat.sessions_note)
    for link, later in unserved_links(a.plan, a.weak_links, a.phase):
        words = LINK_WORDS[link]
        why = f"No exercise for your {words} this week. In the “{info.title}” phase: {info.exercise}"
        if later:
            why += f" Exercises for your {words} join your plan in the “{cat.phases[later].title}” phase."  # type: ignore[index]
        st.info(why, icon=":material/info:")
    for i in range(0, len(a.plan), 2):  # rows of two cards on a desktop; one column, same order, on a phone
        for col, p in zip(st.columns(2), a.plan[i:i + 2], strict=False):
            with col:
                plan_item(p, a.weak_links)
    st.info(
        "Pain guides the dose: during and after exercise, up to 5 out of 10 is acceptable if it has settled by "
        "the next morning. Never push through pain above 5 out of 10.",
        icon=":material/monitor_heart:",
    )


def calendar_warning(level: Triage) -> str | None:
    """The standing warning carried into the calendar file for a see_clinician flag (the advice's own words)."""
    if level == "self_care":
        return None
    adv = triage_advice(level)
    return f"{adv.title}. {adv.what_to_do}"


def take_away(a: Assessment) -> None:
    """My plan as a PDF, and this week's sessions as calendar reminders."""
    st.markdown("#### Take your plan with you")
    left, right = st.columns(2)
    # made when pressed (a PDF takes a few hundred ms: not on every rerun)
    left.download_button("My plan (PDF)", lambda: plan_pdf(a, clinic()), "knee-plan.pdf", mime="application/pdf",
                         width="stretch", key="dl_pdf", on_click="ignore")
    if a.plan:
        tz = st.context.timezone or "Europe/London"
        right.download_button(
            "Add my sessions to my calendar",
            lambda: plan_ics(a.plan, date.today(), catalogue().sessions_per_week, clinic_name=clinic().name, tz=tz,
                             warning=calendar_warning(a.triage)),
            "knee-sessions.ics", mime="text/calendar", width="stretch", key="dl_ics", on_click="ignore")


def not_judged(a: Assessment) -> None:
    if a.not_judged:
        with st.expander("What we could not judge"):
            st.markdown("\n".join(f"- {line}" for line in a.not_judged))


def contact_lines(c: Clinic) -> list[str]:
    lines = []
    if c.phone:
        lines.append(f"Phone: [{c.phone}](tel:{c.phone.replace(' ', '')})")
    if c.email:
        lines.append(f"Email: [{c.email}](mailto:{c.email})")
    if c.address:
        lines.append(f"Address: {c.address}")
    if c.booking_url:
        lines.append(f"Book online: [{c.booking_url}]({c.booking_url})")
    return lines


def clinic_contact(key: str = "book", *, main_action: bool = True, button: bool = True) -> None:
    """The clinic's free-consultation offer with a button to the booking page (in kiosk mode: the form here).
    ``main_action=False`` on the urgent screens: the next step there is urgent care, so booking is a plain button
    under the advice, never the filled one. ``button=False``: the page has its own booking button already."""
    from kneeassess.ui.navigation import in_kiosk

    c = clinic()
    if main_action:
        st.subheader(f"Talk to {c.name}")
        st.write(f"{c.name} offers a free consultation if you are unsure whether physiotherapy is right for you.")
    else:
        st.caption(f"Later, once your knee has been checked, {c.name} offers a free consultation about your "
                   "running.")
    if in_kiosk():
        if st.toggle("Book a free consultation", key=key):
            from kneeassess.ui import account, booking
            from kneeassess.ui.session_results import current_assessment
            from kneeassess.ui.state import screening

            booking.booking_form(current_assessment(screening()), account.current_profile(), key=f"{key}_form")
        return
    if button:
        st.button("Book a free consultation", type="primary" if main_action else "secondary", key=key,
                  width="stretch" if main_action else "content", on_click=go_to, args=("pages/runner/book.py",))
    if lines := contact_lines(c):
        st.caption("Or contact the clinic directly: " + " · ".join(lines))
