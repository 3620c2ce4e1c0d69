"""Every new screen opens at its top with keyboard focus on its heading.

A browser keeps the scroll position of the page it was on: after "Next" a phone would open the next step
400-900 px down. When the *view* changes (another page, another step of the knee check), a small script
scrolls the page up once the run has finished drawing and moves focus to the first heading (so a screen
reader and a keyboard start there too, not on ``<body>``).

The script is re-injected into the same document on every view change, so it declares nothing global: it is
one immediately-invoked function (a top-level ``const`` would throw "Identifier has already been declared" the
second time). It contains no ``<``: st.html's sanitiser drops a script whose text looks like markup.
"""

from __future__ import annotations

import json

import streamlit as st

SEEN_KEY = "kneeassess_top_seen"
COUNT_KEY = "kneeassess_top_count"

TOP_JS = """
(function () {
  var view = VIEW;
  window.__kaTopView = view;
  var started = Date.now();
  function done() {
    var app = document.querySelector('[data-testid="stApp"]');
    return app && app.getAttribute('data-test-script-state') === 'notRunning'
      && !document.querySelector('[data-stale="true"]');
  }
  function settle() {
    if (window.__kaTopView !== view) { return; }
    var late = (Date.now() - started) > 8000;
    if (!done() && !late) {
      window.setTimeout(settle, 50);
      return;
    }
    var main = document.querySelector('[data-testid="stMain"]');
    if (main) { main.scrollTop = 0; }
    window.scrollTo(0, 0);
    var heading = main && main.querySelector('h1, h2');
    if (heading) {
      heading.setAttribute('tabindex', '-1');
      heading.focus({preventScroll: true});
    }
  }
  window.setTimeout(settle, 0);
})();
"""


def open_at_top(scope: str, view: str) -> None:
    """Scroll to the top and focus the heading when ``view`` differs from the last one drawn in ``scope``
    (``"page"`` for the page, ``"step"`` for the knee check's steps).

    The (hidden) element is drawn on every run, with the script only when the view changed: an element that
    came and went would shift every element after it, and Streamlit would redraw them all (an open expander
    would close)."""
    seen: dict[str, str] = st.session_state.setdefault(SEEN_KEY, {})
    body = "<span></span>"
    if seen.get(scope) != view:
        seen[scope] = view
        count = st.session_state[COUNT_KEY] = st.session_state.get(COUNT_KEY, 0) + 1  # each script new to React
        body = f"<script>{TOP_JS.replace('VIEW', json.dumps(f'{scope}:{view}:{count}'))}</script>"
    with st.container(key=f"ka_top_{scope}"):  # hidden by style.css: it only carries the script
        st.html(body, unsafe_allow_javascript=True)  # a fixed script; the view name is JSON-encoded
