"""The Explorer's term-by-term text: the numbers written out are the right ones."""

from __future__ import annotations

import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import core
from pages.explorer_parts.entry import (
    PHONE_TERMS_PER_LINE,
    entry_description,
    product_sum_latex,
    shortcut_latex,
    state_frames,
)
from ui.text import BREAK, NEW_LINE, for_phone
from ui.text import tex as num

BLOG = core.layer_values(core.BLOG_X, core.BLOG_W)


def _final_number(line: str) -> float:
    text = line.rsplit("=", 1)[1].strip()
    m = re.fullmatch(r"(-?[\d.]+)(?:\\times 10\^\{(-?\d+)\})?", text)
    assert m, text
    return float(m.group(1)) * 10 ** int(m.group(2) or 0)


def test_blog_entry_written_out():
    # Blog state, entry t=2, i=0, j=1: J[2,0]·x_1 with J[2,0] = −p2·p0.
    lines = product_sum_latex(BLOG, 2, 0, 1)
    _, p = core.forward(core.BLOG_X, core.BLOG_W)
    middle = " ".join(lines[1:-1])
    assert middle.count(r"\cdot") == 5  # all K = 5 terms
    assert middle.count(r"\underbrace") == 1  # exactly one survives
    assert num(-p[2] * p[0]) in lines[2] and "0.5" in lines[2]
    short = shortcut_latex(BLOG, 2, 0, 1)
    assert r"\times (0 - " in short[1]
    assert _final_number(lines[2]) == _final_number(short[1]) == float(num(-p[2] * p[0] * 0.5))


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 8), st.integers(2, 16), st.integers(0, 10_000), st.sampled_from([0.5, 1.0, 2.0]), st.data())
def test_both_routes_end_in_the_same_value(n, K, seed, T, data):
    pre = core.make_preset("random", n, K, seed)
    t, i = data.draw(st.integers(0, K - 1)), data.draw(st.integers(0, K - 1))
    j = data.draw(st.integers(0, n - 1))
    v = core.layer_values(pre.x, pre.W, T)
    product = product_sum_latex(v, t, i, j)
    shortcut = shortcut_latex(v, t, i, j)
    expected = core.layer_jacobian_product(pre.x, pre.W, T)[t, core.column_of(i, j, n)]
    assert np.isclose(_final_number(product[-1]), expected, rtol=1e-3, atol=1e-12)
    assert np.isclose(_final_number(shortcut[-1]), expected, rtol=1e-3, atol=1e-12)
    assert rf"\delta_{{{t},{i}}}" in shortcut[0]
    assert (r"\,/\," in shortcut[1]) == (T != 1)


def test_many_classes_elide_zero_terms():
    pre = core.make_preset("random", 3, 20, 0)
    line = " ".join(product_sum_latex(core.layer_values(pre.x, pre.W), 4, 9, 2)[1:-1])
    assert r"\cdots" in line and line.count(r"\cdot ") <= 4


def test_description_names_the_column():
    text = entry_description(2, 0, 1, 3)
    assert "W[1,0]" in text and "column i·n + j = 0·3 + 1 = 1" in text and "t ≠ i" in text


@pytest.mark.parametrize("K", [2, 5, 6, 8])
def test_the_numbers_are_one_formula_at_any_length(K):
    # Two formulas (five terms, then "+ …") read as two equations, with a gap between them.
    pre = core.make_preset("random", 2, K, 0)
    symbolic, numeric, result = product_sum_latex(core.layer_values(pre.x, pre.W), 1, K - 2, 0)
    assert numeric.startswith("= ") and numeric.count(r"\cdot") == K and result.startswith("= J_")
    pieces = numeric.split(BREAK.strip())  # a desktop wraps only here, a phone puts each on a line
    per = PHONE_TERMS_PER_LINE
    assert [piece.count(r"\cdot") for piece in pieces] == [min(per, K - per * k) for k in range(len(pieces))]


def test_on_a_phone_the_sum_takes_two_terms_a_line():
    (numeric,) = product_sum_latex(BLOG, 2, 0, 1)[1:-1]  # five terms: one line on a desktop
    shown = for_phone(numeric).removeprefix(r"\begin{gathered}").removesuffix(r"\end{gathered}").split(NEW_LINE)
    assert [line.count(r"\cdot") for line in shown] == [PHONE_TERMS_PER_LINE] * 2 + [1]  # all five, two a line
    assert shown[0].startswith("= ") and all(line.startswith("+ ") for line in shown[1:])


@pytest.mark.parametrize("T", [1.0, 5.0])
def test_state_frames_are_cores_matrices_with_one_label_scheme(T):
    v = core.layer_values(core.BLOG_X, core.BLOG_W, T)
    frames = state_frames(v)
    heading = "z = Wᵀx and p = softmax(z)" if T == 1 else "z = Wᵀx and p = softmax(z / T)"
    assert list(frames) == [
        "x (inputs)",
        "W (n × K; column k feeds class k)",
        heading,
        "J = ∂p/∂z (K × K)",
        "dz/dW (K × K·n)",
        "dp/dW (K × K·n)",
    ]
    zp = frames[heading]
    np.testing.assert_array_equal(zp["z"], core.BLOG_W.T @ core.BLOG_X)  # z itself, not z / T
    np.testing.assert_allclose(zp["p"], core.softmax(core.BLOG_W.T @ core.BLOG_X, T), atol=1e-15)
    assert list(zp.index) == [f"class {k}" for k in range(5)]
    assert list(frames["x (inputs)"].columns) == ["x0", "x1", "x2"]
    assert list(frames["W (n × K; column k feeds class k)"].index) == ["x0", "x1", "x2"]
    J = frames["J = ∂p/∂z (K × K)"]
    assert list(J.index) == ["p0", "p1", "p2", "p3", "p4"] and list(J.columns) == ["z0", "z1", "z2", "z3", "z4"]
    np.testing.assert_array_equal(J.to_numpy(), v.J)
    dp = frames["dp/dW (K × K·n)"]
    np.testing.assert_array_equal(dp.to_numpy(), v.product)
    assert list(dp.columns[:4]) == ["W[0,0]", "W[1,0]", "W[2,0]", "W[0,1]"]
    np.testing.assert_array_equal(frames["dz/dW (K × K·n)"].to_numpy(), core.dz_dw(core.BLOG_X, 5))
