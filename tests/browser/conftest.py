"""Browser tests: the real app served by Streamlit, driven by Playwright in Debian's Chromium.

Fixtures
- ``app_url``: starts ``streamlit run app.py`` once per session (per xdist worker) on a free
  port of 127.0.0.1, waits for ``/_stcore/health``, yields the base URL, stops it at the end.
- ``browser``: one headless Chromium per session, ``/usr/bin/chromium`` (``apt-get install
  chromium``; ``playwright install`` is not used). Missing Chromium: skip, or fail under CI.
- ``serve(name)``: a context manager that starts a fresh server (for tests of a server's first request).
- ``page``: a fresh 1400×1000 page per test; on failure a screenshot is saved to
  ``artifacts/screenshots/FAILED-<test>.png``.

Environment: ``EXPLORER_APP`` (script to serve, default ``app.py`` in the repo root),
``CHROMIUM_PATH`` (default ``/usr/bin/chromium``).

Mark every browser test ``pytest.mark.browser`` and ``pytest.mark.xdist_group("browser")`` (see
``test_smoke.py``): under ``pytest -n auto --dist loadgroup`` (as ``.ci/test`` runs) the group
stays on one worker, so the suite starts one server and one browser, and runs in order.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO_ROOT / "artifacts"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
SERVER_START_TIMEOUT = 60.0  # seconds

# `from tests.browser.helpers import ...` works however pytest was started.
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "browser: drives the served app in headless Chromium (slow)")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Iterator[None]:
    """Keep each phase's report on the item, so ``page`` can tell that its test failed."""
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
            return response.status == 200 and response.read().strip() == b"ok"
    except (urllib.error.URLError, OSError):
        return False


def _tail(path: Path, lines: int = 40) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=10)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.wait(timeout=10)


@pytest.fixture(scope="session")
def app_url() -> Iterator[str]:
    """Serve the app with ``streamlit run`` on a free local port; yield ``http://127.0.0.1:PORT``."""
    with serve(os.environ.get("PYTEST_XDIST_WORKER", "main")) as url:
        yield url


@contextmanager
def serve(name: str) -> Iterator[str]:
    """A freshly started ``streamlit run app.py`` (log: artifacts/streamlit-<name>.log); yields its base URL."""
    script = Path(os.environ.get("EXPLORER_APP", "app.py"))
    if not script.is_absolute():
        script = REPO_ROOT / script
    if not script.is_file():
        pytest.fail(f"no app to serve: {script} does not exist (EXPLORER_APP)")
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    ARTIFACTS.mkdir(exist_ok=True)
    log_path = ARTIFACTS / f"streamlit-{name}.log"
    command = [
        sys.executable, "-m", "streamlit", "run", str(script),
        "--server.headless", "true",
        "--server.port", str(port),
        "--server.address", "127.0.0.1",
        "--browser.gatherUsageStats", "false",
        "--server.fileWatcherType", "none",
    ]  # fmt: skip
    with open(log_path, "w") as log:
        proc = subprocess.Popen(
            command,
            cwd=REPO_ROOT,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, killed as a whole at the end
        )
    try:
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        while not _healthy(url):
            if proc.poll() is not None:
                pytest.fail(f"streamlit exited with code {proc.returncode}:\n{_tail(log_path)}")
            if time.monotonic() > deadline:
                pytest.fail(f"streamlit not healthy after {SERVER_START_TIMEOUT:.0f} s:\n{_tail(log_path)}")
            time.sleep(0.25)
        yield url
    finally:
        _stop(proc)


@pytest.fixture(scope="session")
def browser():
    """One headless Debian Chromium for the session."""
    if not os.access(CHROMIUM, os.X_OK):
        message = f"Chromium not found at {CHROMIUM}: install it with `apt-get install chromium` (Debian)"
        if os.environ.get("CI"):
            pytest.fail(message + " — CI must run the browser tests")
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()
    finally:
        playwright.stop()


@pytest.fixture
def page(browser, request: pytest.FixtureRequest):
    """A fresh 1400×1000 page; screenshot saved if the test fails."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.set_default_timeout(30_000)
    page = context.new_page()
    try:
        yield page
    finally:
        report = getattr(request.node, "rep_call", None)
        if report is not None and report.failed:
            name = "".join(c if c.isalnum() or c in "-_." else "_" for c in request.node.name)
            path = ARTIFACTS / "screenshots" / f"FAILED-{name}.png"
            path.parent.mkdir(parents=True, exist_ok=True)
            try:
                page.screenshot(path=str(path), full_page=True)
            except Exception as exc:  # the page may be gone; the test's own failure matters more
                print(f"could not save failure screenshot: {exc}")
        context.close()
