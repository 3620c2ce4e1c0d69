"""Kiosk mode for an event tablet: one visitor after another, nothing of one left for the next.

A visitor's answers live only in this Streamlit session (server memory), never in the browser's storage.
"Finish" and the inactivity timeout replace the page with a fresh kiosk URL (``location.replace``): a new
session, an empty form, no history entry to go back to.
"""

from __future__ import annotations

import json
from collections.abc import Callable

import streamlit as st

from kneeassess import profiles
from kneeassess.models import Assessment
from kneeassess.storage import StorageError
from kneeassess.ui import account, forms
from kneeassess.ui.config import settings
from kneeassess.ui.navigation import EVENT_KEY, KIOSK_KEY
from kneeassess.ui.state import Screening

STARTED_KEY = "kneeassess_kiosk_started"
HOME_LINK_KEY = "kneeassess_kiosk_link"
WARNING_S = 20  # the countdown warning shows for the last 20 seconds


def timeout_s() -> int:
    return settings().kiosk_timeout_s


def kiosk_url() -> str:
    event = st.session_state.get(EVENT_KEY)
    return f"{account.base_url()}/?kiosk=1" + (f"&event={event}" if event else "")


def reset_now() -> None:
    """Replace this page by a fresh kiosk: new session, nothing of this visitor left."""
    st.html(f"<script>window.location.replace({json.dumps(kiosk_url())});</script>", unsafe_allow_javascript=True)
    st.stop()


