"""The nudge's error curve: a pure builder, checked on its data."""

from __future__ import annotations

import numpy as np
import pytest

from pages.derivation_parts.figures import NUDGE_HEIGHT, nudge_error_figure
from ui.figures.common import (
    DESKTOP_FIGURE_WIDTH,
    NARROWEST_FIGURE_WIDTH,
    base_layout,
    palette,
    planned_for,
)
from ui.figures.text_width import text_width


def test_error_curve_is_log_log_with_a_slope_two_reference_and_the_chosen_eps():
    eps = np.array([1.0, 0.1, 0.01, 0.001])
    err = np.array([1e-2, 1e-4, 1e-6, 0.0])  # the last one is below rounding: left out
    fig = nudge_error_figure(eps, err, 0.01, font_size=14, height=300)
    measured, reference, chosen = fig.data
    assert list(measured.x) == [1.0, 0.1, 0.01]
    np.testing.assert_allclose(reference.y, 1e-2 * eps**2)
    assert list(chosen.x) == [0.01] and list(chosen.y) == [1e-6]
    assert fig.layout.xaxis.type == "log" and fig.layout.yaxis.type == "log"


@pytest.mark.parametrize("font_size", [14, 24])
def test_the_legend_has_its_own_rows_under_the_axis_title(font_size):
    eps = np.logspace(-6, 0, 13)
    fig = nudge_error_figure(eps, eps**2, 0.01, font_size=font_size)
    bare = base_layout(title=fig.layout.title.text, font_size=font_size, height=NUDGE_HEIGHT)
    legend = fig.layout.legend
    assert (legend.yref, legend.y, legend.yanchor, legend.orientation) == ("container", 0, "bottom", "h")
    # The bottom margin holds the axis title as before, plus a row (1.5 × font) for every legend row.
    assert fig.layout.margin.b - bare["margin"]["b"] >= 1.5 * font_size
    assert fig.layout.height - fig.layout.margin.b == bare["height"] - bare["margin"]["b"]  # the plot kept its size


def test_bad_shapes_raise():
    with pytest.raises(ValueError, match="eps"):
        nudge_error_figure(np.array([1.0, 0.0]), np.array([1.0, 1.0]), 1.0)


def test_path_diagram_highlights_the_selected_weight_and_output():
    from pages.derivation_parts.figures import layer_path_diagram

    x, z, p = np.array([0.1, 0.5, 0.4]), np.array([0.35, 0.42, 0.48, 0.55, 0.16]), np.full(5, 0.2)
    fig = layer_path_diagram(x, z, p, (3, 1, 2), -0.0123, font_size=14, height=300)
    grey, path, nodes = fig.data
    assert list(path.x) == [0, 1, 2]
    heights = dict(zip(nodes.text, nodes.y, strict=True))
    assert list(path.y) == [heights["x₂=0.400"], heights["z₁=0.420"], heights["p₃=0.200"]]
    # Every other x→z and z→p connection is drawn grey: 3·5 − 1 + 5·5 − 1.
    assert grey.x.count(None) == 3 * 5 - 1 + 5 * 5 - 1
    assert "−0.0123" in fig.layout.title.text and "W[2,1]" in fig.layout.title.text
    assert fig.layout.plot_bgcolor == "rgba(0,0,0,0)"  # labels follow the theme, light or dark
    highlighted = [t for t, c in zip(nodes.text, nodes.marker.color, strict=True) if c != "#999999"]
    assert highlighted == ["x₂=0.400", "z₁=0.420", "p₃=0.200"]


