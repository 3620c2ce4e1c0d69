"""Part 3c: two app replicas behind nginx, as deployed: 100 sessions at once as protocol-level clients, and how the
throughput scales from one replica to two.

The set-up of ``tests/deploy/test_nginx_replicas.py``: two app processes (``streamlit run app.py`` through
``bench.probe``) on one PostgreSQL schema of their own (``KNEEASSESS_TEST_POSTGRES_URL`` or 127.0.0.1:5432, the
two-year profile seeded into it; dropped afterwards) with the same cookie secret, and nginx (``/usr/sbin/nginx``,
a foreground child, everything in a temp dir) running the very configuration the README deploys,
``deploy/nginx/kneeassess.conf.template``: sticky sessions by the route cookie it sets, the WebSocket proxied.

The load is part 3b's (``bench/protocol.py``): N sessions start together, each fetches the page through nginx
(which sets the route cookie), then the health and host-config endpoints and the WebSocket with that cookie, so
every request of a session reaches one replica; each opens the two-year profile's private link and clicks through
the knee check to Progress. The same load runs twice through nginx: with the template's two upstream servers both
set to replica A (one replica), then to A and B (two). Throughput = clicks answered per second of the crowd's wall
time. Each replica is warmed first by one session of its own (directly, not through nginx).

On this machine both replicas, nginx and the clients share 2 cores: two replicas can use both cores where one
process (its script runs holding one GIL) uses about one, so the ratio shows what a second process gains on
2 cores, not what a second machine would.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import secrets
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from bench import probe
from bench.common import ROOT, app_env, healthy, ms, pct, serve, stop, table, theme_flags
from tests.deploy.nginx import render

NGINX = Path("/usr/sbin/nginx")
TEMPLATE = ROOT / "deploy" / "nginx" / "kneeassess.conf.template"
MAIN_CONF = """
daemon off;
master_process off;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log warn;
events {{ worker_connections 2048; }}
http {{
    client_body_temp_path {tmp}/client_body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    include {tmp}/kneeassess.conf;
}}
"""


@contextlib.contextmanager
def nginx(tmp: Path, replica_1: str, replica_2: str) -> Iterator[str]:
    """nginx in front of two upstream addresses (the same one twice: one replica); its URL."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    tmp.mkdir(parents=True, exist_ok=True)
    (tmp / "tls.conf").write_text("# plain HTTP on loopback\n")
    (tmp / "kneeassess.conf").write_text(render(TEMPLATE.read_text(), {
        "KNEEASSESS_LISTEN": f"127.0.0.1:{port}", "KNEEASSESS_SERVER_NAME": "127.0.0.1",
        "KNEEASSESS_REPLICA_1": replica_1, "KNEEASSESS_REPLICA_2": replica_2, "KNEEASSESS_TLS": str(tmp / "tls.conf"),
        "KNEEASSESS_ACCESS_LOG": str(tmp / "access.log"), "KNEEASSESS_FRAME_ANCESTORS": "'self'",
    }))
    conf = tmp / "nginx.conf"
    conf.write_text(MAIN_CONF.format(tmp=tmp))
    cmd = [str(NGINX), "-p", str(tmp), "-e", str(tmp / "error.log"), "-c", str(conf)]
    checked = subprocess.run([*cmd, "-t"], capture_output=True, text=True)
    if checked.returncode != 0:
        raise RuntimeError(f"nginx rejects the config:\n{checked.stderr}")
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while not healthy(url):
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"nginx did not start: {(tmp / 'error.log').read_text()}")
            time.sleep(0.1)
        yield url
    finally:
        stop(proc)


