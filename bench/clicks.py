"""Part 2: click-to-updated-screen latency in Chromium for one user, at phone and desktop size, first visit and
returning, against a bare one-button page; and the script runs each click made the server do.

One app server (on the seeded SQLite file, the staff passcode set) and one Chromium for the whole part. Each round
has three sections, each in a tab of its own:

- the runner: the private link opens the runner's home (a returning runner); from it "See my full results", Home,
  "See my progress"; the knee check from the menu, its six steps to the results (optional steps skipped, "None of
  these apply to me" ticked); Progress and Log from the menu, save a run, Progress and Log once more (a page seen
  before in the tab: no frontend code left to load);
- the quick check, as the kiosk's default page (``/?kiosk=1``): start, the safety screen, a pain chip, the
  self-test screen; there the squat video (the movement fixture) is uploaded and measured: "Measure my squat" to
  its drawn result (the analysis runs inside that click; its own time, from the server, is reported beside), "Use
  these answers", "See my result";
- the clinic's staff: sign in with the passcode, the console's "All requests", back to the console from the menu,
  "Growth dashboard" (its 5 charts drawn), Requests from the menu.

At phone size (390×844, 2× pixels, touch) every click is a tap and the menu is where a phone has it: the runner's
link bar on the page (Home, Results, Session, Log, Progress), the other pages in the side panel, opened first (not
timed). At desktop size (1280×900) the top menu. First visit: every section in a new browser context (an empty
cache). Returning: every section in a new tab of one context per size, warmed by a warm-up round. The bare page (one
button, a counter) is clicked the same way at each size, in a server of its own with the app's ``[runner]``
settings.

Every click's script runs are counted by ``bench/probe.py`` in the server: executions of the script body, so a
``st.rerun()`` after a click counts 2 (a fragment's timer rerun is left out).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from pathlib import Path

from bench import probe
from bench.browser import ARM, DONE, ELAPSED, FINISHED_COUNTER, HAS_TEXT, IDLE, LOG_STEPS, STEPS
from bench.common import (
    BARE_BUTTON,
    CHROMIUM,
    CHROMIUM_ARGS,
    DESKTOP,
    PHONE,
    ROOT,
    STAFF_PASSCODE,
    app_env,
    app_runner_flags,
    bare_script,
    median,
    ms,
    pct,
    serve,
    staff_env,
    table,
    theme_flags,
)

ACTION_TIMEOUT_MS = 30_000
ANALYSIS_TIMEOUT_MS = 180_000
VIEWPORTS = {  # as tests/e2e: the phone of the e2e tests, the staff console's desktop
    "desktop": {"viewport": DESKTOP},
    "phone": {"viewport": PHONE, "device_scale_factor": 2, "is_mobile": True, "has_touch": True},
}
VIDEO = ROOT.parent / "shared" / "fixtures" / "movement" / "squats-three-quarter-view.mp4"
MEASURE = "movement check: Measure my squat → result drawn (analysis included)"
LINKBAR = '.st-key-ka_linkbar [data-testid="stPageLink-NavLink"]'
SIDE_PANEL_OPEN = '[data-testid="stSidebar"][data-collapsed="false"]'


def new_context(browser, url: str, size: str):  # noqa: ANN001, ANN201
    """A browser context of this size whose pages count finished runs (``bench.browser.FINISHED_COUNTER``)."""
    context = browser.new_context(base_url=url, **VIEWPORTS[size])
    context.add_init_script(FINISHED_COUNTER)
    return context


def _named(name: str) -> re.Pattern[str]:
    return re.compile(rf"{re.escape(name)}$")


class Tab:
    """One tab at one size: its clicks timed in the page, each click's server runs read from the probe's file."""

    def __init__(self, page, phone: bool, runs_file: Path, out: dict | None) -> None:  # noqa: ANN001
        self.page, self.phone, self.runs_file, self.out = page, phone, runs_file, out

    def button(self, name: str):  # noqa: ANN201
        return self.page.get_by_role("button", name=name, exact=True)

    def click(self, label: str, element, want: dict, before: Callable[[], None] | None = None) -> None:  # noqa: ANN001
        """Click (tap, on a phone) and wait for the updated screen; the latency measured in the page."""
        page = self.page
        if want.get("text") and page.evaluate(HAS_TEXT, want["text"]):
            raise RuntimeError(f"{label}: {want['text']!r} is on the screen before the click: nothing to wait for")
        element.wait_for(state="visible", timeout=ACTION_TIMEOUT_MS)
        if before:
            before()
        since = time.time()
        page.evaluate(ARM)
        (element.tap if self.phone else element.click)(timeout=ACTION_TIMEOUT_MS)
        page.wait_for_function(DONE, arg=want, polling="raf",
                               timeout=ANALYSIS_TIMEOUT_MS if label == MEASURE else ACTION_TIMEOUT_MS)
        took = page.evaluate(ELAPSED)
        if self.out is None:  # a warm-up round
            return
        for _ in range(10):  # the probe writes its line as the run ends, before the screen is drawn: nearly always
            until = time.time()  # there already
            wall, execs = probe.clicked(self.runs_file, since, until)
            if execs:
                break
            time.sleep(0.02)
        row = self.out.setdefault(label, {"ms": [], "server_ms": [], "runs": [], "analysis_ms": []})
        row["ms"].append(took)
        row["server_ms"].append(wall)
        row["runs"].append(execs)
        if label == MEASURE:
            row["analysis_ms"].append(sum(a[2] for a in probe.analyses(self.runs_file, since, until)))

    def nav(self, label: str, name: str, want: dict) -> None:
        """Open a page from the menu as a person does at this size."""
        page = self.page
        if not self.phone:
            self.click(label, page.locator('[data-testid="stTopNavLink"]').filter(has_text=_named(name)), want)
            return
        bar = page.locator(LINKBAR).filter(has_text=_named(name))
        if bar.count():
            self.click(label, bar, want)
            return
        link = page.locator('[data-testid="stSidebarNavLink"]').filter(has_text=_named(name))

        def open_side_panel() -> None:  # not timed: the panel opens in the browser, without the server
            page.get_by_test_id("stExpandSidebarButton").tap(timeout=ACTION_TIMEOUT_MS)
            page.wait_for_selector(SIDE_PANEL_OPEN, timeout=ACTION_TIMEOUT_MS)  # the tap waits for the link to
            # come to rest (Playwright's "stable"); the time runs from the tap's click event

        self.click(label, link, want, before=open_side_panel)
        if page.locator(SIDE_PANEL_OPEN).count():  # it stays open over the page: closed as a person would
            page.get_by_test_id("stSidebarCollapseButton").locator("button").tap(timeout=ACTION_TIMEOUT_MS)
            page.wait_for_selector('[data-testid="stSidebar"][data-collapsed="true"]', timeout=ACTION_TIMEOUT_MS)

    def open(self, path: str, text: str) -> None:
        page = self.page
        page.goto(path)
        page.wait_for_selector(IDLE, timeout=ACTION_TIMEOUT_MS)
        page.get_by_text(text).first.wait_for(timeout=ACTION_TIMEOUT_MS)
        page.wait_for_selector(IDLE, timeout=ACTION_TIMEOUT_MS)


# --- the three sections of a round ------------------------------------------------------------------------------


def runner(tab: Tab, token: str) -> None:
    page = tab.page
    tab.open(f"/?p={token}", "Welcome back")  # the private link: the profile is open for this session from now on
    tab.click("home: See my full results (button)", tab.button("See my full results"),
              {"text": "Your latest saved knee check"})
    tab.nav("home page (menu)", "Home", {"text": "Welcome back"})
    tab.click("home: See my progress (button, 3 charts drawn)", tab.button("See my progress"),
              {"text": "Weekly distance", "charts": 3})
    tab.nav("knee check (menu)", "Knee check", {"text": "Step 1 of 7"})
    for label, (kind, name), want in [*STEPS, *LOG_STEPS]:
        before = None
        if "safety" in label:
            def before() -> None:
                page.locator(".st-key-w_safety_none label").click()
                page.wait_for_selector(IDLE, timeout=ACTION_TIMEOUT_MS)
        if "save a run" in label:
            def before() -> None:
                page.locator(".st-key-run_new_km input").fill("7.5")
                page.locator(".st-key-run_new_min input").fill("41")
        if kind == "link":
            tab.nav(label, name, want)
        else:
            tab.click(label, tab.button(name), want, before=before)


def quick_check(tab: Tab) -> None:
    from playwright.sync_api import expect

    page = tab.page
    tab.open("/?kiosk=1", "Start the quick check")
    tab.click("quick check: Start (kiosk welcome)", tab.button("Start the quick check"),
              {"text": "Quick check · step 1 of 3"})
    tab.click("quick check: safety → your knee (none apply)", tab.button("None of these apply to me"),
              {"text": "Quick check · step 2 of 3"})
    chip = page.locator(".st-key-q_pain_run_worst button").filter(has_text=re.compile(r"^4$"))
    tab.click("quick check: a pain chip (no new text)", chip, {"ran": True})
    tab.click("quick check: your knee → self-test (Next)", tab.button("Next: the self-test"),
              {"text": "Quick check · step 3 of 3"})
    measure = tab.button("Measure my squat")
    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(str(VIDEO))
    expect(measure).to_be_enabled(timeout=ACTION_TIMEOUT_MS)  # the upload is in
    page.wait_for_selector(IDLE, timeout=ACTION_TIMEOUT_MS)
    tab.click(MEASURE, measure, {"text": "They become your answers only when you confirm them", "charts": 1})
    tab.click("movement check: Use these answers", tab.button("Use these answers"),
              {"text": "These figures answer the single-leg squat questions"})
    tab.click("quick check: See my result", tab.button("See my result"), {"text": "Firm from your quick check"})


def staff(tab: Tab) -> None:
    page = tab.page
    tab.open("/staff", "Sign in to see consultation requests")

    def type_passcode() -> None:  # inside a form: typing does not rerun
        page.locator(".st-key-staff_name input").fill("Bench")
        page.locator(".st-key-staff_code input").fill(STAFF_PASSCODE)

    tab.click("staff: Sign in (passcode)", tab.button("Sign in"), {"text": "Signed in as Bench."},
              before=type_passcode)
    tab.click("staff console: All requests (button)", tab.button("All requests"),
              {"text": "click a row to open it"})
    tab.nav("staff console (menu)", "Staff", {"text": "Signed in as Bench."})
    tab.click("staff: Growth dashboard (button, 5 charts drawn)", tab.button("Growth dashboard"),
              {"text": "Funnel by source", "charts": 5})
    tab.nav("staff: requests page (menu)", "Requests", {"text": "click a row to open it"})


SECTIONS = (("runner", runner), ("quick check", quick_check), ("staff", staff))


def one_round(browser, url: str, token: str, size: str, runs_file: Path, out: dict | None,  # noqa: ANN001
              shared=None) -> None:  # noqa: ANN001
    for name, section in SECTIONS:
        started = time.perf_counter()
        context = shared or new_context(browser, url, size)
        page = context.new_page()
        page.set_default_timeout(ACTION_TIMEOUT_MS)
        try:
            tab = Tab(page, size == "phone", runs_file, out)
            section(tab, token) if section is runner else section(tab)
        finally:
            page.close()
            if context is not shared:
                context.close()
        if out is not None:
            out.setdefault("_sections_s", {}).setdefault(name, []).append(time.perf_counter() - started)


# --- the part ---------------------------------------------------------------------------------------------------


def bare_page(browser, log_dir: Path, name: str, clicks: int, server_flags: tuple[str, ...] = (),  # noqa: ANN001
              sizes: tuple[str, ...] = tuple(VIEWPORTS)) -> dict:
    """The bare page's clicks per size (after 3 warm-up clicks): {size: {"ms": [...], "server_ms": [...], ...}}."""
    runs_file = log_dir / f"clicks{name}-bare.runs"
    runs_file.unlink(missing_ok=True)
    found: dict = {}
    bare_flags = [*app_runner_flags(), *server_flags]  # the same Streamlit settings as the app's server
    with bare_script(BARE_BUTTON) as script, serve(script, script.parent, log_dir / f"clicks{name}-bare.log",
                                                     runs_file=runs_file, extra=bare_flags) as srv:
        for size in sizes:
            context = new_context(browser, srv.url, size)
            page = context.new_page()
            page.goto("/")
            page.wait_for_selector(IDLE)
            out: dict = {}
            tab = Tab(page, size == "phone", runs_file, None)
            for i in range(clicks + 3):
                tab.out = out if i >= 3 else None  # 3 warm-up clicks
                tab.click("bare", tab.button("Click"), {"text": f"Clicked {i + 1} times"})
            found[size] = out["bare"]
            context.close()
    return found


