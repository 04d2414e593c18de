"""ui.figures.jacobian: the heatmap shows core's J, in matrix orientation, each hover explaining its cell.

The figure is given core's J (``core.softmax_jacobian(p, T)``, as the pages pass ``LayerValues.J``)
and p for the hovers' numbers.
"""

from __future__ import annotations

import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import core
from tests.ui.figures.bars import assert_placed_for
from tests.ui.figures.hover import hover_text
from tests.ui.figures.paths import path_boxes
from ui.figures import jacobian
from ui.figures.common import COLORBAR_ROOM, DESKTOP_FIGURE_WIDTH, NARROWEST_FIGURE_WIDTH, planned_for

SUB = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


def blog_p():
    return core.forward(core.BLOG_X, core.BLOG_W)[1]


def jacobian_heatmap(p, temperature: float = 1.0, **kw):
    """The figure for p at T, given core's J as the pages give it."""
    return jacobian.jacobian_heatmap(p, core.softmax_jacobian(p, temperature), temperature, **kw)


def three_sig(v: float) -> str:
    """Independent formatter for the expected strings: 3 significant digits, Unicode minus."""
    return f"{v:.3g}".replace("-", "−")


def hover(fig, i, j) -> str:
    return hover_text(fig.data[0], i, j)


def test_z_is_cores_jacobian_with_zmid_0_and_row_0_on_top():
    p = blog_p()
    fig = jacobian_heatmap(p)
    hm = fig.data[0]
    np.testing.assert_allclose(
        np.asarray(hm.z), core.softmax_jacobian(p), rtol=1e-6
    )  # colours: float32 on the wire (compact_floats)
    assert np.asarray(hm.z).shape == (5, 5)
    assert hm.zmid == 0
    assert fig.layout.yaxis.autorange == "reversed"  # row 0 at the top, like the matrix
    assert list(hm.y) == ["p₀", "p₁", "p₂", "p₃", "p₄"] and list(hm.x)[0] == "z₀"
    assert hm.colorbar.title.text


def test_blog_hover_off_diagonal_has_the_numbers():
    p = blog_p()
    expected = f"∂p₂/∂z₀ = −p₂·p₀ = −{three_sig(p[2])} × {three_sig(p[0])} = {three_sig(-p[2] * p[0])}"
    assert expected == "∂p₂/∂z₀ = −p₂·p₀ = −0.217 × 0.191 = −0.0414"  # the blog's numbers
    assert expected in hover(jacobian_heatmap(p), 2, 0)


def test_blog_hover_diagonal_has_the_numbers():
    p = blog_p()
    expected = f"∂p₁/∂z₁ = p₁(1 − p₁) = {three_sig(p[1])} × (1 − {three_sig(p[1])}) = {three_sig(p[1] * (1 - p[1]))}"
    assert expected in hover(jacobian_heatmap(p), 1, 1)


def test_temperature_factor_is_written_out():
    p = blog_p()
    fig = jacobian_heatmap(p, temperature=2.0)
    np.testing.assert_allclose(np.asarray(fig.data[0].z), core.softmax_jacobian(p, 2.0))
    h = hover(fig, 2, 0)
    assert f"= −p₂·p₀ / T = −{three_sig(p[2])} × {three_sig(p[0])} / 2 = {three_sig(-p[2] * p[0] / 2)}" in h
    assert "/ T" not in hover(jacobian_heatmap(p), 2, 0)


@settings(max_examples=25, deadline=None)
@given(st.lists(st.floats(-5, 5), min_size=1, max_size=9))
def test_every_cell_states_its_case(z):
    p = core.softmax(np.array(z))
    fig = jacobian_heatmap(p)
    K = len(z)
    for i in range(K):
        for j in range(K):
            h = hover(fig, i, j)
            if i == j:
                assert h.startswith("diagonal: i = j") and f"∂p{str(i).translate(SUB)}/∂z{str(i).translate(SUB)}" in h
            else:
                assert h.startswith("off-diagonal: i ≠ j")


def test_diagonal_cells_are_outlined_and_selected_cell_is_highlighted():
    fig = jacobian_heatmap(blog_p(), selected=(3, 1))
    (diag,) = [s for s in fig.layout.shapes if s.name == "diagonal"]
    assert path_boxes(diag) == [(k - 0.5, k + 0.5, k - 0.5, k + 0.5) for k in range(5)]
    (sel,) = [s for s in fig.layout.shapes if s.name == "selected"]
    assert ((sel.x0 + sel.x1) / 2, (sel.y0 + sel.y1) / 2) == pytest.approx((1, 3))  # column i = 1, row t = 3
    assert 0.5 <= sel.x1 - sel.x0 <= 1 and sel.line.width > diag.line.width


