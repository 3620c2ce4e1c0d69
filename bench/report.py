"""The targets of issue 19 against the figures, and bench/RESULTS.md."""

from __future__ import annotations

import math
from pathlib import Path

from bench.common import BENCH_ROOT, ms, table

NOTES = Path(__file__).resolve().parent / "NOTES.md"
CLICK_MS = 300  # p95 click-to-drawn, every kind of click, one user
SERVER_MS = 50  # median server-side rerun of home, results, progress, log
CROWD_MS = 1500  # p95 click under load (protocol-level sessions)
SESSION_MB = 1.0  # memory per added session
ONE_PROCESS, TWO_REPLICAS = 50, 100  # sessions
SHOWN = 6  # the slowest kinds of click named in a target row

GC_ON_TITLE = "with `--runner.postScriptGC true`, Streamlit's default"
MEASURE = "movement check: Measure my squat → result drawn (analysis included)"


def _ok(good: bool | None) -> str:
    return "n/a" if good is None else "met" if good else "NOT met"


def _level(results: dict, key: str, n: int) -> dict | None:
    return next((r for r in results.get(key, {}).get("levels", []) if r["sessions"] == n), None)


def _largest(results: dict, key: str) -> dict | None:
    return max(results.get(key, {}).get("levels", []), key=lambda r: r["sessions"], default=None)


def _click_rows(results: dict) -> list[list[str]]:
    rows = []
    for key, variant in (("clicks", ""), ("clicks-gc-on", ", runner.postScriptGC=true")):
        combos = results.get(key, {}).get("combos", {})
        for combo, data in combos.items():
            actions = data["actions"]
            worst_name, worst = max(actions.items(), key=lambda kv: kv[1]["p95"])
            over = sorted(((a["p95"], name) for name, a in actions.items() if a["p95"] > CLICK_MS), reverse=True)
            listed = "; ".join(f"{name} {ms(p95)}" for p95, name in over[:SHOWN])
            more = f" and {len(over) - SHOWN} more (tables below)" if len(over) > SHOWN else ""
            rows.append([f"p95 click-to-drawn, every kind of click, one user, Chromium ({combo}{variant})",
                         f"≤ {CLICK_MS} ms, all {len(actions)} kinds",
                         f"{len(actions) - len(over)} of {len(actions)} within; worst {ms(worst['p95'])} ms "
                         f"({worst_name})" + (f"; over, worst first: {listed}{more}" if over else ""), _ok(not over)])
        analyses = [f"{combo} p50 {ms(a['analysis_median'])} / p95 {ms(a['analysis_p95'])} ms"
                    for combo, data in combos.items() for name, a in data["actions"].items()
                    if name == MEASURE and a.get("analysis_median") is not None]
        if analyses:
            rows.append([f"… the movement check's analysis inside \"Measure my squat\" (server){variant}",
                         "noted separately", "; ".join(analyses), ""])
        if combos:
            runs: dict[str, dict[int, list[str]]] = {}
            for combo, data in combos.items():
                for name, a in data["actions"].items():
                    runs.setdefault(name, {}).setdefault(a["runs_max"], []).append(combo)
            offenders = {name: seen for name, seen in runs.items() if set(seen) != {1}}
            text = f"{len(runs) - len(offenders)} of {len(runs)} kinds of click run the script once"
            if offenders:
                text += "; more: " + "; ".join(
                    f"{name} " + ", ".join(f"{n} runs ({len(c)} of {len(combos)} size × visit)"
                                           for n, c in sorted(seen.items()) if n != 1)
                    for name, seen in offenders.items())
            rows.append([f"one script run per click, every kind (bench/probe.py: executions of the script "
                         f"body){variant}", "1 each", text, _ok(not offenders)])
    return rows


def _crowd_rows(results: dict, key: str, n: int, title: str) -> list[list[str]]:
    r = _level(results, key, n)
    if r is None:
        small = _largest(results, key)
        if small is None:
            return []
        return [[title.format(n=n), f"0, ≤ {CROWD_MS:,} ms",
                 f"not measured at {n} (quick run: {small['sessions']} sessions: {small['failed']}, "
                 f"{ms(small['click_p95'])} ms)", "n/a"]]
    return [[title.format(n=n), f"0, ≤ {CROWD_MS:,} ms", f"{r['failed']}, {ms(r['click_p95'])} ms",
             _ok(r["failed"] == 0 and r["click_p95"] <= CROWD_MS)]]