def run(token: str, var_dir: Path, log_dir: Path, rounds: int = 10, bare_clicks: int = 40,
        server_flags: tuple[str, ...] = (), name: str = "", sizes: tuple[str, ...] = ("desktop", "phone")) -> dict:
    """``rounds`` timed rounds per size and kind of visit (after warm-up rounds: one for the server, one for each
    shared context of the returning visits)."""
    from playwright.sync_api import sync_playwright

    timings: dict[tuple[str, str], dict] = {}
    app_runs = log_dir / f"clicks{name}-app.runs"
    app_runs.unlink(missing_ok=True)
    probe.analyses_file(app_runs).unlink(missing_ok=True)
    began = time.perf_counter()
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            bare = bare_page(browser, log_dir, name, bare_clicks, server_flags)
            with serve(ROOT / "app.py", ROOT, log_dir / f"clicks{name}-app.log",
                       env={**app_env(var_dir), **staff_env()}, extra=[*theme_flags(), *server_flags],
                       runs_file=app_runs) as srv:
                for size in sizes:
                    for visit in ("returning", "first visit"):  # the first warm-up round warms the server too
                        out = timings.setdefault((size, visit), {})
                        shared = None
                        if visit == "returning":
                            shared = new_context(browser, srv.url, size)
                            one_round(browser, srv.url, token, size, app_runs, None, shared)  # warms its cache
                        for _ in range(rounds):
                            one_round(browser, srv.url, token, size, app_runs, out, shared)
                        if shared:
                            shared.close()
        finally:
            browser.close()
    return figures(timings, bare, rounds, time.perf_counter() - began)


