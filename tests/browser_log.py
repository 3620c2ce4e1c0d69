"""What the browser did during a test, for its failure report (tests/conftest.py adds it as a "browser" section).

A browser test that fails under load (tests/stress.sh) usually fails because a click never reached the server, the
app's connection dropped, or the server took too long; the screenshot cannot tell these apart. So every page the
run's Chromium opens is watched: when it opened and closed, each websocket to the app (``/_stcore/stream``) opening
and closing, every message the page sent on it (a click, a form's submission, a rerun), the messages it received
(counted, one line per burst), console errors and page errors. Times are seconds from the start of the test.
"""

from __future__ import annotations

import time
from typing import Any

MAX_LINES = 400  # the report keeps the last lines (the failure is at the end)

_lines: list[str] = []
_start = [time.monotonic()]
_pages: dict[int, str] = {}


def start() -> None:
    """A new test: forget the last one's events."""
    _lines.clear()
    _start[0] = time.monotonic()


def report() -> str:
    head = [f"... {len(_lines) - MAX_LINES} earlier events left out"] if len(_lines) > MAX_LINES else []
    return "\n".join(head + _lines[-MAX_LINES:])


def _note(text: str) -> None:
    _lines.append(f"{time.monotonic() - _start[0]:8.2f}s  {text}")  # the stamp: 9 characters


def watch_browser(browser: Any) -> None:  # a playwright Browser
    browser.on("context", lambda context: context.on("page", _watch_page))


def _watch_page(page: Any) -> None:
    name = f"page {len(_pages) + 1}"
    _pages[id(page)] = name
    _note(f"{name}: opened")
    page.on("framenavigated", lambda frame: frame == page.main_frame and _note(f"{name}: at {frame.url}"))
    page.on("websocket", lambda ws: _watch_socket(name, ws))
    page.on("console", lambda msg: msg.type == "error" and _note(f"{name}: console error: {msg.text[:300]}"))
    page.on("pageerror", lambda error: _note(f"{name}: page error: {str(error)[:300]}"))
    page.on("crash", lambda _: _note(f"{name}: CRASHED"))
    page.on("close", lambda _: _note(f"{name}: closed"))


def _watch_socket(name: str, ws: Any) -> None:
    if "/_stcore/stream" not in ws.url:
        return
    _note(f"{name}: websocket opened")
    burst = {"frames": 0, "bytes": 0, "line": -1}  # received messages in a row: one line, updated

    def on_receive(payload: str | bytes) -> None:
        if burst["line"] < 0 or burst["line"] != len(_lines) - 1:  # something else happened since: a new burst
            _note("")
            burst.update(frames=0, bytes=0, line=len(_lines) - 1)
        burst["frames"] += 1
        burst["bytes"] += len(payload)
        stamp = _lines[burst["line"]][:9]  # the burst's start, as _note wrote it
        _lines[burst["line"]] = f"{stamp}  {name}: received {burst['frames']} messages ({burst['bytes']} bytes)"

    def on_send(payload: str | bytes) -> None:
        _note(f"{name}: sent a message ({len(payload)} bytes)")

    ws.on("framereceived", on_receive)
    ws.on("framesent", on_send)
    ws.on("socketerror", lambda error: _note(f"{name}: websocket error: {error}"))
    ws.on("close", lambda _: _note(f"{name}: websocket closed"))