def _crowd(url: str, token: str, sessions: int, runs_files: dict[str, Path]) -> dict:
    from bench.protocol import crowd

    outs, wall, since = asyncio.run(crowd(url, token, sessions))
    until = time.time() + 1
    clicks = [t for o in outs for _, t in o.get("clicks", [])]
    failed = [o.get("error", "?") for o in outs if not o.get("ok")]
    served = {name: sum(r.execs for r in probe.runs(f, since, until) if not r.auto) for name, f in runs_files.items()}
    return {
        "sessions": sessions, "failed": len(failed), "errors": sorted(set(failed))[:5], "wall_s": wall,
        "clicks": len(clicks), "clicks_per_s": len(clicks) / wall if wall else float("nan"),
        "click_p50": pct(clicks, 50), "click_p95": pct(clicks, 95),
        "open_p95": pct([o["open_ms"] for o in outs if "open_ms" in o], 95),
        "script_runs_per_replica": served,
    }


def run(var_dir: Path, log_dir: Path, sessions: int = 100) -> dict:
    from bench.protocol import warm_up
    from bench.seed import seed_two_years
    from bench.storage import POSTGRES_URL, _postgres_schema
    from kneeassess.storage.sql import SqlStore

    if not NGINX.exists():
        return {"skipped": f"nginx not installed at {NGINX}", "table": "replicas: skipped (no nginx)"}
    pg = _postgres_schema()
    if pg is None:
        return {"skipped": f"PostgreSQL not reachable at {POSTGRES_URL}",
                "table": "replicas: skipped (no PostgreSQL)"}
    url, drop = pg
    try:
        store = SqlStore(url)
        try:
            token = seed_two_years(store).token
        finally:
            store.close()
        env = {**app_env(var_dir), "KNEEASSESS_DATABASE_URL": url,
               "STREAMLIT_SERVER_COOKIE_SECRET": secrets.token_hex(32)}
        runs = {name: log_dir / f"replica-{name}.runs" for name in ("A", "B")}
        for f in runs.values():
            f.unlink(missing_ok=True)
        with serve(ROOT / "app.py", ROOT, log_dir / "replica-A.log", env=env, extra=theme_flags(),
                   runs_file=runs["A"]) as a, \
                serve(ROOT / "app.py", ROOT, log_dir / "replica-B.log", env=env, extra=theme_flags(),
                      runs_file=runs["B"]) as b, \
                tempfile.TemporaryDirectory(prefix="kneeassess-bench-nginx-") as tmp:
            warm = [asyncio.run(warm_up(s.url, token)) for s in (a, b)]
            errors = [f"warm-up of replica {n}: {w.get('error')}" for n, w in zip("AB", warm, strict=True)
                      if not w.get("ok")]
            addr = {"A": a.url.removeprefix("http://"), "B": b.url.removeprefix("http://")}
            results = {}
            for label, (first, second) in (("one replica", ("A", "A")), ("two replicas", ("A", "B"))):
                with nginx(Path(tmp) / label.replace(" ", "-"), addr[first], addr[second]) as proxy:
                    time.sleep(1)
                    results[label] = _crowd(proxy, token, sessions, runs)
    finally:
        drop()
    one, two = results["one replica"], results["two replicas"]
    ratio = two["clicks_per_s"] / one["clicks_per_s"] if one["clicks_per_s"] else float("nan")
    rows = [[label, r["sessions"], r["failed"], ms(r["click_p50"]), ms(r["click_p95"]), ms(r["open_p95"]),
             f"{r['wall_s']:.1f}", r["clicks"], f"{r['clicks_per_s']:.1f}",
             " / ".join(f"{n} {c}" for n, c in r["script_runs_per_replica"].items())]
            for label, r in results.items()]
    text = table(["through nginx", "sessions", "failed", "click p50 ms", "click p95 ms", "open link p95 ms",
                  "wall s", "clicks", "clicks/s", "script runs per replica"], rows)
    text += (f"\n\nThroughput, one replica → two: {one['clicks_per_s']:.1f} → {two['clicks_per_s']:.1f} clicks/s "
             f"(× {ratio:.2f}), the same {sessions}-session load through the same nginx configuration, "
             f"{os.cpu_count()} cores shared by everything.")
    errors += [f"{label}: {e}" for label, r in results.items() for e in r["errors"]]
    return {"sessions": sessions, "levels": results, "ratio": ratio, "table": text, "errors": errors}
