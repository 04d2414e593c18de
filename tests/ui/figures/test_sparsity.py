"""ui.figures.sparsity: the dz/dW pattern, its zeros, both column orders, hover reasons.

The figure is given core's dz/dW (``core.dz_dw(x, K)``, as the pages pass ``LayerValues.dz_dw``).
"""

from __future__ import annotations

import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import core
from tests.ui.figures.bars import assert_placed_for
from tests.ui.figures.hover import hover_text
from tests.ui.figures.paths import path_lines
from ui.figures import sparsity
from ui.figures.common import DESKTOP_FIGURE_WIDTH, NARROWEST_FIGURE_WIDTH, planned_for


def dz_dw_pattern(x, K: int, **kw):
    """The figure for x and K classes, given core's dz/dW as the pages give it."""
    return sparsity.dz_dw_pattern(x, core.dz_dw(x, K), **kw)


def values(fig) -> np.ndarray:
    """The displayed matrix: the value trace where defined, else the structural-zero trace."""
    zeros, vals = (np.asarray(tr.z, dtype=float) for tr in fig.data)
    return np.where(np.isnan(vals), zeros, vals)


def column_names(fig) -> list[str]:
    """ "W[j,k]" of each displayed column, as the hover of its cell in row 0 names it."""
    zeros, vals = fig.data
    names = []
    for c in range(np.asarray(zeros.z).shape[1]):
        trace = vals if np.isnan(np.asarray(zeros.z, dtype=float)[0, c]) else zeros
        names.append(re.match(r"∂z₀/∂(W\[\d+,\d+\])", hover_text(trace, 0, c)).group(1))
    return names


def axis_labels(axis) -> dict[int, str]:
    """Position → label of an axis's ticks."""
    return dict(zip(axis.tickvals, axis.ticktext, strict=True))


def test_class_major_shows_cores_dz_dw_with_zeros_apart():
    fig = dz_dw_pattern(core.BLOG_X, 5)
    np.testing.assert_allclose(
        values(fig), core.dz_dw(core.BLOG_X, 5), rtol=1e-6
    )  # colours: float32 on the wire (compact_floats)
    zeros, vals = fig.data
    assert vals.zmid == 0 and vals.colorbar.title.text and zeros.showscale is False
    assert len({c for _, c in zeros.colorscale}) == 1  # structural zeros: one flat colour
    assert fig.layout.yaxis.autorange == "reversed"
    assert axis_labels(fig.layout.yaxis) == {t: f"z{chr(0x2080 + t)}" for t in range(5)}
    assert column_names(fig)[:4] == ["W[0,0]", "W[1,0]", "W[2,0]", "W[0,1]"]  # W[j, k] at k·n + j
    labels = core.weight_labels(3, 5)  # the axis labels its columns as the hovers name them
    assert all(labels[c] == text for c, text in axis_labels(fig.layout.xaxis).items())
    assert [labels[c] for c in range(15)] == column_names(fig)


def test_x_of_zero_is_a_structural_nonzero_not_grey():
    x = np.array([0.0, 0.5, 0.4])
    fig = dz_dw_pattern(x, 5)
    zeros, vals = fig.data
    assert np.asarray(vals.z, dtype=float)[2, 2 * 3 + 0] == 0  # W[0,2] in row 2: on the value trace, value 0
    assert np.isnan(np.asarray(zeros.z, dtype=float)[2, 2 * 3 + 0])
    assert "not a structural zero" in hover_text(vals, 2, 6)


@settings(max_examples=20, deadline=None)
@given(st.integers(1, 6), st.integers(1, 8))
def test_title_states_zero_share(n, K):
    fig = dz_dw_pattern(np.linspace(0.1, 1, n), K)
    title = fig.layout.title.text.replace("<br>", " ")  # wrapped to a phone's width
    share = int(re.search(r"(\d+)% of entries are 0 \((\d+) of every (\d+)\)", title).group(1))
    assert share == round(100 * (K - 1) / K)
    grey = ~np.isnan(np.asarray(fig.data[0].z, dtype=float))
    assert grey.mean() == pytest.approx((K - 1) / K)  # the grey cells are exactly that share


