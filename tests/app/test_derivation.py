"""The Derivation page under AppTest, reached through app.py's navigation.

Expected numbers are computed here with plain NumPy (not core) and formatted with Python's
4-significant-digit format, then looked for in the page's LaTeX.
"""

from __future__ import annotations

import json

import numpy as np
import pytest

import core
from tests.app.apptest import latex, open_app
from ui.link import to_query
from ui.state import LayerState

PAGE = "pages/derivation.py"
pytestmark = pytest.mark.xdist_group("apptest")


def open_page(query: dict[str, str] | None = None):
    return open_app(query, PAGE)


def g4(v: float) -> str:
    """4 significant digits; an exponent written the LaTeX way (2.9e-07 → 2.9\\times 10^{-7})."""
    mantissa, _, exponent = f"{v:.4g}".partition("e")
    return mantissa + (rf"\times 10^{{{int(exponent)}}}" if exponent else "")


def g3(v: float) -> str:
    mantissa, _, exponent = f"{v:.3g}".partition("e")
    return mantissa + (rf"\times 10^{{{int(exponent)}}}" if exponent else "")


def probs(x, W, T=1.0):
    z = np.asarray(W, float).T @ np.asarray(x, float) / T
    e = np.exp(z - z.max())
    return e / e.sum()


def query_for(x, W, **kw) -> dict[str, str]:
    return to_query(LayerState(x=np.asarray(x, float), W=np.asarray(W, float), preset="custom", **kw))


def chart_ids(at) -> list[str]:
    return [c.proto.id for c in at.get("plotly_chart")]


def test_defaults_show_the_blog_numbers_in_every_step():
    at = open_page()
    text = latex(at)
    p = probs(core.BLOG_X, core.BLOG_W)
    for v in p:
        assert g4(v) in text
    assert g4(p[0] * (1 - p[0])) in text  # J[0, 0], step 2 default (i, j) = (t, i) = (0, 0)
    assert "0.07723" in text  # the blog's printed DL[0, 1], step 5 (t = 0, i = 0)
    assert r"\boxed" in text and r"\circ" in text and r"\otimes" in text
    assert len(at.get("plotly_chart")) == 3  # Jacobian, dz/dW, dp/dW
    assert len(at.expander) >= 6 and len(at.radio) >= 3  # why-expanders; predict-then-reveal guesses
    assert "Common mistakes" in [e.value for e in at.header]


def test_choosing_i_and_j_changes_the_case_and_the_numbers():
    at = open_page()
    p = probs(core.BLOG_X, core.BLOG_W)
    before = latex(at)
    assert "i = j = 0" in before
    at.selectbox(key="drv_i").set_value(2)
    at.selectbox(key="drv_j").set_value(4)
    at.run()
    assert not at.exception
    after = latex(at)
    assert r"i = 2 \neq j = 4" in after
    assert g4(-p[2] * p[4]) in after
    assert g4(-p[2] * p[4] * core.BLOG_X[1]) in after  # step 6 entry (t, i, j) = (2, 4, 1)
    assert after != before
    # The choice is written back, so the Explorer highlights the same entry.
    assert at.session_state["layer_state"].selected == (2, 4, 1)
    at.selectbox(key="drv_x").set_value(2).run()
    assert at.session_state["layer_state"].selected == (2, 4, 2)
    assert g4(-p[2] * p[4] * core.BLOG_X[2]) in latex(at)  # step 6 follows the input j


def test_explorer_state_carries_over_from_the_link():
    x = [0.3, -1.2]
    W = [[0.5, -0.25, 1.0], [2.0, 0.1, -0.7]]
    at = open_page(query_for(x, W, temperature=2.0, selected=(1, 2, 0)))
    text = latex(at)
    z = np.asarray(W).T @ np.asarray(x)
    p = probs(x, W, 2.0)
    for v in z:
        assert g4(v) in text
    assert at.selectbox(key="drv_i").value == 1 and at.selectbox(key="drv_j").value == 2
    assert g4(-p[1] * p[2] / 2.0) in text  # ∂p₁/∂z₂ at T = 2
    assert "s = z/T" in text
    assert at.selectbox(key="drv_x").value == 0
    # The common mistakes are about δ and z versus a, so they are shown at T = 1.
    assert any("shown at T = 1" in c.value for c in at.caption)
    p1 = probs(x, W, 1.0)
    assert g4(-p1[1] * p1[2]) in text  # logits mistake, right side: a₁(δ₁₂ − a₂) at T = 1


def test_smallest_size_k2_n1():
    at = open_page(query_for([0.7], [[1.5, -0.5]], selected=(1, 0, 0)))
    p = probs([0.7], [[1.5, -0.5]])
    text = latex(at)
    assert g4(-p[1] * p[0]) in text


def test_eight_by_eight_writes_matrices_out():
    s = core.make_preset("random", 8, 8, 3)
    at = open_page(to_query(LayerState(x=s.x, W=s.W, preset="random", seed=3)))
    text = latex(at)
    p = probs(s.x, s.W)
    J = np.diag(p) - np.outer(p, p)
    assert all(g3(v) in text for v in J.ravel())  # 8 columns: 3 significant digits to fit a screen


def test_largest_size_runs_and_shows_heatmaps_instead_of_matrices():
    s = core.make_preset("random", 64, 32)
    at = open_page(to_query(LayerState(x=s.x, W=s.W, preset="random")))
    text = latex(at)
    assert r"32\times32" in text and "heatmap" in text
    specs = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    assert [len(s["data"][0]["y"]) for s in specs] == [32, 32, 32]
    assert [len(s["data"][0]["x"]) for s in specs] == [32, 32 * 64, 32 * 64]


def test_classroom_mode_runs_with_large_figures():
    at = open_page({"classroom": "1"})
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert spec["layout"]["font"]["size"] >= 20
    assert spec["layout"]["height"] >= 800


def test_predict_then_reveal_judges_the_guess():
    at = open_page()
    at.radio(key="drv_guess_rows").set_value("0")
    at.run()
    assert any("Right" in m.value for m in at.markdown)
    at.radio(key="drv_guess_rows").set_value("1")
    at.run()
    assert any("Not quite" in m.value for m in at.markdown)


def test_common_mistake_shows_zero_beside_the_right_vector():
    at = open_page()
    text = latex(at)
    p = probs(core.BLOG_X, core.BLOG_W)
    assert r"\begin{bmatrix}0 & 0 & 0\end{bmatrix}^{\top}" in text  # seed 000's "= 0"
    for v in p[0] * (1 - p[0]) * core.BLOG_X:
        assert g4(v) in text


def test_page_runs_inside_the_app_frame():
    at = open_page()
    assert [t.key for t in at.toggle] == ["ctl_classroom"]
