"""Two app replicas on one PostgreSQL behind nginx with sticky sessions: a runner's journey and a consultation
request go through nginx, each browser stays on its replica, and both replicas serve.

nginx runs as a foreground child (no daemon, one process, everything under tmp_path) with the very config the
README deploys: ``deploy/nginx/kneeassess.conf.template`` rendered for two loopback replicas. Its access log
names the route cookie and the replica (``$upstream_addr``) of every request.
"""

from __future__ import annotations

import re
import secrets
import subprocess
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from kneeassess import leads, profiles
from kneeassess.storage.sql import SqlStore
from tests.conftest import ROOT, free_port, missing_setup
from tests.deploy.nginx import render
from tests.e2e.conftest import PHONE, _healthy, serve, wait_idle
from tests.e2e.ui import keyed, no_app_error, press, quick_screening, shoot, tick
from tests.waiting import wait_until

pytestmark = [pytest.mark.e2e, pytest.mark.postgres]

NGINX = Path("/usr/sbin/nginx")
TEMPLATE = ROOT / "deploy" / "nginx" / "kneeassess.conf.template"
COOKIE = "kneeassess_route"
FRAME_ANCESTORS = "'self' https://www.clinic.example"
LOG_LINE = re.compile(r'^(?P<status>\d{3}) "(?P<request>[^"]*)" up=(?P<up>\S+) route=(?P<route>\S+)')

MAIN_CONF = """
daemon off;
master_process off;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log info;
events {{ worker_connections 512; }}
http {{
    log_format route '$status "$request" up=$upstream_addr route=$kneeassess_route';
    access_log {tmp}/access.log route;
    client_body_temp_path {tmp}/client_body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    include {tmp}/kneeassess.conf;
}}
"""


@pytest.fixture
def nginx_bin() -> Path:
    if not NGINX.exists():
        missing_setup("nginx not installed (apt-get install nginx)")
    return NGINX


def start_nginx(tmp: Path, replica_a: str, replica_b: str) -> tuple[subprocess.Popen, str]:
    port = free_port()
    (tmp / "tls.conf").write_text("# plain HTTP on loopback\n")
    (tmp / "kneeassess.conf").write_text(render(TEMPLATE.read_text(), {
        "KNEEASSESS_LISTEN": f"127.0.0.1:{port}", "KNEEASSESS_SERVER_NAME": "127.0.0.1",
        "KNEEASSESS_REPLICA_1": replica_a, "KNEEASSESS_REPLICA_2": replica_b, "KNEEASSESS_TLS": str(tmp / "tls.conf"),
        "KNEEASSESS_ACCESS_LOG": str(tmp / "access.log"), "KNEEASSESS_FRAME_ANCESTORS": FRAME_ANCESTORS,
    }))
    conf = tmp / "nginx.conf"
    conf.write_text(MAIN_CONF.format(tmp=tmp))
    cmd = [str(NGINX), "-p", str(tmp), "-e", str(tmp / "error.log"), "-c", str(conf)]
    checked = subprocess.run([*cmd, "-t"], capture_output=True, text=True)
    assert checked.returncode == 0, f"nginx rejects the config:\n{checked.stderr}"
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"

    def exited() -> str | None:
        return f"nginx exited: {(tmp / 'error.log').read_text()}" if proc.poll() is not None else None

    wait_until(lambda: _healthy(url), 30, interval=0.1, give_up=exited, what="nginx answering")
    return proc, url


def access_log(tmp: Path) -> list[dict[str, str]]:
    """The access log's complete lines so far (nginx writes a request's line after it has sent the response)."""
    path = tmp / "access.log"
    lines = path.read_text().split("\n")[:-1] if path.exists() else []  # a line still being written is left out
    return [m.groupdict() for line in lines if (m := LOG_LINE.match(line))]


def logged_replica(tmp: Path, route: str) -> str | None:
    """The replica (``$upstream_addr``) of the last logged request with this route cookie, once it is logged."""
    return next((e["up"] for e in reversed(access_log(tmp)) if e["route"] == route), None)


def wait_for_streams_logged(tmp: Path, routes: list[str]) -> None:
    """nginx logs a proxied WebSocket when it closes, a moment after the tab does."""
    def logged() -> bool:
        return set(routes) <= {e["route"] for e in access_log(tmp) if "/_stcore/stream" in e["request"]}

    wait_until(logged, 30, interval=0.1, what=f"nginx logging the WebSockets of {routes}")


