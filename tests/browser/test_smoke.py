"""Smoke test: the app's main page loads in a real browser and draws its charts."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from tests.browser.helpers import EXCEPTION, chart_data, plotly_charts, screenshot, wait_for_app

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def test_main_page_loads_and_draws_a_chart(page, app_url):
    page.goto(app_url)
    wait_for_app(page)
    assert page.locator(EXCEPTION).count() == 0
    charts = plotly_charts(page)
    charts.first.wait_for(state="visible")
    assert charts.count() >= 1
    traces = chart_data(page, 0)
    assert traces, "the first chart has no traces"
    assert screenshot(page, "main-page").stat().st_size > 0


def test_every_page_in_the_navigation_loads(page, app_url):
    page.goto(app_url)
    wait_for_app(page)
    links = page.locator('[data-testid="stSidebarNav"] a')
    hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
    for href in hrefs:
        page.goto(href if href.startswith("http") else app_url.rstrip("/") + "/" + href.lstrip("/"))
        wait_for_app(page)  # raises if the page shows an exception
        name = urlsplit(href).path.strip("/").replace("/", "-") or "main"
        screenshot(page, f"page-{name}")


def test_the_browser_tests_share_one_worker(request):
    """Under ``--dist loadgroup`` (.ci/test) each browser test is renamed "<id>@browser" and so runs on the
    worker that has the group's server and Chromium. pytest 9.2 broke that renaming (tests/requirements.txt)."""
    if not getattr(request.config.option, "loadgroup", False):  # set on xdist's workers
        pytest.skip("not run under pytest-xdist's --dist loadgroup")
    assert request.node.nodeid.endswith("@browser")
