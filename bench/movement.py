"""Part 6: the movement check. A 15 s 1080p phone-like video (the fixture's squats, upscaled to 1080×1920 and
looped at 30 fps) measured end to end with ``analyse_squat``; and what one analysis running in the served app does
to another session's clicks.

    .venv/bin/python -m bench --parts movement --no-write

The other session's clicks: the app served (as in part 2, through ``bench/probe.py``), two Chromium windows
(desktop size). One is a runner on the knee check who clicks "Skip this step" (step 1 → 2) and "Back" (→ step 1)
in turn, each click timed to the new screen drawn (``bench/browser.py``); the other is a runner on the quick check's
self-test screen with the 15 s 1080p video uploaded. First the clicks alone, then while the other window's
"Measure my squat" runs its analysis in the server ("Film again" and measured again until enough clicks are in):
only the clicks that start and end within an analysis, by the probe's record of each analysis, count as "while".

The video is made with OpenCV's MPEG-4 part 2 encoder ("mp4v"): the H.264 encoder is not in the OpenCV wheel.
Phones record H.264/HEVC, whose decoding costs about the same per frame at this size.
"""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

from bench.common import ROOT, median, ms, pct, table

FIXTURE = ROOT.parent / "shared" / "fixtures" / "movement" / "squats-three-quarter-view.mp4"
SECONDS, FPS, SIZE = 15, 30, (1080, 1920)


