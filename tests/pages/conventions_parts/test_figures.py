"""The Conventions page's pure pieces: the dp/dW heatmap in either order, the column table, the checks."""

from __future__ import annotations

import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import core
from pages.conventions_parts import text as conv
from pages.conventions_parts.figures import layer_columns_heatmap
from tests.ui.figures.bars import assert_placed_for
from tests.ui.figures.hover import hover_text
from ui.figures.common import DESKTOP_FIGURE_WIDTH, DIVERGING, NARROWEST_FIGURE_WIDTH, fmt, planned_for, planned_top
from ui.figures.layer_focus import LEVELS

X, W = core.BLOG_X, core.BLOG_W
N, K = 3, 5


def assert_balanced(latex: str) -> None:
    """Braces balance (ignoring \\{ \\}) and every \\begin{env} has its \\end{env}."""
    depth = 0
    for tok in re.findall(r"\\[{}]|[{}]", latex):
        depth += {"{": 1, "}": -1}.get(tok, 0)
        assert depth >= 0, latex
    assert depth == 0, latex
    begins, ends = re.findall(r"\\begin\{(\w+)\}", latex), re.findall(r"\\end\{(\w+)\}", latex)
    assert sorted(begins) == sorted(ends), latex


def blog_product():
    return core.layer_jacobian_product(X, W)


def test_class_major_heatmap_is_the_matrix_as_is():
    M = blog_product()
    fig = layer_columns_heatmap(M, N, K)
    tr = fig.data[0]
    np.testing.assert_array_equal(np.asarray(tr.z), M)
    assert list(tr.x[:4]) == ["W[0,0]", "W[1,0]", "W[2,0]", "W[0,1]"]
    assert tr.colorscale == tuple(tuple(c) for c in DIVERGING) and tr.zmid == 0
    assert tr.colorbar.title.text


def test_input_major_heatmap_permutes_columns_and_keeps_numbers():
    M = blog_product()
    fig = layer_columns_heatmap(M, N, K, order="input_major")
    tr = fig.data[0]
    z = np.asarray(tr.z)
    assert list(tr.x[:6]) == ["W[0,0]", "W[0,1]", "W[0,2]", "W[0,3]", "W[0,4]", "W[1,0]"]
    for j in range(N):
        for k in range(K):
            np.testing.assert_array_equal(z[:, j * K + k], M[:, k * N + j])  # independent index map
            assert tr.x[j * K + k] == f"W[{j},{k}]"
    np.testing.assert_array_equal(np.sort(z, axis=1), np.sort(M, axis=1))
    assert "input-major" in fig.layout.title.text


@pytest.mark.parametrize("order", core.ORDERS)
def test_selected_entry_is_outlined_where_the_order_puts_it(order):
    t, i, j = 1, 3, 2
    fig = layer_columns_heatmap(blog_product(), N, K, order=order, selected=(t, i, j))
    rect = [s for s in fig.layout.shapes if s.type == "rect"][-1]
    col = i * N + j if order == "class_major" else j * K + i
    assert ((rect.x0 + rect.x1) / 2, (rect.y0 + rect.y1) / 2) == pytest.approx((col, t))
    assert fig.data[0].x[col] == f"W[{j},{i}]"


def test_heatmap_hover_names_both_columns():
    fig = layer_columns_heatmap(blog_product(), N, K, order="input_major")
    hover = hover_text(fig.data[0], 1, 13)  # input-major column 13 = W[2,3]
    assert hover.startswith(f"∂p₁/∂W[2,3] = {fmt(blog_product()[1, 11])}<br>")
    assert hover.endswith("class-major column 11 · input-major column 13")
    for c in range(N * K):  # each column names W[j,k] at both its places: k·n + j and j·K + k
        j, k = map(int, re.search(r"W\[(\d+),(\d+)\]", hover_text(fig.data[0], 0, c)).groups())
        assert hover_text(fig.data[0], 0, c).endswith(f"class-major column {k * N + j} · input-major column {c}")


def test_heatmap_follows_font_and_height():
    fig = layer_columns_heatmap(blog_product(), N, K, font_size=24, height=820)
    assert fig.layout.font.size == 24 and fig.layout.height - fig.layout.margin.t >= 820 - planned_top(24)


def test_heatmap_rejects_bad_input():
    with pytest.raises(ValueError, match="shape"):
        layer_columns_heatmap(np.ones((5, 14)), N, K)
    with pytest.raises(ValueError, match="order"):
        layer_columns_heatmap(blog_product(), N, K, order="row_major")
    with pytest.raises(ValueError, match="selected"):
        layer_columns_heatmap(blog_product(), N, K, selected=(0, 5, 0))
    bad = blog_product()
    bad[0, 0] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        layer_columns_heatmap(bad, N, K)


def test_large_heatmap_drops_per_cell_text():
    s = core.make_preset("random", 64, 32)
    fig = layer_columns_heatmap(core.layer_jacobian_product(s.x, s.W), 64, 32, order="input_major")
    assert fig.data[0].customdata is None and fig.data[0].text is None
    # As the Explorer's overview: one byte per entry, on a log colour scale so the small entries show
    levels = np.asarray(fig.data[0].z)
    assert levels.dtype == np.int8 and "log scale" in fig.layout.title.subtitle.text.replace("<br>", " ")
    M = core.convert_columns(core.layer_jacobian_product(s.x, s.W), 64, 32)  # input-major, as shown
    visible = np.abs(M) >= np.abs(M).max() * 1e-5  # 81 % of this layer's entries (a linear scale showed 7 %)
    assert np.all(np.sign(levels[visible]) == np.sign(M[visible])) and np.abs(levels).max() == LEVELS