def test_input_major_is_a_column_permutation_via_core():
    x = core.BLOG_X
    cm, im = dz_dw_pattern(x, 5), dz_dw_pattern(x, 5, order="input_major")
    cm_names, im_names = column_names(cm), column_names(im)
    assert sorted(cm_names) == sorted(im_names) and cm_names != im_names
    assert im_names[:3] == ["W[0,0]", "W[0,1]", "W[0,2]"]  # W[j, k] at j·K + k
    assert axis_labels(im.layout.xaxis) == {c: im_names[c] for c in im.layout.xaxis.tickvals}
    np.testing.assert_allclose(
        values(im), core.convert_columns(core.dz_dw(x, 5), 3, 5), rtol=1e-6
    )  # colours: float32 on the wire (compact_floats)
    # same label → same column of values: the view is a relabelled permutation, nothing recomputed
    by_label = dict(zip(cm_names, values(cm).T.tolist(), strict=True))
    for label, col in zip(im_names, values(im).T.tolist(), strict=True):
        assert by_label[label] == col
    # block labels: "input 0" where they fit the narrowest screen, else "0" with one "input" beside them
    for fig, what in ((im, "input"), (cm, "class")):
        texts = [a.text for a in fig.layout.annotations]
        assert f"{what} 0" in texts or {what, "0"} <= set(texts)


def test_hover_says_why_a_zero_is_zero_and_what_a_nonzero_is():
    fig = dz_dw_pattern(core.BLOG_X, 5)
    zeros, vals = fig.data
    assert hover_text(zeros, 2, 3 * 3 + 1) == "∂z₂/∂W[1,3] = δ₂,₃·x₁ = 0 (z₂ does not use column 3 of W)"
    assert hover_text(vals, 3, 3 * 3 + 1) == "∂z₃/∂W[1,3] = x₁ = 0.5 (z₃ = Σ_j W[j,3]·x_j)"


def test_separators_between_class_blocks():
    fig = dz_dw_pattern(core.BLOG_X, 5)
    (separators,) = [s for s in fig.layout.shapes if s.name == "block separators"]
    assert path_lines(separators) == [((k * 3 - 0.5, -0.5), (k * 3 - 0.5, 4.5)) for k in range(1, 5)]


@pytest.mark.parametrize("order", core.ORDERS)
def test_selected_weight_column_and_cell(order):
    n, K = 3, 5
    t, i, j = 2, 3, 1
    fig = dz_dw_pattern(core.BLOG_X, K, order=order, selected=(t, i, j))
    c = column_names(fig).index(f"W[{j},{i}]")
    assert c == (i * n + j if order == "class_major" else j * K + i)
    (col,) = [s for s in fig.layout.shapes if s.name == "selected column"]
    assert (col.x0 + col.x1) / 2 == c and col.y1 - col.y0 == K
    (cell,) = [s for s in fig.layout.shapes if s.name == "selected"]
    assert ((cell.x0 + cell.x1) / 2, (cell.y0 + cell.y1) / 2) == (c, i)  # its non-zero cell is row i
    assert values(fig)[i, c] == core.BLOG_X[j]


def test_bad_input_raises_value_error():
    with pytest.raises(ValueError, match="order"):
        dz_dw_pattern(core.BLOG_X, 5, order="row_major")
    with pytest.raises(ValueError, match="selected"):
        dz_dw_pattern(core.BLOG_X, 5, selected=(0, 0, 3))
    with pytest.raises(ValueError, match="dz"):
        sparsity.dz_dw_pattern(core.BLOG_X, np.zeros((0, 0)))  # K = 0
    with pytest.raises(ValueError, match="dz"):
        sparsity.dz_dw_pattern(core.BLOG_X, core.dz_dw(core.BLOG_X, 5)[:, :14])  # not K·n columns
    with pytest.raises(ValueError, match="dz"):
        sparsity.dz_dw_pattern(core.BLOG_X, core.dz_dw(core.BLOG_X, 5).ravel())
    with pytest.raises(ValueError, match="x"):
        sparsity.dz_dw_pattern(np.array([0.1, np.nan, 0.4]), core.dz_dw(core.BLOG_X, 5))


