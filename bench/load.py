"""Part 3: 10 and 25 browser sessions at once against one server, like Streamlit's own load tests.

For each level a fresh server is started (so memory is measured from the same start), warmed up by one session,
and sampled with psutil every 0.25 s (CPU of the server process, its resident memory). Then N Chromium tabs
(one browser: N Streamlit sessions) start together and each does the journey of the click part: open the two-year
profile by its private link, click through the knee check to the results, open Progress (the 3 charts of its first
tab drawn). Every click is timed in the page (bench/browser.py). A session fails on an exception shown by the app,
a timeout (60 s per step) or a lost connection. With all N sessions still open and idle, the server's memory is read
again: (memory with N sessions − memory after the warm-up) / N is the memory each added session costs.

Each tab has a browser context of its own (1280×900, so that the journey can use the menu): a window and a
renderer process of its own, as each runner has a device of their own, with an empty cache (a first visit: the
page loads include Streamlit's JavaScript bundle). Tabs of one shared, warmed context were tried: with 3 sessions
every click took about 1 s (p50 1,006, p95 1,013 ms, against 329 / 890 ms in separate contexts) while Chromium and
the server were nearly idle, a floor from sharing the context that a runner's own phone does not have.

Chromium (N renderers drawing Plotly charts) runs on the same 2 cores as the server. Left alone, Linux shares the
CPU per thread: N renderer processes against one server process (whose script runs take turns on the GIL) starve
the server, and the figures would measure the browsers. So, as when the browsers are the users' own devices, the
Chromium processes run at nice 19 (``CLIENT_NICE``): the server gets the CPU whenever it wants it, the tabs get
the rest. Their CPU is sampled too.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from bench import probe
from bench.browser import ARM, DONE, ELAPSED, IDLE, STEPS
from bench.common import CHROMIUM, CHROMIUM_ARGS, DESKTOP, ROOT, app_env, median, ms, pct, serve, table, theme_flags

NO_THROTTLING = [  # 25 tabs of one headless browser: none of them is to be treated as a background tab
    "--disable-renderer-backgrounding", "--disable-background-timer-throttling",
    "--disable-backgrounding-occluded-windows",
]
STEP_TIMEOUT_MS = 60_000
CLIENT_NICE = 19
SETTLE_S = 3.0  # after the sessions finish / after the warm-up: let the server go idle before reading memory


@dataclass
class Sampler:
    """CPU % and RSS of a process (and, separately, of this bench's Chromium) every ``interval`` seconds."""

    pid: int
    interval: float = 0.25
    cpu: list[float] = field(default_factory=list)
    rss: list[int] = field(default_factory=list)
    client_cpu: list[float] = field(default_factory=list)
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def __enter__(self) -> Sampler:
        import psutil

        self._proc = psutil.Process(self.pid)
        self._proc.cpu_percent(None)
        self._clients: dict[int, object] = {}
        self._thread = threading.Thread(target=self._loop, daemon=True)
        self._thread.start()
        return self

    def _chromium(self):  # noqa: ANN202
        found = []
        for p in _own_chromium():
            if p.pid not in self._clients:
                p.cpu_percent(None)
                self._clients[p.pid] = p
            found.append(self._clients[p.pid])
        return found

    def _loop(self) -> None:
        import psutil

        while not self._stop.wait(self.interval):
            try:
                self.cpu.append(self._proc.cpu_percent(None))
                self.rss.append(self._proc.memory_info().rss)
            except psutil.Error:
                return
            total = 0.0
            for p in self._chromium():
                with contextlib.suppress(psutil.Error):
                    total += p.cpu_percent(None)
            self.client_cpu.append(total)

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._thread:
            self._thread.join()

    def rss_now(self) -> int:
        return self._proc.memory_info().rss


def _own_chromium() -> list:
    """This bench's Chromium processes (children of this process), not anybody else's."""
    import psutil

    found = []
    for p in psutil.Process().children(recursive=True):
        with contextlib.suppress(psutil.Error):
            if p.name().startswith("chrom"):
                found.append(p)
    return found


def _renice_chromium(nice: int) -> None:
    """Lower the priority of this bench's Chromium processes (renderers started later inherit the browser's)."""
    import psutil

    for p in _own_chromium():
        with contextlib.suppress(psutil.Error):
            p.nice(nice)


async def _click(page, how, want) -> float:  # noqa: ANN001
    kind, name = how
    element = (page.get_by_role("link", name=re.compile(rf"{re.escape(name)}$")) if kind == "link"
               else page.get_by_role("button", name=name, exact=True))
    await element.wait_for(state="visible", timeout=STEP_TIMEOUT_MS)
    await page.evaluate(ARM)
    await element.click(timeout=STEP_TIMEOUT_MS)
    await page.wait_for_function(DONE, arg=want, polling="raf", timeout=STEP_TIMEOUT_MS)
    return await page.evaluate(ELAPSED)


async def _session(browser, url: str, token: str, start: asyncio.Event, out: dict) -> None:  # noqa: ANN001
    context = await browser.new_context(viewport=DESKTOP, base_url=url)  # a window of its own: never a background tab
    out["context"] = context
    page = await context.new_page()
    page.set_default_timeout(STEP_TIMEOUT_MS)
    await start.wait()
    began = time.perf_counter()
    try:
        await page.goto(f"/progress?p={token}")
        await page.wait_for_selector(IDLE, timeout=STEP_TIMEOUT_MS)
        await page.get_by_text("Weekly distance").first.wait_for(timeout=STEP_TIMEOUT_MS)
        out["open_ms"] = (time.perf_counter() - began) * 1000
        await page.get_by_role("link", name=re.compile(r"Knee check$")).click()
        await page.get_by_text("Step 1 of 7").wait_for(timeout=STEP_TIMEOUT_MS)
        await page.wait_for_selector(IDLE, timeout=STEP_TIMEOUT_MS)
        out["clicks"] = []
        for label, how, want in STEPS:
            if "safety" in label:
                await page.locator(".st-key-w_safety_none label").click()
            out["clicks"].append((label, await _click(page, how, want)))
        errors = await page.locator('[data-testid="stException"]').count()
        if errors:
            raise RuntimeError("the app showed an exception")
        out["ok"] = True
    except Exception as exc:  # noqa: BLE001 - a failed session is a figure of the bench, not a crash of it
        out["ok"] = False
        out["error"] = f"{type(exc).__name__}: {str(exc).splitlines()[0][:160]}"
    out["total_s"] = time.perf_counter() - began


async def _level(url: str, token: str, sessions: int, sampler: Sampler, runs_file: Path) -> dict:
    from playwright.async_api import async_playwright

    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                           args=[*CHROMIUM_ARGS, *NO_THROTTLING])
        try:
            warm: dict = {}
            ready = asyncio.Event()
            ready.set()
            await _session(browser, url, token, ready, warm)  # one session first: imports, caches, pools
            await warm["context"].close()
            await asyncio.sleep(SETTLE_S)
            base_rss = sampler.rss_now()
            start = asyncio.Event()
            outs = [{} for _ in range(sessions)]
            tasks = [asyncio.create_task(_session(browser, url, token, start, o)) for o in outs]
            await asyncio.sleep(1.0)  # contexts and tabs made; now all start together
            _renice_chromium(CLIENT_NICE)
            n_cpu = len(sampler.cpu)
            t0, since = time.perf_counter(), time.time()
            start.set()
            await asyncio.gather(*tasks)
            wall = time.perf_counter() - t0
            server_runs = probe.read(runs_file, since, time.time() + 1)
            busy_cpu = sampler.cpu[n_cpu:]
            busy_client = sampler.client_cpu[n_cpu:]
            await asyncio.sleep(SETTLE_S)
            open_rss = sampler.rss_now()  # all N sessions still connected, idle
            for o in outs:
                if "context" in o:
                    await o["context"].close()
        finally:
            await browser.close()
    return level_figures(sessions, outs, wall, server_runs, busy_cpu, busy_client, base_rss, open_rss, sampler)

