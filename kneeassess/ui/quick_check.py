"""The quick check on screen: safety on one screen, your knee (chips), the single-leg squat with staff help, the
result. Every tap is a widget callback: one script run per tap, no keyboard. The kiosk and the runner's site use
the same screens; the assessment is the screening's own ``assess()``.
"""

from __future__ import annotations

import contextlib
import json
import time
from dataclasses import dataclass, field
from functools import partial
from typing import Any

import streamlit as st

from kneeassess import events, profiles, quick
from kneeassess.answers import InvalidAnswers
from kneeassess.content import NO_PLAN_LEVELS, SIDES, questionnaire
from kneeassess.models import Assessment
from kneeassess.records import Profile, SavedAssessment
from kneeassess.screening import assess
from kneeassess.screening.triage import red_flags, self_tests_not_asked, triage_level
from kneeassess.storage import StorageError
from kneeassess.ui import account, movement, navigation, results, safety, saving
from kneeassess.ui.config import settings
from kneeassess.ui.navigation import EVENT_KEY
from kneeassess.ui.page_top import open_at_top
from kneeassess.ui.pictures import picture
from kneeassess.ui.state import restart, screening

KEY = "kneeassess_quick"
SCREENS = ("safety", "knee", "test", "result")
TITLES = {"safety": "Safety check", "knee": "Your knee", "test": "Self-test with our staff", "result": "Your result"}


@dataclass
class Quick:
    screen: str = "safety"
    answers: dict[str, Any] = field(default_factory=dict)
    timer_started: float | None = None  # time.time() when the squat timer was started
    counted_id: int | None = None  # the row that counts this check for the clinic's event figures
    movement: dict[str, Any] | None = None  # the confirmed figures of a filmed squat (staff film it with the tablet)

    def timer_left(self, duration: int) -> float:
        if self.timer_started is None:
            return 0.0
        return max(0.0, duration - (time.time() - self.timer_started))


def state() -> Quick:
    if KEY not in st.session_state:
        st.session_state[KEY] = Quick()
    q: Quick = st.session_state[KEY]
    return q


def clear() -> None:
    """Forget this visitor's quick check (its answers and its widgets)."""
    st.session_state.pop(KEY, None)
    for k in [k for k in st.session_state if str(k).startswith("q_")]:
        del st.session_state[k]


def timer_s() -> int:
    """The squat timer's seconds (``KNEEASSESS_KIOSK_TEST_TIMER_S``, default 60)."""
    return settings().kiosk_test_timer_s


# --- taps -------------------------------------------------------------------------------------------------
# A chip's answer is copied from the chip into the quick check's answers as the screen is drawn (``_set``,
# ``_set_distance``, ``_set_signs``), not in the chip's on_change callback: Streamlit 1.67 cuts a callback short at
# its first ``st.session_state`` read when the next tap has already arrived, and does not call it again (the next
# run sees the chip unchanged). Two quick taps on a busy server lost the first tap's answer while its chip showed
# it picked (tests/stress.sh, 2026-12-03; tests/e2e/test_quick_taps.py shows the cut). Drawn, the answers always
# match the chips on screen. Buttons keep their callbacks: a cut there loses nothing that the screen still shows.


def _go(screen: str) -> None:
    q = state()
    q.screen = screen
    q.timer_started = None if screen != "test" else q.timer_started


def _after_safety() -> None:
    q = state()
    ticked = [rid for rid in quick.safety_ids(q.answers) if st.session_state.get(f"q_{rid}")]
    q.answers |= quick.safety_answers(ticked, q.answers)
    no_plan = triage_level(red_flags(q.answers)) in NO_PLAN_LEVELS  # the rest is moot: straight to the advice
    _go("result" if no_plan else "knee")


def _set(aid: str) -> None:
    value = st.session_state.get(f"q_{aid}")
    q = state()
    if value is None or value == []:
        q.answers.pop(aid, None)
    else:
        q.answers[aid] = list(value) if isinstance(value, list) else value


def _set_distance(which: str) -> None:
    q = state()
    value = st.session_state.get(f"q_{which}")
    ids = ("km_week_0",) if which == "last_week" else ("km_week_1", "km_week_2", "km_week_3")
    for aid in ids:
        q.answers.pop(aid, None)
    if value is not None:
        q.answers |= quick.usual_weeks(value, None) if which == "last_week" else quick.usual_weeks(None, value)


def _last_tap_wins(picked: list[str]) -> list[str]:
    """"None of these" and a sign both picked: the last tap wins."""
    if len(picked) > 1 and quick.NONE_SEEN in picked:
        return [quick.NONE_SEEN] if picked[-1] == quick.NONE_SEEN else [p for p in picked if p != quick.NONE_SEEN]
    return picked


