"""The targets of issue 8 against the figures, and bench/RESULTS.md."""

from __future__ import annotations

from pathlib import Path

from bench.common import ms, table

NOTES = Path(__file__).resolve().parent / "NOTES.md"


GC_ON_TITLE = "with `--runner.postScriptGC true`, Streamlit's default"

def _ok(good: bool | None) -> str:
    return "n/a" if good is None else "met" if good else "NOT met"


def _level(results: dict, key: str, n: int) -> dict | None:
    return next((r for r in results.get(key, {}).get("levels", []) if r["sessions"] == n), None)


def target_rows(results: dict) -> list[list[str]]:
    rows = []
    server = results.get("server", {}).get("pages", {})
    for page in ("progress", "progress, first view after a write", "results"):
        if page in server:
            m = server[page]["median"]
            name = page.replace(",", " page,") if "," in page else f"{page} page"
            rows.append([f"{name}, median server-side (AppTest, two-year profile)", "≤ 100 ms",
                         f"{ms(m)} ms", _ok(m <= 100)])
    for key, label in (("clicks", "as configured, first visit"), ("clicks-returning", "as configured, returning"),
                       ("clicks-gc-on", "runner.postScriptGC=true, first visit"),
                       ("clicks-gc-on-returning", "runner.postScriptGC=true, returning")):
        actions = results.get(key, {}).get("actions", {})
        if actions:
            worst = max(actions.items(), key=lambda kv: kv[1]["p95"])
            rows.append([f"p95 click-to-update, one user ({label})", "≤ 300 ms",
                         f"worst {ms(worst[1]['p95'])} ms ({worst[0]})", _ok(worst[1]["p95"] <= 300)])
            over = [f"{name} {ms(a['p95'])}" for name, a in actions.items() if a["p95"] > 300]
            within = f"{len(actions) - len(over)} of {len(actions)}"
            rows.append([f"… kinds of click within it ({label})", "all",
                         within + (f"; over: {', '.join(over)}" if over else ""), _ok(not over)])
    for key, label in (("load", "as configured"), ("load-gc-on", "runner.postScriptGC=true")):
        for n in (25, 10, 5, 3):
            r = _level(results, key, n)
            if r:
                rows.append([f"{n} concurrent sessions ({label}): failures, click p95", "0, < 1,500 ms",
                             f"{r['failed']}, {ms(r['click_p95'])} ms",
                             _ok(r["failed"] == 0 and r["click_p95"] < 1500)])
                rows.append([f"memory per added session ({n} sessions, {label})", "< 2 MB",
                             f"{r['per_session_mb']:.2f} MB", _ok(r["per_session_mb"] < 2)])
                break
    for key, label in (("protocol", ""), ("protocol-gc-on", ", runner.postScriptGC=true")):
        for n in (25, 10, 5, 3):
            r = _level(results, key, n)
            if r:
                rows.append([f"{n} concurrent sessions, protocol-level clients{label}: failures, click p95",
                             "0, < 1,500 ms", f"{r['failed']}, {ms(r['click_p95'])} ms",
                             _ok(r["failed"] == 0 and r["click_p95"] < 1500)])
                rows.append([f"memory per added session ({n} protocol-level sessions{label})", "< 2 MB",
                             f"{r['per_session_mb']:.2f} MB", _ok(r["per_session_mb"] < 2)])
                break
    return rows


def targets(results: dict) -> str:
    rows = target_rows(results)
    return table(["target (issue 8)", "wanted", "measured", ""], rows) if rows else "(no targets measured)"


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
        "Docker is not available on this machine (no engine), so the image in `Dockerfile` was not built or "
        "measured here; the figures are for the app run from the checkout's `.venv`, as `python3 dev.py app` does.",
        "",
        "## Commands",
        "",
        f"This run: `{results.get('command', 'python -m bench')}` from the checkout's root, on the app in "
        f"`{results.get('app', '.')}`.",
        "",
        "```sh",
        "make bench          # = .venv/bin/python -m bench: everything, writes bench/RESULTS.md and RESULTS.json",
        "make bench-quick    # = .venv/bin/python -m bench --quick --no-write: a smoke run, prints only",
        ".venv/bin/python -m bench --parts server,profile --no-write    # some parts only",
        "KNEEASSESS_BENCH_APP=/path/to/a/copy .venv/bin/python -m bench --out /tmp/RESULTS-copy.md  # another copy",
        "```",
        "",
        "`make bench` installs the bench's two tools first (`pip install psutil pyinstrument`).",
        "",
        f"The two-year profile, seeded through the store: {results['seeded']}.",
        "",
        "## Targets",
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
    for key, title in (("clicks", "as configured; first visit"), ("clicks-returning", "as configured; returning"),
                       ("clicks-gc-on", GC_ON_TITLE + "; first visit"),
                       ("clicks-gc-on-returning", GC_ON_TITLE + "; returning")):
        if key in results:
            c = results[key]
            visit = (
                "Every round in a new tab of one browser context, warmed by the warm-up round: a returning "
                "visitor, Streamlit's JavaScript from the browser's cache and its compiled code from V8's code cache."
                if c.get("returning") else
                "Every round in a new browser context (an empty cache): a first visit, Streamlit's JavaScript "
                "downloaded and compiled in the tab."
            )
            lines += [
                f"## 2. Click to updated screen, one user, Chromium ({title})",
                "",
                visit,
                "",
                f"{c['rounds']} rounds (after one warm-up round) of: open the private link, the knee check's six "
                "steps to the results, Progress and Log from the menu, save a run, Progress and Log again. Timed "
                "in the page from the click event to the new screen drawn (script finished, nothing stale, the "
                "new screen's text there, for Progress the 3 Plotly charts of its first tab drawn). The bare page "
                f"has one button and a counter ({c['bare_ms']['n']} clicks), served with the app's `[runner]` "
                "settings. The last column is the server-side "
                "time of the script runs that click caused (both executions of a `st.rerun()` chain), measured in "
                "the server process by `bench/probe.py`.",
                "",
                c["table"],
                "",
            ]
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
                "the server's own capacity under a denser load than browsers would make. \"server runs\" counts "
                "`bench/probe.py` lines: Streamlit 1.67 runs a `st.rerun()` chain inside one `_run_script` call, so "
                "a click that reruns is one line (9 a session). CPU and memory as in part 3; the clients' CPU is "
                "the bench process.",
                "",
                r["table"],
                "",
            ]
            lines += [f"- failure: {e}" for e in r["errors"]] + ([""] if r["errors"] else [])
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
    if NOTES.exists() and out.name == "RESULTS.md":
        lines += [NOTES.read_text().strip(), ""]
    out.write_text("\n".join(lines))


