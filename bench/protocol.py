"""Part 3b: 10, 25 and 50 sessions at once against one server, as protocol-level clients (no browser).

On a 2-core machine the browser level (part 3, ``bench/load.py``) measures the browsers: 25 Chromium renderers take
both cores while the server waits for CPU. Here each session is a WebSocket client in this process that speaks
Streamlit's own protocol, as the frontend does, and does the journey of part 3: it fetches the page, the health and
host-config endpoints (which set the XSRF cookie, as for a browser), opens ``/_stcore/stream`` with the same
Origin, cookie and subprotocols (``streamlit``, the XSRF token) as Chromium, and sends the ``rerun_script``
BackMsgs the frontend would send: the first one with the query string (``p=<token>``) and the page's URL path,
a page change with the page's ``page_script_hash``, a button press with the active widgets' values (a form's own
values when its submit button is pressed, e.g. the ticked "None of these apply to me") and the button's trigger,
the ``cached_message_hashes`` of the ForwardMsg cache it keeps as the frontend does (large elements it already has
come back as ``ref_hash`` references). It keeps the elements of the last run by delta path, to find the widgets by
label and check the text that each new screen shows.

A click's latency runs from sending the BackMsg to the ``script_finished`` of the last run it caused: a
``st.rerun()`` or ``st.switch_page()`` first ends a run with FINISHED_EARLY_FOR_RERUN, and the chain counts until a
run finishes successfully. There is no rendering: this is the server's own time (queueing, script, sending) plus
the network on 127.0.0.1. A session fails on an exception element, a compile error, a text missing from the new
screen, a timeout (60 s a step) or a lost connection. Memory per added session is measured as in part 3.

What the clients do not do: download the JavaScript bundle and the other static files (part 3's tabs have them
from the browser cache anyway), render anything, or wait between clicks: each session clicks as soon as the
previous run has finished, where a person in a browser waits for the screen to be drawn (0.2-0.5 s a click in
part 2), so the load per session is denser than with browsers. Widgets are modelled for the kinds on this journey
(checkbox, radio, pills and segmented control, select slider and slider, number input, buttons); a widget of another
kind is left out of the states sent (the server then keeps its last value, as if untouched), fragments are not
re-run on their timers, and nothing is uploaded.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlsplit

from bench import probe, profile
from bench.browser import STEPS
from bench.common import BENCH_ROOT, ROOT, app_env, median, ms, pct, serve, table, theme_flags
from bench.load import SETTLE_S, STEP_TIMEOUT_MS, Sampler, level_figures

STEP_TIMEOUT_S = STEP_TIMEOUT_MS / 1000
XSRF_COOKIE = "_streamlit_xsrf"
# What Chromium in this container reports (ContextInfo of every rerun_script), so that the app sees the same values.
CONTEXT = {"timezone": "UTC", "timezone_offset": 0, "locale": "en-US", "is_embedded": False, "color_scheme": "light"}
TEXT_FIELDS = ("body", "label", "text", "title")


class SessionFailed(Exception):
    """The session cannot go on: an exception in the app, a missing element or text, a lost connection."""


@dataclass
class Shown:
    """One element (or block) of a run, at its delta path."""

    kind: str
    proto: object
    script_hash: str  # the script that drew it (the page's, or the main script's for the menu and its widgets)


@dataclass
class Page:
    script_hash: str
    name: str
    url_path: str
    default: bool


@dataclass
class _Cached:
    msg: object
    run: int


@dataclass
class Client:
    """One Streamlit session over ``/_stcore/stream``, as the frontend of the installed Streamlit drives it."""

    url: str
    rx_bytes: int = 0
    script_runs: int = 0  # script_finished messages, one per run (a st.rerun() chain has several)
    screen: dict[tuple[int, ...], Shown] = field(default_factory=dict)
    pages: dict[str, Page] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._ws = None
        self._reader: asyncio.Task | None = None
        self._run: dict[tuple[int, ...], Shown] = {}
        self._waiting: asyncio.Future | None = None
        self._failure: SessionFailed | None = None
        self._page_hash = ""
        self._main_hash = ""
        self._path = "/"
        self._query = ""
        self._new_session_seen = False
        self._max_age = 2
        self._cache: dict[str, _Cached] = {}
        self._cache_runs = 0
        self._committed: dict[str, object] = {}  # widget id -> WidgetState, as sent with every rerun
        self._pending: dict[str, dict[str, object]] = {}  # form id -> its widgets' values until it is submitted

    # --- connecting -------------------------------------------------------------------------------------------

    async def open(self, path: str, query: str) -> float:
        """Load ``path?query`` as a browser tab does; the ms until its first run has finished."""
        from websockets.asyncio.client import connect
        from websockets.typing import Subprotocol

        began = time.perf_counter()
        cookies: dict[str, str] = {}
        for target in (f"{path}?{query}" if query else path, "/_stcore/health", "/_stcore/host-config"):
            status, set_cookies = await _http_get(self.url, target, cookies)
            if status != 200:
                raise SessionFailed(f"GET {target.split('?')[0]}: HTTP {status}")
            for raw in set_cookies:
                jar = SimpleCookie()
                jar.load(raw)
                cookies.update({k: m.value for k, m in jar.items()})
        xsrf = cookies.get(XSRF_COOKIE)
        if xsrf is None:
            raise SessionFailed(f"no {XSRF_COOKIE} cookie from the server")
        parts = urlsplit(self.url)
        self._ws = await asyncio.wait_for(connect(
            f"ws://{parts.netloc}/_stcore/stream",
            origin=self.url,  # same origin as the page, as a browser sends it
            subprotocols=[Subprotocol("streamlit"), Subprotocol(xsrf)],  # the frontend's [streamlit, XSRF token]
            additional_headers={"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())},
            max_size=None, ping_interval=None, open_timeout=STEP_TIMEOUT_S,
        ), STEP_TIMEOUT_S)
        if self._ws.subprotocol != "streamlit":
            raise SessionFailed(f"the server chose the subprotocol {self._ws.subprotocol!r}")
        self._reader = asyncio.create_task(self._read())
        self._path, self._query = path, query
        await self._rerun(page_name=path.strip("/"), sent_at=began)
        return (time.perf_counter() - began) * 1000

    async def close(self) -> None:
        if self._ws is not None:
            await self._ws.close()
        if self._reader is not None:
            self._reader.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._reader

    # --- what the screen shows ---------------------------------------------------------------------------------

    def texts(self) -> str:
        out = []
        for shown in self.screen.values():
            fields = getattr(shown.proto, "DESCRIPTOR", None)
            for name in TEXT_FIELDS:
                if fields is not None and name in fields.fields_by_name:
                    value = getattr(shown.proto, name)
                    if isinstance(value, str):
                        out.append(value)
        return "\n".join(out)

    def count(self, kind: str) -> int:
        return sum(1 for s in self.screen.values() if s.kind == kind)

    def expect(self, want: dict) -> None:
        if want.get("text") and want["text"] not in self.texts():
            raise SessionFailed(f"{want['text']!r} is not on the screen")
        if want.get("charts") and self.count("plotly_chart") < want["charts"]:
            raise SessionFailed(f"{self.count('plotly_chart')} charts instead of {want['charts']}")

    def _widget(self, kind: str, label: str):  # noqa: ANN202 - a widget proto
        for shown in self.screen.values():
            if shown.kind == kind and getattr(shown.proto, "label", None) == label and not shown.proto.disabled:
                return shown.proto
        raise SessionFailed(f"no {kind} {label!r} on the screen")

    # --- what a person does -------------------------------------------------------------------------------------

    async def click(self, label: str) -> float:
        """Press the button ``label`` (a form's submit button sends the form's values with it)."""
        from streamlit.proto.WidgetStates_pb2 import WidgetState

        button = self._widget("button", label)
        if button.is_form_submitter:
            self._committed.update(self._pending.get(button.form_id, {}))
        trigger = WidgetState(id=button.id, trigger_value=True)
        return await self._rerun(widgets=[*self._committed.values(), trigger])

    async def tick(self, label: str, value: bool = True) -> float | None:
        """Set the checkbox ``label``: inside a form nothing is sent until it is submitted, else it reruns."""
        from streamlit.proto.WidgetStates_pb2 import WidgetState

        box = self._widget("checkbox", label)
        state = WidgetState(id=box.id, bool_value=value)
        if box.form_id:
            self._pending.setdefault(box.form_id, {})[box.id] = state
            return None
        self._committed[box.id] = state
        return await self._rerun(widgets=list(self._committed.values()))

    async def navigate(self, name: str) -> float:
        """Open the page ``name`` from the menu: the widgets of the main script only, no query string."""
        page = next((p for p in self.pages.values() if p.name == name), None)
        if page is None:
            raise SessionFailed(f"no page {name!r} in the navigation")
        kept = {getattr(s.proto, "id", None) for s in self.screen.values() if s.script_hash == self._main_hash}
        widgets = [w for wid, w in self._committed.items() if wid in kept]  # the page's own widgets are cleared
        self._query = ""  # the frontend keeps only the query parameters bound to widgets (none here)
        return await self._rerun(widgets=widgets, page_hash=page.script_hash)

    # --- the protocol -------------------------------------------------------------------------------------------

    async def _rerun(self, widgets: list | None = None, page_hash: str | None = None, query: str | None = None,
                     page_name: str = "", sent_at: float | None = None) -> float:
        from streamlit.proto.BackMsg_pb2 import BackMsg

        if self._failure:
            raise self._failure
        msg = BackMsg()
        state = msg.rerun_script
        state.query_string = self._query if query is None else query
        state.widget_states.widgets.extend(widgets or [])
        state.page_script_hash = self._page_hash if page_hash is None else page_hash
        state.page_name = page_name
        state.cached_message_hashes.extend(self._cache)
        for key, value in CONTEXT.items():
            setattr(state.context_info, key, value)
        state.context_info.url = f"{self.url}{self._path}"
        self._new_session_seen = False
        self._waiting = asyncio.get_running_loop().create_future()
        t0 = time.perf_counter()
        await self._ws.send(msg.SerializeToString())
        try:
            finished = await asyncio.wait_for(self._waiting, STEP_TIMEOUT_S)  # cancelled on a timeout
        except TimeoutError:
            raise SessionFailed(f"no finished run within {STEP_TIMEOUT_S:.0f} s") from None
        return (finished - (sent_at if sent_at is not None else t0)) * 1000

    async def _read(self) -> None:
        from websockets.exceptions import ConnectionClosed

        try:
            async for raw in self._ws:
                self.rx_bytes += len(raw)
                self._handle(raw)
        except ConnectionClosed as exc:
            self._fail(SessionFailed(f"connection closed ({exc.rcvd.code if exc.rcvd else 'no code'})"))
        except SessionFailed as exc:
            self._fail(exc)
        except Exception as exc:  # noqa: BLE001 - a message this client cannot handle fails its session, at once
            self._fail(SessionFailed(f"client error on a ForwardMsg: {type(exc).__name__}: {exc}"))
        else:
            self._fail(SessionFailed("connection closed by the server"))

    def _fail(self, exc: SessionFailed) -> None:
        self._failure = self._failure or exc
        if self._waiting is not None and not self._waiting.done():
            self._waiting.set_exception(self._failure)

    def _handle(self, raw: bytes) -> None:
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        now = time.perf_counter()
        msg = ForwardMsg()
        msg.ParseFromString(raw)
        msg = self._from_cache(msg)
        kind = msg.WhichOneof("type")
        if kind == "new_session":
            self._new_session_seen = True
            self._run = {}
            self._page_hash = msg.new_session.page_script_hash
            self._main_hash = msg.new_session.main_script_hash
            self._max_age = msg.new_session.config.max_cached_message_age or self._max_age
        elif kind == "delta":
            delta = msg.delta
            what = delta.WhichOneof("type")
            path = tuple(msg.metadata.delta_path)
            if what == "new_element":
                element = delta.new_element
                el_kind = element.WhichOneof("type")
                if el_kind == "exception":
                    raise SessionFailed(f"the app showed an exception: {element.exception.message[:120]}")
                self._run[path] = Shown(el_kind, getattr(element, el_kind), msg.metadata.active_script_hash)
            elif what == "add_block":
                self._run[path] = Shown("block", delta.add_block, msg.metadata.active_script_hash)
        elif kind == "navigation":
            self.pages = {p.page_script_hash: Page(p.page_script_hash, p.page_name, p.url_pathname, p.is_default)
                          for p in msg.navigation.app_pages}
            page = self.pages.get(msg.navigation.page_script_hash)
            if page:
                self._page_hash = page.script_hash
                self._path = "/" if page.default else f"/{page.url_path}"
        elif kind == "page_info_changed":
            self._query = msg.page_info_changed.query_string
        elif kind == "page_not_found":
            raise SessionFailed(f"page not found: {msg.page_not_found.page_name!r}")
        elif kind == "session_event" and msg.session_event.HasField("script_compilation_exception"):
            raise SessionFailed("the script did not compile")
        elif kind == "script_finished":
            self.script_runs += 1
            status = msg.script_finished
            if status == ForwardMsg.FINISHED_WITH_COMPILE_ERROR:
                raise SessionFailed("the script did not compile")
            if status in (ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY):
                self._finished(fragment=status == ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY)
                if self._waiting is not None and not self._waiting.done():
                    self._waiting.set_result(now)

    def _finished(self, fragment: bool) -> None:
        """A run is over: its elements are the screen, its widgets take their values (as they mount)."""
        self.screen = {**self.screen, **self._run} if fragment else self._run
        self._run = dict(self.screen) if fragment else {}
        active: set[str] = set()
        for shown in self.screen.values():
            state = _initial(shown.kind, shown.proto)
            if state is None:
                continue
            active.add(state.id)
            store = self._pending.setdefault(shown.proto.form_id, {}) if shown.proto.form_id else self._committed
            if shown.proto.set_value or state.id not in store:  # a value set by the app wins over the browser's
                store[state.id] = state
        self._committed = {k: v for k, v in self._committed.items() if k in active}  # inactive widgets dropped
        self._pending = {f: {k: v for k, v in ws.items() if k in active} for f, ws in self._pending.items()}
        if self._new_session_seen:  # the frontend ages its message cache once a (non-rerun) run has finished
            self._cache_runs += 1
            self._cache = {h: c for h, c in self._cache.items() if self._cache_runs - c.run <= self._max_age}

    def _from_cache(self, msg):  # noqa: ANN001, ANN202 - a ForwardMsg
        """The frontend's ForwardMsg cache: keep the cacheable messages, resolve the references to them."""
        if msg.WhichOneof("type") == "ref_hash":
            cached = self._cache.get(msg.ref_hash)
            if cached is None:
                raise SessionFailed(f"cached ForwardMsg missing: {msg.ref_hash}")
            cached.run = self._cache_runs
            full = type(msg)()
            full.CopyFrom(cached.msg)
            full.metadata.CopyFrom(msg.metadata)
            return full
        if msg.metadata.cacheable and msg.hash:
            if msg.hash in self._cache:
                self._cache[msg.hash].run = self._cache_runs
            else:
                self._cache[msg.hash] = _Cached(msg, self._cache_runs)
        return msg