def _tidy_signs(side: str) -> None:
    """On a tap: drop "None of these" or the signs from the chips, whichever the tap contradicts."""
    key = f"q_signs_{side}"
    picked = list(st.session_state.get(key) or [])
    if (tidy := _last_tap_wins(picked)) != picked:
        st.session_state[key] = tidy


def _set_signs(side: str) -> None:
    q = state()
    picked = _last_tap_wins(list(st.session_state.get(f"q_signs_{side}") or []))
    for b in quick.SQUAT_SIGNS:
        q.answers.pop(f"{b}_{side}", None)
    if picked:
        q.answers |= quick.squat_answers(side, picked)


def _start_timer() -> None:
    state().timer_started = time.time()


# --- the screens -------------------------------------------------------------------------------------------


def header(q: Quick) -> None:
    number = SCREENS.index(q.screen) + 1
    if q.screen != "result":
        st.caption(f"Quick check · step {number} of 3")
        st.progress(number / 4)
    st.header(TITLES[q.screen])
    open_at_top("step", f"quick-{q.screen}")


def safety_screen(q: Quick) -> None:
    st.write("Tick anything that is true for you now or since the pain began.")
    step = questionnaire().step("safety")
    for question in step.questions:
        if question.id in quick.safety_ids(q.answers):
            st.checkbox(question.label, key=f"q_{question.id}", value=bool(q.answers.get(question.id)))
    ticked = any(st.session_state.get(f"q_{rid}") for rid in quick.safety_ids(q.answers))
    st.button("Continue" if ticked else "None of these apply to me", type="primary", width="stretch",
              key="q_safety_next", on_click=_after_safety, icon=":material/arrow_forward:")


def _pills(label: str, options: list[Any], aid: str, q: Quick, fmt: Any = str, record: Any = None,
           args: tuple[Any, ...] | None = None, current: Any = None) -> None:
    """One question's chips (one answer), and its answer recorded from them (``record``, default ``_set``)."""
    key = f"q_{aid}"
    if key not in st.session_state and current is not None:
        st.session_state[key] = current
    st.pills(label, options, selection_mode="single", format_func=fmt, key=key)
    (record or _set)(*(args if args is not None else (aid,)))


def knee_screen(q: Quick) -> None:
    loc = next(x for x in questionnaire().step("symptoms").questions if x.id == "pain_location")
    key = "q_pain_location"
    if key not in st.session_state and q.answers.get("pain_location"):
        st.session_state[key] = q.answers["pain_location"]
    st.pills("Where does it hurt? Choose all that apply.", [o.value for o in loc.options], selection_mode="multi",
             default=None, format_func=loc.option_label, key=key)
    _set("pain_location")
    pains = list(quick.PAIN_CHIPS)
    _pills("Worst knee pain during or after running, last 7 days (0 = none, 10 = worst)", pains, "pain_run_worst",
           q, current=q.answers.get("pain_run_worst"))
    _pills("Knee pain the morning after your last run", pains, "pain_next_morning", q,
           current=q.answers.get("pain_next_morning"))
    chips = list(quick.DISTANCE_CHIPS_KM)

    def km(v: int) -> str:
        return f"{v}+ km" if v == chips[-1] else f"{v} km"

    _pills("How far did you run in the last 7 days?", chips, "last_week", q, fmt=km, record=_set_distance,
           args=("last_week",), current=q.answers.get("km_week_0"))
    _pills("And in a usual week before that?", chips, "usual_week", q, fmt=km, record=_set_distance,
           args=("usual_week",), current=q.answers.get("km_week_1"))
    left, right = st.columns([2, 1])
    left.button("Next: the self-test", type="primary", width="stretch", key="q_knee_next", on_click=_go,
                args=("test",), icon=":material/arrow_forward:")
    right.button("Back", width="stretch", key="q_knee_back", on_click=_go, args=("safety",))


def timer(q: Quick) -> None:
    """The squat timer: counts down on the tablet (in the browser, no reruns); the kiosk's inactivity reset
    waits while it runs (``window.__kaPauseUntil``)."""
    duration = timer_s()
    left = q.timer_left(duration)
    if left <= 0:
        q.timer_started = None
        st.button(f"Start the timer ({duration} s: left leg, then right)", width="stretch", key="q_timer",
                  on_click=_start_timer, icon=":material/timer:")
        return
    config = json.dumps({"left": round(left, 1), "half": duration / 2})
    script = TIMER_JS.replace("CONFIG", config)
    st.html('<p id="ka-timer" role="timer" aria-live="off" style="font-size:2rem;font-weight:700;'
            'text-align:center;margin:.5rem 0"></p>' f"<script>{script}</script>",
            unsafe_allow_javascript=True)  # fixed script; its only data are two numbers


