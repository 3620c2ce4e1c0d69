"""What the browser did during a test, for its failure report (tests/conftest.py adds it as a "browser" section).

A browser test that fails under load (tests/stress.sh) usually fails because a click never reached the server, the
app's connection dropped, or the server took too long; the screenshot cannot tell these apart. So every page the
run's Chromium opens is watched: when it opened and closed, each websocket to the app (``/_stcore/stream``) opening
and closing, every message the page sent on it (a click, a form's submission, a rerun), the messages it received
(counted, one line per burst), console errors and page errors. Times are seconds from the start of the test.

Messages are read with Streamlit's wire format (its protobuf classes; tests only, the app never imports them): a
sent rerun names the widgets whose values it changes (by key: ``q_signs_left=['knee_in']``), and a burst says how
its script runs ended (``finished``, ``stopped for a rerun``), so a tap whose value the server never saw, or saw
and then lost, shows in the report.

The same watch tells ``wait_idle`` (tests/e2e/conftest.py) when the app has answered a page's last request: the page
sent a rerun (a click, a typed value, a form's submission, a page load), then a script run started and finished.
The page's own "script running" flag cannot tell this alone: between a click and the server's "run started" the
flag still says "not running" from the run before, so a test that types right after a click can have its text
wiped by the answer (stress run 5: a form cleared by its submission after the next date was typed).
"""

from __future__ import annotations

import time
from typing import Any

MAX_LINES = 400  # the report keeps the last lines (the failure is at the end)

_lines: list[str] = []
_start = [time.monotonic()]
_pages: dict[int, str] = {}
_asks: dict[int, dict[str, bool]] = {}  # id(page) -> whether its last rerun is unanswered ("asked"), see answered()
_reruns: dict[int, int] = {}  # id(page) -> how many reruns it has sent (a click, a typed value; not a timer's)


def start() -> None:
    """A new test: forget the last one's events."""
    _lines.clear()
    _start[0] = time.monotonic()


def report() -> str:
    head = [f"... {len(_lines) - MAX_LINES} earlier events left out"] if len(_lines) > MAX_LINES else []
    return "\n".join(head + _lines[-MAX_LINES:])


def answered(page: Any) -> bool:
    """Whether the app has answered this page's last request: since the page's document loaded, it
    sent a rerun, and after its last one a script run started and then finished (a run stopped for
    another rerun does not count). The timers of ``st.fragment(run_every=...)`` are not the page's requests.
    True for a page nobody watches (the caller falls back on the page's own flags)."""
    ask = _asks.get(id(page))
    return ask is None or not (ask["fresh"] or ask["asked"])


def reruns_sent(page: Any) -> int:
    """How many reruns this page has sent so far (fragment timers aside): a click that changed a widget's value
    sends one, so a test can tell a click the page never acted on (the count stays) from a slow answer."""
    return _reruns.get(id(page), 0)


def _note(text: str) -> None:
    _lines.append(f"{time.monotonic() - _start[0]:8.2f}s  {text}")  # the stamp: 9 characters


def watch_browser(browser: Any) -> None:  # a playwright Browser
    browser.on("context", lambda context: context.on("page", _watch_page))


def _watch_page(page: Any) -> None:
    name = f"page {len(_pages) + 1}"
    _pages[id(page)] = name
    _note(f"{name}: opened")
    _asks[id(page)] = ask = {"fresh": True, "asked": False, "started": False}

    # a new document: its own first rerun is still to come (not on "framenavigated", which Playwright also reports
    # for the app's own page switches, history.pushState; nor on a re-opened connection, which resumes the session
    # without a rerun)
    page.on("domcontentloaded", lambda _: ask.update(fresh=True, asked=False))
    page.on("framenavigated", lambda frame: frame == page.main_frame and _note(f"{name}: at {frame.url}"))
    _reruns[id(page)] = 0
    page.on("websocket", lambda ws: _watch_socket(name, ws, ask, id(page)))
    page.on("console", lambda msg: msg.type == "error" and _note(f"{name}: console error: {msg.text[:300]}"))
    page.on("pageerror", lambda error: _note(f"{name}: page error: {str(error)[:300]}"))
    page.on("crash", lambda _: _note(f"{name}: CRASHED"))
    page.on("close", lambda _: _note(f"{name}: closed"))


RUN_ENDS = {"FINISHED_SUCCESSFULLY": "finished", "FINISHED_WITH_COMPILE_ERROR": "compile error",
            "FINISHED_EARLY_FOR_RERUN": "stopped for a rerun",
            "FINISHED_FRAGMENT_RUN_SUCCESSFULLY": "fragment finished"}
