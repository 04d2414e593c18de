"""The readers' questions: each one click from the Explorer (and the sidebar) to its answer, shown open.

A link is followed as the browser follows an st.page_link inside the session (switch page with the
link's query), and also opened as a shared URL in a fresh session. The answer's text or LaTeX must be
in the main area and not inside a collapsed expander. Expected numbers are computed here with NumPy.
"""

from __future__ import annotations

from urllib.parse import parse_qsl

import numpy as np
import pytest

import core
from tests.app.apptest import chart, follow, open_app, page_links, shown, unfold, values
from ui.questions import QUESTIONS
from ui.text import WORD_JOINER

pytestmark = pytest.mark.xdist_group("apptest")


def _p():
    z = core.BLOG_W.T @ core.BLOG_X
    e = np.exp(z - z.max())
    return e / e.sum()


def _answer_shown(at, question: str) -> None:
    """Assert the answer to ``question`` is on screen, open, with the live numbers."""
    latex = "\n".join(shown(at, "latex"))
    text = "\n".join(shown(at, "markdown"))
    p = _p()
    if "quotient rule" in question:
        assert r"\begin{bmatrix}0 & 0 & 0\end{bmatrix}^{\top}" in latex  # the reader's 0 …
        assert r"p_a\,({\delta_{ai} - p_i})\,x" in latex  # … beside the right vector (one group: unbroken_parens)
        assert "softmax does not change when every logit shifts equally" in text  # the why, open
    elif "i = j and i ≠ j" in question:
        assert f"{p[0] * (1 - p[0]):.4g}" in latex and f"{-p[0] * p[1]:.4g}" in latex  # both cases at once
        assert r"i = j = 0" in latex and r"i = 0 \neq j = 1" in latex
        assert "Why the denominator picks out" in text
    elif "DS·DZᵀ" in question:
        assert r"DL = DS \cdot DZ^{\top}" in latex
        assert "Every printed number matches" in text and "Why the shortcut matches" in text
        summary = at.dataframe[0].value
        assert (summary["matching"] == summary["numbers"]).all()
    elif "Softmax′(a)" in question:
        assert r"\sigma'(z) = \sigma(z)" in latex and r"\circ" in latex
        assert "Softmax′(a) is not softmax differentiated at the" in text
    elif "weight gradient" in question:
        heading = at.subheader[0].value.replace(WORD_JOINER, "")  # "∂L/∂W" is kept on one line
        assert heading == "2 · The weight gradient ∂L/∂W"  # the answer first, at the top
        assert latex.removeprefix("$$\n").startswith(r"\frac{\partial L}{\partial W} = x")
        assert "Row j is x_j times the same vector ∂L/∂z" in text
        dw = values(chart(at, "lg_chart_dw")["data"][0]["z"])
        target = at.selectbox(key="set_target").value
        np.testing.assert_allclose(dw, np.outer(core.BLOG_X, p - np.eye(5)[target]), atol=1e-12)
    else:
        raise AssertionError(question)


@pytest.mark.parametrize("k", range(len(QUESTIONS)))
def test_each_question_on_the_explorer_opens_its_answer_in_one_click(k):
    at = open_app({"step": "forward"}, "pages/derivation.py")  # the stepper starts somewhere else
    at.switch_page("pages/explorer.py")
    at.run()
    assert [link.label for link in page_links(at)] == [q.text for q in QUESTIONS]  # the sidebar's menu is closed
    links = [link for link in page_links(unfold(at, "ctl_questions")) if link.label == QUESTIONS[k].text]
    assert len(links) == 2  # one in the sidebar (opened), one at the top of the Explorer
    follow(at, links[-1])
    _answer_shown(at, QUESTIONS[k].text)


@pytest.mark.parametrize("k", range(len(QUESTIONS)))
def test_each_question_link_works_as_a_shared_url(k):
    link = [link for link in page_links(open_app()) if link.label == QUESTIONS[k].text][-1]
    at = open_app(dict(parse_qsl(link.query_string)), f"pages/{link.page}.py")
    _answer_shown(at, QUESTIONS[k].text)
    assert not at.warning


def test_the_links_carry_the_current_view():
    s = core.make_preset("random", 4, 3, 7)
    from ui.link import to_query
    from ui.state import LayerState

    at = open_app(to_query(LayerState(x=s.x, W=s.W, preset="random", seed=7, temperature=2.0)))
    for link in page_links(at):
        q = dict(parse_qsl(link.query_string))
        assert q["K"] == "3" and q["T"] == "2" and q["seed"] == "7"


def test_a_question_in_the_sidebar_moves_the_stepper_on_the_same_page():
    at = open_app({"step": "mistakes"}, "pages/derivation.py")
    at.button(key="drv_bottom_prev").click().run()  # the visitor moves on: the link is not what opened the page
    assert at.query_params["step"] == "nudge"
    unfold(at, "ctl_questions")
    sidebar = [link for link in page_links(at) if link.label == QUESTIONS[1].text][0]  # the sidebar's comes first
    follow(at, sidebar)
    assert at.radio(key="set_step").value == "cases" and at.query_params["step"] == "cases"
    _answer_shown(at, QUESTIONS[1].text)
    at.button(key="drv_bottom_next").click().run()  # and the stepper still steps from there
    assert at.query_params["step"] == "matrix"
