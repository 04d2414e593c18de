"""bench/bench_figures.py still runs: one redraw of each chart, as the app sends it, in Chromium."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]


def test_bench_figures_redraws_every_chart_of_each_size():
    result = subprocess.run(
        [sys.executable, str(REPO_ROOT / "bench" / "bench_figures.py"), "--repeats", "1"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert result.returncode == 0, result.stderr
    rows = [line.split() for line in result.stdout.splitlines()[1:]]
    charts = {(" ".join(r[:2]), r[2]) for r in rows}
    for chart in ("chart_output", "chart_jacobian", "chart_dzdw", "chart_dpdw"):
        assert ("default 3×5", chart) in charts and ("largest 64×32", chart) in charts, chart
    assert ("largest 64×32", "chart_dpdw_block") in charts  # the magnified class block exists only when large
    assert sum(line.count("all, per move") for line in result.stdout.splitlines()) == 3
    redraw_ms = [float(r[5] if r[2] == "all," else r[3]) for r in rows]  # "all, per move" has 2 more words
    assert all(ms > 0 for ms in redraw_ms)