ANSWERS = {"finished", "compile error", "fragment finished"}  # a run that ended without being cut for another


def _decode(payload: str | bytes, *, sent: bool) -> Any:
    """The Streamlit message in a websocket frame (a BackMsg the page sent, a ForwardMsg it received), or None."""
    try:
        from streamlit.proto.BackMsg_pb2 import BackMsg  # the wire format (imported here: browser tests only)
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        return (BackMsg if sent else ForwardMsg).FromString(payload if isinstance(payload, bytes) else payload.encode())
    except Exception:  # noqa: BLE001 - not a Streamlit message
        return None


def _widget_key(widget_id: str) -> str:
    """A widget's key from its id (``$$ID-<hash>-<key>``), or the id when it has none."""
    parts = widget_id.split("-", 2)
    return parts[2] if len(parts) == 3 and parts[2] != "None" else widget_id[:24]


def _widget_value(state: Any) -> str:
    kind = state.WhichOneof("value")
    if kind is None:
        return "?"
    value = getattr(state, kind)
    if hasattr(value, "data"):  # the array values
        value = list(value.data)
    return repr(value)[:80]


def _sent(msg: Any, payload: str | bytes, last: dict[str, str]) -> str:
    """What a sent message asks for: a rerun with the widget values it changes (against this page's last rerun)."""
    if msg is None:  # not a Streamlit message: say its size only
        return f"sent a message ({len(payload)} bytes)"
    kind = msg.WhichOneof("type")
    if kind != "rerun_script":
        return f"sent {kind}"
    states = {_widget_key(w.id): _widget_value(w) for w in msg.rerun_script.widget_states.widgets}
    changed = [f"{k}={v}" for k, v in states.items() if last.get(k) != v]
    last.clear()
    last.update(states)
    page = msg.rerun_script.page_name or msg.rerun_script.page_script_hash[:8]
    timer = " (a fragment's timer)" if msg.rerun_script.is_auto_rerun else ""
    return f"sent a rerun of {page or 'the page'}{timer}: " + (", ".join(changed)[:400] or "no widget changed")


def _received(msg: Any) -> str:
    """A run's start or end in a received message, or ""."""
    kind = msg.WhichOneof("type") if msg is not None else None
    if kind == "new_session":
        return "run started"
    if kind == "script_finished":
        status = msg.ScriptFinishedStatus.Name(msg.script_finished)
        return RUN_ENDS.get(status, status)
    return ""


def _watch_socket(name: str, ws: Any, ask: dict[str, bool], page_id: int) -> None:
    if "/_stcore/stream" not in ws.url:
        return
    _note(f"{name}: websocket opened")
    burst: dict[str, Any] = {"frames": 0, "bytes": 0, "line": -1, "runs": []}  # received in a row: one line
    last_sent: dict[str, str] = {}

    def on_receive(payload: str | bytes) -> None:
        if burst["line"] < 0 or burst["line"] != len(_lines) - 1:  # something else happened since: a new burst
            _note("")
            burst.update(frames=0, bytes=0, line=len(_lines) - 1, runs=[])
        burst["frames"] += 1
        burst["bytes"] += len(payload)
        if event := _received(_decode(payload, sent=False)):
            burst["runs"].append(event)
            if event == "run started" and ask["asked"]:
                ask["started"] = True
            elif event in ANSWERS and ask["started"]:
                ask.update(asked=False, started=False)
        runs = f": {', '.join(burst['runs'])}" if burst["runs"] else ""
        stamp = _lines[burst["line"]][:9]  # the burst's start, as _note wrote it
        _lines[burst["line"]] = (f"{stamp}  {name}: received {burst['frames']} messages ({burst['bytes']} bytes)"
                                 f"{runs}")

    def on_send(payload: str | bytes) -> None:
        msg = _decode(payload, sent=True)
        if msg is not None and msg.WhichOneof("type") == "rerun_script" and not msg.rerun_script.is_auto_rerun:
            ask.update(fresh=False, asked=True, started=False)
            _reruns[page_id] += 1
        _note(f"{name}: {_sent(msg, payload, last_sent)}")

    def on_close(_: Any) -> None:
        ask["asked"] = False  # no answer comes on a closed connection (wait_idle waits for the next one)
        _note(f"{name}: websocket closed")

    ws.on("framereceived", on_receive)
    ws.on("framesent", on_send)
    ws.on("socketerror", lambda error: _note(f"{name}: websocket error: {error}"))
    ws.on("close", on_close)
