"""Run the bench: ``make bench`` or ``.venv/bin/python -m bench`` (from the checkout's root).

    .venv/bin/python -m bench                      # the default parts (about 20 minutes on 2 cores), writes RESULTS.md
    .venv/bin/python -m bench --parts server,storage --no-write
    .venv/bin/python -m bench --quick              # fewer rounds and sessions: a smoke run

Parts: server (AppTest rerun time of every runner page), clicks (Chromium, one user, phone and desktop size, first
visit and returning: the runner's home, the knee check, progress and log, the quick check at the kiosk with the
movement check's video, the staff console and dashboard; script runs per click), protocol (10, 25 and 50 sessions
as protocol-level clients: Streamlit's WebSocket protocol without a browser, one server process), replicas (100
protocol-level sessions through nginx to one replica, then to two on one PostgreSQL; bench/replicas.py), storage
(20 writers, SQLite and PostgreSQL), profile (pyinstrument text reports in bench/profiles/), movement (a 15 s 1080p
squat video measured, and another session's clicks in the served app meanwhile; bench/movement.py); load (10 and
25 Chromium sessions: not in the default run, ``--parts load`` adds it: on 2 cores it measures the browsers).
The served parts (clicks, load, protocol) run with the app's Streamlit configuration as it is;
``--variants as-is,gc-on`` runs them again with ``--runner.postScriptGC true`` (Streamlit's default, which the app's
configuration switches off).

KNEEASSESS_BENCH_APP=/path/to/a/copy measures another copy of the app (e.g. with a proposed fix) with this bench.

Everything runs on 127.0.0.1: a seeded SQLite file in a temp dir, PostgreSQL at KNEEASSESS_TEST_POSTGRES_URL or
127.0.0.1:5432 in a schema of its own (skipped when not reachable), Debian's Chromium at /usr/bin/chromium, nginx at
/usr/sbin/nginx.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
PARTS = ("server", "clicks", "load", "protocol", "replicas", "storage", "profile", "movement")
DEFAULT_PARTS = tuple(p for p in PARTS if p != "load")  # issue 19's targets; the browser-level load on request
GC_ON = ("--runner.postScriptGC", "true")  # Streamlit's default, switched off in .streamlit/config.toml
GC_ON_LABEL = " (runner.postScriptGC=true, Streamlit's default)"


def main(argv: list[str] | None = None) -> int:
    app = os.environ.get("KNEEASSESS_BENCH_APP")
    if app:  # that copy's kneeassess, not this checkout's
        sys.path.insert(0, str(Path(app).resolve()))
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--parts", default=",".join(DEFAULT_PARTS),
                        help=f"comma-separated, from {', '.join(PARTS)} (default: all but load)")
    parser.add_argument("--quick", action="store_true", help="fewer rounds and sessions (a smoke run)")
    parser.add_argument("--no-write", action="store_true", help="print only; leave RESULTS.md as it is")
    parser.add_argument("--out", type=Path, default=HERE / "RESULTS.md",
                        help="the Markdown report; the raw figures go beside it as .json")
    parser.add_argument("--wait-quiet", type=float, default=600, metavar="SECONDS",
                        help="first wait (at most this long) for the 1-minute load average to fall below 1.5")
    parser.add_argument("--rounds", type=int, default=None, metavar="N",
                        help="part 2's rounds per size and kind of visit (default 10; 1 with --quick)")
    parser.add_argument("--variants", default="as-is",
                        help="served parts (clicks, load, protocol), comma-separated: as-is (the app's config), "
                             "gc-on (--runner.postScriptGC true)")
    args = parser.parse_args(argv)
    parts = [p.strip() for p in args.parts.split(",") if p.strip()]
    unknown = set(parts) - set(PARTS)
    if unknown:
        parser.error(f"unknown parts: {', '.join(sorted(unknown))}")

    work = Path(tempfile.mkdtemp(prefix="kneeassess-bench-"))
    var_dir, log_dir = work / "var", work / "logs"
    os.environ.pop("KNEEASSESS_DATABASE_URL", None)
    os.environ["KNEEASSESS_VAR_DIR"] = str(var_dir)  # before anything opens the store
    os.environ["KNEEASSESS_DELIVERY_WORKER"] = "0"  # in this process (AppTest); served apps run theirs
    try:
        return _run(parts, args, var_dir, log_dir)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _run(parts: list[str], args: argparse.Namespace, var_dir: Path, log_dir: Path) -> int:
    from bench import common
    from bench.seed import seed_clinic, seed_two_years
    from kneeassess.storage import open_store

    waited = wait_quiet(args.wait_quiet)
    began = time.perf_counter()
    info = common.machine()
    info["waited for a quiet machine"] = f"{waited:.0f} s"
    say(f"machine: {info['cpu']}, {info['cores']}, {info['memory']}, Python {info['python']}, "
        f"Streamlit {info['streamlit']}")
    store = open_store()
    seeded = seed_two_years(store)
    say(f"seeded the two-year profile: {seeded.counts}")
    clinic = seed_clinic(store) if "clicks" in parts else {}
    store.close()
    if clinic:
        say(f"seeded the clinic's last 8 weeks for the staff pages: {clinic}")
    quick = args.quick
    variants = [(name, flags) for name, flags in (("", ()), ("-gc-on", GC_ON))
                if ("gc-on" if name else "as-is") in args.variants.split(",")]
    results: dict = {"machine": info, "seeded": seeded.counts, "clinic": clinic, "quick": quick, "parts": parts,
                     "app": str(common.ROOT), "command": " ".join(["python -m bench", *sys.argv[1:]]).strip()}

    if "server" in parts:
        from bench import server_side

        say("part 1: server-side rerun time (AppTest)")
        results["server"] = server_side.run(seeded.token, runs=10 if quick else 30)
        print(results["server"]["table"], flush=True)
    if "clicks" in parts:
        from bench import clicks

        for name, flags in variants:
            say(f"part 2: click-to-updated-screen, one user, phone and desktop, first visit and returning"
                f"{GC_ON_LABEL if flags else ''}")
            results["clicks" + name] = clicks.run(seeded.token, var_dir, log_dir,
                                                  rounds=args.rounds or (1 if quick else 10),
                                                  bare_clicks=10 if quick else 40, server_flags=flags, name=name)
            print(results["clicks" + name]["table"], flush=True)
    if "load" in parts:
        from bench import load

        for name, flags in variants:
            say(f"part 3: concurrent sessions{GC_ON_LABEL if flags else ''}")
            results["load" + name] = load.run(seeded.token, var_dir, log_dir, levels=(3, 5) if quick else (10, 25),
                                              server_flags=flags, name=name)
            print(results["load" + name]["table"], flush=True)
            for e in results["load" + name]["errors"]:
                print("  failure:", e, flush=True)
    if "protocol" in parts:
        from bench import protocol

        for name, flags in variants:
            say(f"part 3b: concurrent sessions, protocol-level clients{GC_ON_LABEL if flags else ''}")
            results["protocol" + name] = protocol.run(seeded.token, var_dir, log_dir,
                                                      levels=(3, 5) if quick else (10, 25, 50),
                                                      server_flags=flags, name=name)
            print(results["protocol" + name]["table"], flush=True)
            for e in results["protocol" + name]["errors"]:
                print("  failure:", e, flush=True)
    if "replicas" in parts:
        from bench import replicas

        say("part 3c: two replicas behind nginx, protocol-level sessions; one replica against two")
        results["replicas"] = replicas.run(var_dir, log_dir, sessions=10 if quick else 100)
        print(results["replicas"]["table"], flush=True)
        for e in results["replicas"].get("errors", []):
            print("  failure:", e, flush=True)
    if "storage" in parts:
        from bench import storage

        say("part 4: storage writes, 20 writers")
        results["storage"] = storage.run(seconds=2 if quick else 5, max_ops=200 if quick else 1000)
        print(results["storage"]["table"], flush=True)
    if "profile" in parts:
        from bench import profile

        say("part 5: profiles (pyinstrument)")
        results["profile"] = profile.run(seeded.token, runs=5 if quick else 10)
        for label, path in results["profile"]["files"].items():
            print(f"  {label}: {path}", flush=True)

    if "movement" in parts:
        from bench import movement

        say("part 6: the movement check (15 s 1080p video) and its effect on another session's clicks")
        results["movement"] = movement.run(var_dir, log_dir, runs=1 if quick else 2, clicks=8 if quick else 20)
        print(results["movement"]["table"], flush=True)

    results["duration_s"] = time.perf_counter() - began
    results["machine"]["load average at the end (1, 5, 15 min)"] = common.load_average()
    from bench.report import targets, write

    print("\n" + targets(results), flush=True)
    if not args.no_write:
        write(results, args.out)
        args.out.with_suffix(".json").write_text(json.dumps(results, indent=2, default=str))
        say(f"wrote {args.out} and {args.out.with_suffix('.json')}")
    say(f"done in {results['duration_s'] / 60:.1f} minutes")
    return 0


def wait_quiet(limit: float, threshold: float = 1.5) -> float:
    """Other work on the machine (a test run...) skews every figure: wait a while for it to finish."""
    start = time.monotonic()
    while os.getloadavg()[0] >= threshold and time.monotonic() - start < limit:
        if int(time.monotonic() - start) % 60 == 0:
            say(f"load average {os.getloadavg()[0]:.1f}: waiting for a quieter machine (at most {limit:.0f} s)")
        time.sleep(1)
    return time.monotonic() - start


def say(msg: str) -> None:
    print(f"[bench] {msg}", flush=True)


if __name__ == "__main__":
    sys.exit(main())