def _initial(kind: str, w) -> object | None:  # noqa: ANN001 - a widget proto
    """The WidgetState the frontend gives a widget when it mounts (its ``default``, or the value the app set);
    None for kinds without a state (buttons send only their trigger) or not modelled here."""
    from streamlit.proto.NumberInput_pb2 import NumberInput
    from streamlit.proto.WidgetStates_pb2 import WidgetState

    if kind not in ("checkbox", "radio", "button_group", "slider", "number_input") or not getattr(w, "id", ""):
        return None
    s = WidgetState(id=w.id)
    if kind == "checkbox":
        s.bool_value = w.value if w.set_value else w.default
    elif kind == "radio":
        if w.set_value:
            if w.HasField("raw_value"):
                s.string_value = w.raw_value
        elif w.HasField("default") and 0 <= w.default < len(w.options):
            s.string_value = w.options[w.default]
    elif kind == "button_group":
        s.string_array_value.SetInParent()
        if w.set_value:
            s.string_array_value.data.extend(w.raw_values)
        else:
            s.string_array_value.data.extend(
                f"{o.content_icon} {o.content}".strip() if o.content_icon else o.content
                for o in (w.options[i] for i in w.default if 0 <= i < len(w.options)))
    elif kind == "slider":
        if w.options:  # st.select_slider: the options' labels
            s.string_array_value.SetInParent()
            s.string_array_value.data.extend(
                list(w.raw_value) if w.set_value and w.raw_value else [w.options[int(i)] for i in w.default])
        else:
            s.double_array_value.SetInParent()
            s.double_array_value.data.extend(w.value if w.set_value else w.default)
    else:  # number_input: value ?? default ?? nothing
        value = w.value if w.HasField("value") else w.default if w.HasField("default") else None
        if value is not None:
            if w.data_type == NumberInput.INT:
                s.int_value = int(value)
            else:
                s.double_value = value
    return s