def _summary(values: dict) -> dict:
    v = values["ms"]
    return {"median": median(v), "p95": pct(v, 95), "n": len(v), "server_median": median(values["server_ms"]),
            "runs_max": max(values["runs"]), "runs_median": median(values["runs"]),
            "analysis_median": median(values["analysis_ms"]) if values.get("analysis_ms") else None,
            "analysis_p95": pct(values["analysis_ms"], 95) if values.get("analysis_ms") else None}


def figures(timings: dict, bare: dict, rounds: int, duration_s: float) -> dict:
    combos: dict[str, dict] = {}
    tables: dict[str, str] = {}
    for visit in ("first visit", "returning"):
        rows = []
        for size in VIEWPORTS:
            actions = timings.get((size, visit))
            if not actions:
                continue
            b = _summary(bare[size])
            floor = b["median"]
            rows.append([size, "bare page: one button", ms(b["median"]), ms(b["p95"]), "1.0",
                         ms(b["server_median"]), _runs(b)])
            summary = {label: _summary(v) for label, v in actions.items() if not label.startswith("_")}
            for label, s in summary.items():
                rows.append([size, label, ms(s["median"]), ms(s["p95"]), f"{s['median'] / floor:.1f}",
                             ms(s["server_median"]), _runs(s)])
            combos[f"{size}, {visit}"] = {"size": size, "visit": visit, "bare_ms": b, "actions": summary,
                                          "sections_s": {k: median(v) for k, v in actions["_sections_s"].items()}}
        text = table(["viewport", f"click (one user, Chromium, {visit})", "p50 ms", "p95 ms", "p50 × bare",
                      "server-side ms (p50)", "script runs"], rows)
        notes = [f"- {combo}: the analysis inside \"Measure my squat\" took {ms(a['analysis_median'])} ms (p50), "
                 f"{ms(a['analysis_p95'])} ms (p95) on the server; the rest of that click, p50 "
                 f"{ms(a['median'] - a['analysis_median'])} ms"
                 for combo, c in combos.items() if c["visit"] == visit
                 for label, a in c["actions"].items() if label == MEASURE and a["analysis_median"] is not None]
        notes += [f"- {combo}: a round took {sum(c['sections_s'].values()):.0f} s (median per section: "
                  + ", ".join(f"{k} {v:.1f} s" for k, v in c["sections_s"].items()) + ")"
                  for combo, c in combos.items() if c["visit"] == visit]
        tables[visit] = text + ("\n\n" + "\n".join(notes) if notes else "")
    return {"rounds": rounds, "combos": combos, "tables": tables, "duration_s": duration_s,
            "table": "\n\n".join(tables.values())}


def _runs(s: dict) -> str:
    """Script runs per click: the most seen (and the median when they differ)."""
    most, mid = s["runs_max"], s["runs_median"]
    return f"{most}" if most == mid else f"{most} (p50 {mid:g})"


if __name__ == "__main__":  # python -m bench.clicks URL TOKEN RUNS_FILE [SIZE]: one round against a served app
    import sys

    from playwright.sync_api import sync_playwright

    url, token, runs_file = sys.argv[1], sys.argv[2], Path(sys.argv[3])
    sizes = sys.argv[4:] or list(VIEWPORTS)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        found: dict = {}
        for size in sizes:
            started = time.perf_counter()
            out: dict = {}
            one_round(browser, url, token, size, runs_file, out)
            found[(size, "first visit")] = out
            print(f"{size}: a round in {time.perf_counter() - started:.1f} s:",
                  {k: f"{v[0]:.1f} s" for k, v in out["_sections_s"].items()}, flush=True)
        browser.close()
    empty = {"ms": [30.0], "server_ms": [1.0], "runs": [1]}
    print(figures(found, {s: empty for s in VIEWPORTS}, 1, 0)["table"])