def make_video(path: Path) -> Path:
    import cv2

    cap = cv2.VideoCapture(str(FIXTURE))
    frames = []
    while True:
        ok, frame = cap.read()
        if not ok:
            break
        frames.append(cv2.resize(frame, SIZE, interpolation=cv2.INTER_CUBIC))
    cap.release()
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"mp4v"), FPS, SIZE)
    step = FPS // 5  # the fixture is 5 fps: each frame 6 times
    for i in range(SECONDS * FPS):
        writer.write(frames[(i // step) % len(frames)])
    writer.release()
    return path


def _analyse(path: Path) -> dict:
    from kneeassess.movement import analyse_squat

    marks: dict[str, float] = {}
    cpu = time.process_time()  # every thread of this process: on an idle machine the wall time is at most this
    start = time.perf_counter()

    def progress(_fraction: float, text: str) -> None:
        marks.setdefault(text, time.perf_counter() - start)

    result = analyse_squat(path, progress=progress)
    total = time.perf_counter() - start
    cpu = time.process_time() - cpu
    read = marks.get("Finding your knees and hips", 0.0)
    drawn = marks.get("Drawing the deepest squats", total)
    return {"total_s": total, "cpu_s": cpu, "decode_s": read, "pose_s": drawn - read,
            "frames": result.measurement.frames_measured,
            "reps": {side: len(leg.reps) for side, leg in result.measurement.legs.items()}}


STEP_1, STEP_2 = {"text": "Step 1 of 7"}, {"text": "Step 2 of 7"}
ANALYSIS_TIMEOUT_MS = 300_000


def served_clicks(video: Path, var_dir: Path, log_dir: Path, clicks: int = 20, max_analyses: int = 6) -> dict:
    """Another session's click-to-drawn times (ms) with nothing else running and while an analysis runs."""
    from playwright.sync_api import expect, sync_playwright

    from bench import probe
    from bench.browser import IDLE
    from bench.clicks import Tab, bare_page, new_context
    from bench.common import CHROMIUM, CHROMIUM_ARGS, app_env, app_runner_flags, serve, theme_flags
    from bench.load import NO_THROTTLING

    runs_file = log_dir / "movement-served.runs"
    runs_file.unlink(missing_ok=True)
    probe.analyses_file(runs_file).unlink(missing_ok=True)
    with sync_playwright() as pw, serve(ROOT / "app.py", ROOT, log_dir / "movement-served.log", env=app_env(var_dir),
                                        extra=theme_flags(), runs_file=runs_file) as srv:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                     args=[*CHROMIUM_ARGS, *NO_THROTTLING])  # two windows: neither in the background
        try:
            pages = []
            for _ in range(2):
                context = new_context(browser, srv.url, "desktop")
                page = context.new_page()
                page.set_default_timeout(60_000)
                pages.append(page)
            runner, filmer = pages
            other = Tab(runner, False, runs_file, {})
            other.open("/", "Step 1 of 7")  # a first-time visitor's home is the knee check

            def click_pair(n: int) -> list[tuple[float, float, float]]:
                """``n`` clicks, Skip and Back in turn: (start, end unix time, ms) each."""
                done = []
                for _ in range(n):
                    forward = runner.get_by_text("Step 1 of 7").count() > 0
                    since = time.time()
                    other.click("other session's click", other.button("Skip this step" if forward else "Back"),
                                STEP_2 if forward else STEP_1)
                    done.append((since, time.time(), other.out["other session's click"]["ms"][-1]))
                return done

            click_pair(4)  # warm-up
            film = Tab(filmer, False, runs_file, None)
            film.open("/quick_check", "Quick knee check")
            film.click("", film.button("None of these apply to me"), {"text": "Quick check · step 2 of 3"})
            film.click("", film.button("Next: the self-test"), {"text": "Quick check · step 3 of 3"})

            def upload() -> None:
                filmer.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(str(video))
                expect(film.button("Measure my squat")).to_be_enabled(timeout=120_000)  # the upload is in
                filmer.wait_for_selector(IDLE)

            upload()
            alone = [t for _, _, t in click_pair(clicks)]
            during: list[tuple[float, float, float]] = []
            analyses = 0
            while len(during) < clicks and analyses < max_analyses:
                film.button("Measure my squat").click()
                analyses += 1
                filmer.wait_for_selector('[data-testid="stApp"][data-test-script-state="running"]')
                again = film.button("Film again")
                while not again.count():
                    during += click_pair(1)
                    if len(during) > 3 * clicks:
                        break
                again.wait_for(timeout=ANALYSIS_TIMEOUT_MS)
                filmer.wait_for_selector(IDLE)
                film.click("", film.button("Film again"), {"ran": True})
                upload()
            time.sleep(0.2)
            spans = probe.analyses(runs_file)
            inside = [t for since, until, t in during if any(a <= since and until <= b for a, b, _ in spans)]
            for page in pages:
                page.context.close()
            bare = bare_page(browser, log_dir, "-movement", clicks, app_runner_flags(), sizes=("desktop",))
        finally:
            browser.close()
    return {"alone_ms": alone, "during_ms": inside, "analyses": len(spans), "analysis_ms": [x[2] for x in spans],
            "bare_ms": bare["desktop"]["ms"]}


def run(var_dir: Path, log_dir: Path, runs: int = 3, clicks: int = 20) -> dict:
    from kneeassess.movement import pose_available

    if not FIXTURE.is_file() or not pose_available():
        return {"table": "movement: skipped (fixture or mediapipe missing)", "skipped": True}
    with tempfile.TemporaryDirectory(prefix="kneeassess-bench-movement-") as tmp:
        start = time.perf_counter()
        video = make_video(Path(tmp) / "squat-1080p-15s.mp4")
        made_s = time.perf_counter() - start
        size_mb = video.stat().st_size / 1e6
        _analyse(video)  # warm-up: MediaPipe's graph and model loading once per process
        analyses = [_analyse(video) for _ in range(runs)]
        served = served_clicks(video, var_dir, log_dir, clicks=clicks)
    alone, during, bare = served["alone_ms"], served["during_ms"], served["bare_ms"]
    totals = [a["total_s"] for a in analyses]
    load = " ".join(f"{x:.1f}" for x in os.getloadavg())
    rows = [
        [f"15 s 1080p video ({size_mb:.1f} MB, {SECONDS * FPS} frames at {FPS} fps), end to end",
         f"{median(totals):.1f} s", f"{max(totals):.1f} s", "≤ 10 s",
         "yes" if median(totals) <= 10 else "no"],
        ["  CPU time of the analysis (all threads): the wall time on an otherwise idle machine is at most this",
         f"{median([a['cpu_s'] for a in analyses]):.1f} s", f"{max(a['cpu_s'] for a in analyses):.1f} s", "≤ 10 s",
         "yes" if median([a["cpu_s"] for a in analyses]) <= 10 else "no"],
        ["  of which: decode, downscale to 720p, sample to 10 fps",
         f"{median([a['decode_s'] for a in analyses]):.1f} s", "", "", ""],
        [f"  of which: pose estimation ({analyses[0]['frames']} frames)",
         f"{median([a['pose_s'] for a in analyses]):.1f} s", "", "", ""],
        [f"the same video measured in the served app (\"Measure my squat\", {served['analyses']} analyses)",
         f"{median(served['analysis_ms']) / 1000:.1f} s" if served["analysis_ms"] else "n/a",
         f"{max(served['analysis_ms']) / 1000:.1f} s" if served["analysis_ms"] else "", "", ""],
        [f"bare page: one button (Chromium, desktop; {len(bare)} clicks)", ms(median(bare)), ms(pct(bare, 95)),
         "", "", "1.0"],
        [f"another session's click (knee check Skip / Back, Chromium), nothing else running ({len(alone)} clicks)",
         ms(median(alone)), ms(pct(alone, 95)), "≤ 300 ms (p95)", "yes" if pct(alone, 95) <= 300 else "no",
         f"{median(alone) / median(bare):.1f}"],
        [f"the same clicks while an analysis runs in the served app ({len(during)} clicks)", ms(median(during)),
         ms(pct(during, 95)), "≤ 300 ms (p95)", "yes" if during and pct(during, 95) <= 300 else "no",
         f"{median(during) / median(bare):.1f}" if during else "–"],
    ]
    rows = [row + [""] * (6 - len(row)) for row in rows]
    return {
        "table": table(["movement check", "median", "max / p95", "target", "met", "median × bare"], rows)
        + f"\n(load average at the end: {load}; 2 cores)",
        "analyses": analyses, "clicks_alone_ms": alone, "clicks_during_ms": during, "video_made_s": made_s,
        "video_mb": size_mb, "load_average": load, "served_analysis_ms": served["analysis_ms"],
        "alone_p95": pct(alone, 95), "during_p95": pct(during, 95),
    }
