"""The page's CSS: formulas wider than a phone scroll, with an edge shadow in the page's own colours."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from ui import style
from ui.classroom import CSS as CLASSROOM_CSS
from ui.figures.common import palette
from ui.state import state_from_preset
from ui.style import css


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_wide_formulas_scroll_with_covers_in_the_page_colour(theme):
    text = css(state_from_preset("blog"), theme)
    rule = re.search(r"\.katex-display\{(.*?)\}", text, re.S).group(1)  # sent minified
    assert "overflow-x:auto" in rule
    page = palette(theme).page
    # Two covers of the page's colour that scroll with the formula, two shadows fixed to the box:
    # a cover of the other theme's colour would show as a band on the page.
    assert rule.count(f"{page} 30%,{page}00") == 2 and rule.count("no-repeat local") == 2
    assert rule.count("no-repeat scroll") == 2
    other = palette("dark" if theme == "light" else "light").page
    assert other not in rule and "PAGE" not in rule and "SHADE" not in rule


def test_the_comments_stay_in_the_source():
    text = css(state_from_preset("blog"), "light")
    assert "/*" not in text and "*/" not in text and text.count("{") == text.count("}") >= 5


def test_only_layout_is_taken_out_of_the_css_sent():
    # Sent on every run, so minified: the same characters once the spaces are gone, and the same
    # words (no two run together, "calc(100% - 1.5rem)" keeps its spaces).
    source = re.sub(r"/\*.*?\*/", "", style._CSS, flags=re.S)
    sent = style._minified(style._CSS)
    assert len(sent) < len(source) - 100
    assert re.sub(r"\s", "", sent) == re.sub(r"\s", "", source)
    word = r"[\w.%#()-]+"
    assert re.findall(word, sent) == re.findall(word, source)
    assert "calc(100% - 1.5rem)" in style.css(state_from_preset("blog"), "light")


def test_classroom_css_only_when_projecting():
    state = state_from_preset("blog")
    assert CLASSROOM_CSS not in css(state, "light")
    assert css(replace(state, classroom=True), "light").endswith(CLASSROOM_CSS)