def level_figures(sessions: int, outs: list[dict], wall: float, server_runs: list[float], busy_cpu: list[float],
                  busy_client: list[float], base_rss: int, open_rss: int, sampler: Sampler) -> dict:
    """The figures of one level from its sessions' outcomes (``ok``, ``error``, ``clicks``: [(label, ms)],
    ``open_ms``) and the server's samples while they ran: the same for browser and protocol-level clients."""
    clicks = [t for o in outs for _, t in o.get("clicks", [])]
    progress = [t for o in outs for label, t in o.get("clicks", []) if label.startswith("progress")]
    failed = [o.get("error", "?") for o in outs if not o.get("ok")]
    return {
        "sessions": sessions,
        "failed": len(failed),
        "errors": sorted(set(failed))[:5],
        "click_p50": pct(clicks, 50),
        "click_p95": pct(clicks, 95),
        "progress_p95": pct(progress, 95),
        "open_p95": pct([o["open_ms"] for o in outs if "open_ms" in o], 95),
        "wall_s": wall,
        "server_runs": len(server_runs),
        "server_run_p50": pct(server_runs, 50),
        "server_run_p95": pct(server_runs, 95),
        "server_cpu_mean": median(busy_cpu) if busy_cpu else float("nan"),
        "server_cpu_peak": max(busy_cpu, default=float("nan")),
        "client_cpu_mean": median(busy_client) if busy_client else float("nan"),
        "rss_base_mb": base_rss / 2**20,
        "rss_peak_mb": max(sampler.rss, default=0) / 2**20,
        "rss_open_mb": open_rss / 2**20,
        "per_session_mb": (open_rss - base_rss) / 2**20 / sessions,
    }


def run(token: str, var_dir: Path, log_dir: Path, levels: tuple[int, ...] = (10, 25),
        server_flags: tuple[str, ...] = (), name: str = "") -> dict:
    results = []
    for n in levels:
        runs_file = log_dir / f"load{name}-{n}.runs"
        runs_file.unlink(missing_ok=True)
        with serve(ROOT / "app.py", ROOT, log_dir / f"load{name}-{n}.log", env=app_env(var_dir),
                   extra=[*theme_flags(), *server_flags], runs_file=runs_file) as srv, Sampler(srv.proc.pid) as sampler:
            results.append(asyncio.run(_level(srv.url, token, n, sampler, runs_file)))
    rows = [[r["sessions"], r["failed"], ms(r["click_p50"]), ms(r["click_p95"]), ms(r["progress_p95"]),
             ms(r["open_p95"]), f"{ms(r['server_run_p50'])} / {ms(r['server_run_p95'])}", f"{r['wall_s']:.1f}",
             f"{r['server_cpu_mean']:.0f} / {r['server_cpu_peak']:.0f}",
             f"{r['client_cpu_mean']:.0f}", f"{r['rss_base_mb']:.0f} → {r['rss_peak_mb']:.0f}",
             f"{r['per_session_mb']:.2f}"] for r in results]
    text = table(["sessions", "failed", "click p50 ms", "click p95 ms", "progress p95 ms", "open link p95 ms",
                  "server run ms p50 / p95", "wall s", "server CPU % median / peak", "Chromium CPU % median",
                  "server RSS MB base → peak",
                  "MB per added session"], rows)
    errors = [f"{r['sessions']} sessions: {e}" for r in results for e in r["errors"]]
    return {"levels": results, "table": text, "errors": errors}