def warning_s() -> int:
    return min(WARNING_S, timeout_s() // 2)


# The script has no "<" in it: st.html's sanitiser drops a script whose text looks like markup, so the overlay
# is built with createElement / textContent and comparisons are written with ">".
KIOSK_JS = """
(function () {
  window.__kaKiosk = CONFIG;
  if (window.__kaKioskTimer) { return; }
  let last = Date.now();
  function el(tag, css, text) {
    const e = document.createElement(tag);
    if (css) { e.style.cssText = css; }
    if (text) { e.textContent = text; }
    return e;
  }
  function bump() { last = Date.now(); const o = document.getElementById('ka-idle'); if (o) { o.remove(); } }
  ['pointerdown', 'keydown', 'touchstart', 'scroll', 'wheel'].forEach(function (e) {
    document.addEventListener(e, bump, {capture: true, passive: true});
  });
  function overlay() {
    const o = el('div', 'position:fixed;inset:0;z-index:100000;background:rgba(0,0,0,.6);display:flex;' +
      'align-items:center;justify-content:center');
    o.id = 'ka-idle';
    o.setAttribute('role', 'alertdialog');
    const box = el('div', 'background:#fff;padding:2rem;border-radius:1rem;max-width:90vw;text-align:center;' +
      'font-size:1.4rem');
    box.appendChild(el('p', '', 'Are you still there?'));
    const p = el('p', '', 'This screen clears in ');
    const left = el('b', '', '');
    left.id = 'ka-left';
    p.appendChild(left);
    p.appendChild(document.createTextNode(' seconds for the next runner.'));
    box.appendChild(p);
    const stay = el('button', 'font-size:1.3rem;padding:.8rem 2rem;border-radius:.6rem;border:0;' +
      'background:#0f6e6e;color:#fff', 'I am still here');
    stay.id = 'ka-stay';
    stay.addEventListener('click', bump);
    box.appendChild(stay);
    o.appendChild(box);
    document.body.appendChild(o);
    return o;
  }
  window.__kaKioskTimer = setInterval(function () {
    const k = window.__kaKiosk;
    const left = Math.ceil(k.timeout - (Date.now() - last) / 1000);
    if (0 >= left) { clearInterval(window.__kaKioskTimer); window.location.replace(k.url); return; }
    if (k.warning >= left) {
      const o = document.getElementById('ka-idle') || overlay();
      o.querySelector('#ka-left').textContent = String(left);
    }
    const app = document.querySelector('[data-testid="stApp"]');
    const lost = app && app.getAttribute('data-test-connection-state') !== 'CONNECTED';
    let b = document.getElementById('ka-offline');
    if (lost && !b) {
      b = el('div', 'position:fixed;top:0;left:0;right:0;z-index:100001;background:#b45309;color:#fff;' +
        'padding:1rem;text-align:center;font-size:1.2rem', 'Connection lost. Reconnecting… Your answers are kept.');
      b.id = 'ka-offline';
      b.setAttribute('role', 'status');
      document.body.appendChild(b);
    }
    if (!lost && b) { b.remove(); }
  }, 500);
})();
"""


def inactivity_guard() -> None:
    """After ``timeout_s`` without a touch, a visible countdown for the last seconds, then a reset."""
    config = json.dumps({"url": kiosk_url(), "timeout": timeout_s(), "warning": warning_s()})
    script = KIOSK_JS.replace("CONFIG", config)
    assert "<" not in script, "the sanitiser would drop the script"
    # fixed code; the only data in it is this kiosk's own URL and timings
    st.html(f"<script>{script}</script>", unsafe_allow_javascript=True)


def _start() -> None:
    st.session_state[STARTED_KEY] = True


def welcome() -> bool:
    """The welcome screen with one Start button. True once the visitor has started."""
    if st.session_state.get(STARTED_KEY):
        return True
    st.title("Runner's knee check")
    st.markdown("### Knee pain when you run? Find your weak link in 3 minutes.")
    st.write("A few taps: a safety check, your symptoms and, if you like, simple self-tests. You get your result "
             "and this week's exercises to take home on your phone.")
    st.button("Start", type="primary", width="stretch", key="kiosk_start", on_click=_start)
    st.caption("Self-screening, not a diagnosis. Nothing you enter stays on this tablet.")
    return False


def take_home(s: Screening, a: Assessment) -> None:
    """Save the result to a new private profile and show its link as a large QR code, centred, with a button under
    it that finishes: near the top of the result, so that a visitor in a hurry needs no scrolling."""
    link = st.session_state.get(HOME_LINK_KEY)
    if link is None:
        st.write("Get your result, this week's exercises and a log on your phone: no app, no account.")
        st.button("Take it home", type="primary", width="stretch", key="kiosk_take_home",
                  icon=":material/qr_code_2:", on_click=_take_home, args=(s, a))
        forms.show("kiosk_take_home", forms.FORM)
        return
    with st.container(border=True, horizontal_alignment="center"):
        st.markdown("### Scan this with your phone's camera")
        st.image(profiles.qr_png(link), width=360, caption="Your result, plan and log, private to you",
                 alt="QR code of your private link: scan it with your phone's camera to take your result home")
        st.caption("The link is private: it opens your results on your phone. It disappears from this tablet when "
                   "you press Finish.")
        if st.button("Done, clear the tablet", type="primary", width="stretch", key="kiosk_done",
                     icon=":material/restart_alt:"):
            reset_now()


def _take_home(s: Screening, a: Assessment) -> None:
    """The button's callback: save to a new private profile; the click's one run shows its QR code."""
    try:
        _, token = profiles.save_results(
            account.store(), s.answers, a, unit=s.unit, event=st.session_state.get(EVENT_KEY),
            screening_id=s.counted_id)
    except StorageError:
        forms.report("kiosk_take_home", {forms.FORM: "We could not save it just now. Please try again."})
        return
    forms.clear("kiosk_take_home")
    assert token is not None, "a new profile comes with its token"
    st.session_state[HOME_LINK_KEY] = profiles.profile_link(account.base_url(), token)


def finish_button() -> None:
    if st.button("Finish", width="stretch", key="kiosk_finish", icon=":material/restart_alt:"):
        reset_now()


def leave_kiosk(verify: Callable[[str], bool | str]) -> None:  # verify(passcode) -> True, or an error message
    with st.expander("Staff"), st.form("kiosk_leave", enter_to_submit=True):
        st.text_input("Staff passcode", type="password", key="kiosk_passcode")
        st.form_submit_button("Leave kiosk mode", on_click=_leave, args=(verify,))
        forms.show("kiosk_leave", forms.FORM)


def _leave(verify: Callable[[str], bool | str]) -> None:
    outcome = verify(st.session_state.get("kiosk_passcode") or "")
    if outcome is True:
        forms.clear("kiosk_leave")
        st.session_state.pop(KIOSK_KEY, None)
        st.query_params.clear()
        return
    forms.report("kiosk_leave", {forms.FORM: outcome if isinstance(outcome, str) else "That passcode is not right."})
