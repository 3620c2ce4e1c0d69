"""Browser checks every page must pass: axe-core (0 serious or critical violations), opened at its top, and no
error in the browser (an uncaught exception or a console error).

axe-core comes from the npm registry, pinned in ``tests/e2e/package-lock.json`` (``npm ci --prefix tests/e2e``;
``.ci/run`` and ``dev.py test`` do it) and is injected into the page with Playwright's ``add_script_tag``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import ConsoleMessage, Page

AXE = Path(__file__).resolve().parent / "node_modules" / "axe-core" / "axe.min.js"
SERIOUS = ("serious", "critical")


# Streamlit's own start-up probe: opened at a deep link such as /learn, the front end first asks for
# /learn/_stcore/health and /learn/_stcore/host-config (in case the app is served under that path), gets 404,
# then finds the server at /. Chromium logs each 404 as a console error; they are Streamlit's, not the app's.
STREAMLIT_PROBES = ("/_stcore/health", "/_stcore/host-config")


def _ignorable(msg: ConsoleMessage) -> bool:
    url = (msg.location or {}).get("url", "")
    return msg.text.startswith("Failed to load resource") and url.endswith(STREAMLIT_PROBES)


class BrowserErrors:
    """Collects a page's uncaught exceptions (``pageerror``) and console errors from the moment it is made."""

    def __init__(self, page: Page, console: bool = True) -> None:
        self.items: list[str] = []
        page.on("pageerror", lambda exc: self.items.append(f"pageerror: {exc}"))
        if console:
            page.on("console", self._console)

    def _console(self, msg: ConsoleMessage) -> None:
        if msg.type == "error" and not _ignorable(msg):
            self.items.append(f"console.error: {msg.text} ({(msg.location or {}).get('url', '')})")

    def take(self) -> list[str]:
        out, self.items = self.items, []
        return out


def axe_available() -> bool:
    return AXE.exists()


def require_axe() -> None:
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run `npm ci --prefix tests/e2e` (.ci/run and dev.py test do)", pytrace=False)


def axe_violations(page: Page, impacts: tuple[str, ...] = SERIOUS) -> list[dict[str, Any]]:
    """axe-core's violations of the page as it is now, of the given impacts."""
    require_axe()
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [v for v in result["violations"] if v.get("impact") in impacts]


def describe(violations: list[dict[str, Any]]) -> str:
    lines = []
    for v in violations:
        targets = ["/".join(map(str, n["target"])) + " :: " + n.get("failureSummary", "").replace("\n", " ")[:160]
                   for n in v["nodes"][:4]]
        lines.append(f"{v['impact']} {v['id']}: {v['help']} ({len(v['nodes'])} nodes)\n    " + "\n    ".join(targets))
    return "\n".join(lines)


def scroll_position(page: Page) -> tuple[int, int]:
    """(window scroll, main area scroll): both 0 when the page is at its top."""
    y, main = page.evaluate(
        "[window.scrollY, (document.querySelector('[data-testid=\"stMain\"]') || {scrollTop: 0}).scrollTop]")
    return int(y), int(main)


def focused_heading(page: Page) -> str | None:
    """The text of the focused element when it is a heading, else None."""
    return page.evaluate(
        "(() => { const e = document.activeElement; return e && /^H[1-6]$/.test(e.tagName) ? e.innerText : null })()")
