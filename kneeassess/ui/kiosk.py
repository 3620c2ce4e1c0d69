"""Kiosk mode for an event tablet: one visitor after another, nothing of one left for the next.

A visitor's answers live only in this Streamlit session (server memory), never in the browser's storage.
"Done, clear the tablet" (under the hand-off QR code) and "Finish, clear the tablet" empty the session in their
callback, then replace the page with a fresh kiosk URL (``location.replace``): a new session, an empty form, no
history entry to go back to. The inactivity reset replaces the page the same way; it counts from the last touch,
waits while the squat timer runs and while the connection is lost, and gives the QR screen a longer timeout
(``qr_timeout_s``) rather than none, so that a private link is never left on a stand.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from html import escape
from typing import Any

import streamlit as st

from kneeassess import events, illustrations, profiles, quick
from kneeassess.content import clinic, clinic_path
from kneeassess.models import Assessment
from kneeassess.storage import StorageError
from kneeassess.ui import account, forms
from kneeassess.ui.config import settings
from kneeassess.ui.navigation import EVENT_KEY, KIOSK_KEY

STARTED_KEY = "kneeassess_kiosk_started"
HOME_LINK_KEY = "kneeassess_kiosk_link"
RESET_KEY = "kneeassess_kiosk_reset"
WARNING_S = 20  # the countdown warning shows for the last 20 seconds
QR_FACTOR = 3  # the hand-off QR screen waits three times as long before it clears itself
WELCOME_PICTURES = ("single_leg_squat", "side_plank", "hamstring_bridge", "heel_raise", "reverse_lunge")


def timeout_s() -> int:
    return settings().kiosk_timeout_s


def qr_timeout_s() -> int:
    """The hand-off QR screen's longer timeout (``KNEEASSESS_KIOSK_QR_TIMEOUT_S``, default three times the
    usual): long enough to find a phone and scan, not forever, so a private link is never left on a stand."""
    return settings().kiosk_qr_timeout_s or QR_FACTOR * timeout_s()


def kiosk_url() -> str:
    event = st.session_state.get(EVENT_KEY)
    return f"{account.base_url()}/?kiosk=1" + (f"&event={event}" if event else "")


def clear_visitor() -> None:
    """Forget everything of this visitor in this session (the tab is then replaced by a fresh kiosk)."""
    keep = {KIOSK_KEY, EVENT_KEY}
    for k in [k for k in st.session_state if k not in keep]:
        del st.session_state[k]
    st.session_state[RESET_KEY] = True


def reset_now() -> None:
    """Replace this page by a fresh kiosk: new session, nothing of this visitor left."""
    st.html(f"<script>window.location.replace({json.dumps(kiosk_url())});</script>", unsafe_allow_javascript=True)
    st.stop()


def reset_if_asked() -> None:
    """After "Done, clear the tablet" (a callback that already cleared the session): replace the page."""
    if st.session_state.pop(RESET_KEY, False):
        reset_now()


def warning_s(timeout: int | None = None) -> int:
    return min(WARNING_S, (timeout or timeout_s()) // 2)


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
      'font-size:1.8rem;line-height:1.4');
    box.appendChild(el('p', '', 'Are you still there?'));
    const p = el('p', '', 'This screen clears in ');
    const left = el('b', 'font-size:3rem;display:block;margin:.25rem 0', '');
    left.id = 'ka-left';
    p.appendChild(left);
    p.appendChild(document.createTextNode(' seconds for the next runner.'));
    box.appendChild(p);
    const stay = el('button', 'font-size:1.6rem;min-height:64px;padding:.8rem 2.5rem;border-radius:.6rem;border:0;' +
      'background:#0f6e6e;color:#fff', 'I am still here');
    stay.id = 'ka-stay';
    stay.addEventListener('click', bump);
    box.appendChild(stay);
    o.appendChild(box);
    document.body.appendChild(o);
    return o;
  }
  let lostSince = null;
  window.__kaKioskTimer = setInterval(function () {
    const k = window.__kaKiosk;
    const app = document.querySelector('[data-testid="stApp"]');
    const lost = app && app.getAttribute('data-test-connection-state') !== 'CONNECTED';
    const paused = (window.__kaPauseUntil || 0) > Date.now();
    if (paused || lost) { last = Date.now(); const o = document.getElementById('ka-idle'); if (o) { o.remove(); } }
    const left = Math.ceil(k.timeout - (Date.now() - last) / 1000);
    if (0 >= left) { clearInterval(window.__kaKioskTimer); window.location.replace(k.url); return; }
    if (k.warning >= left) {
      const o = document.getElementById('ka-idle') || overlay();
      o.querySelector('#ka-left').textContent = String(left);
    }
    if (lost && lostSince === null) { lostSince = Date.now(); }
    if (!lost) { lostSince = null; }
    let b = document.getElementById('ka-offline');
    if (lost && !b) {
      b = el('div', 'position:fixed;top:0;left:0;right:0;z-index:100001;background:#8a3c00;color:#fff;' +
        'padding:1rem;text-align:center;font-size:1.3rem', '');
      b.id = 'ka-offline';
      b.setAttribute('role', 'status');
      document.body.appendChild(b);
    }
    if (lost) {
      const long = (Date.now() - lostSince) / 1000 > k.offlineLong;
      const text = long ? k.offlineLongText : 'Connection lost. Reconnecting… Your answers are kept.';
      if (b.textContent !== text) { b.textContent = text; }
    }
    if (!lost && b) { b.remove(); }
  }, 500);
})();
"""

