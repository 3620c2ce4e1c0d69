"""Click-to-updated-screen timing inside the page, the same for the sync (one user) and async (load) drivers.

Before a click, ``ARM`` records ``performance.now()`` at the click event (capture phase, so before Streamlit's own
handler) and how many runs have finished (``FINISHED_COUNTER``). ``DONE`` is polled on every animation frame until the
screen is updated: the app is connected, the script not running, no skeleton, no stale element left, the text that
only the new screen has is there (and, where asked, that many Plotly charts are drawn; for a click that changes no
text, ``ran``: a run has finished since the click, by its ``script_finished`` message); it then records the time.
So a latency is click → server rerun → deltas over the WebSocket → React render → Plotly drawn, as a person waits
for it.

The predicate is cheap on purpose (attribute checks first, ``textContent`` rather than ``innerText``, which would
force a layout on every frame): polled in 25 tabs at once, a costly one would slow the very rendering it times.
"""

from __future__ import annotations

APP = '[data-testid="stApp"]'
IDLE = f'{APP}[data-test-connection-state="CONNECTED"][data-test-script-state="notRunning"]'

# Added to every page of a context (``context.add_init_script``) before Streamlit's code: counts the
# ``script_finished`` ForwardMsgs of a finished run (field 6, FINISHED_SUCCESSFULLY or FINISHED_FRAGMENT_RUN_
# SUCCESSFULLY) that reach the page, by reading the top-level fields of each binary message. A click that changes no
# text waits for one (``ran``): the page's script-state attribute may never show "running" for a short run (React
# batches the two changes).
FINISHED_COUNTER = """(() => {
  const Native = window.WebSocket;
  function varint(b, i) {
    let v = 0, f = 1;
    for (;;) { const x = b[i++]; v += (x & 127) * f; if (x < 128) return [v, i]; f *= 128; }
  }
  function finished(data) {
    if (!(data instanceof ArrayBuffer)) return false;
    const b = new Uint8Array(data);
    let i = 0;
    while (i < b.length) {
      let tag, v;
      [tag, i] = varint(b, i);
      const field = Math.floor(tag / 8), wire = tag % 8;
      if (wire === 0) { [v, i] = varint(b, i); if (field === 6) return v === 0 || v === 3; }
      else if (wire === 2) { [v, i] = varint(b, i); i += v; }
      else if (wire === 1) i += 8;
      else if (wire === 5) i += 4;
      else return false;
    }
    return false;
  }
  window.__kbFinished = 0;
  window.WebSocket = function (...args) {
    const ws = new Native(...args);
    ws.addEventListener('message', (e) => { if (finished(e.data)) window.__kbFinished += 1; });
    return ws;
  };
  window.WebSocket.prototype = Native.prototype;
  Object.assign(window.WebSocket, {CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3});
})();"""

ARM = """() => {
  window.__kb = {t0: null, t1: null, finished: window.__kbFinished || 0};
  document.addEventListener('click', () => { if (window.__kb.t0 === null) window.__kb.t0 = performance.now(); },
                            {capture: true, once: true});
}"""

DONE = """(want) => {
  const k = window.__kb;
  if (!k || k.t0 === null) return false;
  const app = document.querySelector('[data-testid="stApp"]');
  if (app.getAttribute('data-test-script-state') !== 'notRunning') return false;
  if (app.getAttribute('data-test-connection-state') !== 'CONNECTED') return false;
  if (want.ran && (window.__kbFinished || 0) <= k.finished) return false;
  if (document.querySelector('[data-testid="stSkeleton"], [data-stale="true"]')) return false;
  if (want.charts && Array.from(document.querySelectorAll('[data-testid="stPlotlyChart"]'))
        .filter((c) => c.querySelector('.main-svg')).length < want.charts)
    return false;
  if (want.text && !document.body.textContent.includes(want.text)) return false;
  k.t1 = performance.now();
  return true;
}"""

ELAPSED = "() => window.__kb.t1 - window.__kb.t0"
HAS_TEXT = "(text) => document.body.textContent.includes(text)"

# The runner's journey timed by the click and load parts: (label, how to click, what the new screen shows)
STEPS = [
    ("screening: step 1 → 2 (skip)", ("button", "Skip this step"), {"text": "Step 2 of 7"}),
    ("screening: step 2 → 3 (safety, Next)", ("button", "Next"), {"text": "Step 3 of 7"}),
    ("screening: step 3 → 4 (skip)", ("button", "Skip this step"), {"text": "Step 4 of 7"}),
    ("screening: step 4 → 5 (skip)", ("button", "Skip this step"), {"text": "Step 5 of 7"}),
    ("screening: step 5 → 6 (skip)", ("button", "Skip this step"), {"text": "Step 6 of 7"}),
    ("results page (step 6 → results)", ("button", "Skip this step"), {"text": "Step 7 of 7"}),
    ("progress page (menu, first tab: 3 charts drawn)", ("link", "Progress"),
     {"text": "Weekly distance", "charts": 3}),
]
LOG_STEPS = [
    ("log page (menu)", ("link", "Log"), {"text": "Add a run"}),
    ("log form: save a run", ("button", "Save run"), {"text": "Run saved"}),
    # the same pages once more in the same tab: Streamlit's frontend loads the code for an element type (Plotly,
    # the data grid, the file uploader, the date picker...) the first time one appears in a tab
    ("progress page again (menu, 3 charts drawn)", ("link", "Progress"), {"text": "Weekly distance", "charts": 3}),
    ("log page again (menu)", ("link", "Log"), {"text": "Add a run"}),
]