def target_rows(results: dict) -> list[list[str]]:
    rows = _click_rows(results)
    server = results.get("server", {}).get("pages", {})
    for page in ("home", "results", "progress", "log"):
        if page in server:
            m = server[page]["median"]
            rows.append([f"{page} page, median server-side (AppTest, two-year profile)", f"≤ {SERVER_MS} ms",
                         f"{ms(m)} ms" + (f" (error: {server[page]['error']})" if server[page].get("error") else ""),
                         _ok(m <= SERVER_MS and not server[page].get("error"))])
    for key, variant in (("protocol", ""), ("protocol-gc-on", ", runner.postScriptGC=true")):
        rows += _crowd_rows(results, key, ONE_PROCESS,
                            "{n} concurrent sessions, one process, protocol-level clients" + variant
                            + ": failures, click p95")
        r = _level(results, key, ONE_PROCESS)
        if r is not None:
            rows.append([f"memory per added session ({ONE_PROCESS} protocol-level sessions{variant})",
                         f"≤ {SESSION_MB:g} MB", f"{r['per_session_mb']:.2f} MB",
                         _ok(r["per_session_mb"] <= SESSION_MB)])
        elif (small := _largest(results, key)) is not None:
            rows.append([f"memory per added session ({ONE_PROCESS} protocol-level sessions{variant})",
                         f"≤ {SESSION_MB:g} MB", f"not measured at {ONE_PROCESS} (quick run: {small['sessions']} "
                         f"sessions: {small['per_session_mb']:.2f} MB)", "n/a"])
    rep = results.get("replicas")
    if rep:
        title = f"{TWO_REPLICAS} concurrent sessions, two replicas behind nginx, protocol-level clients: failures, " \
                "click p95"
        if rep.get("skipped"):
            rows.append([title, f"0, ≤ {CROWD_MS:,} ms", f"skipped: {rep['skipped']}", "n/a"])
        else:
            two, one = rep["levels"]["two replicas"], rep["levels"]["one replica"]
            measured = f"{two['failed']}, {ms(two['click_p95'])} ms"
            quick = rep["sessions"] != TWO_REPLICAS
            rows.append([title, f"0, ≤ {CROWD_MS:,} ms",
                         (f"not measured at {TWO_REPLICAS} (quick run: {rep['sessions']} sessions: {measured})"
                          if quick else measured),
                         "n/a" if quick else _ok(two["failed"] == 0 and two["click_p95"] <= CROWD_MS)])
            rows.append([f"throughput, one replica → two (the same {rep['sessions']} sessions through nginx)",
                         "reported", f"{one['clicks_per_s']:.1f} → {two['clicks_per_s']:.1f} clicks/s "
                         f"(× {rep['ratio']:.2f}); click p95 {ms(one['click_p95'])} → {ms(two['click_p95'])} ms", ""])
    mv = results.get("movement")
    if mv and not mv.get("skipped"):
        during, alone = mv.get("during_p95", math.nan), mv.get("alone_p95", math.nan)
        rows.append(["another session's click p95 while a movement analysis runs (served app, Chromium)",
                     f"≤ {CLICK_MS} ms", f"{ms(during)} ms while ({len(mv['clicks_during_ms'])} clicks); "
                     f"{ms(alone)} ms without ({len(mv['clicks_alone_ms'])} clicks)",
                     _ok(bool(mv["clicks_during_ms"]) and during <= CLICK_MS)])
    return rows


def targets(results: dict) -> str:
    rows = target_rows(results)
    return table(["target (issue 19)", "wanted", "measured", ""], rows) if rows else "(no targets measured)"


def _spied(part: dict) -> list[str]:
    """Where the server's CPU went at the largest level: the head of py-spy's summary (bench/profile.py), in full
    in the file it names."""
    level = next((lv for lv in reversed(part["levels"]) if lv.get("profile")), None)
    if level is None:
        return []
    path = BENCH_ROOT / level["profile"]
    if not path.exists():
        return []
    head = path.read_text().split("Functions, own samples:")[0].strip().splitlines()
    return [f"Where the server's CPU went with {level['sessions']} sessions (py-spy on the server process, every "
            f"thread; the functions in `{level['profile']}`):", "", "```", *head, "```", ""]