# ---------------------------------------------------------------- pages.conventions_parts.text


def test_column_table_matches_both_index_formulas():
    table = conv.column_table(N, K)
    assert len(table) == N * K
    for c, row in table.iterrows():
        k, j = divmod(c, N)
        assert row.iloc[0] == f"W[{j},{k}]"
        j2, k2 = divmod(c, K)
        assert row.iloc[1] == f"W[{j2},{k2}]"
        assert row.iloc[2] == f"W'[{k},{j}]"  # PyTorch's row-major flatten is class-major
    assert len(conv.column_table(64, 32)) == conv.TABLE_MAX_ROWS


@settings(max_examples=30, deadline=None)
@given(n=st.integers(1, 8), k=st.integers(2, 8), seed=st.integers(0, 10_000))
def test_order_check_reports_a_pure_permutation(n, k, seed):
    rng = np.random.default_rng(seed)
    M = core.layer_jacobian_product(rng.normal(size=n), rng.normal(size=(n, k)))
    for order in core.ORDERS:
        result = conv.order_check(M, n, k, order)
        assert result == {"max_diff": 0.0, "sorted_equal": True, "roundtrip": 0.0}


def test_order_check_catches_a_wrong_conversion(monkeypatch):
    real = core.convert_columns

    def swapped(M, n, K, source="class_major", target="input_major"):
        out = real(M, n, K, source, target).copy()
        if target == "input_major":
            out[..., [0, 1]] = out[..., [1, 0]]  # a conversion that misplaces two columns
        return out

    monkeypatch.setattr(core, "convert_columns", swapped)
    result = conv.order_check(blog_product(), N, K, "input_major")
    assert result["max_diff"] > 0 and result["sorted_equal"]  # same numbers, wrong places


def test_layouts_latex_shows_both_matrices_and_equal_logits():
    blog, torch, check = conv.layouts_latex(X, W)
    for line in blog + torch + (check,):
        assert_balanced(line)
    assert r"0.1 & 0.2 & 0.3 & 0.4 & 0.5" in blog[1]  # W's first row
    assert r"0.1 & 0.6 & 0.11" in torch[1]  # W'’s first row = W's first column
    z = W.T @ X
    for v in z:
        assert f"{v:.4g}" in blog[-1] and f"{v:.4g}" in torch[-1]
    assert check.endswith("= 0")


def test_layouts_latex_large_sizes_skip_the_matrices():
    s = core.make_preset("random", 64, 32)
    blog, torch, _ = conv.layouts_latex(s.x, s.W)
    assert r"\begin{bmatrix}" not in blog[1] or r"\cdots" in blog[1]
    assert r"64\times32" in blog[0] and r"32\times64" in torch[0]


def test_entry_positions_latex():
    M = blog_product()
    line = conv.entry_positions_latex(M, N, K, 1, 3, 2)
    assert_balanced(line)
    assert "= 11" in line and "= 13" in line
    assert line.count(f"{M[1, 11]:.4g}") == 2


@pytest.mark.parametrize("width", [NARROWEST_FIGURE_WIDTH, DESKTOP_FIGURE_WIDTH])
def test_on_a_phone_the_colour_bar_lies_under_the_weight_labels(width):
    with planned_for(width):
        fig = layer_columns_heatmap(blog_product(), N, K)
    assert_placed_for(width, fig, fig.data[0].colorbar)


# Slider values sit on a 0.01 grid, so a logit is often a decimal tie (−6.8645): the two products,
# a last bit apart, rounded it to "−6.864" on one side and "−6.865" on the other for ~3% of layers.
_GRID = st.integers(-300, 300).map(lambda c: c / 100)


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 6), st.integers(2, 6), st.data())
def test_both_layouts_show_the_same_logits_digit_for_digit(n, K, data):
    x = np.array(data.draw(st.lists(_GRID, min_size=n, max_size=n)))
    W = np.array(data.draw(st.lists(_GRID, min_size=n * K, max_size=n * K))).reshape(n, K)
    blog, torch, check = conv.layouts_latex(x, W)
    assert blog[-1].rsplit("= ", 1)[1] == torch[-1].rsplit("= ", 1)[1]
    assert check.endswith("= 0") or r"= 0\ \text{(rounding: " in check  # TeX keeps the space before it


@pytest.mark.parametrize(("n", "K"), [(3, 5), (5, 3), (4, 4)])
def test_side_by_side_both_matrices_stand_as_tall_as_the_taller(n, K):
    rng = np.random.default_rng(0)
    x, W = rng.normal(size=n), rng.normal(size=(n, K))
    blog, torch, _ = conv.layouts_latex(x, W)
    strut = r"\vphantom{\begin{bmatrix}" + r" \\ ".join(["0"] * max(n, K)) + r"\end{bmatrix}}"
    assert blog[1].startswith(strut) and torch[1].startswith(strut)  # so the z lines under them line up
    stacked, _, _ = conv.layouts_latex(x, W, side_by_side=False)
    assert r"\vphantom" not in stacked[1]  # a phone stacks them: no blank rows
