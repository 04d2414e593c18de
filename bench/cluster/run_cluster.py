"""Serve one Streamlit app from K processes behind nginx with sticky sessions, on this machine.

Why: one Streamlit process runs every session's script under one Python interpreter (one GIL), so
past a few dozen busy students it is the bottleneck however many cores the machine has. K processes
use K cores; nginx keeps each browser on one process (see nginx.conf.template for why it must).

    python bench/cluster/run_cluster.py --app app.py --processes 2 --port 8080

starts K ``streamlit run`` processes on free ports of 127.0.0.1, writes ``nginx.conf`` from the
template into a work directory (``--workdir``, default a new temporary one) and runs nginx there
unprivileged in the foreground (pid, logs and temp files in that directory). It prints ``url``,
``pids`` (the Streamlit processes and nginx, for ``bench/load.py --pids``), ``backends``,
``workdir`` and then ``ready``, and runs until Ctrl-C or SIGTERM, or until one of its processes
exits; then it stops them all.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = Path(__file__).with_name("nginx.conf.template")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as response:
            return response.read().strip() == b"ok"
    except OSError:
        return False


def find_nginx() -> str | None:
    """nginx on PATH, or Debian's /usr/sbin/nginx (not on a normal user's PATH)."""
    found = shutil.which("nginx")
    return found or ("/usr/sbin/nginx" if os.access("/usr/sbin/nginx", os.X_OK) else None)


def render_conf(listen: str, backends: list[str]) -> str:
    servers = "\n".join(f"        server {b} max_fails=0;" for b in backends)
    return TEMPLATE.read_text().replace("@@LISTEN@@", listen).replace("@@SERVERS@@", servers)


def stop(procs: list[subprocess.Popen]) -> None:
    """nginx first (no new requests), then the Streamlit processes."""
    for proc in reversed(procs):
        if proc.poll() is None:
            proc.terminate()
    for proc in procs:
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _exit(*_) -> None:
    raise SystemExit(0)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--app", default="app.py", help="Streamlit script, relative to the repository root")
    parser.add_argument("--processes", type=int, default=2, help="number of Streamlit processes (K)")
    parser.add_argument("--port", type=int, default=8080, help="nginx port on 127.0.0.1 (0: a free one)")
    parser.add_argument("--workdir", help="directory for nginx.conf, logs and pid (default: a new temporary one)")
    args = parser.parse_args()
    nginx = find_nginx()
    if nginx is None:
        print("nginx not found: apt-get install nginx (Debian)", file=sys.stderr)
        return 2
    work = Path(args.workdir or tempfile.mkdtemp(prefix="streamlit-cluster-")).resolve()
    (work / "tmp").mkdir(parents=True, exist_ok=True)
    work.chmod(0o755)  # nginx started as root runs its workers as nobody
    port = args.port or free_port()
    signal.signal(signal.SIGTERM, _exit)
    signal.signal(signal.SIGINT, _exit)
    procs: list[subprocess.Popen] = []
    try:
        backends = []
        for _ in range(args.processes):
            backend_port = free_port()
            command = [sys.executable, "-m", "streamlit", "run", args.app, "--server.headless", "true",
                       "--server.port", str(backend_port), "--server.address", "127.0.0.1",
                       "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"]  # fmt: skip
            with open(work / f"streamlit-{backend_port}.log", "w") as log:
                procs.append(subprocess.Popen(command, cwd=REPO_ROOT, stdin=subprocess.DEVNULL, stdout=log, stderr=log))
            backends.append(f"127.0.0.1:{backend_port}")
        (work / "nginx.conf").write_text(render_conf(f"127.0.0.1:{port}", backends))
        procs.append(subprocess.Popen([nginx, "-p", f"{work}/", "-c", "nginx.conf", "-e", "error.log"]))
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        for target in [f"http://{b}" for b in backends] + [url]:
            while not healthy(target):
                if time.monotonic() > deadline or any(p.poll() is not None for p in procs):
                    print(f"not healthy: {target}; see the logs in {work}", file=sys.stderr)
                    return 1
                time.sleep(0.2)
        print(f"url {url}\npids {','.join(str(p.pid) for p in procs)}", flush=True)
        print(f"backends {' '.join(backends)}\nworkdir {work}\nready", flush=True)
        while all(p.poll() is None for p in procs):
            time.sleep(0.5)
        print("a process exited; stopping the cluster", file=sys.stderr)
        return 1
    finally:
        stop(procs)


if __name__ == "__main__":
    sys.exit(main())
