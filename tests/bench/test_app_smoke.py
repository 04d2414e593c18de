"""bench/bench_app.py still runs: one measured rerun of each app, each in its own process."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]


def test_bench_app_measures_each_size_against_the_floor():
    result = subprocess.run(
        [sys.executable, str(REPO_ROOT / "bench" / "bench_app.py"), "--repeats", "1", "--no-browser"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert result.returncode == 0, result.stderr
    rows = [line for line in result.stdout.splitlines() if line.startswith("CPU per rerun")]
    assert [r.split("(AppTest)")[1].split()[:2] for r in rows] == [
        ["default", "3×5"],
        ["largest", "64×32"],
        ["floor", "app"],
    ]
    ms = [float(r.split("(AppTest)")[1].split()[2]) for r in rows]
    assert all(m > 0 for m in ms) and ms[1] > ms[2]  # the largest layer costs more than one slider