async def _http_get(base: str, target: str, cookies: dict[str, str]) -> tuple[int, list[str]]:
    """GET ``target`` as a browser does (cookies sent); the status and the Set-Cookie headers."""
    parts = urlsplit(base)
    reader, writer = await asyncio.wait_for(asyncio.open_connection(parts.hostname, parts.port), STEP_TIMEOUT_S)
    try:
        head = [f"GET {target} HTTP/1.1", f"Host: {parts.netloc}", "Accept: */*", "Connection: close"]
        if cookies:
            head.append("Cookie: " + "; ".join(f"{k}={v}" for k, v in cookies.items()))
        writer.write(("\r\n".join(head) + "\r\n\r\n").encode())
        data = await asyncio.wait_for(reader.read(), STEP_TIMEOUT_S)  # the whole response (Connection: close)
    finally:
        writer.close()
        with contextlib.suppress(OSError):
            await writer.wait_closed()
    lines = data.split(b"\r\n\r\n", 1)[0].decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1]) if lines and len(lines[0].split()) > 1 else 0
    return status, [line.split(":", 1)[1].strip() for line in lines[1:] if line.lower().startswith("set-cookie:")]


# --- the journey and the levels ---------------------------------------------------------------------------------


async def _session(url: str, token: str, start: asyncio.Event, out: dict) -> None:
    client = Client(url)
    out["client"] = client
    await start.wait()
    began = time.perf_counter()
    try:
        out["open_ms"] = await client.open("/progress", f"p={token}")
        client.expect({"text": "Weekly distance"})
        await client.navigate("Knee check")
        client.expect({"text": "Step 1 of 7"})
        out["clicks"] = []
        for label, (kind, name), want in STEPS:
            if "safety" in label:
                await client.tick("None of these apply to me")
            took = await (client.navigate(name) if kind == "link" else client.click(name))
            client.expect(want)
            out["clicks"].append((label, took))
        out["ok"] = True
    except Exception as exc:  # noqa: BLE001 - a failed session is a figure of the bench, not a crash of it
        out["ok"] = False
        out["error"] = f"{type(exc).__name__}: {str(exc).splitlines()[0][:160] if str(exc) else ''}"
    out["total_s"] = time.perf_counter() - began