def test_large_size_is_light():
    rng = np.random.default_rng(0)
    fig = dz_dw_pattern(rng.uniform(-3, 3, 64), 32, order="input_major", selected=(1, 2, 3))
    (vals,) = fig.data
    assert vals.customdata is None and len(vals.text) == 64 * 32  # each non-zero's input j, for its hover
    assert len(fig.layout.xaxis.tickvals) <= 48
    assert len(fig.to_json()) < 120_000  # the two full grids were 865 kB


def displayed_triplets(fig, n: int, K: int, order: str) -> np.ndarray:
    """The (K, K·n) matrix a big layer's figure shows: its triplets in their cells, grey (0) elsewhere."""
    (vals,) = fig.data
    out = np.zeros((K, K * n))
    for y, x, z in zip(vals.y, vals.x, np.asarray(vals.z, dtype=float), strict=True):
        out[y, x] = z
    return out


@settings(max_examples=12, deadline=None)
@given(st.sampled_from([(64, 32), (16, 16), (200, 4), (3, 40), (1, 60)]), st.sampled_from(core.ORDERS))
def test_big_layer_sends_its_non_zeros_and_the_axes_keep_every_column_in_order(shape, order):
    n, K = shape
    x = np.random.default_rng(n * K).uniform(-3, 3, n)
    x[0] = 0.0  # a structural non-zero that is 0 is sent, drawn white on the scale
    fig = dz_dw_pattern(x, K, order=order)
    (vals,) = fig.data
    expected = core.dz_dw(x, K) if order == "class_major" else core.convert_columns(core.dz_dw(x, K), n, K)
    np.testing.assert_allclose(displayed_triplets(fig, n, K, order), expected, rtol=1e-6)
    # one non-zero in each column, every row met: the heatmap's grid is the full grid's
    assert sorted(vals.x.tolist()) == list(range(K * n)) and set(vals.y.tolist()) == set(range(K))
    # each hover names its weight as core labels the column: W[j,t] with j its text
    labels = core.weight_labels(n, K, order)
    assert all(labels[x] == f"W[{j},{y}]" for x, y, j in zip(vals.x.tolist(), vals.y.tolist(), vals.text, strict=True))
    assert "∂z<sub>%{y:d}</sub>/∂W[%{text},%{y:d}]" in vals.hovertemplate
    assert len(vals.z) == K * n and vals.zmid == 0 and vals.colorbar.title.text == "x_j"
    (grey,) = [s for s in fig.layout.shapes if s.type == "rect" and s.fillcolor == sparsity.STRUCTURAL_ZERO]
    assert (grey.x0, grey.x1, grey.y0, grey.y1, grey.layer) == (-0.5, K * n - 0.5, -0.5, K - 0.5, "below")
    gaps = [line for s in fig.layout.shapes if s.name == "row gaps" and s.layer == "below" for line in path_lines(s)]
    # the rows' gaps, which the grey has not, across every column
    assert gaps == ([((-0.5, t - 0.5), (K * n - 0.5, t - 0.5)) for t in range(1, K)] if K <= 40 else [])


@pytest.mark.parametrize("width", [NARROWEST_FIGURE_WIDTH, DESKTOP_FIGURE_WIDTH])
def test_on_a_phone_the_x_j_colour_bar_lies_under_the_weight_labels(width):
    # Beside the plot it took ~90 px of a 324 px Reveal from 15 columns.
    v = core.layer_values(core.BLOG_X, core.BLOG_W)
    with planned_for(width):
        fig = sparsity.dz_dw_pattern(v.x, v.dz_dw)
    assert_placed_for(width, fig, fig.data[1].colorbar)  # on a phone under the labels, inside the figure
    assert fig.data[1].colorbar.title.text == "x_j"
