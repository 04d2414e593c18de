"""What does drawing the Explorer's charts cost the browser on each move? Prints a table; asserts nothing.

``bench_app``'s "slider → chart" is end to end and shares two cores between the server and
Chromium, so it moves by ±30 % between runs. This isolates the browser's part that our figures
decide: each chart exactly as the app sends it (the ``st.plotly_chart`` spec after a move, taken
with AppTest), plotted anew in headless Chromium (``Plotly.newPlot``), alternately in two
successive states, as a slider move remounts it. Median milliseconds per chart, and their sum over
the charts the move changed, against the floor app's two charts. Plotly.js is the copy shipped
with the ``plotly`` package (the one Streamlit bundles is a minor version apart); Streamlit's own
React work is not in these numbers.

Usage (from the repo root, after ``bash .ci/test`` has built .venv):
    .venv/bin/python bench/bench_figures.py [--repeats 31]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
from pathlib import Path

import plotly

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_app import CHROMIUM, FLOOR, SIZES, launched, move, opened  # noqa: E402

# Plots each chart of states a and b alternately into a fresh element, as the page does on a move:
# st.plotly_chart hashes the figure into the element's id, so a changed chart is mounted anew
# (Plotly.newPlot), not updated. Median ms per plot.
_REDRAW = """async ([a, b, repeats]) => {
  const out = {};
  for (const key of Object.keys(a)) {
    const times = [];
    for (let r = 0; r < repeats + 1; r++) {
      const s = (r % 2 ? a : b)[key];
      const div = document.createElement('div');
      div.style.width = '900px';  // about the Explorer's main column at 1400 px
      document.body.appendChild(div);
      const t0 = performance.now();
      await Plotly.newPlot(div, s.data, s.layout);
      if (r > 0) times.push(performance.now() - t0);  // the first warms Plotly up
      Plotly.purge(div);
      div.remove();
    }
    times.sort((x, y) => x - y);
    out[key] = times[Math.floor(times.length / 2)];
  }
  return out;
}"""


def chart_specs(size) -> tuple[dict, dict]:
    """Two successive states' {chart key: figure dict}, as the browser gets them after a move."""
    at = opened(size)
    states = []
    for r in range(2):
        move(at, size, r)
        at.run()
        assert not at.exception, at.exception
        states.append({c.proto.id.rsplit("-", 1)[-1]: json.loads(c.proto.spec) for c in at.get("plotly_chart")})
    return states[0], states[1]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--repeats", type=int, default=31)
    args = ap.parse_args()
    if not os.access(CHROMIUM, os.X_OK):
        raise SystemExit(f"no Chromium at {CHROMIUM} (set CHROMIUM_PATH)")
    from playwright.sync_api import sync_playwright

    plotly_js = (Path(plotly.__file__).parent / "package_data" / "plotly.min.js").read_text()
    sizes = {**SIZES, "floor app": FLOOR}
    specs = {name: chart_specs(size) for name, size in sizes.items()}
    with sync_playwright() as pw:
        browser = launched(pw)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.set_content("<html><body></body></html>")
        page.add_script_tag(content=plotly_js)
        ms = {}
        for name, (a, b) in specs.items():
            runs = [page.evaluate(_REDRAW, [a, b, args.repeats]) for _ in range(3)]
            ms[name] = {key: statistics.median(run[key] for run in runs) for key in runs[0]}
        browser.close()
    # A chart whose figure the move left as it was keeps its element id, and the page does not plot it
    # again (at 64 × 32 a temperature move leaves dz/dW): it is listed but not counted in the move.
    moved = {name: {key for key in a if a[key] != b[key]} for name, (a, b) in specs.items()}
    floor = sum(ms["floor app"].values())
    print(f"{'size':14} {'chart':22} {'plot ms':>10}")
    for name, charts in ms.items():
        for key, value in charts.items():
            print(f"{name:14} {key:22} {value:10.1f}" + ("" if key in moved[name] else "   (unchanged by the move)"))
        total = sum(value for key, value in charts.items() if key in moved[name])
        print(f"{name:14} {'all, per move':22} {total:10.1f}   × floor {total / floor:.1f}")


if __name__ == "__main__":
    main()
