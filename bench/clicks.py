"""Part 2: click-to-updated-screen latency in Chromium for one user, against a bare one-button page.

One server (the app on the seeded SQLite file), one Chromium, desktop-sized tabs (the top menu is visible; on a
phone it folds into a side panel). Each round opens the two-year profile by its private link, goes to the knee
check, clicks through the six steps to the results (optional steps skipped, "None of these apply to me" ticked),
opens Progress and Log from the menu, saves a run, and opens Progress and Log once more (a page seen before in the
tab: no frontend code left to load). The bare page (one button, a counter) is clicked the same
number of times in a server of its own, in the same run.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

from bench import probe
from bench.browser import ARM, DONE, ELAPSED, HAS_TEXT, IDLE, LOG_STEPS, STEPS
from bench.common import (
    BARE_BUTTON,
    CHROMIUM,
    CHROMIUM_ARGS,
    DESKTOP,
    ROOT,
    app_env,
    app_runner_flags,
    bare_script,
    median,
    ms,
    pct,
    serve,
    table,
    theme_flags,
)

ACTION_TIMEOUT_MS = 30_000


def target(page, how: tuple[str, str]):  # noqa: ANN001, ANN201
    kind, name = how
    if kind == "link":
        return page.get_by_role("link", name=re.compile(rf"{re.escape(name)}$"))
    return page.get_by_role("button", name=name, exact=True)


def timed_click(page, how: tuple[str, str], want: dict) -> float:  # noqa: ANN001
    """Click and wait for the updated screen; the latency in ms, measured in the page."""
    if want.get("text") and page.evaluate(HAS_TEXT, want["text"]):
        raise RuntimeError(f"{want['text']!r} is on the screen before the click: nothing to wait for")
    element = target(page, how)
    element.wait_for(state="visible", timeout=ACTION_TIMEOUT_MS)
    page.evaluate(ARM)
    element.click(timeout=ACTION_TIMEOUT_MS)
    page.wait_for_function(DONE, arg=want, polling="raf", timeout=ACTION_TIMEOUT_MS)
    return page.evaluate(ELAPSED)


def before(page, label: str) -> None:  # noqa: ANN001
    """What the runner does on a screen before the timed click (typing inside a form does not rerun)."""
    if "safety" in label:
        page.locator(".st-key-w_safety_none label").click()
    if "save a run" in label:
        page.locator(".st-key-run_new_km input").fill("7.5")
        page.locator(".st-key-run_new_min input").fill("41")


def journey(page, token: str, timings: dict[str, list[float]], server: dict[str, list[float]],  # noqa: ANN001
            runs_file: Path) -> None:
    page.goto(f"/progress?p={token}")  # the private link: the profile is open for this session from now on
    page.wait_for_selector(IDLE, timeout=ACTION_TIMEOUT_MS)
    page.get_by_text("Weekly distance").first.wait_for(timeout=ACTION_TIMEOUT_MS)
    target(page, ("link", "Knee check")).click()
    page.get_by_text("Step 1 of 7").wait_for(timeout=ACTION_TIMEOUT_MS)
    page.wait_for_selector(IDLE, timeout=ACTION_TIMEOUT_MS)
    for label, how, want in [*STEPS, *LOG_STEPS]:
        before(page, label)
        since = time.time()
        timings.setdefault(label, []).append(timed_click(page, how, want))
        time.sleep(0.05)  # the probe writes its line as the run ends: let it land
        server.setdefault(label, []).append(sum(probe.read(runs_file, since, time.time())))


def run(token: str, var_dir: Path, log_dir: Path, rounds: int = 10, bare_clicks: int = 40,
        server_flags: tuple[str, ...] = (), name: str = "", returning: bool = False) -> dict:
    """``returning``: every round in a new tab of one browser context (warmed by the warm-up round), as a visitor
    coming back: Streamlit's JavaScript from the browser's cache, compiled code from V8's code cache. Otherwise
    every round in a new context (an empty cache): a first visit."""
    from playwright.sync_api import sync_playwright

    timings: dict[str, list[float]] = {}
    server: dict[str, list[float]] = {}
    bare: list[float] = []
    bare_server: list[float] = []
    bare_runs, app_runs = log_dir / f"clicks{name}-bare.runs", log_dir / f"clicks{name}-app.runs"
    for f in (bare_runs, app_runs):
        f.unlink(missing_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            bare_flags = [*app_runner_flags(), *server_flags]  # the same Streamlit settings as the app's server
            with bare_script(BARE_BUTTON) as script, serve(script, script.parent, log_dir / f"clicks{name}-bare.log",
                                                             runs_file=bare_runs, extra=bare_flags) as srv:
                context = browser.new_context(viewport=DESKTOP, base_url=srv.url)
                page = context.new_page()
                page.goto("/")
                page.wait_for_selector(IDLE)
                for i in range(bare_clicks + 3):
                    since = time.time()
                    t = timed_click(page, ("button", "Click"), {"text": f"Clicked {i + 1} times"})
                    time.sleep(0.05)
                    if i >= 3:  # warm-up
                        bare.append(t)
                        bare_server.append(sum(probe.read(bare_runs, since, time.time())))
                context.close()
            with serve(ROOT / "app.py", ROOT, log_dir / f"clicks{name}-app.log", env=app_env(var_dir),
                       extra=[*theme_flags(), *server_flags], runs_file=app_runs) as srv:
                shared = browser.new_context(viewport=DESKTOP, base_url=srv.url) if returning else None
                for i in range(rounds + 1):
                    context = shared or browser.new_context(viewport=DESKTOP, base_url=srv.url)
                    page = context.new_page()
                    page.set_default_timeout(ACTION_TIMEOUT_MS)
                    try:
                        journey(page, token, timings if i else {}, server if i else {}, app_runs)  # 0: warm-up
                    finally:
                        page.close()
                        if context is not shared:
                            context.close()
                    time.sleep(0.3)
                if shared:
                    shared.close()
        finally:
            browser.close()
    floor = median(bare)
    rows = [["bare page: one button", ms(pct(bare, 50)), ms(pct(bare, 95)), "1.0", ms(median(bare_server))]]
    for label, values in timings.items():
        rows.append([label, ms(pct(values, 50)), ms(pct(values, 95)), f"{median(values) / floor:.1f}",
                     ms(median(server[label]))])
    return {
        "rounds": rounds,
        "returning": returning,
        "bare_ms": {"median": floor, "p95": pct(bare, 95), "n": len(bare), "server_median": median(bare_server)},
        "actions": {label: {"median": median(v), "p95": pct(v, 95), "n": len(v), "server_median": median(server[label])}
                    for label, v in timings.items()},
        "table": table(["click (one user, Chromium)", "p50 ms", "p95 ms", "p50 × bare", "server-side ms (p50)"],
                       rows),
    }
