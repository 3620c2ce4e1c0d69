"""Kiosk mode: welcome → the quick check (safety, your knee, the squat test) → the result with "Take it home" →
done (cleared for the next visitor). The full check continues on the visitor's phone."""

import streamlit as st

from kneeassess.content import NO_PLAN_LEVELS
from kneeassess.ui import kiosk, quick_check, results
from kneeassess.ui.navigation import EVENT_KEY
from kneeassess.ui.staff_gate import verify_passcode

kiosk.reset_if_asked()
kiosk.style_and_badge()
q = quick_check.state()
kiosk.inactivity_guard(qr_shown=kiosk.handing_off(),
                       timer_left=q.timer_left(quick_check.timer_s()) if q.screen == "test" else 0.0)
if not kiosk.welcome():
    kiosk.leave_kiosk(verify_passcode)
    st.stop()

if quick_check.questions(q):
    st.stop()

a = quick_check.assessment(q)
if a is None:
    st.stop()
quick_check.count(q, a, st.session_state.get(EVENT_KEY))
quick_check.header(q)
if a.triage in NO_PLAN_LEVELS:
    quick_check.reading(q, a, key="kiosk")
else:
    left, right = st.columns([3, 2], gap="large")
    with left:
        plan_ok = quick_check.reading(q, a, key="kiosk")
    with right:
        kiosk.take_home(q.answers, a, counted_id=q.counted_id)
    quick_check.plan_or_invitation(q, a, plan_ok)
st.caption(a.disclaimer)
results.clinic_contact(key="kiosk_book", main_action=a.triage not in NO_PLAN_LEVELS)
kiosk.finish_button()