def route_per_replica(url: str, tmp: Path, replicas: tuple[str, str]) -> dict[str, str]:
    """Ask nginx (no cookie) until it has handed out a route cookie leading to each replica: replica → cookie."""
    found: dict[str, str] = {}
    for _ in range(40):  # each fresh key lands on either replica: 2**-39 to miss one
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=5) as resp:
            cookies = resp.headers.get_all("Set-Cookie") or []
        value = next((m for c in cookies if (m := re.match(rf"{COOKIE}=([0-9a-f]{{32}});", c))), None)
        assert value, f"no route cookie set: {cookies!r}"
        route = value.group(1)
        up = wait_until(lambda route=route: logged_replica(tmp, route), 10, what="nginx logging the request")
        found.setdefault(up, route)
        if set(found) == set(replicas):
            return found
    raise AssertionError(f"nginx sent every new visitor to {set(found)}")


def new_tab(chromium, url: str, route: str) -> Page:  # noqa: ANN001
    """A phone-sized tab of a fresh browser whose route cookie sends it to one chosen replica."""
    context = chromium.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True,
                                   base_url=url)
    context.add_cookies([{"name": COOKIE, "value": route, "url": url}])
    context.set_default_timeout(30_000)
    return context.new_page()


@pytest.fixture
def replicas(postgres_url: str) -> Iterator[tuple[str, str]]:
    """Two app processes on the same PostgreSQL schema and the same cookie secret, as in production."""
    env = {"KNEEASSESS_DATABASE_URL": postgres_url, "STREAMLIT_SERVER_COOKIE_SECRET": secrets.token_hex(32)}
    with serve("deploy-replica-a.log", env) as url_a, serve("deploy-replica-b.log", env) as url_b:
        yield url_a.removeprefix("http://"), url_b.removeprefix("http://")


def test_a_runner_and_a_consultation_request_through_nginx_and_two_replicas(  # noqa: PLR0915
    chromium, replicas: tuple[str, str], postgres_url: str, nginx_bin: Path, tmp_path: Path, artifacts: Path,  # noqa: ANN001
) -> None:
    replica_a, replica_b = replicas
    proc, url = start_nginx(tmp_path, replica_a, replica_b)
    try:
        route = route_per_replica(url, tmp_path, replicas)

        # the check that runs app.py is for the replicas' own launchers, not for the outside
        with pytest.raises(urllib.error.HTTPError, match="404"):
            urllib.request.urlopen(f"{url}/_stcore/script-health-check", timeout=5)

        # once the cookie is there, nginx sets no other
        request = urllib.request.Request(f"{url}/_stcore/health", headers={"Cookie": f"{COOKIE}={route[replica_a]}"})
        with urllib.request.urlopen(request, timeout=5) as resp:
            assert not [c for c in resp.headers.get_all("Set-Cookie") or [] if c.startswith(COOKIE)]

        # the runner, on replica A: the knee check (optional steps skipped), save, the private link, progress
        page = new_tab(chromium, url, route[replica_a])
        quick_screening(page, "/")
        press(page, "Save my results")
        wait_idle(page)
        main = page.locator('[data-testid="stMain"]')
        expect(main.get_by_text("Saved to your profile.")).to_be_visible()
        link = main.locator('[data-testid="stCode"]').first.inner_text().strip()
        assert link.startswith(f"{url}/?p="), link  # the address the browser used: nginx's
        token = link.split("?p=")[1]
        qr = main.locator('[data-testid="stImage"] img').first
        expect(qr).to_be_attached()  # hidden on a touch screen (it is the phone), still loaded: from /media/ of the
        # replica holding the session
        wait_until(lambda: qr.evaluate("img => img.complete && img.naturalWidth > 0"), 15, what="the QR code loading")
        shoot(page, artifacts, "01-saved-through-nginx")
        page.goto(f"/progress?p={token}")
        wait_idle(page)
        no_app_error(page)
        expect(page.get_by_role("heading", name="Progress", exact=True)).to_be_visible()
        expect(page.get_by_role("heading", name="Knee pain")).to_be_visible()
        page.get_by_role("tab", name="Knee checks").click()
        expect(page.get_by_role("heading", name="Weak links over time")).to_be_visible()
        shoot(page, artifacts, "02-progress-through-nginx")
        page.context.close()

        # the same runner on another device, routed to replica B: the private link opens the profile there
        # (saved through A, read through B: PostgreSQL is the shared state), then a consultation request
        page = new_tab(chromium, url, route[replica_b])
        page.goto(f"/book?p={token}")
        wait_idle(page)
        expect(page.get_by_role("heading", name="Book a free consultation")).to_be_visible()
        keyed(page, "bk_name").locator("input").fill("Nginx Runner")
        keyed(page, "bk_email").locator("input").fill("nginx.runner@example.com")
        tick(page, "bk_consent")
        press(page, "Send my request")
        wait_idle(page)
        no_app_error(page)
        expect(page.get_by_text("Thank you, Nginx Runner.", exact=False)).to_be_visible()
        shoot(page, artifacts, "03-request-sent-through-nginx")
        page.context.close()
        wait_for_streams_logged(tmp_path, [route[replica_a], route[replica_b]])
    finally:
        proc.terminate()
        proc.wait(timeout=10)

    store = SqlStore(postgres_url)
    try:
        profile = profiles.open_profile(store, token)
        assert profile is not None
        sent = [r for r in leads.list_requests(store) if r.email == "nginx.runner@example.com"]
        assert [(r.name, r.consent_contact, r.profile_id) for r in sent] == [("Nginx Runner", True, profile.id)]
    finally:
        store.close()

    log = access_log(tmp_path)
    for replica in (replica_a, replica_b):  # sticky: every request of a route cookie went to its replica
        mine = [e for e in log if e["route"] == route[replica]]
        assert {e["up"] for e in mine} == {replica}, mine
        streams = [e for e in mine if "/_stcore/stream" in e["request"]]
        assert streams and all(e["status"] == "101" for e in streams), streams  # the WebSocket, proxied
        assert any(e["request"].startswith("GET /media/") for e in mine) or replica == replica_b
    assert {e["up"] for e in log if e["up"] != "-"} == {replica_a, replica_b}
    errors = (tmp_path / "error.log").read_text()
    assert "[emerg]" not in errors
    assert "temporarily disabled" not in errors, errors  # a replica taken out: its runners' /media/ files 404