def write(results: dict, out: Path) -> None:
    info = results["machine"]
    quick = " (quick run: fewer rounds and sessions, not the reference figures)" if results.get("quick") else ""
    lines = [
        "# Bench results",
        "",
        f"Written by `{results.get('command', 'python -m bench')}` on {info['date']}{quick}, in "
        f"{results['duration_s'] / 60:.1f} minutes. Every figure below comes from that run"
        + ("; the analysis at the end (from `bench/NOTES.md`) was written by hand after it."
           if out.name == "RESULTS.md" else ". The analysis is in `bench/RESULTS.md`."),
        "",
        "## Machine",
        "",
        table(["", ""], [[k, v] for k, v in info.items()]),
        "",
        "The figures are for the app run from the checkout's `.venv`, as `python3 dev.py app` does. The image in "
        "`Dockerfile` is built and started with podman by the test suite (`tests/container`, README \"The image\"); "
        "the bench does not measure it.",
        "",
        "## Commands",
        "",
        f"This run: `{results.get('command', 'python -m bench')}` from the checkout's root, on the app in "
        f"`{results.get('app', '.')}`.",
        "",
        "```sh",
        "make bench          # = .venv/bin/python -m bench: the default parts (all but load), writes bench/RESULTS.md"
        " and RESULTS.json",
        "make bench-quick    # = .venv/bin/python -m bench --quick --no-write: a smoke run, prints only",
        ".venv/bin/python -m bench --parts server,profile --no-write    # some parts only",
        "KNEEASSESS_BENCH_APP=/path/to/a/copy .venv/bin/python -m bench --out /tmp/RESULTS-copy.md  # another copy",
        "```",
        "",
        "`make bench` installs the bench's three tools first (`pip install psutil pyinstrument py-spy`).",
        "",
        f"The two-year profile, seeded through the store: {results['seeded']}.",
        "",
        "## Targets",
        "",
        "Issue 19's targets, each measured by this run (the ratios against the bare Streamlit page are in the "
        "tables below).",
        "",
        targets(results),
        "",
    ]
    if "server" in results:
        s = results["server"]
        lines += [
            "## 1. Server-side rerun time (AppTest)",
            "",
            f"{s['runs']} timed `at.run()` per page after 3 warm-up runs; the private link (`?p=`) of the two-year "
            "profile is open; the results page has a finished screening with every step answered. The bare page "
            "is a one-line `st.write` script timed the same way in a fresh interpreter, before and after the pages "
            f"(medians {ms(s['baseline_ms']['before'])} and {ms(s['baseline_ms']['after'])} ms).",
            "",
            s["table"],
            "",
        ]
    for key, title in (("clicks", "as configured"), ("clicks-gc-on", GC_ON_TITLE)):
        if key in results:
            c = results[key]
            lines += [
                f"## 2. Click to drawn screen, one user, Chromium, phone and desktop ({title})",
                "",
                f"{c['rounds']} rounds per size and kind of visit, each of three sections in a tab of its own: the "
                "runner (the private link opens the runner's home; \"See my full results\", Home, \"See my progress\"; "
                "the knee check's six steps to the results; Progress and Log from the menu, save a run, Progress and "
                "Log again), the quick check as the kiosk's default page (`/?kiosk=1`: start, safety, a pain chip, "
                "the self-test screen, the movement fixture's squat video uploaded and measured, \"Use these "
                "answers\", the result) and the clinic's staff (sign in with the passcode, \"All requests\", the "
                "console from the menu, \"Growth dashboard\" with its 5 charts, Requests from the menu). Phone: "
                "390×844, 2× pixels, touch; every click a tap; the menu where a phone has it (the page's link bar, "
                "else the side panel, opened first and not timed). Desktop: 1280×900, the top menu. First visit: "
                "each section in a new browser context (an empty cache); returning: a new tab of one context per "
                "size, warmed by a warm-up round. Timed in the page from the click event to the new screen drawn "
                "(script finished, nothing stale, the new screen's text there, and the Plotly charts drawn where "
                "counted). The bare page has one button and a counter "
                f"({next(iter(c['combos'].values()))['bare_ms']['n'] if c['combos'] else 0} clicks per size), "
                "served with the app's `[runner]` settings. \"server-side ms\" is the time of the script runs the "
                "click caused and \"script runs\" the executions of the script body they made (2 for a click that "
                "calls `st.rerun()`; a fragment's timer rerun is left out), both measured in the server process by "
                "`bench/probe.py`. The clinic's figures (staff pages) are seeded for the last 8 weeks: "
                f"{results.get('clinic') or '–'}.",
                "",
            ]
            for visit, text in c["tables"].items():
                lines += [f"### {visit.capitalize()}", "", text, ""]
    for key, title in (("load", "as configured"), ("load-gc-on", GC_ON_TITLE)):
        if key in results:
            r = results[key]
            lines += [
                f"## 3. Concurrent sessions ({title})",
                "",
                "A fresh server per level, warmed by one session; then N Chromium tabs at once: open the two-year "
                "profile's private link, the knee check to the results, Progress (its first tab, 3 charts). "
                "Clicks timed as in part 2 (60 s per step at most, else the session failed); server run times "
                "from `bench/probe.py`; "
                "CPU and memory of the server process sampled every 0.25 s with psutil (100 % = one core). Memory "
                "per added session = (RSS with the N sessions open and idle − RSS after the warm-up) / N. Chromium "
                "runs on the same 2 cores, at nice 19 so that the server gets the CPU first, as if the browsers "
                "were the users' devices; its CPU is the Chromium column.",
                "",
                r["table"],
                "",
            ]
            lines += [f"- failure: {e}" for e in r["errors"]] + ([""] if r["errors"] else [])
    for key, title in (("protocol", ""), ("protocol-gc-on", f", {GC_ON_TITLE}")):
        if key in results:
            r = results[key]
            lines += [
                f"## 3b. Concurrent sessions, protocol-level clients (the server alone{title})",
                "",
                "On these 2 cores part 3 measures the browsers more than the server: the Chromium renderers take "
                "both cores while the server process waits. Here N simulated sessions in the bench's own process "
                "(`bench/protocol.py`) speak Streamlit's WebSocket protocol as its frontend does — the page, health "
                "and host-config requests before connecting, the same Origin, XSRF cookie and subprotocols, the same "
                "`rerun_script` messages (widget values, page changes, query string, message cache) — and do part 3's "
                "journey together, on a fresh server per level warmed by one session. A click is timed from "
                "sending it to the `script_finished` of the last run it caused (a `st.rerun()` or "
                "`st.switch_page()` chain counts whole); a session fails on an exception element, a text missing "
                "from the new screen or 60 s without an answer. Nothing is drawn and no static file is fetched, and "
                "the clients click again as soon as a run has finished (a person waits for the screen), so this is "
                "the server's own capacity under a denser load than browsers would make. \"server runs / script runs\" "
                "counts `bench/probe.py`'s records: `_run_script` calls (Streamlit 1.67 runs a `st.rerun()` chain "
                "inside one) and the executions of the script body in them. CPU and memory as in part 3; the "
                "clients' CPU is the bench process.",
                "",
                r["table"],
                "",
            ]
            lines += [f"- failure: {e}" for e in r["errors"]] + ([""] if r["errors"] else [])
            lines += _spied(r)
    if "replicas" in results:
        r = results["replicas"]
        lines += [
            "## 3c. Two replicas behind nginx (protocol-level clients)",
            "",
            "As `tests/deploy/test_nginx_replicas.py` sets them up: two app processes on one PostgreSQL schema of "
            "their own (the two-year profile seeded into it) with the same cookie secret, behind nginx running "
            "`deploy/nginx/kneeassess.conf.template` (sticky sessions by the route cookie it sets, the WebSocket "
            "proxied). Part 3b's journey by N protocol-level sessions at once, through nginx: first with both of "
            "the template's upstream servers set to replica A (one replica), then to A and B. Each replica warmed "
            "by one session of its own. \"script runs per replica\" shows where the sessions went. Everything "
            "(both replicas, nginx, the clients) shares the machine's cores.",
            "",
            r["table"],
            "",
        ]
        lines += [f"- failure: {e}" for e in r.get("errors", [])] + ([""] if r.get("errors") else [])
    if "storage" in results:
        s = results["storage"]
        lines += [
            f"## 4. Storage writes, {s['writers']} concurrent writers",
            "",
            f"{s['writers']} threads share one `SqlStore` (as one app process does), each writing for "
            f"{s['seconds']:g} s: consultation requests through `leads.submit_request` (validation, rate limits and "
            "outbox in one transaction) and runs through `logbook.record_run`.",
            "",
            s["table"],
            "",
        ]
    if "profile" in results:
        lines += ["## 5. Profiles", "",
                  f"pyinstrument, {results['profile']['runs']} AppTest reruns each, text reports:", ""]
        lines += [f"- {label}: `{path}`" for label, path in results["profile"]["files"].items()] + [""]
    if "movement" in results:
        lines += [
            "## 6. The movement check",
            "",
            "The fixture's squats made into a 15 s 1080p phone-like video and measured with `analyse_squat` in the "
            "bench's process (after one warm-up analysis); then, in the served app, another session's clicks "
            "(knee check: \"Skip this step\" and \"Back\" in turn, Chromium, desktop size) alone and while the "
            "quick check's \"Measure my squat\" analyses that video in another window (only clicks that start and "
            "end within an analysis count as \"while\").",
            "",
            results["movement"]["table"],
            "",
        ]
    if NOTES.exists() and out.name == "RESULTS.md":
        lines += [NOTES.read_text().strip(), ""]
    out.write_text("\n".join(lines))


