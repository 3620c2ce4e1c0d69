"""Saving results to a private profile, and showing its link with a Copy / Share button (and, on a large
screen, a QR code to open it on a phone)."""

from __future__ import annotations

import json

import streamlit as st

from kneeassess import profiles
from kneeassess.models import Assessment
from kneeassess.records import AssessmentKind, SavedAssessment
from kneeassess.storage import StorageError
from kneeassess.ui import account, forms, movement
from kneeassess.ui.navigation import EVENT_KEY, go_to
from kneeassess.ui.reminder_ui import reminder_optin
from kneeassess.ui.state import Screening

# Built with createElement (no "<" in the script: st.html's sanitiser drops a script that looks like markup).
# One function, no globals: the script is injected again on every rerun that draws it.
SHARE_JS = """
(function () {
  var box = document.getElementById(BOX);
  if (!box || box.getAttribute('data-ready')) { return; }
  box.setAttribute('data-ready', '1');
  var link = LINK;
  var said = document.createElement('span');
  said.setAttribute('role', 'status');
  said.className = 'ka-share-said';
  function button(text, act) {
    var b = document.createElement('button');
    b.type = 'button';
    b.className = 'ka-share-button';
    b.textContent = text;
    b.addEventListener('click', act);
    box.appendChild(b);
    return b;
  }
  function copied() { said.textContent = 'Link copied'; }
  function copyLink() {
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(link).then(copied, fallback);
    } else { fallback(); }
  }
  function fallback() {
    var t = document.createElement('textarea');
    t.value = link; t.setAttribute('readonly', ''); t.style.position = 'fixed'; t.style.left = '-10000px';
    document.body.appendChild(t); t.select();
    try { document.execCommand('copy'); copied(); }
    catch (e) { said.textContent = 'Select the link above and copy it'; }
    document.body.removeChild(t);
  }
  button('Copy link', copyLink);
  if (navigator.share) {
    button('Share…', function () {
      navigator.share({title: TITLE, url: link}).catch(function () {});
    });
  }
  box.appendChild(said);
})();
"""


def share_buttons(link: str, key: str = "share") -> None:
    """Copy (and, where the browser has a share sheet, Share) buttons, always visible, also on a phone."""
    box = f"ka-{key}"
    script = (SHARE_JS.replace("BOX", json.dumps(box)).replace("LINK", json.dumps(link))
              .replace("TITLE", json.dumps("My knee plan")))
    st.html(f'<div id="{box}" class="ka-share"></div><script>{script}</script>', unsafe_allow_javascript=True)


def link_card(link: str, key: str = "share") -> None:
    st.markdown("**Your private link.** Anyone with it can open your profile, so keep it to yourself. Bookmark "
                "it, or send it to yourself, to come back on any device.")
    st.code(link, language=None, wrap_lines=True)
    share_buttons(link, key)
    with st.container(key=f"{key}_qr"):  # hidden on a phone by style.css: it is the phone
        st.image(profiles.qr_png(link), caption="On a computer? Scan this with your phone's camera to open your "
                 "profile there", width=240, alt="QR code of your private link")


def save_action(s: Screening, a: Assessment) -> None:
    """The save button (or, once saved, that it is)."""
    if s.saved:
        st.markdown(":material/check_circle: **Saved to your profile**")
        return
    profile = account.current_profile()
    label = "Save my results" if profile is None else "Save to my profile"
    st.button(label, type="primary", key="save_results", width="stretch", on_click=save_results, args=(s, a),
              help="No password: you get a private link to come back next week, log your runs and pain, and see "
                   "whether it is working.")
    forms.show(FORM, forms.FORM)


FORM = "save_results"


def save_results(s: Screening, a: Assessment) -> None:
    """The save button's callback: the click's one run shows the saved result and its link."""
    profile = account.current_profile()
    try:
        kind: AssessmentKind = "screening"
        if profile is not None and account.store().list_records(SavedAssessment, profile.id):
            kind = "reassessment"
        store = account.store()
        with store.transaction():  # the results and the movement check: both saved, or neither
            saved_to, token = profiles.save_results(
                store, s.answers, a, unit=s.unit, profile=profile, kind=kind,
                event=st.session_state.get(EVENT_KEY), screening_id=s.counted_id,
            )
            movement.save_check(store, saved_to.id, s)
    except StorageError:
        forms.report(FORM, {forms.FORM: "Saving failed: we could not reach the database. Your answers are still "
                                        "here; please try again."})
        return
    forms.clear(FORM)
    if token:
        account.remember(token)
        s.new_link = account.link()
    s.saved = True


def saved_note(s: Screening) -> None:
    """After saving: the confirmation, the new private link, and the offer of a reminder."""
    if not s.saved:
        return
    st.success("Saved to your profile.", icon=":material/check_circle:")
    if s.new_link:
        link_card(s.new_link)
    if saved := account.current_profile():
        reminder_optin(saved.id, account.link(), key="rm_save")
    st.button("Go to my log", key="go_log", on_click=go_to, args=("pages/runner/log.py",))
