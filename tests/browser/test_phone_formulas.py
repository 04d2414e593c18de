"""On a phone, the blog's 5 × 5 matrices are seen whole: no formula of the Derivation's matrix and
output steps is wider than its box (each used to scroll sideways by 80–300 px)."""

from __future__ import annotations

import pytest

from tests.browser.helpers import OPEN_EXPANDERS, screenshot, wait_for_app
from tests.browser.test_contexts import PHONE_AGENT

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

WIDE = """() => [...document.querySelectorAll('.katex-display')]
    .filter(d => d.scrollWidth > d.clientWidth + 3)
    .map(d => `${d.scrollWidth} > ${d.clientWidth} px: ${d.textContent.slice(0, 40)}`)"""


@pytest.mark.parametrize("step", ["matrix", "output"])
def test_the_blogs_matrices_fit_a_phone(browser, app_url, step):
    context = browser.new_context(viewport={"width": 390, "height": 844}, user_agent=PHONE_AGENT)
    try:
        page = context.new_page()
        page.goto(f"{app_url}/derivation?step={step}")
        wait_for_app(page, settle=600)
        assert page.evaluate(OPEN_EXPANDERS) >= 1  # the Reveal's formulas too, in their narrower box
        wait_for_app(page, settle=600)
        screenshot(page, f"phone-derivation-{step}")
        assert page.locator(".katex-display").count() >= 4
        assert not page.evaluate(WIDE)
    finally:
        context.close()