class _ClientSampler(Sampler):
    """``Sampler`` with this process (the protocol clients) in place of Chromium as the client column."""

    def _chromium(self):  # noqa: ANN202
        import psutil

        if not hasattr(self, "_me"):
            self._me = psutil.Process()
            self._me.cpu_percent(None)
        return [self._me]


async def warm_up(url: str, token: str) -> dict:
    """One session alone first (imports, caches, pools); its outcome."""
    warm: dict = {}
    ready = asyncio.Event()
    ready.set()
    await _session(url, token, ready, warm)
    await warm["client"].close()
    return warm


async def crowd(url: str, token: str, sessions: int, started: Callable[[], None] | None = None,
                close: bool = True) -> tuple[list[dict], float, float]:
    """``sessions`` sessions doing the journey together: their outcomes, the wall time (s) from their start to
    the last one's end, and the unix time of the start. ``started`` is called as they start."""
    start = asyncio.Event()
    outs: list[dict] = [{} for _ in range(sessions)]
    tasks = [asyncio.create_task(_session(url, token, start, o)) for o in outs]
    await asyncio.sleep(0.5)
    if started:
        started()
    t0, since = time.perf_counter(), time.time()
    start.set()
    await asyncio.gather(*tasks)
    wall = time.perf_counter() - t0
    if close:
        await asyncio.gather(*(o["client"].close() for o in outs if "client" in o))
    return outs, wall, since