TIMER_JS = """
(function () {
  const c = CONFIG;
  const end = Date.now() + c.left * 1000;
  window.__kaPauseUntil = end;
  if (window.__kaTimerTick) { clearInterval(window.__kaTimerTick); }
  function tick() {
    const e = document.getElementById('ka-timer');
    const s = Math.max(0, Math.ceil((end - Date.now()) / 1000));
    if (e) { e.textContent = s === 0 ? 'Time is up: what did you see?' :
      ((s > c.half ? 'Left leg: ' : 'Right leg: ') + s + ' s'); }
    if (s === 0) { clearInterval(window.__kaTimerTick); window.__kaTimerTick = null; }
  }
  tick();
  window.__kaTimerTick = setInterval(tick, 250);
})();
"""


def test_screen(q: Quick) -> None:
    not_asked = self_tests_not_asked(q.answers)
    if not_asked and "single_leg_squat" in not_asked[0]:
        st.info(not_asked[1], icon=":material/health_and_safety:")
        st.button("See my result", type="primary", width="stretch", key="q_result", on_click=_go,
                  args=("result",))
        return
    sec = next(s for s in questionnaire().step("self_tests").sections if s.id == "single_leg_squat")
    cols = st.columns([1, 2], vertical_alignment="center")
    with cols[0]:
        picture("single_leg_squat", max_width=240)
    with cols[1]:
        st.markdown("Stand on one leg, holding our staff's hand or a chair. Squat down slowly and stand up, "
                    "**5 times on each leg**. Staff watch your knee, hips and upper body with you.")
        if sec.safety:
            st.caption(sec.safety)
    timer(q)
    movement.movement_check(q)  # or film it: the tablet measures what staff would judge by eye
    labels = {b.id: b.label for b in sec.questions if b.id in quick.SQUAT_SIGNS}
    labels[quick.NONE_SEEN] = "None of these"
    for side in SIDES:
        key = f"q_signs_{side}"
        if key not in st.session_state:
            seen = [b for b in quick.SQUAT_SIGNS if q.answers.get(f"{b}_{side}") is True]
            done = q.answers.get(f"sls_knee_in_{side}") is not None
            st.session_state[key] = seen or ([quick.NONE_SEEN] if done else [])
        st.pills(f"What did you see on the {side} leg?", list(labels), selection_mode="multi", default=None,
                 format_func=lambda v: labels[v], key=key, on_change=_tidy_signs, args=(side,))
        _set_signs(side)
        _pills(f"Knee pain during the squats, {side} leg (0 to 10)", list(quick.PAIN_CHIPS), f"sls_pain_{side}", q,
               current=q.answers.get(f"sls_pain_{side}"))
    left, right = st.columns([2, 1])
    left.button("See my result", type="primary", width="stretch", key="q_result", on_click=_go, args=("result",),
                icon=":material/arrow_forward:")
    right.button("Back", width="stretch", key="q_test_back", on_click=_go, args=("knee",))


def questions(q: Quick) -> bool:
    """Draw the current question screen. False once the result is due (the caller draws it)."""
    if q.screen == "result":
        return False
    header(q)
    {"safety": safety_screen, "knee": knee_screen, "test": test_screen}[q.screen](q)
    return True


def assessment(q: Quick) -> Assessment | None:
    try:
        return assess(q.answers)
    except InvalidAnswers as exc:  # chips cannot give bad answers; say so plainly if it happens
        st.error("Some answers need another look: " + "; ".join(exc.problems.values()))
        return None


def reading(q: Quick, a: Assessment, *, key: str) -> bool:
    """The result's safety advice (the one safety renderer) and what is firm and what needs the full check.
    Returns whether the plan may be shown."""
    plan_ok = safety.render_safety(a, key=key, show_ok=True)
    if a.triage in NO_PLAN_LEVELS:
        return False
    r = quick.read(q.answers, a)
    with st.container(border=True):
        st.markdown("**Firm from your quick check**")
        st.markdown("\n".join(f"- {line}" for line in r.firm))
        st.markdown("**Needs the full check**")
        st.markdown("\n".join(f"- {line}" for line in r.needs_full_check))
        if figures := movement.why_lines(q):
            st.markdown("**Movement check (video)**")
            st.markdown("\n".join(f"- {line}" for line in figures))
    return plan_ok and r.show_plan


