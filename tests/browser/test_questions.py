"""The readers' questions in a real browser: from the Explorer, each reaches its answer in one click.

Screenshots of the new views at 1400 px and at phone width (390 px) go to artifacts/screenshots/.
"""

from __future__ import annotations

import re

import pytest

from tests.browser.helpers import plotly_charts, screenshot, wait_for_app
from ui.questions import QUESTIONS

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

MAIN = '[data-testid="stMain"]'
# What each answer says, visible (not inside a collapsed expander) once the link is followed: by the
# Derivation's step, or by the Loss page's focus (the section brought to the top).
ANSWERS = {
    "mistakes": "softmax does not change when every logit shifts equally",
    "cases": "Why the denominator picks out",
    "blog": "Every printed number matches",
    "output": "Softmax′(a) is not softmax differentiated at the",
    "weight_gradient": "Row j is x_j times the same vector",
}


@pytest.mark.parametrize("k", range(len(QUESTIONS)))
def test_each_question_reaches_its_answer_in_one_click(page, app_url, k):
    question = QUESTIONS[k]
    page.goto(app_url)
    wait_for_app(page)
    page.locator(MAIN).get_by_role("link", name=question.text).click()
    wait_for_app(page, settle=600)
    step = question.settings.get("step")
    if step:
        assert re.search(rf"/derivation\?.*step={step}", page.url), page.url
    else:
        assert re.search(r"/loss\?.*focus=weight_gradient", page.url), page.url
    assert "preset=blog" in page.url and "T=1" in page.url  # the link carries the view (the blog's, by its preset)
    answer = page.locator(MAIN).get_by_text(ANSWERS[step or question.settings["focus"]]).first
    answer.wait_for(state="visible")
    assert answer.is_visible()
    if not step:  # the Loss page brings the answer to the top: its heading and first words on the first screen
        heading = page.locator(MAIN).get_by_role("heading", name="2 · The weight gradient").first
        for element in (heading, answer):
            box = element.bounding_box()
            assert box is not None and box["y"] + box["height"] <= page.viewport_size["height"], box


VIEWS = {
    "explorer-questions": "",
    "derivation-cases": "derivation?step=cases",
    "derivation-output": "derivation?step=output",
    "derivation-chain": "derivation?step=chain",
    "derivation-blog": "derivation?step=blog",
    "derivation-nudge": "derivation?step=nudge",
    "derivation-mistakes": "derivation?step=mistakes",
    "loss-columns": "loss",
    "loss-weight_gradient": "loss?focus=weight_gradient",
    "loss-triangle": "loss?preset=random&n=3&K=3&seed=1&focus=triangle",
    "present-dp_dw": "present?slide=dp_dw",
}


@pytest.mark.parametrize("width", [1400, 390])
def test_screenshots_of_the_teaching_views(page, app_url, width):
    page.set_viewport_size({"width": width, "height": 1000 if width > 500 else 844})
    for name, path in VIEWS.items():
        page.goto(f"{app_url}/{path}")
        wait_for_app(page)
        page.locator(MAIN).locator("h1").first.wait_for(state="visible")
        page.locator(MAIN).get_by_role("button").last.wait_for(state="visible")
        wait_for_app(page, settle=800)
        if name in ("derivation-nudge", "derivation-chain", "loss-columns", "loss-triangle"):
            plotly_charts(page).first.wait_for(state="visible")
        overflow = page.evaluate(
            "() => document.querySelector('[data-testid=\"stMain\"]').scrollWidth - window.innerWidth"
        )
        clipped = page.evaluate(
            '() => [...document.querySelectorAll(\'[data-testid="stMain"] [data-testid="stPageLink-NavLink"] p\')]'
            ".filter(p => p.offsetParent !== null && p.scrollWidth > p.clientWidth + 1).map(p => p.textContent)"
        )
        assert not clipped, f"{name}: link labels cut off at {width}px: {clipped}"
        screenshot(page, f"teach-{name}-{width}", max_height=5000)
        assert overflow <= 1, f"{name} is {overflow}px wider than the {width}px screen"


def test_the_presenter_path_steps_with_the_arrow_keys(page, app_url):
    """A lecturer steps through the slides with → and ←; each slide's link follows."""
    page.goto(f"{app_url}/present?slide=z")
    wait_for_app(page, settle=600)
    page.locator("h1").first.click()  # focus the page, not a widget
    page.wait_for_timeout(500)
    page.keyboard.press("ArrowRight")
    page.wait_for_function("() => location.href.includes('slide=p')", timeout=30_000)
    wait_for_app(page)
    page.keyboard.press("ArrowRight")
    page.wait_for_function("() => location.href.includes('slide=J')", timeout=30_000)
    wait_for_app(page)
    page.keyboard.press("ArrowLeft")
    page.wait_for_function("() => location.href.includes('slide=p')", timeout=30_000)
