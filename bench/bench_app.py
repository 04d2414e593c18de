"""How fast does the Explorer answer a slider, against the framework's floor? Prints a table; asserts nothing.

Measured in one run, against ``bench/floor_app.py`` (one slider, two tiny Plotly charts: what
Streamlit itself costs):
1. Server CPU per rerun (AppTest, process CPU time, no browser) after a control moves: the
   Explorer at the default size (the blog's 3 × 5, x₀ slider) and the largest (n = 64, K = 32,
   temperature slider), and the floor app.
2. Slider → redrawn chart (headless Chromium on a ``streamlit run`` server per app): median time
   from a key press on the slider until a chart in the page shows new data (the Explorer's
   Jacobian, the floor app's first chart), and until every chart the move changes does (what a
   student waits for: the Explorer's four, the floor app's two). A chart counts once it is shown:
   Streamlit mounts a changed chart without a width of its own hidden, and shows it only after the
   other charts' first drawings (the Explorer's charts carry their measured widths: ``ui.viewport``).

Usage (from the repo root, after ``bash .ci/test`` has built .venv):
    .venv/bin/python bench/bench_app.py [--repeats 15] [--no-browser]
Targets (issue "Scale"): CPU per rerun ≤ 3× the floor at the default size and ≤ 12× at 64 × 32;
slider → chart ≤ 1.3× the floor's.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ui.controls import TEMPERATURES  # noqa: E402
from ui.link import to_query  # noqa: E402
from ui.state import state_from_preset  # noqa: E402

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
SIZES = {"default 3×5": None, "largest 64×32": (64, 32)}


def _query(size) -> dict[str, str]:
    """The link of a size: the default layer, or a random one started at the lowest temperature, so
    that each move of the temperature slider can go up to a value not seen before."""
    return {} if size is None else to_query(state_from_preset("random", *size, seed=1)) | {"T": str(TEMPERATURES[0])}


FLOOR = "floor"  # the "size" that stands for bench/floor_app.py


def _script(size) -> Path:
    return ROOT / ("bench/floor_app.py" if size == FLOOR else "app.py")


def _server_script_cache() -> None:
    """Give AppTest one script cache for the process, as a server has (``Runtime._script_cache``).

    AppTest makes a new ``ScriptCache`` on every run, so each rerun compiled app.py and the page's
    file again: 3 ms of a 3 × 5 rerun and 6 ms at 64 × 32 that a server spends once per file, and
    next to nothing for the floor's 12 lines. A server's rerun is what the targets are about.
    """
    from streamlit.runtime.scriptrunner.script_cache import ScriptCache
    from streamlit.testing.v1 import app_test

    shared = ScriptCache()
    app_test.ScriptCache = lambda: shared


def opened(size):
    """An AppTest of the size's app (the floor app, or the Explorer at its link), run once."""
    from streamlit.testing.v1 import AppTest

    _server_script_cache()
    at = AppTest.from_file(str(_script(size)), default_timeout=120)
    for k, v in ({} if size == FLOOR else _query(size)).items():
        at.query_params[k] = v
    at.run()
    return at


def move(at, size, r: int) -> None:
    """Set the size's control for move ``r``: each move a value not seen before (x₀ up by 0.01, the
    temperature up from its lowest); the floor app, which remembers nothing, between two values."""
    if size == FLOOR:
        at.slider(key="x").set_value(0.1 * (r % 2 + 1))
    elif size is None:
        at.slider(key="ctl_x_0").set_value(round(0.1 + 0.01 * (r + 1), 2))
    else:
        at.select_slider(key="ctl_T").set_value(TEMPERATURES[(r + 1) % len(TEMPERATURES)])


def _rerun_worker(size, conn) -> None:
    """In its own process: open the size's app, then for each move number received, move its
    control to a value not seen before, rerun, and send back the rerun's process CPU seconds."""
    at = opened(size)
    while (r := conn.recv()) is not None:
        move(at, size, r)
        start = time.process_time()
        at.run()
        spent = time.process_time() - start
        conn.send(repr(at.exception) if at.exception else spent)


def rerun_times(sizes: dict, repeats: int) -> dict[str, list[float]]:
    """Process CPU seconds per AppTest rerun of each size, each moving one control to a value not seen before.

    A new value each time: the app remembers the figures of recent states (ui.section), so going
    back and forth between two values would measure its memory, not a move to a new state.
    Each app runs in a process of its own, as it would have a server of its own: in one process
    each also paid for the objects the others left (the garbage collector walks them all). The
    apps take turns, one move each, so the machine's drifts fall on all of them alike: measured
    one after the other, the floor's median moved between 3 and 6 ms from run to run.
    """
    import multiprocessing

    spawn = multiprocessing.get_context("spawn")
    workers = {}
    for name, size in sizes.items():
        here, there = spawn.Pipe()
        proc = spawn.Process(target=_rerun_worker, args=(size, there), daemon=True)
        proc.start()
        workers[name] = (proc, here)
    times: dict[str, list[float]] = {name: [] for name in sizes}
    try:
        for r in range(repeats + 2):  # the first two moves warm caches up and are not counted
            for name, (_, conn) in workers.items():
                conn.send(r)
                spent = conn.recv()
                if isinstance(spent, str):
                    raise SystemExit(f"{name}: the app raised {spent}")
                if r >= 2:
                    times[name].append(spent)
    finally:
        for proc, conn in workers.values():
            conn.send(None)
            proc.join(10)
    return times


def launched(pw):
    """Headless Debian Chromium, as every browser measurement here uses it."""
    return pw.chromium.launch(
        executable_path=CHROMIUM,
        headless=True,
        args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
    )