def test_path_diagram_thins_a_big_layer_but_keeps_the_selection():
    from pages.derivation_parts.figures import layer_path_diagram

    n, K = 64, 32
    fig = layer_path_diagram(np.ones(n), np.zeros(K), np.full(K, 1 / K), (20, 17, 40), 0.0)
    texts = list(fig.data[2].text)
    assert len(texts) == 5 + 5 + 5 and "x₄₀=1.00" in texts and "z₁₇=0" in texts and "p₂₀=0.0312" in texts
    with pytest.raises(ValueError, match="selected"):
        layer_path_diagram(np.ones(3), np.zeros(5), np.full(5, 0.2), (5, 0, 0), 0.0)
    # A "⋮" stands wherever a column leaves nodes out (x₁ then x₄₀ read as neighbours), and only there.
    nodes, gaps = fig.data[2], fig.data[3]
    y = {label.split("=")[0]: h for label, h in zip(nodes.text, nodes.y, strict=True)}
    expected = [("x₁", "x₄₀"), ("x₄₀", "x₆₂"), ("z₁", "z₁₇"), ("z₁₇", "z₃₀"), ("p₁", "p₂₀"), ("p₂₀", "p₃₀")]
    assert set(gaps.text) == {"⋮"} and len(gaps.y) == len(expected)
    for (col, h), (upper, lower) in zip(zip(gaps.x, gaps.y, strict=True), expected, strict=True):
        assert col == "xzp".index(upper[0]) and y[lower] < h < y[upper]
    small = layer_path_diagram(np.ones(3), np.zeros(5), np.full(5, 0.2), (0, 0, 1), 0.0)
    assert len(small.data) == 3  # every node shown: nothing left out


@pytest.mark.parametrize("width", [NARROWEST_FIGURE_WIDTH, DESKTOP_FIGURE_WIDTH])
@pytest.mark.parametrize("n,K", [(3, 5), (8, 8), (64, 32)])
def test_path_diagram_rows_clear_their_labels_and_side_labels_fit(width, n, K):
    from pages.derivation_parts.figures import layer_path_diagram

    rng = np.random.default_rng(n * K)
    x, z = rng.normal(size=n), rng.normal(size=K)
    p = np.exp(z) / np.exp(z).sum()
    sel = (K - 1, K // 2, n - 1)
    with planned_for(width):
        fig = layer_path_diagram(x, z, p, sel, -0.0123, font_size=14, height=380)
    nodes, lay = fig.data[2], fig.layout
    # At 8 classes each z label, above its node, sat on the node above.
    plot_h = lay.height - lay.margin.t - lay.margin.b
    z_heights = sorted(y for xx, y in zip(nodes.x, nodes.y, strict=True) if xx == 1)
    gap_px = min(b - a for a, b in zip(z_heights, z_heights[1:], strict=False)) * plot_h / np.ptp(lay.yaxis.range)
    assert gap_px >= 2.9 * 14 - 1
    # A phone cut "p₀=0.0186" to "p₀=0.01": each side's labels fit between its column and the edge.
    plot_w = width - lay.margin.l - lay.margin.r
    unit = plot_w / np.ptp(lay.xaxis.range)
    left = [t for t, xx in zip(nodes.text, nodes.x, strict=True) if xx == 0]
    right = [t for t, xx in zip(nodes.text, nodes.x, strict=True) if xx == 2]
    assert -lay.xaxis.range[0] * unit >= max(text_width(t, 14) for t in left)
    assert (lay.xaxis.range[1] - 2) * unit >= max(text_width(t, 14) for t in right)
    assert all("-" not in t for t in nodes.text)  # a minus sign, not a hyphen


def test_path_diagram_on_a_phone_labels_only_the_path_with_values():
    from pages.derivation_parts.figures import layer_path_diagram

    x, z, p = np.array([0.1, 0.5, 0.4]), np.array([0.35, 0.42, 0.48, 0.55, 0.16]), np.full(5, 0.2)
    phone = layer_path_diagram(x, z, p, (0, 0, 1), 0.077, font_size=14)
    with planned_for(DESKTOP_FIGURE_WIDTH):
        desktop = layer_path_diagram(x, z, p, (0, 0, 1), 0.077, font_size=14)
    # On a phone 70 px separate the columns: the z values ran over each other and the edges' names.
    assert [t for t in phone.data[2].text if "=" in t] == ["x₁=0.500", "z₀=0.350", "p₀=0.200"]
    assert "z₃" in phone.data[2].text and list(phone.data[2].hovertext) == list(desktop.data[2].text)
    assert all("=" in t for t in desktop.data[2].text)
    # The path's edges are named on their middles, over the page's colour.
    names = {a.text: a for a in phone.layout.annotations if a.text.startswith(("W", "J"))}
    assert (names["W[1,0]"].x, names["J[0,0]"].x) == (0.5, 1.5) and names["W[1,0]"].bgcolor == palette("light").page