def plan_or_invitation(q: Quick, a: Assessment, plan_ok: bool) -> None:
    """This week's exercises when they rest on something; otherwise the invitation to the full check."""
    if a.triage in NO_PLAN_LEVELS:
        return
    if not quick.plan_has_a_basis(q.answers):
        st.info("You gave no symptoms and did no self-test, so we cannot suggest exercises yet. Do the full check "
                "on your phone (about 6 minutes) to get a plan that fits you.", icon=":material/info:")
        return
    if plan_ok and a.plan:
        st.subheader("This week's exercises")
        st.caption("A starting plan from your quick answers; the full check on your phone fits it to you.")
        st.markdown("\n".join(f"- **{item.name}**: {item.dose}" for item in a.plan))
    results.notes(a)


def count(q: Quick, a: Assessment, event: str | None) -> None:
    """Count a finished quick check once for the clinic's event figures (no answers, nothing personal)."""
    if q.counted_id is not None:
        return
    top = a.weak_links[0] if a.weak_links and a.weak_links[0].level != "unlikely" else None
    with contextlib.suppress(StorageError):  # on failure the figures miss one check; the result is unaffected
        q.counted_id = events.record_screening(account.store(), triage=a.triage,
                                               top_weak_link=top.link if top else None, event=event).id


# --- continuing on the runner's phone ------------------------------------------------------------------------


def latest_quick(profile: Profile) -> SavedAssessment | None:
    """The profile's latest saved assessment when it came from a quick check (nothing fuller saved since)."""
    saved = account.records(profile).assessments
    return saved[-1] if saved and saved[-1].kind == quick.KIND else None


def prefill_full_check(answers: dict[str, Any]) -> None:
    """Start the full check with the quick answers filled in (the safety screen is shown again to confirm)."""
    restart()
    s = screening()
    s.answers = dict(answers)
    s.safety_none = not any(answers.get(rid) for rid in quick.safety_ids(answers))


def quick_summary(answers: dict[str, Any]) -> None:
    st.markdown("\n".join(f"- **{q}**: {a}" for q, a in quick.summary(answers)))


def finish_offer(profile: Profile | None, *, key: str = "finish_check", go_to: str | None = None) -> bool:
    """On the runner's own page: the quick answers carried over from the stand and "Finish your check" (Kujala,
    training detail, the other self-tests), which starts the full check with those answers filled in (on
    ``go_to``, the knee check's page, when drawn elsewhere). True when the offer was shown."""
    if profile is None:
        return False
    saved = latest_quick(profile)
    if saved is None:
        return False
    with st.container(border=True, key=f"{key}_card"):
        st.subheader("Finish your check")
        when = saved.created_at.strftime("%d/%m/%Y")
        st.write(f"Your quick check of {when} is saved here. The full check adds what it could not judge: "
                 + "; ".join(a[0].lower() + a[1:] for a in quick.FULL_CHECK_ADDS) + ".")
        with st.expander("Your quick answers", expanded=True):
            quick_summary(saved.answers)
        fill = partial(prefill_full_check, saved.answers)
        # from the runner's home: the knee check opened from the callback, its answers filled in (one run)
        st.button("Finish your check", type="primary", width="stretch", key=key, icon=":material/checklist:",
                  on_click=navigation.go_to if go_to else fill, args=(go_to, fill) if go_to else None)
        st.caption("Your answers from the stand are filled in; about 6 more minutes.")
    return True


def _save(q: Quick, a: Assessment) -> None:
    profile = account.current_profile()
    try:
        _, token = profiles.save_results(account.store(), q.answers, a, profile=profile, kind=quick.KIND,
                                         event=st.session_state.get(EVENT_KEY))
    except StorageError:
        st.session_state["q_save_error"] = True
        return
    if token:
        account.remember(token)
    st.session_state["q_saved"] = True


def save_box(q: Quick, a: Assessment) -> None:
    """On the runner's site: save the quick check to the profile (a new one gets its private link), then offer
    the full check with the quick answers filled in."""
    if st.session_state.get("q_saved"):
        st.success("Saved to your profile.", icon=":material/check_circle:")
        if (link := account.link()) and st.query_params.get("p") is None:
            saving.link_card(link)
    else:
        if st.session_state.pop("q_save_error", False):
            st.error("Saving failed: we could not reach the database. Your answers are still here; try again.")
        st.button("Save my quick check", type="primary", width="stretch", key="q_save", on_click=_save,
                  args=(q, a), icon=":material/save:")
    st.button("Finish your check now", width="stretch", key="q_finish_now", icon=":material/checklist:",
              on_click=navigation.go_to, args=("pages/runner/screening.py", partial(prefill_full_check, q.answers)))