async def _level(url: str, token: str, sessions: int, sampler: Sampler, runs_file: Path,
                 spy: tuple[int, Path] | None = None) -> dict:
    """One level; with ``spy`` (the server's pid, a file), py-spy samples the server while the sessions click."""
    warm = await warm_up(url, token)
    await asyncio.sleep(SETTLE_S)
    base_rss = sampler.rss_now()
    n_cpu = 0

    def mark() -> None:
        nonlocal n_cpu
        n_cpu = len(sampler.cpu)

    with profile.sampled(*spy) if spy else contextlib.nullcontext():
        outs, wall, since = await crowd(url, token, sessions, started=mark, close=False)
    server_runs = probe.read(runs_file, since, time.time() + 1)
    script_runs = sum(r.execs for r in probe.runs(runs_file, since, time.time() + 1) if not r.auto)
    busy_cpu, busy_client = sampler.cpu[n_cpu:], sampler.client_cpu[n_cpu:]
    await asyncio.sleep(SETTLE_S)
    open_rss = sampler.rss_now()  # all N sessions still connected, idle
    await asyncio.gather(*(o["client"].close() for o in outs if "client" in o))
    steps = {label: [t for o in outs for lb, t in o.get("clicks", []) if lb == label] for label, _, _ in STEPS}
    done = [o for o in outs if o.get("ok")]
    figures = level_figures(sessions, outs, wall, server_runs, busy_cpu, busy_client, base_rss, open_rss, sampler)
    figures["script_runs"] = script_runs
    figures["clicks_per_s"] = sum(len(o.get("clicks", [])) for o in outs) / wall if wall else float("nan")
    if not warm.get("ok"):
        figures["errors"] = [f"warm-up session: {warm.get('error')}", *figures["errors"]]
    return {
        **figures,
        "steps": {label: {"p50": pct(v, 50), "p95": pct(v, 95)} for label, v in steps.items()},
        "script_runs_per_session": median([o["client"].script_runs for o in done]) if done else float("nan"),
        "rx_mb_per_session": median([o["client"].rx_bytes for o in done]) / 2**20 if done else float("nan"),
    }

