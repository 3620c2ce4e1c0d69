"""Part 6: the movement check. A 15 s 1080p phone-like video (the fixture's squats, upscaled to 1080×1920 and
looped at 30 fps) measured end to end with ``analyse_squat``; and what one analysis running in the same process
does to another session's clicks (the results page's AppTest rerun time, alone and while a video is measured).

    .venv/bin/python -m bench --parts movement --no-write
    .venv/bin/python -m bench.movement          # this part alone, printed

The video is made with OpenCV's MPEG-4 part 2 encoder ("mp4v"): the H.264 encoder is not in the OpenCV wheel.
Phones record H.264/HEVC, whose decoding costs about the same per frame at this size.
"""

from __future__ import annotations

import os
import sys
import tempfile
import threading
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


def _clicks(runs: int, busy: threading.Event | None = None) -> list[float]:
    from bench.server_side import time_script

    t = time_script(ROOT / "app.py", runs, page="pages/runner/results.py", results=True,
                    before_each=(lambda: busy.wait(30)) if busy is not None else None)
    return t.runs_ms


def run(runs: int = 3) -> dict:
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

        alone = _clicks(15)
        busy, stop = threading.Event(), threading.Event()

        def keep_measuring() -> None:
            while not stop.is_set():
                busy.set()
                _analyse(video)

        worker = threading.Thread(target=keep_measuring, daemon=True)
        worker.start()
        during = _clicks(15, busy)
        stop.set()
        worker.join()
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
        ["another session's click (results page rerun), nothing else running", ms(median(alone)), ms(pct(alone, 95)),
         "", ""],
        ["the same click while a video is measured in the process", ms(median(during)), ms(pct(during, 95)), "", ""],
    ]
    return {
        "table": table(["movement check", "median", "max / p95", "target", "met"], rows)
        + f"\n(load average at the end: {load}; 2 cores)",
        "analyses": analyses, "clicks_alone_ms": alone, "clicks_during_ms": during, "video_made_s": made_s,
        "video_mb": size_mb, "load_average": load,
    }


if __name__ == "__main__":
    os.environ.setdefault("KNEEASSESS_VAR_DIR", tempfile.mkdtemp(prefix="kneeassess-bench-"))
    os.environ["KNEEASSESS_DELIVERY_WORKER"] = "0"
    out = run(int(sys.argv[1]) if len(sys.argv) > 1 else 3)
    print(out["table"])
    print({k: v for k, v in out.items() if k != "table"})
