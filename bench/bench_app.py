"""How fast does the Explorer answer a slider, against the framework's floor? Prints a table; asserts nothing.

Measured in one run, against ``bench/floor_app.py`` (one slider, two tiny Plotly charts: what
Streamlit itself costs):
1. Server CPU per rerun (AppTest, process CPU time, no browser) after a control moves: the
   Explorer at the default size (the blog's 3 × 5, x₀ slider) and the largest (n = 64, K = 32,
   temperature slider), and the floor app.
2. Slider → redrawn chart (headless Chromium on a ``streamlit run`` server per app): median time
   from a key press on the slider until a chart in the page holds new data (the Explorer's
   Jacobian, the floor app's first chart).

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

from ui.link import to_query  # noqa: E402
from ui.state import state_from_preset  # noqa: E402

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
SIZES = {"default 3×5": None, "largest 64×32": (64, 32)}


def _query(size) -> dict[str, str]:
    return {} if size is None else to_query(state_from_preset("random", *size, seed=1))


FLOOR = "floor"  # the "size" that stands for bench/floor_app.py


def _script(size) -> Path:
    return ROOT / ("bench/floor_app.py" if size == FLOOR else "app.py")


def rerun_times(size, repeats: int) -> list[float]:
    """Process CPU seconds per AppTest rerun while alternately moving one control."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(_script(size)), default_timeout=120)
    for k, v in ({} if size == FLOOR else _query(size)).items():
        at.query_params[k] = v
    at.run()
    times = []
    for r in range(repeats + 2):  # the first two moves warm caches up and are not counted
        if size == FLOOR:
            at.slider(key="x").set_value(0.1 * (r % 2 + 1))
        elif size is None:
            at.slider(key="ctl_x_0").set_value(0.1 + 0.01 * (r % 2 + 1))
        else:
            at.select_slider(key="ctl_T").set_value(1.0 if r % 2 else 1.25)
        start = time.process_time()
        at.run()
        if r >= 2:
            times.append(time.process_time() - start)
        assert not at.exception, at.exception
    return times


_CHANGED = """([index, before]) => {
    const el = document.querySelectorAll('.js-plotly-plot')[index];
    if (!el || !el.data || !el.data[0]) return false;
    return JSON.stringify(el.data[0].z) !== before;
}"""
_CURRENT = "(index) => JSON.stringify(document.querySelectorAll('.js-plotly-plot')[index].data[0].z)"


def browser_times(url: str, size, repeats: int) -> list[float]:
    """Seconds from a slider key press until a chart shows new data (the Explorer's Jacobian, the floor's first)."""
    from playwright.sync_api import sync_playwright

    query = "" if size == FLOOR else "&".join(f"{k}={v}" for k, v in _query(size).items())
    chart = 0 if size == FLOOR else 1
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(f"{url}/?{query}")
        page.locator(".js-plotly-plot").nth(1 if size == FLOOR else 3).wait_for(state="visible", timeout=60_000)
        page.wait_for_timeout(1500)
        label = {FLOOR: "x", None: "x₀"}.get(size, "Temperature T")
        slider = page.locator('[data-testid="stSlider"]').filter(has_text=label)
        thumb = slider.locator('[role="slider"], input[type="range"]').first
        thumb.focus()
        times = []
        for r in range(repeats):
            before = page.evaluate(_CURRENT, chart)
            start = time.perf_counter()
            page.keyboard.press("ArrowRight" if r % 2 == 0 else "ArrowLeft")
            page.wait_for_function(_CHANGED, arg=[chart, before], polling="raf", timeout=30_000)
            times.append(time.perf_counter() - start)
            page.wait_for_timeout(400)  # let the run finish before the next press
        browser.close()
    return times


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
    cpu = {name: statistics.median(rerun_times(size, args.repeats)) for name, size in sizes.items()}
    rows = [
        ("CPU per rerun (AppTest)", name, cpu[name], cpu[name] / cpu["floor app"], target)
        for name, target in (("default 3×5", 3.0), ("largest 64×32", 12.0), ("floor app", None))
    ]
    if not args.no_browser and os.access(CHROMIUM, os.X_OK):
        redraw = {}
        for name, size in sizes.items():
            proc, url = serve(_script(size))
            try:
                redraw[name] = statistics.median(browser_times(url, size, args.repeats))
            finally:
                proc.terminate()
        rows += [
            ("slider → chart redrawn (Chromium)", name, redraw[name], redraw[name] / redraw["floor app"], target)
            for name, target in (("default 3×5", 1.3), ("largest 64×32", 1.3), ("floor app", None))
        ]
    print(f"{'measurement':34} {'size':14} {'median ms':>10} {'× floor':>8} {'target':>7}  result")
    for what, name, med, ratio, target in rows:
        verdict = "" if target is None else ("PASS" if ratio <= target else "FAIL")
        goal = "" if target is None else f"≤ {target:g}×"
        print(f"{what:34} {name:14} {med * 1e3:10.1f} {ratio:8.2f} {goal:>7}  {verdict}")


if __name__ == "__main__":
    main()
