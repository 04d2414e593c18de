"""Two app processes behind nginx (bench/cluster/run_cluster.py): simulated students all get through,
both processes serve some of them, and each student's page load and websocket reach one process.

Needs Debian's nginx (`apt-get install nginx`, done by .ci/test): skipped without it, failed under CI.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(REPO_ROOT / "bench" / "cluster"))
from run_cluster import find_nginx  # noqa: E402

SESSIONS = 12  # plus load.py's warm-up session: all 13 on one of two processes by chance is ~1e-4
LOG_LINE = re.compile(
    r'"(?P<method>\S+) (?P<path>\S+) [^"]*" (?P<status>\d+) \d+ upstream=(?P<up>\S+) route=(?P<route>\S+)'
)


@pytest.fixture
def cluster(tmp_path):
    """run_cluster.py with two processes of app.py on a free port; yields (url, workdir)."""
    if find_nginx() is None:
        message = "nginx not found: apt-get install nginx (Debian)"
        if os.environ.get("CI"):
            pytest.fail(message + " — CI must run the proxy test")
        pytest.skip(message)
    command = [sys.executable, str(REPO_ROOT / "bench" / "cluster" / "run_cluster.py"), "--app", "app.py"]
    command += ["--processes", "2", "--port", "0", "--workdir", str(tmp_path)]
    proc = subprocess.Popen(command, cwd=REPO_ROOT, stdout=subprocess.PIPE, text=True, start_new_session=True)
    try:
        info, deadline = {}, time.monotonic() + 90
        for line in proc.stdout:
            key, _, value = line.strip().partition(" ")
            info[key] = value
            if key == "ready" or time.monotonic() > deadline:
                break
        assert "ready" in info, f"cluster did not start: {info}; logs in {tmp_path}"
        yield info["url"], tmp_path
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


@pytest.mark.xdist_group("load")
def test_sessions_spread_over_both_processes_and_stay_on_one(cluster):
    url, workdir = cluster
    command = [sys.executable, str(REPO_ROOT / "bench" / "load.py"), "--url", url, "--sessions", str(SESSIONS)]
    command += ["--moves", "3", "--think", "0.2", "--timeout", "90"]
    result = subprocess.run(command, cwd=REPO_ROOT, capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stderr
    row = next(line for line in result.stdout.splitlines() if line.startswith(url))
    cells = [c.strip() for c in row.split("|")]
    assert cells[1:4] == [str(SESSIONS), str(3 * SESSIONS), "0"], result.stdout + result.stderr  # N, moves, errors

    deadline = time.monotonic() + 10  # nginx logs a websocket when it has closed
    while True:
        upstreams, streams = defaultdict(set), []
        for line in (workdir / "access.log").read_text().splitlines():
            if m := LOG_LINE.search(line):
                upstreams[m["route"]].add(m["up"])
                if m["path"] == "/_stcore/stream":
                    streams.append(m)
        if len(streams) >= SESSIONS + 1 or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert len(streams) == SESSIONS + 1, streams  # the warm-up session too
    assert all(m["status"] == "101" for m in streams)
    for m in streams:  # page load and websocket of one student went to one process
        assert len(upstreams[m["route"]]) == 1, (m["route"], upstreams[m["route"]])
    assert len({m["up"] for m in streams}) == 2, "all sessions went to one process"
