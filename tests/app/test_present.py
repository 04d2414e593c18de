"""The presenter path under AppTest: one slide per screen, the answer hidden until revealed, a link per slide."""

from __future__ import annotations

import json
import re

import numpy as np
import pytest

import core
from tests.app.apptest import chart, latex, open_app, shown, unfold
from ui.link import PRESENT_SLIDES
from ui.reveal import reveal_key

PAGE = "pages/present.py"
pytestmark = pytest.mark.xdist_group("apptest")


@pytest.mark.parametrize("slide", PRESENT_SLIDES)
def test_each_slide_asks_first_and_hides_its_answer(slide):
    at = open_app({"slide": slide}, PAGE)
    assert at.radio(key="set_slide").value == slide
    assert "**Predict:**" in "\n".join(shown(at, "markdown"))
    # The Reveal is closed, and the answer is not even sent (nothing to find in the page's source)
    assert [e.proto.expanded for e in at.expander if e.label == "Reveal"] == [False]
    assert not any("**Answer:**" in m.value for m in at.markdown)
    unfold(at, reveal_key(f"pr_guess_{slide}"))  # opened, as a click does
    assert "**Answer:**" in "\n".join(shown(at, "markdown"))


def test_next_and_previous_walk_the_path_and_the_link_follows():
    at = open_app({"slide": "z"}, PAGE)
    seen = [at.query_params["slide"]]
    while [b for b in at.button if b.key == "pr_next"]:
        at.button(key="pr_next").click().run()
        seen.append(at.query_params["slide"])
    assert seen == list(PRESENT_SLIDES)
    at.button(key="pr_prev").click().run()
    assert at.query_params["slide"] == "dp_dw"
    assert open_app(dict(at.query_params), PAGE).radio(key="set_slide").value == "dp_dw"


def test_a_guess_is_judged_and_the_evidence_has_the_live_numbers():
    at = open_app({"slide": "dL_dW"}, PAGE)
    at.radio(key="pr_guess_dL_dW").set_value("y − p").run()
    assert any("Not quite" in m.value for m in at.markdown)
    at.radio(key="pr_guess_dL_dW").set_value("p − y").run()
    assert any("Right" in m.value for m in at.markdown)
    z = core.BLOG_W.T @ core.BLOG_X
    p = np.exp(z) / np.exp(z).sum()
    target = int(np.argsort(-p)[1])  # the runner-up class, as the Loss page's default
    grad = np.outer(core.BLOG_X, p - np.eye(5)[target])
    assert all(f"{g:.4g}" in latex(at) for g in grad.ravel())


def test_the_dp_dw_slide_outlines_the_entry_it_asks_about():
    # The Explorer's selection is own-class (t = i = 2); the slide asks about another class, and its
    # figure must outline that entry, not the Explorer's.
    at = unfold(open_app({"slide": "dp_dw", "sel": "2,2,0"}, PAGE), reveal_key("pr_guess_dp_dw"))
    t = 2
    question = next(m for m in shown(at, "markdown") if "Raise W[" in m)
    j_asked, i_asked = (int(s) for s in question.split("Raise W[")[1].split("]")[0].split(","))
    assert i_asked != t
    fig = chart(at, "pr_chart_dpdw")
    cells = {
        (round((s["y0"] + s["y1"]) / 2), round((s["x0"] + s["x1"]) / 2))
        for s in fig["layout"]["shapes"]
        if s.get("name") == "selected"
    }
    assert cells == {(t, i_asked * 3 + j_asked)}  # one cell, in all three panels (n = 3)


def test_the_dp_dw_slide_of_a_big_layer_is_the_explorers_overview_and_block():
    # Three full panels of a 64 × 32 layer were 196,608 cells: ~1.2 MB on every move, hidden in the Reveal.
    at = open_app({"preset": "random", "n": "64", "K": "32", "slide": "dp_dw", "sel": "4,4,7"}, PAGE)
    assert not at.get("plotly_chart")  # closed, the Reveal's figure is neither built nor sent
    unfold(at, reveal_key("pr_guess_dp_dw"))
    question = next(m for m in shown(at, "markdown") if "Raise W[" in m)
    i_asked = int(question.split("Raise W[")[1].split("]")[0].split(",")[1])
    overview, block = chart(at, "pr_chart_dpdw"), chart(at, "pr_chart_dpdw_block")
    assert overview["data"][0]["z"]["dtype"] == "i1"  # colour levels of every entry, as bytes
    assert f"Class {i_asked}'s block" in block["layout"]["title"]["text"]
    assert not re.search(r"click (to|a) ", json.dumps([overview, block]))  # a click selects nothing on this page
    sent = sum(len(c.proto.spec) for c in at.get("plotly_chart"))
    assert sent < 300_000, sent


def test_the_logit_slide_highlights_its_answer():
    at = open_app({"slide": "z", "sel": "0,0,1"}, PAGE)  # the Explorer's t = 0; the largest logit is class 3
    unfold(at, reveal_key("pr_guess_z"))
    answer = int(np.argmax(core.BLOG_W.T @ core.BLOG_X))
    assert answer != 0
    assert f"class t = {answer} highlighted" in chart(at, "pr_chart_output")["layout"]["title"]["subtitle"]["text"]