def run(token: str, var_dir: Path, log_dir: Path, levels: tuple[int, ...] = (10, 25, 50),
        server_flags: tuple[str, ...] = (), name: str = "") -> dict:
    results = []
    for n in levels:
        runs_file = log_dir / f"protocol{name}-{n}.runs"
        runs_file.unlink(missing_ok=True)
        with serve(ROOT / "app.py", ROOT, log_dir / f"protocol{name}-{n}.log", env=app_env(var_dir),
                   extra=[*theme_flags(), *server_flags], runs_file=runs_file) as srv, \
                _ClientSampler(srv.proc.pid) as sampler:
            # where the server's CPU goes at the largest level: py-spy while the sessions click (not the warm-up)
            spy = (srv.proc.pid, log_dir / f"protocol{name}-{n}.spy") if n == max(levels) else None
            results.append(asyncio.run(_level(srv.url, token, n, sampler, runs_file, spy)))
            if spy is not None and spy[1].exists():
                out = profile.OUT / f"protocol{name}-{n}-sessions.txt"
                profile.OUT.mkdir(exist_ok=True)
                load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
                out.write_text(f"The server while {n} protocol-level sessions did the knee check (bench part 3b; "
                               f"the warm-up session left out), {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}"
                               f"; load average after it (1, 5, 15 min): {load}\n\n{profile.summary(spy[1])}")
                results[-1]["profile"] = str(out.relative_to(BENCH_ROOT))
    rows = [[r["sessions"], r["failed"], ms(r["click_p50"]), ms(r["click_p95"]), ms(r["progress_p95"]),
             ms(r["open_p95"]), f"{r['server_runs']} / {r['script_runs']}",
             f"{ms(r['server_run_p50'])} / {ms(r['server_run_p95'])}",
             f"{r['wall_s']:.1f}", f"{r['clicks_per_s']:.1f}",
             f"{r['server_cpu_mean']:.0f} / {r['server_cpu_peak']:.0f}",
             f"{r['client_cpu_mean']:.0f}", f"{r['rss_base_mb']:.0f} → {r['rss_peak_mb']:.0f}",
             f"{r['per_session_mb']:.2f}", f"{r['rx_mb_per_session']:.1f}"] for r in results]
    text = table(["sessions", "failed", "click p50 ms", "click p95 ms", "progress p95 ms", "open link p95 ms",
                  "server runs / script runs", "server run ms p50 / p95", "wall s", "clicks/s",
                  "server CPU % median / peak",
                  "clients' CPU % median", "server RSS MB base → peak", "MB per added session",
                  "MB received per session"], rows)
    errors = [f"{r['sessions']} sessions: {e}" for r in results for e in r["errors"]]
    return {"levels": results, "table": text, "errors": errors}
