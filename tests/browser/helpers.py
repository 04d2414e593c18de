"""Helpers for browser tests: wait for Streamlit, find Plotly charts, read their data, screenshot.

Use: ``from tests.browser.helpers import chart_data, plotly_charts, screenshot, wait_for_app``.
"""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

import numpy as np
from playwright.sync_api import Locator, Page
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

REPO_ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = REPO_ROOT / "artifacts" / "screenshots"

APP = '[data-testid="stApp"]'
EXCEPTION = '[data-testid="stException"]'
STATUS_WIDGET = '[data-testid="stStatusWidget"]'
PLOTLY_CHART = ".js-plotly-plot"  # the graph div plotly.js draws into, inside [data-testid="stPlotlyChart"]

# True once the app is connected, its script has finished, and the "Running..." widget is gone.
_APP_IDLE = """() => {
    const app = document.querySelector('[data-testid="stApp"]');
    return app !== null
        && app.getAttribute('data-test-connection-state') === 'CONNECTED'
        && app.getAttribute('data-test-script-state') === 'notRunning'
        && document.querySelector('[data-testid="stStatusWidget"]') === null;
}"""


_MEASURED = "() => window.__softmaxMeasured === true"
# Opens every closed expander on the page (as a visitor clicking each); returns how many there were.
OPEN_EXPANDERS = """() => [...document.querySelectorAll('[data-testid="stExpander"] details:not([open]) summary')]
    .map(s => s.click()).length"""


def wait_for_app(page: Page, timeout: float = 30_000, settle: float = 300) -> None:
    """Wait until Streamlit has finished running the script, then check it raised nothing.

    ``settle`` (ms) is waited first, so that a rerun just triggered by an interaction has
    started, and again once idle, so that charts drawn at the end of the run are in the DOM.
    Raises ``AssertionError`` with the exception's text if the page shows an ``st.exception``.
    """
    page.wait_for_timeout(settle)
    page.wait_for_selector(APP, timeout=timeout)
    page.wait_for_function(_APP_IDLE, timeout=timeout, polling=100)
    try:  # the page measures its main column once drawn (ui.viewport), and may run again for it
        page.wait_for_function(_MEASURED, timeout=5_000, polling=100)
    except PlaywrightTimeoutError:
        pass  # a page that failed before the foot of the shell: its exception is reported below
    page.wait_for_timeout(settle)
    page.wait_for_function(_APP_IDLE, timeout=timeout, polling=100)
    errors = page.locator(EXCEPTION)
    if errors.count():
        raise AssertionError("the app shows an exception:\n" + "\n---\n".join(errors.all_inner_texts()))


def plotly_charts(page: Page) -> Locator:
    """All Plotly charts drawn on the page, in document order."""
    return page.locator(PLOTLY_CHART)


# Streamlit scrolls inside its main container, not the document, so Playwright's full_page
# sees only the viewport: the whole page's height is the container's scrollHeight.
_CONTENT_HEIGHT = """() => Math.max(
    ...['[data-testid="stMain"]', '[data-testid="stAppViewContainer"]', '[data-testid="stSidebarContent"]']
        .map(s => document.querySelector(s)).filter(e => e !== null).map(e => e.scrollHeight),
    document.documentElement.scrollHeight)"""


def screenshot(page: Page, name: str, full_page: bool = True, max_height: int = 12_000) -> Path:
    """Save a PNG of the page to ``artifacts/screenshots/<name>.png`` (git-ignored); return its path.

    With ``full_page`` the viewport is stretched to the app's whole height (at most
    ``max_height`` px) for the shot, then restored.
    """
    path = SCREENSHOTS / f"{name}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    viewport = page.viewport_size
    height = min(int(page.evaluate(_CONTENT_HEIGHT)), max_height) if full_page and viewport else 0
    if viewport and height > viewport["height"]:
        page.set_viewport_size({"width": viewport["width"], "height": height})
        try:
            page.wait_for_timeout(500)  # let charts re-layout to the new size
            page.screenshot(path=str(path))
        finally:
            page.set_viewport_size(viewport)
    else:
        page.screenshot(path=str(path))
    return path


# graphDiv.data as JSON: typed arrays become plain arrays.
_CHART_DATA = """el => JSON.parse(JSON.stringify(el.data, (key, value) =>
    ArrayBuffer.isView(value) ? Array.from(value) : value))"""


def chart_data(page: Page, index: int = 0) -> list[dict[str, Any]]:
    """The traces of the ``index``-th Plotly chart as drawn (``graphDiv.data``), as plain JSON.

    Arrays that plotly.py sent base64-encoded (``{"dtype": ..., "bdata": ...}``) are decoded
    into nested lists, so ``chart_data(page, 0)[0]["z"]`` is a list of rows whatever the
    plotly version. Compare before and after an interaction to check that a chart redrew.
    """
    return _decode(plotly_charts(page).nth(index).evaluate(_CHART_DATA))


def _decode(value: Any) -> Any:
    if isinstance(value, dict):
        if "bdata" in value and "dtype" in value:  # plotly.js may add "_inputArray" beside them
            array = np.frombuffer(base64.b64decode(value["bdata"]), dtype=np.dtype(value["dtype"]))
            if "shape" in value:
                shape = value["shape"]
                if isinstance(shape, str):
                    shape = [int(s) for s in shape.split(",")]
                array = array.reshape(shape)
            return array.tolist()
        return {k: _decode(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_decode(v) for v in value]
    return value
