"""The page is planned for the width it is read at (ui.viewport), not only for what the browser says it is.

A desktop window of 900 px (the main column ~440 px beside the sidebar) gets a narrow plan (400 px,
``section.planned_width``): the output's two bar charts one above the other, as on a phone, where
side by side their class labels ran into each other, and its titles wrapped for 400 px, not a
phone's 320. Resizing the window plans the page again. Where the browser's User-Agent
already gave the right plan (a phone, a wide desktop), the page asks for no other plan (it runs a
second time only to draw its charts at their measured widths).
"""

from __future__ import annotations

import pytest

from tests.browser.helpers import wait_for_app
from tests.browser.test_contexts import PHONE_AGENT

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

# The output figure (the page's first chart): its z and p panels side by side (desktop) or stacked (phone).
_STACKED = """() => { const plot = document.querySelector('.js-plotly-plot');
    if (!plot || !plot.layout) return null;  // being drawn again
    return plot.layout.xaxis.domain[1] === 1 && plot.layout.yaxis.domain[0] > 0; }"""
# Set by the page's width watcher only when it asked the server to plan the page again: the width asked for.
_ASKED = "() => window.__softmaxPlan === undefined ? null : window.__softmaxPlan"


def _opened(browser, app_url, width: int, agent: str | None = None):
    context = browser.new_context(viewport={"width": width, "height": 900}, **({"user_agent": agent} if agent else {}))
    page = context.new_page()
    page.goto(app_url)
    wait_for_app(page, settle=500)
    return context, page


def test_a_narrow_desktop_window_gets_a_narrow_plan_and_a_resize_plans_again(browser, app_url):
    context, page = _opened(browser, app_url, 900)
    try:
        assert page.evaluate(_ASKED) == 400
        assert page.evaluate(_STACKED)
        page.set_viewport_size({"width": 1440, "height": 900})  # wider: the desktop's plan again
        page.wait_for_function(f"() => ({_STACKED})() === false", timeout=15_000)
        wait_for_app(page, settle=500)
        assert page.evaluate(_ASKED) == 560
    finally:
        context.close()


@pytest.mark.parametrize(("width", "agent", "stacked"), [(1440, None, False), (390, PHONE_AGENT, True)])
def test_where_the_browser_said_right_the_page_keeps_its_plan(browser, app_url, width, agent, stacked):
    context, page = _opened(browser, app_url, width, agent)
    try:
        assert page.evaluate(_STACKED) is stacked
        assert page.evaluate(_ASKED) is None  # measured, and nothing to ask
        assert page.evaluate("window.__softmaxMeasured") is True
    finally:
        context.close()
