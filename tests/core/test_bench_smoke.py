"""bench/bench_core.py still runs: a --quick smoke run prints the table and the target lines."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]


def test_bench_core_quick_prints_its_table():
    result = subprocess.run(
        [sys.executable, str(REPO_ROOT / "bench" / "bench_core.py"), "--quick"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    out = result.stdout
    for column in ("loops", "product", "shortcut", "floor", "loops/shortcut", "shortcut/floor"):
        assert column in out
    for size in ("3 × 5", "32 × 32"):
        assert any(line.startswith(size) for line in out.splitlines()), size
    assert "shortcut ≥ 300× faster than loops at 32 × 32" in out
    assert any(mark in out for mark in ("[PASS]", "[FAIL]"))