def test_cell_text_small_only_and_font_size_scales():
    small = jacobian_heatmap(blog_p(), font_size=24)
    assert small.data[0].texttemplate and small.layout.font.size == 24
    assert small.layout.hoverlabel.font.size == 24 and small.data[0].colorbar.title.font.size == 24
    big = jacobian_heatmap(core.softmax(np.linspace(-1, 1, 32)))
    assert big.data[0].text is None


def test_bad_input_raises_value_error():
    p = blog_p()
    J = core.softmax_jacobian(p)
    with pytest.raises(ValueError, match="p"):
        jacobian.jacobian_heatmap(np.array([0.5, np.nan]), np.eye(2))
    with pytest.raises(ValueError, match="p"):
        jacobian.jacobian_heatmap(np.eye(5) / 5, J)
    with pytest.raises(ValueError, match="J"):
        jacobian.jacobian_heatmap(p, J[:4, :4])
    bad = J.copy()
    bad[1, 2] = np.inf
    with pytest.raises(ValueError, match="J"):
        jacobian.jacobian_heatmap(p, bad)
    with pytest.raises(ValueError, match="selected"):
        jacobian_heatmap(p, selected=(5, 0))
    with pytest.raises(ValueError, match="temperature"):
        jacobian.jacobian_heatmap(p, J, temperature=0)


def test_p_that_is_not_a_probability_vector_is_refused():
    p = np.array([0.5, 0.6])  # sums to 1.1: refused before the figures took core's J
    with pytest.raises(ValueError, match="p"):
        jacobian.jacobian_heatmap(p, np.diag(p) - np.outer(p, p))


def test_json_is_small_at_k_32():
    fig = jacobian_heatmap(core.softmax(np.linspace(-1, 1, 32)), selected=(0, 31))
    assert len(fig.to_json()) < 40_000  # sent on every move: no per-cell sentences at this size
    assert "%{z" in fig.data[0].hovertemplate and fig.data[0].customdata is None
    assert json.loads(fig.to_json())["data"][0]["type"] == "heatmap"


@pytest.mark.parametrize("width", [NARROWEST_FIGURE_WIDTH, DESKTOP_FIGURE_WIDTH])
@pytest.mark.parametrize("K", [5, 32])  # 32: a phone's square plot is shorter than its rows asked for
def test_on_a_phone_the_jacobians_colour_bar_lies_under_its_axis(width, K):
    p = core.softmax(np.linspace(-1.0, 1.0, K))
    with planned_for(width):
        fig = jacobian.jacobian_heatmap(p, core.softmax_jacobian(p))
    assert_placed_for(width, fig, fig.data[0].colorbar)  # on a phone under the axis, inside the figure
    assert fig.data[0].colorbar.title.text == "∂p_i/∂z_j"


@pytest.mark.parametrize("width", [NARROWEST_FIGURE_WIDTH, DESKTOP_FIGURE_WIDTH])
@pytest.mark.parametrize("K", [5, 12, 32])
def test_a_jacobian_is_drawn_about_square_and_its_row_labels_fit(width, K):
    # On a phone 32 classes' rows made a 250 × 650 px strip of a square matrix.
    p = core.softmax(np.linspace(-1.0, 1.0, K))
    with planned_for(width):
        fig = jacobian_heatmap(p, selected=(0, 1))
    lay = fig.layout
    bar = 0 if width < DESKTOP_FIGURE_WIDTH else COLORBAR_ROOM * 14  # a colour bar beside the plot
    plot_w = width - lay.margin.l - lay.margin.r - bar
    plot_h = lay.height - lay.margin.t - lay.margin.b
    if width < DESKTOP_FIGURE_WIDTH:  # a desktop's plot is wider than planned
        assert plot_h <= max(jacobian.SQUARE_SLACK * plot_w, jacobian.MIN_PLOT_PX) + 1
    shown = [int(label[1:].translate(str.maketrans("₀₁₂₃₄₅₆₇₈₉", "0123456789"))) for label in lay.yaxis.tickvals]
    if len(shown) > 1:
        assert min(b - a for a, b in zip(shown, shown[1:], strict=False)) * plot_h / K >= 14  # a label's height
