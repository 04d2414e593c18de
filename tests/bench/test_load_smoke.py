"""bench/load.py still speaks Streamlit's websocket protocol: a --quick run on the floor app prints a
table in which every session finished its moves without an error."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.xdist_group("load")
# --layer is the Explorer's: the floor app keeps its own slider and link (it once looked for ctl_T)
@pytest.mark.parametrize("extra", [[], ["--layer", "8x4"]], ids=["plain", "layer"])
def test_load_quick_on_floor_app_has_no_errors(extra):
    result = subprocess.run(
        [sys.executable, str(REPO_ROOT / "bench" / "load.py"), "--quick", "--app", "bench/floor_app.py", *extra],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    header = next(line for line in lines if line.startswith("app "))
    columns = [c.strip() for c in header.split("|")]
    rows = [
        dict(zip(columns, (c.strip() for c in line.split("|")), strict=True))
        for line in lines
        if "floor_app.py" in line
    ]
    assert [row["N"] for row in rows] == ["1", "2"], result.stdout
    for row in rows:
        assert row["errors"] == "0", result.stdout + result.stderr
        assert int(row["moves"]) == 3 * int(row["N"]), result.stdout
