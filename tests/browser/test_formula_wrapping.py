"""A display formula too wide for its box goes on over more lines, broken between whole pieces,
instead of scrolling sideways: a 1024 px laptop with the sidebar open (the Conventions page's
columns are ~250 px there), a tablet, a 1280 px projector. At 1024 px, 30 formulas scrolled.

It may still scroll where one piece that cannot break (a matrix, a fraction) is wider than its box.
No line ends inside parentheses ("0.1909 (1 −" over "0.1909) = 0.1545").
"""

from __future__ import annotations

import pytest

from tests.browser.helpers import OPEN_EXPANDERS, screenshot, wait_for_app

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

# Per display formula: its box's width, its content's, its widest unbreakable piece's (a KaTeX
# "base": KaTeX cuts a formula into bases after each top-level operator), and the text of each
# line it is set on (a base left of the one before starts a line).
FORMULAS = """() => [...document.querySelectorAll('.katex-display')].map(d => {
    const bases = [...d.querySelectorAll('.katex-html > .base')];
    const lines = [];
    let left = Infinity;
    for (const b of bases) {
        const r = b.getBoundingClientRect();
        if (r.left < left) lines.push('');
        lines[lines.length - 1] += b.textContent;
        left = r.left;
    }
    const piece = Math.max(0, ...bases.map(b => b.getBoundingClientRect().width));
    return {box: d.clientWidth, content: d.scrollWidth, piece, lines, text: d.textContent.slice(0, 60)};
})"""


# Pages where formulas still wrap at 1024 px. (The cases step's two columns now stack there, and its
# formulas fit whole: section.side_by_side.)
@pytest.mark.parametrize("path", ["derivation?step=mistakes", "conventions"])
def test_a_formula_too_wide_for_its_box_breaks_between_whole_pieces(browser, app_url, path):
    page = browser.new_page(viewport={"width": 1024, "height": 800})
    try:
        page.goto(f"{app_url}/{path}")
        wait_for_app(page, settle=600)
        page.evaluate(OPEN_EXPANDERS)
        wait_for_app(page, settle=600)
        screenshot(page, f"laptop-1024-{path.replace('?', '-').replace('=', '-')}")
        formulas = page.evaluate(FORMULAS)
        assert len(formulas) >= 5
        assert any(len(f["lines"]) > 1 for f in formulas)  # some do not fit on one line here
        for f in formulas:
            if f["content"] > f["box"] + 3:  # scrolls: only if one piece alone is too wide
                assert f["piece"] > f["box"] - 3, f
            for line in f["lines"]:
                assert line.count("(") == line.count(")"), f
        if path == "conventions":  # a line breaks at a piece's end (ui.text.kept_whole), not at "z =" before it
            (shape,) = [f for f in formulas if f["text"].startswith("W∈R3×5")]
            assert not any(line.endswith("z=") for line in shape["lines"]), shape
    finally:
        page.close()
