"""Load test: N simulated browser sessions moving a slider on one Streamlit server.

Why: a lecture hall is 30+ students on one hosted app. Each simulated session speaks Streamlit's own
websocket protocol (``/_stcore/stream``, protobuf ``BackMsg``/``ForwardMsg``) the way the frontend does:
GET the page (for cookies, e.g. a proxy's routing cookie), open the websocket, send a ``rerun_script``
with the query string, page hash and context, learn the slider's widget id from the first run's deltas,
then per move send a ``rerun_script`` with the slider's new value and the hashes of cached messages, and
time it until ``script_finished``. No browser: nothing is rendered, static assets are not fetched, other
widgets send no state (the server uses their defaults), heartbeats are not sent.

    python bench/load.py                          # app.py and the floor app, N = 1, 10, 30
    python bench/load.py --quick --app bench/floor_app.py
    python bench/load.py --url http://127.0.0.1:8080 --pids 123,456 --sessions 10,30 --warmup 8

Unless ``--url`` is given, every (app, N) gets a fresh ``streamlit run`` server on a free local port, a
warm-up session (imports, caches), then N concurrent sessions; with ``--url`` all N run on the same server.
A session that misses a ``script_finished`` before ``--timeout`` or shows an exception counts as an error.
Server CPU and RSS come from /proc of the server's process tree (``--pids`` with ``--url``); CPU per move
counts each session's first run as a move.
Prints a table; asserts nothing about timings.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState
from websockets.asyncio.client import connect

REPO_ROOT = Path(__file__).resolve().parents[1]
FLOOR_APP = "bench/floor_app.py"
# The floor app once more with FLOOR_FROZEN=1: Streamlit's full garbage collection after each run is
# most of the plain floor's CPU per move, and the Explorer keeps it short (ui/runtime.py). Shown for
# the reader; the targets stay against the plain floor, as the issue set them.
FROZEN_SUFFIX = " (frozen)"
SLIDER_KEYS = ("ctl_x_0", "x")  # the Explorer's x₀ slider (sidebar), the floor app's slider
EARLY = ForwardMsg.ScriptFinishedStatus.FINISHED_EARLY_FOR_RERUN
COMPILE_ERROR = ForwardMsg.ScriptFinishedStatus.FINISHED_WITH_COMPILE_ERROR


class SessionError(Exception):
    """The app answered, but wrongly: an exception element, a compile error, no slider."""


@dataclass
class Session:
    """One simulated browser tab: what the frontend keeps between reruns, and what we measure."""

    index: int
    page_hash: str = ""
    cached: set[str] = field(default_factory=set)
    sliders: dict[str, object] = field(default_factory=dict)
    first: float | None = None
    latencies: list[float] = field(default_factory=list)
    move_bytes: int = 0  # as the app wrote them
    wire_bytes: int = 0  # compressed, as sent (an upper bound: each message deflated on its own)
    deflate: bool = False  # the server accepted permessage-deflate
    error: str | None = None
    arrived: bool = False
    query: str = ""  # the link's query string, e.g. a 64 × 32 layer (--layer)


async def _rerun(ws, s: Session, states: list[WidgetState], url: str, deadline: float) -> int:
    """Send one ``rerun_script`` and read until its final ``script_finished``.

    Returns the bytes received as written, and as sent over the wire: with permessage-deflate each
    message deflated on its own (the protocol also keeps context between messages, so it sends less).
    """
    msg = BackMsg()
    cs = msg.rerun_script
    cs.page_script_hash = s.page_hash
    cs.query_string = s.query
    cs.widget_states.widgets.extend(states)
    cs.cached_message_hashes.extend(sorted(s.cached))
    cs.context_info.timezone = "UTC"
    cs.context_info.locale = "en-US"
    cs.context_info.url = url
    await ws.send(msg.SerializeToString())
    received = wire = 0
    while True:
        data = await asyncio.wait_for(ws.recv(), timeout=max(0.0, deadline - time.monotonic()))
        received += len(data)
        wire += len(zlib.compress(data, 6)) - 6 if s.deflate else len(data)  # minus zlib's header and checksum
        fm = ForwardMsg()
        fm.ParseFromString(data)
        if fm.metadata.cacheable:
            s.cached.add(fm.hash)
        kind = fm.WhichOneof("type")
        if kind == "new_session":
            s.page_hash = fm.new_session.page_script_hash
        elif kind == "delta" and fm.delta.WhichOneof("type") == "new_element":
            element = fm.delta.new_element
            etype = element.WhichOneof("type")
            if etype == "exception":
                raise SessionError(f"exception element: {element.exception.type}: {element.exception.message}")
            if etype == "slider":
                s.sliders[element.slider.id] = element.slider
        elif kind == "script_finished":
            if fm.script_finished == COMPILE_ERROR:
                raise SessionError("script compile error")
            if fm.script_finished != EARLY:  # st.rerun() ends a run early and starts the next
                return received, wire


def _find_slider(s: Session, keys: tuple[str, ...]):
    """The slider whose widget id ends with a known user key (ids look like ``$$ID-<hash>-<key>``)."""
    for key in keys:
        for wid, proto in s.sliders.items():
            if wid == key or wid.endswith("-" + key):
                return proto
    raise SessionError(f"no slider with key {' or '.join(keys)} among {sorted(s.sliders)}")


def _http_cookies(url: str, timeout: float) -> str:
    """GET the page as a browser would first; return its Set-Cookie values as a Cookie header."""
    with urllib.request.urlopen(url + "/", timeout=timeout) as response:
        response.read()
        return "; ".join(c.split(";", 1)[0] for c in response.headers.get_all("Set-Cookie") or [])


class Gate:
    """Holds finished sessions open until all have arrived, so RSS is measured with all N connected."""

    def __init__(self, n: int) -> None:
        self.left, self.all_in, self.release = n, asyncio.Event(), asyncio.Event()

    def arrive(self, s: Session) -> None:
        if not s.arrived:
            s.arrived, self.left = True, self.left - 1
            if self.left == 0:
                self.all_in.set()


async def run_session(s: Session, url: str, keys, moves: int, think: float, deadline: float, gate: Gate) -> None:
    """Open a tab, let it load, then move the slider ``moves`` times with a think time in between."""
    rng = random.Random(s.index)
    try:
        cookie = await asyncio.to_thread(_http_cookies, url, max(1.0, deadline - time.monotonic()))
        headers = {"Cookie": cookie} if cookie else {}
        ws_url = url.replace("http", "ws", 1) + "/_stcore/stream"
        async with connect(
            ws_url,
            subprotocols=["streamlit"],
            origin=url,
            additional_headers=headers,
            max_size=None,
            open_timeout=max(1.0, deadline - time.monotonic()),
        ) as ws:
            s.deflate = "permessage-deflate" in (ws.response.headers.get("Sec-WebSocket-Extensions") or "")
            t0 = time.perf_counter()
            await _rerun(ws, s, [], url + "/", deadline)
            s.first = time.perf_counter() - t0
            slider = _find_slider(s, keys)
            if slider.options:  # a select_slider: its value is the shown text of an option
                grid, value = list(slider.options), None
            else:
                lo, step = slider.min, slider.step or 0.01
                grid = [round(lo + i * step, 10) for i in range(int(round((slider.max - lo) / step)) + 1)]
                value = (list(slider.value) or list(slider.default) or [lo])[0]
            for _ in range(moves):
                await asyncio.sleep(think * rng.uniform(0.5, 1.5))
                value = rng.choice([v for v in grid if v != value])
                state = WidgetState(id=slider.id)
                if slider.options:
                    state.string_array_value.data.append(value)
                else:
                    state.double_array_value.data.append(value)
                t0 = time.perf_counter()
                raw, wire = await _rerun(ws, s, [state], url + "/", deadline)
                s.move_bytes, s.wire_bytes = s.move_bytes + raw, s.wire_bytes + wire
                s.latencies.append(time.perf_counter() - t0)
            gate.arrive(s)
            await gate.release.wait()
    except TimeoutError:
        s.error = f"timeout after {len(s.latencies)} of {moves} moves"
    except Exception as exc:  # a broken session is a result to count, not a crash of the benchmark
        s.error = f"{type(exc).__name__}: {exc}"
    finally:
        gate.arrive(s)


# --- the server's process tree, from /proc --------------------------------------------------------


def _tree(roots: list[int]) -> list[int]:
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
                parents[int(entry)] = int(stat.rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                pass
    found, todo = set(), list(roots)
    while todo:
        pid = todo.pop()
        if pid not in found and pid in parents:
            found.add(pid)
            todo.extend(child for child, parent in parents.items() if parent == pid)
    return sorted(found)


def cpu_seconds(roots: list[int]) -> float:
    """utime + stime of the server processes and their children."""
    ticks = 0
    for pid in _tree(roots):
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            ticks += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of stat)
        except (OSError, IndexError):
            pass
    return ticks / os.sysconf("SC_CLK_TCK")


def rss_mb(roots: list[int]) -> float:
    total = 0
    for pid in _tree(roots):
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total / 1024


# --- one server per measurement ------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_healthy(url: str, proc: subprocess.Popen | None, timeout: float, log: Path | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"server exited ({proc.returncode}): {log.read_text()[-2000:] if log else ''}")
        try:
            with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as response:
                if response.read().strip() == b"ok":
                    return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{url} not healthy after {timeout:.0f} s")


def start_server(app: str, log: Path, env: dict[str, str] | None = None) -> tuple[subprocess.Popen, str]:
    """``streamlit run app`` on a free port of 127.0.0.1, in its own process group; ``env`` added to ours."""
    port = _free_port()
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        app,
        "--server.headless",
        "true",
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--browser.gatherUsageStats",
        "false",
        "--server.fileWatcherType",
        "none",
    ]
    with open(log, "w") as out:
        proc = subprocess.Popen(
            command,
            cwd=REPO_ROOT,
            stdin=subprocess.DEVNULL,
            env={**os.environ, **(env or {})},
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, proc, 60, log)
    except BaseException:
        stop(proc)
        raise
    return proc, url


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        try:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=10)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


# --- one measurement -----------------------------------------------------------------------------------


async def _sessions(url, n, keys, moves, think, timeout, pids, first_index, query=""):
    deadline = time.monotonic() + timeout
    sessions = [Session(first_index + i, query=query) for i in range(n)]
    gate = Gate(n)
    cpu0 = cpu_seconds(pids) if pids else None
    rss0 = rss_mb(pids) if pids else None
    t0 = time.monotonic()
    tasks = [asyncio.create_task(run_session(s, url, keys, moves, think, deadline, gate)) for s in sessions]
    await gate.all_in.wait()
    wall = time.monotonic() - t0
    cpu = cpu_seconds(pids) - cpu0 if pids else None
    rss = rss_mb(pids) if pids else None
    gate.release.set()
    await asyncio.gather(*tasks)
    return sessions, wall, cpu, rss0, rss


def measure(label, url, n, keys, args, pids) -> dict:
    """Warm the server up (imports, caches), then run N concurrent sessions; one row of the table."""
    asyncio.run(_sessions(url, args.warmup, keys, 2, 0.05, args.timeout, [], 10_000, args.query))
    sessions, wall, cpu, rss0, rss = asyncio.run(
        _sessions(url, n, keys, args.moves, args.think, args.timeout, pids, 0, args.query)
    )
    lat = sorted(x * 1000 for s in sessions for x in s.latencies)
    moves = len(lat)
    runs = moves + sum(s.first is not None for s in sessions)
    errors = [s.error for s in sessions if s.error]
    for e in sorted(set(errors)):
        print(f"  {label} N={n}: {errors.count(e)} × {e}", file=sys.stderr)

    def pct(q):
        return lat[min(len(lat) - 1, round(q * (len(lat) - 1)))] if lat else float("nan")

    return {
        "app": label,
        "N": n,
        "moves": moves,
        "errors": len(errors),
        "first": statistics.median([s.first * 1000 for s in sessions if s.first is not None] or [float("nan")]),
        "p50": pct(0.5),
        "p95": pct(0.95),
        "max": lat[-1] if lat else float("nan"),
        "kb": sum(s.move_bytes for s in sessions) / max(moves, 1) / 1024,
        "wire": sum(s.wire_bytes for s in sessions) / max(moves, 1) / 1024,
        "cpu": cpu * 1000 / max(runs, 1) if cpu is not None else None,
        "rss": rss,
        "rss_per": (rss - rss0) / n if rss is not None else None,
        "wall": wall,
    }


def run_app(app: str | None, url: str | None, pids: list[int], args, logdir: Path, frozen: bool = False) -> list[dict]:
    """The rows of ``app`` (or the server at ``url``), one per N; ``frozen``: the floor app with its
    startup objects frozen out of the garbage collector's walk, as the Explorer's are."""
    label = (Path(app).name + (FROZEN_SUFFIX if frozen else "")) if app else url
    if app and Path(app).resolve() == (REPO_ROOT / FLOOR_APP).resolve():  # --layer is the Explorer's, not the floor's
        args = argparse.Namespace(**{**vars(args), "query": "", "slider_keys": SLIDER_KEYS})
    rows = []
    for n in args.sessions:
        if url:
            rows.append(measure(label, url, n, args.slider_keys, args, pids))
            continue
        env = {"FLOOR_FROZEN": "1"} if frozen else None
        proc, local = start_server(app, logdir / f"{Path(app).stem}{'-frozen' if frozen else ''}-{n}.log", env)
        try:
            rows.append(measure(label, local, n, args.slider_keys, args, [proc.pid]))
        finally:
            stop(proc)
    return rows


COLUMNS = [("app", "app", ""), ("N", "N", "d"), ("moves", "moves", "d"), ("errors", "errors", "d"),
           ("first ms", "first", ".0f"), ("p50 ms", "p50", ".1f"), ("p95 ms", "p95", ".1f"), ("max ms", "max", ".1f"),
           ("p95/floor", "ratio", ".2f"), ("KB/move", "kb", ".1f"), ("wire KB/move", "wire", ".1f"),
           ("CPU ms/move", "cpu", ".1f"),
           ("RSS MB", "rss", ".0f"), ("RSS/session MB", "rss_per", ".2f"), ("wall s", "wall", ".1f")]  # fmt: skip


def print_table(rows: list[dict]) -> None:
    """One row per (N, app), the floor app (then the frozen floor) right under the app, with each
    row's p95 over the floor's."""
    name = Path(FLOOR_APP).name
    floor = {r["N"]: r["p95"] for r in rows if r["app"] == name}
    for r in rows:
        r["ratio"] = r["p95"] / floor[r["N"]] if r["N"] in floor else None
    rows = sorted(rows, key=lambda r: (r["N"], r["app"].startswith(name), r["app"] != name))
    table = [[h for h, _, _ in COLUMNS]]
    table += [["-" if r[k] is None else format(r[k], f) for _, k, f in COLUMNS] for r in rows]
    widths = [max(len(row[i]) for row in table) for i in range(len(COLUMNS))]
    for i, row in enumerate(table):
        print(
            " | ".join(c.ljust(w) if j == 0 else c.rjust(w) for j, (c, w) in enumerate(zip(row, widths, strict=True)))
        )
        if i == 0:
            print("-|-".join("-" * w for w in widths))


def layer_query(size: str) -> str:
    """The link of a random layer of ``size`` "NxK" (n inputs, K classes), as the app writes it."""
    from urllib.parse import urlencode

    sys.path.insert(0, str(REPO_ROOT))
    from ui.link import to_query
    from ui.state import state_from_preset

    n, K = (int(v) for v in size.lower().replace("×", "x").split("x"))
    return urlencode(to_query(state_from_preset("random", n, K, seed=1)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--app", default="app.py", help="script to serve (default app.py)")
    parser.add_argument("--url", help="drive this running server (or proxy) instead of starting one")
    parser.add_argument("--pids", default="", help="with --url: server pids for CPU and RSS, comma-separated")
    parser.add_argument("--no-floor", action="store_true", help=f"do not also run {FLOOR_APP}")
    parser.add_argument(
        "--no-frozen-floor", action="store_true", help="do not also run the floor with its startup objects frozen"
    )
    parser.add_argument("--sessions", default="1,10,30", help="values of N, comma-separated")
    parser.add_argument("--moves", type=int, default=20, help="slider moves per session")
    parser.add_argument("--think", type=float, default=0.5, help="mean think time between moves, s")
    parser.add_argument("--timeout", type=float, default=120, help="bound on one measurement, s")
    parser.add_argument(
        "--warmup", type=int, default=1, help="warm-up sessions first (behind a proxy: a few per process)"
    )
    parser.add_argument("--quick", action="store_true", help="smoke run: N = 1, 2 and 3 moves")
    parser.add_argument("--layer", help="open the Explorer at this layer size, e.g. 64x32 (random weights), and move T")
    args = parser.parse_args()
    args.query, args.slider_keys = "", SLIDER_KEYS
    if args.layer:
        args.query, args.slider_keys = layer_query(args.layer), ("ctl_T",)
    if args.quick:
        args.sessions, args.moves, args.think = "1,2", 3, 0.2
    args.sessions = [int(n) for n in args.sessions.split(",")]
    url = args.url.rstrip("/") if args.url else None
    pids = [int(p) for p in args.pids.split(",") if p]
    apps = [(args.app, False)]
    if not url and not args.no_floor and Path(args.app).resolve() != (REPO_ROOT / FLOOR_APP).resolve():
        apps += [(FLOOR_APP, False)] + ([] if args.no_frozen_floor else [(FLOOR_APP, True)])
    print(
        f"moves/session {args.moves}, think {args.think} s (±50 %), timeout {args.timeout:.0f} s, "
        f"{os.cpu_count()} cores",
        flush=True,
    )
    rows = []
    with tempfile.TemporaryDirectory(prefix="load-") as logdir:
        if url:
            rows += run_app(None, url, pids, args, Path(logdir))
        else:
            for app, frozen in apps:
                rows += run_app(app, None, [], args, Path(logdir), frozen)
    print_table(rows)


if __name__ == "__main__":
    main()