OFFLINE_LONG_TEXT = (
    "Still no connection. Your answers are kept on our server for about {minutes} minutes and come back when the "
    "Wi-Fi does. Staff: check the tablet's Wi-Fi or hotspot. If it is not back by then, reload this page and "
    "start again."
)


def inactivity_guard(*, qr_shown: bool = False, timer_left: float = 0.0) -> None:
    """After the timeout without a touch, a visible countdown for the last seconds, then a reset. The clock
    counts from the last touch, waits while a self-test timer runs (``timer_left``) and while the connection is
    lost, and is longer (``qr_timeout_s``) while a hand-off QR code is shown."""
    timeout = qr_timeout_s() if qr_shown else timeout_s()
    ttl = int(st.get_option("server.disconnectedSessionTTL") or 120)
    config = json.dumps({
        "url": kiosk_url(), "timeout": timeout, "warning": warning_s(timeout),
        "offlineLong": settings().kiosk_offline_long_s,
        "offlineLongText": OFFLINE_LONG_TEXT.format(minutes=max(1, ttl // 60)), "qr": qr_shown,
    })
    script = KIOSK_JS.replace("CONFIG", config)
    if timer_left > 0:
        script += f"window.__kaPauseUntil = Date.now() + {round(timer_left * 1000)};"
    assert "<" not in script, "the sanitiser would drop the script"
    # fixed code; the only data in it is this kiosk's own URL, timings and fixed wording
    st.html(f"<script>{script}</script>", unsafe_allow_javascript=True)


STYLE = """
<style>
/* Kiosk mode only (drawn by the kiosk page): text readable at arm's length, touch targets of 48 px or more. */
[data-testid="stMainBlockContainer"] { max-width: 1100px; padding-top: 3.5rem; }
[data-testid="stMain"] p, [data-testid="stMain"] li, [data-testid="stMain"] label { font-size: 1.25rem; }
[data-testid="stMain"] [data-testid="stWidgetLabel"] p { font-size: 1.3rem; }
[data-testid="stMain"] h1 { font-size: 2.6rem; }
[data-testid="stMain"] h2 { font-size: 2rem; }
[data-testid="stMain"] button { min-height: 56px; font-size: 1.2rem; }
[data-testid="stMain"] button p { font-size: 1.2rem; }
[data-testid="stMain"] [data-testid="stTextInputRootElement"] button { min-width: 48px; }
[data-testid="stMain"] button[data-variant="pills"],
[data-testid="stMain"] button[data-testid^="stBaseButton-pills"] { min-height: 52px !important;
  min-width: 52px !important; padding: 0 1rem !important; justify-content: center; }
[data-testid="stMain"] [data-testid="stCheckbox"] label { min-height: 56px; align-items: center; width: 100%;
  border: 1px solid #c9ced6; border-radius: .75rem; padding: .4rem 1rem; }
[data-testid="stMain"] [data-testid="stCheckbox"] label:has(input:checked) { border: 2px solid #8a3c00;
  background: #fff4ec; }
[data-testid="stMain"] [data-testid="stCaptionContainer"],
[data-testid="stMain"] [data-testid="stCaptionContainer"] p {
  color: #4a5260 !important; opacity: 1 !important; font-size: 1.05rem; }
.st-key-kiosk_start button, .st-key-kiosk_take_home button { min-height: 88px; }
.st-key-kiosk_start button p, .st-key-kiosk_take_home button p { font-size: 1.6rem; font-weight: 700; }
.ka-badge { position: fixed; top: .5rem; right: .75rem; z-index: 99999; background: #1b2330; color: #fff;
  border-radius: 999px; padding: .35rem .9rem; font-size: 1rem; font-weight: 600; }
.ka-hero { border-radius: 1.25rem; padding: 2rem 2rem; color: #fff; margin-bottom: 1rem; }
.ka-hero h1 { color: #fff; margin: .25rem 0 .5rem 0; padding: 0; }
.ka-hero p { color: #fff; font-size: 1.4rem; margin: 0; }
.ka-logo { height: 64px; width: auto; }
.ka-mark { display: inline-flex; align-items: center; justify-content: center; width: 64px; height: 64px;
  border-radius: 50%; background: #fff; font-size: 1.6rem; font-weight: 800; }
.ka-pictures { position: relative; width: 100%; max-width: 560px; aspect-ratio: 4 / 3; margin: 0 auto; }
.ka-pictures img { position: absolute; inset: 0; width: 100%; height: 100%; object-fit: contain; opacity: 0;
  animation: ka-rotate 20s infinite; }
.ka-pictures img:nth-child(1) { opacity: 1; }
@keyframes ka-rotate { 0% { opacity: 0; } 4% { opacity: 1; } 20% { opacity: 1; } 24% { opacity: 0; }
  100% { opacity: 0; } }
@media (prefers-reduced-motion: reduce) { .ka-pictures img { animation: none; opacity: 0; }
  .ka-pictures img:nth-child(1) { opacity: 1; } }
</style>
"""


def style_and_badge() -> None:
    """The kiosk's own look (only on the kiosk page) and the badge that tells staff at a glance: kiosk mode, for
    which event."""
    slug = st.session_state.get(EVENT_KEY)
    name = slug
    if slug:
        try:
            found = events.get_event(account.store(), slug)
        except StorageError:
            found = None
        name = found.name if found else slug
    badge = "Kiosk mode" + (f" · {name}" if name else " · no event")
    st.html(STYLE + f'<div class="ka-badge" role="note">{escape(badge)}</div>')


def _logo() -> str:
    c = clinic()
    if c.logo:
        path = clinic_path().parent / c.logo
        if path.is_file() and path.suffix.lower() in (".png", ".svg", ".jpg", ".jpeg"):
            kind = {"svg": "svg+xml", "jpg": "jpeg"}.get(path.suffix.lower()[1:], path.suffix.lower()[1:])
            data = base64.b64encode(path.read_bytes()).decode("ascii")
            return f'<img class="ka-logo" src="data:image/{kind};base64,{data}" alt="{escape(c.name)} logo">'
    initials = "".join(w[0] for w in c.name.split()[:2]).upper()
    return f'<span class="ka-mark" aria-hidden="true" style="color:{c.colours.primary}">{escape(initials)}</span>'


def _start() -> None:
    st.session_state[STARTED_KEY] = True


def welcome() -> bool:
    """The branded welcome with one big Start. True once the visitor has started."""
    if st.session_state.get(STARTED_KEY):
        return True
    c = clinic()
    st.html(f'<div class="ka-hero" style="background:{c.colours.primary}">{_logo()}'
            f'<h1>Knee pain when you run?</h1>'
            f'<p>{escape(c.name)}: a two-minute check tells you if it is safe to run and what to do this week.</p>'
            "</div>")
    left, right = st.columns([3, 2], vertical_alignment="center")
    with left:
        st.markdown("- A safety check\n- Your knee in a few taps\n- One squat test with our staff\n"
                    "- Take it home on your phone: no app, no account")
        st.button("Start the quick check", type="primary", width="stretch", key="kiosk_start", on_click=_start,
                  icon=":material/play_arrow:")
        st.caption("Self-screening, not a diagnosis. Nothing you enter stays on this tablet.")
    with right:
        pics = [p for p in WELCOME_PICTURES if illustrations.has_illustration(p)]
        imgs = "".join(
            f'<img src="{illustrations.data_uri(p)}" alt="{escape(illustrations.alt_text(p)) if i == 0 else ""}" '
            f'style="animation-delay:{i * 4}s">' for i, p in enumerate(pics))
        st.html(f'<div class="ka-pictures">{imgs}</div>')
    return False


def _take_home(answers: dict[str, Any], a: Assessment, counted_id: int | None) -> None:
    try:  # one transaction: the new profile, the result and the event's take-home mark
        _, token = profiles.save_results(account.store(), answers, a, unit="km",
                                         event=st.session_state.get(EVENT_KEY), kind=quick.KIND,
                                         screening_id=counted_id)
    except StorageError:
        st.session_state[HOME_LINK_KEY + "_error"] = True
        return
    if token is not None:
        st.session_state[HOME_LINK_KEY] = profiles.profile_link(account.base_url(), token)


def handing_off() -> bool:
    return st.session_state.get(HOME_LINK_KEY) is not None


def take_home(answers: dict[str, Any], a: Assessment, *, counted_id: int | None = None) -> None:
    """Save the result to a new private profile and show its link as a large QR code, with the button that clears
    the tablet under it: at the top of the result, no scrolling."""
    link = st.session_state.get(HOME_LINK_KEY)
    if link is None:
        st.markdown("**Continue on your phone**: your result, this week's exercises and the full check. "
                    "No app, no account.")
        if st.session_state.pop(HOME_LINK_KEY + "_error", False):
            st.error("We could not save it just now. Please try again.")
        st.button("Take it home", type="primary", width="stretch", key="kiosk_take_home",
                  icon=":material/qr_code_2:", on_click=_take_home, args=(answers, a, counted_id))
        return
    # its key must not end in "_qr": style.css hides those on touch screens (the phone is the one scanning)
    with st.container(border=True, horizontal_alignment="center", key="kiosk_handoff"):
        st.markdown("### Scan with your phone's camera")
        png = base64.b64encode(profiles.qr_png(link)).decode("ascii")
        st.html(f'<figure style="margin:0;text-align:center"><img id="ka-qr" src="data:image/png;base64,{png}" '
                'alt="QR code of your private link: scan it with your phone\'s camera" '
                'style="width:330px;max-width:100%;height:auto;image-rendering:pixelated">'
                '<figcaption>Opens your own page: your result, plan, and the full check to finish</figcaption>'
                "</figure>")
        st.button("Done, clear the tablet", type="primary", width="stretch", key="kiosk_done",
                  icon=":material/restart_alt:", on_click=clear_visitor)
        st.caption("The link is private. It leaves this tablet when you press \"Done, clear the tablet\".")


def finish_button() -> None:
    st.button("Finish, clear the tablet", width="stretch", key="kiosk_finish", icon=":material/restart_alt:",
              on_click=clear_visitor)


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