def test_the_proxy_drops_an_idle_connection_to_a_replica_before_the_replica_does() -> None:
    """nginx keeps connections to the replicas open between requests; Streamlit's server (uvicorn, with its default
    keep-alive timeout: Streamlit sets none) closes one that has been idle for 5 s. A request sent on a connection
    the replica is closing fails ("upstream prematurely closed connection"), counts against the replica, and can
    take it out for ``fail_timeout``: the runners whose sessions live there then lose their /media/ files (found by
    tests/stress.sh: the QR code after saving did not load, six such failures at once in the proxy's error log).
    The proxy's own idle timeout must be the shorter one."""
    import inspect

    import uvicorn

    upstream = re.search(r"^upstream kneeassess \{(.*?)^\}", TEMPLATE.read_text(), re.M | re.S)
    assert upstream, "no upstream block in the nginx template"
    proxy = re.search(r"^\s*keepalive_timeout\s+(\d+)s;", upstream.group(1), re.M)
    assert proxy, "the upstream block sets no keepalive_timeout (nginx's default is 60 s)"
    replica = inspect.signature(uvicorn.Config).parameters["timeout_keep_alive"].default
    assert int(proxy.group(1)) < replica


def test_the_proxy_log_keeps_no_private_link_and_the_headers_protect_it(  # issue 14 items 2 and 9
    replicas: tuple[str, str], nginx_bin: Path, tmp_path: Path,
) -> None:
    proc, url = start_nginx(tmp_path, *replicas)
    token = profiles.new_token()
    try:
        for path in (f"/?p={token}", f"/progress?p={token}&unit=km", f"/_stcore/health?p={token}"):
            request = urllib.request.Request(url + path, headers={"Referer": f"{url}/log?p={token}"})
            with urllib.request.urlopen(request, timeout=10) as resp:
                headers = resp.headers
        assert headers["Referrer-Policy"] == "no-referrer"
        assert headers["Content-Security-Policy"] == f"frame-ancestors {FRAME_ANCESTORS}"
        assert headers["X-Frame-Options"] == "SAMEORIGIN"
        wait_until(lambda: len(access_log(tmp_path)) >= 3, 30, interval=0.1, what="nginx logging the 3 requests")
    finally:
        proc.terminate()
        proc.wait(10)
    logged = (tmp_path / "access.log").read_text()
    assert [e["request"] for e in access_log(tmp_path)][-3:] == [
        "GET / HTTP/1.1", "GET /progress HTTP/1.1", "GET /_stcore/health HTTP/1.1"]
    assert token not in logged, logged
    assert "?p=" not in logged and "Referer" not in logged, logged