# The data (z of a heatmap, y of bars) of the page's charts with the keys ``charts``, as text, once
# the chart is shown. Found by key: while a changed chart is mounted anew the page briefly holds the
# old element and the new one (both with the key; the new one last), and counting charts in
# document order then picked the wrong one.
_DATA = """const shown = (k) => [...document.querySelectorAll('.st-key-' + k + ' .js-plotly-plot')]
      .filter(gd => gd.data && getComputedStyle(gd).visibility !== 'hidden');
    const now = charts.map(k => shown(k).map(gd => JSON.stringify(gd.data.map(t => t.z || t.y))).pop() || '');"""
_CURRENT = f"""(charts) => {{ {_DATA} return now; }}"""
# Polled every frame after a key press: notes when the first of ``charts`` changed; true once all have.
_CHANGED = f"""([charts, before]) => {{ {_DATA}
    if (window.__watched === null && now[0] && now[0] !== before[0]) window.__watched = performance.now();
    return now.every((s, i) => s && s !== before[i]);
}}"""
# The charts a move changes, the watched one first: the floor's two; the Explorer's four at 3 × 5
# (Jacobian first); at 64 × 32 a temperature move leaves dz/dW as it was.
_CHARTS = {FLOOR: ["chart_a", "chart_b"], None: ["chart_jacobian", "chart_output", "chart_dzdw", "chart_dpdw"]}
_CHARTS_BIG = ["chart_jacobian", "chart_output", "chart_dpdw", "chart_dpdw_block"]


def browser_times(url: str, size, repeats: int) -> tuple[list[float], list[float]]:
    """Seconds from a slider key press until one chart shows new data (the Explorer's Jacobian, the
    floor's first), and until every chart a move changes does (the Explorer's four, the floor's two)."""
    from playwright.sync_api import sync_playwright

    query = "" if size == FLOOR else "&".join(f"{k}={v}" for k, v in _query(size).items())
    charts = _CHARTS.get(size, _CHARTS_BIG)
    with sync_playwright() as pw:
        browser = launched(pw)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(f"{url}/?{query}")
        page.locator(f".st-key-{charts[-1]} .js-plotly-plot").last.wait_for(state="visible", timeout=60_000)
        if size != FLOOR:  # the page runs again once it has measured its charts (ui.viewport)
            page.wait_for_function("() => window.__softmaxMeasured === true", timeout=60_000)
        page.wait_for_timeout(1500)
        label = {FLOOR: "x", None: "x₀"}.get(size, "Temperature T")
        slider = page.locator('[data-testid="stSlider"]').filter(has_text=label)
        thumb = slider.locator('[role="slider"], input[type="range"]').first
        thumb.focus()
        first, every = [], []
        for r in range(repeats):
            before = page.evaluate(_CURRENT, charts)
            page.evaluate("window.__watched = null; window.__pressed = performance.now()")
            # Always right: a new value each move (x₀ by 0.01, T from its lowest up), as in rerun_times.
            page.keyboard.press("ArrowRight" if size != FLOOR or r % 2 == 0 else "ArrowLeft")
            page.wait_for_function(_CHANGED, arg=[charts, before], polling="raf", timeout=30_000)
            one, done = page.evaluate("[window.__watched - window.__pressed, performance.now() - window.__pressed]")
            first.append(one / 1e3)
            every.append(done / 1e3)
            page.wait_for_timeout(600)  # let the run finish before the next press
        browser.close()
    return first, every


def serve(script: Path) -> tuple[subprocess.Popen, str]:
    import socket
    import urllib.request

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(script),
            "--server.headless",
            "true",
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--browser.gatherUsageStats",
            "false",
        ],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(240):
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1):
                return proc, url
        except OSError:
            time.sleep(0.25)
    proc.kill()
    raise SystemExit("streamlit did not start")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--repeats", type=int, default=15)
    ap.add_argument("--no-browser", action="store_true", help="only the AppTest rerun times")
    args = ap.parse_args()

    sizes = {**SIZES, "floor app": FLOOR}
    cpu = {name: statistics.median(t) for name, t in rerun_times(sizes, args.repeats).items()}
    rows = [
        ("CPU per rerun (AppTest)", name, cpu[name], cpu[name] / cpu["floor app"], target)
        for name, target in (("default 3×5", 3.0), ("largest 64×32", 12.0), ("floor app", None))
    ]
    if not args.no_browser and os.access(CHROMIUM, os.X_OK):
        first, every = {}, {}
        for name, size in sizes.items():
            proc, url = serve(_script(size))
            try:
                one, done = browser_times(url, size, args.repeats)
                first[name], every[name] = statistics.median(one), statistics.median(done)
            finally:
                proc.terminate()
        for what, redraw, target in (
            ("slider → chart redrawn", first, 1.3),
            ("slider → all charts redrawn", every, None),
        ):
            rows += [
                (what + " (Chromium)", name, redraw[name], redraw[name] / redraw["floor app"], goal)
                for name, goal in (("default 3×5", target), ("largest 64×32", target), ("floor app", None))
            ]
    print(f"{'measurement':39} {'size':14} {'median ms':>10} {'× floor':>8} {'target':>7}  result")
    for what, name, med, ratio, target in rows:
        verdict = "" if target is None else ("PASS" if ratio <= target else "FAIL")
        goal = "" if target is None else f"≤ {target:g}×"
        print(f"{what:39} {name:14} {med * 1e3:10.1f} {ratio:8.2f} {goal:>7}  {verdict}")


if __name__ == "__main__":
    main()
