"""How fast does the Explorer answer a slider? Prints a table; asserts nothing.

Two measurements:
1. Script rerun (AppTest, no browser): median wall time of one rerun after a control changes,
   at the default size (the blog's 3 × 5) and the largest (n = 64, K = 32).
2. Slider → redrawn chart (headless Chromium on a ``streamlit run`` server): median time from a
   key press on a slider until the Jacobian chart in the page holds new data. At the default
   size the key goes to the x₀ slider; at 64 × 32 there are no per-entry sliders, so it goes to
   the temperature slider.

Usage (from the repo root, after ``bash .ci/test`` has built .venv):
    .venv/bin/python bench/bench_app.py [--repeats 15] [--no-browser]
Targets (issue "Explorer"): default size, slider → chart < 300 ms and rerun < 100 ms (medians);
largest size < 1 s.
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


def rerun_times(size, repeats: int) -> list[float]:
    """Seconds per AppTest rerun while alternately moving one control."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    for k, v in _query(size).items():
        at.query_params[k] = v
    at.run()
    times = []
    for r in range(repeats):
        if size is None:
            at.slider(key="ctl_x_0").set_value(0.1 + 0.01 * (r % 2 + 1))
        else:
            at.select_slider(key="ctl_T").set_value(1.0 if r % 2 else 1.25)
        start = time.perf_counter()
        at.run()
        times.append(time.perf_counter() - start)
        assert not at.exception, at.exception
    return times


_CHANGED = """([index, before]) => {
    const el = document.querySelectorAll('.js-plotly-plot')[index];
    if (!el || !el.data || !el.data[0]) return false;
    return JSON.stringify(el.data[0].z) !== before;
}"""
_CURRENT = "(index) => JSON.stringify(document.querySelectorAll('.js-plotly-plot')[index].data[0].z)"


def browser_times(url: str, size, repeats: int) -> list[float]:
    """Seconds from a slider key press until the Jacobian chart (2nd chart) shows new data."""
    from playwright.sync_api import sync_playwright

    query = "&".join(f"{k}={v}" for k, v in _query(size).items())
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(f"{url}/?{query}")
        page.locator(".js-plotly-plot").nth(3).wait_for(state="visible", timeout=60_000)
        page.wait_for_timeout(1500)
        label = "x₀" if size is None else "Temperature T"
        slider = page.locator('[data-testid="stSlider"]').filter(has_text=label)
        thumb = slider.locator('[role="slider"], input[type="range"]').first
        thumb.focus()
        times = []
        for r in range(repeats):
            before = page.evaluate(_CURRENT, 1)
            start = time.perf_counter()
            page.keyboard.press("ArrowRight" if r % 2 == 0 else "ArrowLeft")
            page.wait_for_function(_CHANGED, arg=[1, before], polling="raf", timeout=30_000)
            times.append(time.perf_counter() - start)
            page.wait_for_timeout(400)  # let the run finish before the next press
        browser.close()
    return times


def serve() -> tuple[subprocess.Popen, str]:
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
            str(ROOT / "app.py"),
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

    rows = []
    for name, size in SIZES.items():
        t = rerun_times(size, args.repeats)
        target = 0.1 if size is None else 1.0
        rows.append(("rerun (AppTest)", name, statistics.median(t), max(t), target))
    if not args.no_browser and os.access(CHROMIUM, os.X_OK):
        proc, url = serve()
        try:
            for name, size in SIZES.items():
                t = browser_times(url, size, args.repeats)
                target = 0.3 if size is None else 1.0
                rows.append(("slider → Jacobian redrawn (Chromium)", name, statistics.median(t), max(t), target))
        finally:
            proc.terminate()
    print(f"{'measurement':38} {'size':15} {'median ms':>10} {'max ms':>9} {'target ms':>10}  result")
    for what, name, med, worst, target in rows:
        verdict = "PASS" if med < target else "FAIL"
        print(f"{what:38} {name:15} {med * 1e3:10.1f} {worst * 1e3:9.1f} {target * 1e3:10.0f}  {verdict}")


if __name__ == "__main__":
    main()
